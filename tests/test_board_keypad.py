"""ESPHome keypad events reach the code path exactly once.

A board adopted through Home Assistant's ``esphome`` integration fires
``esphome.doorservice_code_entered`` with its ``device_id``. When the cabinet's driver
follows its board (the ``entities`` driver with a ``board_device``), the driver reports
the entry; nothing else may pass the same event on, or a code is entered twice (the
second entry refused as already used, a wrong code counted twice towards the keypad
lockout).
"""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import DOMAIN, EVENT_CODE
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from .conftest import setup_entry, site_entry, worker


def board_device(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> str:
    board_entry = MockConfigEntry(domain="esphome")
    board_entry.add_to_hass(hass)
    return device_registry.async_get_or_create(
        config_entry_id=board_entry.entry_id, identifiers={("esphome", "cabinet")}
    ).id


async def test_keypad_event_of_an_entities_board_is_entered_once(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="custom_components.doorservice")
    device_id = board_device(hass, device_registry)
    for lock in ("lock.c1", "lock.c2"):
        hass.states.async_set(lock, "locked")

    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            subentries=[
                ConfigSubentryData(
                    subentry_type="cabinet",
                    title="Board",
                    unique_id=None,
                    data={
                        "compartments": 2,
                        "driver": "entities",
                        "locks": ["lock.c1", "lock.c2"],
                        "board_device": device_id,
                        "confirm_timeout": 1,
                    },
                ),
                worker("Anna", "cleaning"),
            ],
        ),
    )
    cabinet = next(iter(entry.runtime_data.cabinets.values()))
    assert cabinet.driver.follows_board_events

    async def unlock(call: ServiceCall) -> None:
        # The board: its lock entity reports the unlock (after our lock platform
        # registered the real service, which this replaces).
        hass.states.async_set(call.data["entity_id"], "unlocked")

    hass.services.async_register("lock", "unlock", unlock)
    used: list[Event] = []
    hass.bus.async_listen(EVENT_CODE, callback(lambda e: used.append(e)))
    response = await hass.services.async_call(
        DOMAIN,
        "book_cleaning",
        {
            "address": "1 Lake Road",
            "start": (dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
            "contact_phone": "+49 170 1234567",
            "store_key": True,
        },
        blocking=True,
        return_response=True,
    )
    assert response is not None
    codes: Any = response["codes"]
    pin = codes[0]["pin"]
    order: Any = response["order"]

    wrong = "000000" if pin != "000000" else "111111"
    hass.bus.async_fire(
        "esphome.doorservice_code_entered", {"code": wrong, "device_id": device_id}
    )
    await hass.async_block_till_done()
    assert [e.data["result"] for e in used] == ["rejected"]

    hass.bus.async_fire(
        "esphome.doorservice_code_entered", {"code": pin, "device_id": device_id}
    )
    await hass.async_block_till_done()
    assert [e.data["result"] for e in used] == ["rejected", "accepted"]
    assert hass.states.get("lock.c1").state == "unlocked"
    assert "code_already_used" not in caplog.text
    assert used[-1].data["order_id"] == order["order_id"]
