"""Door Service actions at the cabinet: codes, confirmations, supplies, restocking.

* ``unlock_compartment`` (cabinet, code: a PIN or a scanned QR token) runs exactly
  the path of a keypad entry; the response says which compartment opened and why
  (the code's purpose and order), never the code.
* ``confirm_compartment`` completes the hop of an opened compartment on a board
  without door sensors (or with a broken one).
* ``purchase_supplies`` adds supplies to an existing order that has not been
  accepted yet; a supplies-only visit is booked with ``book_cleaning`` and
  ``supplies``.
* ``restock_cabinet`` adds stock to a cabinet and returns ``restock`` codes for the
  compartments whose bought supplies still have to be put in.
"""

from __future__ import annotations

from typing import Any, cast

import probatio as vol

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util.json import JsonValueType

from .authorization import async_caller
from .const import DOMAIN, SubentryType
from .core.events import CodeDelivery
from .deliveries import delivery_response
from .runtime import SiteRuntime
from .services import (
    ATTR_ORDER_ID,
    ATTR_SITE,
    ATTR_SUPPLIES,
    ORDER_FIELDS,
    SUPPLY_LINES,
    _loaded_runtimes,
    find_order_for,
    order_summary,
    resolve_part,
    resolve_site,
    supply_lines,
)

ATTR_CABINET = "cabinet"
ATTR_CODE = "code"
ATTR_COMPARTMENT = "compartment"

SERVICE_UNLOCK_COMPARTMENT = "unlock_compartment"
SERVICE_CONFIRM_COMPARTMENT = "confirm_compartment"
SERVICE_PURCHASE_SUPPLIES = "purchase_supplies"
SERVICE_RESTOCK_CABINET = "restock_cabinet"

CABINET_FIELDS: dict[Any, Any] = {
    vol.Required(ATTR_CABINET): cv.string,
    vol.Optional(ATTR_SITE): cv.string,
}

CABINET_SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_UNLOCK_COMPARTMENT: vol.Schema(
        {
            **CABINET_FIELDS,
            vol.Required(ATTR_CODE): vol.All(cv.string, vol.Length(min=1, max=200)),
        }
    ),
    SERVICE_CONFIRM_COMPARTMENT: vol.Schema(
        {
            **CABINET_FIELDS,
            vol.Required(ATTR_COMPARTMENT): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=200)
            ),
        }
    ),
    SERVICE_PURCHASE_SUPPLIES: vol.Schema(
        {
            **ORDER_FIELDS,
            vol.Required(ATTR_SUPPLIES): vol.All(SUPPLY_LINES, vol.Length(min=1)),
        }
    ),
    SERVICE_RESTOCK_CABINET: vol.Schema(
        {**CABINET_FIELDS, vol.Optional(ATTR_SUPPLIES, default=list): SUPPLY_LINES}
    ),
}


def _cabinet(hass: HomeAssistant, data: dict[str, Any]) -> tuple[SiteRuntime, str]:
    runtimes = (
        [resolve_site(hass, data[ATTR_SITE])]
        if ATTR_SITE in data
        else _loaded_runtimes(hass)
    )
    return resolve_part(hass, runtimes, SubentryType.CABINET, data[ATTR_CABINET])


@callback
def async_setup_cabinet_services(hass: HomeAssistant) -> None:
    """Register the cabinet actions."""

    async def unlock_compartment(call: ServiceCall) -> ServiceResponse:
        # People enter codes at the board; a code typed here travels in the
        # call_service event, so only a manager or the system may.
        (await async_caller(hass, call)).require_privileged(call.service)
        runtime, cabinet_id = _cabinet(hass, dict(call.data))
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
        (await async_caller(hass, call)).require_privileged(call.service)
        runtime, cabinet_id = _cabinet(hass, dict(call.data))
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
            "supplies": [
                cast(JsonValueType, line.to_dict()) for line in purchase.lines
            ],
            "supplies_total": str(purchase.total),
            "currency": runtime.currency,
        }

    async def restock_cabinet(call: ServiceCall) -> ServiceResponse:
        (await async_caller(hass, call)).require_privileged(call.service)
        runtime, cabinet_id = _cabinet(hass, dict(call.data))
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

    for name, handler in {
        SERVICE_UNLOCK_COMPARTMENT: unlock_compartment,
        SERVICE_CONFIRM_COMPARTMENT: confirm_compartment,
        SERVICE_PURCHASE_SUPPLIES: purchase_supplies,
        SERVICE_RESTOCK_CABINET: restock_cabinet,
    }.items():
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=CABINET_SCHEMAS[name],
            supports_response=SupportsResponse.OPTIONAL,
        )
