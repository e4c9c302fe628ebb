"""End to end over MQTT: real mosquitto, an ESPHome-convention board, HA's mqtt.

A Door Service cabinet on the ``mqtt`` driver unlocks, follows the door, receives keypad
codes and pushes the QR; then the board crashes (offline handling, repair issue) and
comes back, and the broker goes down and comes back.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging
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

from ..conftest import setup_entry, site_entry, worker
from .keyed_walk import Hands, state_of, wait_for, walk_keyed_order
from .mosquitto import MosquittoBroker, mosquitto_broker  # noqa: F401
from .mqtt_board import MqttCabinetBoard

PREFIX = "doorservice/lobby"
BOOKING_TOKEN = "mqtt-e2e-booking-token-0123456789"

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


async def test_cabinet_on_mqtt(
    hass: HomeAssistant,
    mosquitto_broker: MosquittoBroker,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.doorservice")
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
        broker.host, broker.port, PREFIX, compartments=2, pulse=1.0
    )
    await asyncio.to_thread(board.start)
    try:
        await _walk(hass, broker, board, caplog)
    finally:
        await asyncio.to_thread(board.stop)
        await hass.config_entries.async_unload(mqtt_entry.entry_id)
        await hass.async_block_till_done()


async def _walk(
    hass: HomeAssistant,
    broker: MosquittoBroker,
    board: MqttCabinetBoard,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await hass.config.async_update(external_url="https://door.example")
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
                        "public_booking": True,
                        "booking_token": BOOKING_TOKEN,
                    },
                ),
                worker("Anna", "cleaning"),
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

    # The booking QR the integration pushed at start reached the board (retained).
    glue = runtime.cabinet_glue
    url = f"https://door.example/doorservice/book/{BOOKING_TOKEN}"
    assert glue.qr_payloads == {cabinet.cabinet_id: url}
    await wait_for(lambda: board.qr_payload == url, "the booking QR")

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
    await asyncio.to_thread(board.close_door, 2)
    await wait_for(
        lambda: state_of(hass, "binary_sensor.lobby_compartment_2_door") == "off",
        "door 2 closed",
    )

    # A keyed order through the board: keypad codes, real UNLOCK commands, doors.
    caplog.clear()
    await _keyed_order(hass, site, board)
    # Each keypad code was entered once: no second, refused entry of a code.
    assert "Keypad entry" not in caplog.text

    # The board loses power: offline, refused unlock, repair issue after 1 minute.
    issues = ir.async_get(hass)
    issue_id = f"board_offline_{site.entry_id}_{cabinet.cabinet_id}"
    unlocks_before_crash = board.lock_commands(1)
    await asyncio.to_thread(board.crash)
    await wait_for(lambda: state_of(hass, lock) == "unavailable", "offline")
    with pytest.raises(HomeAssistantError) as err:
        await runtime.async_maintenance_lock(cabinet, 1, locked=False, context=None)
    assert err.value.translation_key == "board_offline"
    assert "The board of Lobby is offline" in str(err.value)
    assert board.lock_commands(1) == unlocks_before_crash
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(minutes=1, seconds=1))
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    # It comes back: available again, issue gone.
    await asyncio.to_thread(board.start)
    await wait_for(lambda: state_of(hass, lock) == "locked", "recovery")
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    unlocks = len(board.lock_commands(1))
    await hass.services.async_call("lock", "unlock", {"entity_id": lock}, blocking=True)
    assert board.lock_commands(1)[unlocks:] == ["UNLOCK"]

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


async def _keyed_order(
    hass: HomeAssistant, site: MockConfigEntry, board: MqttCabinetBoard
) -> None:
    """Walk a keyed order: codes on ``<prefix>/keypad/code``, UNLOCK, doors."""
    numbers = range(1, board.compartments + 1)
    sent = {n: len(board.lock_commands(n)) for n in numbers}

    async def enter_code(pin: str) -> None:
        assert await asyncio.to_thread(board.enter_code, pin)

    async def unlocked(number: int) -> None:
        # Exactly one UNLOCK, for this compartment, reached the board.
        for n in numbers:
            new = board.lock_commands(n)[sent[n] :]
            assert new == (["UNLOCK"] if n == number else []), (n, new)

    async def open_door(number: int) -> None:
        # The board refuses to open a locked door: this proves the unlock.
        await asyncio.to_thread(board.open_door, number)

    async def close_door(number: int) -> None:
        await asyncio.to_thread(board.close_door, number)

    async def settled() -> None:
        await wait_for(
            lambda: all(
                board.lock_state(n) == "LOCKED"
                and state_of(hass, f"lock.lobby_compartment_{n}") == "locked"
                for n in numbers
            ),
            "every lock relocked",
        )
        sent.update({n: len(board.lock_commands(n)) for n in numbers})

    hands = Hands(
        enter_code=enter_code,
        unlocked=unlocked,
        open_door=open_door,
        close_door=close_door,
        settled=settled,
    )
    await walk_keyed_order(hass, site, hands, cabinet_entity="lobby")
    await settled()
