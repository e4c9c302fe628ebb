"""The running state of one site: its domain model, store, boards, timers, listeners."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .cabinet_glue import CabinetGlue
from .const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_BOARD_DEVICE,
    CONF_CODE_VALIDITY,
    CONF_COMPARTMENTS,
    CONF_CONFIRM_TIMEOUT,
    CONF_CURRENCY,
    CONF_DISPATCH_STRATEGY,
    CONF_DOORS,
    CONF_DRIVER,
    CONF_LOCKS,
    CONF_OFFLINE_REPAIR_AFTER,
    CONF_PULSE,
    CONF_ROLES,
    CONF_SERVICE_TYPES,
    CONF_SITE_TYPE,
    CONF_TOPIC_PREFIX,
    DEFAULT_ACCEPTANCE_TIMEOUT,
    DEFAULT_CODE_VALIDITY,
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_DISPATCH_STRATEGY,
    DEFAULT_OFFLINE_REPAIR_AFTER,
    DEFAULT_PULSE,
    DOMAIN,
    EVENT_AUDIT,
    EVENT_ORDER_ESCALATED,
    EVENT_ORDER_UPDATED,
    ISSUE_BOARD_OFFLINE,
    LOGGER,
    DriverType,
    SubentryType,
)
from .core.catalog import Role, ServiceCatalog, ServiceType
from .core.dispatch import DispatchPolicy, DispatchStrategy
from .core.errors import DoorServiceError
from .core.events import CodeDelivery, DomainEvent, OrderEvent, OrderEventKind
from .core.orders import Order
from .core.site import CabinetConfig, RoomConfig, Site, SiteConfig, WorkerConfig
from .core.statistics import ResponseTimeStats
from .drivers.base import BoardReport, BoardSignal, CabinetDriver, DriverError
from .drivers.entities import EntitiesCabinetDriver
from .drivers.mqtt import MqttCabinetDriver
from .drivers.virtual import VirtualCabinetDriver
from .notifications import WorkerNotifier
from .rooms import RoomsRuntime
from .storage import SAVE_DELAY, SiteStore

type DoorServiceConfigEntry = ConfigEntry[SiteRuntime]


def compartment_key(cabinet_id: str, number: int) -> str:
    """Return the listener key of one compartment's entities."""
    return f"{cabinet_id}:{number}"


SITE_KEY = "site"
HOUSEKEEPING_INTERVAL = timedelta(hours=24)
ESCALATION_ISSUE = "orders_escalated"


@dataclass(slots=True)
class CabinetRuntime:
    """A configured cabinet and the driver of its board."""

    subentry: ConfigSubentry
    driver: CabinetDriver

    @property
    def cabinet_id(self) -> str:
        """Return the cabinet's stable id (its subentry id)."""
        return self.subentry.subentry_id

    @property
    def name(self) -> str:
        """Return the cabinet's name."""
        return self.subentry.title


def site_config(entry: ConfigEntry[Any]) -> SiteConfig:
    """Build the domain's view of a site's configuration from its config entry."""
    options = entry.options
    subs = list(entry.subentries.values())
    return SiteConfig(
        name=str(entry.data[CONF_NAME]),
        currency=str(entry.data[CONF_CURRENCY]),
        policy=DispatchPolicy(
            DispatchStrategy(
                options.get(CONF_DISPATCH_STRATEGY, DEFAULT_DISPATCH_STRATEGY)
            ),
            timedelta(
                minutes=options.get(CONF_ACCEPTANCE_TIMEOUT, DEFAULT_ACCEPTANCE_TIMEOUT)
            ),
        ),
        code_validity=timedelta(
            hours=options.get(CONF_CODE_VALIDITY, DEFAULT_CODE_VALIDITY)
        ),
        workers=tuple(
            WorkerConfig(
                s.subentry_id,
                s.title,
                frozenset(Role(role) for role in s.data.get(CONF_ROLES, ())),
            )
            for s in subs
            if s.subentry_type == SubentryType.WORKER
        ),
        cabinets=tuple(
            CabinetConfig(s.subentry_id, s.title, int(s.data[CONF_COMPARTMENTS]))
            for s in subs
            if s.subentry_type == SubentryType.CABINET
        ),
        rooms=tuple(
            RoomConfig(s.subentry_id, s.title, tuple(s.data.get("appliances", ())))
            for s in subs
            if s.subentry_type == SubentryType.ROOM
        ),
        service_types=configured_service_types(entry),
    )


def configured_service_types(
    entry: ConfigEntry[Any],
) -> tuple[ServiceType, ...] | None:
    """Return the service catalog edited in the options (None when never edited).

    A catalog that does not validate (edited by hand) is ignored with a warning:
    the site keeps the catalog it has.
    """
    raw = entry.options.get(CONF_SERVICE_TYPES)
    if not raw:
        return None
    try:
        return tuple(ServiceCatalog.from_dict({"service_types": raw}))
    except (DoorServiceError, KeyError, TypeError, AttributeError) as err:
        LOGGER.warning(
            "Ignoring the invalid service catalog of %s: %s", entry.title, err
        )
        return None


class SiteRuntime:
    """Everything a loaded site needs while Home Assistant runs."""

    def __init__(self, hass: HomeAssistant, entry: DoorServiceConfigEntry) -> None:
        """Create the runtime for ``entry``; nothing is loaded yet."""
        self.hass = hass
        self.entry = entry
        self.store = SiteStore(hass, entry.entry_id)
        self.site = Site(site_config(entry))
        self.cabinets: dict[str, CabinetRuntime] = {}
        self.notifier = WorkerNotifier(self)
        self.cabinet_glue = CabinetGlue(self)
        self.rooms = RoomsRuntime(self)
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._order_listeners: list[Callable[[OrderEvent, Order], None]] = []
        self._deadline_unsub: CALLBACK_TYPE | None = None
        self._housekeeping_unsub: CALLBACK_TYPE | None = None
        self._board_online: dict[str, bool] = {}
        self._repair_timers: dict[str, CALLBACK_TYPE] = {}
        self._stopped = False
        self._pending_events: list[object] = []
        self.site_device_id = ""
        self.deliveries: list[CodeDelivery] = []
        self._cabinet_event_listeners: dict[
            str, list[Callable[[str, dict[str, Any]], None]]
        ] = {}
        self.entity_unique_ids: set[str] = set()
        self.todo_item_cache: dict[str, tuple[int, Any]] = {}
        self._changes = 0
        self._stats: tuple[int, ResponseTimeStats] | None = None

    # --- configuration -------------------------------------------------------------

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
        stored = await self.store.async_load()
        self.site = Site.from_dict(stored, config) if stored else Site(config)
        if forgotten := self.site.housekeeping(dt_util.utcnow()):
            LOGGER.debug("Forgot %s orders finished long ago", len(forgotten))
        # Orders of workers removed while the site was not loaded go back to the
        # queue; offers that timed out while Home Assistant was down expire now.
        events = self.site.reconfigure(config, dt_util.utcnow())
        events += self.site.expire_offers(dt_util.utcnow())
        for sub in self.subentries(SubentryType.CABINET):
            self.cabinets[sub.subentry_id] = CabinetRuntime(
                sub, self._create_cabinet_driver(sub)
            )
        self.rooms.load()
        self._pending_events = list(events)

    def _create_cabinet_driver(self, sub: ConfigSubentry) -> CabinetDriver:
        count = int(sub.data[CONF_COMPARTMENTS])
        cabinet_id = sub.subentry_id

        @callback
        def _on_report(report: BoardReport) -> None:
            self._handle_cabinet_report(cabinet_id, report)

        driver = sub.data.get(CONF_DRIVER, DriverType.VIRTUAL)
        LOGGER.debug("Cabinet %s uses the %s driver", sub.title, driver)
        confirm_timeout = float(
            sub.data.get(CONF_CONFIRM_TIMEOUT, DEFAULT_CONFIRM_TIMEOUT)
        )
        if driver == DriverType.ENTITIES:
            return EntitiesCabinetDriver(
                self.hass,
                count,
                _on_report,
                locks=list(sub.data[CONF_LOCKS]),
                doors=list(sub.data.get(CONF_DOORS) or []),
                board_device_id=sub.data.get(CONF_BOARD_DEVICE),
                pulse=float(sub.data.get(CONF_PULSE, DEFAULT_PULSE)),
                confirm_timeout=confirm_timeout,
            )
        if driver == DriverType.MQTT:
            return MqttCabinetDriver(
                self.hass,
                count,
                _on_report,
                prefix=str(sub.data[CONF_TOPIC_PREFIX]),
                confirm_timeout=confirm_timeout,
            )
        return VirtualCabinetDriver(self.hass, count, _on_report)

    async def async_start(self) -> None:
        """Start every board, then settle what happened while we were down.

        A board still offline after its start gets its repair timer running.
        """
        for cabinet_id, cabinet in self.cabinets.items():
            await cabinet.driver.async_start()
            if not cabinet.driver.state.available:
                self._schedule_repair(cabinet_id)
        self.notifier.async_start()
        await self.cabinet_glue.async_start()
        await self.rooms.async_start()
        self._housekeeping_unsub = async_track_time_interval(
            self.hass,
            self._async_housekeeping,
            HOUSEKEEPING_INTERVAL,
            cancel_on_shutdown=True,
        )
        events, self._pending_events = self._pending_events, []
        self.async_apply(events, None)
        self._schedule_deadline()

    async def async_stop(self) -> None:
        """Stop boards and timers and write the state at once."""
        if self._stopped:
            return
        self._stopped = True
        if self._deadline_unsub:
            self._deadline_unsub()
            self._deadline_unsub = None
        if self._housekeeping_unsub:
            self._housekeeping_unsub()
            self._housekeeping_unsub = None
        self.notifier.async_stop()
        for cancel in self._repair_timers.values():
            cancel()
        self._repair_timers.clear()
        for cabinet_id in self.cabinets:
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(cabinet_id))
        self.cabinet_glue.async_stop()
        for cabinet in self.cabinets.values():
            await cabinet.driver.async_stop()
        await self.rooms.async_stop()
        self._listeners.clear()
        self._order_listeners.clear()
        await self.store.async_save(self.site.to_dict())

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
    async def async_remove_store(
        hass: HomeAssistant, entry: DoorServiceConfigEntry
    ) -> None:
        """Delete the stored state of a site that was removed."""
        await SiteStore(hass, entry.entry_id).async_remove()
        ir.async_delete_issue(hass, DOMAIN, f"{ESCALATION_ISSUE}_{entry.entry_id}")

    # --- persistence and listeners -----------------------------------------------

    @callback
    def async_schedule_save(self) -> None:
        """Write the state soon; bursts of changes are written once."""
        self.store.async_delay_save(self.site.to_dict, SAVE_DELAY)

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
    def async_add_order_listener(
        self, listener: Callable[[OrderEvent, Order], None]
    ) -> Callable[[], None]:
        """Call ``listener`` for every order event (the order event entity)."""
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

    @callback
    def async_run[T](
        self,
        operation: Callable[[datetime], tuple[T, Sequence[DomainEvent]]],
        context: Context | None,
    ) -> T:
        """Run a domain operation now and apply what it reports.

        A refused operation raises a translated ``ServiceValidationError`` and changes
        nothing (the domain validates before it mutates).
        """
        now = dt_util.utcnow()
        try:
            result, events = operation(now)
        except DoorServiceError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=err.translation_key,
                translation_placeholders=self._placeholders(err.placeholders),
            ) from err
        self.async_apply(self.site.follow_up(events, now), context)
        return result

    def _placeholders(self, raw: dict[str, str]) -> dict[str, str]:
        """Replace ids in error placeholders by the names a person knows."""
        named = dict(raw)
        for key in ("worker", "room", "cabinet_id", "cabinet"):
            if key in named:
                named[key] = self.part_name(named[key]) or named[key]
        return named

    @callback
    def async_apply(self, events: Iterable[object], context: Context | None) -> None:
        """Turn domain events into bus events, notifications and state writes."""
        self._changes += 1
        events = list(events)
        self.deliveries = [e for e in events if isinstance(e, CodeDelivery)]
        for event in events:
            if isinstance(event, OrderEvent):
                self._apply_order_event(event, context)
        self.cabinet_glue.apply(events, context)
        self.rooms.async_apply(events, context)
        self._update_escalation_issue()
        self._schedule_deadline()
        self.async_schedule_save()
        if events:
            self.async_notify(*self._affected_parts(events))
        else:
            self.async_notify_all()

    def _affected_parts(self, events: Sequence[object]) -> set[str]:
        """Return the parts whose entities an operation's events may have changed.

        The site itself, and every cabinet, room and worker an event names, directly
        or through its order (room, worker, offers, compartments), so a big site
        writes a handful of states per action instead of all of them.
        """
        parts = {SITE_KEY}
        for event in events:
            for attribute in ("cabinet_id", "room_id", "room", "worker", "worker_id"):
                if isinstance(value := getattr(event, attribute, None), str):
                    parts.add(value)
            cabinet_id = getattr(event, "cabinet_id", None)
            number = getattr(event, "number", getattr(event, "compartment", None))
            if isinstance(cabinet_id, str) and isinstance(number, int):
                parts.add(compartment_key(cabinet_id, number))
            order_id = getattr(event, "order_id", None)
            if not isinstance(order_id, str) or order_id not in self.site.desk.book:
                continue
            order = self.site.desk.get(order_id)
            parts.update(p for p in (order.room, order.worker, *order.offers) if p)
            for cabinet_id, cabinet in self.site.cabinets.items():
                for compartment in cabinet.compartments_for(order_id):
                    parts.add(cabinet_id)
                    parts.add(compartment_key(cabinet_id, compartment.number))
        return parts

    def _apply_order_event(self, event: OrderEvent, context: Context | None) -> None:
        order = self.site.desk.get(event.order_id)
        for listener in list(self._order_listeners):
            listener(event, order)
        if event.kind is OrderEventKind.TRANSITION:
            self.hass.bus.async_fire(
                EVENT_ORDER_UPDATED,
                self.order_event_data(event, order),
                context=context,
            )
        elif event.kind is OrderEventKind.ESCALATED:
            self.hass.bus.async_fire(
                EVENT_ORDER_ESCALATED,
                self.order_event_data(event, order),
                context=context,
            )
        self.notifier.async_handle(event, order)

    def order_event_data(self, event: OrderEvent, order: Order) -> dict[str, Any]:
        """Return the bus event data of an order event (no phone, no code)."""
        return {
            "order_id": order.id,
            "site": self.name,
            "site_id": self.entry.entry_id,
            "state": event.state.value,
            "previous_state": (
                event.previous_state.value if event.previous_state else None
            ),
            "service_type": order.service_type,
            "room": self.part_name(order.room),
            "worker": self.part_name(event.worker or order.worker),
            "actor": self.actor_name(event.actor),
            "kind": event.kind.value,
            "detail": event.detail,
        }

    def actor_name(self, actor: str | None) -> str | None:
        """Return who acted, in words (``worker:<id>`` becomes the worker's name)."""
        if actor and actor.startswith("worker:"):
            return self.part_name(actor.removeprefix("worker:"))
        return actor

    def _update_escalation_issue(self) -> None:
        escalated = [o.id for o in self.site.desk.book if o.escalated and o.is_open]
        issue_id = f"{ESCALATION_ISSUE}_{self.entry.entry_id}"
        if escalated:
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ESCALATION_ISSUE,
                translation_placeholders={
                    "site": self.name,
                    "orders": ", ".join(sorted(escalated)),
                },
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    def _schedule_deadline(self) -> None:
        if self._deadline_unsub:
            self._deadline_unsub()
            self._deadline_unsub = None
        if self._stopped or (deadline := self.site.next_deadline()) is None:
            return

        @callback
        def _expire(now: datetime) -> None:
            self._deadline_unsub = None
            self.async_apply(self.site.expire_offers(dt_util.utcnow()), None)

        self._deadline_unsub = async_track_point_in_utc_time(
            self.hass, _expire, max(deadline, dt_util.utcnow())
        )

    @callback
    def _async_housekeeping(self, now: datetime) -> None:
        """Once a day: forget orders finished long ago, used and expired codes."""
        if self.site.housekeeping(dt_util.utcnow()):
            self.async_schedule_save()
            self.async_notify_all()

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

    # --- board reports ------------------------------------------------------------

    @callback
    def _handle_cabinet_report(self, cabinet_id: str, report: BoardReport) -> None:
        self.cabinet_glue.handle_report(cabinet_id, report)
        parts = [cabinet_id]
        if report.compartment is not None:
            parts.append(compartment_key(cabinet_id, report.compartment))
        elif report.signal is BoardSignal.AVAILABILITY:
            self._board_availability(cabinet_id, bool(report.value))
            if cabinet := self.cabinets.get(cabinet_id):
                parts += [
                    compartment_key(cabinet_id, number)
                    for number in cabinet.driver.state.compartments
                ]
        self.async_notify(*parts)

    @property
    def offline_repair_after(self) -> int:
        """Return the minutes a board may be offline before a repair issue appears."""
        return int(
            self.entry.options.get(
                CONF_OFFLINE_REPAIR_AFTER, DEFAULT_OFFLINE_REPAIR_AFTER
            )
        )

    def _issue_id(self, cabinet_id: str) -> str:
        return f"{ISSUE_BOARD_OFFLINE}_{self.entry.entry_id}_{cabinet_id}"

    @callback
    def _board_availability(self, cabinet_id: str, online: bool) -> None:
        """Log a change once, and keep the board's repair issue in step with it."""
        previous = self._board_online.get(cabinet_id)
        if previous is online or self._stopped:
            return
        self._board_online[cabinet_id] = online
        cabinet = self.cabinets.get(cabinet_id)
        name = cabinet.name if cabinet else cabinet_id
        if online:
            if cancel := self._repair_timers.pop(cabinet_id, None):
                cancel()
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(cabinet_id))
            if previous is None:
                LOGGER.debug("Cabinet %s is online", name)
            else:
                LOGGER.info("Cabinet %s is back online", name)
            return
        LOGGER.warning("Cabinet %s is offline", name)
        self._schedule_repair(cabinet_id)

    @callback
    def _schedule_repair(self, cabinet_id: str) -> None:
        """Raise the board's repair issue unless it comes online in time."""
        if cabinet_id in self._repair_timers:
            return
        cabinet = self.cabinets.get(cabinet_id)
        name = cabinet.name if cabinet else cabinet_id
        minutes = self.offline_repair_after

        @callback
        def _raise_issue(_now: object) -> None:
            self._repair_timers.pop(cabinet_id, None)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self._issue_id(cabinet_id),
                is_fixable=False,
                is_persistent=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_BOARD_OFFLINE,
                translation_placeholders={
                    "cabinet": name,
                    "site": self.name,
                    "minutes": str(minutes),
                },
            )

        self._repair_timers[cabinet_id] = async_call_later(
            self.hass, minutes * 60, _raise_issue
        )

    # --- workers ------------------------------------------------------------------

    @callback
    def async_set_on_duty(
        self, worker_id: str, on_duty: bool, context: Context | None = None
    ) -> None:
        """Put a worker on or off duty."""
        self.async_run(
            lambda now: (None, self.site.set_on_duty(worker_id, on_duty, now)), context
        )

    # --- orders -------------------------------------------------------------------

    @callback
    def async_book_cleaning(self, context: Context | None, **booking: Any) -> Order:
        """Book a cleaning visit (see Site.book_cleaning for the fields)."""
        return self.async_run(
            lambda now: self.site.book_cleaning(now=now, **booking), context
        )

    @callback
    def async_request_service(self, context: Context | None, **request: Any) -> Order:
        """Raise a request from a room (see Site.request_service)."""
        return self.async_run(
            lambda now: self.site.request_service(now=now, **request), context
        )

    def _order_op(
        self,
        order_id: str,
        context: Context | None,
        operation: Callable[[str, datetime], Sequence[DomainEvent]],
    ) -> Order:
        def _run(now: datetime) -> tuple[Order, Sequence[DomainEvent]]:
            order = self.site.order(order_id)
            return order, operation(order.id, now)

        return self.async_run(_run, context)

    @callback
    def async_assign_order(
        self, order_id: str, worker_id: str | None, context: Context | None
    ) -> Order:
        """Offer an order to one worker, or run the dispatch strategy."""
        actor = _user_actor(context)
        return self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.assign(oid, worker_id, actor, now),
        )

    @callback
    def async_accept_order(
        self, order_id: str, worker_id: str, context: Context | None
    ) -> Order:
        """A worker accepts an offered order."""
        return self._order_op(
            order_id, context, lambda oid, now: self.site.accept(oid, worker_id, now)
        )

    @callback
    def async_decline_order(
        self,
        order_id: str,
        worker_id: str,
        context: Context | None,
        reason: str | None = None,
    ) -> Order:
        """A worker declines an offered order."""
        return self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.decline(oid, worker_id, reason, now),
        )

    @callback
    def async_give_back_order(
        self,
        order_id: str,
        worker_id: str,
        context: Context | None,
        reason: str | None = None,
    ) -> Order:
        """A worker gives an accepted order back."""
        return self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.give_back(oid, worker_id, reason, now),
        )

    @callback
    def async_start_order(
        self, order_id: str, worker_id: str, context: Context | None
    ) -> Order:
        """A worker starts an order."""
        return self._order_op(
            order_id, context, lambda oid, now: self.site.start(oid, worker_id, now)
        )

    @callback
    def async_complete_order(
        self,
        order_id: str,
        worker_id: str,
        context: Context | None,
        note: str | None = None,
    ) -> Order:
        """A worker completes an order."""
        return self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.complete(oid, worker_id, note, now),
        )

    @callback
    def async_finish_order(
        self, order_id: str, worker_id: str, context: Context | None
    ) -> Order:
        """Done from a phone or a to-do list: start if needed, then complete."""
        return self._order_op(
            order_id, context, lambda oid, now: self.site.finish(oid, worker_id, now)
        )

    @callback
    def async_cancel_order(
        self, order_id: str, context: Context | None, reason: str | None = None
    ) -> Order:
        """Cancel an order before work starts."""
        actor = _user_actor(context)
        return self._order_op(
            order_id,
            context,
            lambda oid, now: self.site.cancel(oid, actor, reason, now),
        )

    # --- cabinets -----------------------------------------------------------------

    @callback
    def async_set_in_service(
        self,
        cabinet: CabinetRuntime,
        number: int,
        in_service: bool,
        context: Context | None,
    ) -> None:
        """Put a compartment in or out of service (refused while it holds items)."""
        self.async_run(
            lambda now: (
                None,
                self.site.cabinets[cabinet.cabinet_id].set_out_of_service(
                    number, not in_service
                ),
            ),
            context,
        )

    async def async_maintenance_lock(
        self,
        cabinet: CabinetRuntime,
        compartment: int,
        *,
        locked: bool,
        context: Context | None,
    ) -> None:
        """Lock or unlock a compartment directly: an audited maintenance action."""
        try:
            if locked:
                await cabinet.driver.async_lock(compartment)
            else:
                await cabinet.driver.async_unlock(compartment)
        except DriverError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=err.translation_key,
                translation_placeholders={
                    "cabinet": cabinet.name,
                    "compartment": str(compartment),
                    **err.placeholders,
                },
            ) from err
        self.hass.bus.async_fire(
            EVENT_AUDIT,
            {
                "site": self.name,
                "cabinet": cabinet.name,
                "compartment": compartment,
                "action": "maintenance_lock" if locked else "maintenance_unlock",
            },
            context=context,
        )

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the state for diagnostics (redacted by the caller)."""
        return {
            "site": self.site.to_dict(),
            "cabinets": {
                cabinet_id: {
                    "name": cabinet.name,
                    "available": cabinet.driver.state.available,
                    "compartments": len(cabinet.driver.state.compartments),
                }
                for cabinet_id, cabinet in self.cabinets.items()
            },
        }


def _user_actor(context: Context | None) -> str:
    """Return who asked: ``user:<id>`` for a person, ``automation`` otherwise."""
    if context is not None and context.user_id:
        return f"user:{context.user_id}"
    return "automation"
