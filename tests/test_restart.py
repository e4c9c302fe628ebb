"""A real restart: stop Home Assistant, start a new one on the same config directory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from pytest_homeassistant_custom_component.common import async_test_home_assistant

from custom_components.doorservice.const import DOMAIN
from homeassistant import loader
from homeassistant.core import HomeAssistant

from .conftest import cabinet, worker


@asynccontextmanager
async def running_hass(config_dir: Path) -> AsyncIterator[HomeAssistant]:
    """Start a Home Assistant on ``config_dir`` with real storage on disk."""
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        await hass.config_entries.async_initialize()
        await hass.async_block_till_done()
        yield hass
        await hass.async_stop(force=True)


async def _create_site(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Lakeside", "site_type": "home", "currency": "EUR"}
    )
    entry = result["result"]
    for sub in (cabinet("Lobby cabinet", 4), worker("Anna", "cleaning")):
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, sub["subentry_type"]), context={"source": "user"}
        )
        await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": sub["title"], **sub["data"]}
        )
    await hass.async_block_till_done()
    return str(entry.entry_id)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Use no harness instance here: its storage is an in-memory mock."""


async def test_state_survives_a_restart(tmp_path: Path) -> None:
    """Everything the site knows is as it was after a restart."""
    checks: list[Callable[[HomeAssistant], None]] = []
    async with running_hass(tmp_path) as first:
        entry_id = await _create_site(first)
        assert first.states.get("switch.anna_on_duty").state == "on"
        await first.services.async_call(
            "switch", "turn_off", {"entity_id": "switch.anna_on_duty"}, blocking=True
        )
        assert first.states.get("switch.anna_on_duty").state == "off"

    assert (tmp_path / "doorservice.db").exists()

    async with running_hass(tmp_path) as second:
        entry = second.config_entries.async_get_entry(entry_id)
        assert entry is not None
        assert await second.config_entries.async_setup(entry_id)
        await second.async_block_till_done()
        assert sorted(s.title for s in entry.subentries.values()) == [
            "Anna",
            "Lobby cabinet",
        ]
        assert second.states.get("switch.anna_on_duty").state == "off"
        assert second.states.get("lock.lobby_cabinet_compartment_4").state == "locked"
        for check in checks:
            check(second)
