"""Booking calendars -> cleanings, with a feed served by a real local HTTP server.

Sockets: the Home Assistant pytest plugin blocks them; these tests request
``socket_enabled`` and only ever talk to 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.booking_calendars import (
    CalendarPolicy,
    FeedError,
    parse_ics,
)
from custom_components.doorservice.const import (
    CONF_CALENDAR_POLICY,
    CONF_CALENDARS,
    DOMAIN,
    ISSUE_CALENDAR_FEED,
)
from custom_components.doorservice.core.calendar_sync import (
    CleaningPolicy,
    Reservation,
    plan_cleanings,
)
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .conftest import setup_entry, site_entry, stored_order, worker

LOOPBACK = "127.0.0.1"


@dataclass
class FeedServer:
    """A booking calendar served over HTTP: its body and status can change."""

    url: str = ""
    status: int = 200
    body: str = ""
    hits: int = 0
    raw: bytes | None = None
    events: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)

    def publish(self) -> None:
        """Serve the current events as an Airbnb-like iCal feed."""
        lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Airbnb Inc//Hosting Calendar 0.8.8//EN",
            "CALSCALE:GREGORIAN",
            "VERSION:2.0",
        ]
        for uid, (start, end) in self.events.items():
            lines += [
                "BEGIN:VEVENT",
                f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
                f"DTEND:{end.strftime('%Y%m%dT%H%M%SZ')}",
                f"UID:{uid}",
                "SUMMARY:Reserved",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        self.body = "\r\n".join(lines) + "\r\n"


@pytest.fixture
async def feed_server(socket_enabled: None) -> AsyncGenerator[FeedServer]:
    """A real aiohttp server on 127.0.0.1 serving one booking calendar."""
    feed = FeedServer()

    async def handle(_request: web.Request) -> web.Response:
        feed.hits += 1
        if feed.raw is not None:
            return web.Response(status=feed.status, body=feed.raw)
        return web.Response(
            status=feed.status, text=feed.body, content_type="text/calendar"
        )

    app = web.Application()
    app.router.add_get("/ical/listing.ics", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, LOOPBACK, 0)
    await site.start()
    port = runner.addresses[0][1]
    feed.url = f"http://{LOOPBACK}:{port}/ical/listing.ics?s=secret-token"
    yield feed
    await runner.cleanup()


def _hour(days: float, hour: int) -> datetime:
    """A whole hour ``days`` from today (UTC)."""
    today = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
    return today.replace(hour=hour) + timedelta(days=days)


def calendar_site(url: str, **policy: Any) -> MockConfigEntry:
    return site_entry(
        "Lakeside",
        "home",
        [worker("Anna", "cleaning")],
        options={
            CONF_CALENDARS: [
                {
                    "id": "lake",
                    "name": "Lake flat on Airbnb",
                    "url": url,
                    "address": "12 Lake Road",
                }
            ],
            CONF_CALENDAR_POLICY: {
                "service_type": "standard_cleaning",
                "lead_minutes": 30,
                **policy,
            },
        },
    )


def calendar_orders(entry: MockConfigEntry) -> dict[str, Any]:
    """The site's live orders booked by a calendar, by id."""
    return {
        order.id: order
        for order in entry.runtime_data.site.desk.book
        if order.requester.startswith("calendar:")
    }


def ledger(entry: MockConfigEntry) -> dict[str, str]:
    """Reservation UID -> order id, as the site's ledger has it."""
    return {
        e.uid: e.order_id
        for e in entry.runtime_data.site.calendar_bookings.entries.values()
    }


async def refresh(hass: HomeAssistant, **context: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN,
        "refresh_calendars",
        {},
        blocking=True,
        return_response=True,
        **context,
    )
    assert response is not None
    return response


def issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, f"{ISSUE_CALENDAR_FEED}_{entry.entry_id}_lake"
    )


async def test_checkouts_book_move_and_cancel_cleanings(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    first_in, first_out = _hour(1, 15), _hour(3, 10)
    second_in, second_out = _hour(4, 15), _hour(6, 10)
    feed_server.events = {
        "a@airbnb.com": (first_in, first_out),
        "b@airbnb.com": (second_in, second_out),
    }
    feed_server.publish()
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)

    # New bookings: each checkout books a cleaning 30 min after it, due by the next
    # check-in (the last one has no next check-in).
    assert feed_server.hits == 1
    booked = ledger(entry)
    assert set(booked) == {"a@airbnb.com", "b@airbnb.com"}
    orders = calendar_orders(entry)
    first = orders[booked["a@airbnb.com"]]
    assert first.scheduled_start == first_out + timedelta(minutes=30)
    assert first.scheduled_end == second_in
    assert first.address == "12 Lake Road"
    assert first.service_type == "standard_cleaning"
    assert first.requester == "calendar:Lake flat on Airbnb"
    last = orders[booked["b@airbnb.com"]]
    assert last.scheduled_start == second_out + timedelta(minutes=30)
    assert last.scheduled_end is None

    # Reading the same feed again books nothing.
    response = await refresh(hass)
    assert response["calendars"] == [
        {
            "calendar": "Lake flat on Airbnb",
            "ok": True,
            "error": None,
            "booked": [],
            "moved": [],
            "cancelled": [],
            "refused": 0,
        }
    ]
    assert ledger(entry) == booked

    # A moved booking: its cleaning moves (a new order, the old one cancelled).
    feed_server.events["a@airbnb.com"] = (first_in, first_out + timedelta(hours=2))
    feed_server.publish()
    response = await refresh(hass)
    [moved] = response["calendars"][0]["moved"]
    assert moved != booked["a@airbnb.com"]
    site = entry.runtime_data.site
    assert stored_order(entry, booked["a@airbnb.com"])["state"] == "cancelled"
    new_first = site.desk.get(moved)
    assert new_first.scheduled_start == first_out + timedelta(hours=2, minutes=30)
    assert new_first.scheduled_end == second_in
    assert ledger(entry)["a@airbnb.com"] == moved

    # A cancelled booking: its cleaning is cancelled and forgotten.
    del feed_server.events["b@airbnb.com"]
    feed_server.publish()
    response = await refresh(hass)
    assert response["calendars"][0]["cancelled"] == [booked["b@airbnb.com"]]
    assert stored_order(entry, booked["b@airbnb.com"])["state"] == "cancelled"
    assert set(ledger(entry)) == {"a@airbnb.com"}
    # The first cleaning's window only grew: it keeps its order (and its worker).
    assert ledger(entry)["a@airbnb.com"] == moved
    assert site.desk.get(moved).scheduled_end == second_in

    # New guests arrive sooner than its deadline: the cleaning is booked again for
    # the tighter window.
    third_in = first_out + timedelta(hours=6)
    feed_server.events["c@airbnb.com"] = (third_in, third_in + timedelta(days=2))
    feed_server.publish()
    response = await refresh(hass)
    [tighter] = response["calendars"][0]["moved"]
    assert len(response["calendars"][0]["booked"]) == 1  # c's own checkout
    assert site.desk.get(tighter).scheduled_end == third_in
    assert stored_order(entry, moved)["state"] == "cancelled"

    assert issue(hass, entry) is None


async def test_a_broken_feed_raises_an_issue_and_changes_nothing(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.events = {"a@airbnb.com": (_hour(1, 15), _hour(3, 10))}
    feed_server.publish()
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    before = {o.id: o.to_dict() for o in entry.runtime_data.site.desk.book}
    assert len(before) == 1

    for status, body, error in (
        (500, "oops", "HTTP 500"),
        (200, "<html>maintenance</html>", "not an iCalendar file"),
        (200, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nnonsense", "not a valid"),
    ):
        feed_server.status, feed_server.body = status, body
        response = await refresh(hass)
        [result] = response["calendars"]
        assert result["ok"] is False
        assert result["error"].startswith(error)
        found = issue(hass, entry)
        assert found is not None
        assert found.translation_key == ISSUE_CALENDAR_FEED
        assert found.translation_placeholders == {
            "site": "Lakeside",
            "calendar": "Lake flat on Airbnb",
            "error": result["error"],
        }
        # The secret link appears nowhere.
        assert "secret-token" not in str(found.translation_placeholders)
        assert {o.id: o.to_dict() for o in entry.runtime_data.site.desk.book} == (
            before
        )

    # It works again: the issue goes away.
    feed_server.status = 200
    feed_server.publish()
    response = await refresh(hass)
    assert response["calendars"][0]["ok"] is True
    assert issue(hass, entry) is None


async def test_an_unreachable_feed_raises_an_issue(
    hass: HomeAssistant, socket_enabled: None
) -> None:
    # Nothing listens on port 9 of the loopback (discard): the connection fails.
    entry = await setup_entry(hass, calendar_site(f"http://{LOOPBACK}:9/listing.ics"))
    await hass.async_block_till_done(wait_background_tasks=True)
    found = issue(hass, entry)
    assert found is not None
    assert found.translation_placeholders["error"].startswith("unreachable")
    assert not calendar_orders(entry)


async def test_a_restart_does_not_book_twice(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.events = {
        "a@airbnb.com": (_hour(1, 15), _hour(3, 10)),
        "b@airbnb.com": (_hour(4, 15), _hour(6, 10)),
    }
    feed_server.publish()
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    booked = ledger(entry)
    assert len(booked) == 2

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert feed_server.hits == 2  # read again at start-up
    assert ledger(entry) == booked
    assert set(calendar_orders(entry)) == set(booked.values())


async def test_only_managers_refresh_calendars(
    hass: HomeAssistant, feed_server: FeedServer, hass_read_only_user: User
) -> None:
    feed_server.publish()
    await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    hits = feed_server.hits
    with pytest.raises(Unauthorized):
        await refresh(hass, context=Context(user_id=hass_read_only_user.id))
    assert feed_server.hits == hits


async def test_past_and_far_checkouts_are_not_booked(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.events = {
        "past@airbnb.com": (_hour(-5, 15), _hour(-2, 10)),
        "far@airbnb.com": (_hour(200, 15), _hour(203, 10)),
    }
    feed_server.publish()
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert ledger(entry) == {}


async def test_a_refused_cleaning_is_counted_and_retried(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    """A policy the site cannot book (unknown type) books nothing, every time."""
    feed_server.events = {"a@airbnb.com": (_hour(1, 15), _hour(3, 10))}
    feed_server.publish()
    entry = await setup_entry(
        hass, calendar_site(feed_server.url, service_type="no_such_type")
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    response = await refresh(hass)
    assert response["calendars"][0]["refused"] == 1
    assert ledger(entry) == {}


# --- the pure parts ----------------------------------------------------------------

POLICY = CalendarPolicy(
    cleaning=CleaningPolicy("standard_cleaning", timedelta(minutes=30)),
    checkout_time=datetime(2026, 1, 1, 11).time(),
    check_in_time=datetime(2026, 1, 1, 15).time(),
    refresh=timedelta(minutes=30),
)


def test_whole_day_bookings_use_the_policy_times() -> None:
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\n"
        "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261202\r\nDTEND;VALUE=DATE:20261205\r\n"
        "UID:day@vrbo\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART:20261206T150000\r\nDTEND:20261208T100000\r\n"
        "UID:floating@booking\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART:20261210T150000Z\r\nDTEND:20261212T100000Z\r\n"
        "UID:gone@airbnb\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    zone = dt_util.get_time_zone("Europe/Berlin")
    assert zone is not None
    day, floating = parse_ics(text, POLICY, zone)
    assert day.uid == "day@vrbo"
    assert day.check_in == datetime(2026, 12, 2, 15, tzinfo=zone)
    assert day.checkout == datetime(2026, 12, 5, 11, tzinfo=zone)
    assert floating.checkout == datetime(2026, 12, 8, 10, tzinfo=zone)


def test_a_file_without_a_calendar_is_refused() -> None:
    with pytest.raises(FeedError, match="not an iCalendar file"):
        parse_ics("", POLICY, UTC)


def test_a_tight_turnover_starts_at_the_checkout() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    out = datetime(2026, 12, 3, 10, tzinfo=UTC)
    wanted = plan_cleanings(
        [
            Reservation("a", datetime(2026, 12, 2, 15, tzinfo=UTC), out),
            Reservation("b", out + timedelta(minutes=10), out + timedelta(days=2)),
        ],
        CleaningPolicy("standard_cleaning", timedelta(minutes=30)),
        now,
        timedelta(days=90),
    )
    assert wanted["a"].start == out
    assert wanted["a"].end == out + timedelta(minutes=10)


async def test_odd_feeds_are_broken_feeds(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    from custom_components.doorservice import booking_calendars

    feed_server.publish()
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    for body, error in (
        (b"\xff\xfe BEGIN:VCALENDAR", "not an iCalendar file"),
        (b"BEGIN:VCALENDAR" + b"x" * 64, "too large"),
    ):
        feed_server.raw = body
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(booking_calendars, "MAX_FEED_BYTES", 32)
            if error != "too large":
                patch.setattr(booking_calendars, "MAX_FEED_BYTES", 1 << 20)
            response = await refresh(hass)
        assert response["calendars"][0]["error"] == error
        assert issue(hass, entry) is not None


async def test_removed_calendars_lose_their_issue(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    feed_server.status = 503
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issue(hass, entry) is not None
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_CALENDARS: []}
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issue(hass, entry) is None
    assert entry.runtime_data.calendars.feeds == []


async def test_cleanings_long_past_are_forgotten(
    hass: HomeAssistant, feed_server: FeedServer, freezer: Any
) -> None:
    feed_server.events = {"a@airbnb.com": (_hour(1, 15), _hour(2, 10))}
    feed_server.publish()
    entry = await setup_entry(hass, calendar_site(feed_server.url))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert set(ledger(entry)) == {"a@airbnb.com"}
    freezer.tick(timedelta(days=5))
    await refresh(hass)
    # The checkout is long past: not booked again, and no longer remembered.
    assert ledger(entry) == {}
    assert len(calendar_orders(entry)) == 1
    # Unload before the clock goes back to today (the freezer's teardown).
    assert await hass.config_entries.async_unload(entry.entry_id)


def test_policy_times_fall_back_to_the_defaults() -> None:
    from custom_components.doorservice.booking_calendars import calendar_policy

    entry = site_entry(options={CONF_CALENDAR_POLICY: {"checkout_time": "late"}})
    policy = calendar_policy(entry)
    assert policy.checkout_time.hour == 11
    assert policy.refresh == timedelta(minutes=30)


def test_events_without_an_end_or_length_are_no_stays() -> None:
    from custom_components.doorservice.booking_calendars import _reservation

    day = datetime(2026, 12, 2).date()
    assert _reservation("a", day, None, POLICY, UTC) is None
    # A whole-day event that ends before the check-in time of its own day.
    late = CalendarPolicy(
        cleaning=POLICY.cleaning,
        checkout_time=datetime(2026, 1, 1, 10).time(),
        check_in_time=datetime(2026, 1, 1, 15).time(),
        refresh=POLICY.refresh,
    )
    assert _reservation("b", day, day, late, UTC) is None


async def test_the_owner_gets_the_drop_off_code_of_each_cleaning(
    hass: HomeAssistant, feed_server: FeedServer
) -> None:
    from homeassistant.core import ServiceCall, callback

    from .conftest import cabinet

    sent: list[ServiceCall] = []

    @callback
    def _send(call: ServiceCall) -> None:
        sent.append(call)

    hass.services.async_register("notify", "owner", _send)
    feed_server.events = {
        "a@airbnb.com": (_hour(1, 15), _hour(3, 10)),
        "b@airbnb.com": (_hour(4, 15), _hour(6, 10)),
    }
    feed_server.publish()
    options = dict(
        calendar_site(
            feed_server.url, store_key=True, owner_notify_service="notify.owner"
        ).options
    )
    entry = site_entry(
        "Lakeside",
        "home",
        [cabinet("Lobby cabinet", 2), worker("Anna", "cleaning")],
        options=options,
    )
    await setup_entry(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    booked = ledger(entry)
    orders = calendar_orders(entry)
    assert {orders[o].state.value for o in booked.values()} == {"awaiting_dropoff"}
    assert len(sent) == 2
    for call in sent:
        assert call.data["title"].startswith("Cleaning DS-")
        assert "Lobby cabinet" in call.data["message"]
        assert "Lake flat on Airbnb" in call.data["message"]
    # The codes are in no state and no issue.
    pins = [c.data["message"].split("code ")[1].split(" ")[0] for c in sent]
    states = str([s.as_dict() for s in hass.states.async_all()])
    assert all(pin not in states for pin in pins)


async def test_without_an_owner_action_the_code_stays_in_the_cabinet(
    hass: HomeAssistant, feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    from .conftest import cabinet

    feed_server.events = {"a@airbnb.com": (_hour(1, 15), _hour(3, 10))}
    feed_server.publish()
    options = dict(calendar_site(feed_server.url, store_key=True).options)
    entry = site_entry(
        "Lakeside", "home", [cabinet("Lobby cabinet", 2)], options=options
    )
    await setup_entry(hass, entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(ledger(entry)) == 1
    assert "names no owner notify action" in caplog.text
