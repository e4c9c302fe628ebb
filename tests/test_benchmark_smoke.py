"""The hotel benchmark still runs: its quick mode's functions, smaller still.

Not a timed test: it only checks that every scenario, table and measure is produced,
so the benchmark cannot silently rot while the integration changes.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
from dataclasses import replace
from unittest.mock import patch

import pytest

from benchmarks.hotel import QUICK, BenchmarkError, render, run_benchmark
from homeassistant.helpers import storage

SMOKE = replace(
    QUICK,
    rooms=10,
    cabinets=1,
    compartments=4,
    housekeepers=5,
    technicians=2,
    concierges=2,
    open_levels=(0, 30),
    closed=300,
    history_open=30,
    noop_runs=50,
    runs=5,
    order_runs=3,
    io_actions=1,
    row_seconds=5.0,
)

# The ``hass`` fixture (pulled in by ``enable_custom_integrations``) replaces the
# Store's disk access by a dict; the benchmark measures the real files, so it runs
# with the methods as they were when this module was imported.
_REAL_STORE = {
    name: getattr(storage.Store, name)
    for name in ("_async_load", "_async_write_data", "async_remove")
}


@contextlib.contextmanager
def real_storage() -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for name, method in _REAL_STORE.items():
            stack.enter_context(patch.object(storage.Store, name, method))
        yield


async def test_hotel_benchmark_quick_mode_runs(socket_enabled: None) -> None:
    with real_storage():
        report = await run_benchmark(SMOKE)

    scenarios = ["0 open", "30 open", "30 open + 300 closed"]
    # The no-op, a request and a whole order everywhere; where orders are open,
    # also one durable commit alone (the floor of every action).
    assert [(row.scenario, row.action.split()[0]) for row in report.rows] == [
        (s, action)
        for s in scenarios
        for action in ("no-op", "request_service")
        + (("durable",) if s != "0 open" else ())
        + ("whole",)
    ]
    assert all(row.runs > 0 and 0 < row.p50_ms <= row.p99_ms for row in report.rows)
    assert [s.scenario for s in report.startups] == scenarios
    assert [w.scenario for w in report.writes] == scenarios
    # Every action writes what it changed, whatever is stored: the bytes written
    # per action do not grow with the stored orders.
    sizes = [w.wchar for w in report.writes]
    assert all(size > 0 for size in sizes)
    assert max(sizes) <= 2 * min(sizes)
    assert all(report.entities.values())
    text = render(report)
    assert "| scenario | action | runs | p50 | p99 | p50/no-op |" in text
    assert "machine:" in text
    assert "longest garbage collection" in text
    assert "one durable commit alone" in text


async def test_benchmark_refuses_a_site_with_a_failed_platform(
    socket_enabled: None,
) -> None:
    """A platform that fails to set up only logs: the benchmark must refuse to run."""

    async def broken(*_args: object) -> None:
        raise RuntimeError("to-do lists broke")

    with (
        real_storage(),
        patch("custom_components.doorservice.todo.async_setup_entry", broken),
        pytest.raises(BenchmarkError, match="todo"),
    ):
        await run_benchmark(replace(SMOKE, rooms=2, closed=0, open_levels=(0,)))
