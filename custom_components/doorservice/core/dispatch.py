"""The order desk: creating orders, dispatching them to workers, and every step after.

``OrderDesk`` is the one façade the Home Assistant glue calls. Every operation
validates everything first and raises ``DoorServiceError`` without changing anything
on bad input; on success it returns the ``OrderEvent`` list describing what happened,
in order (transitions, offers, withdrawals, escalations).

Dispatch rules:

* A *round* starts when an order becomes dispatchable (created, key deposited, given
  back, released from a hold, requeued because its worker left, or a manager runs the
  dispatch again) and ends when a worker accepts. Workers who decline, time out or give
  the order back are excluded for the rest of the round.
* ``broadcast`` offers every eligible worker at once (first accept wins, the other
  offers are withdrawn); ``round_robin`` offers one worker at a time, rotating per
  role; ``least_loaded`` offers the worker with the fewest active orders (ties: fewer
  pending offers, then configuration order); ``manual`` offers nobody.
* When every offer of an order is declined or timed out it goes back to ``queued`` and
  is offered to the next eligible workers; when none is left it is *escalated*: it
  stays ``queued``, ``escalated`` is set and one ``escalated`` event fires per round.
  Under ``manual`` an order whose manager assignment was declined, timed out or given
  back escalates at once (nobody else will be offered it automatically).
* A manager's ``assign`` *offers* the order to that single worker (DESIGN.md: a
  manager assigns -> ``offered``); the worker still accepts or declines, and the offer
  has the same acceptance timeout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
import random
from typing import Any

from .actors import ACTOR_CABINET, ACTOR_SYSTEM, worker_actor
from .catalog import Role, ServiceCatalog
from .errors import DoorServiceError
from .events import OrderEvent, OrderEventKind
from .orders import (
    CANCELLABLE_STATES,
    WORKER_ACTIVE_STATES,
    HistoryEntry,
    Order,
    OrderBook,
    OrderState,
)
from .routing import RoutingTable
from .statistics import ResponseTimes, ResponseTimeStats
from .workers import Worker, WorkerStatus

STORAGE_VERSION = 1

_TAKEN_STATES = WORKER_ACTIVE_STATES | {OrderState.COMPLETED, OrderState.CLOSED}
_HOLDABLE_STATES = frozenset(
    {OrderState.AWAITING_DROPOFF, OrderState.QUEUED, OrderState.OFFERED}
)
_ASSIGNABLE_STATES = frozenset({OrderState.QUEUED, OrderState.OFFERED})


class DispatchStrategy(StrEnum):
    """How a queued order finds a worker."""

    BROADCAST = "broadcast"
    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    MANUAL = "manual"


@dataclass(frozen=True, slots=True)
class DispatchPolicy:
    """The dispatch strategy of a site and how long a worker has to accept."""

    strategy: DispatchStrategy = DispatchStrategy.BROADCAST
    acceptance_timeout: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        """Refuse a timeout that is not positive."""
        if self.acceptance_timeout <= timedelta(0):
            raise DoorServiceError(
                "invalid_acceptance_timeout",
                seconds=self.acceptance_timeout.total_seconds(),
            )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "strategy": self.strategy.value,
            "acceptance_timeout_seconds": self.acceptance_timeout.total_seconds(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DispatchPolicy:
        """Rebuild a policy from ``to_dict`` output."""
        return cls(
            DispatchStrategy(data["strategy"]),
            timedelta(seconds=float(data["acceptance_timeout_seconds"])),
        )


class OrderDesk:
    """The orders of one site and their dispatch; the façade the glue calls.

    ``workers`` is the current list from configuration, in a stable order that
    round-robin and tie-breaks follow; only ``on_duty`` changes at runtime.
    """

    __slots__ = (
        "_book",
        "_cursors",
        "_policy",
        "_response_times",
        "_routing",
        "_workers",
    )

    def __init__(
        self,
        routing: RoutingTable,
        policy: DispatchPolicy | None = None,
        workers: Sequence[Worker] = (),
        *,
        book: OrderBook | None = None,
        cursors: Mapping[Role, str] | None = None,
        rng: random.Random | None = None,
        response_times: ResponseTimes | None = None,
    ) -> None:
        """Create a desk; ``rng`` makes order ids deterministic in tests."""
        self._routing = routing
        self._policy = policy if policy is not None else DispatchPolicy()
        self._workers: tuple[Worker, ...] = self._checked_workers(workers)
        self._book = book if book is not None else OrderBook(rng=rng)
        self._cursors: dict[Role, str] = dict(cursors or {})
        self._response_times = (
            response_times if response_times is not None else ResponseTimes()
        )

    # ------------------------------------------------------------------ accessors

    @property
    def book(self) -> OrderBook:
        """Return the order book (read it; change orders only through the desk)."""
        return self._book

    @property
    def routing(self) -> RoutingTable:
        """Return the routing table."""
        return self._routing

    @property
    def catalog(self) -> ServiceCatalog:
        """Return the service catalog."""
        return self._routing.catalog

    @property
    def policy(self) -> DispatchPolicy:
        """Return the dispatch policy."""
        return self._policy

    @property
    def workers(self) -> tuple[Worker, ...]:
        """Return the workers in configuration order."""
        return self._workers

    @property
    def cursors(self) -> dict[Role, str]:
        """Return the round-robin cursors: role -> last worker offered."""
        return dict(self._cursors)

    def get(self, order_id: str) -> Order:
        """Return an order; raise ``unknown_order``."""
        return self._book.get(order_id)

    def find(self, order_id: str) -> Order | None:
        """Return an order, or None."""
        return self._book.find(order_id)

    def room_orders(self, room_id: str) -> list[Order]:
        """Return a room's orders (any state), oldest first."""
        return self._book.of_room(room_id)

    def last_request(self, room_id: str) -> Order | None:
        """Return a room's most recent order."""
        return self._book.last_of_room(room_id)

    def worker(self, worker_id: str) -> Worker:
        """Return a configured worker; raise ``unknown_worker``."""
        for worker in self._workers:
            if worker.id == worker_id:
                return worker
        raise DoorServiceError("unknown_worker", worker=worker_id)

    def set_policy(self, policy: DispatchPolicy) -> None:
        """Use ``policy`` from now on (call ``dispatch_pending`` to apply it)."""
        self._policy = policy

    def next_deadline(self) -> datetime | None:
        """Return the earliest pending acceptance deadline (for the glue's timer)."""
        return self._book.next_deadline()

    # ------------------------------------------------------------------ workers

    @staticmethod
    def _checked_workers(workers: Sequence[Worker]) -> tuple[Worker, ...]:
        seen: set[str] = set()
        for worker in workers:
            if worker.id in seen:
                raise DoorServiceError("duplicate_worker", worker=worker.id)
            seen.add(worker.id)
        return tuple(workers)

    def set_workers(self, workers: Sequence[Worker], now: datetime) -> list[OrderEvent]:
        """Replace the worker list (configuration changed) and settle the orders.

        Removed workers are handled as ``worker_removed``; workers now off duty lose
        their pending offers; then queued orders are dispatched to whoever is new.
        """
        new_workers = self._checked_workers(workers)
        new_by_id = {w.id: w for w in new_workers}
        self._workers = new_workers
        events: list[OrderEvent] = []
        for worker_id in sorted(self._known_worker_ids() - set(new_by_id)):
            events += self._remove_worker(worker_id, now, requeue_accepted=True)
        for worker in new_workers:
            if not worker.on_duty:
                events += self._remove_worker(worker.id, now, requeue_accepted=False)
        events += self.dispatch_pending(now)
        return events

    def _known_worker_ids(self) -> set[str]:
        ids = self._book.offered_workers()
        for worker_id in self._book.active_workers() - ids:
            if any(
                order.state is OrderState.ACCEPTED
                for order in self._book.active_of(worker_id)
            ):
                ids.add(worker_id)
        return ids

    def set_on_duty(
        self, worker_id: str, on_duty: bool, now: datetime
    ) -> list[OrderEvent]:
        """Switch a worker on or off duty.

        Off duty: their pending offers are withdrawn (accepted orders stay theirs).
        On duty: queued orders are dispatched again.
        """
        current = self.worker(worker_id)
        self._workers = tuple(
            replace(w, on_duty=on_duty) if w.id == worker_id else w
            for w in self._workers
        )
        if current.on_duty == on_duty:
            return []
        if on_duty:
            return self.dispatch_pending(now)
        return self._remove_worker(worker_id, now, requeue_accepted=False)

    def worker_removed(self, worker_id: str, now: datetime) -> list[OrderEvent]:
        """Settle the orders of a worker who is gone from the configuration.

        Their offers are withdrawn; their accepted (not yet started) orders go back to
        ``queued`` and are dispatched again. Orders already in progress stay theirs.
        The worker should already be absent from (or off duty in) the worker list.
        """
        return self._remove_worker(worker_id, now, requeue_accepted=True)

    def _remove_worker(
        self, worker_id: str, now: datetime, *, requeue_accepted: bool
    ) -> list[OrderEvent]:
        events: list[OrderEvent] = []
        for order in self._book.offered_to(worker_id):
            with self._book.changing(order):
                del order.offers[worker_id]
                events.append(
                    self._event(
                        OrderEventKind.OFFER_WITHDRAWN,
                        order,
                        now,
                        worker=worker_id,
                        actor=ACTOR_SYSTEM,
                        detail="worker_unavailable",
                    )
                )
                if not order.offers:
                    events += self._end_round(order, now)
        if requeue_accepted:
            for order in self._book.query(
                states=(OrderState.ACCEPTED,), worker=worker_id
            ):
                with self._book.changing(order):
                    order.worker = None
                    order.excluded = {worker_id}
                    order.escalated = False
                    events.append(
                        self._transition(
                            order,
                            OrderState.QUEUED,
                            ACTOR_SYSTEM,
                            now,
                            "worker_removed",
                            worker=worker_id,
                        )
                    )
                    events += self._auto_dispatch(order, now, requeued=True)
        return events

    # ------------------------------------------------------------------ creation

    def create(
        self,
        service_type: str,
        requester: str,
        now: datetime,
        *,
        room: str | None = None,
        address: str | None = None,
        scheduled_start: datetime | None = None,
        scheduled_end: datetime | None = None,
        contact_phone: str | None = None,
        message: str | None = None,
        quantity: int = 1,
        has_key: bool = False,
        hold_reason: str | None = None,
        actor: str | None = None,
        booked_by: str | None = None,
    ) -> tuple[Order, list[OrderEvent]]:
        """Book a cleaning or raise a room request.

        A keyed order starts in ``awaiting_dropoff`` (the cabinet layer calls
        ``key_deposited``); any other starts ``queued`` and is dispatched at once
        unless it is held or the strategy is ``manual``. ``actor`` defaults to the
        requester.
        """
        kind = self.catalog.get(service_type)
        if not requester.strip():
            raise DoorServiceError("invalid_requester")
        if not (room or address):
            raise DoorServiceError("missing_location")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise DoorServiceError("invalid_quantity", quantity=quantity)
        for name, value in (
            ("now", now),
            ("scheduled_start", scheduled_start),
            ("scheduled_end", scheduled_end),
        ):
            if value is not None and value.utcoffset() is None:
                raise DoorServiceError("invalid_datetime", field=name)
        if scheduled_end is not None and (
            scheduled_start is None or scheduled_end <= scheduled_start
        ):
            raise DoorServiceError(
                "invalid_schedule", start=scheduled_start, end=scheduled_end
            )
        if hold_reason is not None and not hold_reason.strip():
            raise DoorServiceError("invalid_hold_reason")

        state = OrderState.AWAITING_DROPOFF if has_key else OrderState.QUEUED
        who = actor or requester
        order = Order(
            id=self._book.new_id(),
            service_type=kind.id,
            role=self._routing.role_for(kind),
            requester=requester,
            created_at=now,
            state=state,
            room=room,
            address=address,
            scheduled_start=scheduled_start,
            scheduled_end=scheduled_end,
            contact_phone=contact_phone,
            message=message,
            quantity=quantity,
            unit_price=kind.price,
            has_key=has_key,
            hold_reason=hold_reason,
            history=[HistoryEntry(now, None, state, who, None)],
            booked_by=booked_by,
        )
        self._book.add(order)
        events = [
            OrderEvent(
                OrderEventKind.TRANSITION,
                order.id,
                now,
                None,
                state,
                None,
                who,
                room=order.room,
            )
        ]
        if hold_reason is not None:
            events.append(
                self._event(
                    OrderEventKind.HELD, order, now, actor=who, detail=hold_reason
                )
            )
        if state is OrderState.QUEUED:
            events += self._auto_dispatch(order, now)
        return order, events

    # ------------------------------------------------------------------ dispatch

    def dispatch(
        self, order_id: str, now: datetime, actor: str = ACTOR_SYSTEM
    ) -> list[OrderEvent]:
        """Run the strategy for a queued order (``assign_order`` without a worker).

        This starts a new round: earlier declines no longer exclude anyone. Under the
        ``manual`` strategy a worker must be named (``assign``).
        """
        order = self._book.get(order_id)
        with self._book.changing(order):
            self._require_assignable(order, (OrderState.QUEUED,))
            if self._policy.strategy is DispatchStrategy.MANUAL:
                raise DoorServiceError("worker_required", order_id=order.id)
            order.excluded = set()
            order.escalated = False
            return self._auto_dispatch(order, now, actor)

    def dispatch_pending(self, now: datetime) -> list[OrderEvent]:
        """Dispatch every queued, unheld order without offers (after config changes).

        An order that is already escalated and still has nobody to go to stays quiet.
        """
        events: list[OrderEvent] = []
        for order in self._book.by_state(OrderState.QUEUED):
            if not order.is_held:
                events += self._auto_dispatch(order, now)
        return events

    def assign(
        self, order_id: str, worker_id: str, actor: str, now: datetime
    ) -> list[OrderEvent]:
        """Offer the order to that one worker (a manager's choice).

        Other pending offers are withdrawn; the worker is no longer excluded. The
        worker must be configured, on duty and hold the order's role.
        """
        order = self._book.get(order_id)
        with self._book.changing(order):
            self._require_assignable(order, _ASSIGNABLE_STATES)
            worker = self.worker(worker_id)
            if not worker.on_duty:
                raise DoorServiceError("worker_off_duty", worker=worker_id)
            role = self._role(order)
            if not worker.has_role(role):
                raise DoorServiceError("worker_lacks_role", worker=worker_id, role=role)

            events = self._withdraw_offers(
                order, now, actor, "assigned_elsewhere", keep=worker_id
            )
            order.excluded.discard(worker_id)
            order.escalated = False
            order.offers.pop(worker_id, None)
            events += self._offer(order, [worker], now, actor)
            return events

    def _require_assignable(self, order: Order, states: Iterable[OrderState]) -> None:
        if order.state not in states:
            raise DoorServiceError(
                "order_not_queued", order_id=order.id, state=order.state
            )
        if order.is_held:
            raise DoorServiceError(
                "order_on_hold", order_id=order.id, reason=order.hold_reason
            )

    def _role(self, order: Order) -> Role:
        if order.service_type in self.catalog:
            return self._routing.role_for(order.service_type)
        return order.role

    def _auto_dispatch(
        self,
        order: Order,
        now: datetime,
        actor: str = ACTOR_SYSTEM,
        *,
        requeued: bool = False,
    ) -> list[OrderEvent]:
        """Offer a queued, unheld order without offers per the strategy, or escalate.

        ``requeued``: the order came back (offers gone, given back, worker gone);
        under ``manual`` that escalates, since nobody will be offered it otherwise.
        """
        with self._book.changing(order):
            if order.is_held or order.offers:
                return []
            strategy = self._policy.strategy
            if strategy is DispatchStrategy.MANUAL:
                if requeued:
                    return self._escalate(order, now, "manual_dispatch")
                return []
            role = self._role(order)
            candidates = [
                w
                for w in self._routing.workers_for_role(role, self._workers)
                if w.id not in order.excluded
            ]
            if not candidates:
                return self._escalate(order, now, "no_eligible_worker")
            if strategy is DispatchStrategy.BROADCAST:
                chosen = candidates
            elif strategy is DispatchStrategy.ROUND_ROBIN:
                chosen = [self._next_in_rotation(role, candidates)]
                self._cursors[role] = chosen[0].id
            else:
                chosen = [self._least_loaded(candidates)]
            return self._offer(order, chosen, now, actor)

    def _next_in_rotation(self, role: Role, candidates: list[Worker]) -> Worker:
        position = {w.id: index for index, w in enumerate(self._workers)}
        cursor = position.get(self._cursors.get(role, ""), -1)
        for worker in candidates:
            if position[worker.id] > cursor:
                return worker
        return candidates[0]

    def _least_loaded(self, candidates: list[Worker]) -> Worker:
        book = self._book
        return min(
            candidates,
            key=lambda w: (book.active_count(w.id), book.offer_count(w.id)),
        )

    def _offer(
        self, order: Order, workers: Sequence[Worker], now: datetime, actor: str
    ) -> list[OrderEvent]:
        with self._book.changing(order):
            events: list[OrderEvent] = []
            if order.state is OrderState.QUEUED:
                events.append(self._transition(order, OrderState.OFFERED, actor, now))
            deadline = max(now, order.updated_at) + self._policy.acceptance_timeout
            for worker in workers:
                order.offers[worker.id] = deadline
                events.append(
                    self._event(
                        OrderEventKind.OFFERED,
                        order,
                        now,
                        worker=worker.id,
                        actor=actor,
                        detail=deadline.isoformat(),
                    )
                )
            return events

    def _escalate(self, order: Order, now: datetime, reason: str) -> list[OrderEvent]:
        with self._book.changing(order):
            if order.escalated:
                return []
            order.escalated = True
            return [
                self._event(
                    OrderEventKind.ESCALATED,
                    order,
                    now,
                    actor=ACTOR_SYSTEM,
                    detail=reason,
                )
            ]

    def _end_round(self, order: Order, now: datetime) -> list[OrderEvent]:
        """Every offer is gone: back to queued and on to the next workers."""
        events = [self._transition(order, OrderState.QUEUED, ACTOR_SYSTEM, now)]
        return events + self._auto_dispatch(order, now, requeued=True)

    def _withdraw_offers(
        self,
        order: Order,
        now: datetime,
        actor: str,
        reason: str,
        keep: str | None = None,
    ) -> list[OrderEvent]:
        with self._book.changing(order):
            events: list[OrderEvent] = []
            for worker_id in list(order.offers):
                if worker_id == keep:
                    continue
                del order.offers[worker_id]
                events.append(
                    self._event(
                        OrderEventKind.OFFER_WITHDRAWN,
                        order,
                        now,
                        worker=worker_id,
                        actor=actor,
                        detail=reason,
                    )
                )
            return events

    # ------------------------------------------------------------------ offers

    def accept(self, order_id: str, worker_id: str, now: datetime) -> list[OrderEvent]:
        """Take an order offered to this worker; the first accept wins.

        The other offers are withdrawn. A later accept gets ``order_already_taken``;
        a worker it was not offered to gets ``not_offered_to_worker``. An offer whose
        deadline passed but that ``expire_offers`` has not yet handled still counts.
        """
        order = self._book.get(order_id)
        with self._book.changing(order):
            if order.state in _TAKEN_STATES:
                raise DoorServiceError(
                    "order_already_taken", order_id=order.id, worker=order.worker
                )
            self._require_offer(order, worker_id)
            first = order.accepted_at is None
            order.worker = worker_id
            events = [
                self._transition(
                    order, OrderState.ACCEPTED, worker_actor(worker_id), now
                )
            ]
            if first:
                self._response_times.add(order.created_at, events[0].at)
            events += self._withdraw_offers(
                order, now, ACTOR_SYSTEM, "accepted_by_other", keep=worker_id
            )
            order.offers = {}
            order.excluded = set()
            order.escalated = False
            return events

    def _require_offer(self, order: Order, worker_id: str) -> None:
        if order.state is not OrderState.OFFERED or worker_id not in order.offers:
            raise DoorServiceError(
                "not_offered_to_worker", order_id=order.id, worker=worker_id
            )

    def decline(
        self, order_id: str, worker_id: str, now: datetime, reason: str | None = None
    ) -> list[OrderEvent]:
        """Turn down an offer; when nobody else holds one, re-offer or escalate."""
        order = self._book.get(order_id)
        with self._book.changing(order):
            self._require_offer(order, worker_id)
            del order.offers[worker_id]
            order.excluded.add(worker_id)
            events = [
                self._event(
                    OrderEventKind.OFFER_DECLINED,
                    order,
                    now,
                    worker=worker_id,
                    actor=worker_actor(worker_id),
                    detail=reason,
                )
            ]
            if not order.offers:
                events += self._end_round(order, now)
            return events

    def expire_offers(self, now: datetime) -> list[OrderEvent]:
        """Time out every offer whose deadline is at or before ``now`` (like declines).

        Call it when the timer from ``next_deadline`` fires, and right after a
        restart so timeouts that passed while down take effect.
        """
        events: list[OrderEvent] = []
        for order, workers in self._book.expired_offers(now):
            if order.state is not OrderState.OFFERED:
                continue
            with self._book.changing(order):
                for worker_id in workers:
                    deadline = order.offers.pop(worker_id)
                    order.excluded.add(worker_id)
                    events.append(
                        self._event(
                            OrderEventKind.OFFER_EXPIRED,
                            order,
                            now,
                            worker=worker_id,
                            actor=ACTOR_SYSTEM,
                            detail=deadline.isoformat(),
                        )
                    )
                if not order.offers:
                    events += self._end_round(order, now)
        return events

    # ------------------------------------------------------------------ the work

    def _require_worker(
        self,
        order: Order,
        worker_id: str,
        allowed: Iterable[OrderState],
        target: OrderState,
    ) -> None:
        if order.worker != worker_id:
            raise DoorServiceError(
                "not_assigned_to_worker", order_id=order.id, worker=worker_id
            )
        self._require_state(order, allowed, target)

    @staticmethod
    def _require_state(
        order: Order, allowed: Iterable[OrderState], target: OrderState
    ) -> None:
        if order.state not in allowed:
            raise DoorServiceError(
                "illegal_transition",
                order_id=order.id,
                state=order.state,
                target=target,
            )

    def give_back(
        self, order_id: str, worker_id: str, now: datetime, reason: str | None = None
    ) -> list[OrderEvent]:
        """Hand an accepted order back; it is queued and offered to others."""
        order = self._book.get(order_id)
        with self._book.changing(order):
            self._require_worker(
                order, worker_id, (OrderState.ACCEPTED,), OrderState.QUEUED
            )
            order.worker = None
            order.excluded = {worker_id}
            order.escalated = False
            events = [
                self._transition(
                    order,
                    OrderState.QUEUED,
                    worker_actor(worker_id),
                    now,
                    reason,
                    worker=worker_id,
                )
            ]
            return events + self._auto_dispatch(order, now, requeued=True)

    def start(
        self, order_id: str, worker_id: str, now: datetime, note: str | None = None
    ) -> list[OrderEvent]:
        """Start an accepted order (``start_order``: nothing to pick up)."""
        order = self._book.get(order_id)
        self._require_worker(
            order, worker_id, (OrderState.ACCEPTED,), OrderState.IN_PROGRESS
        )
        return [
            self._transition(
                order, OrderState.IN_PROGRESS, worker_actor(worker_id), now, note
            )
        ]

    def picked_up(
        self, order_id: str, worker_id: str, now: datetime
    ) -> list[OrderEvent]:
        """Start the order: the worker took the key/supplies from the cabinet."""
        return self.start(order_id, worker_id, now, "picked_up")

    def complete(
        self,
        order_id: str,
        worker_id: str,
        now: datetime,
        note: str | None = None,
        *,
        key_with_worker: bool = False,
    ) -> list[OrderEvent]:
        """Record that the worker is done.

        With the key still on them: ``awaiting_return``. Otherwise ``completed``;
        an order without a key is then ``closed`` at once (two transitions), a keyed
        order stays ``completed`` until the owner collects (``collected``/``close``).
        """
        order = self._book.get(order_id)
        self._require_worker(
            order, worker_id, (OrderState.IN_PROGRESS,), OrderState.COMPLETED
        )
        if key_with_worker and not order.has_key:
            raise DoorServiceError("order_has_no_key", order_id=order.id)
        actor = worker_actor(worker_id)
        if key_with_worker:
            return [
                self._transition(order, OrderState.AWAITING_RETURN, actor, now, note)
            ]
        events = [self._transition(order, OrderState.COMPLETED, actor, now, note)]
        if not order.has_key:
            events.append(
                self._transition(
                    order, OrderState.CLOSED, ACTOR_SYSTEM, now, "nothing_outstanding"
                )
            )
        return events

    # ------------------------------------------------------------------ key hooks

    def key_deposited(self, order_id: str, now: datetime) -> list[OrderEvent]:
        """Queue and dispatch the order: the owner's key is in a compartment."""
        order = self._book.get(order_id)
        with self._book.changing(order):
            self._require_state(
                order, (OrderState.AWAITING_DROPOFF,), OrderState.QUEUED
            )
            events = [
                self._transition(
                    order, OrderState.QUEUED, ACTOR_CABINET, now, "key_deposited"
                )
            ]
            return events + self._auto_dispatch(order, now)

    def key_returned(self, order_id: str, now: datetime) -> list[OrderEvent]:
        """Complete the order: the worker put the key back in a compartment."""
        order = self._book.get(order_id)
        self._require_state(order, (OrderState.AWAITING_RETURN,), OrderState.COMPLETED)
        return [
            self._transition(
                order, OrderState.COMPLETED, ACTOR_CABINET, now, "key_returned"
            )
        ]

    def collected(self, order_id: str, now: datetime) -> list[OrderEvent]:
        """Close the order: the owner collected the key."""
        return self.close(order_id, now, ACTOR_CABINET, "collected")

    def close(
        self,
        order_id: str,
        now: datetime,
        actor: str = ACTOR_SYSTEM,
        note: str | None = "nothing_outstanding",
    ) -> list[OrderEvent]:
        """Close a completed order once nothing is outstanding (the glue knows)."""
        order = self._book.get(order_id)
        self._require_state(order, (OrderState.COMPLETED,), OrderState.CLOSED)
        return [self._transition(order, OrderState.CLOSED, actor, now, note)]

    # ------------------------------------------------------------------ cancel, hold

    def cancel(
        self, order_id: str, actor: str, now: datetime, reason: str | None = None
    ) -> list[OrderEvent]:
        """Cancel an order that has not started; pending offers are withdrawn."""
        order = self._book.get(order_id)
        with self._book.changing(order):
            if order.state not in CANCELLABLE_STATES:
                raise DoorServiceError(
                    "order_not_cancellable", order_id=order.id, state=order.state
                )
            events = [self._transition(order, OrderState.CANCELLED, actor, now, reason)]
            return events + self._withdraw_offers(order, now, actor, "cancelled")

    def hold(
        self, order_id: str, reason: str, now: datetime, actor: str = ACTOR_SYSTEM
    ) -> list[OrderEvent]:
        """Keep an order from being dispatched (e.g. ``do_not_disturb``).

        An offered order loses its offers and goes back to ``queued``. Holding again
        with the same reason changes nothing; a new reason replaces the old one.
        """
        order = self._book.get(order_id)
        with self._book.changing(order):
            if order.state not in _HOLDABLE_STATES:
                raise DoorServiceError(
                    "order_not_holdable", order_id=order.id, state=order.state
                )
            if not reason.strip():
                raise DoorServiceError("invalid_hold_reason")
            if order.hold_reason == reason:
                return []
            order.hold_reason = reason
            events = [
                self._event(OrderEventKind.HELD, order, now, actor=actor, detail=reason)
            ]
            if order.state is OrderState.OFFERED:
                events += self._withdraw_offers(order, now, actor, "held")
                events.append(
                    self._transition(order, OrderState.QUEUED, actor, now, "held")
                )
            return events

    def release(
        self, order_id: str, now: datetime, actor: str = ACTOR_SYSTEM
    ) -> list[OrderEvent]:
        """Lift a hold; a queued order is dispatched at once."""
        order = self._book.get(order_id)
        with self._book.changing(order):
            if order.hold_reason is None:
                raise DoorServiceError("order_not_held", order_id=order.id)
            reason = order.hold_reason
            order.hold_reason = None
            events = [
                self._event(
                    OrderEventKind.RELEASED, order, now, actor=actor, detail=reason
                )
            ]
            if order.state is OrderState.QUEUED:
                events += self._auto_dispatch(order, now)
            return events

    # ------------------------------------------------------------------ statistics

    def response_times(self, now: datetime) -> ResponseTimeStats:
        """Return created -> first accepted over the last 24 h (incremental)."""
        return self._response_times.snapshot(now)

    def use_response_times(self, times: ResponseTimes) -> None:
        """Take response times restored from elsewhere (e.g. the full history)."""
        self._response_times = times

    @property
    def response_time_window(self) -> ResponseTimes:
        """Return the incremental statistics (the glue restores them at start-up)."""
        return self._response_times

    def worker_load(self) -> dict[str, int]:
        """Return worker id -> accepted/in_progress/awaiting_return orders they hold."""
        load = {
            worker.id: self._book.active_count(worker.id) for worker in self._workers
        }
        for worker_id in self._book.active_workers() - set(load):
            load[worker_id] = self._book.active_count(worker_id)
        return load

    def worker_status(self, worker_id: str) -> WorkerStatus:
        """Return busy (holds active orders), off_duty, offered or idle."""
        worker = self.worker(worker_id)
        if self._book.active_count(worker_id):
            return WorkerStatus.BUSY
        if not worker.on_duty:
            return WorkerStatus.OFF_DUTY
        if self._book.offer_count(worker_id):
            return WorkerStatus.OFFERED
        return WorkerStatus.IDLE

    def worker_statuses(self) -> dict[str, WorkerStatus]:
        """Return the status of every configured worker."""
        return {worker.id: self.worker_status(worker.id) for worker in self._workers}

    # ------------------------------------------------------------------ events

    def _transition(
        self,
        order: Order,
        target: OrderState,
        actor: str,
        now: datetime,
        note: str | None = None,
        *,
        worker: str | None = None,
    ) -> OrderEvent:
        entry = self._book.transition(order, target, actor, now, note)
        return OrderEvent(
            OrderEventKind.TRANSITION,
            order.id,
            entry.at,
            entry.previous_state,
            entry.state,
            worker if worker is not None else order.worker,
            actor,
            note,
            room=order.room,
        )

    @staticmethod
    def _event(
        kind: OrderEventKind,
        order: Order,
        now: datetime,
        *,
        worker: str | None = None,
        actor: str | None = None,
        detail: str | None = None,
    ) -> OrderEvent:
        return OrderEvent(
            kind,
            order.id,
            now,
            order.state,
            order.state,
            worker,
            actor,
            detail,
            room=order.room,
        )

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"version": 1, "orders": [...], "cursors": {role: worker_id}}``."""
        return {
            "version": STORAGE_VERSION,
            "orders": self._book.to_dict()["orders"],
            "cursors": {role.value: worker for role, worker in self._cursors.items()},
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        routing: RoutingTable,
        policy: DispatchPolicy | None = None,
        workers: Sequence[Worker] = (),
        *,
        rng: random.Random | None = None,
    ) -> OrderDesk:
        """Rebuild a desk from ``to_dict`` output plus the current configuration.

        Call ``expire_offers(now)`` right after, then schedule ``next_deadline()``.
        """
        book = OrderBook.from_dict({"orders": data["orders"]}, rng=rng)
        cursors = {Role(role): worker for role, worker in data["cursors"].items()}
        times = ResponseTimes()
        times.restore(
            (order.created_at, accepted_at)
            for order in book
            if (accepted_at := order.accepted_at) is not None
        )
        return cls(
            routing, policy, workers, book=book, cursors=cursors, response_times=times
        )
