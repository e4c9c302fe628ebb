"""The faces: the cards' bundle is served and loaded; each face shows only its own.

The cards read everything through ``doorservice/faces`` and
``doorservice/subscribe_face`` (``faces.py``); these tests walk them with real Home
Assistant users over a real websocket, the way the cards do.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil
import subprocess
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.doorservice.const import (
    CONF_USER_ID,
    CONF_USERS,
    DOMAIN,
)
from custom_components.doorservice.faces import (
    BUNDLE,
    STATIC_URL,
    _key_info,
    order_view,
)
from homeassistant.auth.models import User
from homeassistant.components.frontend import DATA_EXTRA_MODULE_URL
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import cabinet, room, setup_entry, site_entry, worker

ROOT = Path(__file__).resolve().parents[1]
APPLIANCES = [{"id": "light", "name": "Light", "kind": "light"}]
ELEMENTS = (
    "doorservice-room-card",
    "doorservice-staff-card",
    "doorservice-manager-card",
    "doorservice-room-card-editor",
    "doorservice-staff-card-editor",
    "doorservice-manager-card-editor",
    "ll-strategy-dashboard-doorservice",
)


async def _hotel(hass: HomeAssistant) -> tuple[MockConfigEntry, dict[str, User]]:
    users = {
        name: await hass.auth.async_create_user(name, group_ids=["system-users"])
        for name in ("room_101", "room_102", "mei", "nobody")
    }
    entry = await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [
                cabinet("Lobby cabinet", 4),
                room(
                    "Room 101",
                    "1st floor",
                    appliances=APPLIANCES,
                    **{CONF_USERS: [users["room_101"].id]},
                ),
                room("Room 102", **{CONF_USERS: [users["room_102"].id]}),
                worker("Mei", "housekeeping", **{CONF_USER_ID: users["mei"].id}),
                worker("Tom", "maintenance"),
            ],
        ),
    )
    return entry, users


async def _client(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator, user: User | None
) -> MockHAClientWebSocket:
    """Return a websocket of ``user`` (None: the test's administrator)."""
    if user is None:
        return await hass_ws_client(hass)
    refresh = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    return await hass_ws_client(hass, hass.auth.async_create_access_token(refresh))


async def _call(
    hass: HomeAssistant, user: User | None, action: str, data: dict[str, Any]
) -> None:
    await hass.services.async_call(
        DOMAIN,
        action,
        data,
        blocking=True,
        context=Context(user_id=user.id if user else None),
    )
    await hass.async_block_till_done()


async def _subscribe(ws: MockHAClientWebSocket, **message: Any) -> dict[str, Any]:
    """Subscribe to a face; return its first snapshot."""
    await ws.send_json_auto_id({"type": "doorservice/subscribe_face", **message})
    result = await ws.receive_json()
    assert result["success"], result
    event = await ws.receive_json()
    assert event["type"] == "event"
    return event["event"]


async def _refused(ws: MockHAClientWebSocket, **message: Any) -> str:
    await ws.send_json_auto_id({"type": "doorservice/subscribe_face", **message})
    result = await ws.receive_json()
    assert not result["success"]
    return str(result["error"]["code"])


async def _next(ws: MockHAClientWebSocket) -> dict[str, Any]:
    event = await ws.receive_json()
    assert event["type"] == "event"
    return event["event"]


async def test_bundle_served_and_loaded(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """The frontend loads the cards' module from the integration's static path."""
    assert await async_setup_component(hass, "frontend", {})
    await _hotel(hass)
    urls = [u for u in hass.data[DATA_EXTRA_MODULE_URL].urls if STATIC_URL in u]
    assert len(urls) == 1
    assert urls[0].startswith(f"{STATIC_URL}?v=")
    client = await hass_client()
    response = await client.get(urls[0])
    assert response.status == 200
    assert response.content_type in ("application/javascript", "text/javascript")
    body = await response.read()
    assert body == BUNDLE.read_bytes()
    text = body.decode()
    for element in ELEMENTS:
        assert f'"{element}"' in text, element


async def test_without_frontend_nothing_loads(hass: HomeAssistant) -> None:
    """Without the frontend (e.g. in these tests) the commands exist, nothing loads."""
    await _hotel(hass)
    assert "frontend" not in hass.config.components
    assert DATA_EXTRA_MODULE_URL not in hass.data
    assert "doorservice/subscribe_face" in hass.data["websocket_api"]


@pytest.mark.skipif(
    shutil.which("node") is None
    or not (ROOT / "frontend" / "node_modules" / ".bin" / "esbuild").exists(),
    reason="node and the frontend's npm packages are not installed",
)
def test_committed_bundle_is_built_from_the_sources(tmp_path: Path) -> None:
    """The committed bundle is what ``npm run build`` makes of frontend/src."""
    out = tmp_path / "cards.js"
    subprocess.run(
        ["npm", "run", "--silent", "build", "--", f"--outfile={out}"],
        cwd=ROOT / "frontend",
        check=True,
        timeout=120,
    )
    assert out.read_bytes() == BUNDLE.read_bytes(), (
        "run `npm run build` in frontend/ and commit the bundle"
    )


async def test_faces_of_each_user(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """Each user is told only the rooms, workers and boards that are theirs."""
    entry, users = await _hotel(hass)

    async def faces(user: User | None) -> dict[str, Any]:
        ws = await _client(hass, hass_ws_client, user)
        await ws.send_json_auto_id({"type": "doorservice/faces"})
        result = await ws.receive_json()
        assert result["success"]
        return dict(result["result"])

    admin = await faces(None)
    assert admin["roles"] == ["manager"]
    [site] = admin["sites"]
    assert site["manager"] is True
    assert [r["name"] for r in site["rooms"]] == ["Room 101", "Room 102"]
    assert [w["name"] for w in site["workers"]] == ["Mei", "Tom"]

    terminal = await faces(users["room_101"])
    assert terminal["roles"] == ["room_terminal"]
    [site] = terminal["sites"]
    assert site["site"] == entry.entry_id
    assert site["manager"] is False
    assert [r["name"] for r in site["rooms"]] == ["Room 101"]
    assert site["workers"] == []

    staff = await faces(users["mei"])
    assert staff["roles"] == ["staff"]
    assert [w["name"] for w in staff["sites"][0]["workers"]] == ["Mei"]
    assert staff["sites"][0]["rooms"] == []

    assert await faces(users["nobody"]) == {"roles": [], "sites": []}


async def test_faces_refuse_what_is_not_theirs(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """A room terminal sees its room only; staff their own work; managers the board."""
    _entry, users = await _hotel(hass)
    room_ws = await _client(hass, hass_ws_client, users["room_101"])
    assert await _refused(room_ws, face="room", room="Room 102") == "unauthorized"
    assert await _refused(room_ws, face="manager") == "unauthorized"
    assert await _refused(room_ws, face="staff") == "unauthorized"
    assert await _refused(room_ws, face="room", room="Room 999") == "unauthorized"
    staff_ws = await _client(hass, hass_ws_client, users["mei"])
    assert await _refused(staff_ws, face="staff", worker="Tom") == "unauthorized"
    assert await _refused(staff_ws, face="room", room="Room 101") == "unauthorized"
    nobody = await _client(hass, hass_ws_client, users["nobody"])
    assert await _refused(nobody, face="room") == "unauthorized"
    admin = await _client(hass, hass_ws_client, None)
    assert await _refused(admin, face="room", room="Room 999") == "not_found"
    assert await _refused(admin, face="manager", site="Elsewhere") == "not_found"


async def test_request_walk_through_the_faces(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """Towels: asked for on the room, accepted and done by staff, seen by managers."""
    _entry, users = await _hotel(hass)
    room_ws = await _client(hass, hass_ws_client, users["room_101"])
    room_face = await _subscribe(room_ws, face="room")
    assert room_face["room"] == "Room 101"
    assert room_face["stay"] is None
    assert room_face["may_request"] is False  # a hotel room without a stay
    assert room_face["appliances"] is None
    assert room_face["bill"] is None
    assert room_face["handedness"] == "right"
    assert room_face["handedness_entity"].startswith("select.")

    await _call(hass, None, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    room_face = await _next(room_ws)
    assert room_face["stay"]["authorized"] is True
    assert room_face["may_request"] is True
    assert [a["appliance"] for a in room_face["appliances"]] == ["light"]
    assert room_face["bill"] == {"currency": "EUR", "total": "0.00", "lines": []}
    towels = next(t for t in room_face["catalog"] if t["service_type"] == "towels")
    assert towels["category"] == "linen"
    assert towels["names"] == {"zh-Hans": "干净毛巾"}

    staff_ws = await _client(hass, hass_ws_client, users["mei"])
    staff_face = await _subscribe(staff_ws, face="staff")
    assert staff_face["worker"] == "Mei"
    assert staff_face["orders"] == []
    assert "linen" in staff_face["categories"]

    await _call(
        hass,
        users["room_101"],
        "request_service",
        {"room": "Room 101", "service_type": "towels"},
    )
    room_face = await _next(room_ws)
    [request] = room_face["requests"]
    assert request["service"] == "Fresh towels"
    assert request["state"] == "offered"
    assert request["eta"] is not None
    staff_face = await _next(staff_ws)
    [offer] = staff_face["orders"]
    assert offer["offered"] is True
    assert offer["category"] == "linen"
    assert "key" not in offer  # details of their own orders only
    order_id = offer["order_id"]

    await _call(
        hass,
        users["mei"],
        "accept_order",
        {"order_id": order_id, "worker": staff_face["worker_id"]},
    )
    staff_face = await _next(staff_ws)
    [mine] = staff_face["orders"]
    assert mine["mine"] is True
    assert mine["state"] == "accepted"
    assert mine["key"] is None
    [served] = staff_face["rooms"]
    assert served["room"] == "Room 101"
    assert [a["appliance"] for a in served["appliances"]] == ["light"]
    room_face = await _next(room_ws)
    assert room_face["requests"][0]["state"] == "accepted"
    assert room_face["requests"][0]["worker"] == "Mei"

    for action in ("start_order", "complete_order"):
        await _call(
            hass,
            users["mei"],
            action,
            {"order_id": order_id, "worker": staff_face["worker_id"]},
        )
    staff_face = await _next(staff_ws)
    assert staff_face["orders"] == []
    room_face = await _next(room_ws)
    assert room_face["requests"] == []
    [done] = room_face["finished"]
    assert done["state"] in ("completed", "closed")
    assert done["done_at"] is not None
    assert done["worker"] == "Mei"

    manager_ws = await _client(hass, hass_ws_client, None)
    board = await _subscribe(manager_ws, face="manager")
    assert board["by_state"] == {}
    mei = next(w for w in board["workers"] if w["worker"] == "Mei")
    assert mei["accepted"] == 1
    assert mei["mean_response_seconds"] is not None
    assert board["response_times"]["count"] == 1
    [cab] = board["cabinets"]
    assert cab["name"] == "Lobby cabinet"
    assert cab["online"] is True
    assert len(cab["compartments"]) == 4
    assert {item["sku"] for item in cab["stock"]}

    # Unsubscribing stops the pushes.
    await room_ws.send_json_auto_id({"type": "unsubscribe_events", "subscription": 1})
    assert (await room_ws.receive_json())["success"]


async def test_manager_board_shows_open_orders_and_paid_bill(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """Open orders by state with their SLA; a paid request lands on the bill."""
    _entry, users = await _hotel(hass)
    await _call(hass, None, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    await _call(
        hass,
        users["room_101"],
        "request_service",
        {"room": "Room 101", "service_type": "laundry", "quantity": 2},
    )
    manager_ws = await _client(hass, hass_ws_client, None)
    board = await _subscribe(manager_ws, face="manager", site="Hotel Aurora")
    assert board["by_state"] == {"offered": 1}
    [order] = board["orders"]
    assert order["service"] == "Laundry"
    assert order["due_at"] is not None
    assert order["overdue"] is False
    assert order["total_price"] == "30.00"
    room_ws = await _client(hass, hass_ws_client, None)
    room_face = await _subscribe(room_ws, face="room", room="Room 101")
    assert room_face["requests"][0]["quantity"] == 2
    assert room_face["appliances"] is not None


async def test_staff_face_of_a_keyed_visit(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """A worker sees where the key of their own visit is, never a code."""
    anna = await hass.auth.async_create_user("anna", group_ids=["system-users"])
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            "home",
            [
                cabinet("Lobby cabinet", 4),
                worker("Anna", "cleaning", **{CONF_USER_ID: anna.id}),
            ],
        ),
    )
    booked = await hass.services.async_call(
        DOMAIN,
        "book_cleaning",
        {
            "address": "1 Lake Road",
            "start": (dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
            "store_key": True,
        },
        blocking=True,
        return_response=True,
    )
    assert isinstance(booked, dict)
    order_id = booked["order"]["order_id"]
    staff_ws = await _client(hass, hass_ws_client, anna)
    face = await _subscribe(staff_ws, face="staff", worker="Anna")
    assert face["orders"] == []  # the key is not in the cabinet yet
    runtime = entry.runtime_data
    order = runtime.site.order(order_id)
    key = _key_info(runtime, order)
    assert key is not None
    assert key["has_key"] is True
    assert key["compartments"] == [{"cabinet": "Lobby cabinet", "number": 1}]
    assert key["holder"]["kind"] in ("owner", "compartment")
    assert "code" not in key
    # Another worker's orders show no key at all; an order without key none.
    view = order_view(runtime, order)
    assert "key" not in view
    assert view["state"] == "awaiting_dropoff"
    assert view["due_at"] is not None


async def test_subscription_ends_with_its_site(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> None:
    """Unloading a site ends its faces' subscriptions (the cards subscribe anew)."""
    entry, users = await _hotel(hass)
    room_ws = await _client(hass, hass_ws_client, users["room_101"])
    await _subscribe(room_ws, face="room", site="Hotel Aurora", room="Room 101")
    runtime = entry.runtime_data
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert runtime.stopped
    assert await _next(room_ws) == {"ended": True}
    runtime.async_notify_all()  # a late change of a stopped site sends nothing
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    await room_ws.send_json_auto_id({"type": "doorservice/faces"})
    answer = await room_ws.receive_json()
    assert answer["type"] == "result"  # no snapshot came before it
    assert answer["result"] == {"roles": [], "sites": []}
    assert hass.data["doorservice_face_enders"] == {}
