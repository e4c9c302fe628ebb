"""Binary sensors: compartment doors, cabinet boards' connectivity, rooms' stays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import SubentryType
from .entities.cabinet import (
    CabinetCompartment,
    CabinetEntity,
    CompartmentEntity,
    cabinet_compartments,
)
from .entities.room import RoomEntity
from .entity import EntityAdder, PartEntity, PartEntityDescription, always_available
from .runtime import CabinetRuntime, DoorServiceConfigEntry, SiteRuntime

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DoorServiceBinarySensorEntityDescription[P](
    BinarySensorEntityDescription, PartEntityDescription[P]
):
    """Describes a binary sensor of a part ``P`` of a site."""

    value_fn: Callable[[SiteRuntime, P], bool | None]


def _stay_data(runtime: SiteRuntime, room_id: str) -> dict[str, object]:
    """The stay id and its end (no guest name)."""
    stay = runtime.site.stays.room(room_id).stay
    return {
        "stay_id": stay.id if stay else None,
        "ends_at": stay.ends_at.isoformat() if stay and stay.ends_at else None,
    }


CABINET_BINARY_SENSORS: tuple[
    DoorServiceBinarySensorEntityDescription[CabinetRuntime], ...
] = (
    DoorServiceBinarySensorEntityDescription[CabinetRuntime](
        key="connectivity",
        translation_key="board",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        available_fn=always_available,  # it reports the board's availability
        value_fn=lambda _, cabinet: cabinet.driver.state.available,
    ),
)

COMPARTMENT_BINARY_SENSORS: tuple[
    DoorServiceBinarySensorEntityDescription[CabinetCompartment], ...
] = (
    DoorServiceBinarySensorEntityDescription[CabinetCompartment](
        key="compartment_door",
        translation_key="compartment_door",
        device_class=BinarySensorDeviceClass.DOOR,
        # On = open; unknown when the board has no door sensor.
        value_fn=lambda _, compartment: compartment.board.door_open,
    ),
)

ROOM_BINARY_SENSORS: tuple[DoorServiceBinarySensorEntityDescription[str], ...] = (
    DoorServiceBinarySensorEntityDescription[str](
        key="stay",
        translation_key="stay",
        device_class=BinarySensorDeviceClass.OCCUPANCY,
        # On while the room's guest may control it.
        value_fn=lambda runtime, room_id: runtime.site.stays.is_authorized(
            room_id, dt_util.utcnow()
        ),
        attributes_fn=_stay_data,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of every cabinet and room."""
    add = EntityAdder(async_add_entities)
    runtime = entry.runtime_data
    for cabinet in runtime.cabinets.values():
        await add(
            [
                *(
                    CabinetBinarySensor(runtime, cabinet, description)
                    for description in CABINET_BINARY_SENSORS
                ),
                *(
                    CompartmentBinarySensor(runtime, compartment, description)
                    for compartment in cabinet_compartments(cabinet)
                    for description in COMPARTMENT_BINARY_SENSORS
                ),
            ],
            config_subentry_id=cabinet.cabinet_id,
        )
    for room in runtime.subentries(SubentryType.ROOM):
        await add(
            (
                RoomBinarySensor(runtime, room, description)
                for description in ROOM_BINARY_SENSORS
            ),
            config_subentry_id=room.subentry_id,
        )


class DoorServiceBinarySensor[P](PartEntity[P], BinarySensorEntity):
    """A binary sensor whose state is its description's ``value_fn(runtime, part)``."""

    entity_description: DoorServiceBinarySensorEntityDescription[P]

    @property
    def is_on(self) -> bool | None:
        """Return the state of the part."""
        return self.entity_description.value_fn(self.runtime, self.part)


class CabinetBinarySensor(DoorServiceBinarySensor[CabinetRuntime], CabinetEntity):
    """A binary sensor of a cabinet."""


class CompartmentBinarySensor(
    DoorServiceBinarySensor[CabinetCompartment], CompartmentEntity
):
    """A binary sensor of one compartment."""


class RoomBinarySensor(DoorServiceBinarySensor[str], RoomEntity):
    """A binary sensor of a room."""
