"""Walk a hotel stay on the running demo site: check-in to check-out.

Usage: .venv/bin/python scripts/demo_room_flow.py [http://127.0.0.1:8123]
Checks a guest into Room 101 of Hotel Aurora, turns the AC, curtain and light on as
the guest, orders a paid laundry, lets housekeeper Mei accept, start and complete
it, and checks out: the folio comes back in the response and the appliances reset.

Safe to run again and again, and right after Home Assistant starts: it waits for the
room to be loaded, checks out a guest an earlier (interrupted) run left in the room,
and offers the request to Mei when the site's dispatch does not.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import aiohttp

from scripts.demo_flow import Client
from scripts.demo_probe import _token

ROOM, WORKER = "Room 101", "Mei"
LOADED_WITHIN = 60  # seconds Home Assistant may take to load the demo sites


def _refusal(err: RuntimeError) -> str | None:
    """Return the translation key of a refused action (None: another error)."""
    error = err.args[0] if err.args else None
    return error.get("translation_key") if isinstance(error, dict) else None


async def check_in(client: Client) -> Any:
    """Check a guest in; first wait for the room, and end a stay left behind."""
    for _ in range(LOADED_WITHIN):
        try:
            return await client.action(
                "check_in", room=ROOM, guest_name="Li Wei", language="zh-Hans"
            )
        except RuntimeError as err:
            if _refusal(err) == "room_occupied":
                folio = await client.action("check_out", room=ROOM)
                print(f"check_out  -> a stay left by an earlier run: {folio}")
            elif _refusal(err) in ("unknown_room", "unknown_site", "service_not_found"):
                await asyncio.sleep(1)  # the site is still loading
            else:
                raise
    raise RuntimeError(f"{ROOM} did not load within {LOADED_WITHIN} s")


async def walk(base: str) -> None:
    """Check in, request, work, check out."""
    async with aiohttp.ClientSession() as session:
        token = await _token(session, base)
        async with session.ws_connect(f"{base}/api/websocket") as ws:
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": token})
            await ws.receive_json()
            client = Client(ws)

            async def states(*entity_ids: str) -> dict[str, Any]:
                found = await client.send(type="get_states")
                return {
                    s["entity_id"]: s["state"]
                    for s in found
                    if s["entity_id"] in entity_ids
                }

            stay = await check_in(client)
            print(f"check_in   -> {stay}")
            for domain, service, data in (
                ("climate", "set_hvac_mode", {"hvac_mode": "auto"}),
                ("cover", "open_cover", {}),
                ("light", "turn_on", {}),
            ):
                entity = {
                    "climate": "climate.room_101_air_conditioning",
                    "cover": "cover.room_101_curtain",
                    "light": "light.room_101_light",
                }[domain]
                await client.send(
                    type="call_service",
                    domain=domain,
                    service=service,
                    service_data={"entity_id": entity, **data},
                )
            print("guest      -> AC auto, curtain open, light on")
            catalog = await client.action("get_catalog", room=ROOM)
            laundry = next(
                t for t in catalog["service_types"] if t["service_type"] == "laundry"
            )
            print(f"catalog    -> laundry {laundry['price']} {catalog['currency']}")
            order = (
                await client.action(
                    "request_service", room=ROOM, service_type="laundry", quantity=2
                )
            )["order"]
            print(
                f"request    -> {order['order_id']} {order['state']}, "
                f"{order['total_price']} {order['currency']}"
            )
            if order["state"] != "offered":  # e.g. manual dispatch: a manager assigns
                order = (
                    await client.action(
                        "assign_order", order_id=order["order_id"], worker=WORKER
                    )
                )["order"]
                print(f"assign     -> {order['state']} to {WORKER}")
            for step in ("accept_order", "start_order", "complete_order"):
                result = await client.action(
                    step, order_id=order["order_id"], worker=WORKER
                )
                room_view = await states(
                    "sensor.room_101_last_request", "sensor.room_101_open_bill"
                )
                print(
                    f"{step:<14} -> {result['order']['state']}; room sees {room_view}"
                )
            folio = await client.action("check_out", room=ROOM)
            print(f"check_out  -> {folio}")
            appliances = await states(
                "climate.room_101_air_conditioning",
                "cover.room_101_curtain",
                "light.room_101_light",
            )
            print(f"appliances -> {appliances}")


if __name__ == "__main__":
    asyncio.run(walk(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8123"))
