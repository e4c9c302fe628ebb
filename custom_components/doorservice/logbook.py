"""Describe Door Service events in the logbook, in words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from .texts import TEXTS, actor_label, server_language, state_label, text

AUDIT_ACTIONS = {
    "maintenance_unlock": "unlocked for maintenance",
    "maintenance_lock": "locked for maintenance",
}


def service_name(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """Return the name of an event's service type in its site's catalog."""
    service_type = str(data["service_type"])
    entry = hass.config_entries.async_get_entry(str(data.get("site_id") or ""))
    runtime = getattr(entry, "runtime_data", None) if entry is not None else None
    if runtime is not None and service_type in runtime.site.catalog:
        return str(runtime.site.catalog.get(service_type).name)
    return service_type.replace("_", " ")


def describe_order(
    hass: HomeAssistant, data: Mapping[str, Any], language: str
) -> dict[str, Any]:
    """Return the logbook line of an order transition, as a sentence."""
    state = str(data["state"])
    name = actor_label(language, data.get("actor")) or data["site"]
    room = data.get("room")
    values: dict[str, object] = {
        "service": service_name(hass, data),
        "order": data["order_id"],
        # "Room 101 asked for towels", not "... for Room 101" once more.
        "where": text(language, "where", place=room) if room and room != name else "",
        "worker": data.get("worker"),
        "state": state_label(language, state),
    }
    key = f"order_{state}"
    if state == "queued" and data.get("previous_state") is None:
        key = "order_requested"
    elif state == "queued" and data.get("previous_state") != "awaiting_dropoff":
        key = "order_requeued"
    elif state == "offered" and not data.get("worker"):
        key = "order_offered_all"
    elif key not in TEXTS["en"]:
        key = "order_other"
    message = text(language, key, **values)
    if data.get("detail"):
        message += text(language, "detail", detail=data["detail"])
    return {"name": name, "message": message}


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
        return describe_order(hass, event.data, server_language(hass))

    @callback
    def _describe_escalation(event: Event) -> dict[str, Any]:
        data = event.data
        language = server_language(hass)
        where = text(language, "where", place=data["room"]) if data.get("room") else ""
        return {
            "name": data["site"],
            "message": text(
                language,
                "escalated",
                service=service_name(hass, data),
                order=data["order_id"],
                where=where,
            ),
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
