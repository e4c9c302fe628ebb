"""The RS-485 lock-board cabinet: host firmware against a simulated CU16 bus (pty)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import itertools
from pathlib import Path
from typing import Any

import pytest

from homeassistant.core import Event, HomeAssistant, callback

from .host_firmware import HostFirmware, adopt, build_host_firmware
from .keyed_walk import state_of, wait_for
from .lockboard_sim import LockBoardBus

MAC = "02:d5:00:00:ca:02"
LOCK = "lock.cabinet_rs485_host_compartment_{}_lock"
DOOR = "binary_sensor.cabinet_rs485_host_compartment_{}_door"

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


@pytest.fixture(scope="session")
def rs485_binary() -> Path:
    """The cabinet-rs485-host firmware."""
    return build_host_firmware("cabinet-rs485-host")


@pytest.fixture
def bus() -> Iterator[LockBoardBus]:
    """Two simulated CU16 boards (compartments 1-16 and 17-32) on a pty."""
    with LockBoardBus(boards=2) as bus:
        yield bus


@pytest.fixture
def cabinet(
    rs485_binary: Path, bus: LockBoardBus, socket_enabled: None, tmp_path: Path
) -> Iterator[HostFirmware]:
    """The firmware on the simulated bus."""
    firmware = HostFirmware(
        rs485_binary, tmp_path, env={"DOORSERVICE_UART_PORT": bus.path}
    )
    firmware.start()
    try:
        yield firmware
    finally:
        firmware.stop()


async def test_rs485_unlocks_the_right_channel_and_reports_its_door(
    hass: HomeAssistant, bus: LockBoardBus, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, MAC, DOOR.format(24))
    assert f"Lock-board bus on {bus.path}" in cabinet.log()
    # Both boards polled: every door shut, every lock locked (the initial states of
    # 48 entities may still be arriving).
    await wait_for(
        lambda: (
            all(state_of(hass, DOOR.format(n)) == "off" for n in range(1, 25))
            and all(state_of(hass, LOCK.format(n)) == "locked" for n in range(1, 25))
        ),
        "every door and lock from both boards",
    )
    events: list[dict[str, Any]] = []

    @callback
    def _forced(event: Event) -> None:
        events.append(dict(event.data))

    hass.bus.async_listen("esphome.doorservice_forced_open", _forced)

    # Compartment 18 = board 1, channel 2.
    await hass.services.async_call(
        "lock", "unlock", {"entity_id": LOCK.format(18)}, blocking=True
    )
    await wait_for(lambda: state_of(hass, LOCK.format(18)) == "unlocked", "unlocked")
    assert bus.unlocks[-1][1:] == (1, 2)
    assert bus.unlocked_compartments() == [18]
    bus.set_door(18, is_open=True)
    await wait_for(lambda: state_of(hass, DOOR.format(18)) == "on", "door 18 open")
    await wait_for(lambda: state_of(hass, LOCK.format(18)) == "locked", "relocked")
    assert all(state_of(hass, DOOR.format(n)) == "off" for n in range(1, 25) if n != 18)
    bus.set_door(18, is_open=False)
    await wait_for(lambda: state_of(hass, DOOR.format(18)) == "off", "door 18 shut")
    assert events == []  # opened right after its unlock: no alarm

    # Three unlocks at once go out one by one, pulse + gap apart.
    await hass.services.async_call(
        "lock",
        "unlock",
        {"entity_id": [LOCK.format(n) for n in (3, 20, 7)]},
        blocking=True,
    )
    await wait_for(lambda: len(bus.unlocks) == 4, "three more unlock frames", 5)
    assert sorted(bus.unlocked_compartments()[1:]) == [3, 7, 20]
    times = [at for at, _board, _channel in bus.unlocks[1:]]
    assert all(b - a >= 0.75 for a, b in itertools.pairwise(times)), times

    # Door 5 opens with no unlock: forced open.
    bus.set_door(5, is_open=True)
    await wait_for(lambda: len(events) == 1, "the forced-open event")
    assert events[0]["compartment"] == "5"
    assert bus.bad_frames == 0

    # Board 1 stops answering: its doors go unknown and its locks jammed; board 0 stays.
    bus.silent.add(1)
    await wait_for(lambda: state_of(hass, DOOR.format(17)) == "unknown", "unknown door")
    await wait_for(lambda: state_of(hass, LOCK.format(17)) == "jammed", "jammed lock")
    assert state_of(hass, DOOR.format(5)) == "on"
    assert state_of(hass, LOCK.format(5)) == "locked"
    unlocks = len(bus.unlocks)
    await hass.services.async_call(
        "lock", "unlock", {"entity_id": LOCK.format(17)}, blocking=True
    )
    await asyncio.sleep(0.3)
    assert len(bus.unlocks) == unlocks  # refused, not sent
    assert state_of(hass, LOCK.format(17)) == "jammed"
    bus.silent.clear()
    await wait_for(lambda: state_of(hass, LOCK.format(17)) == "locked", "board 1 back")
    assert state_of(hass, DOOR.format(17)) == "off"
    assert await hass.config_entries.async_unload(entry.entry_id)
