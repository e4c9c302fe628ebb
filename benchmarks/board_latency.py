"""Keypad code -> compartment unlocked over the native API and MQTT, beside floors.

Run: PYTHONPATH=. .venv/bin/python benchmarks/board_latency.py [--codes 100]

Needs the host firmware (``scripts/esphome-build-host cabinet-host``, built on demand)
and mosquitto. Starts an in-process Home Assistant (the test harness, loopback only):

* native API: the ``cabinet-host`` firmware (``batch_delay: 0ms``) adopted by HA's own
  ``esphome`` integration; a Door Service cabinet on the ``entities`` driver over it.
  A code is typed with the firmware's ``enter_code`` action; the clock starts when its
  ``esphome.doorservice_code_entered`` event reaches Home Assistant and stops when the
  driver reports the compartment unlocked (the firmware's lock entity turned
  ``unlocked``). Floor: a bare ``lock.unlock`` of the same firmware lock until the same
  report.
* MQTT: a local mosquitto with ``set_tcp_nodelay true`` (the test broker,
  ``tests/e2e/mosquitto.py``), an ESPHome-convention cabinet board
  (``tests/e2e/mqtt_board.py``: the host platform has no MQTT) and the ``mqtt`` driver.
  The clock starts when the board's ``<prefix>/keypad/code`` message reaches Home
  Assistant and stops at the driver's unlocked report. Floor: an ``UNLOCK`` published
  by Home Assistant (QoS 1, as the driver does) until the same report.

Each code is a real booking's drop-off code or its owner's collect code (book, drop
the key off, cancel, collect), so the integration does all of its work every time.
Between codes the board's pulse (and its coil gap) is allowed to finish.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
import statistics
import tempfile
import time
from typing import Any
from unittest.mock import patch

from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.doorservice.drivers.base import BoardReport, BoardSignal
from homeassistant import loader
from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
import homeassistant.util.dt as dt_util
from tests.conftest import setup_entry, site_entry
from tests.e2e.host_firmware import HostFirmware, adopt, build_host_firmware
from tests.e2e.mosquitto import MosquittoBroker
from tests.e2e.mqtt_board import MqttCabinetBoard

COMPARTMENTS = 6
FIRMWARE_LOCK = "lock.cabinet_host_compartment_{}_lock"
FIRMWARE_DOOR = "binary_sensor.cabinet_host_compartment_{}_door"
CABINET_MAC = "02:d5:00:00:ca:01"
PREFIX = "doorservice/bench"


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    """p50 and p99 of the samples."""
    ordered = sorted(samples_ms)
    p99 = ordered[max(round(len(ordered) * 0.99) - 1, 0)]
    return statistics.median(ordered), p99


async def until(predicate: Callable[[], bool], what: str, within: float = 5) -> None:
    """Let the loop run until ``predicate`` holds."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.002)


class Clock:
    """Unlocked reports of the site's cabinet driver, time-stamped."""

    def __init__(self, site: MockConfigEntry) -> None:
        cabinet = next(iter(site.runtime_data.cabinets.values()))
        self.driver = cabinet.driver
        self.unlocked: dict[int, int] = {}
        listener = self.driver._listener

        def record(report: BoardReport) -> None:
            if report.signal is BoardSignal.LOCK and report.value is False:
                assert report.compartment is not None
                self.unlocked.setdefault(report.compartment, time.perf_counter_ns())
            listener(report)

        self.driver._listener = record


def site_with(cabinet: dict[str, Any]) -> MockConfigEntry:
    return site_entry(
        "Bench",
        subentries=[
            ConfigSubentryData(
                subentry_type="cabinet", title="Lobby", unique_id=None, data=cabinet
            )
        ],
    )


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        "doorservice", service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def code_cycles(
    hass: HomeAssistant,
    clock: Clock,
    codes: int,
    enter: Callable[[str], Awaitable[None]],
    door: Callable[[int, bool], Awaitable[None]],
    code_arrived: list[int],
    settle: Callable[[int], Awaitable[None]],
) -> list[float]:
    """Book / drop off / cancel / collect until ``codes`` codes were timed."""
    samples: list[float] = []

    async def timed(pin: str) -> int:
        clock.unlocked.clear()
        code_arrived.clear()
        await enter(pin)
        await until(lambda: bool(clock.unlocked), "the unlock")
        ((number, unlocked_at),) = clock.unlocked.items()
        samples.append((unlocked_at - code_arrived[0]) / 1e6)
        await door(number, True)
        await door(number, False)
        await settle(number)
        return number

    while len(samples) < codes:
        booked = await call(
            hass,
            "book_cleaning",
            address="1 Lake Road",
            start=(dt_util.utcnow() + timedelta(hours=1)).isoformat(),
            contact_phone="+49 170 1234567",
            store_key=True,
        )
        order_id = booked["order"]["order_id"]
        (dropoff,) = booked["codes"]
        await timed(dropoff["pin"])
        # The owner's collect code comes back in the cancel's response (never in
        # a persistent notification).
        cancelled = await call(hass, "cancel_order", order_id=order_id)
        (collect,) = cancelled["codes"]
        await timed(collect["pin"])
    return samples[:codes]


async def native_api(hass: HomeAssistant, codes: int, workdir: str) -> list[str]:
    """Rows for the native API transport."""
    firmware = HostFirmware(build_host_firmware("cabinet-host"), Path(workdir))
    firmware.start()
    try:
        esphome = await adopt(hass, firmware.port, CABINET_MAC, FIRMWARE_LOCK.format(6))
        device_id = er.async_get(hass).async_get(FIRMWARE_LOCK.format(1)).device_id  # type: ignore[union-attr]
        # Listen before the site does: the clock starts before any of its work.
        arrived: list[int] = []

        @callback
        def on_code(_event: Event) -> None:
            arrived.append(time.perf_counter_ns())

        unsub = hass.bus.async_listen("esphome.doorservice_code_entered", on_code)
        site = await setup_entry(
            hass,
            site_with(
                {
                    "compartments": COMPARTMENTS,
                    "driver": "entities",
                    "locks": [FIRMWARE_LOCK.format(n) for n in range(1, 7)],
                    "doors": [FIRMWARE_DOOR.format(n) for n in range(1, 7)],
                    "board_device": device_id,
                    "pulse": 1,
                    "confirm_timeout": 5,
                }
            ),
        )
        clock = Clock(site)

        async def action(name: str, **data: Any) -> None:
            await hass.services.async_call(
                "esphome", f"cabinet_host_{name}", data, blocking=True
            )

        async def door(n: int, is_open: bool) -> None:
            await action("set_door", compartment=n, is_open=is_open)
            want = "on" if is_open else "off"
            await until(
                lambda: (
                    (s := hass.states.get(FIRMWARE_DOOR.format(n))) is not None
                    and s.state == want
                ),
                "the door",
            )

        async def settle(n: int) -> None:
            await until(
                lambda: (
                    (s := hass.states.get(FIRMWARE_LOCK.format(n))) is not None
                    and s.state == "locked"
                ),
                "the relock",
            )
            await asyncio.sleep(0.35)  # the board's coil gap

        samples = await code_cycles(
            hass,
            clock,
            codes,
            lambda pin: action("enter_code", code=pin),
            door,
            arrived,
            settle,
        )
        unsub()
        floor: list[float] = []
        for i in range(codes):
            n = i % COMPARTMENTS + 1
            clock.unlocked.clear()
            start = time.perf_counter_ns()
            await hass.services.async_call(
                "lock", "unlock", {"entity_id": FIRMWARE_LOCK.format(n)}, blocking=True
            )
            await until(lambda: bool(clock.unlocked), "the unlock")
            floor.append((clock.unlocked[n] - start) / 1e6)
            await settle(n)
        await hass.config_entries.async_unload(site.entry_id)
        await hass.config_entries.async_unload(esphome.entry_id)
    finally:
        firmware.stop()
    return rows("native API", samples, floor)


async def over_mqtt(hass: HomeAssistant, codes: int) -> list[str]:
    """Rows for the MQTT transport."""
    with MosquittoBroker() as broker:
        assert "set_tcp_nodelay true" in (broker.config_text())
        entry = MockConfigEntry(
            domain="mqtt",
            data={"broker": broker.host, "port": broker.port},
            options={"birth_message": {}, "discovery": False},
        )
        entry.add_to_hass(hass)
        with patch("homeassistant.config.async_hass_config_yaml", return_value={}):
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
        await until(lambda: mqtt.is_connected(hass), "the MQTT connection")
        board = MqttCabinetBoard(
            broker.host, broker.port, PREFIX, compartments=COMPARTMENTS, pulse=0.2
        )
        await asyncio.to_thread(board.start)
        try:
            # Subscribe before the site does: the clock starts first.
            arrived: list[int] = []

            @callback
            def on_code(_msg: mqtt.ReceiveMessage) -> None:
                arrived.append(time.perf_counter_ns())

            unsub = await mqtt.async_subscribe(
                hass, f"{PREFIX}/keypad/code", on_code, qos=1
            )
            site = await setup_entry(
                hass,
                site_with(
                    {
                        "compartments": COMPARTMENTS,
                        "driver": "mqtt",
                        "topic_prefix": PREFIX,
                        "confirm_timeout": 5,
                    }
                ),
            )
            clock = Clock(site)
            await until(lambda: clock.driver.state.available, "the board online")

            async def enter(pin: str) -> None:
                await asyncio.to_thread(board.enter_code, pin)

            async def door(n: int, is_open: bool) -> None:
                if is_open:
                    await asyncio.to_thread(board.open_door, n, force=True)
                else:
                    await asyncio.to_thread(board.close_door, n)
                want = is_open
                await until(
                    lambda: clock.driver.state.compartments[n].door_open is want,
                    "the door",
                )

            async def settle(n: int) -> None:
                await until(
                    lambda: clock.driver.state.compartments[n].locked, "the relock"
                )

            samples = await code_cycles(
                hass, clock, codes, enter, door, arrived, settle
            )
            unsub()
            floor: list[float] = []
            for i in range(codes):
                n = i % COMPARTMENTS + 1
                clock.unlocked.clear()
                start = time.perf_counter_ns()
                await mqtt.async_publish(
                    hass, f"{PREFIX}/lock/compartment_{n}_lock/command", "UNLOCK", 1
                )
                await until(lambda: bool(clock.unlocked), "the unlock")
                floor.append((clock.unlocked[n] - start) / 1e6)
                await settle(n)
            await hass.config_entries.async_unload(site.entry_id)
        finally:
            await asyncio.to_thread(board.stop)
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
    return rows("MQTT (tcp_nodelay)", samples, floor)


def rows(transport: str, samples: list[float], floor: list[float]) -> list[str]:
    code50, code99 = percentiles(samples)
    floor50, floor99 = percentiles(floor)
    return [
        f"| {transport} | code -> unlocked | {len(samples)} | {code50:.2f} | "
        f"{code99:.2f} | {code99 / floor99:.1f}x |",
        f"| {transport} | floor: bare lock.unlock | {len(floor)} | {floor50:.2f} | "
        f"{floor99:.2f} | 1.0x |",
    ]


async def main() -> None:
    """Print the latency table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=100)
    codes = parser.parse_args().codes
    table = [
        "| transport | path | n | p50 ms | p99 ms | p99 / floor p99 |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            await hass.config.async_set_time_zone("UTC")
            table += await native_api(hass, codes, config_dir)
            table += await over_mqtt(hass, codes)
            await hass.async_stop(force=True)
    print("\n".join(table))


if __name__ == "__main__":
    asyncio.run(main())
