"""Manager actions of the public booking page, and the virtual cabinet's keypad.

* ``set_public_booking``: turn a cabinet's booking page on or off, and set how many
  compartments are kept back from public bookings. Turning it on the first time
  gives the cabinet its link token.
* ``rotate_booking_link``: a new link token; the old link answers 404 at once.
* ``press_virtual_keypad``: press keys on a cabinet on the virtual driver, as a
  person at the cabinet would (digits and ``#`` enter a code, ``A`` shows the booking
  QR for 60 s). A code typed here travels in the call_service event, so only a
  manager or the system may (like ``unlock_compartment``).

The token and the switch live in the cabinet subentry's data: changing them reloads
the site like any other change of a cabinet. Registered with every other action
(``services/__init__.py``).
"""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.core import (
    ServiceCall,
    ServiceResponse,
)
from homeassistant.helpers import config_validation as cv

from ..authorization import async_caller
from ..booking import links
from ..const import (
    CONF_BOOKING_TOKEN,
    CONF_PUBLIC_BOOKING,
    CONF_PUBLIC_RESERVE,
    DEFAULT_PUBLIC_RESERVE,
    MAX_COMPARTMENTS,
)
from ..drivers.virtual import VirtualCabinetDriver
from ..runtime import SiteRuntime
from .resolve import resolve_cabinet
from .schemas import CABINET_FIELDS, validation_error

SERVICE_SET_PUBLIC_BOOKING = "set_public_booking"
SERVICE_ROTATE_BOOKING_LINK = "rotate_booking_link"
SERVICE_PRESS_VIRTUAL_KEYPAD = "press_virtual_keypad"
ATTR_ENABLED = "enabled"
ATTR_RESERVE = "reserve"
ATTR_KEYS = "keys"

SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_SET_PUBLIC_BOOKING: vol.Schema(
        {
            **CABINET_FIELDS,
            vol.Required(ATTR_ENABLED): cv.boolean,
            vol.Optional(ATTR_RESERVE): vol.All(
                vol.Coerce(int), vol.Range(min=0, max=MAX_COMPARTMENTS)
            ),
        }
    ),
    SERVICE_ROTATE_BOOKING_LINK: vol.Schema(CABINET_FIELDS),
    SERVICE_PRESS_VIRTUAL_KEYPAD: vol.Schema(
        {
            **CABINET_FIELDS,
            vol.Required(ATTR_KEYS): vol.All(
                cv.string, vol.Match(r"^[0-9A-D*#]{1,32}$")
            ),
        }
    ),
}


def _answer(runtime: SiteRuntime, cabinet_id: str) -> dict[str, Any]:
    sub = runtime.entry.subentries[cabinet_id]
    return {
        "cabinet": sub.title,
        "public_booking": links.public_booking_on(sub),
        "reserve": int(sub.data.get(CONF_PUBLIC_RESERVE, DEFAULT_PUBLIC_RESERVE)),
        "booking_url": links.cabinet_booking_url(runtime.hass, sub),
    }


def _update(runtime: SiteRuntime, cabinet_id: str, **changes: Any) -> None:
    sub = runtime.entry.subentries[cabinet_id]
    runtime.hass.config_entries.async_update_subentry(
        runtime.entry, sub, data={**sub.data, **changes}
    )


async def set_public_booking(call: ServiceCall) -> ServiceResponse:
    """The ``set_public_booking`` action (managers)."""
    (await async_caller(call.hass, call)).require_privileged(call.service)
    runtime, cabinet_id = resolve_cabinet(call.hass, dict(call.data))
    data = runtime.entry.subentries[cabinet_id].data
    changes: dict[str, Any] = {CONF_PUBLIC_BOOKING: call.data[ATTR_ENABLED]}
    if ATTR_RESERVE in call.data:
        changes[CONF_PUBLIC_RESERVE] = call.data[ATTR_RESERVE]
    if call.data[ATTR_ENABLED] and not data.get(CONF_BOOKING_TOKEN):
        changes[CONF_BOOKING_TOKEN] = links.new_cabinet_token()
    # Nothing to change (already so): no reload of the site.
    if any(
        data.get(key, False if key == CONF_PUBLIC_BOOKING else None) != value
        for key, value in changes.items()
    ):
        _update(runtime, cabinet_id, **changes)
    return _answer(runtime, cabinet_id)


async def rotate_booking_link(call: ServiceCall) -> ServiceResponse:
    """The ``rotate_booking_link`` action (managers)."""
    (await async_caller(call.hass, call)).require_privileged(call.service)
    runtime, cabinet_id = resolve_cabinet(call.hass, dict(call.data))
    _update(runtime, cabinet_id, **{CONF_BOOKING_TOKEN: links.new_cabinet_token()})
    return _answer(runtime, cabinet_id)


async def press_virtual_keypad(call: ServiceCall) -> None:
    """The ``press_virtual_keypad`` action (managers and the system)."""
    (await async_caller(call.hass, call)).require_privileged(call.service)
    runtime, cabinet_id = resolve_cabinet(call.hass, dict(call.data))
    driver = runtime.cabinets[cabinet_id].driver
    if not isinstance(driver, VirtualCabinetDriver):
        raise validation_error(
            "not_a_virtual_cabinet", cabinet=runtime.part_name(cabinet_id) or ""
        )
    driver.press_keys(call.data[ATTR_KEYS])
