"""To-do lists: each worker's orders and the site's queue per request category."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import SubentryType
from .entities.orders import CategoryQueueTodo
from .entities.worker import WorkerOrdersTodo
from .entity import EntityAdder
from .runtime import DoorServiceConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the workers' lists and the site's category queues."""
    # A worker's list reads their orders when it is created: one list per step.
    add = EntityAdder(async_add_entities, batch=1)
    runtime = entry.runtime_data
    await add(
        CategoryQueueTodo(runtime, category)
        for category in runtime.site.catalog.categories()
    )
    for worker in runtime.subentries(SubentryType.WORKER):
        await add(
            [WorkerOrdersTodo(runtime, worker)], config_subentry_id=worker.subentry_id
        )
