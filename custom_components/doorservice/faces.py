"""The faces of Door Service in the Home Assistant frontend.

* The Lovelace cards (staff terminal, room terminal, manager board) and the
  ``custom:doorservice`` dashboard strategy are one JavaScript module, built from
  ``frontend/`` and committed under ``frontend/doorservice-cards.js``. It is served
  from :data:`STATIC_URL` and loaded on every page through the frontend's extra
  module URLs, so a HACS install needs no build and no resource to add.
* The cards read what they show from websocket commands that check the caller's
  role first (:mod:`.authorization`): ``doorservice/faces`` says which rooms,
  workers and sites the user may open, ``doorservice/subscribe_face`` streams one
  face's snapshot and sends a fresh one after every change of its site. A room
  terminal user gets their room and nothing else; staff their own work and the
  rooms they serve; only managers the board. Changes go through the integration's
  actions, which check the caller again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
import hashlib
import logging
from pathlib import Path
from typing import Any

import probatio as vol

from homeassistant.components import websocket_api
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.typing import VolDictType
from homeassistant.util import dt as dt_util

from .authorization import Caller, async_caller_of
from .const import DOMAIN, SubentryType
from .coordinator import SITE_KEY
from .core.catalog import TRANSLATED_LANGUAGES, ServiceType
from .core.errors import DoorServiceError
from .core.orders import Order, OrderState
from .core.service_names import translated_name
from .runtime import SiteRuntime
from .services.resolve import loaded_runtimes
from .services.responses import appliances_data

_LOGGER = logging.getLogger(__name__)

BUNDLE = Path(__file__).parent / "frontend" / "doorservice-cards.js"
STATIC_URL = "/doorservice_static/doorservice-cards.js"
DATA_FACES = "doorservice_faces"
DATA_ENDERS = "doorservice_face_enders"

FACE_ROOM = "room"
FACE_STAFF = "staff"
FACE_MANAGER = "manager"
FACES = (FACE_ROOM, FACE_STAFF, FACE_MANAGER)

RECENT_REQUESTS = 5
"""Finished requests a room terminal still shows (newest first)."""
HISTORY_WINDOW = timedelta(hours=24)
"""How far back the manager board's response times per worker look."""
PUSH_DELAY = 0.1
"""Seconds a snapshot waits for more changes of the same burst."""

_WORK_STATES = (
    OrderState.OFFERED,
    OrderState.ACCEPTED,
    OrderState.IN_PROGRESS,
    OrderState.AWAITING_RETURN,
)


FACES_SCHEMA: VolDictType = {vol.Required("type"): "doorservice/faces"}
SUBSCRIBE_SCHEMA: VolDictType = {
    vol.Required("type"): "doorservice/subscribe_face",
    vol.Required("face"): vol.In(FACES),
    vol.Optional("site"): str,
    vol.Optional("room"): str,
    vol.Optional("worker"): str,
}


# --- serving the bundle ----------------------------------------------------------


def _bundle_version() -> str:
    """Return a short hash of the bundle (the cache buster of its URL)."""
    return hashlib.sha256(BUNDLE.read_bytes()).hexdigest()[:12]


async def async_setup_faces(hass: HomeAssistant) -> None:
    """Register the websocket commands; serve and load the cards' module.

    The module is served when Home Assistant's HTTP server runs and loaded on
    every page when the frontend is set up (both are after-dependencies).
    """
    websocket_api.async_register_command(hass, ws_faces)
    websocket_api.async_register_command(hass, ws_subscribe_face)
    if hass.http is None or DATA_FACES in hass.data:
        return
    await hass.http.async_register_static_paths(
        [StaticPathConfig(STATIC_URL, str(BUNDLE), cache_headers=False)]
    )
    url = f"{STATIC_URL}?v={await hass.async_add_executor_job(_bundle_version)}"
    hass.data[DATA_FACES] = url
    if "frontend" in hass.config.components:
        # Imported here: the frontend is an after-dependency, not a requirement.
        from homeassistant.components.frontend import (  # noqa: PLC0415
            add_extra_js_url,
        )

        add_extra_js_url(hass, url)


# --- who may open which face -----------------------------------------------------


def _parts(runtime: SiteRuntime, kind: SubentryType) -> list[dict[str, str]]:
    return [
        {"id": sub.subentry_id, "name": sub.title} for sub in runtime.subentries(kind)
    ]


def faces_of(hass: HomeAssistant, caller: Caller) -> dict[str, Any]:
    """Return the sites, rooms and workers whose faces ``caller`` may open."""
    sites: list[dict[str, Any]] = []
    for runtime in loaded_runtimes(hass):
        entry_id = runtime.entry.entry_id
        rooms = [
            room
            for room in _parts(runtime, SubentryType.ROOM)
            if caller.is_privileged or (entry_id, room["id"]) in caller.rooms
        ]
        workers = [
            worker
            for worker in _parts(runtime, SubentryType.WORKER)
            if caller.is_privileged or (entry_id, worker["id"]) in caller.workers
        ]
        if not (rooms or workers or caller.is_privileged):
            continue
        sites.append(
            {
                "site": entry_id,
                "name": runtime.name,
                "site_type": runtime.site_type,
                "manager": caller.is_privileged,
                "rooms": rooms,
                "workers": workers,
            }
        )
    return {"roles": sorted(caller.roles), "sites": sites}


@websocket_command(FACES_SCHEMA)
@async_response
async def ws_faces(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Answer which faces the connected user may open."""
    caller = await async_caller_of(hass, Context(user_id=connection.user.id))
    connection.send_result(msg["id"], faces_of(hass, caller))


def _runtime(hass: HomeAssistant, site: str | None) -> SiteRuntime | None:
    runtimes = loaded_runtimes(hass)
    if site is None:
        return runtimes[0] if len(runtimes) == 1 else None
    wanted = site.strip().casefold()
    return next(
        (
            r
            for r in runtimes
            if wanted in (r.entry.entry_id.casefold(), r.name.casefold())
        ),
        None,
    )


def _part(runtime: SiteRuntime, kind: SubentryType, value: str | None) -> str | None:
    """Return the id of the room or worker named by id or name (or the only one)."""
    subs = runtime.subentries(kind)
    if value is None:
        return subs[0].subentry_id if len(subs) == 1 else None
    wanted = value.strip().casefold()
    return next(
        (
            s.subentry_id
            for s in subs
            if wanted in (s.subentry_id.casefold(), s.title.casefold())
        ),
        None,
    )


def resolve_face(
    hass: HomeAssistant, caller: Caller, msg: dict[str, Any]
) -> tuple[SiteRuntime, str | None] | str:
    """Return the site and part of a subscription, or the error code refusing it.

    An unknown site, room or worker is refused exactly as one the caller may not
    see (``unauthorized``), so names cannot be probed.
    """
    face = msg["face"]
    runtime = _runtime(hass, msg.get("site"))
    if runtime is None and not msg.get("site") and caller.roles:
        # Without a site, the one site the caller's room or worker belongs to.
        own = {e for e, _ in (caller.rooms if face == FACE_ROOM else caller.workers)}
        if len(own) == 1:
            runtime = _runtime(hass, next(iter(own)))
    if runtime is None:
        return "unauthorized" if not caller.is_privileged else "not_found"
    entry_id = runtime.entry.entry_id
    if face == FACE_MANAGER:
        return (runtime, None) if caller.is_privileged else "unauthorized"
    kind = SubentryType.ROOM if face == FACE_ROOM else SubentryType.WORKER
    mine = sorted(
        p
        for e, p in (caller.rooms if face == FACE_ROOM else caller.workers)
        if e == entry_id
    )
    value = msg.get(face if face == FACE_ROOM else "worker")
    part = _part(runtime, kind, value)
    if part is None and value is None and len(mine) == 1:
        part = mine[0]
    if part is None:
        return "unauthorized" if not caller.is_privileged else "not_found"
    if not caller.is_privileged and part not in mine:
        return "unauthorized"
    return runtime, part


@websocket_command(SUBSCRIBE_SCHEMA)
@async_response
async def ws_subscribe_face(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Stream one face's snapshot: now, and again after every change of its site."""
    caller = await async_caller_of(hass, Context(user_id=connection.user.id))
    resolved = resolve_face(hass, caller, msg)
    if isinstance(resolved, str):
        connection.send_error(msg["id"], resolved, f"doorservice face {msg['face']}")
        return
    runtime, part = resolved
    face = msg["face"]
    msg_id = msg["id"]
    pending: list[CALLBACK_TYPE] = []
    removers: list[Callable[[], None]] = []

    async def _send() -> None:
        if runtime.stopped:
            return
        snapshot = await async_snapshot(runtime, caller, face, part)
        connection.send_message(event_message(msg_id, snapshot))

    @callback
    def _fire(_now: datetime) -> None:
        pending.clear()
        hass.async_create_task(_send(), eager_start=True)

    @callback
    def _changed(*_args: Any) -> None:
        if not pending:
            pending.append(async_call_later(hass, PUSH_DELAY, _fire))

    removers.append(runtime.async_subscribe(_changed))
    for key in (SITE_KEY, *runtime.entry.subentries):
        removers.append(runtime.async_add_listener(key, _changed))

    enders = _site_enders(hass, runtime)

    @callback
    def _unsubscribe() -> None:
        enders.discard(_ended)
        for remove in removers:
            remove()
        for cancel in pending:
            cancel()
        pending.clear()

    @callback
    def _ended() -> None:
        """The site unloaded (e.g. reloaded): the card subscribes anew."""
        _unsubscribe()
        connection.send_message(event_message(msg_id, {"ended": True}))

    enders.add(_ended)
    connection.subscriptions[msg_id] = _unsubscribe
    connection.send_result(msg_id)
    await _send()


def _site_enders(hass: HomeAssistant, runtime: SiteRuntime) -> set[CALLBACK_TYPE]:
    """Return what ends the subscriptions of ``runtime`` when its site unloads."""
    sites: dict[int, set[CALLBACK_TYPE]] = hass.data.setdefault(DATA_ENDERS, {})
    key = id(runtime)
    if key not in sites:
        sites[key] = set()

        @callback
        def _end_all() -> None:
            for end in list(sites.pop(key, ())):
                end()

        runtime.entry.async_on_unload(_end_all)
    return sites[key]


# --- snapshots ---------------------------------------------------------------------


async def async_snapshot(
    runtime: SiteRuntime, caller: Caller, face: str, part: str | None
) -> dict[str, Any]:
    """Return what one face shows now (the caller was checked for it)."""
    base = {
        "face": face,
        "site": runtime.entry.entry_id,
        "site_name": runtime.name,
        "site_type": runtime.site_type,
        "currency": runtime.currency,
        "now": dt_util.utcnow().isoformat(),
    }
    if face == FACE_ROOM:
        assert part is not None
        return base | await async_room_face(runtime, caller, part)
    if face == FACE_STAFF:
        assert part is not None
        return base | staff_face(runtime, part)
    return base | await async_manager_face(runtime)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _reached(order: Order, state: OrderState) -> datetime | None:
    """Return when ``order`` last entered ``state``."""
    for entry in reversed(order.history):
        if entry.state is state:
            return entry.at
    return None


def order_view(runtime: SiteRuntime, order: Order) -> dict[str, Any]:
    """Return what every face may show of an order (no phone, no code, no ids)."""
    try:
        kind = runtime.site.catalog.get(order.service_type)
        service, category = kind.name, kind.category
        sla = kind.sla_minutes
        names = _names(kind)
    except DoorServiceError:  # a service type removed from the catalog
        service, category, sla = order.service_type, "general", 0
        names = {}
    due = order.created_at + timedelta(minutes=sla) if sla else None
    started = _reached(order, OrderState.IN_PROGRESS)
    accepted = order.accepted_at
    # The same "expected by" as the room's messages and the voice answers.
    eta = runtime.site.front_desk.eta(order)
    done = _reached(order, OrderState.COMPLETED) or _reached(order, OrderState.CLOSED)
    return {
        "order_id": order.id,
        "state": order.state.value,
        "service_type": order.service_type,
        "service": service,
        "service_names": names,
        "category": category,
        "room": runtime.part_name(order.room),
        "room_id": order.room,
        "address": order.address,
        "worker": runtime.part_name(order.worker),
        "quantity": order.quantity,
        "total_price": _money(order.total_price),
        "created_at": order.created_at.isoformat(),
        "accepted_at": _iso(accepted),
        "started_at": _iso(started),
        "done_at": _iso(done),
        "response_seconds": (
            int((accepted - order.created_at).total_seconds()) if accepted else None
        ),
        "due_at": _iso(due),
        "eta": _iso(eta),
        "overdue": bool(
            due is not None and order.is_open and dt_util.utcnow() > due and not started
        ),
        "escalated": order.escalated,
        "message": order.message,
        "scheduled_start": _iso(order.scheduled_start),
        "scheduled_end": _iso(order.scheduled_end),
    }


def _names(kind: ServiceType) -> dict[str, str]:
    """Return a service type's names by language (the manager's or the defaults)."""
    return {
        language: name
        for language in TRANSLATED_LANGUAGES
        if (name := translated_name(kind, language)) is not None
    }


def catalog_view(runtime: SiteRuntime) -> list[dict[str, Any]]:
    """Return the catalog: what can be asked for, by category, with prices."""
    return [
        {
            "service_type": kind.id,
            "name": kind.name,
            "names": _names(kind),
            "category": kind.category,
            "price": _money(kind.price),
            "paid": kind.is_paid,
            "sla_minutes": kind.sla_minutes,
        }
        for kind in runtime.site.catalog
    ]


async def async_room_face(
    runtime: SiteRuntime, caller: Caller, room_id: str
) -> dict[str, Any]:
    """Return the room terminal: requests, stay, appliances, bill."""
    now = dt_util.utcnow()
    room = runtime.site.stays.room(room_id)
    stay = room.stay
    authorized = stay is not None and stay.is_authorized(now)
    live = sorted(
        runtime.site.orders(room=room_id), key=lambda o: o.created_at, reverse=True
    )
    live_ids = {o.id for o in live}
    finished = [
        o
        for o in await runtime.async_history(room=room_id, limit=RECENT_REQUESTS)
        if o.id not in live_ids
    ]
    requests = [order_view(runtime, o) for o in live if o.is_open]
    done = sorted(
        [o for o in live if not o.is_open] + finished,
        key=lambda o: o.created_at,
        reverse=True,
    )[:RECENT_REQUESTS]
    folio = stay.folio if stay is not None else None
    show_appliances = authorized or caller.is_privileged
    return {
        "room_id": room_id,
        "room": runtime.part_name(room_id),
        "handedness": room.handedness.value,
        # The terminal's left/right switch selects this entity's option.
        "handedness_entity": er.async_get(runtime.hass).async_get_entity_id(
            "select", DOMAIN, f"{room_id}_handedness"
        ),
        "do_not_disturb": room.do_not_disturb,
        "stay": (
            {
                "guest_name": stay.guest_name,
                "language": stay.language.value,
                "checked_in_at": stay.checked_in_at.isoformat(),
                "ends_at": _iso(stay.ends_at),
                "authorized": authorized,
            }
            if stay is not None
            else None
        ),
        "may_request": (
            authorized or caller.is_privileged or runtime.site_type != "hotel"
        ),
        "catalog": catalog_view(runtime),
        "requests": requests,
        "finished": [order_view(runtime, o) for o in done],
        "appliances": (
            appliances_data(runtime, room_id)["appliances"] if show_appliances else None
        ),
        "bill": (
            {
                "currency": folio.currency,
                "total": _money(folio.total),
                "lines": [
                    {
                        "order_id": charge.order_id,
                        "description": charge.description,
                        "quantity": charge.quantity,
                        "unit_price": _money(charge.unit_price),
                        "amount": _money(charge.amount),
                        "at": charge.at.isoformat(),
                    }
                    for charge in folio.charges
                ],
            }
            if folio is not None
            else None
        ),
    }


def _key_info(runtime: SiteRuntime, order: Order) -> dict[str, Any] | None:
    """Return where a keyed order's key is and where its items wait (no code)."""
    site = runtime.site
    compartments = [
        {"cabinet": runtime.part_name(cabinet.id), "number": c.number}
        for cabinet in site.cabinets.values()
        for c in cabinet.compartments
        if c.order_id == order.id
    ]
    if not order.has_key and not compartments:
        return None
    holder: dict[str, Any] = {"kind": "owner"}
    if order.id in site.custody:
        found = site.custody.get(order.id).holder
        holder = {
            "kind": found.kind.value,
            "cabinet": runtime.part_name(found.cabinet_id),
            "number": found.compartment_number,
            "worker": runtime.part_name(found.worker_id),
        }
    return {"has_key": order.has_key, "holder": holder, "compartments": compartments}


def staff_face(runtime: SiteRuntime, worker_id: str) -> dict[str, Any]:
    """Return a worker's terminal: offers and work by category, rooms they serve."""
    site = runtime.site
    orders = []
    rooms: dict[str, None] = {}
    for order in site.worker_todo(worker_id):
        view = order_view(runtime, order)
        mine = order.worker == worker_id
        view["offered"] = not mine and worker_id in order.offers
        view["mine"] = mine
        if mine:
            # Details of the worker's own orders only: key, compartments.
            view["key"] = _key_info(runtime, order)
            if order.room is not None and order.state in _WORK_STATES:
                rooms[order.room] = None
        orders.append(view)
    categories = site.catalog.categories()
    return {
        "worker_id": worker_id,
        "worker": runtime.part_name(worker_id),
        "on_duty": site.is_on_duty(worker_id),
        "status": site.desk.worker_status(worker_id).value,
        "categories": categories,
        "orders": orders,
        "rooms": [
            appliances_data(runtime, room_id) | {"room_id": room_id}
            for room_id in rooms
        ],
    }


async def async_manager_face(runtime: SiteRuntime) -> dict[str, Any]:
    """Return the manager board: open orders, cabinets, stock, response times."""
    site = runtime.site
    now = dt_util.utcnow()
    open_orders = [o for o in site.orders() if o.is_open]
    by_state: dict[str, int] = {}
    for order in open_orders:
        by_state[order.state.value] = by_state.get(order.state.value, 0) + 1
    finished = await runtime.async_history(start=now - HISTORY_WINDOW, limit=500)
    seen = {o.id for o in finished}
    responses: dict[str, list[float]] = {}
    for order in [*finished, *(o for o in site.orders() if o.id not in seen)]:
        accepted = order.accepted_at
        if accepted is None or order.worker is None or now - accepted > HISTORY_WINDOW:
            continue
        seconds = (accepted - order.created_at).total_seconds()
        responses.setdefault(order.worker, []).append(seconds)
    statuses = site.desk.worker_statuses()
    stats = runtime.response_times()
    workers = [
        {
            "worker_id": sub.subentry_id,
            "worker": sub.title,
            "status": statuses.get(sub.subentry_id, "idle"),
            "accepted": len(times := responses.get(sub.subentry_id, [])),
            "mean_response_seconds": round(sum(times) / len(times)) if times else None,
        }
        for sub in runtime.subentries(SubentryType.WORKER)
    ]
    cabinets = []
    for cabinet_id, cab in runtime.cabinets.items():
        cabinet = site.cabinets.get(cabinet_id)
        compartments = cabinet.compartments if cabinet else []
        stock = site.stock.get(cabinet_id)
        cabinets.append(
            {
                "cabinet_id": cabinet_id,
                "name": cab.name,
                "online": cab.driver.state.available,
                "compartments": [
                    {
                        "number": c.number,
                        "size": c.size.value,
                        "contents": c.contents.value,
                        "door_open": c.door_open,
                        "locked": c.locked,
                        "out_of_service": c.out_of_service,
                        "order_id": c.order_id,
                    }
                    for c in compartments
                ],
                "stock": [
                    {
                        "sku": item.sku,
                        "name": item.name,
                        "on_hand": stock.on_hand.get(item.sku, 0) if stock else 0,
                        "low": bool(stock and item.sku in stock.low),
                    }
                    for item in site.supplies
                ],
            }
        )
    return {
        "orders": [order_view(runtime, o) for o in open_orders],
        "by_state": by_state,
        "escalations": [order_view(runtime, o) for o in site.escalated_orders()],
        "cabinets": cabinets,
        "workers": workers,
        "response_times": {
            "count": stats.count,
            "mean_seconds": (
                round(stats.mean.total_seconds()) if stats.mean is not None else None
            ),
            "p90_seconds": (
                round(stats.p90.total_seconds()) if stats.p90 is not None else None
            ),
        },
    }
