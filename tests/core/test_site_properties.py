"""Random operation sequences on a site: indexes equal a brute-force recomputation
and DESIGN.md's invariants hold after every step.

Each sequence is driven by a seeded ``random.Random`` (many seeds, deterministic);
when Hypothesis is installed the same machine also runs on the seeds it draws.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import json
import math
import random

import pytest

from custom_components.doorservice.core.catalog import Role
from custom_components.doorservice.core.dispatch import DispatchPolicy, DispatchStrategy
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    CodeDelivery,
    DomainEvent,
    OrderEvent,
    OrderEventKind,
    touched,
)
from custom_components.doorservice.core.orders import (
    FINAL_STATES,
    QUEUE_STATES,
    TODO_STATES,
    WORKER_ACTIVE_STATES,
    Order,
    OrderState,
    is_legal_transition,
)
from custom_components.doorservice.core.site import (
    CabinetConfig,
    RoomConfig,
    Site,
    SiteConfig,
    WorkerConfig,
)
from custom_components.doorservice.core.workers import WorkerStatus

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
WORKERS = ("w1", "w2", "w3")
ROOMS = ("r1", "r2")
CABINETS = ("c1", "c2")
ROOM_TYPES = ("towels", "amenities", "room_cleaning", "repair")
SKUS = ("sponges", "toilet_paper")


class Walk:
    """A site, the orders it ever had, the codes it handed out, and a clock."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        strategy = rng.choice(list(DispatchStrategy))
        roles = [Role.CLEANING, Role.HOUSEKEEPING, Role.MAINTENANCE]
        self.site = Site(
            SiteConfig(
                name="Walk",
                currency="EUR",
                policy=DispatchPolicy(strategy, timedelta(minutes=5)),
                workers=tuple(
                    WorkerConfig(
                        w, w.upper(), frozenset(rng.sample(roles, rng.randint(1, 3)))
                    )
                    for w in WORKERS
                ),
                cabinets=tuple(CabinetConfig(c, c, 3) for c in CABINETS),
                rooms=tuple(RoomConfig(r, r) for r in ROOMS),
            ),
            rng=random.Random(rng.random()),
        )
        self.now = T0
        self.orders: dict[str, Order] = {}
        self.deliveries: list[CodeDelivery] = []
        self.released: set[str] = set()

    # ------------------------------------------------------------------ helpers

    def absorb(self, events: list[DomainEvent]) -> None:
        events = self.site.follow_up(events, self.now)
        touched(events)  # every event can name its parts
        for event in events:
            if isinstance(event, CodeDelivery):
                self.deliveries.append(event)
            if (
                isinstance(event, OrderEvent)
                and event.kind is OrderEventKind.TRANSITION
                and event.previous_state is None
            ):
                self.orders[event.order_id] = self.site.order(event.order_id)
            if isinstance(event, OrderEvent):
                assert event.order_id in event.parts.orders

    def live(self) -> list[Order]:
        return [o for o in self.orders.values() if o.id not in self.released]

    def pick(self, states: frozenset[OrderState] | None = None) -> Order | None:
        candidates = [o for o in self.live() if states is None or o.state in states]
        return self.rng.choice(candidates) if candidates else None

    # ------------------------------------------------------------------ operations

    def op_request(self) -> None:
        _, events = self.site.request_service(
            room=self.rng.choice(ROOMS),
            service_type=self.rng.choice(ROOM_TYPES),
            requester="guest",
            now=self.now,
        )
        self.absorb(list(events))

    def op_book(self) -> None:
        supplies = (
            [(self.rng.choice(SKUS), self.rng.randint(1, 2))]
            if self.rng.random() < 0.4
            else []
        )
        _, events = self.site.book_cleaning(
            service_type="standard_cleaning",
            requester="owner",
            now=self.now,
            start=self.now + timedelta(minutes=self.rng.randint(0, 90)),
            address="1 Lake Road",
            store_key=self.rng.random() < 0.6,
            supplies=supplies,
            cabinet=self.rng.choice([None, *CABINETS]),
        )
        self.absorb(events)

    def op_accept(self) -> None:
        order = self.pick(frozenset({OrderState.OFFERED}))
        if order is not None and order.offers:
            worker = self.rng.choice(sorted(order.offers))
            self.absorb(list(self.site.accept(order.id, worker, self.now)))

    def op_decline(self) -> None:
        order = self.pick(frozenset({OrderState.OFFERED}))
        if order is not None and order.offers:
            worker = self.rng.choice(sorted(order.offers))
            self.absorb(list(self.site.decline(order.id, worker, "busy", self.now)))

    def op_give_back(self) -> None:
        order = self.pick(frozenset({OrderState.ACCEPTED}))
        if order is not None and order.worker is not None:
            self.absorb(
                list(self.site.give_back(order.id, order.worker, None, self.now))
            )

    def op_finish(self) -> None:
        order = self.pick(frozenset({OrderState.ACCEPTED, OrderState.IN_PROGRESS}))
        if order is not None and order.worker is not None:
            self.absorb(list(self.site.finish(order.id, order.worker, self.now)))

    def op_cancel(self) -> None:
        order = self.pick()
        if order is not None:
            self.absorb(list(self.site.cancel(order.id, "owner", None, self.now)))

    def op_assign(self) -> None:
        order = self.pick(frozenset({OrderState.QUEUED, OrderState.OFFERED}))
        if order is not None:
            worker = self.rng.choice([None, *WORKERS])
            self.absorb(list(self.site.assign(order.id, worker, "manager", self.now)))

    def op_duty(self) -> None:
        worker = self.rng.choice(WORKERS)
        on = not self.site.is_on_duty(worker)
        self.absorb(list(self.site.set_on_duty(worker, on, self.now)))

    def op_time(self) -> None:
        self.now += timedelta(minutes=self.rng.choice([1, 2, 4, 7]))
        self.absorb(list(self.site.expire_offers(self.now)))

    def op_code(self) -> None:
        usable = [
            d
            for d in self.deliveries
            if d.issued.code.is_usable(self.now) and d.order_id not in self.released
        ]
        if not usable:
            return
        delivery = self.rng.choice(usable)
        desk = self.site.cabinet_desk
        verification = desk.verify(delivery.cabinet_id, delivery.issued.pin, self.now)
        sensor = self.rng.random() < 0.7
        events = desk.opened(verification.code.id, self.now, door_sensor=sensor)
        if sensor:
            number = delivery.compartment
            events += desk.door_changed(delivery.cabinet_id, number, True, self.now)
            events += desk.door_changed(delivery.cabinet_id, number, False, self.now)
        self.absorb(events)

    def op_restock(self) -> None:
        lines = [(self.rng.choice(SKUS), self.rng.randint(1, 4))]
        cabinet = self.rng.choice(CABINETS)
        self.absorb(self.site.cabinet_desk.restock(cabinet, lines, self.now))

    def op_stay(self) -> None:
        room = self.rng.choice(ROOMS)
        desk = self.site.front_desk
        if self.site.stays.room(room).stay is None:
            _, events = desk.check_in(room, "Guest", self.now)
            self.absorb(list(events))
        elif self.rng.random() < 0.5:
            on = not self.site.stays.room(room).do_not_disturb
            self.absorb(desk.set_do_not_disturb(room, on, self.now)[1])
        else:
            self.absorb(desk.check_out(room, self.now)[1])

    def op_release(self) -> None:
        finished = [o.id for o in self.live() if o.state in FINAL_STATES]
        gone = self.site.release(finished, self.now)
        assert set(gone) <= set(finished)
        self.released.update(gone)

    OPERATIONS: tuple[tuple[str, int], ...] = (
        ("op_request", 6),
        ("op_book", 4),
        ("op_accept", 6),
        ("op_decline", 2),
        ("op_give_back", 1),
        ("op_finish", 4),
        ("op_cancel", 1),
        ("op_assign", 2),
        ("op_duty", 1),
        ("op_time", 4),
        ("op_code", 6),
        ("op_restock", 1),
        ("op_stay", 2),
        ("op_release", 1),
    )

    def step(self) -> None:
        names = [name for name, _ in self.OPERATIONS]
        weights = [weight for _, weight in self.OPERATIONS]
        name = self.rng.choices(names, weights)[0]
        operation: Callable[[], None] = getattr(self, name)
        before = json.dumps(self.site.to_dict(), sort_keys=True, default=str)
        try:
            operation()
        except DoorServiceError:
            after = json.dumps(self.site.to_dict(), sort_keys=True, default=str)
            assert after == before, f"{name} was refused but changed the site"
        self.check()

    # ------------------------------------------------------------------ checks

    def check(self) -> None:
        site = self.site
        book = site.desk.book
        assert book.index_violations() == []
        orders = list(book)
        assert [o.id for o in orders] == [o.id for o in self.live()]
        for worker in WORKERS:
            assert site.orders(worker=worker) == [
                o for o in orders if o.worker == worker or worker in o.offers
            ]
            assert site.worker_todo(worker) == [
                o
                for o in orders
                if o.state in TODO_STATES and (o.worker == worker or worker in o.offers)
            ]
            load = sum(
                1
                for o in orders
                if o.worker == worker and o.state in WORKER_ACTIVE_STATES
            )
            assert site.desk.worker_load()[worker] == load
            status = site.desk.worker_status(worker)
            if load:
                assert status is WorkerStatus.BUSY
            elif not site.is_on_duty(worker):
                assert status is WorkerStatus.OFF_DUTY
            else:
                offered = any(worker in o.offers for o in orders)
                assert status is (
                    WorkerStatus.OFFERED if offered else WorkerStatus.IDLE
                )
        for room in ROOMS:
            mine = [o for o in orders if o.room == room]
            assert site.orders(room=room) == mine
            # The newest request of the room, even once it left memory.
            ever = [o for o in self.orders.values() if o.room == room]
            newest = ever[-1] if ever else None  # created in this order
            assert site.last_request(room) == newest
        states = set(self.rng.sample(list(OrderState), 3))
        assert site.orders(states=states) == [o for o in orders if o.state in states]
        for category in site.catalog.categories():
            types = set(site.catalog.types_of_category(category))
            want = [
                o for o in orders if o.state in QUEUE_STATES and o.service_type in types
            ]
            view = site.category_queue(category, 2)
            assert view.orders == want[:2]
            assert view.total == len(want)
        assert site.escalated_orders() == [
            o for o in orders if o.escalated and o.is_open
        ]
        deadlines = [d for o in orders for d in o.offers.values()]
        assert site.next_deadline() == min(deadlines, default=None)
        # Response times: first acceptances of every order ever, in the last 24 h.
        samples = sorted(
            accepted - o.created_at
            for o in self.orders.values()
            if (accepted := o.accepted_at) is not None
            and self.now - timedelta(hours=24) < accepted <= self.now
        )
        stats = site.desk.response_times(self.now)
        assert stats.count == len(samples)
        if samples:
            assert stats.mean == sum(samples, timedelta(0)) / len(samples)
            assert stats.p90 == samples[math.ceil(0.9 * len(samples)) - 1]
        # DESIGN.md invariants.
        live_ids = {o.id for o in orders if o.is_open} | {
            c.order_id for c in site.custody if c.is_open
        }
        for cabinet in site.cabinets.values():
            assert cabinet.invariant_violations(live_ids) == []
        assert site.custody.invariant_violations() == []
        assert site.codes.invariant_violations(self.now) == []
        for stock in site.stock.values():
            assert stock.invariant_violations() == []
            assert all(n >= 0 for n in stock.on_hand.values())
        for room in site.stays.rooms.values():
            if room.stay is not None:
                folio = room.stay.folio
                assert folio.total == sum(
                    (c.unit_price * c.quantity for c in folio.charges),
                    start=folio.total - folio.total,
                )
        for order in orders:
            previous = None
            last_at = None
            for entry in order.history:
                assert entry.previous_state == previous
                assert is_legal_transition(previous, entry.state)
                assert last_at is None or last_at <= entry.at
                previous, last_at = entry.state, entry.at
            assert previous is order.state
            if order.offers:
                assert order.state is OrderState.OFFERED
        for custody in site.custody:
            assert str(custody.holder).split(":")[0] in {
                "owner",
                "compartment",
                "worker",
            }
        for order_id in self.released:
            assert order_id not in book
            assert order_id not in site.custody
            assert not site.codes.active_for_order(order_id, self.now)


def walk(seed: float | int, steps: int) -> Walk:
    machine = Walk(random.Random(seed))
    for _ in range(steps):
        machine.step()
    # The indexes survive a storage round trip.
    restored = Site.from_dict(
        json.loads(json.dumps(machine.site.to_dict())), machine.site.config
    )
    assert restored.desk.book.index_violations() == []
    assert restored.to_dict() == machine.site.to_dict()
    return machine


@pytest.mark.parametrize("seed", range(40))
def test_random_walks_keep_indexes_and_invariants(seed: int) -> None:
    machine = walk(seed, 80)
    assert machine.orders


try:
    from hypothesis import given, settings, strategies as st
except ImportError:  # pragma: no cover - Hypothesis is optional in this venv
    pass
else:

    @settings(max_examples=30, deadline=None)
    @given(st.integers(min_value=0, max_value=2**32), st.integers(20, 120))
    def test_hypothesis_walks(seed: int, steps: int) -> None:
        walk(seed, steps)
