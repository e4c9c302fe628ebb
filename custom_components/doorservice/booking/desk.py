"""Public bookings through the coordinator, their owner codes and status.

A booking from the page runs as one operation of the site's coordinator, as the
**booker** of DESIGN.md's trust table: it has no Home Assistant user, so the
order's ``booked_by`` is ``core.public_booking.PUBLIC_BOOKER`` (no user id looks like
it) and the page's private status link (links.py) is the booker's only handle on
the order. The operation's rules (the phone cap, the compartments kept back) are the
core's (``core/public_booking.py``): a refused booking changes nothing.

Owner codes (the drop-off PIN, the collect code) exist in clear only in the
``CodeDelivery`` of the operation that issued them. :class:`OwnerCodes` keeps them
in memory for the status page of their own order, never on disk, never in a state
or log; after a restart a collect code that is still needed is issued again (the old
one dies) when the status page asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
import re
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import CONF_NAME
from homeassistant.core import Context
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from ..const import (
    CONF_ADDRESS,
    CONF_PUBLIC_RESERVE,
    DEFAULT_PUBLIC_RESERVE,
    LOGGER,
    SiteType,
)
from ..coordinator import OrderOutcome, SiteCoordinator
from ..core.cabinet_desk import OWNER
from ..core.catalog import ServiceType
from ..core.codes import CodePurpose
from ..core.events import CodeDelivery, DomainEvent, HolderKind
from ..core.orders import Order, OrderState
from ..core.public_booking import book_publicly
from .limits import BookingLimits

CLEANING_CATEGORY = "cleaning"
MAX_ADDRESS = 200
MAX_MESSAGE = 500
MAX_SUPPLY_QUANTITY = 20
MAX_DAYS_AHEAD = 90
PHONE = re.compile(r"^\+?\d{6,15}$")
PHONE_SEPARATORS = re.compile(r"[\s\-./()]")


def offered_types(runtime: SiteCoordinator) -> list[ServiceType]:
    """The service types the page offers: the site's cleaning category."""
    catalog = runtime.site.catalog
    return [t for t in catalog if t.category == CLEANING_CATEGORY] or list(catalog)


def prefilled_address(runtime: SiteCoordinator, cabinet: ConfigSubentry) -> str:
    """The address the form starts with: the cabinet's, or a home site's name."""
    if address := cabinet.data.get(CONF_ADDRESS):
        return str(address)
    return runtime.name if runtime.site_type == SiteType.HOME else ""


def reserve_of(cabinet: ConfigSubentry) -> int:
    """Compartments of the cabinet kept back from public bookings."""
    return int(cabinet.data.get(CONF_PUBLIC_RESERVE, DEFAULT_PUBLIC_RESERVE))


def money(runtime: SiteCoordinator, amount: Decimal) -> str:
    """An amount with the site's currency."""
    return f"{runtime.currency} {amount:.2f}"


@dataclass(frozen=True, slots=True)
class BookingRequest:
    """A validated booking form."""

    address: str
    start: datetime
    service_type: str
    phone: str
    message: str | None
    store_key: bool
    supplies: tuple[tuple[str, int], ...]


def normalize_phone(raw: str) -> str:
    """A phone number without separators (``+`` and digits)."""
    return PHONE_SEPARATORS.sub("", raw.strip())


def parse_form(
    runtime: SiteCoordinator,
    cabinet_id: str,
    form: dict[str, str],
    now: datetime,
) -> tuple[BookingRequest | None, dict[str, tuple[str, dict[str, Any]]]]:
    """Validate a posted form: the request, or errors per field (text key, values)."""
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    address = form.get("address", "").strip()
    if not address or len(address) > MAX_ADDRESS:
        errors["address"] = ("error_address", {})
    start: datetime | None = None
    if not (raw_start := form.get("start", "").strip()):
        errors["start"] = ("error_start", {})
    else:
        try:
            start = datetime.fromisoformat(raw_start)
        except ValueError:
            errors["start"] = ("error_start", {})
        else:
            if start.tzinfo is None:
                start = start.replace(tzinfo=dt_util.get_default_time_zone())
            if start < now - timedelta(minutes=5):
                errors["start"] = ("error_start_past", {})
            elif start > now + timedelta(days=MAX_DAYS_AHEAD):
                errors["start"] = ("error_start_far", {})
    service_type = form.get("service_type", "")
    if service_type not in {t.id for t in offered_types(runtime)}:
        errors["service_type"] = ("error_service_type", {})
    phone = normalize_phone(form.get("phone", ""))
    if not PHONE.match(phone):
        errors["phone"] = ("error_phone", {})
    message = form.get("message", "").strip()
    if len(message) > MAX_MESSAGE:
        errors["message"] = ("error_message", {})
    supplies: list[tuple[str, int]] = []
    stock = runtime.site.stock.get(cabinet_id)
    for item in runtime.site.supplies:
        raw = form.get(f"supply_{item.sku}", "").strip() or "0"
        field_name = f"supply_{item.sku}"
        if not raw.isdigit() or int(raw) > MAX_SUPPLY_QUANTITY:
            errors[field_name] = ("error_quantity", {"max": MAX_SUPPLY_QUANTITY})
            continue
        if (quantity := int(raw)) == 0:
            continue
        available = max(stock.available(item.sku), 0) if stock else 0
        if quantity > available:
            errors[field_name] = ("error_supply_stock", {"count": available})
            continue
        supplies.append((item.sku, quantity))
    if errors or start is None:
        return None, errors
    return (
        BookingRequest(
            address=address,
            start=start,
            service_type=service_type,
            phone=phone,
            message=message or None,
            store_key=form.get("store_key") in ("1", "on", "true"),
            supplies=tuple(supplies),
        ),
        {},
    )


async def async_book(
    runtime: SiteCoordinator,
    cabinet: ConfigSubentry,
    request: BookingRequest,
    limits: BookingLimits,
) -> OrderOutcome:
    """Book through the coordinator as the page's booker; refused whole or done.

    Raises a translated ``ServiceValidationError`` (``public_phone_cap``,
    ``public_cabinet_full`` or a domain refusal such as ``insufficient_stock``).
    """
    cabinet_id = cabinet.subentry_id
    reserve = reserve_of(cabinet)
    cap = limits.phone_open_bookings
    requester = f"{cabinet.title} booking page"

    def _book(now: datetime) -> tuple[Order, list[DomainEvent]]:
        return book_publicly(
            runtime.site,
            cabinet_id=cabinet_id,
            service_type=request.service_type,
            start=request.start,
            address=request.address,
            phone=request.phone,
            message=request.message,
            store_key=request.store_key,
            supplies=request.supplies,
            phone_cap=cap,
            reserve=reserve,
            requester=requester,
            now=now,
        )

    order, events = await runtime.async_run_with_events(_book, Context())
    return OrderOutcome(order, tuple(e for e in events if isinstance(e, CodeDelivery)))


def order_cost(runtime: SiteCoordinator, order: Order) -> Decimal:
    """What the order costs: the service and the supplies bought with it."""
    total = order.total_price
    if (purchase := runtime.site.cabinet_desk.purchases.get(order.id)) is not None:
        total += purchase.total
    return total


@dataclass(frozen=True, slots=True)
class OwnerCode:
    """An owner's code of one order, as the status page may show it."""

    code_id: str
    purpose: CodePurpose
    cabinet_id: str
    compartment: int
    pin: str
    token: str
    valid_until: datetime


@dataclass
class OwnerCodes:
    """Owner codes of public bookings, in memory (see the module docstring)."""

    codes: dict[tuple[str, str, CodePurpose], OwnerCode] = field(default_factory=dict)

    def keep(self, entry_id: str, deliveries: tuple[CodeDelivery, ...]) -> None:
        """Keep the owner's codes among ``deliveries``."""
        now = dt_util.utcnow()
        for key in [k for k, c in self.codes.items() if c.valid_until <= now]:
            del self.codes[key]
        for delivery in deliveries:
            if delivery.holder != OWNER:
                continue
            code = delivery.issued.code
            self.codes[(entry_id, delivery.order_id, delivery.purpose)] = OwnerCode(
                code.id,
                delivery.purpose,
                delivery.cabinet_id,
                delivery.compartment,
                delivery.issued.pin,
                delivery.issued.token,
                code.valid_until,
            )

    def active(
        self, runtime: SiteCoordinator, order_id: str, purpose: CodePurpose
    ) -> OwnerCode | None:
        """The kept code of the order for ``purpose`` while it is still active."""
        kept = self.codes.get((runtime.entry.entry_id, order_id, purpose))
        if kept is None:
            return None
        now = dt_util.utcnow()
        active = {
            code.id for code in runtime.site.codes.active_for_order(order_id, now)
        }
        if kept.code_id not in active:
            del self.codes[(runtime.entry.entry_id, order_id, purpose)]
            return None
        return kept

    async def async_collect_code(
        self, runtime: SiteCoordinator, order: Order
    ) -> OwnerCode | None:
        """The owner's collect code of an order whose key is back, or None.

        A collect code that is active but not kept here (issued while Home
        Assistant ran earlier, or to a worker's answer) is issued again once.
        """
        if (kept := self.active(runtime, order.id, CodePurpose.COLLECT)) is not None:
            return kept
        now = dt_util.utcnow()
        if not any(
            code.holder == OWNER
            and code.purpose is CodePurpose.COLLECT
            and not code.is_reserved(now)
            for code in runtime.site.codes.active_for_order(order.id, now)
        ):
            return None
        try:
            _none, events = await runtime.async_run_with_events(
                lambda now: (
                    None,
                    runtime.site.cabinet_desk.reissue(order.id, OWNER, now),
                ),
                Context(),
            )
        except HomeAssistantError as err:
            LOGGER.debug("Collect code of %s not issued again: %s", order.id, err)
            return None
        self.keep(
            runtime.entry.entry_id,
            tuple(e for e in events if isinstance(e, CodeDelivery)),
        )
        return self.active(runtime, order.id, CodePurpose.COLLECT)


def key_back_in(runtime: SiteCoordinator, order: Order) -> tuple[str, int] | None:
    """(cabinet, compartment) when the order's key is back for its owner, or None.

    Back means: the work is over (completed) or the order was cancelled, and the key
    lies in a compartment waiting for its owner. Never before.
    """
    if not order.has_key or order.state not in (
        OrderState.COMPLETED,
        OrderState.CANCELLED,
    ):
        return None
    if order.id not in runtime.site.custody:
        return None
    holder = runtime.site.custody.get(order.id).holder
    if holder.kind is not HolderKind.COMPARTMENT or holder.cabinet_id is None:
        return None
    return holder.cabinet_id, holder.compartment_number or 0


def first_name(runtime: SiteCoordinator, worker_id: str | None) -> str | None:
    """The first name of a worker (their subentry title's first word)."""
    name = runtime.part_name(worker_id) if worker_id else None
    return name.split()[0] if name else None


def cabinet_name(runtime: SiteCoordinator, cabinet_id: str) -> str:
    """A cabinet's name."""
    for sub in runtime.entry.subentries.values():
        if sub.subentry_id == cabinet_id:
            return str(sub.data.get(CONF_NAME) or sub.title)
    return cabinet_id
