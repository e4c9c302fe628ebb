"""The part a room's entities show; its selects, request events and appliances.

A room's stay, do-not-disturb, last-request and bill entities are described in
``binary_sensor.py``, ``switch.py`` and ``sensor.py``. The guest-side appliance
entities obey only during an authorized stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from homeassistant.components.climate import ClimateEntity
from homeassistant.components.climate.const import ClimateEntityFeature, HVACMode
from homeassistant.components.cover import (
    CoverDeviceClass,
    CoverEntity,
)
from homeassistant.components.cover.const import CoverEntityFeature
from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.components.fan import FanEntity
from homeassistant.components.fan.const import FanEntityFeature
from homeassistant.components.light import LightEntity
from homeassistant.components.light.const import ColorMode
from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.components.switch import SwitchEntity
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import ATTR_TEMPERATURE, Platform, UnitOfTemperature
from homeassistant.core import callback
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.util import dt as dt_util

from ..authorization import Caller
from ..const import SubentryType
from ..core.appliances import Appliance, ApplianceKind
from ..core.events import ApplianceAction, ApplianceCommand, Handedness
from ..core.service_names import price_label, service_name
from ..core.stays import RoomState
from ..entity import SubentryEntity
from ..rooms import ROOM_EVENT_TYPES
from ..runtime import SiteRuntime

HANDEDNESS = SelectEntityDescription(
    key="handedness",
    translation_key="handedness",
    options=[hand.value for hand in Handedness],
)
CATALOG = SelectEntityDescription(key="catalog", translation_key="catalog")
REQUESTS = EventEntityDescription(
    key="requests", translation_key="room_requests", event_types=list(ROOM_EVENT_TYPES)
)


class RoomEntity(SubentryEntity):
    """An entity of one room (its part: the room's id)."""

    @property
    def _room_id(self) -> str:
        return self.part

    @property
    def _room(self) -> RoomState:
        return self.runtime.site.stays.room(self._room_id)

    def _is_terminal(self, caller: Caller) -> bool:
        """Return True when the caller acts for this room (its terminal users)."""
        return caller.is_room_terminal(self.runtime, self._room_id)


class HandednessSelect(RoomEntity, SelectEntity):
    """The hand the room terminal's layout is built for."""

    @property
    def current_option(self) -> str:
        """Return ``left`` or ``right``."""
        return self._room.handedness.value

    async def async_select_option(self, option: str) -> None:
        """Mirror the terminal's layout (the room's terminal users, managers)."""
        await self.async_require_caller("select.select_option", self._is_terminal)
        await self.runtime.rooms.async_set_handedness(
            self._room_id, option, self._context
        )


def _price(runtime: SiteRuntime, price: Decimal, language: str) -> str:
    return price_label(
        f"{price:.2f} {runtime.currency}" if price > 0 else None, language
    )


class CatalogSelect(RoomEntity, SelectEntity):
    """What the room can ask for, with prices, before the guest confirms.

    Choosing an option only shows it (and its price); the request is raised by
    ``request_service`` with the ``service_type`` attribute.
    """

    def __init__(self, runtime: SiteRuntime, subentry: ConfigSubentry) -> None:
        """Create the catalog of ``subentry``'s room."""
        super().__init__(runtime, subentry, CATALOG)
        self._choice: str | None = None

    def _labels(self) -> dict[str, str]:
        """Return option -> service type, in the stay's (or the home's) language."""
        language = self.runtime.rooms.language(self._room_id)
        return {
            f"{service_name(kind, language)} "
            f"({_price(self.runtime, kind.price, language)})": kind.id
            for kind in self.runtime.site.catalog
        }

    @property
    def options(self) -> list[str]:
        """Return every service type with its price."""
        return list(self._labels())

    @property
    def current_option(self) -> str | None:
        """Return the service the guest is looking at."""
        labels = self._labels()
        if self._choice in labels.values():
            return next(label for label, sid in labels.items() if sid == self._choice)
        return None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the chosen type and the catalog (ids, prices, paid flags)."""
        return {
            "service_type": self._choice,
            "currency": self.runtime.currency,
            "services": [
                {
                    "service_type": kind.id,
                    "name": kind.name,
                    "price": str(kind.price),
                    "paid": kind.is_paid,
                }
                for kind in self.runtime.site.catalog
            ],
        }

    async def async_select_option(self, option: str) -> None:
        """Show a service and its price (the room's terminal users, managers)."""
        await self.async_require_caller("select.select_option", self._is_terminal)
        self._choice = self._labels()[option]
        self.async_write_ha_state()


class RoomRequestsEvent(RoomEntity, EventEntity):
    """Fires for every answer to the room's requests and for its stay."""

    async def async_added_to_hass(self) -> None:
        """Follow the room's answers."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.rooms.async_add_listener(self._room_id, self._on_answer)
        )

    @callback
    def _on_answer(self, event_type: str, data: dict[str, Any]) -> None:
        self._trigger_event(event_type, data)
        self.async_write_ha_state()

    def _handle_update(self) -> None:
        """Event entities only write when an event fires."""


# --- appliances (guest side) --------------------------------------------------------


class ApplianceEntity(RoomEntity):
    """A room appliance as the guest sees it; commands need an authorized stay."""

    _attr_name: str | None

    def __init__(
        self, runtime: SiteRuntime, subentry: ConfigSubentry, appliance: Appliance
    ) -> None:
        """Create the entity of ``appliance``."""
        super().__init__(
            runtime, subentry, EntityDescription(key=f"appliance_{appliance.id}")
        )
        self._appliance_id = appliance.id
        self._attr_name = appliance.name

    @property
    def _appliance(self) -> Appliance:
        return self.runtime.site.appliances[self._room_id].get(self._appliance_id)

    @property
    def available(self) -> bool:
        """Return whether the room's board is online."""
        room = self.runtime.rooms.rooms.get(self._room_id)
        return room is not None and room.driver.state.available

    def _may_command(self, caller: Caller) -> bool:
        """Staff serving the room, or its terminal during an authorized stay.

        The same rule as ``request_appliance_change``; the domain refuses any
        guest command outside a stay as well.
        """
        runtime, room_id = self.runtime, self._room_id
        return caller.serves_room(runtime, room_id) or (
            caller.is_room_terminal(runtime, room_id)
            and runtime.site.stays.is_authorized(room_id, dt_util.utcnow())
        )

    async def _command(
        self, action: ApplianceAction, value: float | None = None
    ) -> None:
        await self.async_require_caller(action.value, self._may_command)
        await self.runtime.rooms.async_guest_command(
            self._room_id,
            ApplianceCommand(self._appliance_id, action, value),
            self._context,
        )


class ApplianceSwitch(ApplianceEntity, SwitchEntity):
    """A switched appliance (a socket, a TV)."""

    @property
    def is_on(self) -> bool:
        """Return whether it is on."""
        return self._appliance.is_on

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch it on."""
        await self._command(ApplianceAction.TURN_ON)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch it off."""
        await self._command(ApplianceAction.TURN_OFF)


class ApplianceLight(ApplianceEntity, LightEntity):
    """A dimmable light."""

    _attr_color_mode = ColorMode.BRIGHTNESS
    _attr_supported_color_modes = {ColorMode.BRIGHTNESS}

    @property
    def is_on(self) -> bool:
        """Return whether it is on."""
        return self._appliance.is_on

    @property
    def brightness(self) -> int | None:
        """Return the last known brightness."""
        value = self._appliance.value
        return None if value is None else int(value)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on, optionally to a brightness."""
        brightness = kwargs.get("brightness")
        await self._command(
            ApplianceAction.TURN_ON, None if brightness is None else int(brightness)
        )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        await self._command(ApplianceAction.TURN_OFF)


class ApplianceClimate(ApplianceEntity, ClimateEntity):
    """An air conditioner: on (auto) or off, with a target temperature."""

    _attr_hvac_modes = [HVACMode.OFF, HVACMode.AUTO]
    _attr_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )

    def __init__(
        self, runtime: SiteRuntime, subentry: ConfigSubentry, appliance: Appliance
    ) -> None:
        """Create the climate entity with the appliance's temperature range."""
        super().__init__(runtime, subentry, appliance)
        self._attr_min_temp = appliance.min_temp or 7.0
        self._attr_max_temp = appliance.max_temp or 35.0

    @property
    def hvac_mode(self) -> HVACMode:
        """Return auto while on, off otherwise."""
        return HVACMode.AUTO if self._appliance.is_on else HVACMode.OFF

    @property
    def target_temperature(self) -> float | None:
        """Return the last known target temperature."""
        return self._appliance.value

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch on (auto) or off."""
        if hvac_mode is HVACMode.OFF:
            await self._command(ApplianceAction.TURN_OFF)
        else:
            await self._command(ApplianceAction.TURN_ON)

    async def async_turn_on(self) -> None:
        """Switch on."""
        await self._command(ApplianceAction.TURN_ON)

    async def async_turn_off(self) -> None:
        """Switch off."""
        await self._command(ApplianceAction.TURN_OFF)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Switch on at a target temperature."""
        await self._command(ApplianceAction.TURN_ON, float(kwargs[ATTR_TEMPERATURE]))


class ApplianceCover(ApplianceEntity, CoverEntity):
    """A curtain or blind."""

    _attr_device_class = CoverDeviceClass.CURTAIN
    _attr_supported_features = (
        CoverEntityFeature.OPEN
        | CoverEntityFeature.CLOSE
        | CoverEntityFeature.SET_POSITION
    )

    @property
    def is_closed(self) -> bool:
        """Return whether it is closed."""
        return not self._appliance.is_on

    @property
    def current_cover_position(self) -> int | None:
        """Return the last known position (0 closed, 100 open)."""
        appliance = self._appliance
        if not appliance.is_on:
            return 0
        return 100 if appliance.value is None else int(appliance.value)

    async def async_open_cover(self, **kwargs: Any) -> None:
        """Open it."""
        await self._command(ApplianceAction.OPEN)

    async def async_close_cover(self, **kwargs: Any) -> None:
        """Close it."""
        await self._command(ApplianceAction.CLOSE)

    async def async_set_cover_position(self, **kwargs: Any) -> None:
        """Move to a position (0 closes)."""
        position = int(kwargs["position"])
        if position == 0:
            await self._command(ApplianceAction.CLOSE)
        else:
            await self._command(ApplianceAction.OPEN, position)


class ApplianceFan(ApplianceEntity, FanEntity):
    """A fan with a speed."""

    _attr_supported_features = (
        FanEntityFeature.SET_SPEED
        | FanEntityFeature.TURN_ON
        | FanEntityFeature.TURN_OFF
    )

    @property
    def is_on(self) -> bool:
        """Return whether it runs."""
        return self._appliance.is_on

    @property
    def percentage(self) -> int | None:
        """Return the last known speed."""
        value = self._appliance.value
        return None if value is None else int(value)

    async def async_turn_on(
        self,
        percentage: int | None = None,
        preset_mode: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Switch on, optionally at a speed."""
        await self._command(ApplianceAction.TURN_ON, percentage)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        await self._command(ApplianceAction.TURN_OFF)

    async def async_set_percentage(self, percentage: int) -> None:
        """Set the speed (0 switches off)."""
        if percentage == 0:
            await self._command(ApplianceAction.TURN_OFF)
        else:
            await self._command(ApplianceAction.TURN_ON, percentage)


PLATFORM_KINDS: dict[Platform, ApplianceKind] = {
    Platform.SWITCH: ApplianceKind.SWITCH,
    Platform.LIGHT: ApplianceKind.LIGHT,
    Platform.CLIMATE: ApplianceKind.CLIMATE,
    Platform.COVER: ApplianceKind.COVER,
    Platform.FAN: ApplianceKind.FAN,
}

APPLIANCE_CLASSES: dict[ApplianceKind, type[ApplianceEntity]] = {
    ApplianceKind.SWITCH: ApplianceSwitch,
    ApplianceKind.LIGHT: ApplianceLight,
    ApplianceKind.CLIMATE: ApplianceClimate,
    ApplianceKind.COVER: ApplianceCover,
    ApplianceKind.FAN: ApplianceFan,
}


def room_entities(
    runtime: SiteRuntime, platform: Platform
) -> Iterator[tuple[str, list[Entity]]]:
    """Yield, room by room, its entities of ``platform`` (fixed ones and appliances).

    Room by room, so a platform adding them can let the event loop run in between.
    """
    for sub in runtime.subentries(SubentryType.ROOM):
        entities: list[Entity] = []
        if platform is Platform.SELECT:
            entities += [
                HandednessSelect(runtime, sub, HANDEDNESS),
                CatalogSelect(runtime, sub),
            ]
        elif platform is Platform.EVENT:
            entities.append(RoomRequestsEvent(runtime, sub, REQUESTS))
        appliances = runtime.site.appliances.get(sub.subentry_id)
        kind = PLATFORM_KINDS.get(platform)
        if appliances is not None and kind is not None:
            entities += [
                APPLIANCE_CLASSES[kind](runtime, sub, appliance)
                for appliance in appliances.appliances
                if appliance.kind is kind
            ]
        if entities:
            yield sub.subentry_id, entities
