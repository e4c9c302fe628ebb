"""Fixtures shared by the Home Assistant tests of Door Service."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from contextlib import closing
import json
from pathlib import Path
import sqlite3
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Import the real integration at module level so it wins over the test plugin's own
# ``custom_components`` package.
import custom_components.doorservice  # noqa: F401
from custom_components.doorservice import storage
from custom_components.doorservice.const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_ADDRESS,
    CONF_CODE_VALIDITY,
    CONF_COMPARTMENTS,
    CONF_CURRENCY,
    CONF_DISPATCH_STRATEGY,
    CONF_DRIVER,
    CONF_ROLES,
    CONF_SITE_TYPE,
    DOMAIN,
)
from custom_components.doorservice.core.custody import KeyCustody
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigSubentryData,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Let Home Assistant load the integration from custom_components."""
    return


@pytest.fixture(autouse=True)
def database_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give each test its own database (the harness shares one config dir)."""
    path = tmp_path / "doorservice.db"
    monkeypatch.setattr(storage, "database_path", lambda hass: path)
    return path


@pytest.fixture(autouse=True)
async def storage_mirrors_memory(
    request: pytest.FixtureRequest, database_in_tmp_path: Path
) -> AsyncGenerator[None]:
    """After every test: what each loaded site holds is exactly what is committed.

    Memory equals the documents last committed (nothing changed without being
    written), and those equal the rows in the database file.
    """
    hass = request.getfixturevalue("hass") if "hass" in request.fixturenames else None
    yield
    if hass is None:
        return
    # A reload a test started (a subentry changed) finishes before the check.
    await hass.async_block_till_done()
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:
            assert_storage_mirrors_memory(entry, database_in_tmp_path)


def assert_storage_mirrors_memory(entry: ConfigEntry[Any], db_path: Path) -> None:
    """Memory == last committed documents == database rows, for one site."""
    runtime = entry.runtime_data
    changes = runtime.records.full_changes(runtime.site)
    assert not changes, (
        f"not committed: {sorted(changes.orders)} {sorted(changes.records)}"
    )
    with closing(sqlite3.connect(db_path)) as conn:
        orders = dict(
            conn.execute(
                "SELECT order_id, data FROM orders WHERE entry_id = ? AND live = 1",
                (entry.entry_id,),
            )
        )
        records = {
            (kind, key): data
            for kind, key, data in conn.execute(
                "SELECT kind, key, data FROM records WHERE entry_id = ?",
                (entry.entry_id,),
            )
        }
    assert orders == runtime.records.committed_orders
    assert records == runtime.records.committed_records


def cabinet(name: str, compartments: int = 6) -> ConfigSubentryData:
    """Return the subentry data of a virtual cabinet."""
    return ConfigSubentryData(
        subentry_type="cabinet",
        title=name,
        unique_id=None,
        data={CONF_COMPARTMENTS: compartments, CONF_DRIVER: "virtual"},
    )


def room(name: str, address: str | None = None, **extra: Any) -> ConfigSubentryData:
    """Return the subentry data of a room (``appliances=[...]``, ``board_device``)."""
    return ConfigSubentryData(
        subentry_type="room",
        title=name,
        unique_id=None,
        data={**({CONF_ADDRESS: address} if address else {}), **extra},
    )


def worker(name: str, *roles: str, **extra: Any) -> ConfigSubentryData:
    """Return the subentry data of a worker."""
    return ConfigSubentryData(
        subentry_type="worker",
        title=name,
        unique_id=None,
        data={CONF_ROLES: list(roles), **extra},
    )


def site_entry(
    name: str = "Lakeside",
    site_type: str = "home",
    subentries: list[ConfigSubentryData] | None = None,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Return a site config entry (not yet added to hass)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=name,
        unique_id=name.lower().replace(" ", "_"),
        data={CONF_NAME: name, CONF_SITE_TYPE: site_type, CONF_CURRENCY: "EUR"},
        options=options
        or {
            CONF_DISPATCH_STRATEGY: "broadcast",
            CONF_ACCEPTANCE_TIMEOUT: 10,
            CONF_CODE_VALIDITY: 48,
        },
        subentries_data=subentries or [],
    )


@pytest.fixture
def home_entry() -> MockConfigEntry:
    """A home with a 6-compartment cabinet and a cleaner."""
    return site_entry(
        "Lakeside",
        "home",
        [cabinet("Lobby cabinet", 6), worker("Anna", "cleaning")],
    )


@pytest.fixture
def hotel_entry() -> MockConfigEntry:
    """A hotel with two rooms and two workers."""
    return site_entry(
        "Hotel Aurora",
        "hotel",
        [
            room("Room 101", "1st floor"),
            room("Room 102"),
            worker("Mei", "housekeeping"),
            worker("Tom", "maintenance"),
        ],
    )


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add ``entry`` to hass and set it up."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def stored_order(entry: ConfigEntry[Any], order_id: str) -> dict[str, Any]:
    """An order as the site knows it: live in memory, or finished in the database."""
    runtime = entry.runtime_data
    if (order := runtime.site.desk.book.find(order_id)) is not None:
        return dict(order.to_dict())
    with closing(sqlite3.connect(runtime.db.path)) as conn:
        row = conn.execute(
            "SELECT data FROM orders WHERE entry_id = ? AND order_id = ?",
            (entry.entry_id, order_id),
        ).fetchone()
    assert row is not None, f"{order_id} is neither in memory nor stored"
    return dict(json.loads(row[0]))


def stored_state(entry: ConfigEntry[Any], order_id: str) -> str:
    """The state of an order, live or finished (see :func:`stored_order`)."""
    return str(stored_order(entry, order_id)["state"])


def stored_custody(entry: ConfigEntry[Any], order_id: str) -> KeyCustody:
    """The key record of a finished order, as kept with it in the database."""
    with closing(sqlite3.connect(entry.runtime_data.db.path)) as conn:
        row = conn.execute(
            "SELECT custody FROM orders WHERE entry_id = ? AND order_id = ?",
            (entry.entry_id, order_id),
        ).fetchone()
    assert row is not None, f"{order_id} is not stored"
    assert row[0] is not None, f"no key record for {order_id}"
    return KeyCustody.from_dict(json.loads(row[0]))
