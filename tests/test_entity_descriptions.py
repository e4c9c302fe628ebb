"""The described entities: every description is translated, keys are unique per part."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.doorservice import binary_sensor, sensor, switch

PACKAGE = Path(__file__).parents[1] / "custom_components" / "doorservice"
STRINGS = PACKAGE / "strings.json"

DESCRIPTIONS: dict[str, dict[str, tuple[Any, ...]]] = {
    "sensor": {
        "site": sensor.SITE_SENSORS,
        "cabinet": sensor.CABINET_SENSORS,
        "compartment": sensor.COMPARTMENT_SENSORS,
        "room": sensor.ROOM_SENSORS,
        "worker": sensor.WORKER_SENSORS,
    },
    "binary_sensor": {
        "cabinet": binary_sensor.CABINET_BINARY_SENSORS,
        "compartment": binary_sensor.COMPARTMENT_BINARY_SENSORS,
        "room": binary_sensor.ROOM_BINARY_SENSORS,
    },
    "switch": {
        "worker": switch.WORKER_SWITCHES,
        "compartment": switch.COMPARTMENT_SWITCHES,
        "room": switch.ROOM_SWITCHES,
    },
}


@pytest.mark.parametrize("platform", sorted(DESCRIPTIONS))
def test_every_description_has_a_translated_name(platform: str) -> None:
    names = json.loads(STRINGS.read_text())["entity"][platform]
    for part, descriptions in DESCRIPTIONS[platform].items():
        assert descriptions, part
        for description in descriptions:
            assert description.translation_key in names, (part, description.key)
            assert callable(description.value_fn)


@pytest.mark.parametrize("platform", sorted(DESCRIPTIONS))
def test_keys_are_unique_per_part_kind(platform: str) -> None:
    # The key is the unique id's suffix: two descriptions of one part would collide.
    for part, descriptions in DESCRIPTIONS[platform].items():
        keys = [description.key for description in descriptions]
        assert len(keys) == len(set(keys)), part
