"""Worker on-duty switches."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import SubentryType
from .entities.room import room_entities
from .entities.worker import WorkerOnDutySwitch
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the switches of every worker."""
    runtime = entry.runtime_data
    for worker in runtime.subentries(SubentryType.WORKER):
        async_add_entities(
            [WorkerOnDutySwitch(runtime, worker)],
            config_subentry_id=worker.subentry_id,
        )
    for subentry_id, entities in room_entities(entry.runtime_data, Platform.SWITCH):
        async_add_entities(entities, config_subentry_id=subentry_id)
