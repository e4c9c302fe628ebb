"""Honest driver reports: confirmation, faults, door watch, alarms, keypad feedback."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.doorservice.drivers.base import (
    BoardReport,
    BoardSignal,
    DriverError,
    KeypadFeedback,
)
from custom_components.doorservice.drivers.entities import (
    EVENT_FORCED_OPEN,
    EVENT_TAMPER,
    EntitiesCabinetDriver,
)
from custom_components.doorservice.drivers.mqtt import MqttCabinetDriver
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr

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


def board_locks(hass: HomeAssistant, answer: dict[str, str]) -> list[ServiceCall]:
    """lock.unlock / lock.lock that move each lock to ``answer[service]``."""
    calls: list[ServiceCall] = []

    def handler(service: str) -> Any:
        async def _handle(call: ServiceCall) -> None:
            calls.append(call)
            ids = call.data["entity_id"]
            for entity_id in [ids] if isinstance(ids, str) else ids:
                hass.states.async_set(entity_id, answer[service])

        return _handle

    hass.services.async_register("lock", "unlock", handler("unlock"))
    hass.services.async_register("lock", "lock", handler("lock"))
    return calls


async def board_device(hass: HomeAssistant) -> str:
    entry = MockConfigEntry(domain="esphome", data={"device_name": "cab-1"})
    entry.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("esphome", "cab-1")}
    )
    return device.id


async def test_entities_confirm_only_unlocked_and_faults(hass: HomeAssistant) -> None:
    answer = {"unlock": "unlocking", "lock": "locked"}
    board_locks(hass, answer)
    for n in (1, 2):
        hass.states.async_set(f"lock.c{n}", "locked")
        hass.states.async_set(f"binary_sensor.d{n}", "off")
    device_id = await board_device(hass)
    feedback: list[ServiceCall] = []
    hass.services.async_register("esphome", "cab_1_keypad_feedback", feedback.append)
    recorder = Recorder()
    driver = EntitiesCabinetDriver(
        hass,
        2,
        recorder,
        locks=["lock.c1", "lock.c2"],
        doors=["binary_sensor.d1", "binary_sensor.d2"],
        board_device_id=device_id,
        confirm_timeout=0.05,
        door_open_timeout=None,
    )
    await driver.async_start()

    # UNLOCKING is a queued unlock, not a confirmed one.
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "unlock_not_confirmed"
    assert driver.state.compartments[1].locked

    # JAMMED is a fault: reported, and an unlock is refused at once.
    hass.states.async_set("lock.c1", "jammed")
    await hass.async_block_till_done()
    assert recorder.of(BoardSignal.FAULT) == [
        BoardReport(BoardSignal.FAULT, "jammed", compartment=1)
    ]
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "lock_fault"
    assert err.value.placeholders == {"state": "jammed"}
    hass.states.async_set("lock.c1", "locked")
    await hass.async_block_till_done()
    assert driver.state.compartments[1].fault is None

    # A lock that jams while the unlock waits fails it with the fault.
    answer["unlock"] = "jammed"
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(2)
    assert err.value.translation_key == "lock_fault"

    # A door the board cannot read is unknown, not closed; the board stays online.
    hass.states.async_set("binary_sensor.d2", "unknown")
    await hass.async_block_till_done()
    assert driver.state.compartments[2].door_open is None
    assert driver.state.available

    # The board's alarms, from its own device only.
    hass.bus.async_fire(EVENT_FORCED_OPEN, {"compartment": "2", "device_id": device_id})
    hass.bus.async_fire(EVENT_FORCED_OPEN, {"compartment": "2", "device_id": "other"})
    hass.bus.async_fire(EVENT_FORCED_OPEN, {"compartment": "x", "device_id": device_id})
    hass.bus.async_fire(EVENT_TAMPER, {"tampered": "true", "device_id": device_id})
    await hass.async_block_till_done()
    assert recorder.of(BoardSignal.FORCED_OPEN) == [
        BoardReport(BoardSignal.FORCED_OPEN, True, compartment=2)
    ]
    assert recorder.of(BoardSignal.TAMPER) == [BoardReport(BoardSignal.TAMPER, True)]

    await driver.async_keypad_feedback(KeypadFeedback.LOCKED_OUT)
    assert feedback[0].data == {"result": "locked_out"}
    await driver.async_stop()


async def test_door_watch_reports_opened_or_relocks(hass: HomeAssistant) -> None:
    calls = board_locks(hass, {"unlock": "unlocked", "lock": "locked"})
    hass.states.async_set("lock.c1", "locked")
    hass.states.async_set("binary_sensor.d1", "off")
    recorder = Recorder()
    driver = EntitiesCabinetDriver(
        hass,
        1,
        recorder,
        locks=["lock.c1"],
        doors=["binary_sensor.d1"],
        confirm_timeout=0.5,
        door_open_timeout=0.2,
    )
    await driver.async_start()

    # The door opens in time: the code may be used now.
    await driver.async_unlock(1)
    hass.states.async_set("lock.c1", "locked")
    hass.states.async_set("binary_sensor.d1", "on")
    await hass.async_block_till_done()
    (opened,) = recorder.of(BoardSignal.DOOR_OPENED)
    assert opened.compartment == 1
    assert isinstance(opened.value, float)
    assert opened.value < 0.2
    assert recorder.of(BoardSignal.UNLOCK_EXPIRED) == []
    hass.states.async_set("binary_sensor.d1", "off")
    await hass.async_block_till_done()

    # The door stays shut: expired, relocked, the code is kept.
    await driver.async_unlock(1)
    await asyncio.sleep(0.3)
    await hass.async_block_till_done()
    assert recorder.of(BoardSignal.UNLOCK_EXPIRED) == [
        BoardReport(BoardSignal.UNLOCK_EXPIRED, None, compartment=1)
    ]
    assert [c.service for c in calls] == ["unlock", "unlock", "lock"]
    assert len(recorder.of(BoardSignal.DOOR_OPENED)) == 1
    # A watch pending at stop is dropped.
    hass.states.async_set("lock.c1", "locked")
    await hass.async_block_till_done()
    await driver.async_unlock(1)
    await driver.async_stop()
    await asyncio.sleep(0.3)
    assert len(recorder.of(BoardSignal.UNLOCK_EXPIRED)) == 1


async def test_mqtt_states_alarms_and_feedback(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient
) -> None:
    recorder = Recorder()
    driver = MqttCabinetDriver(
        hass, 2, recorder, prefix="lobby/cab", confirm_timeout=0.05
    )
    await driver.async_start()
    await hass.async_block_till_done()
    async_fire_mqtt_message(hass, "lobby/cab/status", "online")
    for n in (1, 2):
        async_fire_mqtt_message(
            hass, f"lobby/cab/lock/compartment_{n}_lock/state", "LOCKED"
        )
    await hass.async_block_till_done()

    async def board_queues(topic: str, payload: str, *args: Any, **kw: Any) -> None:
        if payload == "UNLOCK":
            async_fire_mqtt_message(
                hass, topic.replace("/command", "/state"), "UNLOCKING"
            )

    mqtt_mock.async_publish.side_effect = board_queues
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(1)
    assert err.value.translation_key == "unlock_not_confirmed"
    mqtt_mock.async_publish.side_effect = None

    async_fire_mqtt_message(hass, "lobby/cab/lock/compartment_2_lock/state", "JAMMED")
    async_fire_mqtt_message(hass, "lobby/cab/event/forced_open", "1")
    async_fire_mqtt_message(hass, "lobby/cab/event/forced_open", "9")
    async_fire_mqtt_message(hass, "lobby/cab/event/tamper", "ON")
    await hass.async_block_till_done()
    assert recorder.of(BoardSignal.FAULT) == [
        BoardReport(BoardSignal.FAULT, "jammed", compartment=2)
    ]
    with pytest.raises(DriverError) as err:
        await driver.async_unlock(2)
    assert err.value.translation_key == "lock_fault"
    assert recorder.of(BoardSignal.FORCED_OPEN) == [
        BoardReport(BoardSignal.FORCED_OPEN, True, compartment=1)
    ]
    assert recorder.of(BoardSignal.TAMPER) == [BoardReport(BoardSignal.TAMPER, True)]

    await driver.async_keypad_feedback(KeypadFeedback.REJECTED)
    assert mqtt_mock.async_publish.call_args_list[-1].args == (
        "lobby/cab/keypad/feedback",
        "rejected",
        1,
        False,
    )
    await driver.async_stop()
