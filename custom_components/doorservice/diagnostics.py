"""Diagnostics of a site, with secrets and personal data redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_MANAGER_NOTIFY, CONF_NOTIFY_SERVICE, CONF_PERSON
from .runtime import DoorServiceConfigEntry

TO_REDACT = {
    CONF_NOTIFY_SERVICE,
    CONF_MANAGER_NOTIFY,
    CONF_PERSON,
    "address",
    "contact_phone",
    "phone",
    "guest",
    "guest_name",
    "notify_target",
    "pin",
    "token",
    "url",
    "pin_digest",
    "token_digest",
    "secret",
    "message",
    "requester",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: DoorServiceConfigEntry
) -> dict[str, Any]:
    """Return the diagnostics of a site."""
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "data": dict(entry.data),
                "options": dict(entry.options),
                "subentries": [
                    {
                        "type": sub.subentry_type,
                        "title": sub.title,
                        "data": dict(sub.data),
                    }
                    for sub in entry.subentries.values()
                ],
            },
            "runtime": entry.runtime_data.as_diagnostics(),
        },
        TO_REDACT,
    )
