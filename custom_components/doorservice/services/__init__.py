"""The actions of Door Service: one registration block, handlers by subject.

* ``schemas.py``: action and field names, validators, one schema per action.
* ``resolve.py``: finding the site, room, cabinet, worker or order an action is about.
* ``responses.py``: what actions answer (never a phone number; a code only to its
  holder).
* ``orders.py``, ``rooms.py``, ``cabinet.py``, ``calendars.py``, ``booking.py``: the
  handlers, module-level functions of one ``ServiceCall``. Each checks its caller
  first (``authorization.py``) and changes nothing when refused; the change itself
  runs through the site's coordinator.

Actions are registered once for every site in ``async_setup`` (``__init__.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)

from ..const import DOMAIN
from . import booking, cabinet, calendars, orders, rooms
from .schemas import (
    CABINET_SCHEMAS,
    ROOM_SCHEMAS,
    SCHEMAS,
    SERVICE_ACCEPT_ORDER,
    SERVICE_ASSIGN_ORDER,
    SERVICE_BOOK_CLEANING,
    SERVICE_CANCEL_ORDER,
    SERVICE_CHECK_IN,
    SERVICE_CHECK_OUT,
    SERVICE_COMPLETE_ORDER,
    SERVICE_CONFIRM_COMPARTMENT,
    SERVICE_DECLINE_ORDER,
    SERVICE_GET_CATALOG,
    SERVICE_GET_FOLIO,
    SERVICE_GET_ORDERS,
    SERVICE_GET_ROOM_APPLIANCES,
    SERVICE_GIVE_BACK_ORDER,
    SERVICE_PURCHASE_SUPPLIES,
    SERVICE_REISSUE_CODE,
    SERVICE_REQUEST_APPLIANCE_CHANGE,
    SERVICE_REQUEST_SERVICE,
    SERVICE_RESTOCK_CABINET,
    SERVICE_SET_DO_NOT_DISTURB,
    SERVICE_START_ORDER,
    SERVICE_UNLOCK_COMPARTMENT,
)

type Handler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]

_OPTIONAL = SupportsResponse.OPTIONAL
ACTIONS: dict[str, tuple[Handler, Any, SupportsResponse]] = {
    SERVICE_BOOK_CLEANING: (
        orders.book_cleaning,
        SCHEMAS[SERVICE_BOOK_CLEANING],
        _OPTIONAL,
    ),
    SERVICE_REQUEST_SERVICE: (
        orders.request_service,
        SCHEMAS[SERVICE_REQUEST_SERVICE],
        _OPTIONAL,
    ),
    SERVICE_ASSIGN_ORDER: (
        orders.assign_order,
        SCHEMAS[SERVICE_ASSIGN_ORDER],
        _OPTIONAL,
    ),
    SERVICE_ACCEPT_ORDER: (
        orders.accept_order,
        SCHEMAS[SERVICE_ACCEPT_ORDER],
        _OPTIONAL,
    ),
    SERVICE_DECLINE_ORDER: (
        orders.decline_order,
        SCHEMAS[SERVICE_DECLINE_ORDER],
        _OPTIONAL,
    ),
    SERVICE_GIVE_BACK_ORDER: (
        orders.give_back_order,
        SCHEMAS[SERVICE_GIVE_BACK_ORDER],
        _OPTIONAL,
    ),
    SERVICE_START_ORDER: (orders.start_order, SCHEMAS[SERVICE_START_ORDER], _OPTIONAL),
    SERVICE_COMPLETE_ORDER: (
        orders.complete_order,
        SCHEMAS[SERVICE_COMPLETE_ORDER],
        _OPTIONAL,
    ),
    SERVICE_CANCEL_ORDER: (
        orders.cancel_order,
        SCHEMAS[SERVICE_CANCEL_ORDER],
        _OPTIONAL,
    ),
    SERVICE_REISSUE_CODE: (
        orders.reissue_code,
        SCHEMAS[SERVICE_REISSUE_CODE],
        _OPTIONAL,
    ),
    SERVICE_GET_ORDERS: (
        orders.get_orders,
        SCHEMAS[SERVICE_GET_ORDERS],
        SupportsResponse.ONLY,
    ),
    SERVICE_CHECK_IN: (rooms.check_in, ROOM_SCHEMAS[SERVICE_CHECK_IN], _OPTIONAL),
    SERVICE_CHECK_OUT: (rooms.check_out, ROOM_SCHEMAS[SERVICE_CHECK_OUT], _OPTIONAL),
    SERVICE_GET_CATALOG: (
        rooms.get_catalog,
        ROOM_SCHEMAS[SERVICE_GET_CATALOG],
        SupportsResponse.ONLY,
    ),
    SERVICE_GET_FOLIO: (
        rooms.get_folio,
        ROOM_SCHEMAS[SERVICE_GET_FOLIO],
        SupportsResponse.ONLY,
    ),
    SERVICE_GET_ROOM_APPLIANCES: (
        rooms.get_room_appliances,
        ROOM_SCHEMAS[SERVICE_GET_ROOM_APPLIANCES],
        SupportsResponse.ONLY,
    ),
    SERVICE_REQUEST_APPLIANCE_CHANGE: (
        rooms.request_appliance_change,
        ROOM_SCHEMAS[SERVICE_REQUEST_APPLIANCE_CHANGE],
        _OPTIONAL,
    ),
    SERVICE_SET_DO_NOT_DISTURB: (
        rooms.set_do_not_disturb,
        ROOM_SCHEMAS[SERVICE_SET_DO_NOT_DISTURB],
        SupportsResponse.NONE,
    ),
    SERVICE_UNLOCK_COMPARTMENT: (
        cabinet.unlock_compartment,
        CABINET_SCHEMAS[SERVICE_UNLOCK_COMPARTMENT],
        _OPTIONAL,
    ),
    SERVICE_CONFIRM_COMPARTMENT: (
        cabinet.confirm_compartment,
        CABINET_SCHEMAS[SERVICE_CONFIRM_COMPARTMENT],
        _OPTIONAL,
    ),
    SERVICE_PURCHASE_SUPPLIES: (
        cabinet.purchase_supplies,
        CABINET_SCHEMAS[SERVICE_PURCHASE_SUPPLIES],
        _OPTIONAL,
    ),
    SERVICE_RESTOCK_CABINET: (
        cabinet.restock_cabinet,
        CABINET_SCHEMAS[SERVICE_RESTOCK_CABINET],
        _OPTIONAL,
    ),
    calendars.SERVICE_REFRESH_CALENDARS: (
        calendars.refresh_calendars,
        calendars.REFRESH_CALENDARS_SCHEMA,
        _OPTIONAL,
    ),
    booking.SERVICE_SET_PUBLIC_BOOKING: (
        booking.set_public_booking,
        booking.SCHEMAS[booking.SERVICE_SET_PUBLIC_BOOKING],
        _OPTIONAL,
    ),
    booking.SERVICE_ROTATE_BOOKING_LINK: (
        booking.rotate_booking_link,
        booking.SCHEMAS[booking.SERVICE_ROTATE_BOOKING_LINK],
        _OPTIONAL,
    ),
    booking.SERVICE_PRESS_VIRTUAL_KEYPAD: (
        booking.press_virtual_keypad,
        booking.SCHEMAS[booking.SERVICE_PRESS_VIRTUAL_KEYPAD],
        SupportsResponse.NONE,
    ),
}
"""Every action: its handler, its schema and whether it answers."""


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration (once, for all sites)."""
    for name, (handler, schema, supports_response) in ACTIONS.items():
        hass.services.async_register(
            DOMAIN, name, handler, schema=schema, supports_response=supports_response
        )
