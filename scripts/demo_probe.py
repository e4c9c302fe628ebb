"""Log in to a running Home Assistant with the demo login and list Door Service.

Usage: .venv/bin/python scripts/demo_probe.py [http://127.0.0.1:8123]
Prints every Door Service device with its entities and their states, as a person
logged in to the frontend would see them.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import aiohttp

USER, PASSWORD = "demo", "doorservice"


async def _token(session: aiohttp.ClientSession, base: str) -> str:
    client_id = f"{base}/"
    async with session.post(
        f"{base}/auth/login_flow",
        json={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{base}/?auth_callback=1",
        },
    ) as resp:
        flow = await resp.json()
    async with session.post(
        f"{base}/auth/login_flow/{flow['flow_id']}",
        json={"username": USER, "password": PASSWORD, "client_id": client_id},
    ) as resp:
        result = await resp.json()
    async with session.post(
        f"{base}/auth/token",
        data={
            "grant_type": "authorization_code",
            "code": result["result"],
            "client_id": client_id,
        },
    ) as resp:
        return str((await resp.json())["access_token"])


async def probe(base: str) -> int:
    """Print the Door Service devices and entities; return the device count."""
    async with aiohttp.ClientSession() as session:
        token = await _token(session, base)
        async with session.ws_connect(f"{base}/api/websocket") as ws:
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": token})
            await ws.receive_json()
            results: dict[str, Any] = {}
            for msg_id, kind in enumerate(
                (
                    "config/device_registry/list",
                    "config/entity_registry/list",
                    "get_states",
                ),
                start=1,
            ):
                await ws.send_json({"id": msg_id, "type": kind})
                results[kind] = (await ws.receive_json())["result"]
    entities = [
        e
        for e in results["config/entity_registry/list"]
        if e["platform"] == "doorservice"
    ]
    states = {s["entity_id"]: s["state"] for s in results["get_states"]}
    devices = [
        d
        for d in results["config/device_registry/list"]
        if any(i[0] == "doorservice" for i in d["identifiers"])
    ]
    for device in devices:
        print(f"{device['name']} ({device['model']})")
        for entity in results["config/entity_registry/list"]:
            if entity["device_id"] == device["id"]:
                eid = entity["entity_id"]
                print(f"    {eid}: {states.get(eid, 'not in the state machine')}")
    print(f"{len(devices)} Door Service devices, {len(entities)} entities")
    return len(devices)


if __name__ == "__main__":
    asyncio.run(probe(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8123"))
