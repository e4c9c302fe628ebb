"""Booking calendars -> cleanings: which cleaning each guest checkout needs.

A short-let host exports the bookings of a place (Airbnb, VRBO, Booking.com, or any
calendar) as reservations: a check-in and a checkout. Every checkout needs a cleaning
in the window before the next check-in. This module is the pure part of that:

* :func:`plan_cleanings` turns a feed's reservations into the cleanings it wants
  (one per checkout still ahead), each keyed by the reservation's UID.
* :class:`CalendarBookings` is the durable ledger *reservation -> order*: a checkout
  is booked once, ever; when the reservation moves its order is replaced, when the
  reservation disappears (cancelled) its order is cancelled.
* :func:`book_checkout`, :func:`move_checkout` and :func:`cancel_checkout` are the
  operations on a :class:`~.site.Site`, each one atomic: the order changes and the
  ledger with it, in the same committed operation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from .calendar_bookings import CalendarBookings, CalendarCleaning, ledger_key
from .events import DomainEvent
from .orders import CANCELLABLE_STATES, Order

CALENDAR_ACTOR = "calendar"
"""Who cancels an order whose reservation was cancelled or moved."""
FORGET_AFTER = timedelta(days=2)
"""A ledger entry is kept this long after its cleaning started, then forgotten."""


@dataclass(frozen=True, slots=True)
class Reservation:
    """A booking of a feed: the guest comes at ``check_in``, leaves at ``checkout``."""

    uid: str
    check_in: datetime
    checkout: datetime


@dataclass(frozen=True, slots=True)
class CleaningPolicy:
    """How a site turns checkouts into cleanings."""

    service_type: str
    lead: timedelta = timedelta(0)
    """How long after the checkout the cleaning starts."""
    store_key: bool = False
    """Whether the owner leaves the key in the cabinet for each cleaning."""


@dataclass(frozen=True, slots=True)
class WantedCleaning:
    """A cleaning a checkout needs: from ``start`` until the next check-in."""

    uid: str
    checkout: datetime
    start: datetime
    end: datetime | None


@dataclass(frozen=True, slots=True)
class Location:
    """Where a feed's cleanings happen: an address or a room."""

    address: str | None = None
    room: str | None = None


def plan_cleanings(
    reservations: Iterable[Reservation],
    policy: CleaningPolicy,
    now: datetime,
    horizon: timedelta,
) -> dict[str, WantedCleaning]:
    """Return the cleaning every checkout ahead (within ``horizon``) needs, by UID.

    The cleaning starts ``policy.lead`` after the checkout and must be done by the
    next check-in of the same feed; when the lead would run past that check-in, it
    starts at the checkout itself.
    """
    booked = sorted(reservations, key=lambda r: (r.check_in, r.uid))
    check_ins = [r.check_in for r in booked]
    wanted: dict[str, WantedCleaning] = {}
    for reservation in booked:
        checkout = reservation.checkout
        start = checkout + policy.lead
        if start <= now or checkout > now + horizon:
            continue
        end = min((t for t in check_ins if t >= checkout), default=None)
        if end is not None and start >= end:
            start = checkout
        wanted[reservation.uid] = WantedCleaning(reservation.uid, checkout, start, end)
    return wanted


class _OrderLookup(Protocol):
    def find(self, order_id: str) -> Order | None: ...


class _Desk(Protocol):
    @property
    def book(self) -> _OrderLookup: ...


class Site(Protocol):
    """What booking checkouts needs of a site (``core.site.Site`` is one)."""

    @property
    def calendar_bookings(self) -> CalendarBookings:
        """The ledger reservation -> order."""

    @property
    def desk(self) -> _Desk:
        """The orders."""

    def book_cleaning(
        self,
        *,
        service_type: str,
        requester: str,
        now: datetime,
        start: datetime,
        end: datetime | None = None,
        address: str | None = None,
        room: str | None = None,
        store_key: bool = False,
        paid_needs_stay: bool = False,
    ) -> tuple[Order, list[DomainEvent]]:
        """Book a cleaning visit."""

    def cancel(
        self, order_id: str, actor: str, reason: str | None, now: datetime
    ) -> Sequence[DomainEvent]:
        """Cancel an order before work starts."""


type CheckoutOperation = Callable[..., tuple[str, list[DomainEvent]]]
"""``book_checkout`` or ``move_checkout``."""


# --- operations on a site (each one committed on its own) -------------------------


def _book_window(
    site: Site,
    cleaning: WantedCleaning,
    location: Location,
    policy: CleaningPolicy,
    requester: str,
    now: datetime,
    paid_needs_stay: bool,
) -> tuple[Order, list[DomainEvent]]:
    """Book the policy's cleaning in the window ``cleaning`` wants."""
    return site.book_cleaning(
        service_type=policy.service_type,
        requester=requester,
        now=now,
        start=cleaning.start,
        end=cleaning.end,
        address=location.address,
        room=location.room,
        store_key=policy.store_key,
        paid_needs_stay=paid_needs_stay,
    )


def _remember(site: Site, feed: str, cleaning: WantedCleaning, order_id: str) -> None:
    """Write in the ledger which order the checkout of ``cleaning`` got."""
    entry = CalendarCleaning(
        feed, cleaning.uid, order_id, cleaning.checkout, cleaning.start, cleaning.end
    )
    site.calendar_bookings.entries[entry.key] = entry


def book_checkout(
    site: Site,
    feed: str,
    cleaning: WantedCleaning,
    location: Location,
    policy: CleaningPolicy,
    requester: str,
    now: datetime,
    *,
    paid_needs_stay: bool = False,
) -> tuple[str, list[DomainEvent]]:
    """Book the cleaning of a checkout not booked yet; return its order id.

    Refused (``already booked``) when the ledger has the reservation: one checkout
    is booked once, even across restarts.
    """
    if site.calendar_bookings.get(feed, cleaning.uid) is not None:
        raise ValueError(f"{ledger_key(feed, cleaning.uid)} is already booked")
    order, events = _book_window(
        site, cleaning, location, policy, requester, now, paid_needs_stay
    )
    _remember(site, feed, cleaning, order.id)
    return order.id, events


def needs_move(entry: CalendarCleaning, cleaning: WantedCleaning) -> bool:
    """Return whether a booked checkout's cleaning must be booked again.

    When the checkout moved (the cleaning starts at another time), or when the next
    guests now arrive sooner than the booked deadline. A later (or no) next check-in
    keeps the order as it is: its deadline is only stricter than needed, and the
    worker who accepted it keeps it.
    """
    if entry.start != cleaning.start:
        return True
    return cleaning.end is not None and (entry.end is None or cleaning.end < entry.end)


def is_replaceable(site: Site, entry: CalendarCleaning) -> bool:
    """Return whether a booked checkout's order may still be moved or cancelled."""
    order = site.desk.book.find(entry.order_id)
    return order is not None and order.state in CANCELLABLE_STATES


def move_checkout(
    site: Site,
    feed: str,
    cleaning: WantedCleaning,
    location: Location,
    policy: CleaningPolicy,
    requester: str,
    now: datetime,
    *,
    paid_needs_stay: bool = False,
) -> tuple[str, list[DomainEvent]]:
    """A reservation moved: book its new window, then cancel the old order.

    The new order is booked first (a refusal changes nothing), then the old one is
    cancelled (it is still cancellable: checked before), then the ledger follows.
    """
    entry = site.calendar_bookings.entries[ledger_key(feed, cleaning.uid)]
    if not is_replaceable(site, entry):
        raise ValueError(f"{entry.key}: order {entry.order_id} has started")
    order, events = _book_window(
        site, cleaning, location, policy, requester, now, paid_needs_stay
    )
    events += site.cancel(entry.order_id, CALENDAR_ACTOR, "booking_moved", now)
    _remember(site, feed, cleaning, order.id)
    return order.id, events


def cancel_checkout(
    site: Site, feed: str, uid: str, now: datetime
) -> tuple[str, list[DomainEvent]]:
    """A reservation was cancelled: cancel its order (if not started), forget it."""
    entry = site.calendar_bookings.entries[ledger_key(feed, uid)]
    events: list[DomainEvent] = []
    if is_replaceable(site, entry):
        events += site.cancel(entry.order_id, CALENDAR_ACTOR, "booking_cancelled", now)
    site.calendar_bookings.entries.pop(entry.key, None)
    return entry.order_id, events


def forget_past(site: Site, now: datetime) -> list[str]:
    """Forget ledger entries whose cleaning started long ago; return their keys."""
    old = [
        key
        for key, entry in site.calendar_bookings.entries.items()
        if entry.start < now - FORGET_AFTER
    ]
    for key in old:
        del site.calendar_bookings.entries[key]
    return old
