"""Tests for the order desk: both flows, every strategy, timeouts, restarts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
import json
import random
from typing import Any

import pytest

from custom_components.doorservice.core.actors import (
    ACTOR_CABINET,
    ACTOR_SYSTEM,
    worker_actor,
)
from custom_components.doorservice.core.catalog import Role, ServiceCatalog
from custom_components.doorservice.core.dispatch import (
    DispatchPolicy,
    DispatchStrategy,
    OrderDesk,
)
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import OrderEvent, OrderEventKind
from custom_components.doorservice.core.orders import (
    FINAL_STATES,
    INITIAL_STATES,
    WORKER_ACTIVE_STATES,
    OrderState,
    is_legal_transition,
)
from custom_components.doorservice.core.routing import RoutingTable
from custom_components.doorservice.core.statistics import (
    ResponseTimes,
    ResponseTimeStats,
)
from custom_components.doorservice.core.workers import Worker, WorkerStatus

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TIMEOUT = timedelta(minutes=5)
PHONE = "+15550001111"
S = OrderState
K = OrderEventKind
HK = frozenset({Role.HOUSEKEEPING})

ANN = Worker("ann", "Ann", frozenset({Role.HOUSEKEEPING, Role.CLEANING}))
BOB = Worker("bob", "Bob", HK, on_duty=False)
CID = Worker("cid", "Cid", frozenset({Role.MAINTENANCE}))
DEE = Worker("dee", "Dee", HK)
EVE = Worker("eve", "Eve", HK)
STAFF = (ANN, BOB, CID, DEE, EVE)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_desk(
    strategy: DispatchStrategy = DispatchStrategy.BROADCAST,
    workers: Sequence[Worker] = STAFF,
    overrides: dict[str, Role] | None = None,
) -> OrderDesk:
    routing = RoutingTable(ServiceCatalog.default(), overrides)
    return OrderDesk(
        routing, DispatchPolicy(strategy, TIMEOUT), workers, rng=random.Random(5)
    )


def restart(desk: OrderDesk) -> OrderDesk:
    """Persist through JSON and rebuild, as the glue does at start."""
    data = json.loads(json.dumps(desk.to_dict()))
    rebuilt = OrderDesk.from_dict(
        data, desk.routing, desk.policy, desk.workers, rng=random.Random(9)
    )
    assert rebuilt.to_dict() == desk.to_dict()
    return rebuilt


def check(desk: OrderDesk) -> None:
    """Assert the invariants of every order, and that the desk survives a restart."""
    on_duty = {w.id for w in desk.workers if w.on_duty}
    for order in desk.book:
        history = order.history
        assert history[0].previous_state is None
        assert history[0].state in INITIAL_STATES
        assert history[0].at == order.created_at
        for before, after in pairwise(history):
            assert before.at <= after.at
            assert after.previous_state is before.state
            assert is_legal_transition(after.previous_state, after.state)
        assert history[-1].state is order.state
        if order.state is S.OFFERED:
            assert order.offers
            assert set(order.offers) <= on_duty
            assert not set(order.offers) & order.excluded
            assert not order.is_held
            for deadline in order.offers.values():
                assert deadline > order.created_at
        else:
            assert not order.offers
        if order.state in WORKER_ACTIVE_STATES or order.state in {
            S.COMPLETED,
            S.CLOSED,
        }:
            assert order.worker is not None
        if order.state in {S.AWAITING_DROPOFF, S.QUEUED, S.OFFERED}:
            assert order.worker is None
        if order.escalated and order.is_open:
            # Escalated orders wait in the queue, or are offered to a worker who
            # turned up since; accepting clears the flag.
            assert order.state in {S.QUEUED, S.OFFERED}
        assert PHONE not in repr(order)
    deadlines = [d for o in desk.book for d in o.offers.values()]
    assert desk.next_deadline() == (min(deadlines) if deadlines else None)
    restart(desk)


def refused(desk: OrderDesk, key: str, call: Callable[[], Any]) -> DoorServiceError:
    """Assert ``call`` raises ``key`` and changes nothing."""
    before = json.dumps(desk.to_dict(), sort_keys=True)
    workers = desk.workers
    with pytest.raises(DoorServiceError) as err:
        call()
    assert err.value.translation_key == key
    assert json.dumps(desk.to_dict(), sort_keys=True) == before
    assert desk.workers == workers
    return err.value


def summary(events: list[OrderEvent]) -> list[tuple[str, str, str | None]]:
    """Return (kind, state, worker) of each event, for compact assertions."""
    for event in events:
        assert PHONE not in repr(event)
    return [(e.kind.value, e.state.value, e.worker) for e in events]


def room_request(
    desk: OrderDesk, now: datetime, service_type: str = "towels", **kwargs: Any
) -> tuple[str, list[OrderEvent]]:
    order, events = desk.create(
        service_type, "room:101", now, room="101", contact_phone=PHONE, **kwargs
    )
    check(desk)
    return order.id, events


# --------------------------------------------------------------------- the flows


def test_cleaning_booking_without_key_from_creation_to_closed() -> None:
    desk = make_desk()
    order, events = desk.create(
        "standard_cleaning",
        "owner",
        T0,
        address="1 Main St",
        scheduled_start=at(60 * 24),
        scheduled_end=at(60 * 26),
        contact_phone=PHONE,
        message="Please water the plants",
    )
    check(desk)
    assert order.id.startswith("DS-")
    assert order.unit_price == Decimal(0)
    assert order.role is Role.CLEANING
    assert summary(events) == [
        ("transition", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "ann"),
    ]
    assert events[0].previous_state is None
    assert events[0].actor == "owner"
    assert events[2].detail == (T0 + TIMEOUT).isoformat()
    assert desk.next_deadline() == T0 + TIMEOUT
    assert desk.worker_status("ann") is WorkerStatus.OFFERED

    events = desk.accept(order.id, "ann", at(2))
    check(desk)
    assert summary(events) == [("transition", "accepted", "ann")]
    assert events[0].actor == worker_actor("ann") == "worker:ann"
    assert desk.worker_status("ann") is WorkerStatus.BUSY
    assert desk.next_deadline() is None

    events = desk.start(order.id, "ann", at(60 * 24))
    check(desk)
    assert summary(events) == [("transition", "in_progress", "ann")]

    events = desk.complete(order.id, "ann", at(60 * 26), "All clean")
    check(desk)
    assert summary(events) == [
        ("transition", "completed", "ann"),
        ("transition", "closed", "ann"),
    ]
    assert events[0].detail == "All clean"
    assert events[1].actor == ACTOR_SYSTEM
    assert order.state is S.CLOSED
    assert not order.is_open
    assert [e.state for e in order.history] == [
        S.QUEUED,
        S.OFFERED,
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.COMPLETED,
        S.CLOSED,
    ]
    assert desk.worker_status("ann") is WorkerStatus.IDLE


def test_room_request_to_completed() -> None:
    desk = make_desk()
    order_id, events = room_request(desk, T0, "laundry", quantity=2)
    order = desk.get(order_id)
    assert order.total_price == Decimal("30.00")
    assert summary(events) == [
        ("transition", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "ann"),
        ("offered", "offered", "dee"),
        ("offered", "offered", "eve"),
    ]
    desk.accept(order_id, "dee", at(1))
    check(desk)
    desk.start(order_id, "dee", at(3))
    check(desk)
    events = desk.complete(order_id, "dee", at(20))
    check(desk)
    assert [e.state for e in events] == [S.COMPLETED, S.CLOSED]
    assert order.history[-2].state is S.COMPLETED


def test_keyed_booking_through_the_cabinet() -> None:
    desk = make_desk()
    order, events = desk.create(
        "deep_cleaning", "owner", T0, address="2 Elm St", has_key=True
    )
    check(desk)
    assert order.state is S.AWAITING_DROPOFF
    assert summary(events) == [("transition", "awaiting_dropoff", None)]

    events = desk.key_deposited(order.id, at(10))
    check(desk)
    assert summary(events) == [
        ("transition", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "ann"),
    ]
    assert events[0].actor == ACTOR_CABINET
    desk.accept(order.id, "ann", at(11))
    events = desk.picked_up(order.id, "ann", at(30))
    check(desk)
    assert events[0].detail == "picked_up"
    assert desk.get(order.id).state is S.IN_PROGRESS

    events = desk.complete(order.id, "ann", at(200), key_with_worker=True)
    check(desk)
    assert summary(events) == [("transition", "awaiting_return", "ann")]
    refused(desk, "order_not_cancellable", lambda: desk.cancel(order.id, "o", at(201)))
    events = desk.key_returned(order.id, at(220))
    check(desk)
    assert summary(events) == [("transition", "completed", "ann")]
    events = desk.collected(order.id, at(400))
    check(desk)
    assert summary(events) == [("transition", "closed", "ann")]
    assert events[0].actor == ACTOR_CABINET
    assert events[0].detail == "collected"


def test_keyed_order_completed_without_key_waits_for_close() -> None:
    desk = make_desk()
    order, _ = desk.create("deep_cleaning", "owner", T0, address="x", has_key=True)
    desk.key_deposited(order.id, at(1))
    desk.accept(order.id, "ann", at(2))
    desk.start(order.id, "ann", at(3))
    events = desk.complete(order.id, "ann", at(4))
    check(desk)
    assert summary(events) == [("transition", "completed", "ann")]
    events = desk.close(order.id, at(5))
    check(desk)
    assert summary(events) == [("transition", "closed", "ann")]
    assert events[0].detail == "nothing_outstanding"


def test_work_step_errors_change_nothing() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    refused(desk, "not_assigned_to_worker", lambda: desk.start(order_id, "ann", at(1)))
    desk.accept(order_id, "ann", at(1))
    refused(desk, "not_assigned_to_worker", lambda: desk.start(order_id, "dee", at(2)))
    refused(desk, "illegal_transition", lambda: desk.complete(order_id, "ann", at(2)))
    refused(
        desk, "not_assigned_to_worker", lambda: desk.give_back(order_id, "dee", at(2))
    )
    refused(desk, "illegal_transition", lambda: desk.key_deposited(order_id, at(2)))
    refused(desk, "illegal_transition", lambda: desk.key_returned(order_id, at(2)))
    refused(desk, "illegal_transition", lambda: desk.close(order_id, at(2)))
    desk.start(order_id, "ann", at(2))
    refused(desk, "illegal_transition", lambda: desk.start(order_id, "ann", at(3)))
    refused(desk, "illegal_transition", lambda: desk.give_back(order_id, "ann", at(3)))
    refused(desk, "illegal_transition", lambda: desk.key_returned(order_id, at(3)))
    refused(desk, "illegal_transition", lambda: desk.collected(order_id, at(3)))
    err = refused(
        desk,
        "order_has_no_key",
        lambda: desk.complete(order_id, "ann", at(3), key_with_worker=True),
    )
    assert err.placeholders == {"order_id": order_id}
    refused(desk, "unknown_order", lambda: desk.start("DS-0000", "ann", at(3)))
    refused(desk, "unknown_order", lambda: desk.accept("DS-0000", "ann", at(3)))
    check(desk)


# ------------------------------------------------------------------ broadcast


def test_broadcast_first_accept_wins_and_others_are_withdrawn() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    assert set(desk.get(order_id).offers) == {"ann", "dee", "eve"}
    refused(desk, "not_offered_to_worker", lambda: desk.accept(order_id, "cid", at(1)))

    events = desk.accept(order_id, "eve", at(1))
    check(desk)
    assert summary(events) == [
        ("transition", "accepted", "eve"),
        ("offer_withdrawn", "accepted", "ann"),
        ("offer_withdrawn", "accepted", "dee"),
    ]
    assert {e.detail for e in events[1:]} == {"accepted_by_other"}

    err = refused(
        desk, "order_already_taken", lambda: desk.accept(order_id, "ann", at(1))
    )
    assert err.placeholders == {"order_id": order_id, "worker": "eve"}
    refused(desk, "order_already_taken", lambda: desk.accept(order_id, "eve", at(1)))
    refused(desk, "not_offered_to_worker", lambda: desk.decline(order_id, "ann", at(1)))
    assert desk.get(order_id).worker == "eve"
    assert desk.worker_statuses() == {
        "ann": WorkerStatus.IDLE,
        "bob": WorkerStatus.OFF_DUTY,
        "cid": WorkerStatus.IDLE,
        "dee": WorkerStatus.IDLE,
        "eve": WorkerStatus.BUSY,
    }


def test_broadcast_decline_timeout_and_escalation() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    order = desk.get(order_id)

    events = desk.decline(order_id, "ann", at(1), "on break")
    check(desk)
    assert summary(events) == [("offer_declined", "offered", "ann")]
    assert events[0].detail == "on break"
    assert order.excluded == {"ann"}

    assert desk.expire_offers(at(4.9)) == []
    events = desk.expire_offers(at(5))
    check(desk)
    assert summary(events) == [
        ("offer_expired", "offered", "dee"),
        ("offer_expired", "offered", "eve"),
        ("transition", "queued", None),
        ("escalated", "queued", None),
    ]
    assert events[0].detail == (T0 + TIMEOUT).isoformat()
    assert events[3].detail == "no_eligible_worker"
    assert order.escalated
    assert order.state is S.QUEUED

    # Once per round: nothing new to say when nobody is there.
    assert desk.dispatch_pending(at(6)) == []
    assert desk.expire_offers(at(60)) == []

    # A new worker on duty gets it; the escalation stays until someone accepts.
    events = desk.set_on_duty("bob", True, at(7))
    check(desk)
    assert summary(events) == [
        ("transition", "offered", None),
        ("offered", "offered", "bob"),
    ]
    assert order.escalated
    desk.accept(order_id, "bob", at(8))
    check(desk)
    assert not desk.get(order_id).escalated
    assert order.excluded == set()


def test_decline_last_offer_reoffers_to_new_workers() -> None:
    desk = make_desk(workers=(ANN, DEE))
    order_id, _ = room_request(desk, T0)
    desk.decline(order_id, "ann", at(1))
    desk.set_workers((ANN, DEE, EVE), at(2))
    check(desk)
    assert set(desk.get(order_id).offers) == {"dee"}
    events = desk.decline(order_id, "dee", at(3))
    check(desk)
    assert summary(events) == [
        ("offer_declined", "offered", "dee"),
        ("transition", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "eve"),
    ]
    assert desk.get(order_id).offers == {"eve": at(3) + TIMEOUT}


def test_manager_dispatch_starts_a_new_round() -> None:
    desk = make_desk(workers=(ANN,))
    order_id, _ = room_request(desk, T0)
    events = desk.decline(order_id, "ann", at(1))
    assert summary(events)[-1] == ("escalated", "queued", None)
    events = desk.dispatch(order_id, at(2), "manager")
    check(desk)
    assert summary(events) == [
        ("transition", "offered", None),
        ("offered", "offered", "ann"),
    ]
    assert events[0].actor == "manager"
    assert not desk.get(order_id).escalated
    refused(desk, "order_not_queued", lambda: desk.dispatch(order_id, at(3)))
    events = desk.decline(order_id, "ann", at(4))
    assert summary(events)[-1] == ("escalated", "queued", None)


def test_escalates_at_creation_when_nobody_is_eligible() -> None:
    desk = make_desk()
    order_id, events = room_request(desk, T0, "wake_up_call")
    assert summary(events) == [
        ("transition", "queued", None),
        ("escalated", "queued", None),
    ]
    assert desk.get(order_id).escalated


def test_assign_while_offered_keeps_only_that_worker() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    desk.decline(order_id, "dee", at(1))
    events = desk.assign(order_id, "dee", "manager", at(2))
    check(desk)
    assert summary(events) == [
        ("offer_withdrawn", "offered", "ann"),
        ("offer_withdrawn", "offered", "eve"),
        ("offered", "offered", "dee"),
    ]
    assert {e.detail for e in events[:2]} == {"assigned_elsewhere"}
    order = desk.get(order_id)
    assert order.offers == {"dee": at(2) + TIMEOUT}
    assert "dee" not in order.excluded
    # Assigning the same worker again refreshes the deadline only.
    events = desk.assign(order_id, "dee", "manager", at(3))
    assert summary(events) == [("offered", "offered", "dee")]
    assert order.offers == {"dee": at(3) + TIMEOUT}
    check(desk)


# ------------------------------------------------------------------ round robin


def test_round_robin_rotates_and_persists_its_cursor() -> None:
    desk = make_desk(DispatchStrategy.ROUND_ROBIN)
    offered = []
    for minute in range(4):
        order_id, events = room_request(desk, at(minute))
        assert [e.kind for e in events].count(K.OFFERED) == 1
        offered.append(next(iter(desk.get(order_id).offers)))
    assert offered == ["ann", "dee", "eve", "ann"]
    assert desk.cursors == {Role.HOUSEKEEPING: "ann"}

    desk = restart(desk)
    order_id, _ = room_request(desk, at(5))
    assert list(desk.get(order_id).offers) == ["dee"]
    assert desk.to_dict()["cursors"] == {"housekeeping": "dee"}

    # A cursor naming a worker who is no longer configured starts from the top.
    fresh = OrderDesk(
        desk.routing, desk.policy, (DEE, EVE), cursors={Role.HOUSEKEEPING: "ann"}
    )
    order, _ = fresh.create("towels", "room:7", at(7), room="7")
    assert list(order.offers) == ["dee"]
    check(fresh)


def test_round_robin_decline_and_timeout_move_on_then_escalate() -> None:
    desk = make_desk(DispatchStrategy.ROUND_ROBIN)
    order_id, _ = room_request(desk, T0)
    order = desk.get(order_id)
    assert list(order.offers) == ["ann"]
    events = desk.decline(order_id, "ann", at(1))
    check(desk)
    assert summary(events) == [
        ("offer_declined", "offered", "ann"),
        ("transition", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "dee"),
    ]
    assert desk.next_deadline() == at(1) + TIMEOUT
    events = desk.expire_offers(at(1) + TIMEOUT)
    check(desk)
    assert summary(events)[-1] == ("offered", "offered", "eve")
    events = desk.expire_offers(at(20))
    check(desk)
    assert summary(events) == [
        ("offer_expired", "offered", "eve"),
        ("transition", "queued", None),
        ("escalated", "queued", None),
    ]
    assert order.excluded == {"ann", "dee", "eve"}


# ------------------------------------------------------------------ least loaded


def test_least_loaded_prefers_fewest_active_orders() -> None:
    desk = make_desk(DispatchStrategy.LEAST_LOADED)
    first, _ = room_request(desk, T0)
    assert list(desk.get(first).offers) == ["ann"]  # all zero: stable order
    second, _ = room_request(desk, at(1))
    assert list(desk.get(second).offers) == ["dee"]  # ann has a pending offer
    desk.accept(first, "ann", at(2))
    desk.accept(second, "dee", at(2))
    third, _ = room_request(desk, at(3))
    assert list(desk.get(third).offers) == ["eve"]
    desk.accept(third, "eve", at(4))
    desk.start(third, "eve", at(5))
    desk.start(first, "ann", at(5))
    desk.complete(first, "ann", at(6))
    assert desk.worker_load() == {"ann": 0, "bob": 0, "cid": 0, "dee": 1, "eve": 1}
    fourth, _ = room_request(desk, at(7))
    assert list(desk.get(fourth).offers) == ["ann"]
    check(desk)


# ------------------------------------------------------------------ manual


def test_manual_waits_for_assignment() -> None:
    desk = make_desk(DispatchStrategy.MANUAL)
    order_id, events = room_request(desk, T0)
    assert summary(events) == [("transition", "queued", None)]
    assert desk.dispatch_pending(at(1)) == []
    refused(desk, "worker_required", lambda: desk.dispatch(order_id, at(1)))
    refused(desk, "unknown_worker", lambda: desk.assign(order_id, "zed", "m", at(1)))
    refused(desk, "worker_off_duty", lambda: desk.assign(order_id, "bob", "m", at(1)))
    err = refused(
        desk, "worker_lacks_role", lambda: desk.assign(order_id, "cid", "m", at(1))
    )
    assert err.placeholders == {"worker": "cid", "role": "housekeeping"}

    events = desk.assign(order_id, "dee", "manager", at(1))
    check(desk)
    assert summary(events) == [
        ("transition", "offered", None),
        ("offered", "offered", "dee"),
    ]
    assert events[0].actor == "manager"
    events = desk.decline(order_id, "dee", at(2), "busy")
    check(desk)
    assert summary(events) == [
        ("offer_declined", "offered", "dee"),
        ("transition", "queued", None),
        ("escalated", "queued", None),
    ]
    assert events[-1].detail == "manual_dispatch"

    desk.assign(order_id, "ann", "manager", at(3))
    desk.accept(order_id, "ann", at(4))
    refused(desk, "order_not_queued", lambda: desk.assign(order_id, "dee", "m", at(5)))
    events = desk.give_back(order_id, "ann", at(5), "sick")
    check(desk)
    assert summary(events) == [
        ("transition", "queued", "ann"),
        ("escalated", "queued", None),
    ]
    assert events[0].detail == "sick"


def test_policy_change_applies_to_pending_orders() -> None:
    desk = make_desk(DispatchStrategy.MANUAL)
    order_id, _ = room_request(desk, T0)
    desk.set_policy(DispatchPolicy(DispatchStrategy.BROADCAST, timedelta(minutes=1)))
    events = desk.dispatch_pending(at(1))
    check(desk)
    assert [e.worker for e in events if e.kind is K.OFFERED] == ["ann", "dee", "eve"]
    assert desk.next_deadline() == at(2)
    assert desk.get(order_id).state is S.OFFERED


def test_policy_validation_and_round_trip() -> None:
    with pytest.raises(DoorServiceError) as err:
        DispatchPolicy(DispatchStrategy.BROADCAST, timedelta(0))
    assert err.value.translation_key == "invalid_acceptance_timeout"
    policy = DispatchPolicy(DispatchStrategy.ROUND_ROBIN, timedelta(seconds=90))
    data = json.loads(json.dumps(policy.to_dict()))
    assert data == {"strategy": "round_robin", "acceptance_timeout_seconds": 90.0}
    assert DispatchPolicy.from_dict(data) == policy
    assert DispatchPolicy().strategy is DispatchStrategy.BROADCAST
    assert [s.value for s in DispatchStrategy] == [
        "broadcast",
        "round_robin",
        "least_loaded",
        "manual",
    ]


# ------------------------------------------------------------------ give back, workers


def test_give_back_requeues_and_excludes_the_worker() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    desk.accept(order_id, "ann", at(1))
    events = desk.give_back(order_id, "ann", at(2))
    check(desk)
    assert summary(events) == [
        ("transition", "queued", "ann"),
        ("transition", "offered", None),
        ("offered", "offered", "dee"),
        ("offered", "offered", "eve"),
    ]
    assert events[0].actor == "worker:ann"
    order = desk.get(order_id)
    assert order.worker is None
    assert order.excluded == {"ann"}


def test_worker_removed_requeues_accepted_and_withdraws_offers() -> None:
    desk = make_desk()
    taken, _ = room_request(desk, T0)
    desk.accept(taken, "dee", at(1))
    working, _ = room_request(desk, at(2))
    desk.accept(working, "dee", at(3))
    desk.start(working, "dee", at(4))
    pending, _ = room_request(desk, at(5))
    only_dee, _ = room_request(desk, at(6))
    desk.decline(only_dee, "ann", at(6))
    desk.decline(only_dee, "eve", at(6))

    remaining = tuple(w for w in STAFF if w.id != "dee")
    events = desk.set_workers(remaining, at(7))
    check(desk)
    assert summary(events) == [
        ("offer_withdrawn", "offered", "dee"),  # pending: ann and eve still offered
        ("offer_withdrawn", "offered", "dee"),  # only_dee: last offer gone
        ("transition", "queued", None),
        ("escalated", "queued", None),
        ("transition", "queued", "dee"),  # taken: back to the queue
        ("transition", "offered", None),
        ("offered", "offered", "ann"),
        ("offered", "offered", "eve"),
    ]
    assert events[0].order_id == pending
    assert events[4].order_id == taken
    assert events[4].detail == "worker_removed"
    assert {e.detail for e in events[:2]} == {"worker_unavailable"}
    assert desk.get(working).worker == "dee"
    assert desk.get(working).state is S.IN_PROGRESS
    assert desk.get(taken).worker is None


def test_worker_removed_directly() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    desk.accept(order_id, "ann", at(1))
    desk.set_on_duty("ann", False, at(2))
    assert desk.get(order_id).worker == "ann"  # off duty keeps accepted work
    assert desk.worker_status("ann") is WorkerStatus.BUSY
    events = desk.worker_removed("ann", at(3))
    check(desk)
    assert summary(events) == [
        ("transition", "queued", "ann"),
        ("transition", "offered", None),
        ("offered", "offered", "dee"),
        ("offered", "offered", "eve"),
    ]
    assert desk.worker_removed("nobody", at(4)) == []


def test_on_duty_switch() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    assert desk.set_on_duty("ann", True, at(1)) == []
    events = desk.set_on_duty("ann", False, at(1))
    check(desk)
    assert summary(events) == [("offer_withdrawn", "offered", "ann")]
    assert desk.worker_status("ann") is WorkerStatus.OFF_DUTY
    assert "ann" not in desk.get(order_id).excluded
    refused(desk, "unknown_worker", lambda: desk.set_on_duty("zed", True, at(2)))
    refused(desk, "unknown_worker", lambda: desk.worker_status("zed"))
    events = desk.set_on_duty("ann", True, at(2))
    assert events == []  # still offered to others; nothing pending
    assert desk.worker_status("ann") is WorkerStatus.IDLE


def test_set_workers_with_off_duty_worker_and_duplicates() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    events = desk.set_workers((ANN, replace(DEE, on_duty=False), EVE), at(1))
    check(desk)
    assert summary(events) == [("offer_withdrawn", "offered", "dee")]
    assert set(desk.get(order_id).offers) == {"ann", "eve"}
    refused(desk, "duplicate_worker", lambda: desk.set_workers((ANN, ANN), at(2)))
    with pytest.raises(DoorServiceError):
        make_desk(workers=(ANN, ANN))


# ------------------------------------------------------------------ hold, cancel


def test_hold_and_release() -> None:
    desk = make_desk()
    order_id, events = room_request(desk, T0, hold_reason="do_not_disturb")
    assert summary(events) == [
        ("transition", "queued", None),
        ("held", "queued", None),
    ]
    order = desk.get(order_id)
    assert order.is_held
    assert desk.dispatch_pending(at(1)) == []
    refused(desk, "order_on_hold", lambda: desk.dispatch(order_id, at(1)))
    refused(desk, "order_on_hold", lambda: desk.assign(order_id, "ann", "m", at(1)))
    assert desk.hold(order_id, "do_not_disturb", at(1)) == []
    events = desk.hold(order_id, "guest_asleep", at(1))
    assert summary(events) == [("held", "queued", None)]

    events = desk.release(order_id, at(2), "room:101")
    check(desk)
    assert summary(events) == [
        ("released", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "ann"),
        ("offered", "offered", "dee"),
        ("offered", "offered", "eve"),
    ]
    assert events[0].detail == "guest_asleep"
    refused(desk, "order_not_held", lambda: desk.release(order_id, at(3)))
    refused(desk, "invalid_hold_reason", lambda: desk.hold(order_id, " ", at(3)))

    events = desk.hold(order_id, "do_not_disturb", at(3))
    check(desk)
    assert summary(events) == [
        ("held", "offered", None),
        ("offer_withdrawn", "offered", "ann"),
        ("offer_withdrawn", "offered", "dee"),
        ("offer_withdrawn", "offered", "eve"),
        ("transition", "queued", None),
    ]
    assert order.state is S.QUEUED
    assert desk.next_deadline() is None
    desk.release(order_id, at(4))
    desk.accept(order_id, "ann", at(5))
    refused(
        desk, "order_not_holdable", lambda: desk.hold(order_id, "do_not_disturb", at(6))
    )


def test_hold_while_awaiting_dropoff() -> None:
    desk = make_desk()
    order, _ = desk.create("standard_cleaning", "o", T0, address="a", has_key=True)
    desk.hold(order.id, "owner_home", at(1))
    events = desk.key_deposited(order.id, at(2))
    check(desk)
    assert summary(events) == [("transition", "queued", None)]
    events = desk.release(order.id, at(3))
    assert summary(events)[-1] == ("offered", "offered", "ann")
    desk2 = make_desk()
    order2, _ = desk2.create("standard_cleaning", "o", T0, address="a", has_key=True)
    desk2.hold(order2.id, "owner_home", at(1))
    assert summary(desk2.release(order2.id, at(2))) == [
        ("released", "awaiting_dropoff", None)
    ]


@pytest.mark.parametrize("state", [S.AWAITING_DROPOFF, S.QUEUED, S.OFFERED, S.ACCEPTED])
def test_cancel_before_in_progress(state: OrderState) -> None:
    desk = make_desk(
        DispatchStrategy.MANUAL if state is S.QUEUED else DispatchStrategy.BROADCAST
    )
    order_id = drive_to(desk, state)
    events = desk.cancel(order_id, "owner", at(50), "plans changed")
    check(desk)
    assert events[0].kind is K.TRANSITION
    assert events[0].previous_state is state
    assert events[0].state is S.CANCELLED
    assert events[0].detail == "plans changed"
    withdrawn = [e.worker for e in events if e.kind is K.OFFER_WITHDRAWN]
    assert withdrawn == (["ann", "dee", "eve"] if state is S.OFFERED else [])
    assert {e.detail for e in events[1:]} <= {"cancelled"}
    refused(desk, "order_not_cancellable", lambda: desk.cancel(order_id, "o", at(51)))
    refused(desk, "not_offered_to_worker", lambda: desk.accept(order_id, "ann", at(51)))


@pytest.mark.parametrize(
    "state", [S.IN_PROGRESS, S.AWAITING_RETURN, S.COMPLETED, S.CLOSED]
)
def test_cancel_refused_from_in_progress_on(state: OrderState) -> None:
    desk = make_desk()
    order_id = drive_to(desk, state)
    err = refused(
        desk, "order_not_cancellable", lambda: desk.cancel(order_id, "owner", at(50))
    )
    assert err.placeholders == {"order_id": order_id, "state": state.value}


# ------------------------------------------------------------------ create errors


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"service_type": "jacuzzi"}, "unknown_service_type"),
        ({"requester": "  "}, "invalid_requester"),
        ({"room": None}, "missing_location"),
        ({"room": ""}, "missing_location"),
        ({"quantity": 0}, "invalid_quantity"),
        ({"quantity": True}, "invalid_quantity"),
        ({"now": datetime(2026, 1, 1)}, "invalid_datetime"),
        ({"scheduled_start": datetime(2026, 1, 1)}, "invalid_datetime"),
        ({"scheduled_end": at(60)}, "invalid_schedule"),
        ({"scheduled_start": at(60), "scheduled_end": at(60)}, "invalid_schedule"),
        ({"hold_reason": ""}, "invalid_hold_reason"),
    ],
)
def test_create_refuses_bad_input(kwargs: dict[str, Any], key: str) -> None:
    desk = make_desk()
    arguments: dict[str, Any] = {
        "service_type": "towels",
        "requester": "room:101",
        "now": T0,
        "room": "101",
    } | kwargs
    refused(desk, key, lambda: desk.create(**arguments))
    assert len(desk.book) == 0


def test_removed_service_type_still_routes_by_the_order_role() -> None:
    desk = make_desk(DispatchStrategy.MANUAL)
    order_id, _ = room_request(desk, T0, "minibar")
    desk.catalog.remove("minibar")
    events = desk.assign(order_id, "dee", "manager", at(1))
    assert summary(events)[-1] == ("offered", "offered", "dee")
    check(desk)


def test_role_override_routes_at_creation() -> None:
    desk = make_desk(overrides={"towels": Role.MAINTENANCE})
    order_id, _ = room_request(desk, T0)
    assert desk.get(order_id).role is Role.MAINTENANCE
    assert list(desk.get(order_id).offers) == ["cid"]


# ------------------------------------------------------------------ restart


def drive_to(desk: OrderDesk, state: OrderState) -> str:
    """Create an order and walk it to ``state``, checking after every step.

    ``queued`` needs a manual desk (anything else offers at once).
    """
    keyed = state in {S.AWAITING_DROPOFF, S.AWAITING_RETURN, S.COMPLETED}
    order, _ = desk.create(
        "towels", "room:101", T0, room="101", contact_phone=PHONE, has_key=keyed
    )
    check(desk)
    steps: list[Callable[[], object]] = [
        lambda: desk.key_deposited(order.id, at(1)),
        lambda: desk.accept(order.id, "ann", at(2)),
        lambda: desk.start(order.id, "ann", at(3)),
        lambda: desk.complete(
            order.id, "ann", at(4), key_with_worker=state is S.AWAITING_RETURN
        ),
    ]
    if not keyed:
        steps.pop(0)
    for step in steps:
        if order.state is state:
            break
        step()
        check(desk)
    assert order.state is state
    return order.id


def finish(desk: OrderDesk, order_id: str, now: datetime) -> None:
    """Walk an order from wherever it is to its end, checking after every step."""
    order = desk.get(order_id)
    for _ in range(10):
        match order.state:
            case S.AWAITING_DROPOFF:
                desk.key_deposited(order_id, now)
            case S.QUEUED:
                desk.dispatch_pending(now)
            case S.OFFERED:
                desk.accept(order_id, next(iter(order.offers)), now)
            case S.ACCEPTED:
                desk.start(order_id, order.worker or "", now)
            case S.IN_PROGRESS:
                desk.complete(order_id, order.worker or "", now)
            case S.AWAITING_RETURN:
                desk.key_returned(order_id, now)
            case S.COMPLETED:
                desk.collected(order_id, now)
            case _:
                break
        check(desk)
    assert order.state in {S.CLOSED, S.CANCELLED}


@pytest.mark.parametrize("state", list(OrderState))
def test_restart_in_every_state_then_continue(state: OrderState) -> None:
    desk = make_desk(
        DispatchStrategy.MANUAL if state is S.QUEUED else DispatchStrategy.BROADCAST
    )
    if state is S.CANCELLED:
        order_id = drive_to(desk, S.OFFERED)
        desk.cancel(order_id, "owner", at(2))
        check(desk)
    else:
        order_id = drive_to(desk, state)
    before = desk.get(order_id)
    rebuilt = restart(desk)
    after = rebuilt.get(order_id)
    assert after == before
    # The phone number is erased when the order closes or is cancelled.
    assert after.contact_phone == (None if state in FINAL_STATES else PHONE)
    assert rebuilt.expire_offers(at(4)) == []
    rebuilt.set_policy(DispatchPolicy(DispatchStrategy.BROADCAST, TIMEOUT))
    finish(rebuilt, order_id, at(6))


def test_restart_fires_timeouts_that_passed_while_down() -> None:
    desk = make_desk(DispatchStrategy.ROUND_ROBIN)
    order_id, _ = room_request(desk, T0)
    assert desk.next_deadline() == T0 + TIMEOUT
    rebuilt = restart(desk)
    assert rebuilt.next_deadline() == T0 + TIMEOUT
    back = at(60)
    events = rebuilt.expire_offers(back)
    check(rebuilt)
    assert summary(events) == [
        ("offer_expired", "offered", "ann"),
        ("transition", "queued", None),
        ("transition", "offered", None),
        ("offered", "offered", "dee"),
    ]
    assert events[0].at == back
    assert rebuilt.next_deadline() == back + TIMEOUT
    rebuilt.accept(order_id, "dee", at(61))
    finish(rebuilt, order_id, at(62))


def test_partial_expiry_keeps_later_offers() -> None:
    desk = make_desk()
    first, _ = room_request(desk, T0)
    desk.assign(first, "ann", "manager", at(2))
    second, _ = room_request(desk, at(1))
    events = desk.expire_offers(at(6))
    check(desk)
    assert [(e.order_id, e.worker) for e in events if e.kind is K.OFFER_EXPIRED] == [
        (second, "ann"),
        (second, "dee"),
        (second, "eve"),
    ]
    assert desk.get(first).offers == {"ann": at(7)}


def test_clock_going_back_keeps_history_in_order() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, at(10))
    desk.accept(order_id, "ann", at(5))
    check(desk)
    assert desk.get(order_id).history[-1].at == at(10)


# ------------------------------------------------------------------ statistics


def test_response_time_statistics() -> None:
    desk = make_desk()
    assert desk.response_times(T0) == ResponseTimeStats(0, None, None)
    delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 30]
    for index, delay in enumerate(delays):
        created = at(index * 60)
        order_id, _ = room_request(desk, created)
        desk.accept(order_id, "ann", created + timedelta(minutes=delay))
    never, _ = room_request(desk, at(700))
    assert desk.get(never).accepted_at is None
    stats = desk.response_times(at(24 * 60))
    assert stats.count == 10
    assert stats.mean == timedelta(minutes=7.5)
    assert stats.p90 == timedelta(minutes=9)  # nearest rank: 9th of 10
    assert stats.window == timedelta(hours=24)
    assert desk.response_times(at(10 * 24 * 60)).count == 0
    assert desk.worker_load()["ann"] == 10


def test_response_times_window_is_incremental_and_restorable() -> None:
    # A 16 h window ending at 09:31 on the 22nd starts at 17:31 on the 21st:
    # only the last acceptance (18:30) is in it.
    times = ResponseTimes(timedelta(hours=16))
    pairs = [
        (at(i * 60), at(i * 60) + timedelta(minutes=d))
        for i, d in enumerate([1, 2, 30])
    ]
    pairs[-1] = (at(18 * 60), at(18 * 60 + 30))
    times.restore(reversed(pairs))  # any order
    late = times.snapshot(at(24 * 60 + 31))
    assert late == ResponseTimeStats(
        1, timedelta(minutes=30), timedelta(minutes=30), timedelta(hours=16)
    )
    assert len(times) == 1  # the others left the window for good
    # A clock that went back leaves out what is after ``now``.
    times.add(at(24 * 60 + 40), at(24 * 60 + 41))
    assert times.snapshot(at(24 * 60 + 35)).count == 1
    assert times.snapshot(at(24 * 60 + 45)).count == 2
    # Many samples: the window is compacted and stays exact.
    many = ResponseTimes()
    for minute in range(300):
        many.add(at(minute * 10), at(minute * 10) + timedelta(minutes=minute % 7))
    stats = many.snapshot(at(300 * 10))
    assert stats.count == 144  # accepted in (at(1560), at(3000)]
    assert len(many) < 300


def test_restored_desk_keeps_response_times() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, at(0))
    desk.accept(order_id, "ann", at(3))
    desk.give_back(order_id, "ann", at(4))
    desk.accept(order_id, next(iter(desk.get(order_id).offers)), at(9))
    assert desk.response_times(at(10)).mean == timedelta(minutes=3)
    again = OrderDesk.from_dict(desk.to_dict(), desk.routing, desk.policy, desk.workers)
    assert again.response_times(at(10)) == desk.response_times(at(10))


def test_worker_load_counts_removed_workers_too() -> None:
    desk = make_desk()
    order_id, _ = room_request(desk, T0)
    desk.accept(order_id, "eve", at(1))
    desk.start(order_id, "eve", at(2))
    desk.set_workers((ANN, DEE), at(3))
    assert desk.worker_load() == {"ann": 0, "dee": 0, "eve": 1}
    check(desk)
