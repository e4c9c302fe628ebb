"""A board that goes offline or does not confirm: errors, repair issue, logging."""

from __future__ import annotations

from datetime import timedelta
import logging

import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.doorservice.const import DOMAIN
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import homeassistant.util.dt as dt_util

from .conftest import setup_entry, site_entry


def entities_cabinet() -> ConfigSubentryData:
    return ConfigSubentryData(
        subentry_type="cabinet",
        title="Board",
        unique_id=None,
        data={
            "compartments": 2,
            "driver": "entities",
            "locks": ["lock.c1", "lock.c2"],
            "doors": [],
            "pulse": 1,
            "confirm_timeout": 1,
        },
    )


async def test_offline_board_refuses_and_raises_repair(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.doorservice")
    hass.states.async_set("lock.c1", "locked")
    hass.states.async_set("lock.c2", "locked")
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            subentries=[entities_cabinet()],
            options={"offline_repair_after": 2},
        ),
    )
    runtime = entry.runtime_data
    cabinet = next(iter(runtime.cabinets.values()))
    assert hass.states.get("lock.board_compartment_1").state == "locked"

    # Nobody answers the unlock: not confirmed, nothing changes.
    with pytest.raises(HomeAssistantError) as err:
        await runtime.async_maintenance_lock(cabinet, 1, locked=False, context=None)
    assert err.value.translation_key == "unlock_not_confirmed"
    assert err.value.translation_placeholders == {
        "cabinet": "Board",
        "compartment": "1",
        "seconds": "1",
    }
    assert "did not confirm the unlock of compartment 1 within 1 s" in str(err.value)
    assert hass.states.get("lock.board_compartment_1").state == "locked"

    caplog.clear()
    hass.states.async_set("lock.c2", "unavailable")
    await hass.async_block_till_done()
    hass.states.async_set("lock.c1", "unavailable")
    await hass.async_block_till_done()
    assert hass.states.get("lock.board_compartment_1").state == "unavailable"
    assert hass.states.get("binary_sensor.board_board").state == "off"
    offline_logs = [r for r in caplog.records if "is offline" in r.getMessage()]
    assert [(r.levelname, r.getMessage()) for r in offline_logs] == [
        ("WARNING", "Cabinet Board is offline")
    ]
    with pytest.raises(HomeAssistantError) as err:
        await runtime.async_maintenance_lock(cabinet, 1, locked=False, context=None)
    assert err.value.translation_key == "board_offline"
    assert "The board of Board is offline; compartment 1 was not changed" in str(
        err.value
    )

    issues = ir.async_get(hass)
    issue_id = f"board_offline_{entry.entry_id}_{cabinet.cabinet_id}"
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=1))
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=2, seconds=1))
    await hass.async_block_till_done()
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "board_offline"
    assert issue.translation_placeholders == {
        "cabinet": "Board",
        "site": "Lakeside",
        "minutes": "2",
    }

    caplog.clear()
    hass.states.async_set("lock.c1", "locked")
    hass.states.async_set("lock.c2", "locked")
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("lock.board_compartment_1").state == "locked"
    assert [r.getMessage() for r in caplog.records if "Cabinet" in r.getMessage()] == [
        "Cabinet Board is back online"
    ]

    # Offline again, then unloaded before the delay: no issue is left behind.
    hass.states.async_set("lock.c1", "unavailable")
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=10))
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None


async def test_board_offline_from_the_start_gets_an_issue(hass: HomeAssistant) -> None:
    hass.states.async_set("lock.c1", "unavailable")
    hass.states.async_set("lock.c2", "locked")
    entry = await setup_entry(
        hass, site_entry("Lakeside", subentries=[entities_cabinet()])
    )
    cabinet = next(iter(entry.runtime_data.cabinets.values()))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=5, seconds=1))
    await hass.async_block_till_done()
    issue_id = f"board_offline_{entry.entry_id}_{cabinet.cabinet_id}"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    hass.states.async_set("lock.c1", "locked")
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
