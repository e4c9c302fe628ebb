"""Booking calendars -> cleanings: the feeds of a site, fetched on a schedule.

A site's options list iCal feeds (an Airbnb / VRBO / Booking.com export link, or a
local ``calendar`` entity), each for an address or a room, and one cleaning policy
(service type, lead time after the checkout, key in the cabinet or not). Every
``refresh_minutes`` (and on the ``refresh_calendars`` action) each feed is read:

* through Home Assistant's shared aiohttp session (a link) or the calendar entity,
  parsed with ``ical`` (the library Home Assistant's own calendars use);
* each checkout ahead gets one cleaning before the next check-in; a moved booking
  moves its cleaning (a new order replaces the old one), a cancelled booking cancels
  it; the ledger *reservation -> order* is part of the site's committed state, so a
  checkout is never booked twice, restarts included (core/calendar_sync.py);
* a feed that cannot be read or parsed changes nothing and raises a repair issue,
  which goes away when the feed reads again.

An export link carries a secret token: it is never logged, shown in an issue or put
in diagnostics (diagnostics.py redacts ``url``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from aiohttp import ClientError, ClientResponseError, ClientTimeout
from ical.calendar_stream import IcsCalendarStream
from ical.event import EventStatus
from ical.exceptions import CalendarError

from homeassistant.components.calendar import CalendarEntity
from homeassistant.components.calendar.const import DATA_COMPONENT
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import (
    CONF_ADDRESS,
    CONF_CALENDAR_POLICY,
    CONF_CALENDAR_REFRESH,
    CONF_CALENDARS,
    CONF_CHECK_IN_TIME,
    CONF_CHECKOUT_TIME,
    CONF_CLEANING_LEAD,
    CONF_CLEANING_SERVICE_TYPE,
    CONF_CLEANING_STORE_KEY,
    CONF_FEED_ENTITY,
    CONF_FEED_ROOM,
    CONF_FEED_URL,
    CONF_OWNER_NOTIFY,
    DEFAULT_CALENDAR_REFRESH,
    DEFAULT_CHECK_IN_TIME,
    DEFAULT_CHECKOUT_TIME,
    DEFAULT_CLEANING_LEAD,
    DOMAIN,
    ISSUE_CALENDAR_FEED,
    LOGGER,
    SiteType,
)
from .coordinator import SiteCoordinator
from .core.cabinet_desk import OWNER
from .core.calendar_sync import (
    FORGET_AFTER,
    CheckoutOperation,
    CleaningPolicy,
    Location,
    Reservation,
    WantedCleaning,
    book_checkout,
    cancel_checkout,
    forget_past,
    is_replaceable,
    move_checkout,
    needs_move,
    plan_cleanings,
)
from .core.catalog import DEFAULT_BOOKING_SERVICE_TYPE
from .core.events import CodeDelivery, DomainEvent
from .deliveries import code_text
from .messages import language_of

OWNER_MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "title": "Cleaning {order_id}: leave the key",
        "message": "A guest of {calendar} checks out: leave the key with code {pin}"
        " at {cabinet}, compartment {compartment} (valid until {valid_until}).",
    },
    "zh-Hans": {
        "title": "清洁 {order_id}：请存放钥匙",
        "message": "{calendar} 的客人即将退房：请用码 {pin} 将钥匙放入 {cabinet}"
        " {compartment} 号格（有效至 {valid_until}）。",
    },
}
"""The owner's drop-off message (it goes to the owner's notify action only)."""
HORIZON = timedelta(days=90)
"""Checkouts further ahead than this are booked later."""
FETCH_TIMEOUT = ClientTimeout(total=30)
MAX_FEED_BYTES = 4 * 1024 * 1024
FEED_ID_KEY = "id"


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """One booking calendar of a site (an item of the ``calendars`` option)."""

    id: str
    name: str
    url: str | None = None
    entity_id: str | None = None
    address: str | None = None
    room: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeedConfig:
        """Read a feed from the options."""
        return cls(
            id=str(data[FEED_ID_KEY]),
            name=str(data[CONF_NAME]),
            url=data.get(CONF_FEED_URL) or None,
            entity_id=data.get(CONF_FEED_ENTITY) or None,
            address=data.get(CONF_ADDRESS) or None,
            room=data.get(CONF_FEED_ROOM) or None,
        )

    @property
    def location(self) -> Location:
        """Return where this feed's cleanings happen."""
        return Location(address=self.address, room=self.room)


@dataclass(frozen=True, slots=True)
class CalendarPolicy:
    """The site's cleaning policy for booking calendars."""

    cleaning: CleaningPolicy
    checkout_time: time
    check_in_time: time
    refresh: timedelta
    owner_notify: str | None = None
    """The notify action that receives the owner's key drop-off codes."""


def _time(value: Any, default: str) -> time:
    try:
        return time.fromisoformat(str(value or default))
    except ValueError:
        return time.fromisoformat(default)


def calendar_feeds(entry: ConfigEntry[Any]) -> list[FeedConfig]:
    """Return the booking calendars configured in a site's options."""
    return [
        FeedConfig.from_dict(item) for item in entry.options.get(CONF_CALENDARS, ())
    ]


def calendar_policy(entry: ConfigEntry[Any]) -> CalendarPolicy:
    """Return the site's cleaning policy for booking calendars (defaults filled in)."""
    raw: Mapping[str, Any] = entry.options.get(CONF_CALENDAR_POLICY, {})
    return CalendarPolicy(
        cleaning=CleaningPolicy(
            service_type=str(
                raw.get(CONF_CLEANING_SERVICE_TYPE, DEFAULT_BOOKING_SERVICE_TYPE)
            ),
            lead=timedelta(
                minutes=int(raw.get(CONF_CLEANING_LEAD, DEFAULT_CLEANING_LEAD))
            ),
            store_key=bool(raw.get(CONF_CLEANING_STORE_KEY, False)),
        ),
        checkout_time=_time(raw.get(CONF_CHECKOUT_TIME), DEFAULT_CHECKOUT_TIME),
        check_in_time=_time(raw.get(CONF_CHECK_IN_TIME), DEFAULT_CHECK_IN_TIME),
        refresh=timedelta(
            minutes=max(
                5, int(raw.get(CONF_CALENDAR_REFRESH, DEFAULT_CALENDAR_REFRESH))
            )
        ),
        owner_notify=str(raw.get(CONF_OWNER_NOTIFY) or "").strip() or None,
    )


class FeedError(Exception):
    """A feed could not be read or parsed; the text names no URL."""


def _moment(value: date | datetime, at: time, zone: tzinfo) -> datetime:
    """Return an aware moment: a date at the policy's time, local times in ``zone``."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    return datetime.combine(value, at, tzinfo=zone)


def _reservation(
    uid: str | None,
    start: date | datetime,
    end: date | datetime | None,
    policy: CalendarPolicy,
    zone: tzinfo,
) -> Reservation | None:
    if end is None:
        return None
    check_in = _moment(start, policy.check_in_time, zone)
    checkout = _moment(end, policy.checkout_time, zone)
    if checkout <= check_in and not isinstance(end, datetime):
        return None
    return Reservation(uid or check_in.isoformat(), check_in, checkout)


def parse_ics(text: str, policy: CalendarPolicy, zone: tzinfo) -> list[Reservation]:
    """Return a feed's bookings; cancelled ones are left out. Raise ``FeedError``."""
    if "BEGIN:VCALENDAR" not in text:
        raise FeedError("not an iCalendar file")
    try:
        calendar = IcsCalendarStream.calendar_from_ics(text)
    except CalendarError as err:
        raise FeedError("not a valid iCalendar file") from err
    reservations: list[Reservation] = []
    for event in calendar.events:
        if event.status == EventStatus.CANCELLED:
            continue
        if (
            reservation := _reservation(event.uid, event.start, event.end, policy, zone)
        ) is not None:
            reservations.append(reservation)
    return reservations


async def async_read_feed(
    hass: HomeAssistant, feed: FeedConfig, policy: CalendarPolicy
) -> list[Reservation]:
    """Return the bookings of a feed (a link or a calendar entity); raise FeedError."""
    zone = dt_util.get_default_time_zone()
    if feed.url is not None:
        text = await _async_download(hass, feed.url)
        return await hass.async_add_executor_job(parse_ics, text, policy, zone)
    return await _async_entity_events(hass, str(feed.entity_id), policy, zone)


async def _async_download(hass: HomeAssistant, url: str) -> str:
    session = async_get_clientsession(hass)
    try:
        async with session.get(url, timeout=FETCH_TIMEOUT) as response:
            response.raise_for_status()
            body = bytearray()
            async for chunk in response.content.iter_chunked(1 << 16):
                body += chunk
                if len(body) > MAX_FEED_BYTES:
                    raise FeedError("too large")
    except ClientResponseError as err:
        raise FeedError(f"HTTP {err.status}") from err
    except TimeoutError as err:
        raise FeedError("timed out") from err
    except ClientError as err:
        raise FeedError(f"unreachable ({type(err).__name__})") from err
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise FeedError("not an iCalendar file") from err


async def _async_entity_events(
    hass: HomeAssistant, entity_id: str, policy: CalendarPolicy, zone: tzinfo
) -> list[Reservation]:
    component = hass.data.get(DATA_COMPONENT)
    entity = component.get_entity(entity_id) if component else None
    if not isinstance(entity, CalendarEntity):
        raise FeedError(f"{entity_id} not found")
    now = dt_util.utcnow()
    try:
        events = await entity.async_get_events(
            hass, now - timedelta(days=30), now + HORIZON + timedelta(days=30)
        )
    except HomeAssistantError as err:
        raise FeedError(f"{entity_id} failed") from err
    return [
        reservation
        for event in events
        if (
            reservation := _reservation(event.uid, event.start, event.end, policy, zone)
        )
        is not None
    ]


@dataclass(slots=True)
class FeedResult:
    """What one refresh of one feed did."""

    feed: str
    ok: bool = True
    error: str | None = None
    booked: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    refused: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Return the action's answer for this feed."""
        return {
            "calendar": self.feed,
            "ok": self.ok,
            "error": self.error,
            "booked": self.booked,
            "moved": self.moved,
            "cancelled": self.cancelled,
            "refused": self.refused,
        }


class BookingCalendars:
    """The booking calendars of one site (see the module docstring)."""

    def __init__(self, coordinator: SiteCoordinator) -> None:
        """Read the site's feeds and policy; nothing runs yet."""
        self._coordinator = coordinator
        self.feeds = calendar_feeds(coordinator.entry)
        self.policy = calendar_policy(coordinator.entry)
        self._lock = asyncio.Lock()
        self._unsub: CALLBACK_TYPE | None = None
        self._broken: set[str] = set()

    @property
    def hass(self) -> HomeAssistant:
        """Return Home Assistant."""
        return self._coordinator.hass

    def _issue_id(self, feed_id: str) -> str:
        return f"{ISSUE_CALENDAR_FEED}_{self._coordinator.entry.entry_id}_{feed_id}"

    @callback
    def async_start(self) -> None:
        """Clear issues of removed feeds; read every feed now and on a schedule."""
        prefix = self._issue_id("")
        wanted = {self._issue_id(feed.id) for feed in self.feeds}
        for domain, issue_id in list(ir.async_get(self.hass).issues):
            if (
                domain == DOMAIN
                and issue_id.startswith(prefix)
                and issue_id not in wanted
            ):
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        if not self.feeds:
            return
        self._unsub = async_track_time_interval(
            self.hass, self._async_tick, self.policy.refresh, cancel_on_shutdown=True
        )
        self._coordinator.entry.async_create_background_task(
            self.hass, self.async_refresh(), f"{DOMAIN} booking calendars"
        )

    @callback
    def async_stop(self) -> None:
        """Stop reading the feeds."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None

    async def _async_tick(self, _now: datetime) -> None:
        await self.async_refresh()

    async def async_refresh(self) -> list[FeedResult]:
        """Read every feed and bring its cleanings up to date (one at a time)."""
        async with self._lock:
            results: list[FeedResult] = []
            for feed in self.feeds:
                if self._coordinator.stopped:
                    break
                results.append(await self._async_refresh_feed(feed))
            await self._async_forget_past()
            return results

    async def _async_refresh_feed(self, feed: FeedConfig) -> FeedResult:
        result = FeedResult(feed.name)
        try:
            reservations = await async_read_feed(self.hass, feed, self.policy)
        except FeedError as err:
            result.ok = False
            result.error = str(err)
            self._feed_broken(feed, str(err))
            return result
        self._feed_works(feed)
        await self._async_sync(feed, reservations, result)
        return result

    # --- repairs -------------------------------------------------------------------

    def _feed_broken(self, feed: FeedConfig, error: str) -> None:
        LOGGER.warning(
            "Booking calendar %s of %s cannot be read: %s",
            feed.name,
            self._coordinator.name,
            error,
        )
        self._broken.add(feed.id)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue_id(feed.id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=ISSUE_CALENDAR_FEED,
            translation_placeholders={
                "site": self._coordinator.name,
                "calendar": feed.name,
                "error": error,
            },
        )

    def _feed_works(self, feed: FeedConfig) -> None:
        if feed.id in self._broken:
            LOGGER.info("Booking calendar %s can be read again", feed.name)
            self._broken.discard(feed.id)
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(feed.id))

    # --- cleanings -----------------------------------------------------------------

    async def _async_sync(
        self, feed: FeedConfig, reservations: Iterable[Reservation], result: FeedResult
    ) -> None:
        coordinator = self._coordinator
        now = dt_util.utcnow()
        wanted = plan_cleanings(reservations, self.policy.cleaning, now, HORIZON)
        for uid, cleaning in wanted.items():
            entry = coordinator.site.calendar_bookings.get(feed.id, uid)
            if entry is None:
                if order_id := await self._async_apply(
                    self._booking(book_checkout, feed, cleaning), feed, cleaning, result
                ):
                    result.booked.append(order_id)
            elif (
                needs_move(entry, cleaning)
                and is_replaceable(coordinator.site, entry)
                and (
                    order_id := await self._async_apply(
                        self._booking(move_checkout, feed, cleaning),
                        feed,
                        cleaning,
                        result,
                    )
                )
            ):
                result.moved.append(order_id)
        for entry in coordinator.site.calendar_bookings.of_feed(feed.id):
            if entry.uid in wanted or entry.start <= now:
                continue
            if order_id := await self._async_apply(
                self._cancellation(feed, entry.uid), feed, None, result
            ):
                result.cancelled.append(order_id)

    def _booking(
        self,
        operation: CheckoutOperation,
        feed: FeedConfig,
        cleaning: WantedCleaning,
    ) -> Callable[[datetime], tuple[str, list[DomainEvent]]]:
        """Return a coordinator operation booking or moving ``cleaning``."""
        coordinator = self._coordinator
        hotel = coordinator.site_type == SiteType.HOTEL

        def _run(now: datetime) -> tuple[str, list[DomainEvent]]:
            return operation(
                coordinator.site,
                feed.id,
                cleaning,
                feed.location,
                self.policy.cleaning,
                f"calendar:{feed.name}",
                now,
                paid_needs_stay=hotel,
            )

        return _run

    def _cancellation(
        self, feed: FeedConfig, uid: str
    ) -> Callable[[datetime], tuple[str, list[DomainEvent]]]:
        """Return a coordinator operation cancelling a reservation's cleaning."""
        coordinator = self._coordinator

        def _run(now: datetime) -> tuple[str, list[DomainEvent]]:
            return cancel_checkout(coordinator.site, feed.id, uid, now)

        return _run

    async def _async_apply(
        self,
        operation: Callable[[datetime], tuple[str, list[DomainEvent]]],
        feed: FeedConfig,
        cleaning: WantedCleaning | None,
        result: FeedResult,
    ) -> str | None:
        """Run one committed operation; a refusal is logged and counted.

        Nothing runs once the site stopped (unloaded while a feed was read).
        """
        coordinator = self._coordinator

        def _guarded(now: datetime) -> tuple[str | None, list[DomainEvent]]:
            if coordinator.stopped:
                return None, []
            return operation(now)

        if coordinator.stopped:
            return None
        try:
            order_id, events = await coordinator.async_run_with_events(_guarded, None)
        except HomeAssistantError as err:
            result.refused += 1
            LOGGER.warning(
                "Booking calendar %s of %s: the cleaning after the checkout at %s"
                " was refused: %s",
                feed.name,
                self._coordinator.name,
                cleaning.checkout.isoformat() if cleaning else "-",
                err,
            )
            return None
        for event in events:
            if isinstance(event, CodeDelivery) and event.holder == OWNER:
                await self._async_send_owner_code(feed, event)
        return order_id

    async def _async_send_owner_code(
        self, feed: FeedConfig, delivery: CodeDelivery
    ) -> None:
        """Send the owner's key drop-off code to the policy's notify action only."""
        target = self.policy.owner_notify
        coordinator = self._coordinator
        if target is None:
            LOGGER.warning(
                "Booking calendar %s of %s: order %s waits for the key, but the"
                " cleaning policy names no owner notify action; get the code with"
                " doorservice.reissue_code",
                feed.name,
                coordinator.name,
                delivery.order_id,
            )
            return
        texts = OWNER_MESSAGES[language_of(self.hass.config.language)]
        values = code_text(coordinator, delivery) | {"calendar": feed.name}
        domain, _, service = target.partition(".")
        try:
            await self.hass.services.async_call(
                domain,
                service,
                {
                    "title": texts["title"].format(**values),
                    "message": texts["message"].format(**values),
                },
                blocking=True,
            )
        except HomeAssistantError as err:
            LOGGER.warning(
                "The drop-off code of %s could not be sent to %s: %s",
                delivery.order_id,
                target,
                type(err).__name__,
            )

    async def _async_forget_past(self) -> None:
        now = dt_util.utcnow()
        site = self._coordinator.site
        if not self._coordinator.stopped and any(
            entry.start < now - FORGET_AFTER
            for entry in site.calendar_bookings.entries.values()
        ):
            await self._coordinator.async_run(self._forget, None)

    def _forget(self, now: datetime) -> tuple[list[str], list[DomainEvent]]:
        """Forget ledger entries long past (nothing once the site stopped)."""
        if self._coordinator.stopped:
            return [], []
        return forget_past(self._coordinator.site, now), []
