"""Speed of Door Service inside Home Assistant: setup and actions, end to end.

Run: PYTHONPATH=. .venv/bin/python benchmarks/ha_services.py
Starts an in-process Home Assistant (the test harness, no network), sets up a large
hotel site, and times real action calls (schema, domain, state writes, bus events,
persistence scheduling) against a no-op action, the floor any action pays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import statistics
import sys
import tempfile
import time
import tracemalloc
from typing import Any

from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from homeassistant import loader
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant, SupportsResponse

ROOMS = 50
WORKERS = 10
COMPARTMENTS = 200


def _sub(kind: str, title: str, **data: Any) -> ConfigSubentryData:
    return ConfigSubentryData(
        subentry_type=kind, title=title, unique_id=None, data=data
    )


async def timed(
    label: str, runs: int, operation: Callable[[int], Awaitable[object]]
) -> list[str]:
    """Await ``operation`` ``runs`` times and return a table row."""
    samples = []
    for i in range(runs):
        start = time.perf_counter_ns()
        await operation(i)
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    p50 = statistics.median(samples) / 1000
    p99 = samples[max(int(len(samples) * 0.99) - 1, 0)] / 1000
    return [label, str(runs), f"{p50:.1f}", f"{p99:.1f}"]


async def main() -> None:
    """Print the benchmark table."""
    if "--memory" in sys.argv:
        tracemalloc.start()
    with tempfile.TemporaryDirectory() as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            await run(hass)
            await hass.async_stop(force=True)


async def run(hass: HomeAssistant) -> None:
    """Set up a big hotel and time its actions."""
    rows = []
    hass.services.async_register(
        "bench", "noop", lambda call: None, supports_response=SupportsResponse.NONE
    )
    entry = MockConfigEntry(
        domain="doorservice",
        title="Grand Hotel",
        data={"name": "Grand Hotel", "site_type": "hotel", "currency": "EUR"},
        options={
            "dispatch_strategy": "broadcast",
            "acceptance_timeout": 10,
            "code_validity": 48,
        },
        subentries_data=[
            _sub("cabinet", "Lobby", compartments=COMPARTMENTS, driver="virtual"),
            *(_sub("room", f"Room {n}") for n in range(1, ROOMS + 1)),
            *(
                _sub("worker", f"Worker {n}", roles=["housekeeping"])
                for n in range(1, WORKERS + 1)
            ),
        ],
    )
    entry.add_to_hass(hass)
    start = time.perf_counter()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    setup_ms = (time.perf_counter() - start) * 1000
    entities = len(hass.states.async_all())

    async def noop(_i: int) -> None:
        await hass.services.async_call("bench", "noop", {}, blocking=True)

    rows.append(await timed("no-op action (floor)", 2000, noop))
    ids: list[str] = []

    async def request(i: int) -> None:
        response = await hass.services.async_call(
            "doorservice",
            "request_service",
            {"room": f"Room {i % ROOMS + 1}", "service_type": "towels"},
            blocking=True,
            return_response=True,
        )
        assert response is not None
        ids.append(response["order"]["order_id"])  # type: ignore[index]

    async def worker_call(service: str) -> Callable[[int], Awaitable[object]]:
        async def action(i: int) -> None:
            await hass.services.async_call(
                "doorservice",
                service,
                {"order_id": ids[i], "worker": f"Worker {i % WORKERS + 1}"},
                blocking=True,
                return_response=True,
            )

        return action

    rows.append(await timed("request_service, 500 open (10 offers)", 500, request))
    rows.append(await timed("accept_order", 500, await worker_call("accept_order")))
    rows.append(await timed("start_order", 500, await worker_call("start_order")))
    rows.append(await timed("complete_order", 500, await worker_call("complete_order")))

    async def cycle(i: int) -> None:
        await request(i)
        worker = f"Worker {i % WORKERS + 1}"
        for service in ("accept_order", "start_order", "complete_order"):
            await hass.services.async_call(
                "doorservice",
                service,
                {"order_id": ids[-1], "worker": worker},
                blocking=True,
                return_response=True,
            )

    rows.append(await timed("whole order, empty queue (4 actions)", 200, cycle))

    async def unlock(i: int) -> None:
        await hass.services.async_call(
            "doorservice",
            "unlock_compartment",
            {"cabinet": "Lobby", "code": f"{i:06d}"},
            blocking=True,
        )

    async def wrong_code(i: int) -> None:
        try:
            await unlock(i)
        except Exception:
            return

    rows.append(await timed("unlock_compartment, wrong code", 200, wrong_code))
    _, peak = tracemalloc.get_traced_memory()
    print(
        f"site: 1 cabinet x {COMPARTMENTS} compartments, {ROOMS} rooms, "
        f"{WORKERS} workers -> {entities} entities set up in {setup_ms:.0f} ms"
    )
    widths = [34, 6, 10, 10]
    header = ["action (blocking call)", "runs", "p50 µs", "p99 µs"]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    if tracemalloc.is_tracing():
        print(f"\npeak traced memory: {peak / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
