"""The board drivers on their own: virtual room, HA entities and MQTT."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.doorservice.core.appliances import ApplianceKind
from custom_components.doorservice.drivers.base import (
    ApplianceState,
    BoardReport,
    BoardSignal,
    DriverError,
)
from custom_components.doorservice.drivers.entities import (
    EVENT_BUTTON,
    EVENT_CODE_ENTERED,
    EntitiesCabinetDriver,
    EntitiesRoomDriver,
)
from custom_components.doorservice.drivers.mqtt import (
    MqttCabinetDriver,
    MqttRoomDriver,
)
from custom_components.doorservice.drivers.virtual import VirtualRoomDriver
from homeassistant.components.mqtt.const import MQTT_CONNECTION_STATE
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
import homeassistant.util.dt as dt_util

# The mocked MQTT client starts its own housekeeping timer once connected and
# never stops it.
pytestmark = pytest.mark.parametrize("expected_lingering_timers", [True])


class Recorder:
    """Collects board reports."""

    def __init__(self) -> None:
        self.reports: list[BoardReport] = []

    def __call__(self, report: BoardReport) -> None:
        self.reports.append(report)

    def of(self, signal: BoardSignal) -> list[BoardReport]:
        return [r for r in self.reports if r.signal is signal]


def fake_lock_services(
    hass: HomeAssistant, *, stuck: set[str] | None = None
) -> list[ServiceCall]:
    """Register lock/switch services that move the states like a board would."""
    calls: list[ServiceCall] = []
    stuck = stuck or set()

    def handler(new_state: str) -> Any:
        async def _handle(call: ServiceCall) -> None:
            calls.append(call)
            entity_ids = call.data["entity_id"]
            for entity_id in (
                [entity_ids] if isinstance(entity_ids, str) else entity_ids
            ):
                if entity_id in stuck and entity_id.startswith("switch."):
                    raise HomeAssistantError("jammed")
                if entity_id in stuck:
                    continue
                hass.states.async_set(entity_id, new_state)

        return _handle

    hass.services.async_register("lock", "unlock", handler("unlocked"))
    hass.services.async_register("lock", "lock", handler("locked"))
    hass.services.async_register("switch", "turn_on", handler("on"))
    hass.services.async_register("switch", "turn_off", handler("off"))
    return calls


async def test_virtual_room_driver() -> None:
    recorder = Recorder()
    driver = VirtualRoomDriver(
        {"light": ApplianceKind.LIGHT, "curtain": ApplianceKind.COVER}, recorder
    )
    with pytest.raises(DriverError) as err:
        await driver.async_set_appliance("light", on=True)
    assert err.value.translation_key == "appliance_board_offline"
    await driver.async_start()
    assert driver.state.available
    assert driver.state.appliances["light"].is_on is False
    await driver.async_set_appliance("light", on=True, value=128)
    assert driver.state.appliances["light"].is_on is True
    assert driver.state.appliances["light"].value == 128
    with pytest.raises(DriverError) as err:
        await driver.async_set_appliance("sauna", on=True)
    assert err.value.translation_key == "unknown_appliance"
    assert err.value.placeholders == {"appliance": "sauna"}
    driver.press_button("towels")
    assert recorder.of(BoardSignal.BUTTON)[-1].value == "towels"
    driver.set_available(False)
    assert not driver.state.available
    await driver.async_stop()


async def test_entities_cabinet_driver(hass: HomeAssistant) -> None:
    calls = fake_lock_services(hass, stuck={"lock.c2"})
    hass.states.async_set("lock.c1", "locked")
    hass.states.async_set("lock.c2", "locked")
    hass.states.async_set("switch.c3", "off")
    hass.states.async_set("binary_sensor.d1", "off")
    entry = MockConfigEntry(domain="esphome", data={"device_name": "cab-1"})
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("esphome", "cab-1")}
    )
    qr: list[ServiceCall] = []
    hass.services.async_register("esphome", "cab_1_show_qr", qr.append)
    recorder = Recorder()
    driver = EntitiesCabinetDriver(
        hass,
        3,
        recorder,
        locks=["lock.c1", "lock.c2", "switch.c3"],
        doors=["binary_sensor.d1", None, None],
        board_device_id=device.id,
        pulse=1,
        confirm_timeout=0.05,
    )
    assert not driver.state.has_door_sensors
    await driver.async_start()
    assert driver.state.available
    assert recorder.of(BoardSignal.AVAILABILITY) == [
        BoardReport(BoardSignal.AVAILABILITY, True)
    ]
    assert driver.state.compartments[1].door_open is False

    await driver.async_unlock(1)
    assert not driver.state.compartments[1].locked
    # Already unlocked: confirmed at once.
    await driver.async_unlock(1)
    await driver.async_lock(1)
    assert driver.state.compartments[1].locked

    with pytest.raises(DriverError) as err:
        await driver.async_unlock(2)
    assert err.value.translation_key == "unlock_not_confirmed"
    assert err.value.placeholders == {"seconds": "0.05"}

    # A switch is only turned on: the board times the pulse and turns it off itself;
    # Home Assistant never does (a restart mid-pulse cannot leave a coil on).
    await driver.async_unlock(3)
    assert hass.states.get("switch.c3").state == "on"
    await driver.async_unlock(3)  # still on: confirmed at once, no second pulse timed
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=2))
    await hass.async_block_till_done()
    assert hass.states.get("switch.c3").state == "on"
    hass.states.async_set("switch.c3", "off")  # the board ends its pulse
    await hass.async_block_till_done()
    assert driver.state.compartments[3].locked
    await driver.async_unlock(3)
    await driver.async_lock(3)
    assert hass.states.get("switch.c3").state == "off"
    assert [c.service for c in calls if c.domain == "switch"] == [
        "turn_on",
        "turn_on",
        "turn_on",
        "turn_off",
    ]

    # Door opening confirms too.
    hass.states.async_set("binary_sensor.d1", "on")
    await hass.async_block_till_done()
    assert driver.state.compartments[1].door_open is True

    # Keypad codes from the board's device only.
    hass.bus.async_fire(EVENT_CODE_ENTERED, {"code": "4711", "device_id": device.id})
    hass.bus.async_fire(EVENT_CODE_ENTERED, {"code": "9999", "device_id": "other"})
    hass.bus.async_fire(EVENT_CODE_ENTERED, {"code": "", "device_id": device.id})
    await hass.async_block_till_done()
    assert [r.value for r in recorder.of(BoardSignal.CODE_ENTERED)] == ["4711"]

    await driver.async_show_qr("https://example.invalid/o/1")
    assert qr[0].data == {"payload": "https://example.invalid/o/1"}
    assert driver.state.qr_payload == "https://example.invalid/o/1"

    # One entity unavailable: the board is offline, once.
    hass.states.async_set("lock.c2", "unavailable")
    hass.states.async_set("lock.c1", "unknown")
    await hass.async_block_till_done()
    assert [r.value for r in recorder.of(BoardSignal.AVAILABILITY)] == [True, False]
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "board_offline"
    with pytest.raises(DriverError) as err:
        await driver.async_lock(1)
    assert err.value.translation_key == "board_offline"
    hass.states.async_set("lock.c2", "locked")
    hass.states.async_set("lock.c1", "locked")
    await hass.async_block_till_done()
    assert [r.value for r in recorder.of(BoardSignal.AVAILABILITY)] == [
        True,
        False,
        True,
    ]
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(9)
    assert err.value.translation_key == "unknown_compartment"

    await driver.async_stop()
    assert not driver.state.available
    hass.states.async_set("lock.c1", "unlocked")
    await hass.async_block_till_done()
    assert driver.state.compartments[1].locked


async def test_entities_cabinet_driver_failures(hass: HomeAssistant) -> None:
    fake_lock_services(hass, stuck={"switch.c1"})
    hass.states.async_set("switch.c1", "off")
    recorder = Recorder()
    driver = EntitiesCabinetDriver(
        hass, 1, recorder, locks=["switch.c1"], confirm_timeout=0.05
    )
    await driver.async_start()
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "board_command_failed"
    assert err.value.placeholders["error"] == "jammed"
    # No board device: the payload is kept, nothing is called.
    await driver.async_show_qr("x")
    assert driver.qr_service() is None
    assert driver.state.qr_payload == "x"
    with pytest.raises(ValueError, match="one lock"):
        EntitiesCabinetDriver(hass, 2, recorder, locks=["lock.a"])
    await driver.async_stop()


async def test_entities_cabinet_qr_service_missing(hass: HomeAssistant) -> None:
    hass.states.async_set("lock.c1", "locked")
    registry = dr.async_get(hass)
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    foreign = registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "x")}
    )
    unnamed = MockConfigEntry(domain="esphome")
    unnamed.add_to_hass(hass)
    booting = registry.async_get_or_create(
        config_entry_id=unnamed.entry_id, identifiers={("esphome", "y")}
    )
    entry = MockConfigEntry(domain="esphome", data={"device_name": "cab"})
    entry.add_to_hass(hass)
    board = registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("esphome", "cab")}
    )
    services = {}
    for device_id in (foreign.id, booting.id, board.id, "gone"):
        driver = EntitiesCabinetDriver(
            hass, 1, Recorder(), locks=["lock.c1"], board_device_id=device_id
        )
        services[device_id] = driver.qr_service()
    assert services == {
        foreign.id: None,
        booting.id: None,
        board.id: "cab_show_qr",
        "gone": None,
    }
    driver = EntitiesCabinetDriver(
        hass, 1, Recorder(), locks=["lock.c1"], board_device_id=board.id
    )
    with pytest.raises(DriverError) as err:
        await driver.async_show_qr("x")
    assert err.value.translation_key == "qr_not_shown"


async def test_entities_room_driver(hass: HomeAssistant) -> None:
    calls: list[ServiceCall] = []
    for domain in ("switch", "light", "climate", "cover", "fan"):
        for service in (
            "turn_on",
            "turn_off",
            "set_temperature",
            "open_cover",
            "close_cover",
            "set_cover_position",
        ):
            hass.services.async_register(domain, service, calls.append)
    hass.states.async_set("switch.ac", "off")
    hass.states.async_set("light.lamp", "on", {"brightness": 200})
    hass.states.async_set("climate.room", "heat", {"temperature": 21.5})
    hass.states.async_set("cover.curtain", "opening", {"current_position": 40})
    hass.states.async_set("fan.ceiling", "off", {"percentage": 0})
    entry = MockConfigEntry(domain="esphome")
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("esphome", "room")}
    )
    kinds = {
        "ac": ApplianceKind.SWITCH,
        "lamp": ApplianceKind.LIGHT,
        "heating": ApplianceKind.CLIMATE,
        "curtain": ApplianceKind.COVER,
        "fan": ApplianceKind.FAN,
    }
    entities = {
        "ac": "switch.ac",
        "lamp": "light.lamp",
        "heating": "climate.room",
        "curtain": "cover.curtain",
        "fan": "fan.ceiling",
    }
    recorder = Recorder()
    driver = EntitiesRoomDriver(
        hass, kinds, recorder, entities=entities, board_device_id=device.id
    )
    await driver.async_start()
    assert driver.state.available
    state = driver.state.appliances
    assert (state["ac"].is_on, state["ac"].value) == (False, None)
    assert (state["lamp"].is_on, state["lamp"].value) == (True, 200)
    assert (state["heating"].is_on, state["heating"].value) == (True, 21.5)
    assert (state["curtain"].is_on, state["curtain"].value) == (True, 40)
    assert state["fan"].is_on is False

    await driver.async_set_appliance("ac", on=True)
    await driver.async_set_appliance("lamp", on=True, value=10)
    await driver.async_set_appliance("lamp", on=False)
    await driver.async_set_appliance("heating", on=True, value=22)
    await driver.async_set_appliance("heating", on=True)
    await driver.async_set_appliance("curtain", on=True, value=50)
    await driver.async_set_appliance("curtain", on=True)
    await driver.async_set_appliance("curtain", on=False)
    await driver.async_set_appliance("fan", on=True, value=30)
    assert [(c.domain, c.service, dict(c.data)) for c in calls] == [
        ("switch", "turn_on", {"entity_id": "switch.ac"}),
        ("light", "turn_on", {"entity_id": "light.lamp", "brightness": 10}),
        ("light", "turn_off", {"entity_id": "light.lamp"}),
        ("climate", "turn_on", {"entity_id": "climate.room"}),
        (
            "climate",
            "set_temperature",
            {"entity_id": "climate.room", "temperature": 22},
        ),
        ("climate", "turn_on", {"entity_id": "climate.room"}),
        (
            "cover",
            "set_cover_position",
            {"entity_id": "cover.curtain", "position": 50},
        ),
        ("cover", "open_cover", {"entity_id": "cover.curtain"}),
        ("cover", "close_cover", {"entity_id": "cover.curtain"}),
        ("fan", "turn_on", {"entity_id": "fan.ceiling", "percentage": 30}),
    ]

    hass.states.async_set("switch.ac", "on")
    await hass.async_block_till_done()
    assert state["ac"].is_on is True
    hass.bus.async_fire(EVENT_BUTTON, {"button": "towels", "device_id": device.id})
    hass.bus.async_fire(EVENT_BUTTON, {"button": "x", "device_id": "other"})
    await hass.async_block_till_done()
    assert [r.value for r in recorder.of(BoardSignal.BUTTON)] == ["towels"]

    hass.states.async_set("fan.ceiling", "unavailable")
    await hass.async_block_till_done()
    assert not driver.state.available
    with pytest.raises(DriverError) as err:
        await driver.async_set_appliance("ac", on=False)
    assert err.value.translation_key == "appliance_board_offline"
    hass.states.async_set("fan.ceiling", "on", {"percentage": 60})
    await hass.async_block_till_done()
    assert driver.state.available
    assert state["fan"].value == 60

    hass.services.async_remove("switch", "turn_off")
    with pytest.raises(DriverError) as err:
        await driver.async_set_appliance("ac", on=False)
    assert err.value.translation_key == "appliance_command_failed"
    assert err.value.placeholders["appliance"] == "ac"
    with pytest.raises(ValueError, match="one entity"):
        EntitiesRoomDriver(hass, kinds, recorder, entities={})
    await driver.async_stop()


async def test_mqtt_cabinet_driver(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    recorder = Recorder()
    driver = MqttCabinetDriver(
        hass, 2, recorder, prefix="lobby/cab", confirm_timeout=0.05
    )
    await driver.async_start()
    await hass.async_block_till_done()
    assert not driver.state.available
    async_fire_mqtt_message(hass, "lobby/cab/status", "online")
    async_fire_mqtt_message(hass, "lobby/cab/lock/compartment_1_lock/state", "LOCKED")
    async_fire_mqtt_message(
        hass, "lobby/cab/binary_sensor/compartment_2_door/state", "ON"
    )
    async_fire_mqtt_message(
        hass, "lobby/cab/binary_sensor/compartment_9_door/state", "ON"
    )
    async_fire_mqtt_message(hass, "lobby/cab/binary_sensor/other/state", "ON")
    async_fire_mqtt_message(hass, "lobby/cab/keypad/code", "123456")
    async_fire_mqtt_message(hass, "lobby/cab/keypad/code", " ")
    await hass.async_block_till_done()
    assert driver.state.available
    assert driver.state.compartments[2].door_open is True
    assert [r.value for r in recorder.of(BoardSignal.CODE_ENTERED)] == ["123456"]

    mqtt_mock.async_publish.reset_mock()

    async def board_answers(
        topic: str, payload: str, *args: Any, **kwargs: Any
    ) -> None:
        if payload == "UNLOCK":
            async_fire_mqtt_message(
                hass, topic.replace("/command", "/state"), "UNLOCKED"
            )

    mqtt_mock.async_publish.side_effect = board_answers
    await driver.async_unlock(1)
    assert not driver.state.compartments[1].locked
    await driver.async_lock(1)
    assert mqtt_mock.async_publish.call_args_list[-1].args[:2] == (
        "lobby/cab/lock/compartment_1_lock/command",
        "LOCK",
    )
    mqtt_mock.async_publish.side_effect = None
    async_fire_mqtt_message(hass, "lobby/cab/lock/compartment_1_lock/state", "LOCKED")
    await hass.async_block_till_done()
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "unlock_not_confirmed"

    await driver.async_show_qr("QR")
    assert mqtt_mock.async_publish.call_args_list[-1].args == (
        "lobby/cab/display/qr/set",
        "QR",
        1,
        True,
    )
    assert driver.state.qr_payload == "QR"

    async_fire_mqtt_message(hass, "lobby/cab/status", "offline")
    await hass.async_block_till_done()
    assert not driver.state.available
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "board_offline"
    async_fire_mqtt_message(hass, "lobby/cab/status", "online")
    await hass.async_block_till_done()
    assert driver.state.available

    # The broker connection drops: offline until the board reports again.
    async_dispatcher_send(hass, MQTT_CONNECTION_STATE, False)
    await hass.async_block_till_done()
    assert not driver.state.available
    async_dispatcher_send(hass, MQTT_CONNECTION_STATE, True)
    await hass.async_block_till_done()
    assert not driver.state.available
    async_fire_mqtt_message(hass, "lobby/cab/status", "online")
    await hass.async_block_till_done()
    assert driver.state.available
    assert [r.value for r in recorder.of(BoardSignal.AVAILABILITY)] == [
        True,
        False,
        True,
        False,
        True,
    ]

    mqtt_mock.async_publish.side_effect = HomeAssistantError("broker gone")
    with pytest.raises(DriverError) as err:
        await driver.async_lock(2)
    assert err.value.translation_key == "board_command_failed"
    await driver.async_stop()
    assert not driver.state.available


async def test_mqtt_driver_without_mqtt(hass: HomeAssistant) -> None:
    driver = MqttCabinetDriver(hass, 1, Recorder(), prefix="cab")
    await driver.async_start()
    await hass.async_block_till_done()
    assert not driver.state.available
    await driver.async_stop()


async def test_mqtt_room_driver(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    recorder = Recorder()
    kinds = {
        "light": ApplianceKind.SWITCH,
        "lamp": ApplianceKind.LIGHT,
        "ac": ApplianceKind.CLIMATE,
        "curtain": ApplianceKind.COVER,
        "fan": ApplianceKind.FAN,
    }
    driver = MqttRoomDriver(
        hass, kinds, recorder, prefix="room-101", object_ids={"lamp": "desk_lamp"}
    )
    await driver.async_start()
    await hass.async_block_till_done()
    messages = [
        ("room-101/status", "online"),
        ("room-101/switch/light/state", "ON"),
        (
            "room-101/light/desk_lamp/state",
            json.dumps({"state": "ON", "brightness": 99}),
        ),
        ("room-101/light/desk_lamp/state", "not json"),
        ("room-101/light/desk_lamp/state", "[1]"),
        ("room-101/climate/ac/mode/state", "heat"),
        ("room-101/climate/ac/target_temperature/state", "22.5"),
        ("room-101/climate/ac/target_temperature/state", "n/a"),
        ("room-101/cover/curtain/state", "opening"),
        ("room-101/cover/curtain/position/state", "40"),
        ("room-101/fan/fan/state", "OFF"),
        ("room-101/fan/fan/speed_level/state", "3"),
        ("room-101/button/press", "towels"),
        ("room-101/button/press", ""),
    ]
    for topic, payload in messages:
        async_fire_mqtt_message(hass, topic, payload)
    await hass.async_block_till_done()
    state = driver.state.appliances
    assert driver.state.available
    assert state["light"].is_on is True
    assert (state["lamp"].is_on, state["lamp"].value) == (True, 99)
    assert (state["ac"].is_on, state["ac"].value) == (True, 22.5)
    assert (state["curtain"].is_on, state["curtain"].value) == (True, 40)
    assert (state["fan"].is_on, state["fan"].value) == (False, 3)
    assert [r.value for r in recorder.of(BoardSignal.BUTTON)] == ["towels"]
    assert recorder.of(BoardSignal.APPLIANCE)[1] == BoardReport(
        BoardSignal.APPLIANCE, ApplianceState(True, 99), appliance="lamp"
    )

    mqtt_mock.async_publish.reset_mock()
    await driver.async_set_appliance("light", on=False)
    await driver.async_set_appliance("lamp", on=True, value=10)
    await driver.async_set_appliance("lamp", on=False)
    await driver.async_set_appliance("ac", on=True, value=21)
    await driver.async_set_appliance("ac", on=False)
    await driver.async_set_appliance("curtain", on=True, value=70)
    await driver.async_set_appliance("curtain", on=False)
    await driver.async_set_appliance("fan", on=True, value=2)
    published = [c.args[:2] for c in mqtt_mock.async_publish.call_args_list]
    assert published == [
        ("room-101/switch/light/command", "OFF"),
        ("room-101/light/desk_lamp/command", '{"state": "ON", "brightness": 10}'),
        ("room-101/light/desk_lamp/command", '{"state": "OFF"}'),
        ("room-101/climate/ac/mode/command", "AUTO"),
        ("room-101/climate/ac/target_temperature/command", "21"),
        ("room-101/climate/ac/mode/command", "OFF"),
        ("room-101/cover/curtain/position/command", "70"),
        ("room-101/cover/curtain/command", "CLOSE"),
        ("room-101/fan/fan/command", "ON"),
        ("room-101/fan/fan/speed_level/command", "2"),
    ]
    mqtt_mock.async_publish.side_effect = HomeAssistantError("down")
    with pytest.raises(DriverError) as err:
        await driver.async_set_appliance("light", on=True)
    assert err.value.translation_key == "appliance_command_failed"
    async_fire_mqtt_message(hass, "room-101/status", "offline")
    await hass.async_block_till_done()
    with pytest.raises(DriverError) as err:
        await driver.async_set_appliance("light", on=True)
    assert err.value.translation_key == "appliance_board_offline"
    await driver.async_stop()


async def test_virtual_cabinet_driver(hass: HomeAssistant) -> None:
    from custom_components.doorservice.drivers.virtual import VirtualCabinetDriver

    recorder = Recorder()
    driver = VirtualCabinetDriver(hass, 2, recorder)
    await driver.async_start()
    await driver.async_unlock(1)
    await driver.async_unlock(1)  # a second pulse restarts the timers
    assert not driver.state.compartments[1].locked
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1.5))
    await hass.async_block_till_done()
    assert driver.state.compartments[1].locked
    assert driver.state.compartments[1].door_open is True
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=5))
    await hass.async_block_till_done()
    assert driver.state.compartments[1].door_open is False
    await driver.async_unlock(2)
    await driver.async_lock(2)
    assert driver.state.compartments[2].locked
    await driver.async_show_qr("qr")
    assert driver.state.qr_payload == "qr"
    driver.enter_code("1234")
    assert recorder.of(BoardSignal.CODE_ENTERED)[-1].value == "1234"
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(3)
    assert err.value.translation_key == "unknown_compartment"
    driver.set_available(False)
    with pytest.raises(DriverError) as err:
        await driver.async_lock(1)
    assert err.value.translation_key == "board_offline"
    await driver.async_stop()
