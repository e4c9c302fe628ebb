"""The database: per-action commits, refusal when a commit fails, migration."""

from __future__ import annotations

from contextlib import closing
from datetime import timedelta
from pathlib import Path
import sqlite3
from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice import storage
from custom_components.doorservice.config import site_config
from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.core.site import Site
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .conftest import (
    assert_storage_mirrors_memory,
    cabinet,
    room,
    setup_entry,
    site_entry,
    worker,
)


def _entry() -> MockConfigEntry:
    return site_entry(
        "Lakeside",
        "home",
        [cabinet("Lobby cabinet", 3), worker("Anna", "cleaning"), room("Flat 1")],
    )


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def book(hass: HomeAssistant) -> dict[str, Any]:
    return await call(
        hass,
        "book_cleaning",
        address="1 Lake Road",
        start=(dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
        store_key=True,
    )


def _states(hass: HomeAssistant) -> dict[str, str]:
    return {
        s.entity_id: s.state
        for s in hass.states.async_all()
        if s.entity_id.split(".")[1].startswith(("lakeside", "lobby", "anna", "flat"))
    }


async def test_every_action_is_in_the_database_when_it_returns(
    hass: HomeAssistant, database_in_tmp_path: Path
) -> None:
    entry = await setup_entry(hass, _entry())
    booked = await book(hass)
    order_id = booked["order"]["order_id"]
    # Read the file with a connection of our own: the row is already there.
    with closing(sqlite3.connect(database_in_tmp_path)) as conn:
        (state,) = conn.execute(
            "SELECT state FROM orders WHERE order_id = ?", (order_id,)
        ).fetchone()
    assert state == "awaiting_dropoff"
    assert_storage_mirrors_memory(entry, database_in_tmp_path)
    await call(hass, "cancel_order", order_id=order_id)
    assert_storage_mirrors_memory(entry, database_in_tmp_path)


async def test_a_failed_commit_refuses_the_action_and_changes_nothing(
    hass: HomeAssistant, database_in_tmp_path: Path
) -> None:
    entry = await setup_entry(hass, _entry())
    booked = await book(hass)
    order_id = booked["order"]["order_id"]
    orders_before = await call(hass, "get_orders")
    states_before = _states(hass)
    site_before = entry.runtime_data.site.to_dict()

    def broken_disk(*_args: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with (
        patch.object(storage.Database, "_commit", broken_disk),
        pytest.raises(HomeAssistantError) as refused,
    ):
        await call(hass, "cancel_order", order_id=order_id)
    assert refused.value.translation_key == "database_write_failed"
    await hass.async_block_till_done()
    assert await call(hass, "get_orders") == orders_before
    assert _states(hass) == states_before
    assert entry.runtime_data.site.to_dict() == site_before
    issues = ir.async_get(hass)
    assert issues.async_get_issue(DOMAIN, "database_unwritable") is not None
    assert_storage_mirrors_memory(entry, database_in_tmp_path)

    # The disk is back: the same action now goes through and the issue goes away.
    await call(hass, "cancel_order", order_id=order_id)
    assert issues.async_get_issue(DOMAIN, "database_unwritable") is None
    assert_storage_mirrors_memory(entry, database_in_tmp_path)


async def test_an_unreadable_database_retries_the_setup(
    hass: HomeAssistant, database_in_tmp_path: Path
) -> None:
    await hass.async_add_executor_job(
        database_in_tmp_path.write_bytes, b"this is not a database" * 100
    )
    entry = _entry()
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_a_site_stored_by_the_previous_release_is_migrated(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    database_in_tmp_path: Path,
) -> None:
    """The ``.storage`` file of the earlier release becomes rows, then goes."""
    entry = _entry()
    entry.add_to_hass(hass)
    # Written exactly as the previous release did: Site.to_dict() in a Store file.
    now = dt_util.utcnow()
    site = Site(site_config(entry))
    cabinet_id = next(iter(site.cabinets))
    order, _events = site.book_cleaning(
        service_type="standard_cleaning",
        requester="owner",
        now=now,
        start=now + timedelta(hours=1),
        address="1 Lake Road",
        store_key=True,
        cabinet=cabinet_id,
    )
    key = f"{DOMAIN}.{entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": site.to_dict(),
    }
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    loaded = entry.runtime_data.site
    assert loaded.order(order.id).state.value == "awaiting_dropoff"
    assert [
        (c.number, c.contents, c.order_id)
        for c in loaded.cabinets[cabinet_id].compartments
    ] == [
        (c.number, c.contents, c.order_id)
        for c in site.cabinets[cabinet_id].compartments
    ]
    assert loaded.codes.to_dict() == site.codes.to_dict()
    assert key not in hass_storage  # the old file is gone
    assert_storage_mirrors_memory(entry, database_in_tmp_path)

    # A restart now reads the database.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.site.order(order.id).state.value == "awaiting_dropoff"


async def test_removing_the_site_deletes_its_rows(
    hass: HomeAssistant, database_in_tmp_path: Path
) -> None:
    entry = await setup_entry(hass, _entry())
    await book(hass)
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    with closing(sqlite3.connect(database_in_tmp_path)) as conn:
        rows = (
            conn.execute(
                "SELECT COUNT(*) FROM orders WHERE entry_id = ?", (entry.entry_id,)
            ).fetchone()[0]
            + conn.execute(
                "SELECT COUNT(*) FROM records WHERE entry_id = ?", (entry.entry_id,)
            ).fetchone()[0]
        )
    assert rows == 0


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {storage.SCHEMA_VERSION + 1}")
    db = storage.Database(path)
    with pytest.raises(sqlite3.DatabaseError, match="newer Door Service"):
        db._open()
    db._executor.shutdown()


def test_split_and_assemble_are_inverse() -> None:
    now = dt_util.utcnow()
    entry = _entry()
    site = Site(site_config(entry))
    site.book_cleaning(
        service_type="standard_cleaning",
        requester="owner",
        now=now,
        start=now + timedelta(hours=1),
        address="1 Lake Road",
        store_key=True,
        cabinet=next(iter(site.cabinets)),
    )
    data = site.to_dict()
    orders, records = storage.split_site(data)
    rebuilt = storage.assemble_site(
        orders, ((kind, key, doc) for (kind, key), doc in records.items())
    )
    assert Site.from_dict(rebuilt, site_config(entry)).to_dict() == data


def test_uncommitted_changes_are_seen() -> None:
    """The check the suite runs after every test really sees a missed write."""
    now = dt_util.utcnow()
    entry = _entry()
    site = Site(site_config(entry))
    records = storage.SiteRecords()
    records.reset(site.to_dict())
    assert not records.full_changes(site)
    site.book_cleaning(
        service_type="standard_cleaning",
        requester="owner",
        now=now,
        start=now + timedelta(hours=1),
        address="1 Lake Road",
    )
    changes = records.full_changes(site)
    assert len(changes.orders) == 1
