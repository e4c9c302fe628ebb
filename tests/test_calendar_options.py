"""Booking calendars in the site options, and a calendar entity as a feed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.calendar_flow import feed_url
from custom_components.doorservice.const import DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import room, setup_entry, site_entry, worker
from .test_booking_calendars import FeedServer, feed_server  # noqa: F401
from .test_catalog_options import open_step, submit


@pytest.fixture
async def home(hass: HomeAssistant) -> MockConfigEntry:
    return await setup_entry(
        hass, site_entry("Lakeside", "home", [room("Garden room"), worker("Anna")])
    )


async def test_add_and_remove_a_calendar_link(
    hass: HomeAssistant,
    home: MockConfigEntry,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    feed_server.publish()
    room_id = next(iter(home.subentries))
    flow_id = await open_step(hass, home, "add_calendar")
    base = {"name": "Lake flat", "address": "12 Lake Road"}
    for data, field, error in (
        ({**base, "name": "  "}, "name", "invalid_name"),
        (base, "base", "calendar_source_required"),
        (
            {**base, "url": feed_server.url, "entity_id": "calendar.x"},
            "base",
            "calendar_source_required",
        ),
        ({**base, "url": "ftp://example.com/x.ics"}, "url", "invalid_calendar_url"),
        (
            {"name": "Lake flat", "url": feed_server.url},
            "base",
            "calendar_location_required",
        ),
        (
            {**base, "url": feed_server.url, "room": room_id},
            "base",
            "calendar_location_required",
        ),
    ):
        result = await submit(hass, flow_id, data)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {field: error}, data

    # An unreadable link is refused before it is saved.
    feed_server.status = 404
    result = await submit(hass, flow_id, {**base, "url": feed_server.url})
    assert result["errors"] == {"base": "calendar_unreadable"}
    assert result["description_placeholders"] == {"error": "HTTP 404"}
    feed_server.status = 200

    result = await submit(hass, flow_id, {**base, "url": feed_server.url})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    [feed] = home.options["calendars"]
    assert feed["name"] == "Lake flat"
    assert feed["url"] == feed_server.url
    assert feed["address"] == "12 Lake Road"
    assert "room" not in feed
    await hass.async_block_till_done(wait_background_tasks=True)
    assert home.runtime_data.calendars.feeds[0].name == "Lake flat"
    assert feed_server.hits >= 2  # checked in the form, read by the site

    # The link is a secret: diagnostics redact it.
    from custom_components.doorservice.diagnostics import (
        async_get_config_entry_diagnostics,
    )

    diagnostics = await async_get_config_entry_diagnostics(hass, home)
    assert "secret-token" not in str(diagnostics)

    flow_id = await open_step(hass, home, "remove_calendar")
    result = await submit(hass, flow_id, {"calendars": [feed["id"]]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert home.options["calendars"] == []


async def test_remove_without_calendars_aborts(
    hass: HomeAssistant, home: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(home.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "remove_calendar"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_calendars"


async def test_cleaning_policy(hass: HomeAssistant, home: MockConfigEntry) -> None:
    hass.services.async_register("notify", "owner", lambda call: None)
    flow_id = await open_step(hass, home, "calendar_policy")
    policy: dict[str, Any] = {
        "service_type": "deep_cleaning",
        "lead_minutes": 60,
        "store_key": True,
        "checkout_time": "10:00:00",
        "check_in_time": "16:00:00",
        "refresh_minutes": 15,
    }
    result = await submit(
        hass, flow_id, {**policy, "owner_notify_service": "notify.nobody"}
    )
    assert result["errors"] == {"owner_notify_service": "notify_service_not_found"}
    policy["owner_notify_service"] = "notify.owner"
    result = await submit(hass, flow_id, policy)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert home.options["calendar_policy"] == policy
    assert home.runtime_data.calendars.policy.owner_notify == "notify.owner"
    loaded = home.runtime_data.calendars.policy
    assert loaded.cleaning.service_type == "deep_cleaning"
    assert loaded.cleaning.lead == timedelta(minutes=60)
    assert loaded.cleaning.store_key is True
    assert loaded.checkout_time.hour == 10
    assert loaded.refresh == timedelta(minutes=15)
    # The other options are kept.
    assert home.options["dispatch_strategy"] == "broadcast"


def test_feed_links() -> None:
    assert feed_url("webcal://example.com/a.ics") == "https://example.com/a.ics"
    assert feed_url(" https://example.com/a.ics ") == "https://example.com/a.ics"
    assert feed_url("file:///etc/passwd") is None
    assert feed_url("https://") is None


async def test_a_calendar_entity_books_cleanings_for_a_room(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    """A local calendar (Home Assistant's own) whose events are the bookings."""
    hass.config.config_dir = str(tmp_path)  # local_calendar writes .storage/*.ics
    (tmp_path / ".storage").mkdir()
    assert await async_setup_component(hass, "homeassistant", {})
    calendar_entry = MockConfigEntry(
        domain="local_calendar",
        data={"calendar_name": "Room bookings", "storage_key": "room_bookings"},
    )
    calendar_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(calendar_entry.entry_id)
    await hass.async_block_till_done()
    now = dt_util.now().replace(minute=0, second=0, microsecond=0)
    check_in, checkout = now + timedelta(days=1), now + timedelta(days=3)
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": "calendar.room_bookings",
            "summary": "Guest",
            "start_date_time": check_in.isoformat(),
            "end_date_time": checkout.isoformat(),
        },
        blocking=True,
    )

    site = site_entry(
        "Hotel Aurora",
        "hotel",
        [room("Room 101"), worker("Mei", "housekeeping")],
        options={
            "calendars": [
                {
                    "id": "r101",
                    "name": "Room 101 bookings",
                    "entity_id": "calendar.room_bookings",
                    "room": "PLACEHOLDER",
                }
            ],
            "calendar_policy": {"service_type": "room_cleaning", "lead_minutes": 0},
        },
    )
    room_id = next(iter(site.subentries))
    site.options["calendars"][0]["room"] = room_id  # type: ignore[index]
    entry = await setup_entry(hass, site)
    await hass.async_block_till_done(wait_background_tasks=True)
    [order] = [
        o for o in entry.runtime_data.site.desk.book if o.requester.startswith("cal")
    ]
    assert order.room == room_id
    assert order.service_type == "room_cleaning"
    assert order.scheduled_start == checkout

    # A missing calendar entity is a broken feed.
    await hass.config_entries.async_unload(calendar_entry.entry_id)
    await hass.async_block_till_done()
    response = await hass.services.async_call(
        DOMAIN, "refresh_calendars", {}, blocking=True, return_response=True
    )
    assert response is not None
    [result] = response["calendars"]
    assert result["ok"] is False
    assert result["error"] == "calendar.room_bookings not found"
