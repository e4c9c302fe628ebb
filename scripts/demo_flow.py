"""Walk an order on the running demo site, as a person and a phone would.

Usage: .venv/bin/python scripts/demo_flow.py [http://127.0.0.1:8123]
Books a cleaning at Lakeside Home, answers Anna's offer with the Companion app's
notification action (the `mobile_app_notification_action` event her phone would
send), then starts and completes the order, printing each step's state.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
import itertools
import sys
from typing import Any

import aiohttp

from scripts.demo_probe import _token

SITE = "Lakeside Home"
WORKER = "Anna"


class Client:
    """A tiny Home Assistant websocket client."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an authenticated websocket."""
        self._ws = ws
        self._ids = itertools.count(1)

    async def send(self, **message: Any) -> Any:
        """Send a command and return its result (raise on an error)."""
        msg_id = next(self._ids)
        await self._ws.send_json({"id": msg_id, **message})
        while True:
            reply = await self._ws.receive_json()
            if reply.get("id") == msg_id and reply.get("type") == "result":
                if not reply["success"]:
                    raise RuntimeError(reply["error"])
                return reply["result"]

    async def action(self, service: str, **data: Any) -> Any:
        """Call a Door Service action and return its response."""
        result = await self.send(
            type="call_service",
            domain="doorservice",
            service=service,
            service_data=data,
            return_response=True,
        )
        return result["response"]


async def walk(base: str) -> None:
    """Book, accept from the phone, start and complete."""
    async with aiohttp.ClientSession() as session:
        token = await _token(session, base)
        async with session.ws_connect(f"{base}/api/websocket") as ws:
            await ws.receive_json()
            await ws.send_json({"type": "auth", "access_token": token})
            await ws.receive_json()
            client = Client(ws)
            entries = await client.send(type="config_entries/get", domain="doorservice")
            entry = next(e for e in entries if e["title"] == SITE)
            subentries = await client.send(
                type="config_entries/subentries/list", entry_id=entry["entry_id"]
            )
            anna = next(s for s in subentries if s["title"] == WORKER)
            booked = await client.action(
                "book_cleaning",
                site=SITE,
                address="12 Lake Road",
                start=(datetime.now(UTC) + timedelta(days=3)).isoformat(),
                contact_phone="+49 170 1234567",
                message="Please water the plants",
            )
            order = booked["order"]
            print(
                f"booked    {order['order_id']}: {order['state']}, "
                f"offered to {order['offered_to']}"
            )
            action = "|".join(
                (
                    "DOORSERVICE",
                    "ACCEPT",
                    entry["entry_id"],
                    order["order_id"],
                    anna["subentry_id"],
                )
            )
            await client.send(
                type="fire_event",
                event_type="mobile_app_notification_action",
                event_data={"action": action},
            )
            await asyncio.sleep(0.5)
            found = await client.action("get_orders", site=SITE, worker=WORKER)
            accepted = next(
                o for o in found["orders"] if o["order_id"] == order["order_id"]
            )
            print(
                f"phone     Accept tapped -> {accepted['state']}"
                f" by {accepted['worker']}"
            )
            for step in ("start_order", "complete_order"):
                result = await client.action(
                    step, order_id=order["order_id"], worker=WORKER
                )
                print(f"{step:<9} -> {result['order']['state']}")
            history = result["order"]["history"]
            print(
                "history   "
                + " -> ".join(f"{h['state']} ({h['actor']})" for h in history)
            )


if __name__ == "__main__":
    asyncio.run(walk(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8123"))
