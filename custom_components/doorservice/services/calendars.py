"""The ``refresh_calendars`` action: read a site's booking calendars now."""

from __future__ import annotations

import probatio as vol

from homeassistant.core import ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv

from ..authorization import async_caller
from .resolve import resolve_site
from .schemas import ATTR_SITE

SERVICE_REFRESH_CALENDARS = "refresh_calendars"
REFRESH_CALENDARS_SCHEMA = vol.Schema({vol.Optional(ATTR_SITE): cv.string})


async def refresh_calendars(call: ServiceCall) -> ServiceResponse:
    """Read every booking calendar of a site and update its cleanings (manager)."""
    hass = call.hass
    caller = await async_caller(hass, call)
    caller.require_privileged(call.service)
    runtime = resolve_site(hass, call.data.get(ATTR_SITE))
    results = await runtime.calendars.async_refresh()
    return {"calendars": [result.as_dict() for result in results]}
