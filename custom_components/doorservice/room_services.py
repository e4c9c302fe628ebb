"""Door Service actions of the room side: stays, catalog, do not disturb, appliances."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import probatio as vol

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from .authorization import Caller, async_caller
from .const import DOMAIN, SubentryType
from .core.events import ApplianceAction, ApplianceCommand, Language
from .runtime import SiteRuntime
from .services import (
    ATTR_REASON,
    ATTR_ROOM,
    ATTR_SITE,
    _loaded_runtimes,
    _requester,
    _text,
    bounded_time,
    resolve_part,
    resolve_site,
)

ATTR_GUEST_NAME = "guest_name"
ATTR_LANGUAGE = "language"
ATTR_NOTIFY_TARGET = "notify_target"
ATTR_ENDS_AT = "ends_at"
ATTR_APPLIANCE = "appliance"
ATTR_TARGET_STATE = "state"
ATTR_VALUE = "value"
ATTR_ON = "on"

SERVICE_CHECK_IN = "check_in"
SERVICE_CHECK_OUT = "check_out"
SERVICE_GET_CATALOG = "get_catalog"
SERVICE_GET_ROOM_APPLIANCES = "get_room_appliances"
SERVICE_REQUEST_APPLIANCE_CHANGE = "request_appliance_change"
SERVICE_SET_DO_NOT_DISTURB = "set_do_not_disturb"

TARGET_ACTIONS = {
    "on": ApplianceAction.TURN_ON,
    "off": ApplianceAction.TURN_OFF,
    "open": ApplianceAction.OPEN,
    "closed": ApplianceAction.CLOSE,
}

ROOM_FIELD: dict[Any, Any] = {vol.Required(ATTR_ROOM): cv.string}

ROOM_SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_CHECK_IN: vol.Schema(
        {
            **ROOM_FIELD,
            vol.Required(ATTR_GUEST_NAME): _text(100),
            vol.Optional(ATTR_LANGUAGE, default=Language.EN.value): vol.In(
                [language.value for language in Language]
            ),
            vol.Optional(ATTR_NOTIFY_TARGET): cv.string,
            vol.Optional(ATTR_ENDS_AT): cv.datetime,
        }
    ),
    SERVICE_CHECK_OUT: vol.Schema(ROOM_FIELD),
    SERVICE_GET_CATALOG: vol.Schema(
        {vol.Optional(ATTR_SITE): cv.string, vol.Optional(ATTR_ROOM): cv.string}
    ),
    SERVICE_GET_ROOM_APPLIANCES: vol.Schema(ROOM_FIELD),
    SERVICE_REQUEST_APPLIANCE_CHANGE: vol.Schema(
        {
            **ROOM_FIELD,
            vol.Required(ATTR_APPLIANCE): cv.string,
            vol.Required(ATTR_TARGET_STATE): vol.In(list(TARGET_ACTIONS)),
            vol.Optional(ATTR_VALUE): vol.Coerce(float),
            vol.Required(ATTR_REASON): _text(200),
        }
    ),
    SERVICE_SET_DO_NOT_DISTURB: vol.Schema(
        {**ROOM_FIELD, vol.Required(ATTR_ON): cv.boolean}
    ),
}


def _room(hass: HomeAssistant, value: str) -> tuple[SiteRuntime, str]:
    return resolve_part(hass, _loaded_runtimes(hass), SubentryType.ROOM, value)


def catalog_data(runtime: SiteRuntime) -> dict[str, Any]:
    """Return the site's service types with prices (response data)."""
    return {
        "site": runtime.name,
        "currency": runtime.currency,
        "service_types": [
            {
                "service_type": kind.id,
                "name": kind.name,
                "category": kind.category,
                "price": str(kind.price),
                "paid": kind.is_paid,
                "duration_minutes": kind.duration_minutes,
                "sla_minutes": kind.sla_minutes,
            }
            for kind in runtime.site.catalog
        ],
    }


def appliances_data(runtime: SiteRuntime, room_id: str) -> dict[str, Any]:
    """Return a room's appliances and their last known states (response data)."""
    appliances = runtime.site.appliances.get(room_id)
    return {
        "room": runtime.part_name(room_id),
        "authorized": runtime.site.stays.is_authorized(room_id, dt_util.utcnow()),
        "board_available": (
            room.driver.state.available
            if (room := runtime.rooms.rooms.get(room_id))
            else False
        ),
        "appliances": [
            {
                "appliance": appliance.id,
                "name": appliance.name,
                "kind": appliance.kind.value,
                "state": _state(appliance.kind.value, appliance.is_on),
                "value": appliance.value,
                "checkout_state": appliance.checkout_state.value,
                "updated_at": (
                    appliance.updated_at.isoformat() if appliance.updated_at else None
                ),
            }
            for appliance in (appliances.appliances if appliances else [])
        ],
    }


def _may_change_appliances(
    caller: Caller, runtime: SiteRuntime, room: str, action: str
) -> None:
    """Staff serving the room, or its terminal during an authorized stay."""
    if caller.is_privileged or caller.serves_room(runtime, room):
        return
    if caller.is_room_terminal(runtime, room) and runtime.site.stays.is_authorized(
        room, dt_util.utcnow()
    ):
        return
    raise caller.refuse(action)


def _state(kind: str, is_on: bool) -> str:
    if kind == "cover":
        return "open" if is_on else "closed"
    return "on" if is_on else "off"


@callback
def async_setup_room_services(hass: HomeAssistant) -> None:
    """Register the room-side actions."""

    async def check_in(call: ServiceCall) -> ServiceResponse:
        (await async_caller(hass, call)).require_privileged(call.service)
        data = call.data
        runtime, room = _room(hass, data[ATTR_ROOM])
        ends_at = (
            bounded_time(data[ATTR_ENDS_AT], ATTR_ENDS_AT)
            if ATTR_ENDS_AT in data
            else None
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
        (await async_caller(hass, call)).require_privileged(call.service)
        runtime, room = _room(hass, call.data[ATTR_ROOM])
        return {"folio": await runtime.rooms.async_check_out(room, call.context)}

    async def get_catalog(call: ServiceCall) -> ServiceResponse:
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        if ATTR_ROOM in call.data:
            runtime, room = _room(hass, call.data[ATTR_ROOM])
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
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        runtime, room = _room(hass, call.data[ATTR_ROOM])
        if not (
            caller.is_privileged
            or caller.is_room_terminal(runtime, room)
            or caller.serves_room(runtime, room)
        ):
            raise caller.refuse(call.service)
        return appliances_data(runtime, room)

    async def request_appliance_change(call: ServiceCall) -> ServiceResponse:
        data = call.data
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        runtime, room = _room(hass, data[ATTR_ROOM])
        _may_change_appliances(caller, runtime, room, call.service)
        value = data.get(ATTR_VALUE)
        if value is not None and float(value).is_integer():
            value = int(value)
        command = ApplianceCommand(
            data[ATTR_APPLIANCE].strip(), TARGET_ACTIONS[data[ATTR_TARGET_STATE]], value
        )
        await runtime.rooms.async_staff_command(
            room,
            command,
            await _requester(hass, call),
            data[ATTR_REASON],
            call.context,
        )
        return appliances_data(runtime, room)

    async def set_do_not_disturb(call: ServiceCall) -> ServiceResponse:
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        runtime, room = _room(hass, call.data[ATTR_ROOM])
        if not (caller.is_privileged or caller.is_room_terminal(runtime, room)):
            raise caller.refuse(call.service)
        await runtime.rooms.async_set_do_not_disturb(
            room, call.data[ATTR_ON], call.context
        )
        return None

    handlers: dict[str, tuple[Callable[[ServiceCall], Any], SupportsResponse]] = {
        SERVICE_CHECK_IN: (check_in, SupportsResponse.OPTIONAL),
        SERVICE_CHECK_OUT: (check_out, SupportsResponse.OPTIONAL),
        SERVICE_GET_CATALOG: (get_catalog, SupportsResponse.ONLY),
        SERVICE_GET_ROOM_APPLIANCES: (get_room_appliances, SupportsResponse.ONLY),
        SERVICE_REQUEST_APPLIANCE_CHANGE: (
            request_appliance_change,
            SupportsResponse.OPTIONAL,
        ),
        SERVICE_SET_DO_NOT_DISTURB: (set_do_not_disturb, SupportsResponse.NONE),
    }
    for name, (handler, supports) in handlers.items():
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=ROOM_SCHEMAS[name],
            supports_response=supports,
        )
