"""Persistence: one SQLite database for every site, written per action by one thread.

Layout
------
The database is ``<config>/doorservice.db`` (WAL journal), opened through Python's own
``sqlite3``. Every site (config entry) owns its rows; removing the site deletes them.

* ``orders``: one row per order (its ``Order.to_dict()`` as JSON) with the columns the
  queries need: ``live`` (held in memory: open, or finished but still holding a key or
  an active code), ``created_at``, ``finished_at``, ``accepted_at`` and the response
  time. Closed history is read from here on demand (time range + limit).
* ``records``: the rest of the live state, split into small documents keyed by
  ``(kind, key)``: one per access code, key custody, purchase, cabinet, stock, room and
  appliance set, plus a handful of site-wide ones (catalog, routing, duty roster,
  dispatch cursors, code book secret and keypad guards, ...). :func:`split_site` and
  :func:`assemble_site` translate between these documents and ``Site.to_dict()``.

Writing
-------
After an operation the coordinator asks :class:`SiteRecords` for the documents of the
parts the operation touched (never the whole site), keeps only those whose JSON
differs from what was last committed, and hands that :class:`Changes` batch to
:meth:`Database.async_commit`, which writes it in one transaction on the writer thread.
Only once that commit returned does the caller get its answer, and only then may a
board be told to unlock. The cost of an action therefore depends on what it touched,
not on the number of stored orders.

Migrations
----------
``PRAGMA user_version`` holds :data:`SCHEMA_VERSION`; :func:`_migrate` brings an older
file up step by step. A site stored by an earlier release in
``.storage/doorservice.<entry_id>`` (one JSON document, written by Home Assistant's
``Store``) is split into rows on its first start and the old file is removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
import json
from pathlib import Path
import sqlite3
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_CLOSE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER
from .core.errors import DoorServiceError
from .core.orders import Order
from .core.site import Site

DB_FILE = "doorservice.db"
SCHEMA_VERSION = 1
LEGACY_STORAGE_VERSION = 1

type RecordKey = tuple[str, str]
"""``(kind, key)`` of a document in the ``records`` table."""

# Site-wide documents: (kind, key) -> path in Site.to_dict().
_SINGLETONS: dict[RecordKey, tuple[str, ...]] = {
    ("site", "catalog"): ("catalog",),
    ("site", "routing"): ("routing",),
    ("site", "on_duty"): ("on_duty",),
    ("site", "supplies"): ("supplies",),
    ("site", "cursors"): ("desk", "cursors"),
    ("site", "openings"): ("cabinet_desk", "openings"),
    ("site", "calendar_bookings"): ("calendar_bookings",),
}
# Per-part documents: kind -> (path of the mapping in Site.to_dict()).
_PER_PART: dict[str, tuple[str, ...]] = {
    "cabinet": ("cabinets",),
    "stock": ("stock",),
    "appliances": ("appliances",),
    "room": ("stays", "rooms"),
    "purchase": ("cabinet_desk", "purchases"),
    "order_stay": ("front_desk", "order_stays"),
}
# Per-order lists stored one document each: kind -> (path, id field).
_PER_ITEM: dict[str, tuple[tuple[str, ...], str]] = {
    "code": (("codes", "codes"), "id"),
    "custody": (("custody", "custodies"), "order_id"),
}


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _get(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


@dataclass(slots=True)
class OrderRow:
    """An order as stored: its document and the columns queries use."""

    order_id: str
    live: bool
    state: str
    room: str | None
    worker: str | None
    scheduled_start: str | None
    created_at: str
    finished_at: str | None
    accepted_at: str | None
    response_s: float | None
    data: str
    custody: str | None = None
    """The key's record (``KeyCustody.to_dict()``), kept when the order leaves."""

    @classmethod
    def of(cls, order: Order, *, live: bool) -> OrderRow:
        """Build the row of ``order``."""
        accepted = order.accepted_at
        finished = order.updated_at if not order.is_open else None
        return cls(
            order.id,
            live,
            order.state.value,
            order.room,
            order.worker,
            order.scheduled_start.isoformat() if order.scheduled_start else None,
            order.created_at.isoformat(),
            finished.isoformat() if finished else None,
            accepted.isoformat() if accepted else None,
            (accepted - order.created_at).total_seconds() if accepted else None,
            _dumps(order.to_dict()),
        )


@dataclass(slots=True)
class Changes:
    """One action's writes: order rows and documents (None deletes a document)."""

    orders: dict[str, OrderRow] = field(default_factory=dict)
    records: dict[RecordKey, str | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Return whether there is anything to write."""
        return bool(self.orders or self.records)

    @property
    def size(self) -> int:
        """Return the number of bytes of JSON in the batch."""
        return sum(len(row.data) for row in self.orders.values()) + sum(
            len(doc) for doc in self.records.values() if doc
        )


@dataclass(slots=True)
class StoredSite:
    """What a site's rows hold at start-up."""

    data: dict[str, Any]
    """``Site.to_dict()`` layout with the live orders only."""
    response_samples: list[tuple[str, str]]
    """(created_at, accepted_at) of orders accepted recently (response times)."""


def split_site(
    data: Mapping[str, Any],
) -> tuple[list[dict[str, Any]], dict[RecordKey, str]]:
    """Split a ``Site.to_dict()`` document into order documents and records."""
    records: dict[RecordKey, str] = {}
    for record_key, path in _SINGLETONS.items():
        try:
            records[record_key] = _dumps(_get(data, path))
        except KeyError:
            continue
    for kind, path in _PER_PART.items():
        try:
            parts = _get(data, path)
        except KeyError:
            continue
        for key, value in parts.items():
            records[(kind, str(key))] = _dumps(value)
    for kind, (path, id_field) in _PER_ITEM.items():
        for item in _get(data, path):
            records[(kind, str(item[id_field]))] = _dumps(item)
    codes = data["codes"]
    records[("site", "codebook")] = _dumps(
        {"secret": codes["secret"], "next_seq": codes["next_seq"]}
    )
    for key, guard in codes["guards"].items():
        records[("guard", key)] = _dumps(guard)
    stays = data["stays"]
    records[("site", "stays")] = _dumps(
        {
            "history_limit": stays["history_limit"],
            "next_stay_number": stays["next_stay_number"],
        }
    )
    records[("site", "layout")] = _dumps(data.get("layout", 1))
    return list(data["desk"]["orders"]), records


def assemble_site(
    orders: Iterable[Mapping[str, Any]], records: Iterable[tuple[str, str, str]]
) -> dict[str, Any]:
    """Rebuild a ``Site.to_dict()`` document from stored rows (the inverse of split)."""
    data: dict[str, Any] = {
        "desk": {"version": 1, "orders": list(orders), "cursors": {}},
        "cabinets": {},
        "stock": {},
        "appliances": {},
        "stays": {"history_limit": 20, "next_stay_number": 1, "rooms": {}},
        "cabinet_desk": {"purchases": {}, "openings": {}},
        "front_desk": {"order_stays": {}},
        "codes": {"codes": [], "guards": {}},
        "custody": {"custodies": []},
        "on_duty": {},
    }
    singletons = _SINGLETONS
    for kind, key, raw in records:
        value = json.loads(raw)
        if (kind, key) in singletons:
            _put(data, singletons[(kind, key)], value)
        elif kind in _PER_PART:
            _get(data, _PER_PART[kind])[key] = value
        elif kind in _PER_ITEM:
            _get(data, _PER_ITEM[kind][0]).append(value)
        elif kind == "guard":
            data["codes"]["guards"][key] = value
        elif (kind, key) == ("site", "codebook"):
            data["codes"] |= value
        elif (kind, key) == ("site", "stays"):
            data["stays"] |= value
        elif (kind, key) == ("site", "layout"):
            data["layout"] = value
    return data


class SiteRecords:
    """The documents of one live site, and what changed since the last commit.

    Keeps the JSON of every document last committed, so an action writes only the
    documents of the parts it touched whose content really changed.
    """

    def __init__(self) -> None:
        """Start with nothing committed."""
        self._committed: dict[RecordKey, str] = {}
        self._orders: dict[str, str] = {}
        self._order_codes: dict[str, set[str]] = {}
        self._guards: set[str] = set()
        """The keys of the committed lockout guards (so a purged one is deleted)."""

    def reset(self, data: Mapping[str, Any]) -> None:
        """Remember a full ``Site.to_dict()`` document as what is committed."""
        orders, records = split_site(data)
        self._committed = dict(records)
        self._orders = {o["id"]: _dumps(o) for o in orders}
        self._order_codes = {}
        self._guards = {key for kind, key in records if kind == "guard"}
        for code in data["codes"]["codes"]:
            self._order_codes.setdefault(code["order_id"], set()).add(code["id"])

    def full_changes(self, site: Site) -> Changes:
        """Return every difference between ``site`` and what is committed."""
        data = site.to_dict()
        orders, records = split_site(data)
        changes = Changes()
        for order in site.desk.book:
            self._order_change(changes, order, live=True)
        live_ids = {o["id"] for o in orders}
        for order_id in set(self._orders) - live_ids:
            changes.orders[order_id] = self._released_row(order_id)
        for key, doc in records.items():
            if self._committed.get(key) != doc:
                changes.records[key] = doc
        for key in set(self._committed) - set(records):
            changes.records[key] = None
        return changes

    def changes(
        self,
        site: Site,
        *,
        orders: Iterable[str] = (),
        cabinets: Iterable[str] = (),
        rooms: Iterable[str] = (),
        released: Iterable[str] = (),
    ) -> Changes:
        """Return the changed documents of the given parts (and the site-wide ones)."""
        changes = Changes()
        book = site.desk.book
        gone = set(released)
        for order_id in set(orders) | gone:
            if (order := book.find(order_id)) is not None:
                self._order_change(changes, order, live=order_id not in gone)
            if order_id in gone:
                self._forget_order_docs(changes, order_id)
                custody = site.custody.custodies.get(order_id)
                if custody is not None and order_id in changes.orders:
                    changes.orders[order_id].custody = _dumps(custody.to_dict())
            else:
                self._per_order_docs(changes, site, order_id)
        for cabinet_id in set(cabinets):
            cabinet = site.cabinets.get(cabinet_id)
            self._doc(changes, ("cabinet", cabinet_id), cabinet and cabinet.to_dict())
            stock = site.stock.get(cabinet_id)
            self._doc(changes, ("stock", cabinet_id), stock and stock.to_dict())
        for room_id in set(rooms):
            try:
                room: Any = site.stays.room(room_id).to_dict()
            except DoorServiceError:
                room = None
            self._doc(changes, ("room", room_id), room)
            appliances = site.appliances.get(room_id)
            self._doc(
                changes, ("appliances", room_id), appliances and appliances.to_dict()
            )
        self._site_docs(changes, site)
        return changes

    def _order_change(self, changes: Changes, order: Order, *, live: bool) -> None:
        doc = _dumps(order.to_dict())
        if not live or self._orders.get(order.id) != doc:
            row = OrderRow.of(order, live=live)
            row.data = doc
            changes.orders[order.id] = row

    def _released_row(self, order_id: str) -> OrderRow:
        """The row of an order that leaves memory (finished for good)."""
        doc = self._orders[order_id]
        order = Order.from_dict(json.loads(doc))
        row = OrderRow.of(order, live=False)
        row.custody = self._committed.get(("custody", order_id))
        return row

    def _forget_order_docs(self, changes: Changes, order_id: str) -> None:
        """An order leaves memory: its per-order documents go from the database."""
        for kind in ("custody", "purchase", "order_stay"):
            if (kind, order_id) in self._committed:
                changes.records[(kind, order_id)] = None
        for code_id in self._order_codes.get(order_id, ()):
            changes.records[("code", code_id)] = None

    def _per_order_docs(self, changes: Changes, site: Site, order_id: str) -> None:
        custody = site.custody.custodies.get(order_id)
        self._doc(changes, ("custody", order_id), custody and custody.to_dict())
        purchase = site.cabinet_desk.purchases.get(order_id)
        self._doc(changes, ("purchase", order_id), purchase and purchase.to_dict())
        self._doc(
            changes, ("order_stay", order_id), site.front_desk.stay_of_order(order_id)
        )
        current = {code.id: code for code in site.codes.of_order(order_id)}
        for code_id in self._order_codes.get(order_id, set()) | set(current):
            code = current.get(code_id)
            self._doc(changes, ("code", code_id), code and code.to_dict())

    def _site_docs(self, changes: Changes, site: Site) -> None:
        self._doc(changes, ("site", "on_duty"), dict(site.on_duty))
        self._doc(
            changes,
            ("site", "cursors"),
            {role.value: worker for role, worker in site.desk.cursors.items()},
        )
        self._doc(
            changes,
            ("site", "codebook"),
            {"secret": site.codes.secret_hex, "next_seq": site.codes.next_seq},
        )
        guards = site.codes.guards
        for key, guard in guards.items():
            self._doc(changes, ("guard", key), guard.to_dict())
        for key in self._guards - guards.keys():
            changes.records[("guard", key)] = None
        self._doc(
            changes,
            ("site", "stays"),
            {
                "history_limit": site.stays.history_limit,
                "next_stay_number": site.stays.next_stay_number,
            },
        )
        self._doc(
            changes,
            ("site", "openings"),
            {
                cabinet_id: {str(n): o.to_dict() for n, o in openings.items()}
                for cabinet_id, openings in site.cabinet_desk.openings.items()
            },
        )
        self._doc(
            changes, ("site", "calendar_bookings"), site.calendar_bookings.to_dict()
        )

    def _doc(self, changes: Changes, key: RecordKey, value: Any) -> None:
        """Add a document when it differs from the committed one (None: gone)."""
        if value is None:
            if key in self._committed:
                changes.records[key] = None
            return
        doc = _dumps(value)
        if self._committed.get(key) != doc:
            changes.records[key] = doc

    @property
    def committed_orders(self) -> dict[str, str]:
        """Return the JSON of every live order as last committed."""
        return dict(self._orders)

    @property
    def committed_records(self) -> dict[RecordKey, str]:
        """Return every document as last committed."""
        return dict(self._committed)

    def committed_site(self) -> dict[str, Any]:
        """Return the last committed state as a ``Site.to_dict()`` document."""
        orders = sorted(
            (json.loads(doc) for doc in self._orders.values()),
            key=lambda o: (o["created_at"], o["id"]),
        )
        return assemble_site(
            orders, ((kind, key, doc) for (kind, key), doc in self._committed.items())
        )

    def committed(self, changes: Changes) -> None:
        """Remember a batch as committed."""
        for order_id, row in changes.orders.items():
            if row.live:
                self._orders[order_id] = row.data
            else:
                self._orders.pop(order_id, None)
        for key, doc in changes.records.items():
            if key[0] == "guard":
                if doc is None:
                    self._guards.discard(key[1])
                else:
                    self._guards.add(key[1])
            if doc is None:
                self._committed.pop(key, None)
                if key[0] == "code":
                    for codes in self._order_codes.values():
                        codes.discard(key[1])
            else:
                self._committed[key] = doc
                if key[0] == "code":
                    order_id = json.loads(doc)["order_id"]
                    self._order_codes.setdefault(order_id, set()).add(key[1])
        for order_id in [o for o, codes in self._order_codes.items() if not codes]:
            del self._order_codes[order_id]


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """What a history query keeps (None: anything)."""

    states: tuple[str, ...] | None = None
    room: str | None = None
    worker: str | None = None
    scheduled_from: str | None = None
    """Only visits scheduled at or after this (ISO time)."""
    scheduled_until: str | None = None
    """Only visits scheduled before this (ISO time)."""


class DatabaseError(Exception):
    """The database could not be read or written."""


class Database:
    """The SQLite database of every site, used from one dedicated thread."""

    def __init__(self, path: Path) -> None:
        """Prepare the database at ``path`` (opened by :meth:`async_open`)."""
        self.path = path
        self._executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="doorservice_db"
        )
        self._conn: sqlite3.Connection | None = None
        self.bytes_committed = 0
        self.commits = 0
        self.users = 0
        self._closed = False
        self.unsub_close: CALLBACK_TYPE | None = None

    async def _run[T](self, hass: HomeAssistant, func: Any, *args: Any) -> T:
        try:
            result: T = await hass.loop.run_in_executor(self._executor, func, *args)
        except sqlite3.Error as err:
            raise DatabaseError(str(err)) from err
        return result

    # --- thread side -------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
                _migrate(conn)
            except BaseException:
                conn.close()  # an unreadable or newer file: nothing stays open
                raise
            self._conn = conn
        return self._conn

    def _open(self) -> None:
        self._connection()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _commit(self, entry_id: str, changes: Changes) -> None:
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            if changes.orders:
                conn.executemany(
                    "INSERT OR REPLACE INTO orders (entry_id, order_id, live, state,"
                    " room, worker, scheduled_start, created_at, finished_at,"
                    " accepted_at, response_s, data, custody)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            entry_id,
                            r.order_id,
                            int(r.live),
                            r.state,
                            r.room,
                            r.worker,
                            r.scheduled_start,
                            r.created_at,
                            r.finished_at,
                            r.accepted_at,
                            r.response_s,
                            r.data,
                            r.custody,
                        )
                        for r in changes.orders.values()
                    ],
                )
            upserts = [(k, d) for k, d in changes.records.items() if d is not None]
            deletes = [k for k, d in changes.records.items() if d is None]
            if upserts:
                conn.executemany(
                    "INSERT OR REPLACE INTO records (entry_id, kind, key, data)"
                    " VALUES (?, ?, ?, ?)",
                    [(entry_id, k, key, d) for (k, key), d in upserts],
                )
            if deletes:
                conn.executemany(
                    "DELETE FROM records WHERE entry_id = ? AND kind = ? AND key = ?",
                    [(entry_id, k, key) for k, key in deletes],
                )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self.commits += 1
        self.bytes_committed += changes.size

    def _load(self, entry_id: str, since: str) -> StoredSite | None:
        conn = self._connection()
        orders = [
            json.loads(raw)
            for (raw,) in conn.execute(
                "SELECT data FROM orders WHERE entry_id = ? AND live = 1"
                " ORDER BY created_at, order_id",
                (entry_id,),
            )
        ]
        records = list(
            conn.execute(
                "SELECT kind, key, data FROM records WHERE entry_id = ?", (entry_id,)
            )
        )
        if not records and not orders:
            return None
        samples = list(
            conn.execute(
                "SELECT created_at, accepted_at FROM orders WHERE entry_id = ?"
                " AND accepted_at >= ? ORDER BY accepted_at",
                (entry_id, since),
            )
        )
        return StoredSite(assemble_site(orders, records), samples)

    def _query(
        self,
        entry_id: str,
        start: str | None,
        end: str | None,
        limit: int,
        live: bool | None,
        filters: HistoryFilter,
    ) -> list[dict[str, Any]]:
        sql = "SELECT data FROM orders WHERE entry_id = ?"
        args: list[Any] = [entry_id]
        if filters.states is not None:
            sql += f" AND state IN ({','.join('?' * len(filters.states))})"
            args += list(filters.states)
        if filters.room is not None:
            sql += " AND room = ?"
            args.append(filters.room)
        if filters.worker is not None:
            sql += " AND worker = ?"
            args.append(filters.worker)
        if filters.scheduled_from is not None:
            sql += " AND scheduled_start >= ?"
            args.append(filters.scheduled_from)
        if filters.scheduled_until is not None:
            sql += " AND scheduled_start < ?"
            args.append(filters.scheduled_until)
        if start is not None:
            sql += " AND created_at >= ?"
            args.append(start)
        if end is not None:
            sql += " AND created_at < ?"
            args.append(end)
        if live is not None:
            sql += " AND live = ?"
            args.append(int(live))
        sql += " ORDER BY created_at DESC, order_id DESC LIMIT ?"
        args.append(limit)
        rows = self._connection().execute(sql, args)
        return [json.loads(raw) for (raw,) in rows]

    def _prune(self, entry_id: str, before: str) -> int:
        conn = self._connection()
        with conn:
            cursor = conn.execute(
                "DELETE FROM orders WHERE entry_id = ? AND live = 0"
                " AND finished_at < ?",
                (entry_id, before),
            )
        return cursor.rowcount

    def _delete_site(self, entry_id: str) -> None:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM orders WHERE entry_id = ?", (entry_id,))
        conn.execute("DELETE FROM records WHERE entry_id = ?", (entry_id,))
        conn.execute("COMMIT")

    def _import(
        self, entry_id: str, orders: list[Order], records: dict[RecordKey, str]
    ) -> None:
        """Write a whole site at once (migration from the old storage file)."""
        changes = Changes(
            {o.id: OrderRow.of(o, live=True) for o in orders}, dict(records)
        )
        self._delete_site(entry_id)
        self._commit(entry_id, changes)

    # --- loop side -----------------------------------------------------------------

    async def async_open(self, hass: HomeAssistant) -> None:
        """Open (and create or migrate) the database file."""
        await self._run(hass, self._open)

    async def async_close(self, hass: HomeAssistant) -> None:
        """Close the database and stop its thread."""
        if self._closed:
            return
        self._closed = True
        try:
            await self._run(hass, self._close)
        finally:
            await hass.async_add_executor_job(self._executor.shutdown, True)

    async def async_commit(
        self, hass: HomeAssistant, entry_id: str, changes: Changes
    ) -> None:
        """Write one action's changes in one transaction (raises DatabaseError)."""
        await self._run(hass, self._commit, entry_id, changes)

    async def async_load(
        self, hass: HomeAssistant, entry_id: str, since: datetime
    ) -> StoredSite | None:
        """Return a site's live state (None when nothing is stored)."""
        return await self._run(hass, self._load, entry_id, since.isoformat())

    async def async_query_orders(
        self,
        hass: HomeAssistant,
        entry_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
        live: bool | None = None,
        filters: HistoryFilter | None = None,
    ) -> list[dict[str, Any]]:
        """Return stored orders created in ``[start, end)``, newest first."""
        return await self._run(
            hass,
            self._query,
            entry_id,
            start.isoformat() if start else None,
            end.isoformat() if end else None,
            limit,
            live,
            filters or HistoryFilter(),
        )

    async def async_prune(
        self, hass: HomeAssistant, entry_id: str, before: datetime
    ) -> int:
        """Delete orders finished before ``before``; return how many went."""
        return await self._run(hass, self._prune, entry_id, before.isoformat())

    async def async_delete_site(self, hass: HomeAssistant, entry_id: str) -> None:
        """Delete every row of a site."""
        await self._run(hass, self._delete_site, entry_id)

    async def async_import(
        self, hass: HomeAssistant, entry_id: str, data: Mapping[str, Any]
    ) -> None:
        """Store a whole ``Site.to_dict()`` document (migration)."""
        orders, records = split_site(data)
        await self._run(
            hass, self._import, entry_id, [Order.from_dict(o) for o in orders], records
        )


def _migrate(conn: sqlite3.Connection) -> None:
    """Create the schema, or bring an older one up to :data:`SCHEMA_VERSION`."""
    conn.execute("BEGIN IMMEDIATE")  # one migrating process at a time
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"{DB_FILE} was written by a newer Door Service (schema {version})"
            )
        for step in range(version, SCHEMA_VERSION):
            LOGGER.debug("Migrating %s from schema %s", DB_FILE, step)
            for statement in _MIGRATIONS[step]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


_MIGRATIONS: list[tuple[str, ...]] = [
    (  # 0 -> 1: the first schema
        "CREATE TABLE orders ("
        " entry_id TEXT NOT NULL, order_id TEXT NOT NULL, live INTEGER NOT NULL,"
        " state TEXT NOT NULL, room TEXT, worker TEXT, scheduled_start TEXT,"
        " created_at TEXT NOT NULL, finished_at TEXT,"
        " accepted_at TEXT, response_s REAL, data TEXT NOT NULL, custody TEXT,"
        " PRIMARY KEY (entry_id, order_id)) WITHOUT ROWID",
        "CREATE INDEX orders_live ON orders (entry_id, live, created_at)",
        "CREATE INDEX orders_created ON orders (entry_id, created_at)",
        "CREATE INDEX orders_finished ON orders (entry_id, finished_at)",
        "CREATE INDEX orders_accepted ON orders (entry_id, accepted_at)",
        "CREATE INDEX orders_scheduled ON orders (entry_id, scheduled_start)",
        "CREATE TABLE records ("
        " entry_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,"
        " data TEXT NOT NULL, PRIMARY KEY (entry_id, kind, key)) WITHOUT ROWID",
    ),
]


def database(hass: HomeAssistant) -> Database:
    """Return the shared database of this Home Assistant instance."""
    key = f"{DOMAIN}_database"
    db: Database | None = hass.data.get(key)
    if db is None:
        db = hass.data[key] = Database(database_path(hass))
    return db


def database_path(hass: HomeAssistant) -> Path:
    """Return where the database lives: ``doorservice.db`` in the config directory."""
    return Path(hass.config.path(DB_FILE))


async def async_acquire(hass: HomeAssistant) -> Database:
    """Open the shared database for one more site."""
    db = database(hass)
    if db.users == 0:

        async def _async_close(_event: Event) -> None:
            hass.data.pop(f"{DOMAIN}_database", None)
            await db.async_close(hass)

        # Home Assistant stopping without unloading the sites closes it too.
        db.unsub_close = hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_CLOSE, _async_close
        )
        db.users += 1
        await db.async_open(hass)
        return db
    db.users += 1
    return db


async def async_release(hass: HomeAssistant) -> None:
    """A site no longer uses the database; the last one closes it."""
    db = database(hass)
    db.users -= 1
    if db.users <= 0:
        db.users = 0
        hass.data.pop(f"{DOMAIN}_database", None)
        if db.unsub_close is not None:
            db.unsub_close()
            db.unsub_close = None
        await db.async_close(hass)


async def async_legacy_site(
    hass: HomeAssistant, entry_id: str
) -> tuple[Store[dict[str, Any]], dict[str, Any] | None]:
    """Return the old ``.storage`` file of a site and its data (None: no file)."""
    store: Store[dict[str, Any]] = Store(
        hass, LEGACY_STORAGE_VERSION, f"{DOMAIN}.{entry_id}"
    )
    return store, await store.async_load()
