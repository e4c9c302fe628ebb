"""End to end over ESPHome's native API: real host firmware, HA's esphome integration.

The ``cabinet-host`` firmware (built by ``scripts/esphome-build-host``, cached) runs on
a free loopback port; Home Assistant's own ``esphome`` integration adopts it, and a Door
Service cabinet on the ``entities`` driver drives its lock and door entities.
"""

from __future__ import annotations

from collections.abc import Iterator
import logging
import os
from pathlib import Path
import subprocess
import time
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.drivers.base import BoardReport, BoardSignal
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component

from ..conftest import setup_entry, site_entry, worker
from .keyed_walk import Hands, state_of, wait_for, walk_keyed_order
from .mosquitto import _port_accepts, free_loopback_port

ROOT = Path(__file__).resolve().parents[2]
CABINET_MAC = "02:d5:00:00:ca:01"
COMPARTMENTS = 6
BOOKING_TOKEN = "native-api-booking-token-0123456789"
FIRMWARE_LOCK = "lock.cabinet_host_compartment_{}_lock"
FIRMWARE_DOOR = "binary_sensor.cabinet_host_compartment_{}_door"

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


@pytest.fixture(scope="session")
def cabinet_firmware() -> Path:
    """Build (or reuse) the cabinet-host firmware binary."""
    result = subprocess.run(
        [str(ROOT / "scripts" / "esphome-build-host"), "cabinet-host"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"building cabinet-host failed:\n{result.stderr}", pytrace=False)
    return Path(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def firmware(
    cabinet_firmware: Path, socket_enabled: None, tmp_path: Path
) -> Iterator[int]:
    """Run the firmware on a free loopback port; kill it afterwards."""
    port = free_loopback_port()
    env = {
        **os.environ,
        "DOORSERVICE_API_PORT": str(port),
        "ESPHOME_PREFDIR": str(tmp_path),
    }
    log = (tmp_path / "firmware.log").open("wb")
    process = subprocess.Popen(
        [str(cabinet_firmware)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 10
        while not _port_accepts(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "firmware did not listen:\n"
                    + (tmp_path / "firmware.log").read_text(errors="replace"),
                    pytrace=False,
                )
            time.sleep(0.02)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


async def adopt_firmware(hass: HomeAssistant, port: int) -> tuple[MockConfigEntry, str]:
    """Set up HA's esphome integration on the firmware; return it and the device."""
    assert await async_setup_component(hass, "homeassistant", {})
    esphome = MockConfigEntry(
        domain="esphome",
        data={"host": "127.0.0.1", "port": port, "password": "", "noise_psk": ""},
        unique_id=CABINET_MAC,
    )
    esphome.add_to_hass(hass)
    assert await hass.config_entries.async_setup(esphome.entry_id)
    await hass.async_block_till_done()
    await wait_for(
        lambda: state_of(hass, FIRMWARE_LOCK.format(COMPARTMENTS)) == "locked",
        "the firmware's entities",
    )
    board = er.async_get(hass).async_get(FIRMWARE_LOCK.format(1))
    assert board is not None
    assert board.device_id is not None
    return esphome, board.device_id


def lobby_on_firmware(device_id: str, *extra: ConfigSubentryData) -> MockConfigEntry:
    """A site whose cabinet ``Lobby`` is the firmware's locks and doors."""
    return site_entry(
        "Lakeside",
        subentries=[
            ConfigSubentryData(
                subentry_type="cabinet",
                title="Lobby",
                unique_id=None,
                data={
                    "compartments": COMPARTMENTS,
                    "driver": "entities",
                    "locks": [
                        FIRMWARE_LOCK.format(n) for n in range(1, COMPARTMENTS + 1)
                    ],
                    "doors": [
                        FIRMWARE_DOOR.format(n) for n in range(1, COMPARTMENTS + 1)
                    ],
                    "board_device": device_id,
                    "pulse": 1,
                    "confirm_timeout": 5,
                    "public_booking": True,
                    "booking_token": BOOKING_TOKEN,
                },
            ),
            *extra,
        ],
    )


async def test_cabinet_on_native_api(hass: HomeAssistant, firmware: int) -> None:
    esphome, device_id = await adopt_firmware(hass, firmware)
    site = await setup_entry(hass, lobby_on_firmware(device_id))
    cabinet = next(iter(site.runtime_data.cabinets.values()))
    driver = cabinet.driver
    seen: list[BoardReport] = []
    listener = driver._listener

    def record(report: BoardReport) -> None:
        seen.append(report)
        listener(report)

    driver._listener = record
    assert state_of(hass, "lock.lobby_compartment_1") == "locked"
    assert state_of(hass, "binary_sensor.lobby_compartment_2_door") == "off"
    assert state_of(hass, "binary_sensor.lobby_board") == "on"

    # Maintenance unlock through our lock: the firmware's lock unlocks and relocks.
    started = time.monotonic()
    await hass.services.async_call(
        "lock", "unlock", {"entity_id": "lock.lobby_compartment_1"}, blocking=True
    )
    assert state_of(hass, FIRMWARE_LOCK.format(1)) == "unlocked"
    assert state_of(hass, "lock.lobby_compartment_1") == "unlocked"
    await wait_for(
        lambda: state_of(hass, "lock.lobby_compartment_1") == "locked", "the relock"
    )
    assert time.monotonic() - started >= 0.4  # the board's 500 ms pulse
    assert state_of(hass, FIRMWARE_LOCK.format(1)) == "locked"

    # The keypad (the firmware's enter_code action) reaches our driver.
    await hass.services.async_call(
        "esphome", "cabinet_host_enter_code", {"code": "482915"}, blocking=True
    )
    await wait_for(
        lambda: (
            [r.value for r in seen if r.signal is BoardSignal.CODE_ENTERED]
            == ["482915"]
        ),
        "the keypad code",
    )

    # A person opens and closes door 2.
    await hass.services.async_call(
        "esphome",
        "cabinet_host_set_door",
        {"compartment": 2, "is_open": True},
        blocking=True,
    )
    await wait_for(
        lambda: state_of(hass, "binary_sensor.lobby_compartment_2_door") == "on",
        "door 2 open",
    )
    await hass.services.async_call(
        "esphome",
        "cabinet_host_set_door",
        {"compartment": 2, "is_open": False},
        blocking=True,
    )
    await wait_for(
        lambda: state_of(hass, "binary_sensor.lobby_compartment_2_door") == "off",
        "door 2 closed",
    )

    # The booking QR goes to the board's display.
    payload = "https://example.invalid/book/lakeside"
    await driver.async_show_qr(payload)
    await wait_for(
        lambda: state_of(hass, "sensor.cabinet_host_qr_payload") == payload,
        "the QR payload",
    )

    assert await hass.config_entries.async_unload(site.entry_id)
    assert await hass.config_entries.async_unload(esphome.entry_id)
    await hass.async_block_till_done()


async def test_keyed_order_on_native_api(
    hass: HomeAssistant, firmware: int, caplog: pytest.LogCaptureFixture
) -> None:
    """Walk a keyed order: keypad, lock, doors and QR of the real firmware."""
    caplog.set_level(logging.INFO, logger="custom_components.doorservice")
    esphome, device_id = await adopt_firmware(hass, firmware)
    firmware_locks = {FIRMWARE_LOCK.format(n): n for n in range(1, COMPARTMENTS + 1)}
    lock_moves: list[tuple[int, str]] = []

    @callback
    def _lock_moved(event: Event[EventStateChangedData]) -> None:
        if (new := event.data["new_state"]) is not None:
            lock_moves.append((firmware_locks[event.data["entity_id"]], new.state))

    unsub = async_track_state_change_event(hass, list(firmware_locks), _lock_moved)
    await hass.config.async_update(external_url="https://door.example")
    site = await setup_entry(
        hass, lobby_on_firmware(device_id, worker("Anna", "cleaning"))
    )
    glue = site.runtime_data.cabinet_glue

    # The booking QR the integration pushed at start is on the board's display:
    # the cabinet's public booking link on the external URL.
    url = f"https://door.example/doorservice/book/{BOOKING_TOKEN}"
    assert list(glue.qr_payloads.values()) == [url]
    await wait_for(
        lambda: state_of(hass, "sensor.cabinet_host_qr_payload") == url,
        "the booking QR on the firmware",
    )

    async def esphome_action(action: str, **data: Any) -> None:
        await hass.services.async_call(
            "esphome", f"cabinet_host_{action}", data, blocking=True
        )

    async def unlocked(number: int) -> None:
        # The code unlocked the real lock of exactly this compartment (it relocks
        # by itself after its pulse).
        assert (number, "unlocked") in lock_moves
        assert {n for n, state in lock_moves if state == "unlocked"} == {number}
        lock_moves.clear()

    async def door(number: int, is_open: bool) -> None:
        await esphome_action("set_door", compartment=number, is_open=is_open)

    async def settled() -> None:
        await wait_for(
            lambda: all(state_of(hass, lock) == "locked" for lock in firmware_locks),
            "every lock relocked",
        )

    hands = Hands(
        enter_code=lambda pin: esphome_action("enter_code", code=pin),
        unlocked=unlocked,
        open_door=lambda n: door(n, True),
        close_door=lambda n: door(n, False),
        settled=settled,
    )
    try:
        await walk_keyed_order(hass, site, hands, cabinet_entity="lobby")
    finally:
        unsub()
    await settled()
    # Each keypad event was entered once: no second, refused entry of a code.
    assert "Keypad entry" not in caplog.text

    # The board's panel is told how an entry went (keypad feedback).
    panel = "sensor.cabinet_host_panel"
    await hands.enter_code("000000")
    await wait_for(lambda: state_of(hass, panel) == "Code rejected", "the feedback")

    # A door opened without an unlock is an alarm of the integration.
    forced: list[Event] = []
    hass.bus.async_listen(
        "doorservice_forced_open", callback(lambda e: forced.append(e))
    )
    await door(3, True)
    await wait_for(lambda: len(forced) == 1, "the forced-open alarm")
    assert forced[0].data["cabinet"] == "Lobby"
    assert forced[0].data["compartment"] == 3
    await door(3, False)
    assert await hass.config_entries.async_unload(site.entry_id)
    assert await hass.config_entries.async_unload(esphome.entry_id)
    await hass.async_block_till_done()
