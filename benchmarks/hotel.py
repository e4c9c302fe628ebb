"""A 500-room hotel in one Home Assistant process: actions, start-up, memory, writes.

Run: PYTHONPATH=. .venv/bin/python benchmarks/hotel.py [--quick]

Sets up ``http`` on 127.0.0.1 (without it the calendar and to-do platforms fail
silently) and a hotel site through its real config entry and subentries: 500 rooms
(light, air conditioning, curtain, fan and TV each), 4 cabinets of 24 compartments,
40 workers of whom 25 are housekeepers, broadcast dispatch (every housekeeping request
is offered to all 25). It fails (exit 1) when the entry is not loaded or any platform of
the integration produced no entity.

Every action is a real blocking call through ``hass.services.async_call`` and is timed
beside a ``@callback`` no-op action registered and called the same way, in the same
run (the floor any action pays). Scenarios: 0, 1,000 and 10,000 open orders (60% of
them still offered to all 25 housekeepers), and 1,000 open orders with 100,000 closed
ones in storage. A sample is what the caller waits for; after each one the loop runs
whatever is pending (untimed), and each request is cancelled (untimed) so the number
of open orders stays put. Each row stops after ``row_seconds`` (60 s; the number of
samples that ran is printed). ``--quick`` (50 rooms, 100 open, 1,000 closed) is the
smoke run that ``tests/test_benchmark_smoke.py`` runs smaller still, in-process.
Also printed: start-up time, RSS growth, bytes written per action and the longest
event-loop stall (a ticker sleeping 5 ms records its largest lateness for the
whole run, per phase).

Seeding that depends on the integration's internals (domain objects, storage format)
is in ONE section below, "Seeding adapter": ``seed_open_orders``,
``seed_closed_orders``, ``reload_site`` and ``settle_storage``. When the storage
changes, rewrite only that section.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import gc
import math
import os
from pathlib import Path
import platform
import socket
import sqlite3
import sys
import tempfile
import time
from typing import Any

from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.doorservice import PLATFORMS
from homeassistant import loader
from homeassistant.components.http.config import DATA_STORE as HTTP_CONFIG_STORE
from homeassistant.config_entries import ConfigEntryState, ConfigSubentryData
from homeassistant.const import (
    EVENT_HOMEASSISTANT_FINAL_WRITE,
    __version__ as ha_version,
)
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

DOMAIN = "doorservice"
TICK = 0.005  # seconds: the stall monitor's sleep
HOUSEKEEPING_TYPES = ("towels", "room_cleaning", "bed_linen", "amenities")
APPLIANCES = (
    {"id": "light", "name": "Light", "kind": "light", "checkout_state": "off"},
    {"id": "ac", "name": "Air conditioning", "kind": "climate"},
    {"id": "curtain", "name": "Curtain", "kind": "cover"},
    {"id": "fan", "name": "Fan", "kind": "fan", "checkout_state": "off"},
    {"id": "tv", "name": "TV", "kind": "switch", "checkout_state": "off"},
)


class BenchmarkError(RuntimeError):
    """The site did not set up as a hotel would run it: the figures would lie."""


@dataclass(frozen=True, slots=True)
class Scale:
    """How big the hotel is, how much is stored, how many samples per row."""

    rooms: int = 500
    cabinets: int = 4
    compartments: int = 24
    housekeepers: int = 25
    technicians: int = 8
    concierges: int = 7
    open_levels: tuple[int, ...] = (0, 1_000, 10_000)
    closed: int = 100_000
    history_open: int = 1_000
    offered_share: float = 0.6
    noop_runs: int = 2_000
    runs: int = 200
    order_runs: int = 200
    io_actions: int = 200
    """Actions in the bytes-per-action window: enough to average over the WAL
    checkpoints (one every few hundred actions)."""
    row_seconds: float = 60.0
    acceptance_timeout_minutes: int = 240
    """Long enough that seeded offers never time out during a run (the timeout is
    not what is measured; an expiry storm in the middle of a row would be)."""

    @property
    def workers(self) -> int:
        """Return the number of workers."""
        return self.housekeepers + self.technicians + self.concierges


FULL = Scale()
QUICK = Scale(
    rooms=50,
    open_levels=(0, 100),
    closed=1_000,
    history_open=100,
    noop_runs=500,
    runs=50,
    order_runs=30,
    io_actions=4,
    row_seconds=10.0,
)


# --------------------------------------------------------------------------- measures


def vm_rss_mb(field_name: str = "VmRSS") -> float:
    """Return a memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1]) / 1024
    return math.nan


def reset_peak_rss() -> bool:
    """Reset VmHWM (Linux: write 5 to clear_refs); False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def io_counters() -> dict[str, int]:
    """Return /proc/self/io (every thread of the process): wchar, write_bytes, ..."""
    counters = {}
    for line in Path("/proc/self/io").read_text().splitlines():
        name, _, value = line.partition(":")
        counters[name.strip()] = int(value)
    return counters


class StallMonitor:
    """A task that sleeps TICK again and again and records its largest lateness.

    It also records, per phase, the longest pause of CPython's cyclic garbage
    collector (``gc.callbacks``): a full collection walks every object of the
    process (Home Assistant's states, registries and entities included), and on the
    event loop's thread it is a stall like any other. Reported beside the stalls,
    it says how much of the longest one was the collector.
    """

    def __init__(self) -> None:
        """Start in the phase ``start``."""
        self.phase = "between phases"
        self.worst: dict[str, float] = {}
        self.worst_gc: dict[str, tuple[float, int]] = {}
        self._gc_started = 0.0

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        """Time each collection (``gc.callbacks``)."""
        if phase == "start":
            self._gc_started = time.perf_counter()
            return
        pause = time.perf_counter() - self._gc_started
        if pause > self.worst_gc.get(self.phase, (0.0, 0))[0]:
            self.worst_gc[self.phase] = (pause, info["generation"])

    async def run(self) -> None:
        """Tick until cancelled."""
        loop = asyncio.get_running_loop()
        gc.callbacks.append(self._on_gc)
        try:
            while True:
                start = loop.time()
                await asyncio.sleep(TICK)
                late = loop.time() - start - TICK
                if late > self.worst.get(self.phase, 0.0):
                    self.worst[self.phase] = late
        finally:
            gc.callbacks.remove(self._on_gc)

    @contextlib.asynccontextmanager
    async def during(self, phase: str) -> AsyncIterator[None]:
        """Attribute stalls to ``phase`` while the block runs.

        On the way out the loop runs for a moment, so a stall at the end of the
        block is recorded under its phase, not the next one.
        """
        previous, self.phase = self.phase, phase
        try:
            yield
        finally:
            await asyncio.sleep(2 * TICK)
            self.phase = previous


@dataclass(slots=True)
class Row:
    """One timed measurement."""

    scenario: str
    action: str
    runs: int
    planned: int
    p50_ms: float
    p99_ms: float
    floor_ms: float
    capped: bool

    @property
    def ratio(self) -> float:
        """Return p50 over the no-op's p50 of the same scenario."""
        return self.p50_ms / self.floor_ms if self.floor_ms else math.nan


@dataclass(slots=True)
class Startup:
    """One timed set-up of the site."""

    scenario: str
    seconds: float
    rss_before_mb: float
    rss_after_mb: float
    peak_mb: float | None


@dataclass(slots=True)
class Writes:
    """Bytes written while a few actions ran, each followed by its save."""

    scenario: str
    actions: int
    wchar: int
    write_bytes: int
    seconds: float


@dataclass(slots=True)
class Report:
    """Everything one run measured."""

    scale: Scale
    rows: list[Row] = field(default_factory=list)
    startups: list[Startup] = field(default_factory=list)
    writes: list[Writes] = field(default_factory=list)
    stalls: dict[str, float] = field(default_factory=dict)
    gc_pauses: dict[str, tuple[float, int]] = field(default_factory=dict)
    """Per phase: the longest garbage collection (seconds, generation)."""
    entities: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    verbose: bool = False
    """Print each measurement to stderr as it lands (a full run takes a while)."""

    def add(self, item: Row | Startup | Writes) -> None:
        """Record one measurement."""
        if isinstance(item, Row):
            self.rows.append(item)
        elif isinstance(item, Startup):
            self.startups.append(item)
        else:
            self.writes.append(item)
        if self.verbose:
            print(f"[{time.strftime('%H:%M:%S')}] {item}", file=sys.stderr, flush=True)


def percentile(samples: list[float], share: float) -> float:
    """Return the nearest-rank percentile of sorted ``samples``."""
    return samples[max(math.ceil(share * len(samples)) - 1, 0)]


async def timed(
    scenario: str,
    action: str,
    runs: int,
    seconds: float,
    operation: Callable[[int], Awaitable[object]],
    *,
    drain: Callable[[], Awaitable[object]],
    floor_ms: float = 0.0,
    cleanup: Callable[[int], Awaitable[object]] | None = None,
) -> Row:
    """Time ``operation`` up to ``runs`` times or until ``seconds`` passed.

    A sample is what the caller waits for. ``cleanup`` runs untimed after each
    sample (its time counts towards the cap), then ``drain`` lets the event loop run
    everything pending (work an action deferred, the stall monitor): a blocking call
    that never suspends would otherwise keep the loop to itself for the whole row.
    """
    samples: list[float] = []
    started = time.perf_counter()
    for i in range(runs):
        begin = time.perf_counter_ns()
        await operation(i)
        samples.append((time.perf_counter_ns() - begin) / 1e6)
        if cleanup is not None:
            await cleanup(i)
        await drain()
        if time.perf_counter() - started > seconds:
            break
    samples.sort()
    p50 = percentile(samples, 0.5)
    return Row(
        scenario,
        action,
        len(samples),
        runs,
        p50,
        percentile(samples, 0.99),
        floor_ms or p50,
        len(samples) < runs,
    )


# --------------------------------------------------------------------------- the hotel


def _sub(kind: str, title: str, **data: Any) -> ConfigSubentryData:
    return ConfigSubentryData(
        subentry_type=kind, title=title, unique_id=None, data=data
    )


def room_name(index: int) -> str:
    """Return the name of room ``index`` (0-based): Room 101, 102, ..."""
    floor, number = divmod(index, 100)
    return f"Room {(floor + 1) * 100 + number + 1}"


def housekeeper_name(index: int) -> str:
    """Return the name of housekeeper ``index`` (0-based)."""
    return f"Housekeeper {index + 1}"


def hotel_entry(scale: Scale) -> MockConfigEntry:
    """Return the hotel's config entry with its cabinet, room and worker subentries."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Grand Hotel",
        unique_id="grand_hotel",
        data={"name": "Grand Hotel", "site_type": "hotel", "currency": "EUR"},
        options={
            "dispatch_strategy": "broadcast",
            "acceptance_timeout": scale.acceptance_timeout_minutes,
            "code_validity": 48,
        },
        subentries_data=[
            *(
                _sub(
                    "cabinet",
                    f"Cabinet {n}",
                    compartments=scale.compartments,
                    driver="virtual",
                )
                for n in range(1, scale.cabinets + 1)
            ),
            *(
                _sub("room", room_name(i), appliances=[dict(a) for a in APPLIANCES])
                for i in range(scale.rooms)
            ),
            *(
                _sub("worker", housekeeper_name(i), roles=["housekeeping"])
                for i in range(scale.housekeepers)
            ),
            *(
                _sub("worker", f"Technician {n}", roles=["maintenance"])
                for n in range(1, scale.technicians + 1)
            ),
            *(
                _sub("worker", f"Concierge {n}", roles=["concierge"])
                for n in range(1, scale.concierges + 1)
            ),
        ],
    )


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@callback
def _noop(call: ServiceCall) -> ServiceResponse:
    return {}


@contextlib.asynccontextmanager
async def hotel_hass(
    scale: Scale, monitor: StallMonitor
) -> AsyncIterator[tuple[HomeAssistant, MockConfigEntry]]:
    """Yield a Home Assistant with http on 127.0.0.1, the no-op action and the entry.

    The entry is added, not set up; it is unloaded (if loaded) before Home Assistant
    stops.
    """
    with tempfile.TemporaryDirectory(prefix="doorservice-bench-") as config_dir:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            async with monitor.during("Home Assistant + http set-up (benchmark)"):
                hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
                http = {"server_host": ["127.0.0.1"], "server_port": free_port()}
                if not await async_setup_component(hass, "http", {"http": http}):
                    raise BenchmarkError("http did not set up on 127.0.0.1")
                # A new http config is a trial that reverts (and restarts Home
                # Assistant) unless confirmed within 5 minutes: confirm it.
                http_store = hass.data.get(HTTP_CONFIG_STORE)
                if http_store is not None and http_store.pending is not None:
                    await http_store.async_promote_pending()
                hass.services.async_register(
                    "bench", "noop", _noop, supports_response=SupportsResponse.OPTIONAL
                )
                entry = hotel_entry(scale)
                entry.add_to_hass(hass)
            try:
                yield hass, entry
                async with monitor.during("unload (saves) + stop"):
                    if entry.state is ConfigEntryState.LOADED:
                        await unload_site(hass, entry)
            finally:
                await hass.async_stop(force=True)


def verify_site(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, int]:
    """Fail unless the entry is loaded and every platform has entities with a state.

    Returns the number of entities per platform.
    """
    if entry.state is not ConfigEntryState.LOADED:
        raise BenchmarkError(f"config entry is {entry.state}, not loaded")
    counts = {platform.value: 0 for platform in PLATFORMS}
    for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        if entity.domain in counts and hass.states.get(entity.entity_id) is not None:
            counts[entity.domain] += 1
    if missing := sorted(name for name, count in counts.items() if not count):
        raise BenchmarkError(
            "these platforms of the integration set up no entity: "
            + ", ".join(missing)
            + " (is http set up on 127.0.0.1? see the log above)"
        )
    return counts


async def start_site(hass: HomeAssistant, entry: MockConfigEntry) -> float:
    """Set the entry up, wait for its platforms, verify it; return the seconds."""
    begin = time.perf_counter()
    ok = await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    seconds = time.perf_counter() - begin
    if not ok:
        raise BenchmarkError(f"setting up the site failed ({entry.state})")
    verify_site(hass, entry)
    return seconds


async def unload_site(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload the entry (the integration stores its state on unload)."""
    if not await hass.config_entries.async_unload(entry.entry_id):
        raise BenchmarkError("unloading the site failed")
    await hass.async_block_till_done()


# =========================================================================== adapter
# Seeding adapter: the ONLY code that depends on the integration's internals (its
# runtime object, the core's Site and its to_dict formats, the storage layer).
# Everything else in this file speaks to Home Assistant only.

from custom_components.doorservice import storage  # noqa: E402
from custom_components.doorservice.config import site_config  # noqa: E402
from custom_components.doorservice.core.catalog import Role  # noqa: E402
from custom_components.doorservice.core.orders import (  # noqa: E402
    ORDER_ID_ALPHABET,
    ORDER_ID_PREFIX,
    Order,
)
from custom_components.doorservice.core.site import Site  # noqa: E402


async def seed_open_orders(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    count: int,
    *,
    offered_share: float,
    now: datetime,
) -> None:
    """Add ``count`` open room requests to a LOADED site and commit them.

    Housekeeping requests, oldest first, created in the last few minutes through the
    core's own operations (so dispatch offers each to every housekeeper): a share of
    ``offered_share`` stays offered; of the rest, half is accepted and half in
    progress, spread over the housekeepers. Entities are not told: call
    ``reload_site`` afterwards.

    The core's result is committed to the database in one transaction (the
    coordinator's full-state commit), as if each had been an action.
    """
    runtime = entry.runtime_data
    site: Site = runtime.site
    rooms = [room.id for room in site.config.rooms]
    housekeepers = [
        worker.id for worker in site.config.workers if Role.HOUSEKEEPING in worker.roles
    ]
    offered = round(offered_share * 100)
    for i in range(count):
        at = now - timedelta(milliseconds=5 * (count - i))
        order, events = site.request_service(
            room=rooms[i % len(rooms)],
            service_type=HOUSEKEEPING_TYPES[i % len(HOUSEKEEPING_TYPES)],
            requester=room_name(i % len(rooms)),
            now=at,
        )
        followed = site.follow_up(events, at)
        slot = i % 100
        if slot >= offered:
            worker = housekeepers[i % len(housekeepers)]
            followed += site.follow_up(site.accept(order.id, worker, at), at)
            if slot % 2:
                followed += site.follow_up(site.start(order.id, worker, at), at)
        del followed
    await runtime.async_commit_everything()


def _closed_order_template(entry: MockConfigEntry, now: datetime) -> dict[str, Any]:
    """Return one closed room request, as the core stores it (Order.to_dict)."""
    site = Site(site_config(entry))
    room = site.config.rooms[0].id
    worker = next(w.id for w in site.config.workers if Role.HOUSEKEEPING in w.roles)
    order, _ = site.request_service(
        room=room, service_type="towels", requester="Room 101", now=now
    )
    site.accept(order.id, worker, now + timedelta(minutes=3))
    site.start(order.id, worker, now + timedelta(minutes=8))
    site.complete(order.id, worker, None, now + timedelta(minutes=20))
    if order.is_open:
        raise BenchmarkError(f"a finished room request stays {order.state}")
    return order.to_dict()


def _order_id(index: int) -> str:
    """Return a distinct order id per index (a bijection on the id space)."""
    base = len(ORDER_ID_ALPHABET)
    value = (index * 7919 + 12345) % base**4
    digits = []
    for _ in range(4):
        value, digit = divmod(value, base)
        digits.append(ORDER_ID_ALPHABET[digit])
    return ORDER_ID_PREFIX + "".join(digits)


def _insert_closed_orders(
    path: Path,
    entry_id: str,
    template: dict[str, Any],
    count: int,
    now: datetime,
    rooms: list[tuple[str, str]],
    housekeepers: list[str],
) -> None:
    """Insert ``count`` closed orders as history rows, in one transaction."""
    created0 = datetime.fromisoformat(template["created_at"])
    offsets = [
        datetime.fromisoformat(entry["at"]) - created0 for entry in template["history"]
    ]
    template_worker = template["worker"]
    span = timedelta(days=89)
    step = span / max(count, 1)
    first = now - span - timedelta(hours=2)
    with closing(sqlite3.connect(path)) as conn:
        taken = {
            order_id
            for (order_id,) in conn.execute(
                "SELECT order_id FROM orders WHERE entry_id = ?", (entry_id,)
            )
        }
        rows = []
        index = 0
        while len(rows) < count:
            order_id = _order_id(index)
            index += 1
            if order_id in taken:
                continue
            written = len(rows)
            created = first + step * written
            room_id, room_title = rooms[written % len(rooms)]
            worker = housekeepers[written % len(housekeepers)]
            data = dict(template)
            data.update(
                id=order_id,
                service_type=HOUSEKEEPING_TYPES[written % len(HOUSEKEEPING_TYPES)],
                requester=room_title,
                created_at=created.isoformat(),
                room=room_id,
                worker=worker,
                history=[
                    {
                        **entry,
                        "at": (created + offset).isoformat(),
                        "actor": str(entry["actor"]).replace(template_worker, worker),
                    }
                    for entry, offset in zip(template["history"], offsets, strict=True)
                ],
            )
            row = storage.OrderRow.of(Order.from_dict(data), live=False)
            rows.append(
                (
                    entry_id,
                    row.order_id,
                    0,
                    row.state,
                    row.room,
                    row.worker,
                    row.scheduled_start,
                    row.created_at,
                    row.finished_at,
                    row.accepted_at,
                    row.response_s,
                    row.data,
                    None,
                )
            )
        with conn:
            conn.executemany(
                "INSERT INTO orders (entry_id, order_id, live, state, room, worker,"
                " scheduled_start, created_at, finished_at, accepted_at, response_s,"
                " data, custody) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )


async def seed_closed_orders(
    hass: HomeAssistant, entry: MockConfigEntry, count: int, *, now: datetime
) -> None:
    """Add ``count`` closed room requests to the database of a NOT LOADED site.

    Closed over the last 89 days (inside the 90-day retention), evenly spread, free
    housekeeping requests without key, code or bill, each with the lifecycle history a
    real one has (queued, offered, accepted, in progress, completed, closed). Written
    as history rows (not live), as the site leaves finished orders; the next set-up
    finds them in the database, not in memory.
    """
    if entry.state is ConfigEntryState.LOADED:
        raise BenchmarkError("seed_closed_orders needs the site unloaded")
    config = site_config(entry)
    template = _closed_order_template(entry, now - timedelta(days=1))
    rooms = [(room.id, room.name) for room in config.rooms]
    housekeepers = [w.id for w in config.workers if Role.HOUSEKEEPING in w.roles]
    await hass.async_add_executor_job(
        _insert_closed_orders,
        storage.database_path(hass),
        entry.entry_id,
        template,
        count,
        now,
        rooms,
        housekeepers,
    )


async def reload_site(hass: HomeAssistant, entry: MockConfigEntry) -> float:
    """Make the LOADED site run on what was seeded; return the set-up seconds.

    Unload and set up again, so entities, to-do lists and indexes are built from the
    database as at a start of Home Assistant.
    """
    await unload_site(hass, entry)
    return await start_site(hass, entry)


def durable_commit(
    hass: HomeAssistant, entry: MockConfigEntry
) -> Callable[[int], Awaitable[None]] | None:
    """Return an operation that commits one order's row the way every action does.

    The same writer thread, transaction and ``synchronous=FULL`` sync as an action
    (a live order's row rewritten as it is): the floor under any action that is
    durable before it answers. None when the site has no open order.
    """
    runtime = entry.runtime_data
    site: Site = runtime.site
    orders = site.desk.book.open_orders()
    if not orders or runtime.db is None:
        return None
    db = runtime.db
    row = storage.OrderRow.of(orders[0], live=True)

    async def commit(_i: int) -> None:
        await db.async_commit(
            hass, entry.entry_id, storage.Changes(orders={row.order_id: row})
        )

    return commit


async def settle_storage(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Return once everything the integration decided to write is written.

    Every action is committed before its caller's answer: nothing is pending but
    Home Assistant's own tasks.
    """
    await hass.async_block_till_done()


# ======================================================================= end adapter


class Actions:
    """Real blocking action calls, with their response."""

    def __init__(self, hass: HomeAssistant, scale: Scale) -> None:
        """Bind to ``hass``."""
        self.hass = hass
        self.scale = scale

    async def call(self, service: str, data: dict[str, Any]) -> dict[str, Any]:
        """Call one of the integration's actions and return its response."""
        response = await self.hass.services.async_call(
            DOMAIN, service, data, blocking=True, return_response=True
        )
        assert isinstance(response, dict)
        return response

    async def noop(self, _i: int = 0) -> None:
        """Call the no-op action exactly as our actions are called."""
        await self.hass.services.async_call(
            "bench", "noop", {}, blocking=True, return_response=True
        )

    async def request(self, i: int) -> str:
        """Raise a towels request from a room; it must come back offered."""
        response = await self.call(
            "request_service",
            {"room": room_name(i % self.scale.rooms), "service_type": "towels"},
        )
        order = response["order"]
        if order["state"] != "offered" or len(order["offered_to"]) != (
            self.scale.housekeepers
        ):
            raise BenchmarkError(f"a request was not offered to everyone: {order}")
        return str(order["order_id"])

    async def worker_step(self, service: str, order_id: str, i: int) -> None:
        """Accept, start or complete an order as housekeeper ``i``."""
        await self.call(
            service,
            {
                "order_id": order_id,
                "worker": housekeeper_name(i % self.scale.housekeepers),
            },
        )

    async def cancel(self, order_id: str) -> None:
        """Cancel an order (as an automation)."""
        await self.call("cancel_order", {"order_id": order_id})

    async def whole_order(self, i: int) -> None:
        """Request, accept, start and complete one order."""
        order_id = await self.request(i)
        for service in ("accept_order", "start_order", "complete_order"):
            await self.worker_step(service, order_id, i)


async def measure_scenario(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    scenario: str,
    report: Report,
    monitor: StallMonitor,
) -> None:
    """Time the no-op, a request and a whole order; then bytes written per action.

    Requests are cancelled (untimed) right after, so the number of open orders stays
    what the scenario says; whole orders end closed.
    """
    scale = report.scale
    actions = Actions(hass, scale)
    async with monitor.during(f"{scenario}: settling before the rows"):
        await hass.async_block_till_done()
    async with monitor.during(f"{scenario}: timed rows"):
        floor = await timed(
            scenario,
            "no-op (floor)",
            scale.noop_runs,
            scale.row_seconds,
            actions.noop,
            drain=hass.async_block_till_done,
        )
        report.add(floor)
        requested: list[str] = []

        async def request(i: int) -> None:
            requested.append(await actions.request(i))

        async def cancel(_i: int) -> None:
            await actions.cancel(requested[-1])

        report.add(
            await timed(
                scenario,
                "request_service -> offered",
                scale.runs,
                scale.row_seconds,
                request,
                drain=hass.async_block_till_done,
                floor_ms=floor.p50_ms,
                cleanup=cancel,
            )
        )
        if (commit := durable_commit(hass, entry)) is not None:
            report.add(
                await timed(
                    scenario,
                    "durable commit alone (1 order row, SQLite FULL, writer thread)",
                    scale.runs,
                    scale.row_seconds,
                    commit,
                    drain=hass.async_block_till_done,
                    floor_ms=floor.p50_ms,
                )
            )
        report.add(
            await timed(
                scenario,
                "whole order (request, accept, start, complete)",
                scale.order_runs,
                scale.row_seconds,
                actions.whole_order,
                drain=hass.async_block_till_done,
                floor_ms=floor.p50_ms,
            )
        )
    if scale.io_actions:
        report.add(await bytes_per_action(hass, entry, scenario, actions, monitor))


async def flush_home_assistant_stores(hass: HomeAssistant) -> None:
    """Write every Store with a delayed save pending now (registries included)."""
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()


async def bytes_per_action(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    scenario: str,
    actions: Actions,
    monitor: StallMonitor,
) -> Writes:
    """Run a few actions, each followed by its save, and count the bytes written.

    The cycle request, accept, start, complete repeats; an order left open at the end
    is cancelled outside the window. Every pending Home Assistant store (the entity
    registry saves 10 s after a change) is written before the window opens, so what
    the window counts is what the actions caused.
    """
    count = actions.scale.io_actions
    steps = ("accept_order", "start_order", "complete_order")
    async with monitor.during(f"{scenario}: saves after the timed rows"):
        await settle_storage(hass, entry)
        await flush_home_assistant_stores(hass)
    order_id = ""
    async with monitor.during(f"{scenario}: actions, each + its save"):
        begin = time.perf_counter()
        before = io_counters()
        for k in range(count):
            step = k % 4
            if step == 0:
                order_id = await actions.request(k)
            else:
                await actions.worker_step(steps[step - 1], order_id, k - step)
            await settle_storage(hass, entry)
        after = io_counters()
        seconds = time.perf_counter() - begin
    if count % 4 == 1 or count % 4 == 2:
        await actions.cancel(order_id)
    elif count % 4 == 3:
        await actions.worker_step("complete_order", order_id, count - 3)
    return Writes(
        scenario,
        count,
        after["wchar"] - before["wchar"],
        after["write_bytes"] - before["write_bytes"],
        seconds,
    )


def label(open_orders: int, closed: int = 0) -> str:
    """Return a scenario's name."""
    text = f"{open_orders:,} open"
    return f"{text} + {closed:,} closed" if closed else text


async def timed_startup(
    report: Report,
    monitor: StallMonitor,
    scenario: str,
    rss_before: float,
    start: Callable[[], Awaitable[float]],
) -> None:
    """Record the set-up seconds ``start`` returns, RSS after it and its peak."""
    async with monitor.during(f"{scenario}: start-up"):
        peak = reset_peak_rss()
        seconds = await start()
    report.add(
        Startup(
            scenario,
            seconds,
            rss_before,
            vm_rss_mb(),
            vm_rss_mb("VmHWM") if peak else None,
        )
    )


async def live_orders_run(scale: Scale, report: Report, monitor: StallMonitor) -> None:
    """One Home Assistant: 0, then more and more open orders (no stored history).

    RSS growth is counted from before the first set-up of the site.
    """
    async with hotel_hass(scale, monitor) as (hass, entry):
        gc.collect()
        rss_before = vm_rss_mb()
        await timed_startup(
            report, monitor, label(0), rss_before, lambda: start_site(hass, entry)
        )
        report.entities = verify_site(hass, entry)
        seeded = 0
        for level in scale.open_levels:
            if level > seeded:
                async with monitor.during("seeding (benchmark)"):
                    await seed_open_orders(
                        hass,
                        entry,
                        level - seeded,
                        offered_share=scale.offered_share,
                        now=dt_util.utcnow(),
                    )
                seeded = level
                await timed_startup(
                    report,
                    monitor,
                    label(level),
                    rss_before,
                    lambda: reload_site(hass, entry),
                )
            await measure_scenario(hass, entry, label(level), report, monitor)


async def history_run(scale: Scale, report: Report, monitor: StallMonitor) -> None:
    """Another Home Assistant: open orders plus a long closed history in storage.

    RSS growth is counted from just before the timed set-up (the site was set up
    once before, to seed its open orders, so the code is already imported).
    """
    async with hotel_hass(scale, monitor) as (hass, entry):
        async with monitor.during("seeding (benchmark)"):
            await start_site(hass, entry)
            await seed_open_orders(
                hass,
                entry,
                scale.history_open,
                offered_share=scale.offered_share,
                now=dt_util.utcnow(),
            )
            await unload_site(hass, entry)
            await seed_closed_orders(hass, entry, scale.closed, now=dt_util.utcnow())
        scenario = label(scale.history_open, scale.closed)
        gc.collect()
        await timed_startup(
            report, monitor, scenario, vm_rss_mb(), lambda: start_site(hass, entry)
        )
        await measure_scenario(hass, entry, scenario, report, monitor)


async def run_benchmark(scale: Scale, *, verbose: bool = False) -> Report:
    """Run every scenario; the stall monitor ticks the whole time."""
    report = Report(scale, verbose=verbose)
    monitor = StallMonitor()
    ticker = asyncio.create_task(monitor.run())
    begin = time.perf_counter()
    try:
        await live_orders_run(scale, report, monitor)
        if scale.closed:
            await history_run(scale, report, monitor)
    finally:
        ticker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticker
    report.stalls = dict(monitor.worst)
    report.gc_pauses = dict(monitor.worst_gc)
    report.seconds = time.perf_counter() - begin
    return report


# --------------------------------------------------------------------------- output


def machine_line() -> str:
    """Return the machine the run happened on (for the README)."""
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{model}; Python {platform.python_version()}; "
        f"Home Assistant {ha_version}; load average at the end {load}"
    )


def _ms(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} µs"
    if value < 100:
        return f"{value:.1f} ms"
    return f"{value:,.0f} ms"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def render(report: Report) -> str:
    """Return the report as markdown tables, the machine line last."""
    scale = report.scale
    entities = sum(report.entities.values())
    lines = [
        f"Hotel: {scale.rooms} rooms (5 appliances each), {scale.cabinets} cabinets x "
        f"{scale.compartments} compartments, {scale.workers} workers "
        f"({scale.housekeepers} housekeepers, broadcast), {entities} entities "
        f"({', '.join(f'{k} {v}' for k, v in sorted(report.entities.items()))}). "
        f"Open orders: {round(scale.offered_share * 100)}% offered to all "
        f"{scale.housekeepers} housekeepers, the rest accepted or in progress.",
        "",
    ]
    lines += _table(
        ["scenario", "action", "runs", "p50", "p99", "p50/no-op"],
        [
            [
                row.scenario,
                row.action,
                f"{row.runs}"
                + (
                    f" of {row.planned} (capped {scale.row_seconds:.0f} s)"
                    if row.capped
                    else ""
                ),
                _ms(row.p50_ms),
                _ms(row.p99_ms),
                f"{row.ratio:,.0f}x" if row.ratio >= 10 else f"{row.ratio:.1f}x",
            ]
            for row in report.rows
        ],
    )
    lines += ["", "Start-up (config entry set-up until its platforms are done):", ""]
    lines += _table(
        ["stored state", "start-up", "RSS before", "RSS after", "growth", "peak RSS"],
        [
            [
                s.scenario,
                f"{s.seconds:.2f} s",
                f"{s.rss_before_mb:.0f} MB",
                f"{s.rss_after_mb:.0f} MB",
                f"{s.rss_after_mb - s.rss_before_mb:+.0f} MB",
                f"{s.peak_mb:.0f} MB" if s.peak_mb is not None else "n/a",
            ]
            for s in report.startups
        ],
    )
    lines += [
        "",
        "Bytes written per action (each action is committed to the database before "
        "it answers; wchar = bytes passed to write(), write_bytes = bytes sent to "
        "the disk, WAL and checkpoints included):",
        "",
    ]
    lines += _table(
        ["scenario", "actions", "wchar / action", "write_bytes / action", "window"],
        [
            [
                w.scenario,
                str(w.actions),
                f"{w.wchar / w.actions:,.0f}",
                f"{w.write_bytes / w.actions:,.0f}",
                f"{w.seconds:.1f} s",
            ]
            for w in report.writes
        ],
    )
    lines += [
        "",
        f"Longest event-loop stall ({TICK * 1000:.0f} ms ticker), per phase:",
        "",
    ]
    lines += _table(
        ["phase", "longest stall", "longest garbage collection (generation)"],
        [
            [
                phase,
                _ms(late * 1000),
                f"{_ms(report.gc_pauses[phase][0] * 1000)} (gen "
                f"{report.gc_pauses[phase][1]})"
                if phase in report.gc_pauses
                else "-",
            ]
            for phase, late in report.stalls.items()
        ],
    )
    lines += [
        "",
        f"Longest stall outside the benchmark's own seeding: "
        f"{_ms(longest_stall(report) * 1000)}. Whole run: {report.seconds:.0f} s.",
        "",
        "Targets (issue 9):",
        "",
    ]
    lines += _table(["target", "measured", "met"], targets(report))
    lines += ["", machine_line()]
    return "\n".join(lines)


def longest_stall(report: Report) -> float:
    """Return the longest stall, in seconds, outside the benchmark's own seeding."""
    return max(
        (late for phase, late in report.stalls.items() if "benchmark" not in phase),
        default=0.0,
    )


def targets(report: Report) -> list[list[str]]:
    """Return issue 9's targets beside what this run measured ("?" when not run)."""
    scale = report.scale
    live, history = label(scale.history_open), label(scale.history_open, scale.closed)
    rows = {(row.scenario, row.action.split()[0]): row for row in report.rows}
    startups = {s.scenario: s for s in report.startups}
    writes = {w.scenario: w.write_bytes / w.actions for w in report.writes}
    result: list[list[str]] = []

    def check(target: str, measured: str, met: bool | None) -> None:
        result.append(
            [target, measured, "?" if met is None else "yes" if met else "NO"]
        )

    request = rows.get((live, "request_service"))
    check(
        f"request -> offered at {live}: p50 <= 50x no-op",
        f"{request.ratio:,.0f}x" if request else "?",
        request.ratio <= 50 if request else None,
    )
    check(
        f"request -> offered at {live}: p99 <= 10 ms",
        _ms(request.p99_ms) if request else "?",
        request.p99_ms <= 10 if request else None,
    )
    commit = rows.get((live, "durable"))
    if commit:
        result.append(
            [
                f"(floor) one durable commit alone at {live}, p50 over no-op",
                f"{commit.ratio:,.0f}x",
                "the floor of every action",
            ]
        )
    with_history = rows.get((history, "request_service"))
    if request and with_history:
        growth = with_history.p50_ms / request.p50_ms
        check(
            f"request p50 with {scale.closed:,} closed <= 1.25x without",
            f"{growth:.2f}x",
            growth <= 1.25,
        )
    whole = rows.get((live, "whole"))
    check(
        f"whole order at {live}: p50 <= 100x no-op",
        f"{whole.ratio:,.0f}x" if whole else "?",
        whole.ratio <= 100 if whole else None,
    )
    start = startups.get(history)
    check(
        f"start-up with {history}: <= 3 s",
        f"{start.seconds:.1f} s" if start else "?",
        start.seconds <= 3 if start else None,
    )
    check(
        f"start-up with {history}: RSS growth <= 150 MB",
        f"{start.rss_after_mb - start.rss_before_mb:+.0f} MB" if start else "?",
        start.rss_after_mb - start.rss_before_mb <= 150 if start else None,
    )
    if writes and min(writes.values()) > 0:
        spread = max(writes.values()) / min(writes.values())
        check(
            "bytes written per action flat (max/min over scenarios <= 1.25)",
            f"{spread:.1f}x",
            spread <= 1.25,
        )
    stall = longest_stall(report)
    check("no event-loop stall over 50 ms", _ms(stall * 1000), stall <= 0.05)
    return result


def main() -> int:
    """Run the benchmark; exit 1 with a message when the site did not set up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    args = parser.parse_args()
    scale = QUICK if args.quick else FULL
    try:
        report = asyncio.run(run_benchmark(scale, verbose=True))
    except BenchmarkError as err:
        print(f"BENCHMARK FAILED: {err}", file=sys.stderr)
        return 1
    print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
