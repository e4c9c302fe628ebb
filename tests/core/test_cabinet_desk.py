"""The cabinet desk: keyed flow, supplies, codes and cancellations on a bare site."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
import random

import pytest

from custom_components.doorservice.core.catalog import Role
from custom_components.doorservice.core.codes import CodePurpose
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import CodeDelivery, Contents
from custom_components.doorservice.core.orders import OrderState
from custom_components.doorservice.core.site import (
    CabinetConfig,
    Site,
    SiteConfig,
    WorkerConfig,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def make_site(compartments: int = 2) -> Site:
    return Site(
        SiteConfig(
            name="Lakeside",
            currency="EUR",
            workers=(WorkerConfig("w1", "Anna", frozenset({Role.CLEANING})),),
            cabinets=(CabinetConfig("c1", "Lobby", compartments),),
        ),
        rng=random.Random(4),
    )


def run(site: Site, events: Sequence[object], now: datetime) -> list[object]:
    return site.follow_up(events, now)


def codes(events: Sequence[object]) -> list[CodeDelivery]:
    return [e for e in events if isinstance(e, CodeDelivery)]


def holder(site: Site, order_id: str) -> str:
    assert not site.custody.invariant_violations()
    assert not site.cabinets["c1"].invariant_violations()
    return str(site.custody.get(order_id).holder)


def use(site: Site, delivery: CodeDelivery, now: datetime, *, pin: bool = True):
    """Reserve the code, the board unlocks, the door opens (code used) and closes."""
    entry = delivery.issued.pin if pin else delivery.issued.token
    verification, events = site.cabinet_desk.reserve("c1", entry, now)
    assert verification.code.used_at is None
    events += site.cabinet_desk.door_opened("c1", delivery.compartment, now)
    assert verification.code.used_at == now
    events += site.cabinet_desk.door_changed("c1", delivery.compartment, True, now)
    events += site.cabinet_desk.door_changed("c1", delivery.compartment, False, now)
    return run(site, events, now)


def test_keyed_flow_with_supplies_to_closed() -> None:
    site = make_site()
    site.stock["c1"].restock("sponges", 10, site.supplies)
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW + timedelta(minutes=20),
        address="1 Lake Road",
        store_key=True,
        supplies=[("sponges", 2)],
    )
    events = run(site, events, NOW)
    assert order.state is OrderState.AWAITING_DROPOFF
    assert holder(site, order.id) == "owner"
    (dropoff,) = codes(events)
    assert dropoff.purpose is CodePurpose.DROPOFF
    assert site.stock["c1"].available("sponges") == 8
    assert site.cabinet_desk.purchases[order.id].total == 5

    restock = codes(run(site, site.cabinet_desk.restock("c1", [], NOW), NOW))
    assert [c.purpose for c in restock] == [CodePurpose.RESTOCK]
    use(site, restock[0], NOW)
    assert site.cabinets["c1"].compartment(1).contents is Contents.SUPPLIES

    use(site, dropoff, NOW, pin=False)
    assert holder(site, order.id) == "compartment:1"
    assert order.state is OrderState.OFFERED
    assert site.cabinets["c1"].compartment(1).contents is Contents.KEY_AND_SUPPLIES
    with pytest.raises(DoorServiceError):
        site.cabinet_desk.verify("c1", dropoff.issued.pin, NOW)

    (pickup,) = codes(run(site, site.accept(order.id, "w1", NOW), NOW))
    with pytest.raises(DoorServiceError, match="order_starts_at_pickup"):
        site.start(order.id, "w1", NOW)
    with pytest.raises(DoorServiceError, match="order_starts_at_pickup"):
        site.finish(order.id, "w1", NOW)
    use(site, pickup, NOW)
    assert order.state is OrderState.IN_PROGRESS
    assert holder(site, order.id) == "worker:w1"
    assert site.stock["c1"].on_hand["sponges"] == 8
    assert site.cabinets["c1"].compartment(1).contents is Contents.EMPTY

    (ret,) = codes(run(site, site.finish(order.id, "w1", NOW), NOW))
    assert order.state is OrderState.AWAITING_RETURN
    (collect,) = codes(use(site, ret, NOW))
    assert order.state is OrderState.COMPLETED
    assert holder(site, order.id) == "compartment:1"
    use(site, collect, NOW)
    assert order.state is OrderState.CLOSED
    assert holder(site, order.id) == "owner"
    assert site.cabinets["c1"].free_count() == 2

    restored = Site.from_dict(site.to_dict(), site.config)
    assert restored.cabinet_desk.to_dict() == site.cabinet_desk.to_dict()


def test_booking_refused_whole_when_no_room_or_stock() -> None:
    site = make_site(1)
    kwargs = {
        "service_type": "standard_cleaning",
        "requester": "Eva",
        "now": NOW,
        "start": NOW,
        "address": "x",
    }
    before = site.to_dict()
    with pytest.raises(DoorServiceError, match="insufficient_stock"):
        site.book_cleaning(**kwargs, supplies=[("sponges", 1)])  # type: ignore[arg-type]
    with pytest.raises(DoorServiceError, match="unknown_sku"):
        site.book_cleaning(**kwargs, supplies=[("nope", 1)])  # type: ignore[arg-type]
    with pytest.raises(DoorServiceError, match="invalid_supply_quantity"):
        site.book_cleaning(**kwargs, supplies=[("sponges", 0)])  # type: ignore[arg-type]
    with pytest.raises(DoorServiceError, match="unknown_cabinet"):
        site.book_cleaning(**kwargs, store_key=True, cabinet="c9")  # type: ignore[arg-type]
    assert site.to_dict() == before
    site.book_cleaning(**kwargs, store_key=True)  # type: ignore[arg-type]
    before = site.to_dict()
    with pytest.raises(DoorServiceError, match="no_free_compartment"):
        site.book_cleaning(**kwargs, store_key=True)  # type: ignore[arg-type]
    assert site.to_dict() == before


def test_cancel_with_key_inside_issues_collect_code() -> None:
    site = make_site()
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW,
        address="x",
        store_key=True,
    )
    (dropoff,) = codes(run(site, events, NOW))
    use(site, dropoff, NOW)
    (collect,) = codes(run(site, site.cancel(order.id, "owner", None, NOW), NOW))
    assert order.state is OrderState.CANCELLED
    assert holder(site, order.id) == "compartment:1"
    assert site.cabinets["c1"].compartment(1).contents is Contents.KEY
    use(site, collect, NOW)
    assert holder(site, order.id) == "owner"
    assert site.cabinets["c1"].free_count() == 2


def test_cancel_before_dropoff_releases_everything() -> None:
    site = make_site()
    site.stock["c1"].restock("sponges", 3, site.supplies)
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW,
        address="x",
        store_key=True,
        supplies=[("sponges", 3)],
    )
    (dropoff,) = codes(run(site, events, NOW))
    assert not codes(run(site, site.cancel(order.id, "owner", None, NOW), NOW))
    assert order.id not in site.custody
    assert site.cabinets["c1"].free_count() == 2
    assert site.stock["c1"].available("sponges") == 3
    with pytest.raises(DoorServiceError, match="code_revoked"):
        site.cabinet_desk.verify("c1", dropoff.issued.pin, NOW)


def test_supplies_only_flow_and_no_door_sensor() -> None:
    site = make_site()
    site.stock["c1"].restock("sponges", 3, site.supplies)
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW + timedelta(hours=5),
        address="x",
        supplies=[("sponges", 1)],
    )
    assert not codes(run(site, events, NOW))
    assert order.state is OrderState.OFFERED
    (pickup,) = codes(run(site, site.accept(order.id, "w1", NOW), NOW))
    with pytest.raises(DoorServiceError, match="code_not_yet_valid"):
        site.cabinet_desk.verify("c1", pickup.issued.pin, NOW)
    later = NOW + timedelta(hours=4, minutes=45)
    verification = site.cabinet_desk.verify("c1", pickup.issued.pin, later)
    run(
        site,
        site.cabinet_desk.opened(verification.code.id, later, door_sensor=False),
        later,
    )
    assert order.state is OrderState.IN_PROGRESS
    run(site, site.complete(order.id, "w1", None, later), later)
    assert order.state is OrderState.CLOSED


def test_confirm_and_give_back() -> None:
    site = make_site()
    site.stock["c1"].restock("sponges", 3, site.supplies)
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW,
        address="x",
        supplies=[("sponges", 1)],
    )
    run(site, events, NOW)
    with pytest.raises(DoorServiceError, match="nothing_to_confirm"):
        site.cabinet_desk.confirm("c1", 1, NOW)
    (pickup,) = codes(run(site, site.accept(order.id, "w1", NOW), NOW))
    run(site, site.give_back(order.id, "w1", None, NOW), NOW)
    with pytest.raises(DoorServiceError, match="code_revoked"):
        site.cabinet_desk.verify("c1", pickup.issued.pin, NOW)
    run(site, site.assign(order.id, "w1", "manager", NOW), NOW)
    (pickup,) = codes(run(site, site.accept(order.id, "w1", NOW), NOW))
    verification = site.cabinet_desk.verify("c1", pickup.issued.token, NOW)
    run(site, site.cabinet_desk.opened(verification.code.id, NOW), NOW)
    assert site.cabinet_desk.door_changed("c9", 1, True, NOW) == []
    run(site, site.cabinet_desk.confirm("c1", 1, NOW), NOW)
    assert order.state is OrderState.IN_PROGRESS
    with pytest.raises(DoorServiceError, match="order_not_purchasable"):
        site.cabinet_desk.purchase(order.id, [("sponges", 1)], NOW)


def test_purchase_adds_supplies_to_an_order() -> None:
    site = make_site()
    site.stock["c1"].restock("sponges", 3, site.supplies)
    order, _events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW,
        address="x",
    )
    run(site, site.cabinet_desk.purchase(order.id, [("sponges", 2)], NOW), NOW)
    assert site.cabinet_desk.compartment_of(order.id) == ("c1", 1)
    with pytest.raises(DoorServiceError, match="supplies_already_reserved"):
        site.cabinet_desk.purchase(order.id, [("sponges", 1)], NOW)


def test_no_cabinet() -> None:
    site = Site(SiteConfig(name="x", currency="EUR"))
    with pytest.raises(DoorServiceError, match="no_cabinet"):
        site.cabinet_desk.default_cabinet()


def test_release_keeps_an_order_whose_key_waits_then_drops_it() -> None:
    site = make_site()
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW,
        address="x",
        store_key=True,
    )
    (dropoff,) = codes(run(site, events, NOW))
    use(site, dropoff, NOW)
    (collect,) = codes(run(site, site.cancel(order.id, "owner", None, NOW), NOW))
    # Cancelled, but the key waits in the compartment with a live collect code.
    assert site.releasable([order.id, "DS-NONE"]) == []
    assert site.release([order.id]) == []
    assert order.id in site.desk.book
    use(site, collect, NOW)
    assert site.releasable([order.id]) == [order.id]
    assert site.release([order.id]) == [order.id]
    assert order.id not in site.desk.book
    assert order.id not in site.custody
    assert not site.codes.active_for_order(order.id, NOW)
    assert all(code.order_id != order.id for code in site.codes.codes.values())
    assert site.desk.book.index_violations() == []
    assert site.release([order.id]) == []


def test_release_skips_open_orders_and_live_codes() -> None:
    site = make_site()
    site.stock["c1"].restock("sponges", 3, site.supplies)
    open_order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW,
        address="x",
    )
    run(site, events, NOW)
    assert site.release([open_order.id]) == []
    site.cancel(open_order.id, "owner", None, NOW)
    assert site.release([open_order.id]) == [open_order.id]
    with pytest.raises(DoorServiceError, match="unknown_order"):
        site.order(open_order.id)
    assert site.orders() == []


def test_reserve_then_unlock_door_opened_or_expired() -> None:
    site = make_site()
    desk = site.cabinet_desk
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW + timedelta(minutes=20),
        address="1 Lake Road",
        store_key=True,
    )
    (dropoff,) = codes(run(site, events, NOW))
    verification, _reserved = desk.reserve("c1", dropoff.issued.pin, NOW)
    code = verification.code
    assert desk.reserved_code("c1", 1, NOW) is code
    # the same code again (PIN or QR) is refused while its unlock is pending
    for entry in (dropoff.issued.pin, dropoff.issued.token):
        with pytest.raises(DoorServiceError, match="code_in_use"):
            desk.reserve("c1", entry, NOW)
    # the board relocked a door nobody opened: valid again, nothing used
    assert desk.door_opened("c1", 2, NOW) == []
    released = desk.unlock_expired("c1", 1, NOW)
    assert [type(e).__name__ for e in released] == ["CodeReleased"]
    assert code.used_at is None
    assert desk.opening("c1", 1) is None
    assert order.state is OrderState.AWAITING_DROPOFF
    # an unlock that failed releases it the same way
    desk.reserve("c1", dropoff.issued.token, NOW)
    assert desk.release(code.id, NOW, "unlock_failed")
    assert desk.unlock_expired("c1", 1, NOW) == []
    # a manager confirm of an unlocked compartment whose door sensor is broken
    desk.reserve("c1", dropoff.issued.pin, NOW)
    run(site, desk.confirm("c1", 1, NOW), NOW)
    assert code.used_at == NOW
    assert order.state is OrderState.OFFERED
    assert holder(site, order.id) == "compartment:1"
    with pytest.raises(DoorServiceError, match="code_already_used"):
        desk.reserve("c1", dropoff.issued.pin, NOW)


def test_compartment_busy_while_another_code_is_reserved() -> None:
    site = make_site()
    desk = site.cabinet_desk
    site.stock["c1"].restock("sponges", 10, site.supplies)
    _order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW + timedelta(minutes=20),
        address="1 Lake Road",
        store_key=True,
        supplies=[("sponges", 1)],
    )
    (dropoff,) = codes(run(site, events, NOW))
    (restock,) = codes(run(site, desk.restock("c1", [], NOW), NOW))
    assert restock.compartment == dropoff.compartment
    desk.reserve("c1", dropoff.issued.pin, NOW)
    with pytest.raises(DoorServiceError, match="compartment_busy"):
        desk.reserve("c1", restock.issued.pin, NOW)
    # an unresolved reservation (a restart mid-unlock) expires by itself
    later = NOW + timedelta(minutes=2)
    desk.reserve("c1", restock.issued.pin, later)
    assert desk.reserved_code("c1", 1, later) is not None


def test_a_holder_gets_fresh_codes_and_the_old_ones_die() -> None:
    """Reissue: same hop, new secret; the old PIN no longer opens anything."""
    site = make_site()
    order, events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="Eva",
        now=NOW,
        start=NOW + timedelta(minutes=20),
        address="1 Lake Road",
        store_key=True,
    )
    (old,) = codes(run(site, events, NOW))
    fresh = codes(site.cabinet_desk.reissue(order.id, "owner", NOW))
    assert len(fresh) == 1
    new = fresh[0]
    assert (new.purpose, new.compartment, new.holder) == (
        old.purpose,
        old.compartment,
        old.holder,
    )
    assert new.issued.code.valid_until == old.issued.code.valid_until
    assert new.issued.token != old.issued.token
    with pytest.raises(DoorServiceError):
        site.cabinet_desk.verify("c1", old.issued.token, NOW)
    assert site.cabinet_desk.verify("c1", new.issued.token, NOW).code.id
    with pytest.raises(DoorServiceError, match="no_code_to_reissue"):
        site.cabinet_desk.reissue(order.id, "worker:w1", NOW)
