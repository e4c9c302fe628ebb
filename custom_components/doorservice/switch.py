"""Switches: workers on duty, compartments in service, rooms' do not disturb."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import SubentryType
from .entities.cabinet import COMPARTMENT_IN_SERVICE, CompartmentInService
from .entities.room import room_entities
from .entities.worker import WorkerOnDutySwitch
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the switches of workers, compartments and rooms."""
    runtime = entry.runtime_data
    for worker in runtime.subentries(SubentryType.WORKER):
        async_add_entities(
            [WorkerOnDutySwitch(runtime, worker)],
            config_subentry_id=worker.subentry_id,
        )
    for cabinet in runtime.cabinets.values():
        async_add_entities(
            (
                CompartmentInService(runtime, cabinet, COMPARTMENT_IN_SERVICE, number)
                for number in cabinet.driver.state.compartments
            ),
            config_subentry_id=cabinet.cabinet_id,
        )
    for subentry_id, entities in room_entities(runtime, Platform.SWITCH):
        async_add_entities(entities, config_subentry_id=subentry_id)
