"""A test-only integration: runs Door Service actions for a test over loopback TCP.

The crash test starts a real ``hass`` process with this integration in its config
directory. Once every Door Service site is loaded, the integration listens on
127.0.0.1 at the port in ``CRASHPROBE_PORT``; each line it receives is a JSON
``{"service": ..., "data": {...}}``, which it runs as ``doorservice.<service>``
(blocking, with response) and answers with one JSON line.
The test kills the process right after an answer arrives.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.typing import ConfigType

DOMAIN = "crashprobe"


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Listen once Home Assistant has started."""

    async def handle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        while line := await reader.readline():
            request = json.loads(line)
            answer: dict[str, Any]
            try:
                response = await hass.services.async_call(
                    "doorservice",
                    request["service"],
                    request.get("data", {}),
                    blocking=True,
                    return_response=True,
                )
                answer = {"ok": True, "response": response}
            except HomeAssistantError as err:
                answer = {"ok": False, "error": str(err)}
            writer.write((json.dumps(answer, default=str) + "\n").encode())
            await writer.drain()
        writer.close()

    async def start() -> None:
        entries = hass.config_entries.async_entries("doorservice")
        while not entries or any(
            entry.state is not ConfigEntryState.LOADED for entry in entries
        ):
            await asyncio.sleep(0.1)
            entries = hass.config_entries.async_entries("doorservice")
        hass.data[DOMAIN] = await asyncio.start_server(
            handle, "127.0.0.1", int(os.environ["CRASHPROBE_PORT"])
        )

    hass.async_create_background_task(start(), "crashprobe")
    return True
