"""Orders, their lifecycle state machine and the order book of a site."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
import random
import secrets
from typing import Any

from .catalog import Role
from .errors import DoorServiceError

ORDER_ID_PREFIX = "DS-"
ORDER_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: nothing a worker could misread on a phone or a cabinet display."""
ORDER_ID_LENGTH = 4


class OrderState(StrEnum):
    """Where an order is in its lifecycle (DESIGN.md, "The order lifecycle")."""

    AWAITING_DROPOFF = "awaiting_dropoff"
    QUEUED = "queued"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    AWAITING_RETURN = "awaiting_return"
    COMPLETED = "completed"
    CLOSED = "closed"
    CANCELLED = "cancelled"


INITIAL_STATES: frozenset[OrderState] = frozenset(
    {OrderState.AWAITING_DROPOFF, OrderState.QUEUED}
)
"""The states a new order may start in (keyed bookings wait for the key)."""

CANCELLABLE_STATES: frozenset[OrderState] = frozenset(
    {
        OrderState.AWAITING_DROPOFF,
        OrderState.QUEUED,
        OrderState.OFFERED,
        OrderState.ACCEPTED,
    }
)
"""Every state before ``in_progress``; later orders can only be completed."""

LEGAL_TRANSITIONS: Mapping[OrderState, frozenset[OrderState]] = {
    OrderState.AWAITING_DROPOFF: frozenset({OrderState.QUEUED, OrderState.CANCELLED}),
    OrderState.QUEUED: frozenset({OrderState.OFFERED, OrderState.CANCELLED}),
    OrderState.OFFERED: frozenset(
        {OrderState.ACCEPTED, OrderState.QUEUED, OrderState.CANCELLED}
    ),
    OrderState.ACCEPTED: frozenset(
        {OrderState.QUEUED, OrderState.IN_PROGRESS, OrderState.CANCELLED}
    ),
    OrderState.IN_PROGRESS: frozenset(
        {OrderState.AWAITING_RETURN, OrderState.COMPLETED}
    ),
    OrderState.AWAITING_RETURN: frozenset({OrderState.COMPLETED}),
    OrderState.COMPLETED: frozenset({OrderState.CLOSED}),
    OrderState.CLOSED: frozenset(),
    OrderState.CANCELLED: frozenset(),
}
"""from -> allowed targets; exactly the lifecycle table of DESIGN.md."""

FINAL_STATES: frozenset[OrderState] = frozenset(
    {OrderState.CLOSED, OrderState.CANCELLED}
)
"""An order in one of these states is no longer open."""

WORKER_ACTIVE_STATES: frozenset[OrderState] = frozenset(
    {OrderState.ACCEPTED, OrderState.IN_PROGRESS, OrderState.AWAITING_RETURN}
)
"""States in which an order counts towards its worker's load."""


def is_legal_transition(previous: OrderState | None, target: OrderState) -> bool:
    """Return True when ``previous -> target`` is in the lifecycle table.

    ``previous`` is None for the creation of an order.
    """
    if previous is None:
        return target in INITIAL_STATES
    return target in LEGAL_TRANSITIONS[previous]


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _opt_dt(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _opt_iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One transition of an order: when, from where to where, who, and why."""

    at: datetime
    previous_state: OrderState | None
    state: OrderState
    actor: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "at": self.at.isoformat(),
            "previous_state": self.previous_state,
            "state": self.state.value,
            "actor": self.actor,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HistoryEntry:
        """Rebuild an entry from ``to_dict`` output."""
        previous = data["previous_state"]
        return cls(
            at=_dt(data["at"]),
            previous_state=None if previous is None else OrderState(previous),
            state=OrderState(data["state"]),
            actor=data["actor"],
            note=data.get("note"),
        )


@dataclass(slots=True)
class Order:
    """A cleaning booking or a room request, from creation to closed or cancelled.

    ``role`` is the role the order was routed to when it was created (used when its
    service type has since left the catalog). ``offers`` maps worker id -> acceptance
    deadline of the offers pending now; ``excluded`` are the workers who declined,
    timed out or gave it back in the current round (cleared when someone accepts).
    ``hold_reason`` (e.g. ``"do_not_disturb"``) keeps a queued order from being
    dispatched. ``contact_phone`` never appears in ``repr()``.
    """

    id: str
    service_type: str
    role: Role
    requester: str
    created_at: datetime
    state: OrderState
    room: str | None = None
    address: str | None = None
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    contact_phone: str | None = field(default=None, repr=False)
    message: str | None = None
    quantity: int = 1
    unit_price: Decimal = Decimal(0)
    has_key: bool = False
    worker: str | None = None
    offers: dict[str, datetime] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)
    escalated: bool = False
    hold_reason: str | None = None
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def total_price(self) -> Decimal:
        """Return what the order costs (unit price x quantity)."""
        return self.unit_price * self.quantity

    @property
    def is_open(self) -> bool:
        """Return True until the order is closed or cancelled."""
        return self.state not in FINAL_STATES

    @property
    def is_held(self) -> bool:
        """Return True while the order must not be dispatched."""
        return self.hold_reason is not None

    @property
    def accepted_at(self) -> datetime | None:
        """Return when the order was first accepted, if ever."""
        for entry in self.history:
            if entry.state is OrderState.ACCEPTED:
                return entry.at
        return None

    @property
    def response_time(self) -> timedelta | None:
        """Return created -> first accepted, if the order was accepted."""
        accepted_at = self.accepted_at
        return None if accepted_at is None else accepted_at - self.created_at

    @property
    def updated_at(self) -> datetime:
        """Return the time of the last transition."""
        return self.history[-1].at if self.history else self.created_at

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (the contact phone included: this is storage)."""
        return {
            "id": self.id,
            "service_type": self.service_type,
            "role": self.role.value,
            "requester": self.requester,
            "created_at": self.created_at.isoformat(),
            "state": self.state.value,
            "room": self.room,
            "address": self.address,
            "scheduled_start": _opt_iso(self.scheduled_start),
            "scheduled_end": _opt_iso(self.scheduled_end),
            "contact_phone": self.contact_phone,
            "message": self.message,
            "quantity": self.quantity,
            "unit_price": str(self.unit_price),
            "has_key": self.has_key,
            "worker": self.worker,
            "offers": {w: at.isoformat() for w, at in self.offers.items()},
            "excluded": sorted(self.excluded),
            "escalated": self.escalated,
            "hold_reason": self.hold_reason,
            "history": [entry.to_dict() for entry in self.history],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Order:
        """Rebuild an order from ``to_dict`` output."""
        return cls(
            id=data["id"],
            service_type=data["service_type"],
            role=Role(data["role"]),
            requester=data["requester"],
            created_at=_dt(data["created_at"]),
            state=OrderState(data["state"]),
            room=data.get("room"),
            address=data.get("address"),
            scheduled_start=_opt_dt(data.get("scheduled_start")),
            scheduled_end=_opt_dt(data.get("scheduled_end")),
            contact_phone=data.get("contact_phone"),
            message=data.get("message"),
            quantity=int(data.get("quantity", 1)),
            unit_price=Decimal(data.get("unit_price", "0")),
            has_key=bool(data.get("has_key", False)),
            worker=data.get("worker"),
            offers={w: _dt(at) for w, at in data.get("offers", {}).items()},
            excluded=set(data.get("excluded", ())),
            escalated=bool(data.get("escalated", False)),
            hold_reason=data.get("hold_reason"),
            history=[HistoryEntry.from_dict(e) for e in data.get("history", ())],
        )


class OrderBook:
    """Every order of a site, keyed by its short human id, in creation order."""

    __slots__ = ("_orders", "_rng")

    def __init__(
        self, orders: Collection[Order] = (), *, rng: random.Random | None = None
    ) -> None:
        """Create a book of ``orders``; ``rng`` makes ids deterministic in tests."""
        self._rng: random.Random = rng if rng is not None else secrets.SystemRandom()
        self._orders: dict[str, Order] = {order.id: order for order in orders}

    def __contains__(self, order_id: object) -> bool:
        """Return True when an order with that id exists."""
        return order_id in self._orders

    def __iter__(self) -> Iterator[Order]:
        """Iterate the orders in creation order."""
        return iter(tuple(self._orders.values()))

    def __len__(self) -> int:
        """Return the number of orders in the book."""
        return len(self._orders)

    def new_id(self) -> str:
        """Return a fresh id such as ``DS-7K2M``, unique within the book."""
        while True:
            suffix = "".join(
                self._rng.choice(ORDER_ID_ALPHABET) for _ in range(ORDER_ID_LENGTH)
            )
            order_id = ORDER_ID_PREFIX + suffix
            if order_id not in self._orders:
                return order_id

    def get(self, order_id: str) -> Order:
        """Return an order; raise ``unknown_order`` when there is none with that id."""
        try:
            return self._orders[order_id]
        except KeyError:
            raise DoorServiceError("unknown_order", order_id=order_id) from None

    def add(self, order: Order) -> None:
        """Add a new order (its id must be unused and its history legal)."""
        if order.id in self._orders:
            raise DoorServiceError("duplicate_order", order_id=order.id)
        self._orders[order.id] = order

    def query(
        self,
        *,
        states: Collection[OrderState] | None = None,
        worker: str | None = None,
        room: str | None = None,
        service_types: Collection[str] | None = None,
        open_only: bool = False,
    ) -> list[Order]:
        """Return the orders matching every given filter, in creation order."""
        return [
            order
            for order in self._orders.values()
            if (states is None or order.state in states)
            and (worker is None or order.worker == worker)
            and (room is None or order.room == room)
            and (service_types is None or order.service_type in service_types)
            and (not open_only or order.is_open)
        ]

    def by_state(self, state: OrderState) -> list[Order]:
        """Return the orders in ``state``."""
        return self.query(states=(state,))

    def open_orders(self) -> list[Order]:
        """Return the orders that are neither closed nor cancelled."""
        return self.query(open_only=True)

    def offered_to(self, worker_id: str) -> list[Order]:
        """Return the orders with an offer pending for ``worker_id``."""
        return [o for o in self._orders.values() if worker_id in o.offers]

    def transition(
        self,
        order: Order,
        target: OrderState,
        actor: str,
        now: datetime,
        note: str | None = None,
    ) -> HistoryEntry:
        """Move ``order`` to ``target`` and record it; refuse an illegal move.

        The entry's time never goes backwards: a clock that jumped back is clamped to
        the previous entry, so the history stays in time order.
        """
        if not is_legal_transition(order.state, target):
            raise DoorServiceError(
                "illegal_transition",
                order_id=order.id,
                state=order.state,
                target=target,
            )
        at = max(now, order.updated_at)
        entry = HistoryEntry(at, order.state, target, actor, note)
        order.history.append(entry)
        order.state = target
        return entry

    def forget(self, order_ids: Collection[str]) -> None:
        """Drop finished orders (closed or cancelled); open ones are refused."""
        for order_id in order_ids:
            if self.get(order_id).is_open:
                raise DoorServiceError("order_still_open", order_id=order_id)
        for order_id in order_ids:
            del self._orders[order_id]

    def prune(self, closed_before: datetime) -> list[str]:
        """Forget closed/cancelled orders whose last transition is older; return ids."""
        gone = [
            order.id
            for order in self._orders.values()
            if not order.is_open and order.updated_at < closed_before
        ]
        for order_id in gone:
            del self._orders[order_id]
        return gone

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict: ``{"orders": [...]}`` in creation order."""
        return {"orders": [order.to_dict() for order in self._orders.values()]}

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, rng: random.Random | None = None
    ) -> OrderBook:
        """Rebuild a book from ``to_dict`` output."""
        return cls([Order.from_dict(item) for item in data["orders"]], rng=rng)
