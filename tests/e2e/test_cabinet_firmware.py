"""The cabinet firmware's coil driver and alarms, on the host build over the native API.

``cabinet-host`` runs the real board's one-coil-at-a-time driver
(``esphome/packages/coil-driver.yaml``) over template coils. Each compartment's coil
is mirrored by the diagnostic binary sensor ``Compartment <n> coil`` (published from
the coil switch's own turn-on/turn-off), so Home Assistant sees every coil edge in
board order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import itertools
import logging
from pathlib import Path
import time
from typing import Any

import pytest

from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event

from .host_firmware import HostFirmware, adopt, build_host_firmware
from .keyed_walk import state_of, wait_for

CABINET_MAC = "02:d5:00:00:ca:01"
COMPARTMENTS = range(1, 7)
LOCK = "lock.cabinet_host_compartment_{}_lock"
COIL = "binary_sensor.cabinet_host_compartment_{}_coil"
PEAK = "sensor.cabinet_host_coils_energised_peak"
_LOGGER = logging.getLogger(__name__)
PULSE = 0.5
GAP = 0.3

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


@pytest.fixture(scope="session")
def cabinet_binary() -> Path:
    """The cabinet-host firmware."""
    return build_host_firmware("cabinet-host")


@pytest.fixture
def cabinet(
    cabinet_binary: Path, socket_enabled: None, tmp_path: Path
) -> Iterator[HostFirmware]:
    """A running cabinet-host, stopped after the test."""
    firmware = HostFirmware(cabinet_binary, tmp_path)
    firmware.start()
    try:
        yield firmware
    finally:
        firmware.stop()


class CoilLog:
    """Every coil edge Home Assistant saw, with its arrival time."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.edges: list[tuple[float, int, bool]] = []
        coils = {COIL.format(n): n for n in COMPARTMENTS}

        @callback
        def _moved(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is not None and new.state in ("on", "off"):
                self.edges.append(
                    (
                        time.monotonic(),
                        coils[event.data["entity_id"]],
                        new.state == "on",
                    )
                )

        self.unsub = async_track_state_change_event(hass, list(coils), _moved)

    def pulses(self) -> list[tuple[int, float, float]]:
        """(compartment, on, off) of every finished pulse, in order."""
        started: dict[int, float] = {}
        pulses = []
        for at, n, on in self.edges:
            if on:
                assert n not in started, f"coil {n} turned on twice"
                started[n] = at
            elif n in started:
                pulses.append((n, started.pop(n), at))
        return pulses

    def most_on_at_once(self) -> int:
        on: set[int] = set()
        most = 0
        for _at, n, is_on in self.edges:
            (on.add if is_on else on.discard)(n)
            most = max(most, len(on))
        return most


async def unlock(hass: HomeAssistant, n: int) -> None:
    await hass.services.async_call(
        "lock", "unlock", {"entity_id": LOCK.format(n)}, blocking=True
    )


def all_locked(hass: HomeAssistant) -> bool:
    return all(
        state_of(hass, LOCK.format(n)) == "locked" for n in COMPARTMENTS
    ) and all(state_of(hass, COIL.format(n)) == "off" for n in COMPARTMENTS)


async def test_six_simultaneous_unlocks_one_coil_at_a_time(
    hass: HomeAssistant, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    await wait_for(lambda: all_locked(hass), "every initial state")
    await wait_for(lambda: state_of(hass, PEAK) is not None, "the peak sensor")
    assert float(state_of(hass, PEAK) or "nan") == 0
    log = CoilLog(hass)
    lock_states: dict[int, list[str]] = {n: [] for n in COMPARTMENTS}

    @callback
    def _lock_moved(event: Event[EventStateChangedData]) -> None:
        if (new := event.data["new_state"]) is not None:
            lock_states[int(event.data["entity_id"].split("_")[-2])].append(new.state)

    unsub = async_track_state_change_event(
        hass, [LOCK.format(n) for n in COMPARTMENTS], _lock_moved
    )
    # Six UNLOCKs at once (one service call for all six entities).
    await hass.services.async_call(
        "lock",
        "unlock",
        {"entity_id": [LOCK.format(n) for n in COMPARTMENTS]},
        blocking=True,
    )
    await wait_for(lambda: len(log.pulses()) == 6, "six pulses", within=10)
    await wait_for(lambda: all_locked(hass), "every lock relocked")
    unsub()
    log.unsub()

    pulses = log.pulses()
    assert sorted(n for n, _on, _off in pulses) == list(COMPARTMENTS)
    assert log.most_on_at_once() == 1
    for (_n, _on, off), (_next, next_on, _next_off) in itertools.pairwise(pulses):
        # The next coil starts only after the previous one dropped, plus the gap.
        assert next_on - off >= GAP - 0.1
    for n, on, off in pulses:
        assert PULSE - 0.1 <= off - on <= 0.7 + 0.1, (n, off - on)
    # The board's own count of coils on at the same time never went above one.
    assert float(state_of(hass, PEAK) or "nan") == 1
    # Waiting compartments reported UNLOCKING, then UNLOCKED, then LOCKED.
    for n in COMPARTMENTS:
        states = [s for s in lock_states[n] if s != "unlocking"]
        assert states == ["unlocked", "locked"], (n, lock_states[n])
    assert sum("unlocking" in lock_states[n] for n in COMPARTMENTS) >= 4
    for index, (n, on, off) in enumerate(pulses):
        gap = (on - pulses[index - 1][2]) * 1000 if index else 0.0
        _LOGGER.info(
            "pulse %d: compartment %d, %.0f ms on, %.0f ms gap before",
            index + 1,
            n,
            (off - on) * 1000,
            gap,
        )
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_repeated_unlock_does_not_extend_a_pulse(
    hass: HomeAssistant, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    log = CoilLog(hass)
    started = time.monotonic()
    await unlock(hass, 2)
    # UNLOCK again every 100 ms while the pulse runs.
    while time.monotonic() - started < 0.45:
        await unlock(hass, 2)
        await asyncio.sleep(0.1)
    await wait_for(lambda: len(log.pulses()) == 1, "the pulse")
    ((n, on, off),) = log.pulses()
    assert n == 2
    assert off - on <= 0.7, f"pulse stretched to {off - on:.2f} s"
    await wait_for(lambda: all_locked(hass), "the relock")
    # Hammering UNLOCK for 2 s: every pulse stays short, with the gap between them.
    log.edges.clear()
    started = time.monotonic()
    while time.monotonic() - started < 2.0:
        await unlock(hass, 2)
        await asyncio.sleep(0.05)
    await wait_for(lambda: all_locked(hass), "the relock", within=5)
    pulses = log.pulses()
    assert pulses
    total_on = sum(off - on for _n, on, off in pulses)
    for _n, on, off in pulses:
        assert off - on <= 0.7 + 0.05
    # At most one pulse per pulse + gap: the coil was on well under 2 s of the 2 s.
    assert len(pulses) <= int(2.0 / (PULSE + GAP)) + 2
    assert total_on <= len(pulses) * 0.7
    log.unsub()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_watchdog_switches_off_a_coil_the_driver_did_not_start(
    hass: HomeAssistant, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    log = CoilLog(hass)
    # A rogue coil while nothing runs, then one while another compartment pulses.
    await hass.services.async_call(
        "esphome", "cabinet_host_force_coil", {"compartment": 4}, blocking=True
    )
    await wait_for(lambda: len(log.pulses()) == 1, "the rogue coil off")
    await unlock(hass, 1)
    await hass.services.async_call(
        "esphome", "cabinet_host_force_coil", {"compartment": 5}, blocking=True
    )
    await wait_for(lambda: len(log.pulses()) == 3, "both coils off", within=3)
    pulses = {n: off - on for n, on, off in log.pulses()}
    # The watchdog runs every 10 ms: a rogue coil is off within a few loops (the
    # times are Home Assistant's arrival times, so allow for the API and the host).
    assert pulses[4] < 0.1, pulses
    assert pulses[5] < 0.1, pulses
    assert PULSE - 0.1 <= pulses[1] <= 0.7 + 0.1, pulses
    assert "Coil 4 on without the driver: off" in cabinet.log()
    assert state_of(hass, LOCK.format(4)) == "locked"
    log.unsub()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_reboot_mid_pulse_comes_up_with_every_coil_off(
    hass: HomeAssistant, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    await hass.services.async_call(
        "lock",
        "unlock",
        {"entity_id": [LOCK.format(n) for n in COMPARTMENTS]},
        blocking=True,
    )
    await wait_for(
        lambda: any(state_of(hass, COIL.format(n)) == "on" for n in COMPARTMENTS),
        "a coil on",
    )
    # Power cut mid-pulse (with five more unlocks queued), then power back.
    cabinet.kill()
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    await hass.config_entries.async_remove(entry.entry_id)
    cabinet.start()
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    await wait_for(lambda: all_locked(hass), "every initial state")
    # Nothing queued before the cut runs after it: no coil turns on afterwards.
    log = CoilLog(hass)
    await asyncio.sleep(1.2)
    assert log.edges == []
    assert all_locked(hass)
    log.unsub()
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_forced_open_and_tamper_raise_events(
    hass: HomeAssistant, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    events: list[tuple[str, dict[str, Any]]] = []

    @callback
    def _record(event: Event) -> None:
        events.append((event.event_type, dict(event.data)))

    for event_type in ("esphome.doorservice_forced_open", "esphome.doorservice_tamper"):
        hass.bus.async_listen(event_type, _record)

    async def door(n: int, is_open: bool) -> None:
        await hass.services.async_call(
            "esphome",
            "cabinet_host_set_door",
            {"compartment": n, "is_open": is_open},
            blocking=True,
        )

    # Unlocked, then opened: a normal opening, no alarm.
    await unlock(hass, 1)
    await door(1, True)
    await wait_for(
        lambda: state_of(hass, "binary_sensor.cabinet_host_compartment_1_door") == "on",
        "door 1 open",
    )
    # Door 3 opens without any unlock: forced open.
    await door(3, True)
    await wait_for(lambda: len(events) == 1, "the forced-open event")
    event_type, data = events[0]
    assert event_type == "esphome.doorservice_forced_open"
    assert data["compartment"] == "3"
    assert data["device_id"]
    # The tamper switch.
    await hass.services.async_call(
        "esphome", "cabinet_host_set_tamper", {"tampered": True}, blocking=True
    )
    await wait_for(lambda: len(events) == 2, "the tamper event")
    assert events[1][0] == "esphome.doorservice_tamper"
    assert events[1][1]["tampered"] == "true"
    assert state_of(hass, "binary_sensor.cabinet_host_cabinet_tamper") == "on"
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_keypad_feedback_and_out_of_service(
    hass: HomeAssistant, cabinet: HostFirmware
) -> None:
    entry = await adopt(hass, cabinet.port, CABINET_MAC, LOCK.format(6))
    panel = "sensor.cabinet_host_panel"
    await wait_for(lambda: state_of(hass, panel) == "Ready", "the ready panel")
    for result, text in (
        ("rejected", "Code rejected"),
        ("locked_out", "Locked out - try later"),
        ("accepted", "Accepted - open the door"),
    ):
        await hass.services.async_call(
            "esphome", "cabinet_host_keypad_feedback", {"result": result}, blocking=True
        )
        await wait_for(lambda text=text: state_of(hass, panel) == text, text)
    await wait_for(lambda: state_of(hass, panel) == "Ready", "the line expiring", 6)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    # With no Home Assistant connected the panel says so.
    await wait_for(
        lambda: "Panel shows 'Out of service'" in cabinet.log(), "out of service"
    )
