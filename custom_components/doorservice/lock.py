"""Compartment locks."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.cabinet import COMPARTMENT_LOCK, CompartmentLock, cabinet_compartments
from .entity import EntityAdder
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up a lock per compartment of every cabinet."""
    add = EntityAdder(async_add_entities)
    runtime = entry.runtime_data
    for cabinet in runtime.cabinets.values():
        await add(
            (
                CompartmentLock(runtime, compartment, COMPARTMENT_LOCK)
                for compartment in cabinet_compartments(cabinet)
            ),
            config_subentry_id=cabinet.cabinet_id,
        )
