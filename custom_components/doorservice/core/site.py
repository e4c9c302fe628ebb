"""A site: the aggregate of everything the domain knows about one property.

The Home Assistant glue keeps one :class:`Site` per config entry. It passes the
current configuration in (:class:`SiteConfig`), calls the operations below, persists
:meth:`Site.to_dict` and turns the returned events into bus events, entity updates,
notifications and logbook entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import random
from typing import Any

from .access_codes import CodeBook
from .appliances import RoomAppliances
from .cabinet import Cabinet
from .cabinet_desk import CabinetDesk
from .calendar_bookings import CalendarBookings
from .catalog import Role, ServiceCatalog, ServiceType
from .custody import CustodyLedger
from .dispatch import DispatchPolicy, OrderDesk
from .errors import DoorServiceError
from .events import DomainEvent, OrderEvent
from .front_desk import FrontDesk
from .orders import (
    DEFAULT_QUEUE_LIMIT,
    FINAL_STATES,
    Order,
    OrderState,
    QueueView,
)
from .routing import RoutingTable
from .stays import StayBook
from .supplies import Stock, SupplyCatalog
from .workers import Worker

STORAGE_LAYOUT = 1
RETENTION = timedelta(days=90)
"""How long closed and cancelled orders are kept (get_orders, statistics)."""

type Follower = Callable[[Sequence[DomainEvent], datetime], list[DomainEvent]]
"""Reacts to the events of an operation; returns the events of its reactions."""


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """A worker as configured (a worker subentry)."""

    id: str
    name: str
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class CabinetConfig:
    """A cabinet as configured (a cabinet subentry)."""

    id: str
    name: str
    compartments: int


@dataclass(frozen=True, slots=True)
class RoomConfig:
    """A room as configured (a room subentry)."""

    id: str
    name: str
    appliances: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything about a site that comes from configuration, not from state."""

    name: str
    currency: str
    policy: DispatchPolicy = field(default_factory=DispatchPolicy)
    code_validity: timedelta = timedelta(hours=48)
    workers: tuple[WorkerConfig, ...] = ()
    cabinets: tuple[CabinetConfig, ...] = ()
    rooms: tuple[RoomConfig, ...] = ()
    service_types: tuple[ServiceType, ...] | None = None
    """The site's edited service catalog; None keeps the catalog the site has."""


class Site:
    """The persisted state of one site and the operations on it."""

    def __init__(
        self,
        config: SiteConfig,
        *,
        catalog: ServiceCatalog | None = None,
        role_overrides: Mapping[str, Role] | None = None,
        on_duty: Mapping[str, bool] | None = None,
        desk_data: Mapping[str, Any] | None = None,
        cabinets: Mapping[str, Cabinet] | None = None,
        codes: CodeBook | None = None,
        custody: CustodyLedger | None = None,
        supplies: SupplyCatalog | None = None,
        stock: Mapping[str, Stock] | None = None,
        stays: StayBook | None = None,
        appliances: Mapping[str, RoomAppliances] | None = None,
        calendar_bookings: CalendarBookings | None = None,
        rng: random.Random | None = None,
    ) -> None:
        """Create a site; without stored parts, a fresh one with default catalogs."""
        self.config = config
        self.catalog = catalog if catalog is not None else ServiceCatalog.default()
        self.routing = RoutingTable(self.catalog, dict(role_overrides or {}))
        self.on_duty: dict[str, bool] = dict(on_duty or {})
        workers = self._workers(config.workers)
        self.desk = (
            OrderDesk.from_dict(
                desk_data, self.routing, config.policy, workers, rng=rng
            )
            if desk_data is not None
            else OrderDesk(self.routing, config.policy, workers, rng=rng)
        )
        self.cabinets: dict[str, Cabinet] = dict(cabinets or {})
        self.codes = codes if codes is not None else CodeBook.create(rng)
        self.custody = custody if custody is not None else CustodyLedger()
        self.supplies = supplies if supplies is not None else SupplyCatalog.default()
        self.stock: dict[str, Stock] = dict(stock or {})
        self.stays = stays if stays is not None else StayBook()
        self.appliances: dict[str, RoomAppliances] = dict(appliances or {})
        self.calendar_bookings = calendar_bookings or CalendarBookings()
        """Which order each booking calendar's checkout got (calendar_sync.py)."""
        self.followers: list[Follower] = []
        self.cabinet_desk = CabinetDesk(
            orders=self.desk,
            codes=self.codes,
            custody=self.custody,
            cabinets=self.cabinets,
            stock=self.stock,
            supplies=self.supplies,
            settings=self,
        )
        self.front_desk = FrontDesk(
            orders=self.desk,
            stays=self.stays,
            appliances=self.appliances,
            catalog=self.catalog,
            purchases=self.cabinet_desk,
            settings=self,
        )
        self.followers += [self.cabinet_desk.follow, self.front_desk.follow]
        self._reconcile_parts(config)

    # ------------------------------------------------------------------ config

    def _workers(self, configs: Iterable[WorkerConfig]) -> list[Worker]:
        return [
            Worker(c.id, c.name, c.roles, self.on_duty.get(c.id, True)) for c in configs
        ]

    def _reconcile_parts(self, config: SiteConfig) -> None:
        """Create the state of new cabinets and rooms, drop that of removed ones."""
        self._room_ids = frozenset(room.id for room in config.rooms)
        self._apply_catalog(config)
        keep = {c.id for c in config.workers}
        self.on_duty = {k: v for k, v in self.on_duty.items() if k in keep}
        for cab in config.cabinets:
            current = self.cabinets.get(cab.id)
            if current is None or len(current.compartments) != cab.compartments:
                self.cabinets[cab.id] = _resized(current, cab)
            self.stock.setdefault(cab.id, Stock(cab.id))
        for cabinet_id in set(self.cabinets) - {c.id for c in config.cabinets}:
            del self.cabinets[cabinet_id]
            self.stock.pop(cabinet_id, None)
        for room in config.rooms:
            self.stays.add_room(room.id)
            self.appliances[room.id] = RoomAppliances.from_config(
                room.id, room.appliances, previous=self.appliances.get(room.id)
            )
        for room_id in set(self.stays.rooms) - {r.id for r in config.rooms}:
            room_state = self.stays.rooms[room_id]
            if room_state.stay is None:
                self.stays.remove_room(room_id)
            self.appliances.pop(room_id, None)

    def _apply_catalog(self, config: SiteConfig) -> None:
        """Use the configured service catalog, when there is one.

        The configured role of a type is the site's choice, so any stored role
        override of that type is dropped. Open orders of a removed type keep the
        role they were routed to (``Order.role``).
        """
        if config.service_types is None:
            return
        self.catalog.replace(config.service_types)
        for service_type in config.service_types:
            self.routing.clear_override(service_type.id)

    def reconfigure(self, config: SiteConfig, now: datetime) -> list[OrderEvent]:
        """Apply a new configuration: workers, policy, cabinets and rooms."""
        self.config = config
        self.desk.set_policy(config.policy)
        self._reconcile_parts(config)
        return self.desk.set_workers(self._workers(config.workers), now)

    @property
    def code_validity(self) -> timedelta:
        """How long an issued code stays valid (``CabinetSettings``)."""
        return self.config.code_validity

    @property
    def cabinet_order(self) -> Sequence[str]:
        """The configured cabinets in configuration order (``CabinetSettings``)."""
        return [cabinet.id for cabinet in self.config.cabinets]

    @property
    def currency(self) -> str:
        """The site's currency (``FrontDeskSettings``)."""
        return self.config.currency

    def is_on_duty(self, worker_id: str) -> bool:
        """Return whether a worker is on duty (new workers start on duty)."""
        return self.on_duty.get(worker_id, True)

    def set_on_duty(
        self, worker_id: str, on_duty: bool, now: datetime
    ) -> list[OrderEvent]:
        """Put a worker on or off duty; offers follow."""
        events = self.desk.set_on_duty(worker_id, on_duty, now)
        self.on_duty[worker_id] = on_duty
        return events

    # ------------------------------------------------------------------ follow-ups

    def follow_up(
        self, events: Sequence[DomainEvent], now: datetime
    ) -> list[DomainEvent]:
        """Let the site's desks react to what an operation did (to a fixed point).

        A follower sees every event once and returns the events of its own
        reactions (a completed paid order is billed, for example), which the other
        followers see in turn. The result holds the given events and all reactions.
        """
        seen: list[DomainEvent] = list(events)
        position = 0
        while position < len(seen):
            batch = seen[position:]
            position = len(seen)
            for follower in self.followers:
                seen += follower(batch, now)
        return seen

    # ------------------------------------------------------------------ retention

    def releasable(
        self, order_ids: Iterable[str], now: datetime | None = None
    ) -> list[str]:
        """Return which of ``order_ids`` may leave memory (see :meth:`release`)."""
        book = self.desk.book
        result: list[str] = []
        for order_id in order_ids:
            order = book.find(order_id)
            if (
                order is None
                or order.is_open
                or (order_id in self.custody and self.custody.get(order_id).is_open)
                or self.codes.live_for_order(order_id, now)
                or self.cabinet_desk.holds(order_id)
            ):
                continue
            result.append(order_id)
        return result

    def release(
        self, order_ids: Iterable[str], now: datetime | None = None
    ) -> list[str]:
        """Drop finished orders from memory with everything kept about them.

        An order goes only when it is closed or cancelled, its key is not away from
        its owner, no code of it can still open anything (unused and not revoked;
        with ``now``, expired codes no longer count) and no compartment or opening
        refers to it. Its entry and indexes in the order book, key record, purchase,
        stay pin and finished codes go. Returns the ids dropped; the others stay
        (call again later, e.g. once the owner collected the key).
        """
        gone = self.releasable(order_ids, now)
        self.desk.book.forget(gone)
        for order_id in gone:
            if order_id in self.custody:
                self.custody.discard(order_id)
            self.cabinet_desk.forget(order_id)
            self.front_desk.forget(order_id)
            self.codes.forget_order(order_id, now)
        return gone

    def housekeeping(self, now: datetime, keep: timedelta = RETENTION) -> list[str]:
        """Forget what is long finished, so the stored state stays bounded.

        Orders closed or cancelled more than ``keep`` ago go (:meth:`release`), and
        codes finished long ago. Returns the order ids.
        """
        cutoff = now - keep
        finished = [
            order.id
            for state in FINAL_STATES
            for order in self.desk.book.by_state(state)
            if order.updated_at < cutoff
        ]
        gone = self.release(finished, now)
        self.codes.purge(now)
        return gone

    # ------------------------------------------------------------------ orders

    def order(self, order_id: str) -> Order:
        """Return an order or raise ``unknown_order``."""
        return self.desk.get(order_id.strip().upper())

    def orders(
        self,
        *,
        states: Iterable[OrderState] | None = None,
        worker: str | None = None,
        room: str | None = None,
    ) -> list[Order]:
        """Return the orders matching every given filter, oldest first.

        ``worker`` matches the order's worker and the workers it is offered to.
        Answered from the order book's indexes: the cost follows the matches.
        """
        book = self.desk.book
        wanted = set(states) if states is not None else None
        if worker is not None:
            candidates = book.of_worker(worker)
        elif room is not None:
            candidates = book.of_room(room)
        elif wanted is not None:
            return book.in_states(wanted)
        else:
            return list(book)
        return [
            order
            for order in candidates
            if (wanted is None or order.state in wanted)
            and (room is None or order.room == room)
        ]

    def worker_todo(self, worker_id: str) -> list[Order]:
        """Return what a worker's to-do list shows, oldest first.

        Their pending offers and their accepted, in-progress and awaiting-return
        orders (``TODO_STATES``); nothing finished.
        """
        return self.desk.book.todo_of(worker_id)

    def category_queue(
        self, category: str, limit: int = DEFAULT_QUEUE_LIMIT
    ) -> QueueView:
        """Return what a category's queue shows: its oldest ``limit`` open orders.

        Queued, offered and accepted orders (``QUEUE_STATES``) of the category's
        service types in the current catalog, oldest first, with their total count.
        """
        orders, total = self.desk.book.queued_of_types(
            self.catalog.types_of_category(category), limit
        )
        return QueueView(orders, total)

    def last_request(self, room_id: str) -> Order | None:
        """Return a room's most recent order."""
        return self.desk.book.last_of_room(room_id)

    def escalated_orders(self) -> list[Order]:
        """Return the open orders nobody could be found for, oldest first."""
        return self.desk.book.escalated()

    def book_cleaning(
        self,
        *,
        service_type: str,
        requester: str,
        now: datetime,
        start: datetime,
        end: datetime | None = None,
        address: str | None = None,
        room: str | None = None,
        contact_phone: str | None = None,
        message: str | None = None,
        store_key: bool = False,
        supplies: Sequence[tuple[str, int]] = (),
        cabinet: str | None = None,
        booked_by: str | None = None,
        paid_needs_stay: bool = False,
    ) -> tuple[Order, list[DomainEvent]]:
        """Book a cleaning visit at an address or for a room.

        With a key to leave and/or supplies, a compartment is reserved at once (see
        ``CabinetDesk.book``); the events then carry the owner's drop-off code.
        ``paid_needs_stay`` (hotels) refuses a paid service for a room without a
        current stay: it would have no folio to be billed to.
        """
        self._check_room(room)
        self._check_billable(room, service_type, paid_needs_stay)
        if start < now - timedelta(minutes=5):
            raise DoorServiceError("start_in_past", start=start.isoformat())

        def create(has_key: bool) -> tuple[Order, list[OrderEvent]]:
            return self.desk.create(
                service_type,
                requester,
                now,
                room=room,
                address=address,
                scheduled_start=start,
                scheduled_end=end,
                contact_phone=contact_phone,
                message=message,
                has_key=has_key,
                hold_reason=self.front_desk.hold_reason_for(room, service_type),
                booked_by=booked_by,
            )

        if not store_key and not supplies:
            order, events = create(False)
            return order, list(events)
        return self.cabinet_desk.book(
            now=now,
            store_key=store_key,
            supplies=supplies,
            cabinet_id=cabinet,
            create=create,
        )

    def request_service(
        self,
        *,
        room: str,
        service_type: str,
        requester: str,
        now: datetime,
        details: str | None = None,
        quantity: int = 1,
        booked_by: str | None = None,
        paid_needs_stay: bool = False,
    ) -> tuple[Order, list[OrderEvent]]:
        """Raise a request from a room (see ``book_cleaning`` for paid ones)."""
        self._check_room(room)
        self._check_billable(room, service_type, paid_needs_stay)
        return self.desk.create(
            service_type,
            requester,
            now,
            room=room,
            message=details,
            quantity=quantity,
            hold_reason=self.front_desk.hold_reason_for(room, service_type),
            booked_by=booked_by,
        )

    def _check_room(self, room: str | None) -> None:
        if room is not None and room not in self._room_ids:
            raise DoorServiceError("unknown_room", room=room)

    def _check_billable(
        self, room: str | None, service_type: str, paid_needs_stay: bool
    ) -> None:
        """Refuse a paid service for a room that has no stay to bill it to."""
        if not paid_needs_stay or room is None:
            return
        if not self.catalog.get(service_type).is_paid:
            return
        if self.stays.room(room).stay is None:
            raise DoorServiceError("paid_request_needs_stay", room=room)

    def assign(
        self, order_id: str, worker_id: str | None, actor: str, now: datetime
    ) -> list[OrderEvent]:
        """Offer an order to one worker, or run the dispatch strategy (no worker)."""
        order = self.order(order_id)
        if worker_id is None:
            return self.desk.dispatch(order.id, now, actor)
        return self.desk.assign(order.id, worker_id, actor, now)

    def accept(self, order_id: str, worker_id: str, now: datetime) -> list[OrderEvent]:
        """A worker accepts an offered order (the first accept wins)."""
        return self.desk.accept(self.order(order_id).id, worker_id, now)

    def decline(
        self, order_id: str, worker_id: str, reason: str | None, now: datetime
    ) -> list[OrderEvent]:
        """A worker declines an offer; the order moves on to the next workers."""
        return self.desk.decline(self.order(order_id).id, worker_id, now, reason)

    def give_back(
        self, order_id: str, worker_id: str, reason: str | None, now: datetime
    ) -> list[OrderEvent]:
        """A worker gives an accepted order back to the queue."""
        return self.desk.give_back(self.order(order_id).id, worker_id, now, reason)

    def start(self, order_id: str, worker_id: str, now: datetime) -> list[OrderEvent]:
        """A worker starts an order that has nothing to pick up at a cabinet."""
        self.cabinet_desk.check_start(self.order(order_id))
        return self.desk.start(self.order(order_id).id, worker_id, now)

    def complete(
        self, order_id: str, worker_id: str, note: str | None, now: datetime
    ) -> list[OrderEvent]:
        """A worker is done with an order (a key on them goes back to the cabinet)."""
        order = self.order(order_id)
        return self.desk.complete(
            order.id,
            worker_id,
            now,
            note,
            key_with_worker=self.cabinet_desk.worker_holds_key(order),
        )

    def finish(self, order_id: str, worker_id: str, now: datetime) -> list[OrderEvent]:
        """Done, from a phone or a to-do list: start the order if needed, complete it.

        Both steps are validated before either is applied.
        """
        order = self.order(order_id)
        if order.worker != worker_id or order.state not in (
            OrderState.ACCEPTED,
            OrderState.IN_PROGRESS,
        ):
            raise DoorServiceError(
                "not_assigned_to_worker", order_id=order.id, worker=worker_id
            )
        events: list[OrderEvent] = []
        if order.state is OrderState.ACCEPTED:
            self.cabinet_desk.check_start(order)
            events += self.desk.start(order.id, worker_id, now)
        return events + self.complete(order.id, worker_id, None, now)

    def cancel(
        self, order_id: str, actor: str, reason: str | None, now: datetime
    ) -> list[OrderEvent]:
        """Cancel an order before work starts."""
        return self.desk.cancel(self.order(order_id).id, actor, now, reason)

    def expire_offers(self, now: datetime) -> list[OrderEvent]:
        """Time out the offers whose acceptance deadline passed."""
        return self.desk.expire_offers(now)

    def next_deadline(self) -> datetime | None:
        """Return when the next offer times out."""
        return self.desk.next_deadline()

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe copy of the state."""
        return {
            "layout": STORAGE_LAYOUT,
            "catalog": self.catalog.to_dict(),
            "routing": self.routing.to_dict(),
            "on_duty": dict(self.on_duty),
            "desk": self.desk.to_dict(),
            "cabinets": {cid: cab.to_dict() for cid, cab in self.cabinets.items()},
            "codes": self.codes.to_dict(),
            "custody": self.custody.to_dict(),
            "supplies": self.supplies.to_dict(),
            "stock": {cid: stock.to_dict() for cid, stock in self.stock.items()},
            "stays": self.stays.to_dict(),
            "appliances": {
                room_id: appliances.to_dict()
                for room_id, appliances in self.appliances.items()
            },
            "cabinet_desk": self.cabinet_desk.to_dict(),
            "front_desk": self.front_desk.to_dict(),
            "calendar_bookings": self.calendar_bookings.to_dict(),
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        config: SiteConfig,
        *,
        rng: random.Random | None = None,
    ) -> Site:
        """Rebuild a site from :meth:`to_dict` output and the current configuration."""
        catalog = ServiceCatalog.from_dict(data["catalog"])
        routing = RoutingTable.from_dict(catalog, data["routing"])
        site = cls(
            config,
            catalog=catalog,
            role_overrides=routing.role_overrides,
            on_duty=data["on_duty"],
            desk_data=data["desk"],
            cabinets={
                cid: Cabinet.from_dict(cab) for cid, cab in data["cabinets"].items()
            },
            codes=CodeBook.from_dict(data["codes"]),
            custody=CustodyLedger.from_dict(data["custody"]),
            supplies=SupplyCatalog.from_dict(data["supplies"]),
            stock={cid: Stock.from_dict(s) for cid, s in data["stock"].items()},
            stays=StayBook.from_dict(data["stays"]),
            appliances={
                room_id: RoomAppliances.from_dict(a)
                for room_id, a in data["appliances"].items()
            },
            calendar_bookings=CalendarBookings.from_dict(data.get("calendar_bookings")),
            rng=rng,
        )
        site.cabinet_desk.load(data.get("cabinet_desk", {}))
        site.front_desk.restore(data.get("front_desk"))
        return site


def _resized(current: Cabinet | None, config: CabinetConfig) -> Cabinet:
    """Return a cabinet of the configured size, keeping existing compartments."""
    fresh = Cabinet.build(config.id, config.compartments)
    if current is None:
        return fresh
    kept = {c.number: c for c in current.compartments}
    fresh.compartments = [kept.get(c.number, c) for c in fresh.compartments]
    return fresh
