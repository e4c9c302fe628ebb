"""Tests for orders, the lifecycle table and the order book."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
import itertools
import json
import random
import re

import pytest

from custom_components.doorservice.core.catalog import Role
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.orders import (
    CANCELLABLE_STATES,
    LEGAL_TRANSITIONS,
    ORDER_ID_ALPHABET,
    HistoryEntry,
    Order,
    OrderBook,
    OrderState,
    is_legal_transition,
)

T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
S = OrderState

# The lifecycle table of DESIGN.md, written out independently of the module.
TABLE: set[tuple[OrderState | None, OrderState]] = {
    (None, S.AWAITING_DROPOFF),
    (None, S.QUEUED),
    (S.AWAITING_DROPOFF, S.QUEUED),
    (S.QUEUED, S.OFFERED),
    (S.OFFERED, S.ACCEPTED),
    (S.OFFERED, S.QUEUED),
    (S.ACCEPTED, S.QUEUED),
    (S.ACCEPTED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.AWAITING_RETURN),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.AWAITING_RETURN, S.COMPLETED),
    (S.COMPLETED, S.CLOSED),
    (S.AWAITING_DROPOFF, S.CANCELLED),
    (S.QUEUED, S.CANCELLED),
    (S.OFFERED, S.CANCELLED),
    (S.ACCEPTED, S.CANCELLED),
}


def _order(order_id: str = "DS-2345", state: OrderState = S.QUEUED) -> Order:
    return Order(
        id=order_id,
        service_type="towels",
        role=Role.HOUSEKEEPING,
        requester="room:101",
        created_at=T0,
        state=state,
        room="101",
        contact_phone="+15551234567",
        history=[HistoryEntry(T0, None, state, "room:101")],
    )


def test_state_names_are_exactly_the_design() -> None:
    assert [s.value for s in OrderState] == [
        "awaiting_dropoff",
        "queued",
        "offered",
        "accepted",
        "in_progress",
        "awaiting_return",
        "completed",
        "closed",
        "cancelled",
    ]
    assert set(LEGAL_TRANSITIONS) == set(OrderState)
    cancellable = {S.AWAITING_DROPOFF, S.QUEUED, S.OFFERED, S.ACCEPTED}
    assert cancellable == CANCELLABLE_STATES


@pytest.mark.parametrize(
    ("previous", "target"),
    list(itertools.product([None, *OrderState], OrderState)),
)
def test_every_transition_legal_or_refused(
    previous: OrderState | None, target: OrderState
) -> None:
    legal = (previous, target) in TABLE
    assert is_legal_transition(previous, target) is legal
    if previous is None:
        return
    book = OrderBook([_order(state=previous)])
    order = book.get("DS-2345")
    later = T0 + timedelta(minutes=1)
    if legal:
        entry = book.transition(order, target, "tester", later, "why")
        assert entry == HistoryEntry(later, previous, target, "tester", "why")
        assert order.state is target
        assert order.history[-1] is entry
        assert order.updated_at == later
    else:
        with pytest.raises(DoorServiceError) as err:
            book.transition(order, target, "tester", later)
        assert err.value.translation_key == "illegal_transition"
        assert err.value.placeholders == {
            "order_id": "DS-2345",
            "state": previous.value,
            "target": target.value,
        }
        assert order.state is previous
        assert len(order.history) == 1


def test_history_never_goes_back_in_time() -> None:
    book = OrderBook([_order()])
    order = book.get("DS-2345")
    entry = book.transition(order, S.OFFERED, "system", T0 - timedelta(hours=1))
    assert entry.at == T0
    assert [e.at for e in order.history] == sorted(e.at for e in order.history)


def test_ids_are_short_unique_and_unambiguous() -> None:
    book = OrderBook(rng=random.Random(7))
    pattern = re.compile(rf"^DS-[{ORDER_ID_ALPHABET}]{{4}}$")
    for _ in range(300):
        order_id = book.new_id()
        assert pattern.match(order_id)
        assert order_id not in book
        book.add(_order(order_id))
    assert len(book) == 300
    for ambiguous in "01ILO":
        assert ambiguous not in ORDER_ID_ALPHABET


def test_new_id_skips_ids_in_use() -> None:
    first = OrderBook(rng=random.Random(3)).new_id()
    book = OrderBook([_order(first)], rng=random.Random(3))
    assert book.new_id() != first


def test_default_rng_makes_ids() -> None:
    assert OrderBook().new_id().startswith("DS-")


def test_get_and_add_errors() -> None:
    book = OrderBook([_order()])
    with pytest.raises(DoorServiceError) as err:
        book.get("DS-ZZZZ")
    assert err.value.translation_key == "unknown_order"
    with pytest.raises(DoorServiceError) as err:
        book.add(_order())
    assert err.value.translation_key == "duplicate_order"
    assert len(book) == 1


def test_queries() -> None:
    a = _order("DS-AAAA", S.QUEUED)
    b = _order("DS-BBBB", S.ACCEPTED)
    b.worker = "ann"
    b.room = "102"
    c = _order("DS-CCCC", S.CLOSED)
    c.service_type = "repair"
    d = _order("DS-DDDD", S.OFFERED)
    d.offers = {"bob": T0}
    book = OrderBook([a, b, c, d])
    assert [o.id for o in book] == ["DS-AAAA", "DS-BBBB", "DS-CCCC", "DS-DDDD"]
    assert book.by_state(S.ACCEPTED) == [b]
    assert book.query(worker="ann") == [b]
    assert book.query(room="101") == [a, c, d]
    assert book.query(service_types=["repair"]) == [c]
    assert book.query(states=[S.QUEUED, S.CLOSED], room="101") == [a, c]
    assert book.open_orders() == [a, b, d]
    assert book.offered_to("bob") == [d]
    assert book.offered_to("ann") == []


def test_order_properties_and_repr_hide_phone() -> None:
    order = _order()
    order.unit_price = Decimal("15.00")
    order.quantity = 3
    assert order.total_price == Decimal("45.00")
    assert order.is_open
    assert not order.is_held
    assert order.accepted_at is None
    assert "+1555" not in repr(order)
    held = _order("DS-HELD")
    held.hold_reason = "do_not_disturb"
    assert held.is_held
    book = OrderBook([order])
    book.transition(order, S.OFFERED, "system", T0 + timedelta(seconds=5))
    book.transition(order, S.ACCEPTED, "worker:ann", T0 + timedelta(seconds=70))
    book.transition(order, S.QUEUED, "worker:ann", T0 + timedelta(seconds=80))
    book.transition(order, S.OFFERED, "system", T0 + timedelta(seconds=90))
    book.transition(order, S.ACCEPTED, "worker:bob", T0 + timedelta(seconds=100))
    assert order.accepted_at == T0 + timedelta(seconds=70)


def test_updated_at_without_history() -> None:
    order = _order()
    order.history = []
    assert order.updated_at == T0


def test_round_trip_through_json() -> None:
    full = _order("DS-AAAA", S.OFFERED)
    full.address = "1 Main St"
    full.scheduled_start = T0 + timedelta(days=1)
    full.scheduled_end = T0 + timedelta(days=1, hours=2)
    full.message = "Ring twice"
    full.quantity = 2
    full.unit_price = Decimal("12.50")
    full.has_key = True
    full.offers = {"ann": T0 + timedelta(minutes=5), "bob": T0 + timedelta(minutes=5)}
    full.excluded = {"cid", "abe"}
    full.escalated = True
    full.hold_reason = "do_not_disturb"
    full.history.append(HistoryEntry(T0, S.QUEUED, S.OFFERED, "system", "note"))
    bare = _order("DS-BBBB", S.ACCEPTED)
    bare.worker = "ann"
    bare.contact_phone = None
    book = OrderBook([full, bare])
    data = json.loads(json.dumps(book.to_dict()))
    assert data["orders"][0]["unit_price"] == "12.50"
    assert data["orders"][0]["excluded"] == ["abe", "cid"]
    rebuilt = OrderBook.from_dict(data)
    assert rebuilt.to_dict() == book.to_dict()
    assert rebuilt.get("DS-AAAA") == full
    assert rebuilt.get("DS-BBBB") == bare


def test_from_dict_fills_defaults() -> None:
    data = {
        "id": "DS-AAAA",
        "service_type": "towels",
        "role": "housekeeping",
        "requester": "room:1",
        "created_at": T0.isoformat(),
        "state": "queued",
    }
    order = Order.from_dict(data)
    assert order.quantity == 1
    assert order.unit_price == Decimal(0)
    assert order.offers == {}
    assert order.excluded == set()
    assert order.history == []
    assert order.scheduled_start is None
