"""Switches: workers on duty, compartments in service, rooms' do not disturb.

The appliances a room's guest switches come with the room's other appliances
(``entities/room.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .authorization import Caller
from .const import SubentryType
from .entities.cabinet import (
    CabinetCompartment,
    CompartmentEntity,
    cabinet_compartments,
)
from .entities.room import RoomEntity, room_entities
from .entities.worker import WorkerEntity
from .entity import EntityAdder, PartEntity, PartEntityDescription, always_available
from .runtime import DoorServiceConfigEntry, SiteRuntime

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DoorServiceSwitchEntityDescription[P](
    SwitchEntityDescription, PartEntityDescription[P]
):
    """Describes a switch of a part ``P`` of a site and how it is switched."""

    value_fn: Callable[[SiteRuntime, P], bool]
    switch_fn: Callable[
        [SiteRuntime, P, bool, Context | None], Coroutine[Any, Any, None]
    ]
    """Switch the part on (True) or off; refusals raise, changing nothing."""
    allowed_fn: Callable[[Caller, SiteRuntime, P], bool]
    """Who besides a manager or the system may switch it (checked first)."""


def _nobody(caller: Caller, runtime: SiteRuntime, part: object) -> bool:
    """An ``allowed_fn``: managers and the system only."""
    return False


WORKER_SWITCHES: tuple[DoorServiceSwitchEntityDescription[str], ...] = (
    DoorServiceSwitchEntityDescription[str](
        key="on_duty",
        translation_key="on_duty",
        # On duty: the worker may be offered orders.
        value_fn=lambda runtime, worker_id: runtime.site.is_on_duty(worker_id),
        switch_fn=lambda runtime, worker_id, on, context: runtime.async_set_on_duty(
            worker_id, on, context
        ),
        # The worker's own Home Assistant user.
        allowed_fn=lambda caller, runtime, worker_id: caller.is_worker(
            runtime, worker_id
        ),
    ),
)

COMPARTMENT_SWITCHES: tuple[
    DoorServiceSwitchEntityDescription[CabinetCompartment], ...
] = (
    DoorServiceSwitchEntityDescription[CabinetCompartment](
        key="compartment_in_service",
        translation_key="compartment_in_service",
        entity_category=EntityCategory.CONFIG,
        # Off: out of service (e.g. broken); refused while it holds something.
        available_fn=always_available,  # the setting is the site's, not the board's
        value_fn=lambda runtime, compartment: (
            not compartment.of_site(runtime).out_of_service
        ),
        switch_fn=lambda runtime, compartment, on, context: (
            runtime.async_set_in_service(
                compartment.cabinet, compartment.number, on, context
            )
        ),
        allowed_fn=_nobody,
    ),
)

ROOM_SWITCHES: tuple[DoorServiceSwitchEntityDescription[str], ...] = (
    DoorServiceSwitchEntityDescription[str](
        key="do_not_disturb",
        translation_key="do_not_disturb",
        # Cleanings of the room wait while it is on.
        value_fn=lambda runtime, room_id: (
            runtime.site.stays.room(room_id).do_not_disturb
        ),
        switch_fn=lambda runtime, room_id, on, context: (
            runtime.rooms.async_set_do_not_disturb(room_id, on, context)
        ),
        # The room's own terminal users.
        allowed_fn=lambda caller, runtime, room_id: caller.is_room_terminal(
            runtime, room_id
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the switches of workers, compartments and rooms."""
    add = EntityAdder(async_add_entities)
    runtime = entry.runtime_data
    for worker in runtime.subentries(SubentryType.WORKER):
        await add(
            (
                WorkerSwitch(runtime, worker, description)
                for description in WORKER_SWITCHES
            ),
            config_subentry_id=worker.subentry_id,
        )
    for cabinet in runtime.cabinets.values():
        await add(
            (
                CompartmentSwitch(runtime, compartment, description)
                for compartment in cabinet_compartments(cabinet)
                for description in COMPARTMENT_SWITCHES
            ),
            config_subentry_id=cabinet.cabinet_id,
        )
    for room in runtime.subentries(SubentryType.ROOM):
        await add(
            (RoomSwitch(runtime, room, description) for description in ROOM_SWITCHES),
            config_subentry_id=room.subentry_id,
        )
    for subentry_id, entities in room_entities(runtime, Platform.SWITCH):
        await add(entities, config_subentry_id=subentry_id)


class DoorServiceSwitch[P](PartEntity[P], SwitchEntity):
    """A switch whose state is its description's ``value_fn(runtime, part)``."""

    entity_description: DoorServiceSwitchEntityDescription[P]

    @property
    def is_on(self) -> bool:
        """Return whether the part is switched on."""
        return self.entity_description.value_fn(self.runtime, self.part)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the part on (when the caller may)."""
        await self._async_switch(True, "turn_on")

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the part off (when the caller may)."""
        await self._async_switch(False, "turn_off")

    async def _async_switch(self, on: bool, command: str) -> None:
        description = self.entity_description
        await self.async_require_caller(
            f"switch.{command}",
            lambda caller: description.allowed_fn(caller, self.runtime, self.part),
        )
        await description.switch_fn(self.runtime, self.part, on, self._context)


class WorkerSwitch(DoorServiceSwitch[str], WorkerEntity):
    """A switch of a worker."""


class CompartmentSwitch(DoorServiceSwitch[CabinetCompartment], CompartmentEntity):
    """A switch of one compartment."""


class RoomSwitch(DoorServiceSwitch[str], RoomEntity):
    """A switch of a room."""
