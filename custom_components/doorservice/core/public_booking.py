"""The rules of a booking made on a cabinet's public page (no Home Assistant user).

Before anything is booked: a phone number holds at most ``phone_cap`` open public
bookings, and a booking that needs a compartment (a key or supplies) leaves the
cabinet's last ``reserve`` free compartments to the people who book otherwise. A
refusal raises before the site changes; a booking is an ordinary
:meth:`Site.book_cleaning` whose ``booked_by`` is :data:`PUBLIC_BOOKER`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from .cabinet import Cabinet
from .errors import DoorServiceError
from .events import DomainEvent
from .orders import Order

PUBLIC_BOOKER = "booking_page"
"""``booked_by`` of an order booked on the public page (no user id looks like it)."""


class _Desk(Protocol):
    @property
    def book(self) -> Iterable[Order]: ...


class Site(Protocol):
    """What a public booking needs of a site (``core.site.Site`` is one)."""

    @property
    def desk(self) -> _Desk:
        """The orders."""

    @property
    def cabinets(self) -> Mapping[str, Cabinet]:
        """The cabinets by id."""

    def book_cleaning(
        self,
        *,
        service_type: str,
        requester: str,
        now: datetime,
        start: datetime,
        address: str | None = None,
        contact_phone: str | None = None,
        message: str | None = None,
        store_key: bool = False,
        supplies: Sequence[tuple[str, int]] = (),
        cabinet: str | None = None,
        booked_by: str | None = None,
    ) -> tuple[Order, list[DomainEvent]]:
        """Book a visit (``core.site.Site.book_cleaning``)."""


def open_public_bookings(site: Site, phone: str) -> int:
    """Return how many open orders the public page booked for ``phone``."""
    return sum(
        1
        for order in site.desk.book
        if order.is_open
        and order.booked_by == PUBLIC_BOOKER
        and order.contact_phone == phone
    )


def book_publicly(
    site: Site,
    *,
    cabinet_id: str,
    service_type: str,
    start: datetime,
    address: str,
    phone: str,
    message: str | None,
    store_key: bool,
    supplies: Sequence[tuple[str, int]],
    phone_cap: int,
    reserve: int,
    requester: str,
    now: datetime,
) -> tuple[Order, list[DomainEvent]]:
    """Book a visit from the public page, or refuse it whole (see module doc)."""
    if open_public_bookings(site, phone) >= phone_cap:
        raise DoorServiceError("public_phone_cap", count=phone_cap)
    if (store_key or supplies) and site.cabinets[cabinet_id].free_count() <= reserve:
        raise DoorServiceError("public_cabinet_full", cabinet=cabinet_id)
    return site.book_cleaning(
        service_type=service_type,
        requester=requester,
        now=now,
        start=start,
        address=address,
        contact_phone=phone,
        message=message,
        store_key=store_key,
        supplies=supplies,
        cabinet=cabinet_id,
        booked_by=PUBLIC_BOOKER,
    )
