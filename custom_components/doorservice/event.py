"""The order event entity of each site."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.cabinet import CABINET_EVENT, CabinetEventEntity
from .entities.orders import OrderEventEntity
from .entities.room import room_entities
from .entity import EntityAdder
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the event entities of the site, its cabinets and its rooms."""
    add = EntityAdder(async_add_entities)
    runtime = entry.runtime_data
    await add([OrderEventEntity(runtime)])
    for cabinet in runtime.cabinets.values():
        await add(
            [CabinetEventEntity(runtime, cabinet, CABINET_EVENT)],
            config_subentry_id=cabinet.cabinet_id,
        )
    for subentry_id, entities in room_entities(runtime, Platform.EVENT):
        await add(entities, config_subentry_id=subentry_id)
