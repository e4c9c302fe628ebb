"""Entities of a cabinet and its compartments: locks, doors, connectivity."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.components.lock import LockEntity, LockEntityDescription
from homeassistant.const import EntityCategory

from ..entity import DoorServiceEntity
from ..runtime import CabinetRuntime, SiteRuntime

COMPARTMENT_LOCK = LockEntityDescription(
    key="compartment_lock", translation_key="compartment_lock"
)
COMPARTMENT_DOOR = BinarySensorEntityDescription(
    key="compartment_door",
    translation_key="compartment_door",
    device_class=BinarySensorDeviceClass.DOOR,
)
CABINET_CONNECTIVITY = BinarySensorEntityDescription(
    key="connectivity",
    translation_key="board",
    device_class=BinarySensorDeviceClass.CONNECTIVITY,
    entity_category=EntityCategory.DIAGNOSTIC,
)


class CabinetEntity(DoorServiceEntity):
    """An entity of a cabinet's device."""

    def __init__(
        self,
        runtime: SiteRuntime,
        cabinet: CabinetRuntime,
        description: Any,
        compartment: int | None = None,
    ) -> None:
        """Create the entity; compartment entities carry the compartment number."""
        suffix = f"{description.key}_{compartment}" if compartment is not None else None
        super().__init__(runtime, description, cabinet.subentry, suffix)
        self.cabinet = cabinet
        self.compartment = compartment
        if compartment is not None:
            self._attr_translation_placeholders = {"number": str(compartment)}

    @property
    def available(self) -> bool:
        """Return whether the cabinet's board is online."""
        return self.cabinet.driver.state.available


class CompartmentLock(CabinetEntity, LockEntity):
    """The lock of one compartment."""

    @property
    def is_locked(self) -> bool:
        """Return whether the compartment is locked."""
        assert self.compartment is not None
        return self.cabinet.driver.state.compartments[self.compartment].locked

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the compartment."""
        assert self.compartment is not None
        await self.runtime.async_maintenance_lock(
            self.cabinet, self.compartment, locked=True, context=self._context
        )

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the compartment (an audited maintenance action)."""
        assert self.compartment is not None
        await self.runtime.async_maintenance_lock(
            self.cabinet, self.compartment, locked=False, context=self._context
        )


class CompartmentDoor(CabinetEntity, BinarySensorEntity):
    """The door of one compartment (on = open)."""

    @property
    def is_on(self) -> bool | None:
        """Return whether the door is open (None when the board has no sensor)."""
        assert self.compartment is not None
        return self.cabinet.driver.state.compartments[self.compartment].door_open


class CabinetConnectivity(CabinetEntity, BinarySensorEntity):
    """Whether the cabinet's board is online (always available itself)."""

    @property
    def available(self) -> bool:
        """Return True: this entity reports the board's availability."""
        return True

    @property
    def is_on(self) -> bool:
        """Return whether the board is online."""
        return self.cabinet.driver.state.available
