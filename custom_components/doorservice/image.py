"""The booking QR image of every cabinet."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entities.cabinet import BOOKING_QR, BookingQrImage
from .entity import EntityAdder
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the booking QR image of every cabinet."""
    add = EntityAdder(async_add_entities)
    runtime = entry.runtime_data
    for cabinet in runtime.cabinets.values():
        await add(
            [BookingQrImage(hass, runtime, cabinet, BOOKING_QR)],
            config_subentry_id=cabinet.cabinet_id,
        )
