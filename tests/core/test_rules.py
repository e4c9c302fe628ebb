"""Business rules the glue asks the core: to-do lists, queues, buttons, bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.doorservice.core.catalog import (
    DEFAULT_BOOKING_SERVICE_TYPE,
    Role,
    ServiceCatalog,
    ServiceType,
)
from custom_components.doorservice.core.front_desk import (
    BUTTON_DO_NOT_DISTURB,
    wall_button_service,
)
from custom_components.doorservice.core.orders import OrderState, QueueView
from custom_components.doorservice.core.site import (
    RoomConfig,
    Site,
    SiteConfig,
    WorkerConfig,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def make_site() -> Site:
    return Site(
        SiteConfig(
            name="Aurora",
            currency="EUR",
            workers=(
                WorkerConfig("w1", "Anna", frozenset({Role.HOUSEKEEPING})),
                WorkerConfig("w2", "Mei", frozenset({Role.HOUSEKEEPING})),
            ),
            rooms=(RoomConfig("r1", "Room 101"), RoomConfig("r2", "Room 102")),
        )
    )


def request(site: Site, room: str, service_type: str, minute: int) -> str:
    order, _ = site.request_service(
        room=room, service_type=service_type, requester="guest", now=NOW + minute * MIN
    )
    return order.id


def test_worker_todo_shows_offers_and_work_only() -> None:
    site = make_site()
    a = request(site, "r1", "towels", 0)  # offered to both (broadcast)
    b = request(site, "r2", "amenities", 1)
    c = request(site, "r1", "room_cleaning", 2)
    site.accept(b, "w1", NOW + 3 * MIN)
    assert [o.id for o in site.worker_todo("w1")] == [a, b, c]
    assert [o.id for o in site.worker_todo("w2")] == [a, c]
    site.finish(b, "w1", NOW + 4 * MIN)  # closed: leaves the list
    site.accept(c, "w2", NOW + 5 * MIN)
    assert [o.id for o in site.worker_todo("w1")] == [a]
    assert [o.id for o in site.worker_todo("w2")] == [a, c]
    assert site.worker_todo("nobody") == []


def test_category_queue_oldest_n_with_total() -> None:
    site = make_site()
    ids = [
        request(site, "r1", kind, i)
        for i, kind in enumerate(
            ["towels", "room_cleaning", "amenities", "towels", "towels"]
        )
    ]
    linen = [ids[0], ids[2], ids[3], ids[4]]
    assert site.category_queue("linen", 2) == QueueView(
        [site.order(i) for i in linen[:2]], 4
    )
    site.accept(ids[0], "w1", NOW + 10 * MIN)  # accepted still shows
    site.start(ids[0], "w1", NOW + 11 * MIN)  # in progress does not
    view = site.category_queue("linen")
    assert [o.id for o in view.orders] == linen[1:]
    assert view.total == 3
    assert site.category_queue("cleaning").total == 1
    assert site.category_queue("nothing") == QueueView([], 0)


def test_last_request_and_escalated() -> None:
    site = make_site()
    assert site.last_request("r1") is None
    request(site, "r1", "towels", 0)
    second = request(site, "r1", "towels", 1)
    assert site.last_request("r1") == site.order(second)
    assert site.escalated_orders() == []
    site.decline(second, "w1", None, NOW + 2 * MIN)
    site.decline(second, "w2", None, NOW + 2 * MIN)
    assert site.order(second).state is OrderState.QUEUED
    assert site.escalated_orders() == [site.order(second)]


def test_wall_buttons() -> None:
    assert wall_button_service("towels") == "towels"
    assert wall_button_service("cleaning") == "room_cleaning"
    assert wall_button_service("call_staff") == "call_staff"
    # A catalog without call_staff (stored or edited before it existed).
    assert wall_button_service("call_staff", {"amenities"}) == "amenities"
    assert wall_button_service("call_staff", {"call_staff"}) == "call_staff"
    assert wall_button_service("call_staff", set()) == "call_staff"
    assert wall_button_service("towels", set()) == "towels"
    assert wall_button_service(BUTTON_DO_NOT_DISTURB) is None
    assert wall_button_service("nope") is None


def test_default_booking_type() -> None:
    assert (
        ServiceCatalog.default().default_booking_type() == DEFAULT_BOOKING_SERVICE_TYPE
    )
    other = ServiceCatalog(
        [ServiceType("windows", "Windows", Role.CLEANING, category="cleaning")]
    )
    assert other.default_booking_type() == "windows"
    assert (
        ServiceCatalog(
            [ServiceType("fix", "Fix", Role.MAINTENANCE)]
        ).default_booking_type()
        is None
    )
