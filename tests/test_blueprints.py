"""The blueprints shipped in blueprints/ are valid Home Assistant blueprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from homeassistant.components.automation.config import (
    AUTOMATION_BLUEPRINT_SCHEMA,
    async_validate_config_item,
)
from homeassistant.components.blueprint import models
from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml_dict

BLUEPRINTS = Path(__file__).parents[1] / "blueprints" / "automation" / "doorservice"

INPUTS: dict[str, dict[str, Any]] = {
    "weekly_cleaning.yaml": {
        "site": "0123456789abcdef",
        "address": "12 Lake Road",
        "owner_notify": "notify.mobile_app_owner",
    },
    "wall_button_answers.yaml": {
        "requests": "event.room_101_requests",
        "light": "light.room_101_light",
    },
    "wall_button_request.yaml": {
        "button": "binary_sensor.room_101_wall_button",
        "room": "0123456789abcdef",
    },
    "escalation_notify_manager.yaml": {"notify_action": "notify.boss"},
    "announce_answer.yaml": {
        "requests": "event.room_101_requests",
        "tts": "tts.piper",
        "speaker": "media_player.room_101",
    },
    "compartment_door_open.yaml": {
        "door": "binary_sensor.lobby_cabinet_compartment_1_door",
        "lock": "lock.lobby_cabinet_compartment_1",
    },
    "low_supplies_shopping_list.yaml": {"cabinet_events": "event.lobby_cabinet"},
    "checkout_appliances_cleaning.yaml": {
        "requests": "event.room_101_requests",
        "room": "0123456789abcdef",
    },
    "calendar_checkout_cleaning.yaml": {
        "calendar": "calendar.lake_flat",
        "site": "0123456789abcdef",
        "address": "12 Lake Road",
    },
}


def test_every_blueprint_is_checked() -> None:
    assert sorted(p.name for p in BLUEPRINTS.glob("*.yaml")) == sorted(INPUTS)


@pytest.mark.parametrize("name", sorted(INPUTS))
async def test_blueprint_makes_a_valid_automation(
    hass: HomeAssistant, name: str
) -> None:
    blueprint = models.Blueprint(
        load_yaml_dict(str(BLUEPRINTS / name)),
        expected_domain="automation",
        schema=AUTOMATION_BLUEPRINT_SCHEMA,
    )
    assert blueprint.name.startswith("Door Service")
    inputs = models.BlueprintInputs(
        blueprint,
        {"use_blueprint": {"path": name, "input": INPUTS[name]}},
    )
    automation = inputs.async_substitute()
    validated = await async_validate_config_item(
        hass, "test", {"id": "x", **automation}
    )
    assert validated is not None
    assert validated.validation_error is None, validated.validation_error
