"""Speed of the domain: order life cycles, dispatch, code checks, storage.

Run: PYTHONPATH=. .venv/bin/python benchmarks/core_orders.py
Prints one row per operation: how many were run, the median and 99th percentile time
per operation, and the peak memory of the whole run.
"""

from __future__ import annotations

from collections.abc import Callable
import contextlib
from datetime import UTC, datetime, timedelta
import json
import random
import statistics
import time
import tracemalloc

from custom_components.doorservice.core.access_codes import CodeBook
from custom_components.doorservice.core.catalog import Role
from custom_components.doorservice.core.codes import CodePurpose
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.site import (
    CabinetConfig,
    RoomConfig,
    Site,
    SiteConfig,
    WorkerConfig,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def timed(label: str, runs: int, operation: Callable[[int], object]) -> list[str]:
    """Run ``operation`` ``runs`` times and return a table row."""
    samples = []
    for i in range(runs):
        start = time.perf_counter_ns()
        operation(i)
        samples.append(time.perf_counter_ns() - start)
    samples.sort()
    p50 = statistics.median(samples) / 1000
    p99 = samples[int(len(samples) * 0.99) - 1] / 1000
    return [label, f"{runs}", f"{p50:.1f}", f"{p99:.1f}"]


def main() -> None:
    """Print the benchmark table."""
    tracemalloc.start()
    workers = tuple(
        WorkerConfig(f"w{i}", f"Worker {i}", frozenset({Role.HOUSEKEEPING}))
        for i in range(20)
    )
    rooms = tuple(RoomConfig(f"r{i}", f"Room {i}") for i in range(200))
    config = SiteConfig(
        name="Bench",
        currency="EUR",
        workers=workers,
        cabinets=(CabinetConfig("c1", "Lobby", 200),),
        rooms=rooms,
    )
    site = Site(config, rng=random.Random(1))
    rows = []
    ids: list[str] = []

    def request(i: int) -> None:
        order, _ = site.request_service(
            room=f"r{i % 200}", service_type="towels", requester="guest", now=NOW
        )
        ids.append(order.id)

    rows.append(timed("request_service (broadcast to 20)", 2000, request))
    rows.append(
        timed("accept_order", 2000, lambda i: site.accept(ids[i], f"w{i % 20}", NOW))
    )
    rows.append(
        timed(
            "finish (start + complete)",
            2000,
            lambda i: site.finish(ids[i], f"w{i % 20}", NOW),
        )
    )
    data = site.to_dict()
    rows.append(timed("site.to_dict (2,000 orders)", 20, lambda i: site.to_dict()))
    rows.append(
        timed(
            "Site.from_dict (2,000 orders)",
            20,
            lambda i: Site.from_dict(json.loads(json.dumps(data)), config),
        )
    )

    book = CodeBook.create(random.Random(2))
    for n in range(100):
        book.issue(
            order_id=f"DS-{n:04d}",
            cabinet_id="c1",
            compartment=n + 1,
            purpose=CodePurpose.PICKUP,
            holder="worker:w1",
            valid_from=NOW,
            valid_until=NOW + timedelta(hours=48),
            now=NOW,
        )

    def wrong_code(i: int) -> None:
        with contextlib.suppress(DoorServiceError):
            book.verify("c1", f"{(i * 7919) % 1000000:06d}", NOW + timedelta(days=i))

    rows.append(timed("verify a wrong PIN (100 active codes)", 2000, wrong_code))
    _, peak = tracemalloc.get_traced_memory()
    widths = [38, 7, 10, 10]
    header = ["operation", "runs", "p50 µs", "p99 µs"]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    print(f"\npeak memory: {peak / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
