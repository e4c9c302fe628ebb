"""The front desk: stays, do not disturb, billing and appliance authorization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
import json

import pytest

from custom_components.doorservice.core.catalog import Role
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    ApplianceAction,
    ApplianceChangeAuthorized,
    ApplianceCommand,
    ApplianceStateChanged,
    ChargeAdded,
    ChargeNotBilled,
    CheckedOut,
    OrderEvent,
    OrderEventKind,
    RequesterRole,
)
from custom_components.doorservice.core.front_desk import (
    ANSWER_DECLINED,
    ANSWER_HELD,
    DND_HOLD_REASON,
    room_answer,
)
from custom_components.doorservice.core.orders import OrderState
from custom_components.doorservice.core.site import (
    RoomConfig,
    Site,
    SiteConfig,
    WorkerConfig,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
APPLIANCES = (
    {"id": "light", "name": "Light", "kind": "light"},
    {"id": "ac", "name": "AC", "kind": "climate"},
    {"id": "curtain", "name": "Curtain", "kind": "cover"},
    {"id": "tv", "name": "TV", "kind": "switch", "checkout_state": "unchanged"},
)


def make_site() -> Site:
    return Site(
        SiteConfig(
            name="Aurora",
            currency="EUR",
            workers=(WorkerConfig("w1", "Mei", frozenset({Role.HOUSEKEEPING})),),
            rooms=(RoomConfig("r1", "Room 101", APPLIANCES), RoomConfig("r2", "102")),
        )
    )


def run(site: Site, result: tuple[object, list[object]] | list[object]) -> list[object]:
    events = result[1] if isinstance(result, tuple) else result
    return site.follow_up(list(events), NOW)


def request(site: Site, service_type: str, quantity: int = 1, room: str = "r1") -> str:
    order, events = site.request_service(
        room=room,
        service_type=service_type,
        requester="Room 101",
        now=NOW,
        quantity=quantity,
    )
    site.follow_up(events, NOW)
    return order.id


def finish(site: Site, order_id: str) -> list[object]:
    events = site.accept(order_id, "w1", NOW)
    events += site.start(order_id, "w1", NOW)
    events += site.complete(order_id, "w1", None, NOW)
    return site.follow_up(events, NOW)


def test_paid_request_is_billed_to_the_stay_on_completion() -> None:
    site = make_site()
    run(site, site.front_desk.check_in("r1", "Ada", NOW, language="zh-Hans"))
    order_id = request(site, "laundry", quantity=2)
    assert site.front_desk.to_dict()["order_stays"].get(order_id) == "ST-0001"
    events = finish(site, order_id)
    charges = [e for e in events if isinstance(e, ChargeAdded)]
    assert [(c.order_id, c.amount, c.total) for c in charges] == [
        (order_id, Decimal("30.00"), Decimal("30.00"))
    ]
    folio = site.stays.room("r1").folio
    assert folio is not None
    assert folio.charges[0].description == "Laundry"
    assert (
        site.front_desk.to_dict()["order_stays"].get(order_id) is None
    )  # closed: forgotten


def test_free_and_cancelled_requests_charge_nothing() -> None:
    site = make_site()
    run(site, site.front_desk.check_in("r1", "Ada", NOW))
    free = request(site, "towels")
    assert not [e for e in finish(site, free) if isinstance(e, ChargeAdded)]
    paid = request(site, "minibar")
    run(site, site.cancel(paid, "guest", None, NOW))
    folio = site.stays.room("r1").folio
    assert folio is not None
    assert folio.total == 0
    assert site.front_desk.to_dict()["order_stays"].get(paid) is None


def test_request_without_a_stay_is_not_billed() -> None:
    site = make_site()
    order_id = request(site, "laundry")
    assert site.front_desk.to_dict()["order_stays"].get(order_id) is None
    assert not [e for e in finish(site, order_id) if isinstance(e, ChargeAdded)]


def test_order_completing_after_check_out_is_reported_not_billed() -> None:
    site = make_site()
    run(site, site.front_desk.check_in("r1", "Ada", NOW))
    order_id = request(site, "laundry")
    events = site.accept(order_id, "w1", NOW) + site.start(order_id, "w1", NOW)
    run(site, events)
    run(site, site.front_desk.check_out("r1", NOW))
    events = finish_in_progress(site, order_id)
    assert [e for e in events if isinstance(e, ChargeNotBilled)] == [
        ChargeNotBilled("r1", NOW, order_id, "folio_closed")
    ]


def finish_in_progress(site: Site, order_id: str) -> list[object]:
    return site.follow_up(site.complete(order_id, "w1", None, NOW), NOW)


def test_check_out_closes_folio_resets_appliances_and_starts_cleaning() -> None:
    site = make_site()
    run(site, site.front_desk.check_in("r1", "Ada", NOW))
    finish(site, request(site, "minibar"))
    run(site, site.front_desk.set_do_not_disturb("r1", True, NOW))
    result, events = site.front_desk.check_out("r1", NOW)
    run(site, (result, events))
    assert result.folio.closed
    assert result.folio.total == Decimal("20.00")
    assert [(c.appliance_id, c.action) for c in result.commands] == [
        ("light", ApplianceAction.TURN_OFF),
        ("ac", ApplianceAction.TURN_OFF),
        ("curtain", ApplianceAction.CLOSE),
    ]
    assert result.cleaning_order is not None
    assert result.cleaning_order.service_type == "room_cleaning"
    assert result.cleaning_order.hold_reason is None
    assert result.cleaning_order.state is OrderState.OFFERED
    assert any(isinstance(e, CheckedOut) for e in events)
    assert site.stays.room("r1").stay is None
    assert not site.stays.is_authorized("r1", NOW)


def test_check_out_without_stay_changes_nothing() -> None:
    site = make_site()
    before = json.dumps(site.to_dict(), sort_keys=True)
    with pytest.raises(DoorServiceError) as err:
        site.front_desk.check_out("r1", NOW)
    assert err.value.translation_key == "no_active_stay"
    assert json.dumps(site.to_dict(), sort_keys=True) == before


def test_check_out_without_room_cleaning_in_catalog() -> None:
    site = make_site()
    site.catalog.remove("room_cleaning")
    run(site, site.front_desk.check_in("r2", "Ada", NOW))
    result, _ = site.front_desk.check_out("r2", NOW)
    assert result.cleaning_order is None
    assert result.commands == []


def test_do_not_disturb_holds_cleaning_but_not_other_requests() -> None:
    site = make_site()
    waiting = request(site, "room_cleaning")
    assert site.order(waiting).state is OrderState.OFFERED
    events = run(site, site.front_desk.set_do_not_disturb("r1", True, NOW))
    assert site.order(waiting).state is OrderState.QUEUED
    assert site.order(waiting).hold_reason == DND_HOLD_REASON
    assert any(
        room_answer(e) == ANSWER_HELD for e in events if isinstance(e, OrderEvent)
    )
    new_cleaning = request(site, "deep_cleaning")
    assert site.order(new_cleaning).hold_reason == DND_HOLD_REASON
    towels = request(site, "towels")
    assert site.order(towels).hold_reason is None
    assert site.order(towels).state is OrderState.OFFERED
    # Switching on again changes nothing.
    assert site.front_desk.set_do_not_disturb("r1", True, NOW) == (None, [])
    run(site, site.front_desk.set_do_not_disturb("r1", False, NOW))
    assert site.order(waiting).hold_reason is None
    assert site.order(waiting).state is OrderState.OFFERED
    assert site.order(new_cleaning).hold_reason is None  # no cleaner: stays queued


def test_book_cleaning_for_a_dnd_room_is_held() -> None:
    site = make_site()
    run(site, site.front_desk.set_do_not_disturb("r1", True, NOW))
    order, _ = site.book_cleaning(
        service_type="standard_cleaning",
        requester="manager",
        now=NOW,
        start=NOW + timedelta(hours=1),
        room="r1",
    )
    assert order.hold_reason == DND_HOLD_REASON
    assert site.front_desk.hold_reason_for(None, "standard_cleaning") is None


def test_handedness() -> None:
    site = make_site()
    _, events = site.front_desk.set_handedness("r1", "left", NOW)
    assert events
    with pytest.raises(DoorServiceError):
        site.front_desk.set_handedness("r1", "middle", NOW)


def test_guest_commands_only_during_an_authorized_stay() -> None:
    site = make_site()
    command = ApplianceCommand("light", ApplianceAction.TURN_ON, 128)
    with pytest.raises(DoorServiceError) as err:
        site.front_desk.guest_command("r1", command, NOW)
    assert err.value.translation_key == "not_authorized_outside_stay"
    run(
        site,
        site.front_desk.check_in("r1", "Ada", NOW, ends_at=NOW + timedelta(days=1)),
    )
    change, events = site.front_desk.guest_command("r1", command, NOW)
    assert change.role is RequesterRole.GUEST
    assert events == [change]
    with pytest.raises(DoorServiceError):
        site.front_desk.guest_command("r1", command, NOW + timedelta(days=1, seconds=1))


def test_staff_commands_need_a_reason() -> None:
    site = make_site()
    command = ApplianceCommand("ac", ApplianceAction.TURN_OFF)
    with pytest.raises(DoorServiceError) as err:
        site.front_desk.staff_command("r1", command, "Mei", " ", NOW)
    assert err.value.translation_key == "appliance_change_reason_required"
    change, _ = site.front_desk.staff_command("r1", command, "Mei", "empty room", NOW)
    assert isinstance(change, ApplianceChangeAuthorized)
    assert change.reason == "empty room"
    with pytest.raises(DoorServiceError) as err:
        site.front_desk.staff_command("nope", command, "Mei", "x", NOW)
    assert err.value.translation_key == "unknown_room"


def test_appliance_reports() -> None:
    site = make_site()
    _, events = site.front_desk.apply_appliance_report(
        "r1", "ac", is_on=True, value=22.5, now=NOW
    )
    assert events == [ApplianceStateChanged("r1", NOW, "ac", True, 22.5)]
    assert site.appliances["r1"].get("ac").value == 22.5


def test_eta_and_last_request() -> None:
    site = make_site()
    assert site.front_desk.last_request("r1") is None
    order_id = request(site, "towels")
    order = site.order(order_id)
    assert site.front_desk.last_request("r1") is order
    assert site.front_desk.eta(order) == NOW + timedelta(minutes=30)  # SLA
    run(site, site.accept(order_id, "w1", NOW))
    assert site.front_desk.eta(order) == NOW + timedelta(minutes=10)  # duration
    run(site, site.cancel(order_id, "guest", None, NOW))
    assert site.front_desk.eta(order) is None
    site.catalog.remove("towels")
    assert site.front_desk.eta(order) is None


def test_room_answers() -> None:
    site = make_site()
    order_id = request(site, "towels")
    created = OrderEvent(
        OrderEventKind.TRANSITION, order_id, NOW, None, OrderState.QUEUED
    )
    assert room_answer(created) == "request_received"
    requeued = OrderEvent(
        OrderEventKind.TRANSITION,
        order_id,
        NOW,
        OrderState.OFFERED,
        OrderState.QUEUED,
    )
    assert room_answer(requeued) is None
    declined = site.decline(order_id, "w1", "busy", NOW)
    assert ANSWER_DECLINED in [room_answer(e) for e in declined]
    offered = OrderEvent(
        OrderEventKind.OFFERED, order_id, NOW, OrderState.QUEUED, OrderState.OFFERED
    )
    assert room_answer(offered) is None


def test_front_desk_state_survives_storage() -> None:
    site = make_site()
    run(site, site.front_desk.check_in("r1", "Ada", NOW))
    order_id = request(site, "laundry")
    data = json.loads(json.dumps(site.to_dict()))
    again = Site.from_dict(data, site.config)
    assert again.front_desk.to_dict()["order_stays"].get(order_id) == "ST-0001"
    finish(again, order_id)
    folio = again.stays.room("r1").folio
    assert folio is not None
    assert folio.total == Decimal("15.00")
    del data["front_desk"]
    assert (
        Site.from_dict(data, site.config)
        .front_desk.to_dict()["order_stays"]
        .get(order_id)
        is None
    )


def test_supplies_bought_for_a_room_order_land_on_the_folio() -> None:
    from custom_components.doorservice.core.events import CodeDelivery
    from custom_components.doorservice.core.site import CabinetConfig

    site = Site(
        SiteConfig(
            name="Aurora",
            currency="EUR",
            workers=(WorkerConfig("w1", "Mei", frozenset({Role.CLEANING})),),
            cabinets=(CabinetConfig("c1", "Lobby", 4),),
            rooms=(RoomConfig("r1", "Room 101"),),
        )
    )
    site.stock["c1"].restock("sponges", 10, site.supplies)
    run(site, site.front_desk.check_in("r1", "Ada", NOW))
    order, events = site.book_cleaning(
        service_type="deep_cleaning",
        requester="Ada",
        now=NOW,
        start=NOW + timedelta(minutes=10),
        room="r1",
        supplies=[("sponges", 2)],
    )
    site.follow_up(events, NOW)
    accepted = site.follow_up(site.accept(order.id, "w1", NOW), NOW)
    (pickup,) = [e for e in accepted if isinstance(e, CodeDelivery)]
    verification = site.cabinet_desk.verify("c1", pickup.issued.pin, NOW)
    site.follow_up(
        site.cabinet_desk.opened(verification.code.id, NOW, door_sensor=False), NOW
    )
    done = site.follow_up(site.complete(order.id, "w1", None, NOW), NOW)
    charges = [e for e in done if isinstance(e, ChargeAdded)]
    assert [(c.order_id, c.amount) for c in charges] == [
        (f"{order.id}:sponges", Decimal("5.00"))
    ]
    folio = site.stays.room("r1").folio
    assert folio is not None
    assert folio.total == Decimal("5.00")
