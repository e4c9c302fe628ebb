"""The parts of a cabinet entities show, and its locks, events and booking QR image.

Its sensors, door sensors, connectivity and in-service switches are described in
the platform modules (``sensor.py``, ``binary_sensor.py``, ``switch.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.components.lock import LockEntity, LockEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import EntityDescription

from ..booking.links import cabinet_booking_url, public_booking_on
from ..booking.sticker import NOTE_BOOKING_OFF, NOTE_NO_EXTERNAL_URL, note_svg
from ..cabinet_glue import CABINET_EVENT_TYPES, qr_png
from ..core.cabinet import Compartment
from ..drivers.base import CompartmentHardware
from ..entity import DoorServiceEntity
from ..runtime import CabinetRuntime, SiteRuntime, compartment_key

COMPARTMENT_LOCK = LockEntityDescription(
    key="compartment_lock", translation_key="compartment_lock"
)


@dataclass(frozen=True, slots=True)
class CabinetCompartment:
    """One compartment of a cabinet: the part a compartment entity shows."""

    cabinet: CabinetRuntime
    number: int

    @property
    def board(self) -> CompartmentHardware:
        """What the cabinet's board reports of this compartment."""
        return self.cabinet.driver.state.compartments[self.number]

    def of_site(self, runtime: SiteRuntime) -> Compartment:
        """The compartment as the site's domain knows it."""
        return runtime.site.cabinets[self.cabinet.cabinet_id].compartment(self.number)


def cabinet_compartments(cabinet: CabinetRuntime) -> list[CabinetCompartment]:
    """Return the compartments of ``cabinet`` that its board has."""
    return [
        CabinetCompartment(cabinet, number)
        for number in cabinet.driver.state.compartments
    ]


class CabinetEntity(DoorServiceEntity):
    """An entity of a cabinet's device; available while its board is online."""

    part: CabinetRuntime

    def __init__(
        self,
        runtime: SiteRuntime,
        cabinet: CabinetRuntime,
        description: EntityDescription,
    ) -> None:
        """Create the cabinet's entity of ``description``."""
        super().__init__(runtime, description, cabinet.subentry)
        self.cabinet = self.part = cabinet

    @property
    def available(self) -> bool:
        """Return whether the cabinet's board is online."""
        return self.cabinet.driver.state.available


class CompartmentEntity(DoorServiceEntity):
    """An entity of one compartment (on its cabinet's device), following it alone."""

    part: CabinetCompartment

    def __init__(
        self,
        runtime: SiteRuntime,
        compartment: CabinetCompartment,
        description: EntityDescription,
    ) -> None:
        """Create the entity of ``description`` for ``compartment``."""
        cabinet, number = compartment.cabinet, compartment.number
        super().__init__(
            runtime, description, cabinet.subentry, f"{description.key}_{number}"
        )
        self.cabinet = cabinet
        self.compartment = number
        self.part = compartment
        self._attr_translation_placeholders = {"number": str(number)}
        # Compartment entities follow their own compartment, not the cabinet.
        self._part_key = compartment_key(cabinet.cabinet_id, number)

    @property
    def available(self) -> bool:
        """Return whether the cabinet's board is online."""
        return self.cabinet.driver.state.available


class CompartmentLock(CompartmentEntity, LockEntity):
    """The lock of one compartment."""

    @property
    def is_locked(self) -> bool:
        """Return whether the compartment is locked."""
        return self.part.board.locked

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the compartment (managers and the system only)."""
        await self.async_require_caller("lock.lock")
        await self.runtime.async_maintenance_lock(
            self.cabinet, self.compartment, locked=True, context=self._context
        )

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the compartment (an audited maintenance action; managers only)."""
        await self.async_require_caller("lock.unlock")
        await self.runtime.async_maintenance_lock(
            self.cabinet, self.compartment, locked=False, context=self._context
        )


CABINET_EVENT = EventEntityDescription(
    key="cabinet_event",
    translation_key="cabinet_event",
    event_types=list(CABINET_EVENT_TYPES),
)
BOOKING_QR = ImageEntityDescription(key="booking_qr", translation_key="booking_qr")


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
    """The cabinet's booking QR code, as shown on its display.

    It encodes the cabinet's public booking link. While public booking is off, or
    while the site has no external URL, the image is a short SVG note saying what to
    configure instead (a link that cannot work is never encoded).
    """

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
        """Return the PNG of the booking QR code, or the SVG note."""
        hass = self.hass
        subentry = self.cabinet.subentry
        if (url := cabinet_booking_url(hass, subentry)) is not None:
            self._attr_content_type = "image/png"
            return qr_png(url)
        self._attr_content_type = "image/svg+xml"
        if not public_booking_on(subentry):
            return note_svg(NOTE_BOOKING_OFF)
        return note_svg(NOTE_NO_EXTERNAL_URL)
