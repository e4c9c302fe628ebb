"""Order actions: book, request, assign, the worker's answers, cancel, list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, cast

from homeassistant.core import (
    ServiceCall,
    ServiceResponse,
)
from homeassistant.util.json import JsonValueType

from ..authorization import async_caller
from ..const import SubentryType
from ..coordinator import OrderOutcome
from ..core.actors import worker_actor
from ..core.cabinet_desk import OWNER as OWNER_HOLDER
from ..core.events import CodeDelivery
from ..core.orders import FINAL_STATES, OrderState
from ..deliveries import delivery_response
from ..runtime import SiteRuntime
from .resolve import (
    find_order,
    find_order_for,
    loaded_runtimes,
    requester_name,
    resolve_part,
    resolve_site,
    worker_of,
)
from .responses import order_summary, outcome_codes
from .schemas import (
    ATTR_ADDRESS,
    ATTR_CABINET,
    ATTR_CONTACT_PHONE,
    ATTR_DETAILS,
    ATTR_END,
    ATTR_LIMIT,
    ATTR_MESSAGE,
    ATTR_NOTE,
    ATTR_ORDER_ID,
    ATTR_QUANTITY,
    ATTR_REASON,
    ATTR_ROOM,
    ATTR_SERVICE_TYPE,
    ATTR_SITE,
    ATTR_START,
    ATTR_STATE,
    ATTR_STORE_KEY,
    ATTR_SUPPLIES,
    ATTR_WORKER,
    EARLIEST_HISTORY,
    bounded_time,
    supply_lines,
    validation_error,
)


def _respond(runtime: SiteRuntime, outcome: OrderOutcome) -> ServiceResponse:
    """Answer an order action: the order and the codes it gave the caller."""
    response: dict[str, Any] = {"order": order_summary(runtime, outcome.order)}
    if codes := outcome_codes(runtime, outcome):
        response["codes"] = codes
    return response


async def book_cleaning(call: ServiceCall) -> ServiceResponse:
    """The ``book_cleaning`` action (see services.yaml)."""
    hass = call.hass
    data = call.data
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    if ATTR_ROOM in data:
        runtimes = (
            [resolve_site(hass, data[ATTR_SITE])]
            if ATTR_SITE in data
            else loaded_runtimes(hass)
        )
        runtime, room = resolve_part(hass, runtimes, SubentryType.ROOM, data[ATTR_ROOM])
    else:
        caller.require_privileged(call.service)  # an address: anybody's home
        runtime, room = resolve_site(hass, data.get(ATTR_SITE)), None
        if ATTR_ADDRESS not in data:
            raise validation_error("location_required")
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
        requester=await requester_name(hass, call),
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
        guest=not caller.is_privileged,
    )
    return _respond(runtime, order)


async def request_service(call: ServiceCall) -> ServiceResponse:
    """The ``request_service`` action (see services.yaml)."""
    hass = call.hass
    data = call.data
    caller = await async_caller(hass, call)
    caller.require_any_role(call.service)
    runtime, room = resolve_part(
        hass, loaded_runtimes(hass), SubentryType.ROOM, data[ATTR_ROOM]
    )
    staff = caller.is_privileged or caller.is_staff_of(runtime)
    if not (staff or caller.is_room_terminal(runtime, room)):
        raise caller.refuse(call.service)
    order = await runtime.async_request_service(
        call.context,
        room=room,
        service_type=data[ATTR_SERVICE_TYPE],
        requester=runtime.part_name(room) or room,
        details=data.get(ATTR_DETAILS),
        quantity=data[ATTR_QUANTITY],
        booked_by=call.context.user_id,
        guest=not staff,
    )
    return _respond(runtime, order)


async def assign_order(call: ServiceCall) -> ServiceResponse:
    """The ``assign_order`` action (see services.yaml)."""
    hass = call.hass
    (await async_caller(hass, call)).require_privileged(call.service)
    runtime = find_order(hass, call.data[ATTR_ORDER_ID], call.data.get(ATTR_SITE))
    worker = (
        worker_of(hass, runtime, call.data[ATTR_WORKER])
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
    """Make the handler of a worker's answer (staff act only as themselves)."""

    async def handle(call: ServiceCall) -> ServiceResponse:
        hass = call.hass
        caller = await async_caller(hass, call)
        caller.require_any_role(call.service)
        # Staff act only as themselves, on orders offered or assigned to them.
        runtime, _order = find_order_for(hass, caller, call, caller.serves)
        worker = worker_of(hass, runtime, call.data[ATTR_WORKER])
        if not (caller.is_privileged or caller.is_worker(runtime, worker)):
            raise caller.refuse(call.service)
        kwargs = {name: call.data.get(name) for name in extra}
        order = await operation(
            runtime, call.data[ATTR_ORDER_ID], worker, call.context, **kwargs
        )
        return _respond(runtime, order)

    return handle


async def cancel_order(call: ServiceCall) -> ServiceResponse:
    """The ``cancel_order`` action: cancels an order before work starts."""
    hass = call.hass
    caller = await async_caller(hass, call)
    runtime, _order = find_order_for(
        hass, caller, call, lambda _runtime, order: caller.booked(order)
    )
    order = await runtime.async_cancel_order(
        call.data[ATTR_ORDER_ID], call.context, call.data.get(ATTR_REASON)
    )
    return _respond(runtime, order)


async def get_orders(call: ServiceCall) -> ServiceResponse:
    """The ``get_orders`` action: returns the orders matching the filters."""
    hass = call.hass
    data = call.data
    caller = await async_caller(hass, call)
    if not caller.roles and not any(
        caller.booked(order)
        for runtime in loaded_runtimes(hass)
        for order in runtime.site.desk.book
    ):  # a booker without a role still sees the orders they booked
        raise caller.refuse(call.service)
    runtimes = (
        [resolve_site(hass, data[ATTR_SITE])]
        if ATTR_SITE in data
        else loaded_runtimes(hass)
    )
    worker_filter: tuple[SiteRuntime, str] | None = None
    room_filter: tuple[SiteRuntime, str] | None = None
    if ATTR_WORKER in data:
        worker_filter = resolve_part(
            hass, runtimes, SubentryType.WORKER, data[ATTR_WORKER]
        )
    if ATTR_ROOM in data:
        room_filter = resolve_part(hass, runtimes, SubentryType.ROOM, data[ATTR_ROOM])
    states = {OrderState(s) for s in data[ATTR_STATE]} if ATTR_STATE in data else None
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
        raise validation_error("end_before_start")
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
            for order in runtime.site.orders(states=states, worker=worker, room=room)
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


accept_order = _worker_call(SiteRuntime.async_accept_order)
decline_order = _worker_call(SiteRuntime.async_decline_order, ATTR_REASON)
give_back_order = _worker_call(SiteRuntime.async_give_back_order, ATTR_REASON)
start_order = _worker_call(SiteRuntime.async_start_order)
complete_order = _worker_call(SiteRuntime.async_complete_order, ATTR_NOTE)


async def reissue_code(call: ServiceCall) -> ServiceResponse:
    """The ``reissue_code`` action: fresh codes for the caller's own hop.

    The booker (or a manager, for them) gets the owner's codes; a worker their own
    pickup or return code (a manager names the ``worker``). The old codes die at once;
    the new ones are only in this answer (and a worker's phone).
    """
    hass = call.hass
    caller = await async_caller(hass, call)
    runtime, order = find_order_for(
        hass,
        caller,
        call,
        lambda runtime, order: (
            caller.booked(order) or caller.is_worker(runtime, order.worker)
        ),
    )
    if ATTR_WORKER in call.data:
        worker = worker_of(hass, runtime, call.data[ATTR_WORKER])
        if not (caller.is_privileged or caller.is_worker(runtime, worker)):
            raise caller.refuse(call.service)
        holder = worker_actor(worker)
    elif not caller.is_privileged and caller.is_worker(runtime, order.worker):
        holder = worker_actor(order.worker or "")
    else:
        holder = OWNER_HOLDER
    _result, events = await runtime.async_run_with_events(
        lambda now: (
            None,
            runtime.site.cabinet_desk.reissue(order.id, holder, now),
        ),
        call.context,
    )
    return {
        "order": order_summary(runtime, order),
        "codes": [
            cast(JsonValueType, delivery_response(runtime, delivery))
            for delivery in events
            if isinstance(delivery, CodeDelivery)
        ],
    }
