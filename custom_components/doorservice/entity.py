"""Base entity of Door Service: a device per site part, state pushed by the runtime."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import (
    AddConfigEntryEntitiesCallback,
    async_get_platforms,
)

from .authorization import Caller, async_caller_of
from .const import DOMAIN, SubentryType
from .runtime import SITE_KEY, SiteRuntime

MODELS = {
    SubentryType.CABINET: "Smart cabinet",
    SubentryType.ROOM: "Room",
    SubentryType.WORKER: "Worker",
}


def site_device_info(runtime: SiteRuntime) -> DeviceInfo:
    """Return the device that stands for the site itself."""
    return DeviceInfo(
        identifiers={(DOMAIN, runtime.entry.entry_id)},
        name=runtime.name,
        manufacturer="Door Service",
        model=f"{runtime.site_type.capitalize()} site",
        entry_type=DeviceEntryType.SERVICE,
    )


def part_device_info(runtime: SiteRuntime, subentry: ConfigSubentry) -> DeviceInfo:
    """Return the device of a cabinet, room or worker."""
    kind = SubentryType(subentry.subentry_type)
    return DeviceInfo(
        identifiers={(DOMAIN, subentry.subentry_id)},
        name=subentry.title,
        manufacturer="Door Service",
        model=MODELS[kind],
        via_device_id=runtime.site_device_id,
    )


ADD_BATCH = 8
REMOVE_BATCH = 32
"""Entities added before a platform's set-up lets the event loop run again."""


class EntityAdder:
    """Adds a platform's entities, letting the event loop run between batches.

    A big site has thousands of entities; adding them in one go would hold the event
    loop for seconds.
    """

    def __init__(
        self, add: AddConfigEntryEntitiesCallback, *, batch: int = ADD_BATCH
    ) -> None:
        """Wrap the platform's ``async_add_entities``; yield every ``batch``."""
        self._add = add
        self._batch = batch
        self._since_yield: int | None = None

    async def __call__(
        self, entities: Iterable[Entity], *, config_subentry_id: str | None = None
    ) -> None:
        """Add ``entities`` (of one subentry, or of the site).

        The first call yields before it adds: Home Assistant starts every platform's
        set-up eagerly, one after the other in the same step of the loop, so a
        platform that added its first batch at once would add to everybody's.
        """
        if self._since_yield is None:
            self._since_yield = 0
            await asyncio.sleep(0)
        pending = list(entities)
        while pending:
            room = self._batch - self._since_yield
            batch, pending = pending[:room], pending[room:]
            self._add(batch, config_subentry_id=config_subentry_id)
            self._since_yield += len(batch)
            if self._since_yield >= self._batch:
                self._since_yield = 0
                await asyncio.sleep(0)


async def async_remove_entities_gradually(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Remove a site's entities a batch at a time, letting the event loop run.

    Unloading a platform removes all its entities in one go: for a 500-room site
    (thousands of entities) that held the event loop for most of a second. Removed
    here first, in batches, the platforms' own unload finds nothing left to do. Each
    entity is removed exactly as the platform would remove it (state written as
    unavailable, listeners released).
    """
    entities = [
        entity
        for platform in async_get_platforms(hass, DOMAIN)
        if platform.config_entry is entry
        for entity in list(platform.entities.values())
    ]
    for start in range(0, len(entities), REMOVE_BATCH):
        for entity in entities[start : start + REMOVE_BATCH]:
            if entity.hass is not None and entity.platform is not None:
                await entity.async_remove()
        await asyncio.sleep(0)


class DoorServiceEntity(Entity):
    """An entity that reflects part of a site and writes state when it changes."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        runtime: SiteRuntime,
        description: EntityDescription,
        subentry: ConfigSubentry | None,
        unique_suffix: str | None = None,
    ) -> None:
        """Create the entity of ``subentry`` (or of the site when None)."""
        self.runtime = runtime
        self._last_shown: tuple[Any, ...] | None = None
        self.entity_description = description
        self._part_key = subentry.subentry_id if subentry else SITE_KEY
        owner = subentry.subentry_id if subentry else runtime.entry.entry_id
        self._attr_unique_id = f"{owner}_{unique_suffix or description.key}"
        runtime.entity_unique_ids.add(self._attr_unique_id)
        self._attr_device_info = (
            part_device_info(runtime, subentry)
            if subentry
            else site_device_info(runtime)
        )

    async def async_added_to_hass(self) -> None:
        """Follow the changes of this entity's part of the site."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.async_add_listener(self._part_key, self._handle_update)
        )

    async def async_require_caller(
        self,
        command: str,
        allowed: Callable[[Caller], bool] | None = None,
        context: Context | None = None,
    ) -> Caller:
        """Refuse the caller of an entity command unless ``allowed`` (run it first).

        The caller comes from the context Home Assistant's entity-service call set
        (``self._context``; none at all is an internal call: the system), or from
        ``context`` when given. Managers and the system may always; anybody else
        when ``allowed(caller)``. A refusal is the translated ``NotAllowed``
        (Home Assistant's ``Unauthorized``), raised before anything changes.
        """
        caller = await async_caller_of(self.hass, context or self._context or Context())
        if caller.is_privileged or (allowed is not None and allowed(caller)):
            return caller
        raise caller.refuse(f"{command} ({self.entity_id})")

    def _handle_update(self) -> None:
        """Write the state, only when what it shows changed."""
        shown = self._shown_state()
        if shown == self._last_shown:
            return
        self._last_shown = shown
        self.async_write_ha_state()

    def _shown_state(self) -> tuple[Any, ...]:
        """What the state machine would show: state, attributes, availability."""
        return (
            self.available,
            self.state,
            _frozen(self.state_attributes),
            _frozen(self.extra_state_attributes),
        )


@dataclass(frozen=True, kw_only=True)
class PartEntityDescription[P](EntityDescription):
    """What every described entity may add: its availability and its attributes.

    ``P`` is the part of the site the entity shows (``None`` for the site itself,
    a cabinet, a compartment, a room or worker id); each function is called with
    the runtime and that part.
    """

    available_fn: Callable[[SiteRuntime, P], bool] | None = None
    """When set, replaces the part kind's own availability (e.g. the board's)."""
    attributes_fn: Callable[[SiteRuntime, P], dict[str, Any]] | None = None


def always_available(runtime: SiteRuntime, part: object) -> bool:
    """An ``available_fn`` for what the site knows without a board."""
    return True


class PartEntity[P](DoorServiceEntity):
    """An entity whose availability and attributes come from its description."""

    entity_description: PartEntityDescription[P]
    part: P

    @property
    def available(self) -> bool:
        """Return the description's availability, else the part kind's."""
        available_fn = self.entity_description.available_fn
        if available_fn is None:
            return super().available
        return available_fn(self.runtime, self.part)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the description's attributes of the part (none without)."""
        attributes_fn = self.entity_description.attributes_fn
        return None if attributes_fn is None else attributes_fn(self.runtime, self.part)


class SiteEntity(DoorServiceEntity):
    """An entity of the site's own device."""

    part: None

    def __init__(self, runtime: SiteRuntime, description: EntityDescription) -> None:
        """Create the site's entity of ``description``."""
        super().__init__(runtime, description, None)
        self.part = None


class SubentryEntity(DoorServiceEntity):
    """An entity of a room or a worker: its part is the subentry's id."""

    part: str

    def __init__(
        self,
        runtime: SiteRuntime,
        subentry: ConfigSubentry,
        description: EntityDescription,
    ) -> None:
        """Create the entity of ``description`` for ``subentry``'s part."""
        super().__init__(runtime, description, subentry)
        self.part = subentry.subentry_id


def _frozen(attributes: Mapping[str, Any] | None) -> Any:
    """A comparable snapshot of state attributes."""
    if not attributes:
        return None
    return repr(sorted(attributes.items()))
