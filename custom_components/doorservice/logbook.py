"""Describe Door Service events in the logbook, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_APPLIANCE_CHANGE, EVENT_AUDIT

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

    @callback
    def _describe_appliance_change(event: Event) -> dict[str, Any]:
        data = event.data
        action = str(data["action"]).replace("_", " ")
        value = f" ({data['value']})" if data.get("value") is not None else ""
        return {
            "name": f"{data['site']} {data['room']}",
            "message": f"{data['appliance']}: {action}{value} by {data['actor']}, "
            f"because {data['reason']}",
        }

    async_describe_event(DOMAIN, EVENT_APPLIANCE_CHANGE, _describe_appliance_change)
