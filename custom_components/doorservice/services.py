"""Door Service actions: booking, room requests and the staff side of orders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import re
from typing import Any, cast

import probatio as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType

from .authorization import Caller, async_caller
from .const import DOMAIN, SubentryType
from .coordinator import OrderOutcome
from .core.errors import DoorServiceError
from .core.orders import FINAL_STATES, Order, OrderState
from .deliveries import delivery_response
from .runtime import DoorServiceConfigEntry, SiteRuntime

ATTR_SITE = "site"
ATTR_ROOM = "room"
ATTR_WORKER = "worker"
ATTR_ORDER_ID = "order_id"
ATTR_ADDRESS = "address"
ATTR_START = "start"
ATTR_END = "end"
ATTR_SERVICE_TYPE = "service_type"
ATTR_CONTACT_PHONE = "contact_phone"
ATTR_MESSAGE = "message"
ATTR_DETAILS = "details"
ATTR_QUANTITY = "quantity"
ATTR_REASON = "reason"
ATTR_NOTE = "note"
ATTR_STATE = "state"
ATTR_LIMIT = "limit"
DEFAULT_HISTORY_LIMIT = 100
MAX_HISTORY_LIMIT = 1000

SERVICE_BOOK_CLEANING = "book_cleaning"
SERVICE_REQUEST_SERVICE = "request_service"
SERVICE_ASSIGN_ORDER = "assign_order"
SERVICE_ACCEPT_ORDER = "accept_order"
SERVICE_DECLINE_ORDER = "decline_order"
SERVICE_GIVE_BACK_ORDER = "give_back_order"
SERVICE_START_ORDER = "start_order"
SERVICE_COMPLETE_ORDER = "complete_order"
SERVICE_CANCEL_ORDER = "cancel_order"
SERVICE_GET_ORDERS = "get_orders"

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,22}[0-9]$")
ORDER_ID_RE = re.compile(r"^DS-[0-9A-Z]{4}$", re.IGNORECASE)


def _text(max_length: int) -> Callable[[Any], str]:
    """Return a validator for a trimmed, non-empty text of at most ``max_length``."""

    def validate(value: Any) -> str:
        text = " ".join(cv.string(value).split())
        if not text:
            raise vol.Invalid("empty")
        if len(text) > max_length:
            raise vol.Invalid(f"longer than {max_length} characters")
        return text

    return validate


def _optional_text(max_length: int) -> Callable[[Any], str | None]:
    """Return a validator like :func:`_text` where an empty text means absent.

    A template that renders empty must not break an automation.
    """
    strict = _text(max_length)

    def validate(value: Any) -> str | None:
        if value is None or not " ".join(cv.string(value).split()):
            return None
        return strict(value)

    return validate


EARLIEST_HISTORY = datetime(2000, 1, 1, tzinfo=UTC)
"""The earliest ``start``/``end`` ``get_orders`` accepts."""
MAX_AHEAD = timedelta(days=2 * 365)
"""How far ahead a booking, a stay's end or a query may reach."""
MAX_BEHIND = timedelta(days=1)
"""How far back a booking's start or a stay's end may be given."""


def bounded_time(
    value: datetime, field: str, *, earliest: datetime | None = None
) -> datetime:
    """Return ``value`` in UTC (naive: Home Assistant's time zone), within bounds.

    Bounds: [``earliest`` (default now - 1 day), now + 2 years]. Anything outside,
    e.g. ``9999-12-31T23:59:59``, is a translated validation error, never an
    ``OverflowError``.
    """
    now = dt_util.utcnow()
    low = earliest if earliest is not None else now - MAX_BEHIND
    high = now + MAX_AHEAD
    try:
        when = dt_util.as_utc(_aware(value))
    except OverflowError, ValueError:
        when = None
    if when is None or not low <= when <= high:
        raise _error(
            "date_out_of_range",
            field=field,
            earliest=low.date().isoformat(),
            latest=high.date().isoformat(),
        )
    return when


def _phone(value: Any) -> str:
    text = cv.string(value).strip()
    if not PHONE_RE.match(text):
        raise vol.Invalid("not a phone number")
    return text


def _order_id(value: Any) -> str:
    text = cv.string(value).strip().upper()
    if not ORDER_ID_RE.match(text):
        raise vol.Invalid("not an order id like DS-7K2M")
    return text


ATTR_STORE_KEY = "store_key"
ATTR_SUPPLIES = "supplies"
ATTR_CABINET = "cabinet"
ATTR_SKU = "sku"

SUPPLY_LINES = vol.All(
    cv.ensure_list,
    [
        vol.Schema(
            {
                vol.Required(ATTR_SKU): cv.slug,
                vol.Optional(ATTR_QUANTITY, default=1): vol.All(
                    vol.Coerce(int), vol.Range(min=1, max=99)
                ),
            }
        )
    ],
)


def supply_lines(value: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Return validated supply lines as (sku, quantity)."""
    return [(line[ATTR_SKU], line[ATTR_QUANTITY]) for line in value]


SITE_FIELD: dict[Any, Any] = {vol.Optional(ATTR_SITE): cv.string}
ORDER_FIELDS = {vol.Required(ATTR_ORDER_ID): _order_id, **SITE_FIELD}
WORKER_FIELDS = {**ORDER_FIELDS, vol.Required(ATTR_WORKER): cv.string}

SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_BOOK_CLEANING: vol.Schema(
        {
            **SITE_FIELD,
            vol.Exclusive(ATTR_ADDRESS, "location"): _text(200),
            vol.Exclusive(ATTR_ROOM, "location"): cv.string,
            vol.Required(ATTR_START): cv.datetime,
            vol.Optional(ATTR_END): cv.datetime,
            vol.Optional(ATTR_SERVICE_TYPE, default="standard_cleaning"): cv.slug,
            vol.Optional(ATTR_CONTACT_PHONE): _phone,
            vol.Optional(ATTR_MESSAGE): _optional_text(500),
            vol.Optional(ATTR_STORE_KEY, default=False): cv.boolean,
            vol.Optional(ATTR_SUPPLIES, default=list): SUPPLY_LINES,
            vol.Optional(ATTR_CABINET): cv.string,
        }
    ),
    SERVICE_REQUEST_SERVICE: vol.Schema(
        {
            vol.Required(ATTR_ROOM): cv.string,
            vol.Required(ATTR_SERVICE_TYPE): cv.slug,
            vol.Optional(ATTR_DETAILS): _optional_text(500),
            vol.Optional(ATTR_QUANTITY, default=1): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=99)
            ),
        }
    ),
    SERVICE_ASSIGN_ORDER: vol.Schema(
        {**ORDER_FIELDS, vol.Optional(ATTR_WORKER): cv.string}
    ),
    SERVICE_ACCEPT_ORDER: vol.Schema(WORKER_FIELDS),
    SERVICE_DECLINE_ORDER: vol.Schema(
        {**WORKER_FIELDS, vol.Optional(ATTR_REASON): _optional_text(200)}
    ),
    SERVICE_GIVE_BACK_ORDER: vol.Schema(
        {**WORKER_FIELDS, vol.Optional(ATTR_REASON): _optional_text(200)}
    ),
    SERVICE_START_ORDER: vol.Schema(WORKER_FIELDS),
    SERVICE_COMPLETE_ORDER: vol.Schema(
        {**WORKER_FIELDS, vol.Optional(ATTR_NOTE): _optional_text(500)}
    ),
    SERVICE_CANCEL_ORDER: vol.Schema(
        {**ORDER_FIELDS, vol.Optional(ATTR_REASON): _optional_text(200)}
    ),
    SERVICE_GET_ORDERS: vol.Schema(
        {
            **SITE_FIELD,
            vol.Optional(ATTR_STATE): vol.All(
                cv.ensure_list, [vol.In([s.value for s in OrderState])]
            ),
            vol.Optional(ATTR_WORKER): cv.string,
            vol.Optional(ATTR_ROOM): cv.string,
            vol.Optional(ATTR_START): cv.datetime,
            vol.Optional(ATTR_END): cv.datetime,
            vol.Optional(ATTR_LIMIT, default=DEFAULT_HISTORY_LIMIT): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=MAX_HISTORY_LIMIT)
            ),
        }
    ),
}


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _loaded_runtimes(hass: HomeAssistant) -> list[SiteRuntime]:
    entries: list[DoorServiceConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    return [e.runtime_data for e in entries if e.state is ConfigEntryState.LOADED]


def resolve_site(hass: HomeAssistant, site: str | None) -> SiteRuntime:
    """Return the site named by entry id or name; the only one when omitted."""
    runtimes = _loaded_runtimes(hass)
    if site is None:
        if len(runtimes) == 1:
            return runtimes[0]
        raise _error("site_required")
    wanted = site.strip().casefold()
    for runtime in runtimes:
        if wanted in (runtime.entry.entry_id.casefold(), runtime.name.casefold()):
            return runtime
    raise _error("unknown_site", site=site)


def resolve_part(
    hass: HomeAssistant,
    runtimes: list[SiteRuntime],
    kind: SubentryType,
    value: str,
) -> tuple[SiteRuntime, str]:
    """Find a room or worker by device id, subentry id or name."""
    wanted = value.strip()
    device = dr.async_get(hass).async_get(wanted)
    for runtime in runtimes:
        for sub in runtime.subentries(kind):
            if (
                wanted == sub.subentry_id
                or wanted.casefold() == sub.title.casefold()
                or (device is not None and device.config_subentry_id == sub.subentry_id)
            ):
                return runtime, sub.subentry_id
    raise _error(f"unknown_{kind.value}", **{kind.value: value})


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
    return value.isoformat() if value is not None else None


def _find_order(hass: HomeAssistant, order_id: str, site: str | None) -> SiteRuntime:
    runtimes = [resolve_site(hass, site)] if site else _loaded_runtimes(hass)
    order_id = order_id.strip().upper()
    matches = [r for r in runtimes if order_id in r.site.desk.book]
    if not matches:
        raise _error("unknown_order", order_id=order_id)
    if len(matches) > 1:
        raise _error("order_ambiguous", order_id=order_id)
    return matches[0]


def _worker_of(hass: HomeAssistant, runtime: SiteRuntime, value: str) -> str:
    return resolve_part(hass, [runtime], SubentryType.WORKER, value)[1]


def find_order_for(
    hass: HomeAssistant,
    caller: Caller,
    call: ServiceCall,
    allowed: Callable[[SiteRuntime, Order], bool],
) -> tuple[SiteRuntime, Order]:
    """Find the call's order; refuse a caller who may not act on it.

    Anyone but a manager or the system is refused an order that does not exist
    exactly as one they may not touch: ids are not probed that way.
    """
    action = call.service
    try:
        runtime = _find_order(hass, call.data[ATTR_ORDER_ID], call.data.get(ATTR_SITE))
    except HomeAssistantError:
        if caller.is_privileged:
            raise
        raise caller.refuse(action) from None
    order = runtime.site.order(call.data[ATTR_ORDER_ID].strip().upper())
    if not caller.is_privileged and not allowed(runtime, order):
        raise caller.refuse(action)
    return runtime, order


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""

    def _respond(runtime: SiteRuntime, outcome: OrderOutcome) -> ServiceResponse:
        response: dict[str, Any] = {"order": order_summary(runtime, outcome.order)}
        if codes := outcome_codes(runtime, outcome):
            response["codes"] = codes
        return response

    async def book_cleaning(call: ServiceCall) -> ServiceResponse:
        data = call.data
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        if ATTR_ROOM in data:
            runtimes = (
                [resolve_site(hass, data[ATTR_SITE])]
                if ATTR_SITE in data
                else _loaded_runtimes(hass)
            )
            runtime, room = resolve_part(
                hass, runtimes, SubentryType.ROOM, data[ATTR_ROOM]
            )
        else:
            caller.require_privileged(call.service)  # an address: anybody's home
            runtime, room = resolve_site(hass, data.get(ATTR_SITE)), None
            if ATTR_ADDRESS not in data:
                raise _error("location_required")
        if not (caller.is_privileged or caller.is_room_terminal(runtime, room)):
            raise caller.refuse(call.service)
        start = bounded_time(data[ATTR_START], ATTR_START)
        end = bounded_time(data[ATTR_END], ATTR_END) if ATTR_END in data else None
        cabinet = (
            resolve_part(hass, [runtime], SubentryType.CABINET, data[ATTR_CABINET])[1]
            if ATTR_CABINET in data
            else None
        )
        order = await runtime.async_book_cleaning(
            call.context,
            service_type=data[ATTR_SERVICE_TYPE],
            requester=await _requester(hass, call),
            start=start,
            end=end,
            address=data.get(ATTR_ADDRESS),
            room=room,
            contact_phone=data.get(ATTR_CONTACT_PHONE),
            message=data.get(ATTR_MESSAGE),
            store_key=data[ATTR_STORE_KEY],
            supplies=supply_lines(data[ATTR_SUPPLIES]),
            cabinet=cabinet,
            booked_by=call.context.user_id,
        )
        return _respond(runtime, order)

    async def request_service(call: ServiceCall) -> ServiceResponse:
        data = call.data
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        runtime, room = resolve_part(
            hass, _loaded_runtimes(hass), SubentryType.ROOM, data[ATTR_ROOM]
        )
        if not (caller.is_privileged or caller.is_room_terminal(runtime, room)):
            raise caller.refuse(call.service)
        order = await runtime.async_request_service(
            call.context,
            room=room,
            service_type=data[ATTR_SERVICE_TYPE],
            requester=runtime.part_name(room) or room,
            details=data.get(ATTR_DETAILS),
            quantity=data[ATTR_QUANTITY],
            booked_by=call.context.user_id,
        )
        return _respond(runtime, order)

    async def assign_order(call: ServiceCall) -> ServiceResponse:
        (await async_caller(hass, call)).require_privileged(call.service)
        runtime = _find_order(hass, call.data[ATTR_ORDER_ID], call.data.get(ATTR_SITE))
        worker = (
            _worker_of(hass, runtime, call.data[ATTR_WORKER])
            if ATTR_WORKER in call.data
            else None
        )
        order = await runtime.async_assign_order(
            call.data[ATTR_ORDER_ID], worker, call.context
        )
        return _respond(runtime, order)

    def _worker_call(
        operation: Callable[..., Awaitable[OrderOutcome]], *extra: str
    ) -> Callable[[ServiceCall], Any]:
        async def handle(call: ServiceCall) -> ServiceResponse:
            caller = await async_caller(hass, call)
            caller.require_any_role(call.service)
            # Staff act only as themselves, on orders offered or assigned to them.
            runtime, _order = find_order_for(hass, caller, call, caller.serves)
            worker = _worker_of(hass, runtime, call.data[ATTR_WORKER])
            if not (caller.is_privileged or caller.is_worker(runtime, worker)):
                raise caller.refuse(call.service)
            kwargs = {name: call.data.get(name) for name in extra}
            order = await operation(
                runtime, call.data[ATTR_ORDER_ID], worker, call.context, **kwargs
            )
            return _respond(runtime, order)

        return handle

    async def cancel_order(call: ServiceCall) -> ServiceResponse:
        caller = await async_caller(hass, call)
        runtime, _order = find_order_for(
            hass, caller, call, lambda _runtime, order: caller.booked(order)
        )
        order = await runtime.async_cancel_order(
            call.data[ATTR_ORDER_ID], call.context, call.data.get(ATTR_REASON)
        )
        return _respond(runtime, order)

    async def get_orders(call: ServiceCall) -> ServiceResponse:
        data = call.data
        caller = await async_caller(hass, call)
        if not caller.roles and not any(
            caller.booked(order)
            for runtime in _loaded_runtimes(hass)
            for order in runtime.site.desk.book
        ):  # a booker without a role still sees the orders they booked
            raise caller.refuse(call.service)
        runtimes = (
            [resolve_site(hass, data[ATTR_SITE])]
            if ATTR_SITE in data
            else _loaded_runtimes(hass)
        )
        worker_filter: tuple[SiteRuntime, str] | None = None
        room_filter: tuple[SiteRuntime, str] | None = None
        if ATTR_WORKER in data:
            worker_filter = resolve_part(
                hass, runtimes, SubentryType.WORKER, data[ATTR_WORKER]
            )
        if ATTR_ROOM in data:
            room_filter = resolve_part(
                hass, runtimes, SubentryType.ROOM, data[ATTR_ROOM]
            )
        states = (
            {OrderState(s) for s in data[ATTR_STATE]} if ATTR_STATE in data else None
        )
        start = (
            bounded_time(data[ATTR_START], ATTR_START, earliest=EARLIEST_HISTORY)
            if ATTR_START in data
            else None
        )
        end = (
            bounded_time(data[ATTR_END], ATTR_END, earliest=EARLIEST_HISTORY)
            if ATTR_END in data
            else None
        )
        if start is not None and end is not None and end <= start:
            raise _error("end_before_start")
        found: list[tuple[datetime, str, dict[str, Any]]] = []
        for runtime in runtimes:
            if worker_filter and worker_filter[0] is not runtime:
                continue
            if room_filter and room_filter[0] is not runtime:
                continue
            worker = worker_filter[1] if worker_filter else None
            room = room_filter[1] if room_filter else None
            if worker is None and room is None:
                worker, room = caller.own_scope(runtime)
            # Live orders from memory, finished history from the database.
            # Anyone but a manager or the system sees only their own orders.
            found += [
                (order.created_at, order.id, order_summary(runtime, order))
                for order in runtime.site.orders(
                    states=states, worker=worker, room=room
                )
                if (start is None or order.created_at >= start)
                and (end is None or order.created_at < end)
                and caller.may_see(runtime, order)
            ]
            if states is None or not states.isdisjoint(FINAL_STATES):
                history = await runtime.async_history(
                    start=start,
                    end=end,
                    limit=data[ATTR_LIMIT],
                    states=None if states is None else states & FINAL_STATES,
                    worker=worker,
                    room=room,
                )
                found += [
                    (order.created_at, order.id, order_summary(runtime, order))
                    for order in history
                    if caller.may_see(runtime, order)
                ]
        found.sort(key=lambda item: (item[0], item[1]))
        return {"orders": cast(list[JsonValueType], [s for _, _, s in found])}

    handlers: dict[str, Callable[[ServiceCall], Any]] = {
        SERVICE_BOOK_CLEANING: book_cleaning,
        SERVICE_REQUEST_SERVICE: request_service,
        SERVICE_ASSIGN_ORDER: assign_order,
        SERVICE_ACCEPT_ORDER: _worker_call(SiteRuntime.async_accept_order),
        SERVICE_DECLINE_ORDER: _worker_call(
            SiteRuntime.async_decline_order, ATTR_REASON
        ),
        SERVICE_GIVE_BACK_ORDER: _worker_call(
            SiteRuntime.async_give_back_order, ATTR_REASON
        ),
        SERVICE_START_ORDER: _worker_call(SiteRuntime.async_start_order),
        SERVICE_COMPLETE_ORDER: _worker_call(
            SiteRuntime.async_complete_order, ATTR_NOTE
        ),
        SERVICE_CANCEL_ORDER: cancel_order,
        SERVICE_GET_ORDERS: get_orders,
    }
    for name, handler in handlers.items():
        hass.services.async_register(
            DOMAIN,
            name,
            handler,
            schema=SCHEMAS[name],
            supports_response=(
                SupportsResponse.ONLY
                if name == SERVICE_GET_ORDERS
                else SupportsResponse.OPTIONAL
            ),
        )


def _aware(value: Any) -> Any:
    """Give a naive datetime Home Assistant's time zone."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return value


async def _requester(hass: HomeAssistant, call: ServiceCall) -> str:
    """Return who booked: the user's name, or ``automation``."""
    if call.context.user_id and (
        user := await hass.auth.async_get_user(call.context.user_id)
    ):
        return user.name or "user"
    return "automation"
