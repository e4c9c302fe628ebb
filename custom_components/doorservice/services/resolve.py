"""Finding what an action is about: the site, the room, cabinet or worker, the order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr

from ..authorization import Caller
from ..const import DOMAIN, SubentryType
from ..core.orders import Order
from ..runtime import DoorServiceConfigEntry, SiteRuntime
from .schemas import ATTR_CABINET, ATTR_ORDER_ID, ATTR_SITE, validation_error


def loaded_runtimes(hass: HomeAssistant) -> list[SiteRuntime]:
    """Return the sites that are loaded."""
    entries: list[DoorServiceConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    return [e.runtime_data for e in entries if e.state is ConfigEntryState.LOADED]


def resolve_site(hass: HomeAssistant, site: str | None) -> SiteRuntime:
    """Return the site named by entry id or name; the only one when omitted."""
    runtimes = loaded_runtimes(hass)
    if site is None:
        if len(runtimes) == 1:
            return runtimes[0]
        raise validation_error("site_required")
    wanted = site.strip().casefold()
    for runtime in runtimes:
        if wanted in (runtime.entry.entry_id.casefold(), runtime.name.casefold()):
            return runtime
    raise validation_error("unknown_site", site=site)


def resolve_part(
    hass: HomeAssistant,
    runtimes: list[SiteRuntime],
    kind: SubentryType,
    value: str,
) -> tuple[SiteRuntime, str]:
    """Find a room or worker by device id, subentry id or name."""
    wanted = value.strip()
    device = dr.async_get(hass).async_get(wanted)
    for runtime in runtimes:
        for sub in runtime.subentries(kind):
            if (
                wanted == sub.subentry_id
                or wanted.casefold() == sub.title.casefold()
                or (device is not None and device.config_subentry_id == sub.subentry_id)
            ):
                return runtime, sub.subentry_id
    raise validation_error(f"unknown_{kind.value}", **{kind.value: value})


def find_order(hass: HomeAssistant, order_id: str, site: str | None) -> SiteRuntime:
    """Return the loaded site that has ``order_id`` live (refused when none)."""
    runtimes = [resolve_site(hass, site)] if site else loaded_runtimes(hass)
    order_id = order_id.strip().upper()
    matches = [r for r in runtimes if order_id in r.site.desk.book]
    if not matches:
        raise validation_error("unknown_order", order_id=order_id)
    if len(matches) > 1:
        raise validation_error("order_ambiguous", order_id=order_id)
    return matches[0]


def worker_of(hass: HomeAssistant, runtime: SiteRuntime, value: str) -> str:
    """Return the worker id a name or id stands for, at ``runtime``'s site."""
    return resolve_part(hass, [runtime], SubentryType.WORKER, value)[1]


def find_order_for(
    hass: HomeAssistant,
    caller: Caller,
    call: ServiceCall,
    allowed: Callable[[SiteRuntime, Order], bool],
) -> tuple[SiteRuntime, Order]:
    """Find the call's order; refuse a caller who may not act on it.

    Anyone but a manager or the system is refused an order that does not exist
    exactly as one they may not touch: ids are not probed that way.
    """
    action = call.service
    try:
        runtime = find_order(hass, call.data[ATTR_ORDER_ID], call.data.get(ATTR_SITE))
    except HomeAssistantError:
        if caller.is_privileged:
            raise
        raise caller.refuse(action) from None
    order = runtime.site.order(call.data[ATTR_ORDER_ID].strip().upper())
    if not caller.is_privileged and not allowed(runtime, order):
        raise caller.refuse(action)
    return runtime, order


async def requester_name(hass: HomeAssistant, call: ServiceCall) -> str:
    """Return who booked: the user's name, or ``automation``."""
    if call.context.user_id and (
        user := await hass.auth.async_get_user(call.context.user_id)
    ):
        return user.name or "user"
    return "automation"


def resolve_room(hass: HomeAssistant, value: str) -> tuple[SiteRuntime, str]:
    """Return the site and id of the room a name or id stands for."""
    return resolve_part(hass, loaded_runtimes(hass), SubentryType.ROOM, value)


def resolve_cabinet(
    hass: HomeAssistant, data: dict[str, Any]
) -> tuple[SiteRuntime, str]:
    """Return the site and id of the cabinet a call names."""
    runtimes = (
        [resolve_site(hass, data[ATTR_SITE])]
        if ATTR_SITE in data
        else loaded_runtimes(hass)
    )
    return resolve_part(hass, runtimes, SubentryType.CABINET, data[ATTR_CABINET])
