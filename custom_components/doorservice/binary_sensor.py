"""Compartment doors and board connectivity."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.cabinet import (
    CABINET_CONNECTIVITY,
    COMPARTMENT_DOOR,
    CabinetConnectivity,
    CompartmentDoor,
)
from .entities.room import room_entities
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up door sensors and the board's connectivity for every cabinet."""
    runtime = entry.runtime_data
    for cabinet in runtime.cabinets.values():
        async_add_entities(
            [
                CabinetConnectivity(runtime, cabinet, CABINET_CONNECTIVITY),
                *(
                    CompartmentDoor(runtime, cabinet, COMPARTMENT_DOOR, number)
                    for number in cabinet.driver.state.compartments
                ),
            ],
            config_subentry_id=cabinet.cabinet_id,
        )
    for subentry_id, entities in room_entities(
        entry.runtime_data, Platform.BINARY_SENSOR
    ):
        async_add_entities(entities, config_subentry_id=subentry_id)
