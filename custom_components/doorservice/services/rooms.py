"""Room actions: stays, the catalog, appliances, do not disturb."""

from __future__ import annotations

from homeassistant.core import (
    ServiceCall,
    ServiceResponse,
)

from ..authorization import async_caller
from ..core.events import ApplianceCommand
from .resolve import requester_name, resolve_room, resolve_site
from .responses import appliances_data, catalog_data, may_change_appliances
from .schemas import (
    ATTR_APPLIANCE,
    ATTR_ENDS_AT,
    ATTR_GUEST_NAME,
    ATTR_LANGUAGE,
    ATTR_NOTIFY_TARGET,
    ATTR_ON,
    ATTR_REASON,
    ATTR_ROOM,
    ATTR_SITE,
    ATTR_TARGET_STATE,
    ATTR_VALUE,
    TARGET_ACTIONS,
    bounded_time,
)


async def check_in(call: ServiceCall) -> ServiceResponse:
    """The ``check_in`` action (see services.yaml)."""
    hass = call.hass
    (await async_caller(hass, call)).require_privileged(call.service)
    data = call.data
    runtime, room = resolve_room(hass, data[ATTR_ROOM])
    ends_at = (
        bounded_time(data[ATTR_ENDS_AT], ATTR_ENDS_AT) if ATTR_ENDS_AT in data else None
    )
    stay = await runtime.rooms.async_check_in(
        room,
        data[ATTR_GUEST_NAME],
        call.context,
        language=data[ATTR_LANGUAGE],
        notify_target=data.get(ATTR_NOTIFY_TARGET),
        ends_at=ends_at,
    )
    return {
        "stay": {
            "stay_id": stay.id,
            "room": runtime.part_name(room),
            "language": stay.language.value,
            "checked_in_at": stay.checked_in_at.isoformat(),
            "ends_at": stay.ends_at.isoformat() if stay.ends_at else None,
            "currency": stay.folio.currency,
        }
    }


async def check_out(call: ServiceCall) -> ServiceResponse:
    """The ``check_out`` action (see services.yaml)."""
    hass = call.hass
    (await async_caller(hass, call)).require_privileged(call.service)
    runtime, room = resolve_room(hass, call.data[ATTR_ROOM])
    return {"folio": await runtime.rooms.async_check_out(room, call.context)}


async def get_catalog(call: ServiceCall) -> ServiceResponse:
    """The ``get_catalog`` action (see services.yaml)."""
    hass = call.hass
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    if ATTR_ROOM in call.data:
        runtime, room = resolve_room(hass, call.data[ATTR_ROOM])
        allowed = caller.is_room_terminal(runtime, room) or bool(
            caller.workers and caller.works_at(runtime)
        )
    else:
        runtime = resolve_site(hass, call.data.get(ATTR_SITE))
        allowed = caller.works_at(runtime)
    if not (caller.is_privileged or allowed):
        raise caller.refuse(call.service)
    return catalog_data(runtime)


async def get_room_appliances(call: ServiceCall) -> ServiceResponse:
    """The ``get_room_appliances`` action (see services.yaml)."""
    hass = call.hass
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    runtime, room = resolve_room(hass, call.data[ATTR_ROOM])
    if not (
        caller.is_privileged
        or caller.is_room_terminal(runtime, room)
        or caller.serves_room(runtime, room)
    ):
        raise caller.refuse(call.service)
    return appliances_data(runtime, room)


async def get_folio(call: ServiceCall) -> ServiceResponse:
    """The ``get_folio`` action (see services.yaml): the open bill with its lines.

    For the room's terminal users, managers and automations; ``folio`` is None when
    the room has no stay.
    """
    hass = call.hass
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    runtime, room = resolve_room(hass, call.data[ATTR_ROOM])
    if not (caller.is_privileged or caller.is_room_terminal(runtime, room)):
        raise caller.refuse(call.service)
    stay = runtime.site.stays.room(room).stay
    return {
        "room": runtime.part_name(room),
        "folio": runtime.rooms.folio_data(stay.folio) if stay is not None else None,
    }


async def request_appliance_change(call: ServiceCall) -> ServiceResponse:
    """The ``request_appliance_change`` action (see services.yaml)."""
    hass = call.hass
    data = call.data
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    runtime, room = resolve_room(hass, data[ATTR_ROOM])
    may_change_appliances(caller, runtime, room, call.service)
    value = data.get(ATTR_VALUE)
    if value is not None and float(value).is_integer():
        value = int(value)
    command = ApplianceCommand(
        data[ATTR_APPLIANCE].strip(), TARGET_ACTIONS[data[ATTR_TARGET_STATE]], value
    )
    await runtime.rooms.async_staff_command(
        room,
        command,
        await requester_name(hass, call),
        data[ATTR_REASON],
        call.context,
    )
    return appliances_data(runtime, room)


async def set_do_not_disturb(call: ServiceCall) -> ServiceResponse:
    """The ``set_do_not_disturb`` action (see services.yaml)."""
    hass = call.hass
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    runtime, room = resolve_room(hass, call.data[ATTR_ROOM])
    if not (caller.is_privileged or caller.is_room_terminal(runtime, room)):
        raise caller.refuse(call.service)
    await runtime.rooms.async_set_do_not_disturb(room, call.data[ATTR_ON], call.context)
    return None
