"""A real restart in the middle of a stay: the folio and pending orders survive."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from custom_components.doorservice.const import DOMAIN
from homeassistant.core import HomeAssistant

from .conftest import room, worker
from .test_restart import running_hass

APPLIANCES = [{"id": "light", "name": "Light", "kind": "light"}]


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Use no harness instance here: its storage is an in-memory mock."""


async def _call(hass: HomeAssistant, service: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def _work(hass: HomeAssistant, order_id: str, *steps: str) -> None:
    for step in steps:
        await _call(hass, f"{step}_order", order_id=order_id, worker="Mei")


async def _create_hotel(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "Hotel Aurora", "site_type": "hotel", "currency": "EUR"},
    )
    entry = result["result"]
    for sub in (
        room("Room 101", appliances=APPLIANCES),
        worker("Mei", "housekeeping"),
    ):
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, sub["subentry_type"]), context={"source": "user"}
        )
        await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": sub["title"], **sub["data"]}
        )
    await hass.async_block_till_done()
    return str(entry.entry_id)


async def test_stay_survives_a_real_restart(tmp_path: Path) -> None:
    async with running_hass(tmp_path) as first:
        entry_id = await _create_hotel(first)
        await _call(first, "check_in", room="Room 101", guest_name="Ada")
        await first.services.async_call(
            "light", "turn_on", {"entity_id": "light.room_101_light"}, blocking=True
        )
        billed = (
            await _call(
                first, "request_service", room="Room 101", service_type="laundry"
            )
        )["order"]["order_id"]
        await _work(first, billed, "accept", "start", "complete")
        pending = (
            await _call(
                first, "request_service", room="Room 101", service_type="minibar"
            )
        )["order"]["order_id"]
        await _work(first, pending, "accept")
        assert Decimal(first.states.get("sensor.room_101_open_bill").state) == 15

    async with running_hass(tmp_path) as second:
        assert await second.config_entries.async_setup(entry_id)
        await second.async_block_till_done()
        assert second.states.get("binary_sensor.room_101_stay").state == "on"
        assert Decimal(second.states.get("sensor.room_101_open_bill").state) == 15
        assert second.states.get("light.room_101_light").state == "on"
        await _work(second, pending, "start", "complete")
        assert Decimal(second.states.get("sensor.room_101_open_bill").state) == 35
        folio = (await _call(second, "check_out", room="Room 101"))["folio"]
        assert [line["order_id"] for line in folio["lines"]] == [billed, pending]
        assert folio["total"] == "35.00"
        assert await second.config_entries.async_unload(entry_id)
