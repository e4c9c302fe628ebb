"""Describe Door Service events in the logbook, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_AUDIT

AUDIT_ACTIONS = {
    "maintenance_unlock": "unlocked for maintenance",
    "maintenance_lock": "locked for maintenance",
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, Any]]], None],
) -> None:
    """Describe the integration's events."""

    @callback
    def _describe_audit(event: Event) -> dict[str, Any]:
        data = event.data
        action = AUDIT_ACTIONS.get(data["action"], data["action"])
        return {
            "name": f"{data['site']} {data['cabinet']}",
            "message": f"compartment {data['compartment']} {action}",
        }

    async_describe_event(DOMAIN, EVENT_AUDIT, _describe_audit)
