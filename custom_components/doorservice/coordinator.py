"""One coordinator per site: run an operation on the core, commit it, publish it.

The data of an action flows one way::

    caller (service, entity, board report, timer)
      -> SiteCoordinator.async_run(operation)      one at a time (a lock)
      -> the core decides (pure, synchronous, time passed in)
      -> storage: the documents it touched, one transaction   (before any answer)
      -> subscribers, in registration order: bus events and logbook, phones,
         cabinets, rooms, repairs (effects.py, notifications.py, cabinet_glue.py,
         rooms.py), then the entities of the touched parts
      -> the caller gets its answer

Subscribers import this module; it imports none of them (runtime.py wires them).
A refused operation changes nothing; a commit that fails puts memory back as it was
last committed and refuses the action (see storage.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryNotReady,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .config import site_config
from .const import (
    CONF_CURRENCY,
    CONF_RETENTION_DAYS,
    CONF_SITE_TYPE,
    DEFAULT_RETENTION_DAYS,
    DOMAIN,
    ESCALATION_ISSUE,
    LOGGER,
    SiteType,
    SubentryType,
)
from .core.actors import actor_worker_id
from .core.errors import DoorServiceError
from .core.events import CodeDelivery, DomainEvent, OrderEvent, Parts, touched
from .core.orders import Order, OrderState
from .core.site import Site, SiteConfig
from .core.statistics import ResponseTimes, ResponseTimeStats
from .storage import (
    Changes,
    Database,
    DatabaseError,
    HistoryFilter,
    SiteRecords,
    StoredSite,
    async_acquire,
    async_legacy_site,
    async_release,
)

type DomainEvents = Sequence[DomainEvent]
type OrderListener = Callable[[list[tuple[OrderEvent, Order]]], None]
type Subscriber = Callable[[DomainEvents, Context | None], None]

SITE_KEY = "site"
HOUSEKEEPING_INTERVAL = timedelta(hours=24)
RESPONSE_WINDOW = timedelta(hours=24)
DATABASE_ISSUE = "database_unwritable"


def compartment_key(cabinet_id: str, number: int) -> str:
    """Return the listener key of one compartment's entities."""
    return f"{cabinet_id}:{number}"


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    """An order operation's result: the order, and the codes it issued."""

    order: Order
    deliveries: tuple[CodeDelivery, ...] = ()


class SiteCoordinator:
    """The running state of one site (see the module docstring)."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        """Create the coordinator of ``entry``; nothing is loaded yet."""
        self.hass = hass
        self.entry = entry
        self.db: Database | None = None
        self.records = SiteRecords()
        self._lock = asyncio.Lock()
        self.site: Site
        """The domain state; built off the event loop by ``async_load``."""
        self._subscribers: list[Subscriber] = []
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._order_listeners: list[OrderListener] = []
        self._deadline_unsub: CALLBACK_TYPE | None = None
        self._housekeeping_unsub: CALLBACK_TYPE | None = None
        self._stopped = False
        self._pending_events: list[DomainEvent] = []
        self.site_device_id = ""
        self.entity_unique_ids: set[str] = set()
        self._changes = 0
        self._stats: tuple[int, ResponseTimeStats] | None = None
        self._db_failed = False
        self.last_touched = Parts()
        """The parts the last published operation touched (entities read it)."""

    # --- configuration -------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        """Return whether the site was stopped (unloaded)."""
        return self._stopped

    @property
    def name(self) -> str:
        """Return the site's name."""
        return str(self.entry.data[CONF_NAME])

    @property
    def site_type(self) -> str:
        """Return ``home`` or ``hotel``."""
        return str(self.entry.data[CONF_SITE_TYPE])

    @property
    def currency(self) -> str:
        """Return the site's currency (ISO 4217)."""
        return str(self.entry.data[CONF_CURRENCY])

    def subentries(self, kind: SubentryType) -> list[ConfigSubentry]:
        """Return the configured parts of one kind, in configuration order."""
        return [
            sub for sub in self.entry.subentries.values() if sub.subentry_type == kind
        ]

    def part_name(self, part_id: str | None) -> str | None:
        """Return the title of a cabinet, room or worker (None for None)."""
        if part_id is None:
            return None
        sub = self.entry.subentries.get(part_id)
        return sub.title if sub else part_id

    # --- life cycle ----------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the stored state and reconcile it with the configuration."""
        site_device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.entry.entry_id,
            identifiers={(DOMAIN, self.entry.entry_id)},
            name=self.name,
            manufacturer="Door Service",
            model=f"{self.site_type.capitalize()} site",
            entry_type=dr.DeviceEntryType.SERVICE,
        )
        self.site_device_id = site_device.id
        config = site_config(self.entry)
        now = dt_util.utcnow()
        try:
            self.db = db = await async_acquire(self.hass)
            stored = await db.async_load(
                self.hass, self.entry.entry_id, now - RESPONSE_WINDOW
            )
            if stored is None:
                await self._async_migrate_legacy_store()
                stored = await db.async_load(
                    self.hass, self.entry.entry_id, now - RESPONSE_WINDOW
                )
        except DatabaseError as err:
            await async_release(self.hass)
            self.db = None
            raise ConfigEntryNotReady(
                translation_domain=DOMAIN,
                translation_key="database_unreadable",
                translation_placeholders={"error": str(err)},
            ) from err
        # Building the site from thousands of stored documents is plain Python: it
        # runs in a worker thread, not on the event loop.
        self.site, events, changes = await self.hass.async_add_executor_job(
            self._build_site, stored, config, now
        )
        await self._async_commit(changes)
        self._pending_events = list(events)

    def _build_site(
        self, stored: StoredSite | None, config: SiteConfig, now: datetime
    ) -> tuple[Site, list[DomainEvent], Changes]:
        """Build the site from what is stored and settle what happened while down.

        Orders of workers removed while the site was not loaded go back to the
        queue; offers that timed out while Home Assistant was down expire now.
        Returns the site, the events of that settling and what to commit.
        """
        if stored is not None:
            site = Site.from_dict(stored.data, config)
            self.records.reset(stored.data)
            # Acceptances of the last 24 h, closed orders included (the database).
            times = ResponseTimes(RESPONSE_WINDOW)
            times.restore(
                (datetime.fromisoformat(created), datetime.fromisoformat(accepted))
                for created, accepted in stored.response_samples
            )
            site.desk.use_response_times(times)
        else:
            site = Site(config)
        events: list[DomainEvent] = [*site.reconfigure(config, now)]
        events += site.expire_offers(now)
        return site, events, self.records.full_changes(site)

    async def _async_migrate_legacy_store(self) -> None:
        """Move a site stored by an earlier release (``.storage``) into the database."""
        assert self.db is not None
        store, legacy = await async_legacy_site(self.hass, self.entry.entry_id)
        if legacy is None:
            return
        LOGGER.info("Moving the stored state of %s into the database", self.name)
        site = Site.from_dict(legacy, site_config(self.entry))
        await self.db.async_import(self.hass, self.entry.entry_id, site.to_dict())
        await store.async_remove()

    async def async_start(self) -> None:
        """Start the timers and publish what was settled at load."""
        self._housekeeping_unsub = async_track_time_interval(
            self.hass,
            self._async_housekeeping,
            HOUSEKEEPING_INTERVAL,
            cancel_on_shutdown=True,
        )
        events, self._pending_events = self._pending_events, []
        self._publish(events, None)
        self._schedule_deadline()

    async def async_stop(self) -> None:
        """Stop the timers and close the database (everything is committed)."""
        if self._stopped:
            return
        self._stopped = True
        if self._deadline_unsub:
            self._deadline_unsub()
            self._deadline_unsub = None
        if self._housekeeping_unsub:
            self._housekeeping_unsub()
            self._housekeeping_unsub = None
        self._subscribers.clear()
        self._listeners.clear()
        self._order_listeners.clear()
        if self.db is not None:
            self.db = None
            await async_release(self.hass)

    @callback
    def async_remove_stale_entities(self) -> None:
        """Remove registry entries of entities this configuration no longer has.

        A cabinet that shrank loses its last compartments' entities; removed
        subentries are cleaned up by Home Assistant itself.
        """
        registry = er.async_get(self.hass)
        for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id):
            if entity.unique_id not in self.entity_unique_ids:
                LOGGER.debug("Removing stale entity %s", entity.entity_id)
                registry.async_remove(entity.entity_id)

    @staticmethod
    async def async_remove_store(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
        """Delete the stored state of a site that was removed."""
        db = await async_acquire(hass)
        try:
            await db.async_delete_site(hass, entry.entry_id)
        finally:
            await async_release(hass)
        store, _ = await async_legacy_site(hass, entry.entry_id)
        await store.async_remove()
        ir.async_delete_issue(hass, DOMAIN, f"{ESCALATION_ISSUE}_{entry.entry_id}")

    # --- subscribers and listeners -------------------------------------------------

    @callback
    def async_subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Hand every committed operation's events to ``subscriber``."""
        self._subscribers.append(subscriber)

        @callback
        def _remove() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return _remove

    @callback
    def async_add_listener(self, key: str, update: CALLBACK_TYPE) -> Callable[[], None]:
        """Call ``update`` whenever the part ``key`` (a subentry id or site) changes."""
        self._listeners.setdefault(key, []).append(update)

        @callback
        def _remove() -> None:
            if (listeners := self._listeners.get(key)) and update in listeners:
                listeners.remove(update)

        return _remove

    @callback
    def async_add_order_listener(self, listener: OrderListener) -> Callable[[], None]:
        """Call ``listener`` with the order events of every operation, in order.

        Each event comes with its order (the order event entity).
        """
        self._order_listeners.append(listener)

        @callback
        def _remove() -> None:
            if listener in self._order_listeners:
                self._order_listeners.remove(listener)

        return _remove

    @callback
    def async_notify(self, *keys: str) -> None:
        """Tell the entities of the given parts to write their state."""
        for key in keys:
            for update in list(self._listeners.get(key, ())):
                update()

    @callback
    def async_notify_all(self) -> None:
        """Tell every entity of the site to write its state."""
        self.async_notify(*list(self._listeners))

    # --- running domain operations ------------------------------------------------

    async def async_run[T](
        self,
        operation: Callable[[datetime], tuple[T, Sequence[DomainEvent]]],
        context: Context | None,
    ) -> T:
        """Run a domain operation, commit what it changed, then publish its events."""
        result, _events = await self.async_run_with_events(operation, context)
        return result

    async def async_run_with_events[T](
        self,
        operation: Callable[[datetime], tuple[T, Sequence[DomainEvent]]],
        context: Context | None,
    ) -> tuple[T, list[DomainEvent]]:
        """Run a domain operation: decide, commit, publish; return result and events.

        Operations run one at a time. A refused operation raises a translated
        ``ServiceValidationError`` and changes nothing (the domain validates before
        it mutates; a refused code entry still records the failed attempt). The
        changes are committed to the database before the caller gets its answer;
        when the commit fails, memory is put back as last committed and the action
        is refused with a translated ``HomeAssistantError``.
        """
        async with self._lock:
            now = dt_util.utcnow()
            try:
                result, events = operation(now)
            except DoorServiceError as err:
                if recorded := list(getattr(err, "events", ())):
                    await self._async_commit_events(recorded, now)
                    self._publish(recorded, context, now)
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key=err.translation_key,
                    translation_placeholders=self.placeholders(err.placeholders),
                ) from err
            events = self.site.follow_up(events, now)
            released = await self._async_commit_events(events, now)
            self._publish(events, context, now)
            if released:
                self.site.release(released, now)
            return result, events

    async def _async_commit_events(
        self, events: Sequence[DomainEvent], now: datetime
    ) -> list[str]:
        """Commit the parts ``events`` touched; return the orders that may leave.

        Finished orders that hold nothing any more are written as history (not
        live) in the same transaction; they leave memory after the publication.
        """
        parts = touched(events)
        released = self.site.releasable(parts.orders, now)
        await self._async_commit(
            self.records.changes(
                self.site,
                orders=parts.orders,
                cabinets=parts.cabinets,
                rooms=parts.rooms,
                released=released,
            )
        )
        return released

    async def _async_commit(self, changes: Changes) -> None:
        """Write ``changes``; on failure restore memory and refuse the action."""
        if not changes:
            return
        assert self.db is not None
        try:
            await self.db.async_commit(self.hass, self.entry.entry_id, changes)
        except DatabaseError as err:
            LOGGER.error("Door Service cannot write its database: %s", err)
            self._restore_committed()
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                DATABASE_ISSUE,
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=DATABASE_ISSUE,
                translation_placeholders={"error": str(err)},
            )
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="database_write_failed"
            ) from err
        self.records.committed(changes)
        if self._db_failed:
            self._db_failed = False
            ir.async_delete_issue(self.hass, DOMAIN, DATABASE_ISSUE)

    def _restore_committed(self) -> None:
        """Put the site back as last committed (the action that failed is undone)."""
        self._db_failed = True
        self.site = Site.from_dict(self.records.committed_site(), self.site.config)

    def placeholders(self, raw: dict[str, str]) -> dict[str, str]:
        """Replace ids in error placeholders by the names a person knows."""
        named = dict(raw)
        for key in ("worker", "room", "cabinet_id", "cabinet"):
            if key in named:
                named[key] = self.part_name(named[key]) or named[key]
        return named

    @callback
    def _publish(
        self,
        events: Sequence[DomainEvent],
        context: Context | None,
        now: datetime | None = None,
    ) -> None:
        """Hand committed events to the subscribers, then to the entities."""
        self._changes += 1
        if self._order_listeners and (
            order_events := [
                (event, self.site.desk.get(event.order_id))
                for event in events
                if isinstance(event, OrderEvent)
            ]
        ):
            for listener in list(self._order_listeners):
                listener(order_events)
        for subscriber in list(self._subscribers):
            subscriber(events, context)
        self._schedule_deadline()
        self.last_touched = touched(events)
        if events:
            self.async_notify(*self._affected_parts(events))
        else:
            self.async_notify_all()

    def _affected_parts(self, events: Sequence[DomainEvent]) -> set[str]:
        """Return the listener keys of the parts an operation's events changed.

        The site itself, and every cabinet, compartment, room and worker the events
        name (see ``core.events.Parts``), so a big site writes a handful of states
        per action instead of all of them.
        """
        parts = self.last_touched
        keys = {SITE_KEY, *parts.workers, *parts.rooms, *parts.cabinets}
        keys.update(compartment_key(c, n) for c, n in parts.compartments)
        for order_id in parts.orders:
            if (order := self.site.desk.book.find(order_id)) is not None:
                keys.update(p for p in (order.room, order.worker) if p)
        return keys

    def actor_name(self, actor: str | None) -> str | None:
        """Return who acted, in words (``worker:<id>`` becomes the worker's name)."""
        if actor and (worker_id := actor_worker_id(actor)) is not None:
            return self.part_name(worker_id)
        return actor

    def _schedule_deadline(self) -> None:
        if self._deadline_unsub:
            self._deadline_unsub()
            self._deadline_unsub = None
        if self._stopped or (deadline := self.site.next_deadline()) is None:
            return

        @callback
        def _expire(now: datetime) -> None:
            self._deadline_unsub = None
            self.hass.async_create_task(
                self.async_run_quietly(
                    lambda now: (None, self.site.expire_offers(now)), "offer timeout"
                ),
                eager_start=True,
            )

        self._deadline_unsub = async_track_point_in_utc_time(
            self.hass, _expire, max(deadline, dt_util.utcnow())
        )

    async def async_run_quietly(
        self,
        operation: Callable[[datetime], tuple[None, Sequence[DomainEvent]]],
        what: str,
    ) -> None:
        """Run an operation nobody waits for (a timer); log when it is refused."""
        try:
            await self.async_run(operation, None)
        except HomeAssistantError as err:
            LOGGER.warning("%s of %s refused: %s", what, self.name, err)

    async def _async_housekeeping(self, now: datetime) -> None:
        """Once a day: forget closed history past the retention, used codes."""
        if self._stopped or self.db is None:
            return
        retention = self.retention
        if retention is not None:
            pruned = await self.db.async_prune(
                self.hass, self.entry.entry_id, dt_util.utcnow() - retention
            )
            LOGGER.debug("Pruned %s orders of %s", pruned, self.name)
        async with self._lock:
            self.site.housekeeping(dt_util.utcnow(), retention or timedelta(days=3650))
            await self._async_commit(self.records.full_changes(self.site))
        self.async_notify_all()

    async def async_commit_everything(self) -> None:
        """Commit whatever differs from the database (bulk imports, housekeeping)."""
        async with self._lock:
            await self._async_commit(self.records.full_changes(self.site))
        self.async_notify_all()

    @property
    def retention(self) -> timedelta | None:
        """Return how long closed orders are kept (None: forever)."""
        days = int(self.entry.options.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS))
        return timedelta(days=days) if days > 0 else None

    # --- history ------------------------------------------------------------------

    async def async_history(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
        states: Iterable[OrderState] | None = None,
        worker: str | None = None,
        room: str | None = None,
        scheduled: tuple[datetime, datetime] | None = None,
    ) -> list[Order]:
        """Return finished orders from the database: newest ``limit`` in the range.

        ``start``/``end`` bound when orders were created; ``scheduled`` bounds when
        visits were scheduled to start (the bookings calendar).
        """
        assert self.db is not None
        rows = await self.db.async_query_orders(
            self.hass,
            self.entry.entry_id,
            start=start,
            end=end,
            limit=limit,
            live=False,
            filters=HistoryFilter(
                states=None if states is None else tuple(s.value for s in states),
                worker=worker,
                room=room,
                scheduled_from=scheduled[0].isoformat() if scheduled else None,
                scheduled_until=scheduled[1].isoformat() if scheduled else None,
            ),
        )
        return [Order.from_dict(row) for row in rows]

    # --- statistics ---------------------------------------------------------------

    def response_times(self) -> ResponseTimeStats:
        """Return created -> accepted statistics over the last 24 hours.

        Computed once per change of the site (every sensor that shows them asks).
        """
        if self._stats is None or self._stats[0] != self._changes:
            self._stats = (
                self._changes,
                self.site.desk.response_times(dt_util.utcnow()),
            )
        return self._stats[1]

    # --- workers and orders --------------------------------------------------------

    async def async_set_on_duty(
        self, worker_id: str, on_duty: bool, context: Context | None = None
    ) -> None:
        """Put a worker on or off duty."""
        await self.async_run(
            lambda now: (None, self.site.set_on_duty(worker_id, on_duty, now)), context
        )

    async def async_book_cleaning(
        self, context: Context | None, **booking: Any
    ) -> OrderOutcome:
        """Book a cleaning visit (see Site.book_cleaning for the fields).

        In a hotel a paid service for a room needs a stay to be billed to.
        """
        hotel = self.site_type == SiteType.HOTEL
        return _outcome(
            *await self.async_run_with_events(
                lambda now: self.site.book_cleaning(
                    now=now, paid_needs_stay=hotel, **booking
                ),
                context,
            )
        )

    async def async_request_service(
        self, context: Context | None, **request: Any
    ) -> OrderOutcome:
        """Raise a request from a room (see Site.request_service).

        In a hotel a paid request needs a stay to be billed to.
        """
        hotel = self.site_type == SiteType.HOTEL
        return _outcome(
            *await self.async_run_with_events(
                lambda now: self.site.request_service(
                    now=now, paid_needs_stay=hotel, **request
                ),
                context,
            )
        )

    async def _order_op(
        self,
        order_id: str,
        context: Context | None,
        operation: Callable[[str, datetime], Sequence[DomainEvent]],
    ) -> OrderOutcome:
        def _run(now: datetime) -> tuple[Order, Sequence[DomainEvent]]:
            order = self.site.order(order_id)
            return order, operation(order.id, now)

        return _outcome(*await self.async_run_with_events(_run, context))

    async def async_assign_order(
        self, order_id: str, worker_id: str | None, context: Context | None
    ) -> OrderOutcome:
        """Offer an order to one worker, or run the dispatch strategy."""
        actor = _user_actor(context)
        return await self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.assign(oid, worker_id, actor, now),
        )

    async def async_accept_order(
        self, order_id: str, worker_id: str, context: Context | None
    ) -> OrderOutcome:
        """A worker accepts an offered order."""
        return await self._order_op(
            order_id, context, lambda oid, now: self.site.accept(oid, worker_id, now)
        )

    async def async_decline_order(
        self,
        order_id: str,
        worker_id: str,
        context: Context | None,
        reason: str | None = None,
    ) -> OrderOutcome:
        """A worker declines an offered order."""
        return await self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.decline(oid, worker_id, reason, now),
        )

    async def async_give_back_order(
        self,
        order_id: str,
        worker_id: str,
        context: Context | None,
        reason: str | None = None,
    ) -> OrderOutcome:
        """A worker gives an accepted order back."""
        return await self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.give_back(oid, worker_id, reason, now),
        )

    async def async_start_order(
        self, order_id: str, worker_id: str, context: Context | None
    ) -> OrderOutcome:
        """A worker starts an order."""
        return await self._order_op(
            order_id, context, lambda oid, now: self.site.start(oid, worker_id, now)
        )

    async def async_complete_order(
        self,
        order_id: str,
        worker_id: str,
        context: Context | None,
        note: str | None = None,
    ) -> OrderOutcome:
        """A worker completes an order."""
        return await self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.complete(oid, worker_id, note, now),
        )

    async def async_finish_order(
        self, order_id: str, worker_id: str, context: Context | None
    ) -> OrderOutcome:
        """Done from a phone or a to-do list: start if needed, then complete."""
        return await self._order_op(
            order_id, context, lambda oid, now: self.site.finish(oid, worker_id, now)
        )

    async def async_cancel_order(
        self, order_id: str, context: Context | None, reason: str | None = None
    ) -> OrderOutcome:
        """Cancel an order before work starts."""
        actor = _user_actor(context)
        return await self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.cancel(oid, actor, reason, now),
        )


def _outcome(order: Order, events: Sequence[DomainEvent]) -> OrderOutcome:
    """The order and the codes an order operation issued (for its caller only)."""
    return OrderOutcome(order, tuple(e for e in events if isinstance(e, CodeDelivery)))


def _user_actor(context: Context | None) -> str:
    """Return who asked: ``user:<id>`` for a person, ``automation`` otherwise."""
    if context is not None and context.user_id:
        return f"user:{context.user_id}"
    return "automation"
