"""Names, validators and schemas of every Door Service action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import re
from typing import Any

import probatio as vol

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..core.events import ApplianceAction, Language
from ..core.orders import OrderState

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
SERVICE_REISSUE_CODE = "reissue_code"

PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,22}[0-9]$")
ORDER_ID_RE = re.compile(r"^DS-[0-9A-Z]{4}$", re.IGNORECASE)


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated refusal of bad input (changes nothing)."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def aware(value: Any) -> Any:
    """Give a naive datetime Home Assistant's time zone."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return value


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
        when = dt_util.as_utc(aware(value))
    except OverflowError, ValueError:
        when = None
    if when is None or not low <= when <= high:
        raise validation_error(
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
    SERVICE_REISSUE_CODE: vol.Schema(
        {**ORDER_FIELDS, vol.Optional(ATTR_WORKER): cv.string}
    ),
}


ATTR_GUEST_NAME = "guest_name"
ATTR_LANGUAGE = "language"
ATTR_NOTIFY_TARGET = "notify_target"
ATTR_ENDS_AT = "ends_at"
ATTR_APPLIANCE = "appliance"
ATTR_TARGET_STATE = "state"
ATTR_VALUE = "value"
ATTR_ON = "on"

SERVICE_CHECK_IN = "check_in"
SERVICE_CHECK_OUT = "check_out"
SERVICE_GET_CATALOG = "get_catalog"
SERVICE_GET_ROOM_APPLIANCES = "get_room_appliances"
SERVICE_GET_FOLIO = "get_folio"
SERVICE_REQUEST_APPLIANCE_CHANGE = "request_appliance_change"
SERVICE_SET_DO_NOT_DISTURB = "set_do_not_disturb"

TARGET_ACTIONS = {
    "on": ApplianceAction.TURN_ON,
    "off": ApplianceAction.TURN_OFF,
    "open": ApplianceAction.OPEN,
    "closed": ApplianceAction.CLOSE,
}

ROOM_FIELD: dict[Any, Any] = {vol.Required(ATTR_ROOM): cv.string}

ROOM_SCHEMAS: dict[str, vol.Schema] = {
    SERVICE_CHECK_IN: vol.Schema(
        {
            **ROOM_FIELD,
            vol.Required(ATTR_GUEST_NAME): _text(100),
            vol.Optional(ATTR_LANGUAGE, default=Language.EN.value): vol.In(
                [language.value for language in Language]
            ),
            vol.Optional(ATTR_NOTIFY_TARGET): cv.string,
            vol.Optional(ATTR_ENDS_AT): cv.datetime,
        }
    ),
    SERVICE_CHECK_OUT: vol.Schema(ROOM_FIELD),
    SERVICE_GET_CATALOG: vol.Schema(
        {vol.Optional(ATTR_SITE): cv.string, vol.Optional(ATTR_ROOM): cv.string}
    ),
    SERVICE_GET_ROOM_APPLIANCES: vol.Schema(ROOM_FIELD),
    SERVICE_GET_FOLIO: vol.Schema(ROOM_FIELD),
    SERVICE_REQUEST_APPLIANCE_CHANGE: vol.Schema(
        {
            **ROOM_FIELD,
            vol.Required(ATTR_APPLIANCE): cv.string,
            vol.Required(ATTR_TARGET_STATE): vol.In(list(TARGET_ACTIONS)),
            vol.Optional(ATTR_VALUE): vol.Coerce(float),
            vol.Required(ATTR_REASON): _text(200),
        }
    ),
    SERVICE_SET_DO_NOT_DISTURB: vol.Schema(
        {**ROOM_FIELD, vol.Required(ATTR_ON): cv.boolean}
    ),
}


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
