"""Domain events: one module, and the parts each event names."""

from __future__ import annotations

from datetime import UTC, datetime

from custom_components.doorservice.core.actors import (
    Actor,
    actor_worker_id,
    worker_actor,
)
from custom_components.doorservice.core.events import (
    CodeRejected,
    CompartmentAllocated,
    CompartmentSize,
    DndChanged,
    EntryKind,
    Holder,
    KeyMoved,
    LowStock,
    OrderEvent,
    OrderEventKind,
    Parts,
    touched,
)
from custom_components.doorservice.core.orders import OrderState

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_order_event_names_order_worker_and_room() -> None:
    event = OrderEvent(
        OrderEventKind.OFFERED,
        "DS-AAAA",
        NOW,
        OrderState.OFFERED,
        OrderState.OFFERED,
        worker="w1",
        room="101",
    )
    assert event.parts == Parts(
        orders=frozenset({"DS-AAAA"}),
        workers=frozenset({"w1"}),
        rooms=frozenset({"101"}),
    )


def test_room_is_not_compared() -> None:
    a = OrderEvent(OrderEventKind.HELD, "X", NOW, None, OrderState.QUEUED, room="1")
    b = OrderEvent(OrderEventKind.HELD, "X", NOW, None, OrderState.QUEUED)
    assert a == b


def test_key_moved_names_both_holders() -> None:
    event = KeyMoved(
        "DS-AAAA", NOW, Holder.compartment("c1", 3), Holder.worker("w2"), "worker:w2"
    )
    assert event.parts == Parts(
        orders=frozenset({"DS-AAAA"}),
        workers=frozenset({"w2"}),
        cabinets=frozenset({"c1"}),
        compartments=frozenset({("c1", 3)}),
    )


def test_touched_unions_a_batch() -> None:
    events = [
        CompartmentAllocated("c1", 2, "DS-AAAA", CompartmentSize.SMALL),
        LowStock("c2", "soap", 1, 2),
        DndChanged("101", NOW, on=True),
        CodeRejected("c1", "code_unknown", EntryKind.PIN, NOW),
    ]
    parts = touched(events)
    assert parts.orders == {"DS-AAAA"}
    assert parts.cabinets == {"c1", "c2"}
    assert parts.compartments == {("c1", 2)}
    assert parts.rooms == {"101"}
    assert not touched([])
    assert Parts(rooms=frozenset({"1"})) | Parts(rooms=frozenset({"2"})) == Parts(
        rooms=frozenset({"1", "2"})
    )


def test_actor_helpers() -> None:
    assert worker_actor("w1") == "worker:w1"
    assert actor_worker_id("worker:w1") == "w1"
    assert actor_worker_id("worker:") is None
    assert actor_worker_id("system") is None
    assert actor_worker_id(None) is None
    assert Actor.parse("worker:w1").is_worker
    assert not Actor.parse("owner").is_worker
    assert str(Actor.parse("owner")) == "owner"
