"""Cabinet actions: code entry, confirmation, supplies."""

from __future__ import annotations

from typing import Any, cast

from homeassistant.core import (
    ServiceCall,
    ServiceResponse,
)
from homeassistant.util.json import JsonValueType

from ..authorization import async_caller
from ..core.events import CodeDelivery
from ..deliveries import delivery_response
from .resolve import find_order_for, resolve_cabinet
from .responses import order_summary
from .schemas import (
    ATTR_CODE,
    ATTR_COMPARTMENT,
    ATTR_ORDER_ID,
    ATTR_SUPPLIES,
    supply_lines,
)


async def unlock_compartment(call: ServiceCall) -> ServiceResponse:
    """The ``unlock_compartment`` action (see services.yaml)."""
    hass = call.hass
    # People enter codes at the board; a code typed here travels in the
    # call_service event, so only a manager or the system may.
    (await async_caller(hass, call)).require_privileged(call.service)
    runtime, cabinet_id = resolve_cabinet(hass, dict(call.data))
    opened = await runtime.cabinet_glue.async_enter_code(
        cabinet_id, call.data[ATTR_CODE], call.context
    )
    response: dict[str, Any] = {
        "cabinet": runtime.part_name(cabinet_id),
        "compartment": opened.compartment,
        "purpose": opened.purpose.value,
        "order": order_summary(runtime, opened.order),
    }
    if opened.deliveries:
        response["codes"] = [
            cast(JsonValueType, delivery_response(runtime, d))
            for d in opened.deliveries
        ]
    return response


async def confirm_compartment(call: ServiceCall) -> ServiceResponse:
    """The ``confirm_compartment`` action (see services.yaml)."""
    hass = call.hass
    (await async_caller(hass, call)).require_privileged(call.service)
    runtime, cabinet_id = resolve_cabinet(hass, dict(call.data))
    number = call.data[ATTR_COMPARTMENT]
    confirmed = await runtime.cabinet_glue.async_confirm(
        cabinet_id, number, call.context
    )
    response: dict[str, Any] = {
        "cabinet": runtime.part_name(cabinet_id),
        "compartment": number,
        "purpose": confirmed.purpose.value,
        "order": order_summary(runtime, confirmed.order),
    }
    if confirmed.deliveries:
        response["codes"] = [
            cast(JsonValueType, delivery_response(runtime, d))
            for d in confirmed.deliveries
        ]
    return response


async def purchase_supplies(call: ServiceCall) -> ServiceResponse:
    """The ``purchase_supplies`` action (see services.yaml)."""
    hass = call.hass
    caller = await async_caller(hass, call)
    runtime, _order = find_order_for(
        hass, caller, call, lambda _runtime, order: caller.booked(order)
    )
    order_id = call.data[ATTR_ORDER_ID]
    lines = supply_lines(call.data[ATTR_SUPPLIES])
    await runtime.async_run(
        lambda now: (
            None,
            runtime.site.cabinet_desk.purchase(order_id, lines, now),
        ),
        call.context,
    )
    purchase = runtime.site.cabinet_desk.purchases[order_id]
    return {
        "order": order_summary(runtime, runtime.site.order(order_id)),
        "supplies": [cast(JsonValueType, line.to_dict()) for line in purchase.lines],
        "supplies_total": str(purchase.total),
        "currency": runtime.currency,
    }


async def restock_cabinet(call: ServiceCall) -> ServiceResponse:
    """The ``restock_cabinet`` action (see services.yaml)."""
    hass = call.hass
    (await async_caller(hass, call)).require_privileged(call.service)
    runtime, cabinet_id = resolve_cabinet(hass, dict(call.data))
    lines = supply_lines(call.data[ATTR_SUPPLIES])
    _result, events = await runtime.async_run_with_events(
        lambda now: (
            None,
            runtime.site.cabinet_desk.restock(cabinet_id, lines, now),
        ),
        call.context,
    )
    stock = runtime.site.stock[cabinet_id]
    return {
        "cabinet": runtime.part_name(cabinet_id),
        "stock": {sku: stock.available(sku) for sku in sorted(stock.on_hand)},
        "codes": [
            cast(JsonValueType, delivery_response(runtime, d))
            for d in events
            if isinstance(d, CodeDelivery)
        ],
    }
