"""Describe Door Service events in the logbook, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_AUDIT, EVENT_CODE, EVENT_KEY_MOVED

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
    def _describe_code(event: Event) -> dict[str, Any]:
        data = event.data
        name = f"{data['site']} {data['cabinet']}"
        if data["result"] == "accepted":
            text = (
                f"accepted a {data['purpose']} code of {data['holder']} for order "
                f"{data['order_id']}: compartment {data['compartment']} opened"
            )
        elif data["result"] == "lockout":
            text = "locked its keypad after too many wrong codes"
        else:
            text = f"refused a code ({data['reason'].replace('_', ' ')})"
        return {"name": name, "message": text}

    @callback
    def _describe_key(event: Event) -> dict[str, Any]:
        data = event.data
        return {
            "name": f"{data['site']} order {data['order_id']}",
            "message": (
                f"key moved from {data['from']} to {data['to']} by {data['actor']}"
            ),
        }

    async_describe_event(DOMAIN, EVENT_CODE, _describe_code)
    async_describe_event(DOMAIN, EVENT_KEY_MOVED, _describe_key)
