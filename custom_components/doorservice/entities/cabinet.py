"""Entities of a cabinet and its compartments.

Locks, doors, contents, connectivity, free compartments, low stock, the cabinet's
events and the booking QR image.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.components.lock import LockEntity, LockEntityDescription
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback

from ..cabinet_glue import CABINET_EVENT_TYPES, qr_png
from ..core.events import Contents
from ..entity import DoorServiceEntity
from ..runtime import CabinetRuntime, SiteRuntime, compartment_key

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
            # Compartment entities follow their own compartment, not the cabinet.
            self._part_key = compartment_key(cabinet.cabinet_id, compartment)

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


COMPARTMENT_CONTENTS = SensorEntityDescription(
    key="compartment_contents",
    translation_key="compartment_contents",
    device_class=SensorDeviceClass.ENUM,
    options=[c.value for c in Contents],
)
FREE_COMPARTMENTS = SensorEntityDescription(
    key="free_compartments",
    translation_key="free_compartments",
    state_class=SensorStateClass.MEASUREMENT,
)
LOW_STOCK = SensorEntityDescription(
    key="low_stock",
    translation_key="low_stock",
    state_class=SensorStateClass.MEASUREMENT,
)
CABINET_EVENT = EventEntityDescription(
    key="cabinet_event",
    translation_key="cabinet_event",
    event_types=list(CABINET_EVENT_TYPES),
)
BOOKING_QR = ImageEntityDescription(key="booking_qr", translation_key="booking_qr")


class CompartmentContentsSensor(CabinetEntity, SensorEntity):
    """What a compartment holds: empty, reserved, key, supplies, key and supplies."""

    @property
    def available(self) -> bool:
        """Return True: the contents are known without the board."""
        return True

    @property
    def native_value(self) -> str:
        """Return the contents."""
        assert self.compartment is not None
        cabinet = self.runtime.site.cabinets[self.cabinet.cabinet_id]
        return cabinet.compartment(self.compartment).contents.value


class FreeCompartmentsSensor(CabinetEntity, SensorEntity):
    """How many compartments of the cabinet can take a new booking."""

    @property
    def available(self) -> bool:
        """Return True: known without the board."""
        return True

    @property
    def native_value(self) -> int:
        """Return the number of free compartments."""
        return self.runtime.site.cabinets[self.cabinet.cabinet_id].free_count()


class LowStockSensor(CabinetEntity, SensorEntity):
    """How many supplies of the cabinet are at or below their threshold."""

    @property
    def available(self) -> bool:
        """Return True: known without the board."""
        return True

    @property
    def native_value(self) -> int:
        """Return the number of low items."""
        return len(self.runtime.site.stock[self.cabinet.cabinet_id].low_stock())

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the low skus and what is available of each supply."""
        stock = self.runtime.site.stock[self.cabinet.cabinet_id]
        return {
            "low": stock.low_stock(),
            "available": {
                item.sku: stock.available(item.sku)
                for item in self.runtime.site.supplies
            },
        }


class CabinetEventEntity(CabinetEntity, EventEntity):
    """Fires for codes (without the code), doors, lockouts and low stock."""

    @property
    def available(self) -> bool:
        """Return True: events come from the domain."""
        return True

    async def async_added_to_hass(self) -> None:
        """Follow the cabinet's events."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.cabinet_glue.async_add_listener(
                self.cabinet.cabinet_id, self._on_event
            )
        )

    @callback
    def _on_event(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()

    def _handle_update(self) -> None:
        """Event entities only write when an event fires."""


class BookingQrImage(CabinetEntity, ImageEntity):
    """The booking QR code of the site, as shown on the cabinet's display."""

    _attr_content_type = "image/png"

    def __init__(
        self,
        hass: HomeAssistant,
        runtime: SiteRuntime,
        cabinet: CabinetRuntime,
        description: Any,
    ) -> None:
        """Create the image entity."""
        CabinetEntity.__init__(self, runtime, cabinet, description)
        ImageEntity.__init__(self, hass)
        self._attr_image_last_updated = runtime.cabinet_glue.qr_updated

    @property
    def available(self) -> bool:
        """Return True: the image is made here, not by the board."""
        return True

    async def async_image(self) -> bytes | None:
        """Return the PNG of the booking QR code."""
        return qr_png(self.runtime.cabinet_glue.qr_payload)


COMPARTMENT_IN_SERVICE = SwitchEntityDescription(
    key="compartment_in_service",
    translation_key="compartment_in_service",
    entity_category=EntityCategory.CONFIG,
)


class CompartmentInService(CabinetEntity, SwitchEntity):
    """Whether a compartment may be allocated (off: out of service, e.g. broken)."""

    @property
    def available(self) -> bool:
        """Return True: the setting is the site's, not the board's."""
        return True

    @property
    def is_on(self) -> bool:
        """Return whether the compartment is in service."""
        assert self.compartment is not None
        cabinet = self.runtime.site.cabinets[self.cabinet.cabinet_id]
        return not cabinet.compartment(self.compartment).out_of_service

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Put the compartment back in service."""
        assert self.compartment is not None
        await self.runtime.async_set_in_service(
            self.cabinet, self.compartment, True, self._context
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Take the compartment out of service (refused while it holds something)."""
        assert self.compartment is not None
        await self.runtime.async_set_in_service(
            self.cabinet, self.compartment, False, self._context
        )
