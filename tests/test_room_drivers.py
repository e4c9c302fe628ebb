"""Rooms on the entities and MQTT drivers: their flow steps and their appliances."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
    setup_test_component_platform,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.core.events import ApplianceCommand
from custom_components.doorservice.runtime import SiteRuntime
from homeassistant.components.climate import (
    ClimateEntity,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.components.light import ATTR_BRIGHTNESS, ColorMode, LightEntity
from homeassistant.components.switch import SwitchEntity
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from .conftest import room, setup_entry, site_entry, worker

pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])

APPLIANCES = [
    {"id": "light", "name": "Light", "kind": "light", "checkout_state": "off"},
    {"id": "lamp", "name": "Desk lamp", "kind": "light", "checkout_state": "off"},
    {
        "id": "ac",
        "name": "Air conditioning",
        "kind": "climate",
        "checkout_state": "off",
    },
    {"id": "tv", "name": "TV", "kind": "switch", "checkout_state": "off"},
]
ENTITIES = {
    "light": "light.ceiling",
    "lamp": "light.desk",
    "ac": "climate.split",
    "tv": "switch.tv_relay",
}


def _board(hass: HomeAssistant) -> dr.DeviceEntry:
    esphome = MockConfigEntry(domain="esphome", data={"device_name": "room-101"})
    esphome.add_to_hass(hass)
    return dr.async_get(hass).async_get_or_create(
        config_entry_id=esphome.entry_id, identifiers={("esphome", "room-101")}
    )


class FakeSwitch(SwitchEntity):
    """A relay entity of a board (as the ESPHome integration would create it)."""

    _attr_should_poll = False
    _attr_is_on = False
    refuse = False

    def __init__(self, entity_id: str) -> None:
        self.entity_id = entity_id

    async def async_turn_on(self, **kwargs: Any) -> None:
        if self.refuse:
            raise HomeAssistantError("relay stuck")
        self._attr_is_on = True
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        if self.refuse:
            raise HomeAssistantError("relay stuck")
        self._attr_is_on = False
        self.async_write_ha_state()


class FakeLight(LightEntity):
    """A dimmer entity of a board."""

    _attr_should_poll = False
    _attr_is_on = False
    _attr_color_mode = ColorMode.BRIGHTNESS
    _attr_supported_color_modes = {ColorMode.BRIGHTNESS}

    def __init__(self, entity_id: str) -> None:
        self.entity_id = entity_id

    async def async_turn_on(self, **kwargs: Any) -> None:
        self._attr_is_on = True
        self._attr_brightness = kwargs.get(ATTR_BRIGHTNESS, self.brightness or 255)
        self.async_write_ha_state()

    async def async_turn_off(self, **kwargs: Any) -> None:
        self._attr_is_on = False
        self.async_write_ha_state()


class FakeClimate(ClimateEntity):
    """An air conditioner entity of a board."""

    _attr_should_poll = False
    _attr_hvac_mode = HVACMode.OFF
    _attr_hvac_modes = [HVACMode.OFF, HVACMode.AUTO]
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_target_temperature = 21.0
    _attr_supported_features = (
        ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
        | ClimateEntityFeature.TARGET_TEMPERATURE
    )

    def __init__(self, entity_id: str) -> None:
        self.entity_id = entity_id

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        self._attr_hvac_mode = hvac_mode
        self.async_write_ha_state()

    async def async_turn_on(self) -> None:
        await self.async_set_hvac_mode(HVACMode.AUTO)

    async def async_turn_off(self) -> None:
        await self.async_set_hvac_mode(HVACMode.OFF)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        self._attr_target_temperature = kwargs[ATTR_TEMPERATURE]
        self.async_write_ha_state()


async def _board_entities(hass: HomeAssistant) -> dict[str, Any]:
    """Set up real switch, light and climate entities standing for a room board."""
    entities: dict[str, Any] = {
        "light.ceiling": FakeLight("light.ceiling"),
        "light.desk": FakeLight("light.desk"),
        "climate.split": FakeClimate("climate.split"),
        "switch.tv_relay": FakeSwitch("switch.tv_relay"),
    }
    for domain in ("light", "climate", "switch"):
        setup_test_component_platform(
            hass,
            domain,
            [e for key, e in entities.items() if key.startswith(f"{domain}.")],
        )
        assert await async_setup_component(hass, domain, {domain: {"platform": "test"}})
    await hass.async_block_till_done()
    return entities


async def _room_step(
    hass: HomeAssistant, entry: MockConfigEntry, driver: str
) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "room"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Room 101", "appliances": APPLIANCES, "driver": driver},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == driver
    return dict(result)


def _runtime(entry: MockConfigEntry) -> SiteRuntime:
    runtime: SiteRuntime = entry.runtime_data
    return runtime


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


# --- the flow -----------------------------------------------------------------------


async def test_room_entities_step_errors_then_creates(hass: HomeAssistant) -> None:
    await _board_entities(hass)
    board = _board(hass)
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await _room_step(hass, entry, "entities")
    configure = hass.config_entries.subentries.async_configure
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        (
            {"appliance_entities": {**ENTITIES, "lamp": "light.nope"}},
            {"appliance_entities": "entity_not_found"},
        ),
        (
            {"appliance_entities": {**ENTITIES, "lamp": "light.ceiling"}},
            {"appliance_entities": "duplicate_appliance_entity"},
        ),
        (
            {"appliance_entities": ENTITIES, "board_device": "gone"},
            {"board_device": "device_not_found"},
        ),
    ]
    for user_input, errors in cases:
        result = await configure(result["flow_id"], user_input)
        assert result["errors"] == errors, user_input
    # The entity selectors already refuse another domain or a missing appliance.
    for wrong in (
        {**ENTITIES, "tv": "light.desk"},
        {key: value for key, value in ENTITIES.items() if key != "tv"},
    ):
        with pytest.raises(InvalidData):
            await configure(result["flow_id"], {"appliance_entities": wrong})
    result = await configure(
        result["flow_id"], {"appliance_entities": ENTITIES, "board_device": board.id}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data["driver"] == "entities"
    assert sub.data["appliance_entities"] == ENTITIES
    assert sub.data["board_device"] == board.id
    assert hass.states.get("light.room_101_light").state == "off"

    # Reconfiguring on the same driver shows the saved entities.
    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    result = await configure(
        result["flow_id"],
        {"name": "Room 101", "appliances": APPLIANCES, "driver": "entities"},
    )
    keys = {str(key): key for key in result["data_schema"].schema}
    assert keys["appliance_entities"].description == {"suggested_value": ENTITIES}
    result = await configure(result["flow_id"], {"appliance_entities": ENTITIES})
    assert result["reason"] == "reconfigure_successful"
    assert "board_device" not in entry.subentries[sub.subentry_id].data


async def test_room_entities_checks_what_the_selectors_would_refuse(
    hass: HomeAssistant,
) -> None:
    await _board_entities(hass)
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await _room_step(hass, entry, "entities")
    handler = hass.config_entries.subentries._progress[result["flow_id"]]
    for raw, error in (
        ({**ENTITIES, "tv": "light.desk"}, "invalid_appliance_entity"),
        ({**ENTITIES, "tv": ""}, "appliance_entity_missing"),
        (["light.desk"], "appliance_entity_missing"),
    ):
        errors: dict[str, str] = {}
        handler._validate_entities({"appliance_entities": raw}, errors)
        assert errors == {"appliance_entities": error}, raw
    errors = {}
    handler._validate({"name": "Room 101", "driver": "carrier_pigeon"}, errors)
    assert errors == {"driver": "invalid_driver"}


async def test_room_without_appliances_on_entities(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "room"), context={"source": SOURCE_USER}
    )
    configure = hass.config_entries.subentries.async_configure
    result = await configure(
        result["flow_id"], {"name": "Lounge", "driver": "entities"}
    )
    assert [str(key) for key in result["data_schema"].schema] == ["board_device"]
    result = await configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {"driver": "entities", "appliance_entities": {}}


async def test_room_mqtt_step_needs_mqtt(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await _room_step(hass, entry, "mqtt")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"topic_prefix": "room-101"}
    )
    assert result["errors"] == {"base": "mqtt_not_configured"}


async def test_room_mqtt_step_errors_then_creates(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await _room_step(hass, entry, "mqtt")
    configure = hass.config_entries.subentries.async_configure
    for prefix in ("", "room/+", "room/#", "/room", "room/", "a//b"):
        result = await configure(result["flow_id"], {"topic_prefix": prefix})
        assert result["errors"] == {"topic_prefix": "invalid_topic_prefix"}, prefix
    for object_ids, error in (
        ({"lamp": "Desk Lamp"}, "invalid_object_id"),
        ({"lamp": "light"}, "duplicate_object_id"),
    ):
        result = await configure(
            result["flow_id"], {"topic_prefix": "room-101", "object_ids": object_ids}
        )
        assert result["errors"] == {"object_ids": error}, object_ids
    result = await configure(
        result["flow_id"],
        {"topic_prefix": " hotel/room-101 ", "object_ids": {"lamp": " desk_lamp "}},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data["topic_prefix"] == "hotel/room-101"
    assert sub.data["object_ids"] == {
        "light": "light",
        "lamp": "desk_lamp",
        "ac": "ac",
        "tv": "tv",
    }
    # No board has said online yet.
    assert hass.states.get("light.room_101_light").state == "unavailable"

    handler_result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    handler_result = await configure(
        handler_result["flow_id"],
        {"name": "Room 101", "appliances": APPLIANCES, "driver": "mqtt"},
    )
    keys = {str(key): key for key in handler_result["data_schema"].schema}
    assert keys["topic_prefix"].default() == "hotel/room-101"
    handler = hass.config_entries.subentries._progress[handler_result["flow_id"]]
    errors: dict[str, str] = {}
    handler._validate_object_ids({"object_ids": ["tv"]}, errors)
    assert errors == {"object_ids": "invalid_object_id"}
    result = await configure(handler_result["flow_id"], {"topic_prefix": "r101"})
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries[sub.subentry_id].data["object_ids"]["lamp"] == "lamp"


# --- rooms on the drivers -----------------------------------------------------------


async def test_room_on_entities_driver(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    board_entities = await _board_entities(hass)
    board = _board(hass)
    entry = await setup_entry(
        hass,
        site_entry(
            "Aurora",
            "hotel",
            [
                room(
                    "Room 101",
                    appliances=APPLIANCES,
                    driver="entities",
                    appliance_entities=ENTITIES,
                    board_device=board.id,
                ),
                worker("Mei", "housekeeping"),
            ],
        ),
    )
    # The room's own entities follow the mapped ones.
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.desk", "brightness": 90}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get("light.room_101_desk_lamp").attributes["brightness"] == 90

    # A guest command reaches the mapped entity.
    await call(hass, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.room_101_light", "brightness": 120},
        blocking=True,
    )
    await hass.async_block_till_done()
    ceiling = hass.states.get("light.ceiling")
    assert (ceiling.state, ceiling.attributes["brightness"]) == ("on", 120)
    light = hass.states.get("light.room_101_light")
    assert (light.state, light.attributes["brightness"]) == ("on", 120)
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.room_101_tv"}, blocking=True
    )
    assert hass.states.get("switch.tv_relay").state == "on"
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.room_101_air_conditioning", "temperature": 23},
        blocking=True,
    )
    split = hass.states.get("climate.split")
    assert (split.state, split.attributes["temperature"]) == ("auto", 23)
    assert hass.states.get("climate.room_101_air_conditioning").state != "off"

    # A wall button of the room board raises a request.
    hass.bus.async_fire(
        "esphome.doorservice_button", {"button": "towels", "device_id": board.id}
    )
    hass.bus.async_fire(
        "esphome.doorservice_button", {"button": "towels", "device_id": "other"}
    )
    await hass.async_block_till_done()
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    assert [o["service_type"] for o in orders["orders"]] == ["towels"]

    # Check-out turns the appliances off through their entities; one that
    # refuses is logged and the others still go off.
    board_entities["switch.tv_relay"].refuse = True
    await call(hass, "check_out", {"room": "Room 101"})
    await hass.async_block_till_done()
    assert "Check-out could not reset tv in Room 101" in caplog.text
    assert hass.states.get("switch.room_101_tv").state == "on"
    board_entities["switch.tv_relay"].refuse = False
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.tv_relay"}, blocking=True
    )
    for entity_id in (
        "light.ceiling",
        "light.desk",
        "switch.tv_relay",
        "climate.split",
    ):
        assert hass.states.get(entity_id).state == "off", entity_id
    await hass.async_block_till_done()  # the board's report is committed first
    assert hass.states.get("switch.room_101_tv").state == "off"

    # An unavailable board entity makes the room's appliances unavailable and
    # refuses commands without changing anything.
    runtime = _runtime(entry)
    before = json.dumps(runtime.site.to_dict(), sort_keys=True)
    hass.states.async_set("climate.split", "unavailable")
    await hass.async_block_till_done()
    assert hass.states.get("light.room_101_light").state == "unavailable"
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "request_appliance_change",
            {"room": "Room 101", "appliance": "tv", "state": "on", "reason": "test"},
        )
    assert err.value.translation_key == "appliance_board_offline"
    assert err.value.translation_placeholders["appliance"] == "TV"
    assert json.dumps(runtime.site.to_dict(), sort_keys=True) == before
    board_entities["climate.split"].async_write_ha_state()
    await hass.async_block_till_done()
    assert hass.states.get("light.room_101_light").state == "off"

    # A command the entity refuses comes back as a translated error.
    board_entities["switch.tv_relay"].refuse = True
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "request_appliance_change",
            {"room": "Room 101", "appliance": "tv", "state": "on", "reason": "test"},
        )
    assert err.value.translation_key == "appliance_command_failed"


async def test_guest_refused_while_the_board_is_offline(hass: HomeAssistant) -> None:
    await _board_entities(hass)
    entry = await setup_entry(
        hass,
        site_entry(
            "Aurora",
            "hotel",
            [
                room(
                    "Room 101",
                    appliances=APPLIANCES,
                    driver="entities",
                    appliance_entities=ENTITIES,
                )
            ],
        ),
    )
    await call(hass, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    hass.states.async_set("switch.tv_relay", "unavailable")
    await hass.async_block_till_done()
    rooms = _runtime(entry).rooms
    room_id = next(iter(rooms.rooms))
    with pytest.raises(HomeAssistantError) as err:
        await rooms.async_guest_command(
            room_id, ApplianceCommand.parse("light", "turn_on"), None
        )
    assert err.value.translation_key == "appliance_board_offline"
    assert err.value.translation_placeholders == {
        "room": "Room 101",
        "appliance": "Light",
    }


async def test_room_on_mqtt_driver(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, caplog: pytest.LogCaptureFixture
) -> None:
    await setup_entry(
        hass,
        site_entry(
            "Aurora",
            "hotel",
            [
                room(
                    "Room 101",
                    appliances=APPLIANCES,
                    driver="mqtt",
                    topic_prefix="hotel/room-101",
                    object_ids={"lamp": "desk_lamp"},
                ),
                worker("Mei", "housekeeping"),
            ],
        ),
    )
    await hass.async_block_till_done()
    assert hass.states.get("switch.room_101_tv").state == "unavailable"
    async_fire_mqtt_message(hass, "hotel/room-101/status", "online")
    async_fire_mqtt_message(hass, "hotel/room-101/switch/tv/state", "OFF")
    async_fire_mqtt_message(
        hass, "hotel/room-101/light/desk_lamp/state", '{"state": "ON", "brightness": 7}'
    )
    # A value before any on/off says nothing about the appliance yet.
    async_fire_mqtt_message(
        hass, "hotel/room-101/climate/ac/target_temperature/state", "22"
    )
    await hass.async_block_till_done()
    # A value the appliance cannot have is logged and ignored.
    async_fire_mqtt_message(hass, "hotel/room-101/climate/ac/mode/state", "auto")
    async_fire_mqtt_message(
        hass, "hotel/room-101/climate/ac/target_temperature/state", "99"
    )
    await hass.async_block_till_done()
    assert "Ignored a report of Room 101 for ac" in caplog.text
    ac = hass.states.get("climate.room_101_air_conditioning")
    assert ac.attributes["temperature"] != 99
    assert hass.states.get("switch.room_101_tv").state == "off"
    assert hass.states.get("light.room_101_desk_lamp").attributes["brightness"] == 7

    # Staff and guest commands become ESPHome MQTT commands.
    mqtt_mock.async_publish.reset_mock()
    await call(
        hass,
        "request_appliance_change",
        {"room": "Room 101", "appliance": "tv", "state": "on", "reason": "inspection"},
    )
    await call(hass, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.room_101_light"}, blocking=True
    )
    published = [c.args[:2] for c in mqtt_mock.async_publish.call_args_list]
    assert published == [
        ("hotel/room-101/switch/tv/command", "ON"),
        ("hotel/room-101/light/light/command", '{"state": "ON"}'),
    ]
    # The room's entity follows the board's answer, not the command.
    assert hass.states.get("switch.room_101_tv").state == "off"
    async_fire_mqtt_message(hass, "hotel/room-101/switch/tv/state", "ON")
    await hass.async_block_till_done()
    assert hass.states.get("switch.room_101_tv").state == "on"

    # A wall button on the board raises a request.
    async_fire_mqtt_message(hass, "hotel/room-101/button/press", "towels")
    await hass.async_block_till_done()
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    assert [o["service_type"] for o in orders["orders"]] == ["towels"]

    # Check-out switches everything off.
    mqtt_mock.async_publish.reset_mock()
    await call(hass, "check_out", {"room": "Room 101"})
    published = [c.args[:2] for c in mqtt_mock.async_publish.call_args_list]
    assert published == [
        ("hotel/room-101/light/light/command", '{"state": "OFF"}'),
        ("hotel/room-101/light/desk_lamp/command", '{"state": "OFF"}'),
        ("hotel/room-101/climate/ac/mode/command", "OFF"),
        ("hotel/room-101/switch/tv/command", "OFF"),
    ]

    # The board going offline makes the appliances unavailable.
    async_fire_mqtt_message(hass, "hotel/room-101/status", "offline")
    await hass.async_block_till_done()
    assert hass.states.get("switch.room_101_tv").state == "unavailable"
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass,
            "request_appliance_change",
            {"room": "Room 101", "appliance": "tv", "state": "off", "reason": "x"},
        )
    assert err.value.translation_key == "appliance_board_offline"
