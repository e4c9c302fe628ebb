"""What actions answer: orders, catalog, appliances.

Never a phone number; a code only to its holder.
"""

from __future__ import annotations

from typing import Any, cast

from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType

from ..authorization import Caller
from ..coordinator import OrderOutcome
from ..core.errors import DoorServiceError
from ..core.orders import Order
from ..deliveries import delivery_response
from ..runtime import SiteRuntime


def order_summary(runtime: SiteRuntime, order: Order) -> dict[str, Any]:
    """Return an order as response data: names, not ids; no phone number."""
    try:
        service = runtime.site.catalog.get(order.service_type).name
    except DoorServiceError:  # a service type removed from the catalog
        service = order.service_type
    return {
        "order_id": order.id,
        "site": runtime.name,
        "state": order.state.value,
        "service_type": order.service_type,
        "service": service,
        "room": runtime.part_name(order.room),
        "address": order.address,
        "requester": order.requester,
        "worker": runtime.part_name(order.worker),
        "offered_to": sorted(
            name for w in order.offers if (name := runtime.part_name(w))
        ),
        "quantity": order.quantity,
        "unit_price": str(order.unit_price),
        "total_price": str(order.total_price),
        "currency": runtime.currency,
        "scheduled_start": _iso(order.scheduled_start),
        "scheduled_end": _iso(order.scheduled_end),
        "created_at": _iso(order.created_at),
        "escalated": order.escalated,
        "hold_reason": order.hold_reason,
        "message": order.message,
        "has_contact_phone": order.contact_phone is not None,
        "history": [
            {
                "at": entry.at.isoformat(),
                "state": entry.state.value,
                "actor": runtime.actor_name(entry.actor),
                "note": entry.note,
            }
            for entry in order.history
        ],
    }


def outcome_codes(runtime: SiteRuntime, outcome: OrderOutcome) -> list[JsonValueType]:
    """The codes the call just issued for its order, for its response only."""
    return [
        cast(JsonValueType, delivery_response(runtime, d))
        for d in outcome.deliveries
        if d.order_id == outcome.order.id
    ]


def _iso(value: Any) -> str | None:
    """Iso."""
    return value.isoformat() if value is not None else None


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
                "state": appliance_state(appliance.kind.value, appliance.is_on),
                "value": appliance.value,
                "checkout_state": appliance.checkout_state.value,
                "updated_at": (
                    appliance.updated_at.isoformat() if appliance.updated_at else None
                ),
            }
            for appliance in (appliances.appliances if appliances else [])
        ],
    }


def may_change_appliances(
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


def appliance_state(kind: str, is_on: bool) -> str:
    """Return the state word of an appliance kind that is on or off."""
    if kind == "cover":
        return "open" if is_on else "closed"
    return "on" if is_on else "off"
