"""End to end over MQTT: real mosquitto, an ESPHome-convention board, HA's mqtt.

A Door Service cabinet on the ``mqtt`` driver unlocks, follows the door, receives keypad
codes and pushes the QR; then the board crashes (offline handling, repair issue) and
comes back, and the broker goes down and comes back.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.drivers.base import BoardReport, BoardSignal
from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import homeassistant.util.dt as dt_util

from ..conftest import setup_entry, site_entry
from .mosquitto import MosquittoBroker, mosquitto_broker  # noqa: F401
from .mqtt_board import MqttCabinetBoard
from .test_native_api import state_of, wait_for

PREFIX = "doorservice/lobby"

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


async def test_cabinet_on_mqtt(
    hass: HomeAssistant,
    mosquitto_broker: MosquittoBroker,  # noqa: F811
) -> None:
    broker = mosquitto_broker
    # No birth message: its publish waits for a discovery cooldown and would fail
    # (unretrieved) when the broker is stopped on purpose meanwhile.
    mqtt_entry = MockConfigEntry(
        domain="mqtt",
        data={"broker": broker.host, "port": broker.port},
        options={"birth_message": {}, "discovery": False},
    )
    mqtt_entry.add_to_hass(hass)
    with patch("homeassistant.config.async_hass_config_yaml", return_value={}):
        assert await hass.config_entries.async_setup(mqtt_entry.entry_id)
        await hass.async_block_till_done()
    await wait_for(lambda: mqtt.is_connected(hass), "the MQTT connection")

    board = MqttCabinetBoard(
        broker.host, broker.port, PREFIX, compartments=2, pulse=0.5
    )
    await asyncio.to_thread(board.start)
    try:
        await _walk(hass, broker, board)
    finally:
        await asyncio.to_thread(board.stop)
        await hass.config_entries.async_unload(mqtt_entry.entry_id)
        await hass.async_block_till_done()


async def _walk(
    hass: HomeAssistant, broker: MosquittoBroker, board: MqttCabinetBoard
) -> None:
    site = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            subentries=[
                ConfigSubentryData(
                    subentry_type="cabinet",
                    title="Lobby",
                    unique_id=None,
                    data={
                        "compartments": 2,
                        "driver": "mqtt",
                        "topic_prefix": PREFIX,
                        "confirm_timeout": 2,
                    },
                )
            ],
            options={"offline_repair_after": 1},
        ),
    )
    runtime = site.runtime_data
    cabinet = next(iter(runtime.cabinets.values()))
    driver = cabinet.driver
    seen: list[BoardReport] = []
    listener = driver._listener

    def record(report: BoardReport) -> None:
        seen.append(report)
        listener(report)

    driver._listener = record
    lock = "lock.lobby_compartment_1"
    await wait_for(lambda: state_of(hass, lock) == "locked", "the board online")

    # Unlock round trip: UNLOCK -> UNLOCKED, relock after the pulse.
    await hass.services.async_call("lock", "unlock", {"entity_id": lock}, blocking=True)
    assert board.lock_commands(1) == ["UNLOCK"]
    assert state_of(hass, lock) == "unlocked"
    await wait_for(lambda: state_of(hass, lock) == "locked", "the relock")

    # Door state, keypad and QR.
    await asyncio.to_thread(board.open_door, 2, force=True)
    await wait_for(
        lambda: state_of(hass, "binary_sensor.lobby_compartment_2_door") == "on",
        "door 2 open",
    )
    assert await asyncio.to_thread(board.enter_code, "482915")
    await wait_for(
        lambda: (
            [r.value for r in seen if r.signal is BoardSignal.CODE_ENTERED]
            == ["482915"]
        ),
        "the keypad code",
    )
    await driver.async_show_qr("https://example.invalid/book")
    await wait_for(lambda: board.qr_payload == "https://example.invalid/book", "the QR")

    # The board loses power: offline, refused unlock, repair issue after 1 minute.
    issues = ir.async_get(hass)
    issue_id = f"board_offline_{site.entry_id}_{cabinet.cabinet_id}"
    await asyncio.to_thread(board.crash)
    await wait_for(lambda: state_of(hass, lock) == "unavailable", "offline")
    with pytest.raises(HomeAssistantError) as err:
        await runtime.async_maintenance_lock(cabinet, 1, locked=False, context=None)
    assert err.value.translation_key == "board_offline"
    assert "The board of Lobby is offline" in str(err.value)
    assert board.lock_commands(1) == ["UNLOCK"]
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=1, seconds=1))
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    # It comes back: available again, issue gone.
    await asyncio.to_thread(board.start)
    await wait_for(lambda: state_of(hass, lock) == "locked", "recovery")
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    await hass.services.async_call("lock", "unlock", {"entity_id": lock}, blocking=True)
    assert board.lock_commands(1) == ["UNLOCK", "UNLOCK"]

    # The broker goes down: offline; back: recovery.
    await asyncio.to_thread(broker.stop)
    await wait_for(lambda: state_of(hass, lock) == "unavailable", "broker down")
    await asyncio.to_thread(broker.start)
    await wait_for(
        lambda: state_of(hass, lock) in ("locked", "unlocked"),
        "broker back",
        within=30,
    )
    await wait_for(lambda: state_of(hass, lock) == "locked", "locked after broker")
    assert await hass.config_entries.async_unload(site.entry_id)
