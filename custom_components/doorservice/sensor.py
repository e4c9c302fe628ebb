"""Sensors of a site and its parts."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.site import WorkersOnDutySensor
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the site's sensors."""
    async_add_entities([WorkersOnDutySensor(entry.runtime_data)])
