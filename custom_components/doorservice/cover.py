"""Room cover entities."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.room import room_entities
from .entity import EntityAdder
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the cover entities of every room."""
    add = EntityAdder(async_add_entities)
    for subentry_id, entities in room_entities(entry.runtime_data, Platform.COVER):
        await add(entities, config_subentry_id=subentry_id)
