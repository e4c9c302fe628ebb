"""Describe Door Service events in the logbook, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback

from .const import (
    DOMAIN,
    EVENT_APPLIANCE_CHANGE,
    EVENT_AUDIT,
    EVENT_CODE,
    EVENT_FORCED_OPEN,
    EVENT_KEY_MOVED,
    EVENT_ORDER_ESCALATED,
    EVENT_ORDER_UPDATED,
    EVENT_TAMPER,
)

AUDIT_ACTIONS = {
    "maintenance_unlock": "unlocked for maintenance",
    "maintenance_lock": "locked for maintenance",
}

ORDER_VERBS = {
    "awaiting_dropoff": "booked {order} ({service}); waiting for the key",
    "queued": "queued {order} ({service})",
    "offered": "offered {order} ({service}) to {worker}",
    "accepted": "accepted {order} ({service})",
    "in_progress": "started {order} ({service})",
    "awaiting_return": "finished {order} ({service}); the key is to be returned",
    "completed": "completed {order} ({service})",
    "closed": "closed {order} ({service})",
    "cancelled": "cancelled {order} ({service})",
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

    @callback
    def _describe_order(event: Event) -> dict[str, Any]:
        data = event.data
        template = ORDER_VERBS.get(data["state"], "moved {order} to " + data["state"])
        message = template.format(
            order=data["order_id"],
            service=data["service_type"].replace("_", " "),
            worker=data.get("worker") or "a worker",
        )
        if data.get("detail"):
            message += f": {data['detail']}"
        return {"name": data.get("actor") or data["site"], "message": message}

    @callback
    def _describe_escalation(event: Event) -> dict[str, Any]:
        data = event.data
        return {
            "name": data["site"],
            "message": f"found nobody to take {data['order_id']} "
            f"({data['service_type'].replace('_', ' ')})",
        }

    async_describe_event(DOMAIN, EVENT_AUDIT, _describe_audit)
    async_describe_event(DOMAIN, EVENT_ORDER_UPDATED, _describe_order)
    async_describe_event(DOMAIN, EVENT_ORDER_ESCALATED, _describe_escalation)

    @callback
    def _describe_code(event: Event) -> dict[str, Any]:
        data = event.data
        name = f"{data['site']} {data['cabinet']}"
        if data["result"] == "accepted":
            text = (
                f"accepted a {data['purpose']} code of {data['holder']} for order "
                f"{data['order_id']}: compartment {data['compartment']} opened"
            )
        elif data["result"] == "lockout" and data.get("source") == "caller":
            text = "refuses PINs from one caller for a while: too many wrong codes"
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

    @callback
    def _describe_forced_open(event: Event) -> dict[str, Any]:
        data = event.data
        return {
            "name": f"{data['site']} {data['cabinet']}",
            "message": f"compartment {data['compartment']} was forced open "
            "(its door opened without an unlock)",
        }

    @callback
    def _describe_tamper(event: Event) -> dict[str, Any]:
        data = event.data
        return {
            "name": f"{data['site']} {data['cabinet']}",
            "message": "tamper alarm: the cabinet's tamper switch tripped",
        }

    async_describe_event(DOMAIN, EVENT_FORCED_OPEN, _describe_forced_open)
    async_describe_event(DOMAIN, EVENT_TAMPER, _describe_tamper)

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
