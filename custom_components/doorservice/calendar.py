"""The bookings calendar of each site."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.orders import BookingsCalendar
from .entity import EntityAdder
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the site's bookings calendar."""
    add = EntityAdder(async_add_entities)
    await add([BookingsCalendar(entry.runtime_data)])
