"""The site aggregate: configuration, follow-ups and storage round trips."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import json

import pytest

from custom_components.doorservice.core.catalog import Role, ServiceCatalog, ServiceType
from custom_components.doorservice.core.dispatch import DispatchPolicy, DispatchStrategy
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import OrderEvent
from custom_components.doorservice.core.orders import OrderState
from custom_components.doorservice.core.site import (
    CabinetConfig,
    RoomConfig,
    Site,
    SiteConfig,
    WorkerConfig,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def config(**changes: object) -> SiteConfig:
    base: dict[str, object] = {
        "name": "Aurora",
        "currency": "EUR",
        "workers": (
            WorkerConfig("w1", "Anna", frozenset({Role.CLEANING})),
            WorkerConfig("w2", "Mei", frozenset({Role.HOUSEKEEPING})),
        ),
        "cabinets": (CabinetConfig("c1", "Lobby", 6),),
        "rooms": (RoomConfig("r1", "Room 101"),),
    }
    base.update(changes)
    return SiteConfig(**base)  # type: ignore[arg-type]


def test_new_site_has_parts_of_the_configuration() -> None:
    site = Site(config())
    assert list(site.cabinets) == ["c1"]
    assert len(site.cabinets["c1"].compartments) == 6
    assert list(site.stock) == ["c1"]
    assert list(site.stays.rooms) == ["r1"]
    assert site.is_on_duty("w1")


def test_cleaning_booking_without_key_to_closed() -> None:
    site = Site(config())
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="owner",
        now=NOW,
        start=NOW + timedelta(hours=2),
        address="12 Lake Road",
        contact_phone="+49 170 1234567",
    )
    assert order.state is OrderState.OFFERED
    assert events
    site.accept(order.id.lower(), "w1", NOW)
    site.start(order.id, "w1", NOW)
    site.complete(order.id, "w1", "all clean", NOW)
    assert site.order(order.id).state is OrderState.CLOSED


def test_room_request_and_finish_from_accepted() -> None:
    site = Site(config())
    order, _ = site.request_service(
        room="r1", service_type="towels", requester="Room 101", now=NOW, quantity=2
    )
    assert order.state is OrderState.OFFERED
    assert site.orders(worker="w2") == [order]
    assert site.orders(room="r1", states=[OrderState.OFFERED]) == [order]
    site.accept(order.id, "w2", NOW)
    with pytest.raises(DoorServiceError) as err:
        site.finish(order.id, "w1", NOW)
    assert err.value.translation_key == "not_assigned_to_worker"
    site.finish(order.id, "w2", NOW)
    assert order.state is OrderState.CLOSED


def test_refusals_change_nothing() -> None:
    site = Site(config())
    before = json.dumps(site.to_dict(), sort_keys=True)
    with pytest.raises(DoorServiceError) as err:
        site.request_service(
            room="nowhere", service_type="towels", requester="x", now=NOW
        )
    assert err.value.translation_key == "unknown_room"
    with pytest.raises(DoorServiceError) as err:
        site.book_cleaning(
            service_type="standard_cleaning",
            requester="owner",
            now=NOW,
            start=NOW - timedelta(days=1),
            address="x",
        )
    assert err.value.translation_key == "start_in_past"
    assert json.dumps(site.to_dict(), sort_keys=True) == before


def test_assign_decline_give_back_cancel_expire() -> None:
    site = Site(config(policy=DispatchPolicy(DispatchStrategy.MANUAL)))
    order, _ = site.request_service(
        room="r1", service_type="towels", requester="Room 101", now=NOW
    )
    assert order.state is OrderState.QUEUED
    site.assign(order.id, "w2", "manager", NOW)
    assert site.next_deadline() is not None
    site.decline(order.id, "w2", "busy", NOW)
    site.assign(order.id, "w2", "manager", NOW)
    site.accept(order.id, "w2", NOW)
    site.give_back(order.id, "w2", "sick", NOW)
    assert order.state is OrderState.QUEUED
    site.assign(order.id, "w2", "manager", NOW)
    assert site.expire_offers(NOW + timedelta(hours=1))
    site.cancel(order.id, "manager", "no longer needed", NOW)
    assert order.state is OrderState.CANCELLED
    with pytest.raises(DoorServiceError):
        site.assign(order.id, None, "manager", NOW)


def test_on_duty_and_reconfigure() -> None:
    site = Site(config())
    order, _ = site.request_service(
        room="r1", service_type="towels", requester="Room 101", now=NOW
    )
    site.set_on_duty("w2", False, NOW)
    assert not site.is_on_duty("w2")
    assert order.state is OrderState.QUEUED
    site.set_on_duty("w2", True, NOW)
    assert order.state is OrderState.OFFERED
    site.accept(order.id, "w2", NOW)
    # Mei is removed, the cabinet grows, a room goes: her order is queued again.
    events = site.reconfigure(
        config(
            workers=(WorkerConfig("w1", "Anna", frozenset({Role.CLEANING})),),
            cabinets=(CabinetConfig("c1", "Lobby", 8),),
            rooms=(),
        ),
        NOW,
    )
    assert any(isinstance(e, OrderEvent) for e in events)
    assert order.state is OrderState.QUEUED
    assert len(site.cabinets["c1"].compartments) == 8
    assert "r1" not in site.stays.rooms
    site.reconfigure(config(cabinets=()), NOW)
    assert site.cabinets == {}


def test_follow_up_runs_to_a_fixed_point() -> None:
    site = Site(config())
    calls: list[Sequence[object]] = []

    def echo_once(events: Sequence[object], now: datetime) -> list[object]:
        calls.append(list(events))
        return ["reaction"] if "start" in events else []

    site.followers.append(echo_once)
    assert site.follow_up(["start"], NOW) == ["start", "reaction"]
    assert calls == [["start"], ["reaction"]]


def test_round_trip_through_json() -> None:
    site = Site(config())
    order, _ = site.request_service(
        room="r1", service_type="laundry", requester="Room 101", now=NOW
    )
    data = json.loads(json.dumps(site.to_dict()))
    again = Site.from_dict(data, config())
    assert again.order(order.id).state is OrderState.OFFERED
    assert again.to_dict() == site.to_dict()


def test_housekeeping_forgets_what_is_long_finished() -> None:
    site = Site(config())
    old, _ = site.request_service(
        room="r1", service_type="towels", requester="Room 101", now=NOW
    )
    site.accept(old.id, "w2", NOW)
    site.finish(old.id, "w2", NOW)
    cancelled, _ = site.request_service(
        room="r1", service_type="towels", requester="Room 101", now=NOW
    )
    site.cancel(cancelled.id, "manager", None, NOW)
    fresh, _ = site.request_service(
        room="r1", service_type="towels", requester="Room 101", now=NOW
    )
    later = NOW + timedelta(days=91)
    assert sorted(site.housekeeping(later)) == sorted([old.id, cancelled.id])
    assert [o.id for o in site.orders()] == [fresh.id]
    assert site.housekeeping(later) == []
    with pytest.raises(DoorServiceError) as err:
        site.desk.book.forget([fresh.id])
    assert err.value.translation_key == "order_still_open"


def test_configured_catalog_wins_over_the_stored_one() -> None:
    default = ServiceCatalog.default()
    ironing = ServiceType("ironing", "Ironing", Role.HOUSEKEEPING, Decimal("8.50"))
    towels = ServiceType("towels", "Fresh towels", Role.MAINTENANCE)
    site = Site(config(), role_overrides={"towels": Role.CONCIERGE})
    stored = json.loads(json.dumps(site.to_dict()))

    # No configured catalog: the site keeps the one it has (and its overrides).
    kept = Site.from_dict(stored, config())
    assert kept.catalog.ids == default.ids
    assert kept.routing.role_for("towels") is Role.CONCIERGE

    edited = config(service_types=(towels, ironing))
    restored = Site.from_dict(stored, edited)
    assert restored.catalog.ids == ["towels", "ironing"]
    assert restored.desk.catalog is restored.catalog
    # The configured role is the site's choice: the old override is dropped.
    assert restored.routing.role_for("towels") is Role.MAINTENANCE
    assert restored.to_dict()["catalog"] == {
        "service_types": [towels.to_dict(), ironing.to_dict()]
    }
    order, _ = restored.request_service(
        room="r1", service_type="ironing", requester="guest", now=NOW
    )
    assert (order.role, order.unit_price) == (Role.HOUSEKEEPING, Decimal("8.50"))

    # Reconfiguring applies a new catalog in place; open orders keep their role.
    site.reconfigure(config(service_types=(ironing,)), NOW)
    assert site.catalog.ids == ["ironing"]
    assert site.routing.catalog is site.catalog
    restored.reconfigure(config(service_types=(towels,)), NOW)
    assert restored.order(order.id).role is Role.HOUSEKEEPING
    restored.reconfigure(config(service_types=()), NOW)
    assert len(restored.catalog) == 0
