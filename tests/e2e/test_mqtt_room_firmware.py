"""The MQTT room firmware and the MQTT room driver agree on their topics.

``esphome/room-mqtt.yaml`` is validated with ``esphome config``; the topic its wall
buttons publish on, its prefix and its switch object ids are read from the resolved
configuration, and a board speaking exactly those topics (the ESPHome-convention
simulator, as the real firmware has no MQTT on the host platform) drives
``MqttRoomDriver`` through a real mosquitto and Home Assistant's MQTT integration.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
import re
import subprocess
from unittest.mock import patch

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.core.appliances import ApplianceKind
from custom_components.doorservice.drivers.base import (
    ApplianceState,
    BoardReport,
    BoardSignal,
)
from custom_components.doorservice.drivers.mqtt import MqttRoomDriver
from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant

from .keyed_walk import wait_for
from .mosquitto import MosquittoBroker, mosquitto_broker  # noqa: F401
from .mqtt_board import MqttRoomBoard

ROOT = Path(__file__).resolve().parents[2]
BUTTONS = ("towels", "cleaning", "do_not_disturb", "call_staff")


def resolved_room_mqtt() -> str:
    """``esphome config esphome/room-mqtt.yaml``: the validated, resolved YAML."""
    secrets = ROOT / "esphome" / "secrets.yaml"
    if not secrets.exists():
        secrets.write_text((ROOT / "esphome" / "secrets.yaml.example").read_text())
    result = subprocess.run(
        [str(ROOT / ".venv-esphome" / "bin" / "esphome"), "config", "room-mqtt.yaml"],
        cwd=ROOT / "esphome",
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_room_mqtt_firmware_topics() -> None:
    config = resolved_room_mqtt()
    prefix = re.search(r"^\s+topic_prefix: (\S+)$", config, re.M)
    assert prefix is not None
    published = re.findall(r"mqtt\.publish:\s+topic: (\S+)", config)
    # The wall buttons publish on exactly the topic MqttRoomDriver subscribes to.
    assert published == [f"{prefix.group(1)}/button/press"]
    for name in ("Light", "AC", "Do not disturb", "Curtain"):
        assert re.search(rf"^\s+name: {name}$", config, re.M), name
    for button in BUTTONS:
        assert re.search(rf"^\s+button: {button}$", config, re.M), button


async def test_room_mqtt_buttons_reach_the_driver(
    hass: HomeAssistant,
    mosquitto_broker: MosquittoBroker,  # noqa: F811
) -> None:
    config = await asyncio.to_thread(resolved_room_mqtt)
    match = re.search(r"^\s+topic_prefix: (\S+)$", config, re.M)
    assert match is not None
    prefix = match.group(1)
    broker = mosquitto_broker
    mqtt_entry = MockConfigEntry(
        domain="mqtt",
        data={"broker": broker.host, "port": broker.port},
        options={"birth_message": {}, "discovery": False},
    )
    mqtt_entry.add_to_hass(hass)
    with patch("homeassistant.config.async_hass_config_yaml", return_value={}):
        assert await hass.config_entries.async_setup(mqtt_entry.entry_id)
        await hass.async_block_till_done()
    await wait_for(lambda: mqtt.is_connected(hass), "the MQTT connection")

    # The firmware's object ids: Light, AC, Do not disturb -> light, ac, do_not_disturb.
    board = MqttRoomBoard(
        broker.host,
        broker.port,
        prefix,
        switches=("light", "ac", "do_not_disturb"),
        buttons=BUTTONS,
    )
    assert board.button_topic == f"{prefix}/button/press"
    assert f"topic: {board.button_topic}" in config
    reports: list[BoardReport] = []
    driver = MqttRoomDriver(
        hass,
        {"light": ApplianceKind.SWITCH, "dnd": ApplianceKind.SWITCH},
        reports.append,
        prefix=prefix,
        object_ids={"dnd": "do_not_disturb"},
    )
    await asyncio.to_thread(board.start)
    try:
        await driver.async_start()
        await wait_for(lambda: driver.state.available, "the room board online")
        for button in BUTTONS:
            assert await asyncio.to_thread(board.press_button, button)
        await wait_for(
            lambda: (
                [r.value for r in reports if r.signal is BoardSignal.BUTTON]
                == list(BUTTONS)
            ),
            "every wall button",
        )
        # The do-not-disturb lamp is a switch the driver sets.
        await driver.async_set_appliance("dnd", on=True)
        await wait_for(
            lambda: (
                ApplianceState(True)
                in [r.value for r in reports if r.appliance == "dnd"]
            ),
            "the lamp on",
        )
    finally:
        await driver.async_stop()
        await asyncio.to_thread(board.stop)
        await hass.config_entries.async_unload(mqtt_entry.entry_id)
        await hass.async_block_till_done()
