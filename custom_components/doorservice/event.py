"""The order event entity of each site."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.cabinet import CABINET_EVENT, CabinetEventEntity
from .entities.orders import OrderEventEntity
from .entities.room import room_entities
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the event entities of the site, its cabinets and its rooms."""
    runtime = entry.runtime_data
    async_add_entities([OrderEventEntity(runtime)])
    for cabinet in runtime.cabinets.values():
        async_add_entities(
            [CabinetEventEntity(runtime, cabinet, CABINET_EVENT)],
            config_subentry_id=cabinet.cabinet_id,
        )
    for subentry_id, entities in room_entities(runtime, Platform.EVENT):
        async_add_entities(entities, config_subentry_id=subentry_id)
