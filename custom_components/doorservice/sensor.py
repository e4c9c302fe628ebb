"""Sensors of a site and its parts."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import SubentryType
from .entities.cabinet import (
    COMPARTMENT_CONTENTS,
    FREE_COMPARTMENTS,
    LOW_STOCK,
    CompartmentContentsSensor,
    FreeCompartmentsSensor,
    LowStockSensor,
)
from .entities.orders import (
    RESPONSE_MEAN,
    RESPONSE_P90,
    OpenOrdersSensor,
    ResponseTimeSensor,
)
from .entities.room import room_entities
from .entities.site import WorkersOnDutySensor
from .entities.worker import WorkerStatusSensor
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors of the site and its workers."""
    runtime = entry.runtime_data
    async_add_entities(
        [
            WorkersOnDutySensor(runtime),
            OpenOrdersSensor(runtime),
            ResponseTimeSensor(runtime, RESPONSE_MEAN),
            ResponseTimeSensor(runtime, RESPONSE_P90),
        ]
    )
    for worker in runtime.subentries(SubentryType.WORKER):
        async_add_entities(
            [WorkerStatusSensor(runtime, worker)], config_subentry_id=worker.subentry_id
        )
    for cabinet in runtime.cabinets.values():
        async_add_entities(
            [
                FreeCompartmentsSensor(runtime, cabinet, FREE_COMPARTMENTS),
                LowStockSensor(runtime, cabinet, LOW_STOCK),
                *(
                    CompartmentContentsSensor(
                        runtime, cabinet, COMPARTMENT_CONTENTS, number
                    )
                    for number in cabinet.driver.state.compartments
                ),
            ],
            config_subentry_id=cabinet.cabinet_id,
        )
    for subentry_id, entities in room_entities(entry.runtime_data, Platform.SENSOR):
        async_add_entities(entities, config_subentry_id=subentry_id)
