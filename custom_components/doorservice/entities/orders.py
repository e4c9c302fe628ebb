"""Entities that show a site's orders: the bookings calendar, order events, queues.

The order counts and response times are described in ``sensor.py``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import re
from typing import Any

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.components.calendar.const import CalendarEntityFeature
from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription
from homeassistant.util import dt as dt_util

from ..authorization import NotAllowed
from ..const import DOMAIN, SubentryType
from ..core.errors import DoorServiceError
from ..core.events import OrderEvent, OrderEventKind
from ..core.orders import FINAL_STATES, Order, OrderState
from ..effects import order_event_data
from ..entity import SiteEntity
from ..runtime import SiteRuntime
from ..texts import server_language, state_label, text
from .worker import order_todo_item

DEFAULT_VISIT = timedelta(hours=2)

CALENDAR = CalendarEntityDescription(key="bookings", translation_key="bookings")
ORDER_EVENT = EventEntityDescription(
    key="order",
    translation_key="order",
    event_types=[
        *(state.value for state in OrderState),
        OrderEventKind.OFFERED.value,
        OrderEventKind.ESCALATED.value,
    ],
)


def _end(order: Order) -> datetime:
    """Return when a visit ends (its start plus a default length when open-ended)."""
    assert order.scheduled_start is not None
    return order.scheduled_end or order.scheduled_start + DEFAULT_VISIT


NAMED_CATEGORIES = frozenset(
    {
        "cleaning",
        "linen",
        "food",
        "maintenance",
        "concierge",
        "assistance",
        "general",
    }
)
"""Categories of the default catalogs, each with a translated list name
(``entity.todo.queue_<category>``); other categories are named by their id."""


WORD = re.compile(r"[^\W_]+")
"""A word of a summary or a service type's name or id (underscores split words)."""


def _next_hour(moment: datetime) -> datetime:
    """Return the first whole hour after ``moment`` (UTC in, UTC out)."""
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def _local_text(moment: datetime) -> str:
    """Return a moment as people at the site read it (local time, to the minute)."""
    return dt_util.as_local(moment).strftime("%Y-%m-%d %H:%M")


QUEUE_LIMIT = 25
"""A category list shows its oldest open requests, at most this many."""
MAX_VISIT = timedelta(days=1)
"""The longest visit the calendar looks back for (history by scheduled start)."""
HISTORY_EVENTS = 500
"""At most this many finished visits in one calendar view."""


def _is_visit(order: Order) -> bool:
    """A booked visit the calendar shows (scheduled, not cancelled)."""
    return order.scheduled_start is not None and order.state is not OrderState.CANCELLED


class BookingsCalendar(SiteEntity, CalendarEntity):
    """The site's scheduled visits; creating an event books, deleting cancels.

    Who may: a manager or the system; a room's terminal users may book for their
    own room (the event's location names it); the booker of an order may cancel
    it. Home Assistant's calendar websocket commands (the calendar panel) call
    the entity without a context, so nobody can be told from anybody there: only
    a command of an entity-service call (``calendar.create_event``, or a context
    set just for the call) is accepted, each context for one command only.
    """

    _attr_supported_features = (
        CalendarEntityFeature.CREATE_EVENT | CalendarEntityFeature.DELETE_EVENT
    )
    _command_context: Context | None = None

    @callback
    def async_set_context(self, context: Context) -> None:
        """Set the context of an entity-service call: its caller, for one command."""
        super().async_set_context(context)
        self._command_context = context

    def _take_command_context(self, command: str) -> Context:
        """Return the context set for this command; refuse a command without one."""
        context, self._command_context = self._command_context, None
        if context is None:
            raise NotAllowed(Context(), f"{command} ({self.entity_id})")
        return context

    def _room_named(self, location: str) -> str | None:
        """Return the room of the site a location names (its name or id)."""
        wanted = location.strip().casefold()
        for sub in self.runtime.subentries(SubentryType.ROOM):
            if wanted in (sub.subentry_id.casefold(), sub.title.strip().casefold()):
                return sub.subentry_id
        return None

    def __init__(self, runtime: SiteRuntime) -> None:
        """Create the calendar of ``runtime``'s site."""
        super().__init__(runtime, CALENDAR)
        self._visits: dict[str, Order] = {
            order.id: order for order in runtime.site.desk.book if _is_visit(order)
        }
        """The live bookings (scheduled visits), followed order by order."""

    def _handle_update(self) -> None:
        """Follow the visits the last action touched; write only when one did."""
        book = self.runtime.site.desk.book
        changed = False
        for order_id in self.runtime.last_touched.orders:
            order = book.find(order_id)
            if order is not None and _is_visit(order):
                self._visits[order_id] = order
                changed = True
            elif self._visits.pop(order_id, None) is not None:
                changed = True
        if changed:
            super()._handle_update()

    def _event(self, order: Order) -> CalendarEvent:
        assert order.scheduled_start is not None
        runtime = self.runtime
        try:
            service = runtime.site.catalog.get(order.service_type).name
        except DoorServiceError:
            service = order.service_type
        worker = runtime.part_name(order.worker)
        language = server_language(runtime.hass)
        return CalendarEvent(
            start=dt_util.as_local(order.scheduled_start),
            end=dt_util.as_local(_end(order)),
            summary=f"{service} ({order.id})",
            description="\n".join(
                line
                for line in (
                    text(
                        language,
                        "calendar_state",
                        state=state_label(language, order.state.value),
                    ),
                    text(language, "calendar_worker", worker=worker)
                    if worker
                    else None,
                    order.message,
                )
                if line
            ),
            location=runtime.part_name(order.room) or order.address,
            uid=order.id,
        )

    def _bookings(self) -> list[Order]:
        return list(self._visits.values())

    @property
    def event(self) -> CalendarEvent | None:
        """Return the current or next visit."""
        now = dt_util.utcnow()
        upcoming = sorted(
            (
                order
                for order in self._bookings()
                if order.state not in FINAL_STATES and _end(order) > now
            ),
            key=lambda order: order.scheduled_start or now,
        )
        return self._event(upcoming[0]) if upcoming else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the visits between ``start_date`` and ``end_date``.

        Live bookings from memory; finished visits from the site's history.
        """
        history = await self.runtime.async_history(
            scheduled=(
                dt_util.as_utc(start_date) - MAX_VISIT,
                dt_util.as_utc(end_date),
            ),
            limit=HISTORY_EVENTS,
            states=(OrderState.CLOSED,),
        )
        events = [self._event(order) for order in (*self._bookings(), *history)]
        return [
            event
            for event in events
            if event.end_datetime_local > start_date
            and event.start_datetime_local < end_date
        ]

    async def async_create_event(self, **kwargs: Any) -> None:
        """Book a cleaning from a calendar event (summary names the service).

        A manager or the system books at the event's location; a room's terminal
        user only for their own room, named by the location. Anybody else is
        refused before anything is booked.
        """
        context = self._take_command_context("calendar.create_event")
        location = kwargs.get("location")
        room = self._room_named(location) if isinstance(location, str) else None
        caller = await self.async_require_caller(
            "calendar.create_event",
            lambda caller: caller.is_room_terminal(self.runtime, room),
            context,
        )
        start, end = kwargs["dtstart"], kwargs["dtend"]
        if not isinstance(start, datetime):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="booking_needs_time"
            )
        if not location:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="location_required"
            )
        where: dict[str, str | None] = (
            {"address": location}
            if caller.is_privileged
            else {"room": room}  # a terminal books for its room, never an address
        )
        language = server_language(self.hass)
        notes: list[str] = []
        service_type, named = self._service_type(kwargs.get("summary", ""))
        if not named:
            notes.append(self._default_type_note(language, service_type))
        start_utc, end_utc = dt_util.as_utc(start), dt_util.as_utc(end)
        if start_utc < _next_hour(dt_util.utcnow()):
            # Home Assistant proposes the current hour: it has begun. Book the
            # next free hour instead, for as long as the event was, and say so.
            length = end_utc - start_utc if end_utc > start_utc else DEFAULT_VISIT
            free = self._next_free_start(
                _next_hour(dt_util.utcnow()), length, room or location
            )
            notes.append(
                text(
                    language,
                    "calendar_moved",
                    asked=_local_text(start_utc),
                    start=_local_text(free),
                )
            )
            start_utc, end_utc = free, free + length
        description = kwargs.get("description")
        await self.runtime.async_book_cleaning(
            context,
            service_type=service_type,
            requester="calendar",
            start=start_utc,
            end=end_utc,
            message="\n".join(line for line in (description, *notes) if line) or None,
            booked_by=context.user_id,
            guest=not caller.is_privileged,
            **where,
        )

    def _service_type(self, summary: str) -> tuple[str, bool]:
        """Return the service type the summary's words name, and whether one did.

        A type is named by its name or its id (underscores as spaces) anywhere in
        the summary, as whole words; the longest name wins ("deep cleaning" over
        "cleaning"). Nothing named: the site's default booking type.
        """
        words = f" {' '.join(re.findall(WORD, summary.casefold()))} "
        best: tuple[int, str] | None = None
        for kind in self.runtime.site.catalog:
            for phrase in (kind.name.casefold(), kind.id.replace("_", " ")):
                spaced = " ".join(re.findall(WORD, phrase))
                if (
                    spaced
                    and f" {spaced} " in words
                    and (best is None or len(spaced) > best[0])
                ):
                    best = (len(spaced), kind.id)
        if best is not None:
            return best[1], True
        if (default := self.runtime.site.catalog.default_booking_type()) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_cleaning_type"
            )
        return default, False

    def _default_type_note(self, language: str, service_type: str) -> str:
        """The note of a booking whose summary named no service type."""
        catalog = self.runtime.site.catalog
        others = [kind.name for kind in catalog if kind.id != service_type]
        return text(
            language,
            "calendar_default_type",
            service=catalog.get(service_type).name,
            example=others[0] if others else catalog.get(service_type).name,
        )

    def _next_free_start(
        self, earliest: datetime, length: timedelta, location: str | None
    ) -> datetime:
        """Return the first whole hour from ``earliest`` with no live visit there."""
        start = earliest
        taken = [
            (order.scheduled_start, _end(order))
            for order in self._visits.values()
            if order.is_open
            and order.scheduled_start is not None
            and location is not None
            and location in (order.room, order.address)
        ]
        for _ in range(len(taken) + 1):
            clash = next(
                (end for begin, end in taken if begin < start + length and start < end),
                None,
            )
            if clash is None:
                break
            start = _next_hour(clash - timedelta(microseconds=1))
        return start

    async def async_delete_event(
        self,
        uid: str,
        recurrence_id: str | None = None,
        recurrence_range: str | None = None,
    ) -> None:
        """Cancel the booking behind a calendar event (a manager or its booker)."""
        context = self._take_command_context("calendar.delete_event")
        order = self.runtime.site.desk.book.find(uid)
        await self.async_require_caller(
            "calendar.delete_event",
            lambda caller: order is not None and caller.booked(order),
            context,
        )
        await self.runtime.async_cancel_order(uid, context, "deleted from calendar")


class OrderEventEntity(SiteEntity, EventEntity):
    """Fires for every order transition, offer and escalation of the site."""

    def __init__(self, runtime: SiteRuntime) -> None:
        """Create the order event entity of ``runtime``'s site."""
        super().__init__(runtime, ORDER_EVENT)

    async def async_added_to_hass(self) -> None:
        """Follow the site's order events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.runtime.async_add_order_listener(self._on_order))

    @callback
    def _on_order(self, batch: list[tuple[OrderEvent, Order]]) -> None:
        """Fire the operation's order events; its offers of one order fire once.

        A broadcast offers an order to many workers at once: one ``offered`` event
        names them all (``offered_to``) instead of one state write per worker.
        """
        offered: dict[str, list[str]] = {}
        for event, _order in batch:
            if event.kind is OrderEventKind.OFFERED and event.worker is not None:
                offered.setdefault(event.order_id, []).append(event.worker)
        for event, order in batch:
            data: dict[str, Any]
            if event.kind is OrderEventKind.TRANSITION:
                event_type = event.state.value
                data = order_event_data(self.runtime, event, order)
                if event.state is OrderState.OFFERED and (
                    workers := offered.pop(event.order_id, None)
                ):
                    data["offered_to"] = self._names(workers)
            elif event.kind is OrderEventKind.ESCALATED:
                event_type = event.kind.value
                data = order_event_data(self.runtime, event, order)
            elif event.kind is OrderEventKind.OFFERED:
                workers = offered.pop(event.order_id, None)
                if workers is None:
                    continue  # already fired for this order's offers
                event_type = event.kind.value
                data = order_event_data(self.runtime, event, order)
                data["offered_to"] = self._names(workers)
            else:
                continue
            self._trigger_event(event_type, data)
            self.async_write_ha_state()

    def _names(self, workers: list[str]) -> list[str]:
        return [self.runtime.part_name(worker) or worker for worker in workers]

    def _handle_update(self) -> None:
        """Event entities only write when an event fires."""


class CategoryQueueTodo(SiteEntity, TodoListEntity):
    """The open requests of one category (linen, repairs...): swipe between them.

    A read-only view for staff: items are answered through the offer notification,
    the worker's own list or the services.
    """

    def __init__(self, runtime: SiteRuntime, category: str) -> None:
        """Create the list of ``category``."""
        known = category in NAMED_CATEGORIES
        super().__init__(
            runtime,
            EntityDescription(
                key=f"queue_{category}",
                translation_key=f"queue_{category}" if known else "category_queue",
            ),
        )
        self._category = category
        if not known:  # a category of the site's own: its id is its name
            self._attr_translation_placeholders = {
                "category": category.replace("_", " ").capitalize()
            }
        self._shown: tuple[int, tuple[tuple[str, int], ...]] = (0, ())
        self._attr_todo_items = self._items()

    def _view(self) -> tuple[list[Order], tuple[int, tuple[tuple[str, int], ...]]]:
        """The oldest open requests of the category (bounded) and their signature."""
        view = self.runtime.site.category_queue(self._category, QUEUE_LIMIT)
        return view.orders, (
            view.total,
            tuple((order.id, len(order.history)) for order in view.orders),
        )

    def _items(self) -> list[TodoItem]:
        orders, self._shown = self._view()
        self._attr_extra_state_attributes = {"total": self._shown[0]}
        return [order_todo_item(self.runtime, order) for order in orders]

    def _handle_update(self) -> None:
        """Write the list only when it shows something else."""
        if self._view()[1] == self._shown:
            return
        self._attr_todo_items = self._items()
        self.async_write_ha_state()
