"""Orders, their lifecycle state machine and the order book of a site."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
import heapq
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

QUEUE_STATES: frozenset[OrderState] = frozenset(
    {OrderState.QUEUED, OrderState.OFFERED, OrderState.ACCEPTED}
)
"""States in which an order shows in its category's queue (waiting or just taken)."""

TODO_STATES: frozenset[OrderState] = WORKER_ACTIVE_STATES | {OrderState.OFFERED}
"""States in which an order shows on a worker's to-do list (their offers and work)."""

DEFAULT_QUEUE_LIMIT = 50
"""How many orders a category queue shows (the oldest; the total is counted)."""

OPEN_STATES: tuple[OrderState, ...] = tuple(
    state for state in OrderState if state not in FINAL_STATES
)
"""Every state of an open order, in lifecycle order."""


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
    dispatched. ``contact_phone`` never appears in ``repr()`` and is erased when the
    order closes or is cancelled. ``booked_by`` is the Home Assistant user id of who
    booked or requested it (None for automations and orders stored before it was
    kept): that user may see and cancel it.
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
    booked_by: str | None = None

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
            "booked_by": self.booked_by,
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
            booked_by=data.get("booked_by"),
        )


@dataclass(frozen=True, slots=True)
class QueueView:
    """The oldest orders of a queue, and how many there are in all."""

    orders: list[Order]
    total: int


class CreationOrdered:
    """A set of orders kept in creation order: O(log n) add/remove, no sorting.

    Each order is keyed by its creation sequence number in the book, so iterating
    yields the oldest first whatever order the orders joined the set in.
    """

    __slots__ = ("_keys", "_orders")

    def __init__(self) -> None:
        """Create an empty set."""
        self._keys: list[tuple[int, str]] = []
        self._orders: dict[str, Order] = {}

    def add(self, seq: int, order: Order) -> None:
        """Add an order (nothing when it is in already)."""
        if order.id not in self._orders:
            insort(self._keys, (seq, order.id))
            self._orders[order.id] = order

    def discard(self, seq: int, order_id: str) -> None:
        """Remove an order (nothing when it is not in)."""
        if self._orders.pop(order_id, None) is not None:
            del self._keys[bisect_left(self._keys, (seq, order_id))]

    def __contains__(self, order_id: object) -> bool:
        """Return True when the order is in."""
        return order_id in self._orders

    def __len__(self) -> int:
        """Return how many orders are in."""
        return len(self._orders)

    def __iter__(self) -> Iterator[Order]:
        """Iterate the orders oldest first (over a snapshot)."""
        return iter([self._orders[order_id] for _, order_id in self._keys])

    def keys(self) -> list[tuple[int, str]]:
        """Return the (sequence, id) keys, oldest first."""
        return self._keys

    def head(self, limit: int) -> list[Order]:
        """Return the ``limit`` oldest orders."""
        return [self._orders[order_id] for _, order_id in self._keys[:limit]]


type _Snapshot = tuple[OrderState, str | None, dict[str, datetime], bool]


class OrderBook:
    """Every order of a site, keyed by its short human id, in creation order.

    Besides the orders the book keeps indexes, so no query scans or sorts the whole
    book: orders per state, per worker (assigned, active, offered), per room, per
    service type while queued, the escalated ones, and a heap of offer deadlines.
    Change an order's state, worker, offers or escalation only inside
    :meth:`changing` (``transition`` does it itself), so the indexes follow.
    """

    __slots__ = (
        "_active",
        "_assigned",
        "_by_room",
        "_by_state",
        "_changing",
        "_deadlines",
        "_escalated",
        "_last_gone",
        "_next_seq",
        "_offer_count",
        "_offered",
        "_orders",
        "_queued_by_type",
        "_rng",
        "_seq",
    )

    def __init__(
        self, orders: Collection[Order] = (), *, rng: random.Random | None = None
    ) -> None:
        """Create a book of ``orders``; ``rng`` makes ids deterministic in tests."""
        self._rng: random.Random = rng if rng is not None else secrets.SystemRandom()
        self._orders: dict[str, Order] = {}
        self._seq: dict[str, int] = {}
        self._next_seq = 0
        self._by_state: dict[OrderState, CreationOrdered] = {
            state: CreationOrdered() for state in OrderState
        }
        self._assigned: dict[str, CreationOrdered] = {}
        self._active: dict[str, CreationOrdered] = {}
        self._offered: dict[str, CreationOrdered] = {}
        self._by_room: dict[str, CreationOrdered] = {}
        self._last_gone: dict[str, tuple[int, Order]] = {}
        """Per room, the newest order that left the book (its last request stays)."""
        self._queued_by_type: dict[str, CreationOrdered] = {}
        self._escalated = CreationOrdered()
        self._deadlines: list[tuple[datetime, int, str, str]] = []
        self._offer_count = 0
        self._changing: dict[str, _Snapshot] = {}
        for order in orders:
            self.add(order)

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

    def find(self, order_id: str) -> Order | None:
        """Return an order, or None when there is none with that id."""
        return self._orders.get(order_id)

    def add(self, order: Order) -> None:
        """Add a new order (its id must be unused and its history legal)."""
        if order.id in self._orders:
            raise DoorServiceError("duplicate_order", order_id=order.id)
        seq = self._next_seq
        self._next_seq += 1
        self._orders[order.id] = order
        self._seq[order.id] = seq
        if order.room is not None:
            self._member(self._by_room, order.room).add(seq, order)
        self._index(order, seq)
        self._push_offers(order, seq, {})

    # ------------------------------------------------------------------ indexes

    @staticmethod
    def _member(index: dict[str, CreationOrdered], key: str) -> CreationOrdered:
        members = index.get(key)
        if members is None:
            members = index[key] = CreationOrdered()
        return members

    @staticmethod
    def _leave(
        index: dict[str, CreationOrdered], key: str, seq: int, order_id: str
    ) -> None:
        members = index.get(key)
        if members is not None:
            members.discard(seq, order_id)
            if not members:
                del index[key]

    def _index(self, order: Order, seq: int) -> None:
        """Enter the order under its current state, worker, offers and escalation."""
        self._by_state[order.state].add(seq, order)
        if order.worker is not None:
            self._member(self._assigned, order.worker).add(seq, order)
            if order.state in WORKER_ACTIVE_STATES:
                self._member(self._active, order.worker).add(seq, order)
        for worker_id in order.offers:
            self._member(self._offered, worker_id).add(seq, order)
        self._offer_count += len(order.offers)
        if order.state in QUEUE_STATES:
            self._member(self._queued_by_type, order.service_type).add(seq, order)
        if order.escalated and order.is_open:
            self._escalated.add(seq, order)

    def _unindex(self, order_id: str, seq: int, snapshot: _Snapshot) -> None:
        """Leave the indexes the order was in when ``snapshot`` was taken."""
        state, worker, offers, _escalated = snapshot
        self._by_state[state].discard(seq, order_id)
        if worker is not None:
            self._leave(self._assigned, worker, seq, order_id)
            self._leave(self._active, worker, seq, order_id)
        for worker_id in offers:
            self._leave(self._offered, worker_id, seq, order_id)
        self._offer_count -= len(offers)
        order = self._orders[order_id]
        self._leave(self._queued_by_type, order.service_type, seq, order_id)
        self._escalated.discard(seq, order_id)

    def _push_offers(
        self, order: Order, seq: int, before: Mapping[str, datetime]
    ) -> None:
        for worker_id, deadline in order.offers.items():
            if before.get(worker_id) != deadline:
                heapq.heappush(self._deadlines, (deadline, seq, order.id, worker_id))
        if len(self._deadlines) > 64 and len(self._deadlines) > 4 * self._offer_count:
            self._deadlines = [e for e in self._deadlines if self._live(e)]
            heapq.heapify(self._deadlines)

    @staticmethod
    def _snapshot(order: Order) -> _Snapshot:
        return (order.state, order.worker, dict(order.offers), order.escalated)

    @contextmanager
    def changing(self, order: Order) -> Iterator[Order]:
        """Change an order's state, worker, offers or escalation inside this block.

        Blocks nest (the outermost one re-indexes); the indexes follow even when
        the block raises.
        """
        if order.id in self._changing or order.id not in self._orders:
            yield order
            return
        before = self._snapshot(order)
        self._changing[order.id] = before
        try:
            yield order
        finally:
            del self._changing[order.id]
            if before != self._snapshot(order):
                seq = self._seq[order.id]
                self._unindex(order.id, seq, before)
                self._index(order, seq)
                self._push_offers(order, seq, before[2])

    def _live(self, entry: tuple[datetime, int, str, str]) -> bool:
        deadline, _, order_id, worker_id = entry
        order = self._orders.get(order_id)
        return order is not None and order.offers.get(worker_id) == deadline

    # ------------------------------------------------------------------ queries

    def by_state(self, state: OrderState) -> list[Order]:
        """Return the orders in ``state``, oldest first."""
        return list(self._by_state[state])

    def count(self, state: OrderState) -> int:
        """Return how many orders are in ``state``."""
        return len(self._by_state[state])

    def in_states(self, states: Iterable[OrderState]) -> list[Order]:
        """Return the orders in any of ``states``, oldest first."""
        return self._merge([self._by_state[state] for state in set(states)])

    def open_orders(self) -> list[Order]:
        """Return the orders that are neither closed nor cancelled, oldest first."""
        return self.in_states(OPEN_STATES)

    def open_count(self) -> int:
        """Return how many orders are open."""
        return sum(len(self._by_state[state]) for state in OPEN_STATES)

    def offered_to(self, worker_id: str) -> list[Order]:
        """Return the orders with an offer pending for ``worker_id``, oldest first."""
        return list(self._offered.get(worker_id, ()))

    def offer_count(self, worker_id: str) -> int:
        """Return how many offers are pending for ``worker_id``."""
        members = self._offered.get(worker_id)
        return 0 if members is None else len(members)

    def assigned_to(self, worker_id: str) -> list[Order]:
        """Return the orders whose worker is ``worker_id`` (any state), oldest first."""
        return list(self._assigned.get(worker_id, ()))

    def active_of(self, worker_id: str) -> list[Order]:
        """Return the accepted/in-progress/awaiting-return orders of a worker."""
        return list(self._active.get(worker_id, ()))

    def active_count(self, worker_id: str) -> int:
        """Return how many active orders a worker holds (their load)."""
        members = self._active.get(worker_id)
        return 0 if members is None else len(members)

    def active_workers(self) -> set[str]:
        """Return the workers holding active orders."""
        return set(self._active)

    def offered_workers(self) -> set[str]:
        """Return the workers with pending offers."""
        return set(self._offered)

    def of_worker(self, worker_id: str) -> list[Order]:
        """Return the orders assigned or offered to a worker, oldest first."""
        return self._merge(
            [
                self._assigned.get(worker_id, CreationOrdered()),
                self._offered.get(worker_id, CreationOrdered()),
            ]
        )

    def todo_of(self, worker_id: str) -> list[Order]:
        """Return a worker's pending offers and active work, oldest first."""
        return [
            order
            for order in self._merge(
                [
                    self._active.get(worker_id, CreationOrdered()),
                    self._offered.get(worker_id, CreationOrdered()),
                ]
            )
            if order.state in TODO_STATES
        ]

    def of_room(self, room_id: str) -> list[Order]:
        """Return a room's orders (any state), oldest first."""
        return list(self._by_room.get(room_id, ()))

    def last_of_room(self, room_id: str) -> Order | None:
        """Return the room's most recent order (kept when it left the book)."""
        members = self._by_room.get(room_id)
        gone = self._last_gone.get(room_id)
        if not members:
            return gone[1] if gone else None
        seq, order_id = members.keys()[-1]
        if gone is not None and gone[0] > seq:
            return gone[1]
        return self._orders[order_id]

    def escalated(self) -> list[Order]:
        """Return the open orders that are escalated, oldest first."""
        return list(self._escalated)

    def queued_of_types(
        self, service_types: Iterable[str], limit: int
    ) -> tuple[list[Order], int]:
        """Return the oldest ``limit`` queued/offered/accepted orders of the types.

        Also returns how many there are in all.
        """
        parts = [
            members
            for service_type in set(service_types)
            if (members := self._queued_by_type.get(service_type)) is not None
        ]
        total = sum(len(members) for members in parts)
        return self._merge(parts, limit), total

    def _merge(
        self, parts: list[CreationOrdered], limit: int | None = None
    ) -> list[Order]:
        parts = [members for members in parts if members]
        if not parts:
            return []
        if len(parts) == 1:
            only = parts[0]
            return list(only) if limit is None else only.head(limit)
        result: list[Order] = []
        seen: set[str] = set()
        for _, order_id in heapq.merge(*(members.keys() for members in parts)):
            if limit is not None and len(result) >= limit:
                break
            if order_id not in seen:
                seen.add(order_id)
                result.append(self._orders[order_id])
        return result

    def query(
        self,
        *,
        states: Collection[OrderState] | None = None,
        worker: str | None = None,
        room: str | None = None,
        service_types: Collection[str] | None = None,
        open_only: bool = False,
    ) -> list[Order]:
        """Return the orders matching every given filter, in creation order.

        ``worker`` matches the order's assigned worker (not its offers).
        """
        if worker is not None:
            candidates = self.assigned_to(worker)
        elif room is not None:
            candidates = self.of_room(room)
        elif states is not None:
            candidates = self.in_states(states)
        elif open_only:
            candidates = self.open_orders()
        else:
            candidates = list(self._orders.values())
        return [
            order
            for order in candidates
            if (states is None or order.state in states)
            and (room is None or order.room == room)
            and (service_types is None or order.service_type in service_types)
            and (not open_only or order.is_open)
        ]

    # ------------------------------------------------------------------ deadlines

    def next_deadline(self) -> datetime | None:
        """Return the earliest pending offer deadline."""
        heap = self._deadlines
        while heap and not self._live(heap[0]):
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def expired_offers(self, now: datetime) -> list[tuple[Order, list[str]]]:
        """Return the offers whose deadline is at or before ``now``.

        Per order (oldest first): the workers in deadline order. The caller removes
        those offers (inside :meth:`changing`).
        """
        heap = self._deadlines
        found: dict[str, set[tuple[datetime, str]]] = {}
        while heap and heap[0][0] <= now:
            entry = heapq.heappop(heap)
            if self._live(entry):
                found.setdefault(entry[2], set()).add((entry[0], entry[3]))
        return [
            (self._orders[order_id], [worker for _, worker in sorted(offers)])
            for order_id, offers in sorted(
                found.items(), key=lambda item: self._seq[item[0]]
            )
        ]

    # ------------------------------------------------------------------ changes

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
        with self.changing(order):
            order.history.append(entry)
            order.state = target
        if target in FINAL_STATES:
            order.contact_phone = None  # nobody needs to call about it any more
        return entry

    def forget(self, order_ids: Collection[str]) -> None:
        """Drop finished orders (closed or cancelled); open ones are refused."""
        for order_id in order_ids:
            if self.get(order_id).is_open:
                raise DoorServiceError("order_still_open", order_id=order_id)
        for order_id in order_ids:
            order = self._orders[order_id]
            seq = self._seq[order_id]
            self._unindex(order_id, seq, self._snapshot(order))
            if order.room is not None:
                self._leave(self._by_room, order.room, seq, order_id)
                gone = self._last_gone.get(order.room)
                if gone is None or seq > gone[0]:
                    self._last_gone[order.room] = (seq, order)
            del self._orders[order_id]
            del self._seq[order_id]

    # ------------------------------------------------------------------ checks

    def index_violations(self) -> list[str]:
        """Compare every index with a recomputation from the orders (for tests)."""
        problems: list[str] = []

        def check(name: str, got: Iterable[Order], want: Iterable[Order]) -> None:
            got_ids = [o.id for o in got]
            want_ids = [o.id for o in want]
            if got_ids != want_ids:
                problems.append(f"{name}: {got_ids} != {want_ids}")

        orders = list(self._orders.values())
        for state in OrderState:
            check(
                f"state {state}",
                self._by_state[state],
                [o for o in orders if o.state is state],
            )
        workers = {o.worker for o in orders if o.worker} | {
            w for o in orders for w in o.offers
        }
        for worker in (
            workers | set(self._assigned) | set(self._offered) | set(self._active)
        ):
            check(
                f"assigned {worker}",
                self._assigned.get(worker, ()),
                [o for o in orders if o.worker == worker],
            )
            check(
                f"active {worker}",
                self._active.get(worker, ()),
                [
                    o
                    for o in orders
                    if o.worker == worker and o.state in WORKER_ACTIVE_STATES
                ],
            )
            check(
                f"offered {worker}",
                self._offered.get(worker, ()),
                [o for o in orders if worker in o.offers],
            )
        rooms = {o.room for o in orders if o.room} | set(self._by_room)
        for room in rooms:
            check(
                f"room {room}",
                self._by_room.get(room, ()),
                [o for o in orders if o.room == room],
            )
        types = {o.service_type for o in orders} | set(self._queued_by_type)
        for service_type in types:
            check(
                f"queue {service_type}",
                self._queued_by_type.get(service_type, ()),
                [
                    o
                    for o in orders
                    if o.service_type == service_type and o.state in QUEUE_STATES
                ],
            )
        check(
            "escalated",
            self._escalated,
            [o for o in orders if o.escalated and o.is_open],
        )
        deadlines = [d for o in orders for d in o.offers.values()]
        if self.next_deadline() != min(deadlines, default=None):
            problems.append("next deadline")
        if self._offer_count != sum(len(o.offers) for o in orders):
            problems.append("offer count")
        return problems

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict: ``{"orders": [...]}`` in creation order."""
        return {"orders": [order.to_dict() for order in self._orders.values()]}

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, rng: random.Random | None = None
    ) -> OrderBook:
        """Rebuild a book from ``to_dict`` output."""
        return cls([Order.from_dict(item) for item in data["orders"]], rng=rng)
