"""The cabinet flow's driver steps (entities, MQTT) and every error they show."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr

from .conftest import setup_entry, site_entry

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])

ENTITIES: dict[str, Any] = {"pulse": 2, "confirm_timeout": 5, "doors": []}


def _entities(hass: HomeAssistant) -> None:
    for n in (1, 2):
        hass.states.async_set(f"lock.c{n}", "locked")
        hass.states.async_set(f"binary_sensor.d{n}", "off")
    hass.states.async_set("switch.s1", "off")


async def _first_step(
    hass: HomeAssistant, entry: MockConfigEntry, driver: str
) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "cabinet"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Board", "compartments": 2, "driver": driver}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == driver
    return dict(result)


async def test_entities_step_errors_then_creates(hass: HomeAssistant) -> None:
    _entities(hass)
    entry = await setup_entry(hass, site_entry("Lakeside"))
    esphome = MockConfigEntry(domain="esphome", data={"device_name": "cab"})
    esphome.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=esphome.entry_id, identifiers={("esphome", "cab")}
    )
    result = await _first_step(hass, entry, "entities")
    assert result["description_placeholders"] == {"compartments": "2"}
    configure = hass.config_entries.subentries.async_configure
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"locks": ["lock.c1"]}, {"locks": "lock_count_mismatch"}),
        ({"locks": ["lock.c1", "lock.nope"]}, {"locks": "entity_not_found"}),
        (
            {"locks": ["lock.c1", "lock.c2"], "doors": ["binary_sensor.d1"]},
            {"doors": "door_count_mismatch"},
        ),
        ({"locks": ["lock.c1", "lock.c1"]}, {"base": "duplicate_entity"}),
        (
            {"locks": ["lock.c1", "switch.s1"], "board_device": "nope"},
            {"board_device": "device_not_found"},
        ),
        (
            {"locks": ["lock.c1", "switch.s1"], "pulse": 1.5, "confirm_timeout": 2.5},
            {"pulse": "invalid_seconds", "confirm_timeout": "invalid_seconds"},
        ),
    ]
    for user_input, errors in cases:
        result = await configure(result["flow_id"], {**ENTITIES, **user_input})
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == errors, user_input
    # Wrong domains (the entity selector refuses them before the flow sees them).
    handler = hass.config_entries.subentries._progress[result["flow_id"]]
    errors: dict[str, str] = {}
    handler._validate_entities(
        {**ENTITIES, "locks": ["lock.c1", "sensor.x"], "doors": ["lock.c1", "lock.c2"]},
        errors,
    )
    assert errors == {"locks": "invalid_lock_entity", "doors": "invalid_door_entity"}
    result = await configure(
        result["flow_id"],
        {
            **ENTITIES,
            "locks": ["lock.c1", "switch.s1"],
            "doors": ["binary_sensor.d1", "binary_sensor.d2"],
            "board_device": device.id,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {
        "compartments": 2,
        "driver": "entities",
        "locks": ["lock.c1", "switch.s1"],
        "doors": ["binary_sensor.d1", "binary_sensor.d2"],
        "board_device": device.id,
        "pulse": 2,
        "confirm_timeout": 5,
    }
    assert hass.states.get("lock.board_compartment_2").state == "locked"
    assert hass.states.get("binary_sensor.board_board").state == "on"

    # Reconfigure: the saved mapping is the default; change the doors away.
    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    result = await configure(
        result["flow_id"], {"name": "Board", "compartments": 2, "driver": "entities"}
    )
    assert result["step_id"] == "entities"
    defaults = {
        str(key): key.default()
        for key in result["data_schema"].schema
        if callable(getattr(key, "default", None))
    }
    assert defaults["locks"] == ["lock.c1", "switch.s1"]
    result = await configure(
        result["flow_id"], {**ENTITIES, "locks": ["lock.c2", "lock.c1"]}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries[sub.subentry_id].data["doors"] == []
    assert entry.subentries[sub.subentry_id].data["locks"] == ["lock.c2", "lock.c1"]


async def test_mqtt_step_needs_mqtt(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside"))
    result = await _first_step(hass, entry, "mqtt")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"topic_prefix": "cab", "confirm_timeout": 5}
    )
    assert result["errors"] == {"base": "mqtt_not_configured"}


async def test_mqtt_step_errors_then_creates(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside"))
    result = await _first_step(hass, entry, "mqtt")
    configure = hass.config_entries.subentries.async_configure
    for prefix in ("", "cab/+", "cab/#", "/cab", "cab/", "a//b"):
        result = await configure(
            result["flow_id"], {"topic_prefix": prefix, "confirm_timeout": 5}
        )
        assert result["errors"] == {"topic_prefix": "invalid_topic_prefix"}, prefix
    result = await configure(
        result["flow_id"], {"topic_prefix": "cab", "confirm_timeout": 4.5}
    )
    assert result["errors"] == {"confirm_timeout": "invalid_seconds"}
    result = await configure(
        result["flow_id"], {"topic_prefix": " doorservice/lobby ", "confirm_timeout": 3}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {
        "compartments": 2,
        "driver": "mqtt",
        "topic_prefix": "doorservice/lobby",
        "confirm_timeout": 3,
    }
    # No board has said online yet.
    assert hass.states.get("lock.board_compartment_1").state == "unavailable"

    # Reconfigure to another driver drops the MQTT settings.
    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    result = await configure(
        result["flow_id"], {"name": "Board", "compartments": 2, "driver": "mqtt"}
    )
    defaults = {
        str(key): key.default()
        for key in result["data_schema"].schema
        if callable(getattr(key, "default", None))
    }
    assert defaults["topic_prefix"] == "doorservice/lobby"
    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    result = await configure(
        result["flow_id"], {"name": "Board", "compartments": 2, "driver": "virtual"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries[sub.subentry_id].data == {
        "compartments": 2,
        "driver": "virtual",
    }


async def test_unknown_driver_value(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside"))
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "cabinet"), context={"source": SOURCE_USER}
    )
    handler = hass.config_entries.subentries._progress[result["flow_id"]]
    errors: dict[str, str] = {}
    handler._validate({"compartments": 2, "driver": "carrier_pigeon"}, errors)
    assert errors == {"driver": "invalid_driver"}
