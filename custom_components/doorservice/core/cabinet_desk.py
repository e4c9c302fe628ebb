"""The cabinet desk: the keyed flow of an order through a smart cabinet.

It ties together the cabinet (compartments), the code book (one-time codes), the
custody ledger (where the key is), the stock (supplies) and the order desk:

* A booking with ``store_key`` and/or supplies gets a compartment at booking time
  (none free refuses the whole booking) and its supplies reserved. A keyed order
  waits in ``awaiting_dropoff`` with a ``dropoff`` code for the owner.
* A code entered at a cabinet is checked and *reserved* by :meth:`CabinetDesk.reserve`
  (committed before any unlock command, so a second entry of the same code, or of
  another code of the same compartment, is refused meanwhile). The glue asks the
  board to unlock; a failed unlock releases it (:meth:`release`). On a board with door
  sensors the code is used when the door opens (:meth:`door_opened`; a door that
  never opens, :meth:`unlock_expired`, releases it), without door sensors when the
  lock confirms (:meth:`opened`). Using the code records an *opening*; the hop the
  code stands for completes when the door closes again (:meth:`door_changed`), at
  once on a board without door sensors, or when someone confirms it (:meth:`confirm`).
* Hops: ``dropoff`` (key into the compartment, order queued and dispatched),
  ``pickup`` (worker takes key and supplies, order in progress), ``return`` (key back,
  order completed, ``collect`` code for the owner), ``collect`` (key with the owner,
  order closed) and ``restock`` (the operator put an order's supplies in).
* Cancel before the work starts releases compartment and stock and revokes the codes;
  a key already in a compartment stays there with a ``collect`` code for the owner.

Issued codes leave the desk only inside :class:`CodeDelivery` events, which the glue
hands to the caller or the holder and never writes anywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from .access_codes import RESERVATION_TIMEOUT, CodeBook, Verification
from .actors import actor_worker_id, worker_actor
from .cabinet import Cabinet
from .codes import AccessCode, CodePurpose
from .custody import CustodyLedger
from .errors import DoorServiceError
from .events import (
    CodeDelivery,
    CompartmentSize,
    Contents,
    DomainEvent,
    Holder,
    HolderKind,
    HopCompleted,
    OrderEvent,
    OrderEventKind,
)
from .orders import Order, OrderState
from .supplies import PricedLine, Stock, SupplyCatalog

PICKUP_LEAD = timedelta(minutes=30)
"""A pickup code is valid from this long before the scheduled start."""

OPERATOR = "operator"
OWNER = "owner"


@dataclass(slots=True)
class Purchase:
    """Supplies an order bought: where they are and what they cost."""

    cabinet_id: str
    lines: list[PricedLine]
    filled: bool = False
    picked_up: bool = False

    @property
    def total(self) -> Decimal:
        """What the supplies cost."""
        return sum((line.amount for line in self.lines), Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "cabinet_id": self.cabinet_id,
            "lines": [line.to_dict() for line in self.lines],
            "filled": self.filled,
            "picked_up": self.picked_up,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Purchase:
        """Rebuild from ``to_dict`` output."""
        return cls(
            cabinet_id=str(data["cabinet_id"]),
            lines=[
                PricedLine(
                    str(line["sku"]),
                    str(line["name"]),
                    int(line["quantity"]),
                    Decimal(str(line["unit_price"])),
                    Decimal(str(line["amount"])),
                )
                for line in data["lines"]
            ],
            filled=bool(data["filled"]),
            picked_up=bool(data["picked_up"]),
        )


@dataclass(slots=True)
class Opening:
    """A compartment unlocked by a code whose hop is not complete yet."""

    order_id: str
    purpose: CodePurpose
    holder: str
    at: datetime
    door_seen_open: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "order_id": self.order_id,
            "purpose": self.purpose.value,
            "holder": self.holder,
            "at": self.at.isoformat(),
            "door_seen_open": self.door_seen_open,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Opening:
        """Rebuild from ``to_dict`` output."""
        return cls(
            order_id=str(data["order_id"]),
            purpose=CodePurpose(data["purpose"]),
            holder=str(data["holder"]),
            at=datetime.fromisoformat(data["at"]),
            door_seen_open=bool(data["door_seen_open"]),
        )


_EXPECTED_STATE: Mapping[CodePurpose, frozenset[OrderState]] = {
    CodePurpose.DROPOFF: frozenset({OrderState.AWAITING_DROPOFF}),
    CodePurpose.PICKUP: frozenset({OrderState.ACCEPTED}),
    CodePurpose.RETURN: frozenset({OrderState.AWAITING_RETURN}),
    CodePurpose.COLLECT: frozenset({OrderState.COMPLETED, OrderState.CANCELLED}),
    CodePurpose.RESTOCK: frozenset(
        {
            OrderState.AWAITING_DROPOFF,
            OrderState.QUEUED,
            OrderState.OFFERED,
            OrderState.ACCEPTED,
        }
    ),
}
"""The order states in which a code of each purpose can open its compartment."""


class KeyedOrders(Protocol):
    """The orders the cabinet desk reads and the key hooks it drives (``OrderDesk``)."""

    def get(self, order_id: str) -> Order:
        """Return an order or raise ``unknown_order``."""
        ...

    def find(self, order_id: str) -> Order | None:
        """Return an order, or None."""
        ...

    def key_deposited(self, order_id: str, now: datetime) -> list[OrderEvent]:
        """The owner's key is in its compartment."""
        ...

    def picked_up(
        self, order_id: str, worker_id: str, now: datetime
    ) -> list[OrderEvent]:
        """The worker took key and supplies."""
        ...

    def key_returned(self, order_id: str, now: datetime) -> list[OrderEvent]:
        """The worker put the key back."""
        ...

    def collected(self, order_id: str, now: datetime) -> list[OrderEvent]:
        """The owner collected the key."""
        ...


class CabinetSettings(Protocol):
    """What the cabinet desk reads from the site's configuration."""

    @property
    def code_validity(self) -> timedelta:
        """How long an issued code stays valid."""
        ...

    @property
    def cabinet_order(self) -> Sequence[str]:
        """The configured cabinets, in configuration order."""
        ...


@dataclass(slots=True)
class CabinetDesk:
    """The cabinet side of a site's orders (see the module docstring).

    It depends on its parts and two narrow ports, never on the site that owns it;
    the site feeds it the order events through ``follow``.
    """

    orders: KeyedOrders
    codes: CodeBook
    custody: CustodyLedger
    cabinets: Mapping[str, Cabinet]
    stock: Mapping[str, Stock]
    supplies: SupplyCatalog
    settings: CabinetSettings
    purchases: dict[str, Purchase] = field(default_factory=dict)
    openings: dict[str, dict[int, Opening]] = field(default_factory=dict)

    # ------------------------------------------------------------------ queries

    def compartment_of(self, order_id: str) -> tuple[str, int] | None:
        """The (cabinet, compartment) reserved for or holding an order's items."""
        for cabinet in self.cabinets.values():
            for compartment in cabinet.compartments_for(order_id):
                return cabinet.id, compartment.number
        return None

    def holds(self, order_id: str) -> bool:
        """Whether the desk still needs the order: a compartment or an opening."""
        if self.compartment_of(order_id) is not None:
            return True
        return any(
            opening.order_id == order_id
            for openings in self.openings.values()
            for opening in openings.values()
        )

    def forget(self, order_id: str) -> None:
        """Drop what is kept about a finished order (its purchase)."""
        self.purchases.pop(order_id, None)

    def purchased_lines(self, order_id: str) -> Sequence[PricedLine]:
        """The supplies an order bought (none when it bought nothing)."""
        purchase = self.purchases.get(order_id)
        return () if purchase is None else purchase.lines

    def has_pickup(self, order: Order) -> bool:
        """Whether the worker starts the order by picking something up."""
        purchase = self.purchases.get(order.id)
        return order.has_key or (purchase is not None and not purchase.picked_up)

    def worker_holds_key(self, order: Order) -> bool:
        """Whether the order's key is with its worker now."""
        custody = self.custody.custodies.get(order.id)
        return custody is not None and custody.holder.kind is HolderKind.WORKER

    def opening(self, cabinet_id: str, number: int) -> Opening | None:
        """The pending opening of a compartment, if any."""
        return self.openings.get(cabinet_id, {}).get(number)

    def default_cabinet(self) -> str:
        """The first configured cabinet with a free compartment (or the first)."""
        ids = [c for c in self.settings.cabinet_order if c in self.cabinets]
        if not ids:
            raise DoorServiceError("no_cabinet")
        for cabinet_id in ids:
            if self.cabinets[cabinet_id].free_count():
                return cabinet_id
        return ids[0]

    def _cabinet(self, cabinet_id: str) -> Cabinet:
        try:
            return self.cabinets[cabinet_id]
        except KeyError:
            raise DoorServiceError("unknown_cabinet", cabinet=cabinet_id) from None

    # ------------------------------------------------------------------ booking

    def book(
        self,
        *,
        now: datetime,
        store_key: bool,
        supplies: Sequence[tuple[str, int]],
        cabinet_id: str | None,
        create: Any,
    ) -> tuple[Order, list[DomainEvent]]:
        """Book an order with a key to leave and/or supplies, or refuse it whole.

        ``create(has_key)`` creates the order on the order desk (it validates
        before it changes anything); everything it depends on is checked first.
        """
        cabinet = self._cabinet(cabinet_id or self.default_cabinet())
        stock = self.stock[cabinet.id]
        if not cabinet.free_count():
            raise DoorServiceError(
                "no_free_compartment", cabinet_id=cabinet.id, size=CompartmentSize.SMALL
            )
        wanted: dict[str, int] = {}
        for sku, quantity in supplies:
            self.supplies.get(sku)
            if quantity < 1:
                raise DoorServiceError(
                    "invalid_supply_quantity", sku=sku, quantity=quantity
                )
            wanted[sku] = wanted.get(sku, 0) + quantity
        for sku, quantity in wanted.items():
            if quantity > (available := stock.available(sku)):
                raise DoorServiceError(
                    "insufficient_stock",
                    sku=sku,
                    requested=quantity,
                    available=max(available, 0),
                )
        order, order_events = create(store_key)
        events: list[DomainEvent] = []
        number, cabinet_events = cabinet.allocate(order.id)
        events += cabinet_events
        if wanted:
            lines, stock_events = stock.reserve(
                order.id, list(wanted.items()), self.supplies
            )
            self.purchases[order.id] = Purchase(cabinet.id, lines)
            events += stock_events
        if store_key:
            self.custody.start(order.id)
            start = order.scheduled_start or now
            events.append(
                self._issue(
                    order,
                    cabinet.id,
                    number,
                    CodePurpose.DROPOFF,
                    OWNER,
                    now,
                    max(start, now) + self.settings.code_validity,
                    now,
                )
            )
        return order, [*order_events, *events]

    def purchase(
        self, order_id: str, supplies: Sequence[tuple[str, int]], now: datetime
    ) -> list[DomainEvent]:
        """Add supplies to an order that has not started and has none yet."""
        order = self.orders.get(order_id.strip().upper())
        if order.state not in (
            OrderState.AWAITING_DROPOFF,
            OrderState.QUEUED,
            OrderState.OFFERED,
        ):
            raise DoorServiceError(
                "order_not_purchasable", order_id=order.id, state=order.state
            )
        if order.id in self.purchases:
            raise DoorServiceError("supplies_already_reserved", order_id=order.id)
        place = self.compartment_of(order.id)
        cabinet = self._cabinet(place[0] if place else self.default_cabinet())
        if place is None and not cabinet.free_count():
            raise DoorServiceError(
                "no_free_compartment", cabinet_id=cabinet.id, size=CompartmentSize.SMALL
            )
        lines, events = self.stock[cabinet.id].reserve(
            order.id, supplies, self.supplies
        )
        result: list[DomainEvent] = list(events)
        if place is None:
            result += cabinet.allocate(order.id)[1]
        self.purchases[order.id] = Purchase(cabinet.id, lines)
        return result

    def restock(
        self, cabinet_id: str, lines: Sequence[tuple[str, int]], now: datetime
    ) -> list[DomainEvent]:
        """Add stock to a cabinet and issue restock codes for unfilled purchases."""
        cabinet = self._cabinet(cabinet_id)
        stock = self.stock[cabinet.id]
        for sku, quantity in lines:
            self.supplies.get(sku)
            if quantity < 1:
                raise DoorServiceError(
                    "invalid_supply_quantity", sku=sku, quantity=quantity
                )
        events: list[DomainEvent] = []
        for sku, quantity in lines:
            events += stock.restock(sku, quantity, self.supplies)
        for order_id, purchase in self.purchases.items():
            order = self.orders.find(order_id)
            place = self.compartment_of(order_id)
            if (
                purchase.cabinet_id != cabinet.id
                or purchase.filled
                or purchase.picked_up
                or order is None
                or place is None
                or order.state not in _EXPECTED_STATE[CodePurpose.RESTOCK]
            ):
                continue
            events.append(
                self._issue(
                    order,
                    cabinet.id,
                    place[1],
                    CodePurpose.RESTOCK,
                    OPERATOR,
                    now,
                    now + self.settings.code_validity,
                    now,
                )
            )
        return events

    # ------------------------------------------------------------------ codes

    def verify(
        self,
        cabinet_id: str,
        entry: str,
        now: datetime,
        *,
        source: str | None = None,
    ) -> Verification:
        """Check an entry at a cabinet without using it (raises when refused).

        ``source`` is where the entry came from (see ``access_codes``); a refused
        PIN counts as a failure of that source.
        """
        self._cabinet(cabinet_id)
        verification = self.codes.verify(cabinet_id, entry, now, source=source)
        code = verification.code
        order = self.orders.get(code.order_id)
        if order.state not in _EXPECTED_STATE[code.purpose]:
            raise DoorServiceError(
                "code_not_usable_now", order_id=order.id, state=order.state
            )
        return verification

    def reserve(
        self,
        cabinet_id: str,
        entry: str,
        now: datetime,
        *,
        source: str | None = None,
        hold: timedelta = RESERVATION_TIMEOUT,
    ) -> tuple[Verification, list[DomainEvent]]:
        """Check an entry and hold its code for one unlock (raises when refused).

        Refuses ``compartment_busy`` while another code of the same compartment
        waits for its unlock. Returns the verification (whose ``CodeAccepted``
        events the glue publishes once the board confirmed) and the reservation's
        events.
        """
        verification = self.verify(cabinet_id, entry, now, source=source)
        code = verification.code
        if self.reserved_code(code.cabinet_id, code.compartment, now) is not None:
            raise DoorServiceError(
                "compartment_busy", cabinet_id=cabinet_id, number=code.compartment
            )
        return verification, list(self.codes.reserve(code.id, now, hold))

    def release(self, code_id: str, now: datetime, reason: str) -> list[DomainEvent]:
        """The unlock of a reserved code failed: the code is valid again."""
        return list(self.codes.release(code_id, now, reason))

    def reserved_code(
        self, cabinet_id: str, number: int, now: datetime
    ) -> AccessCode | None:
        """The code reserved for an unlock of a compartment, if any."""
        cabinet = self.cabinets.get(cabinet_id)
        if cabinet is None or not 1 <= number <= len(cabinet.compartments):
            return None
        order_id = cabinet.compartment(number).order_id
        if order_id is None:
            return None
        return self.codes.reserved_for(order_id, cabinet_id, number, now)

    def door_opened(
        self, cabinet_id: str, number: int, now: datetime
    ) -> list[DomainEvent]:
        """The door of an unlocked compartment opened: use its reserved code up."""
        code = self.reserved_code(cabinet_id, number, now)
        if code is None:
            return []
        return self.opened(code.id, now, door_open=True)

    def unlock_expired(
        self, cabinet_id: str, number: int, now: datetime
    ) -> list[DomainEvent]:
        """The door never opened and the board relocked: the code stays valid."""
        code = self.reserved_code(cabinet_id, number, now)
        if code is None:
            return []
        return self.release(code.id, now, "door_not_opened")

    def opened(
        self,
        code_id: str,
        now: datetime,
        *,
        door_sensor: bool = True,
        door_open: bool = False,
    ) -> list[DomainEvent]:
        """The compartment of a code opened: use the code up, record the opening.

        Called when the door opened (``door_open``), or, on a board without door
        sensors, when the lock confirmed the unlock: then the hop completes at once.
        """
        code = self.codes.get(code_id)
        order = self.orders.get(code.order_id)
        if order.state not in _EXPECTED_STATE[code.purpose]:
            raise DoorServiceError(
                "code_not_usable_now", order_id=order.id, state=order.state
            )
        events: list[DomainEvent] = list(self.codes.consume(code_id, now))
        self.openings.setdefault(code.cabinet_id, {})[code.compartment] = Opening(
            code.order_id, code.purpose, code.holder, now, door_seen_open=door_open
        )
        if not door_sensor:
            events += self._complete(code.cabinet_id, code.compartment, now)
        return events

    def door_changed(
        self, cabinet_id: str, number: int, door_open: bool | None, now: datetime
    ) -> list[DomainEvent]:
        """A door moved: opening uses a reserved code, closing completes the hop."""
        cabinet = self.cabinets.get(cabinet_id)
        if cabinet is None or not 1 <= number <= len(cabinet.compartments):
            return []
        events: list[DomainEvent] = list(cabinet.update_door(number, door_open))
        if door_open:
            # A board without a door watch of its own: the door itself says it.
            events += self.door_opened(cabinet_id, number, now)
        opening = self.opening(cabinet_id, number)
        if opening is None:
            return events
        if door_open:
            opening.door_seen_open = True
        elif door_open is False and opening.door_seen_open:
            events += self._complete(cabinet_id, number, now)
        return events

    def confirm(self, cabinet_id: str, number: int, now: datetime) -> list[DomainEvent]:
        """Someone confirms the hop of an opened compartment (no or a broken sensor).

        An unlocked compartment whose door was not seen open yet counts as opened:
        its reserved code is used up first.
        """
        self._cabinet(cabinet_id).compartment(number)
        events: list[DomainEvent] = []
        if self.opening(cabinet_id, number) is None:
            code = self.reserved_code(cabinet_id, number, now)
            if code is None:
                raise DoorServiceError(
                    "nothing_to_confirm", cabinet_id=cabinet_id, number=number
                )
            events += self.opened(code.id, now, door_open=True)
        return events + self._complete(cabinet_id, number, now)

    def _complete(
        self, cabinet_id: str, number: int, now: datetime
    ) -> list[DomainEvent]:
        opening = self.openings[cabinet_id].pop(number)
        if not self.openings[cabinet_id]:
            del self.openings[cabinet_id]
        order = self.orders.get(opening.order_id)
        purpose = opening.purpose
        events: list[DomainEvent] = []
        custody = self.custody
        here = Holder.compartment(cabinet_id, number)
        if purpose is CodePurpose.DROPOFF:
            events += custody.move(order.id, here, OWNER, now)
            events += self._settle(order.id, cabinet_id, number)
            events += self.orders.key_deposited(order.id, now)
        elif purpose is CodePurpose.PICKUP:
            worker = actor_worker_id(opening.holder)
            assert worker is not None
            if order.has_key:
                events += custody.move(
                    order.id, Holder.worker(worker), opening.holder, now
                )
            if (purchase := self.purchases.get(order.id)) is not None:
                events += self.stock[purchase.cabinet_id].consume(order.id)
                purchase.picked_up = True
            events += self.orders.picked_up(order.id, worker, now)
            events += self._settle(order.id, cabinet_id, number)
        elif purpose is CodePurpose.RETURN:
            events += custody.move(order.id, here, opening.holder, now)
            events += self._settle(order.id, cabinet_id, number)
            events += self.orders.key_returned(order.id, now)
            events.append(self._issue_collect(order, cabinet_id, number, now))
        elif purpose is CodePurpose.COLLECT:
            events += custody.move(order.id, Holder.owner(), OWNER, now)
            if order.state is OrderState.COMPLETED:
                events += self.orders.collected(order.id, now)
            events += self._settle(order.id, cabinet_id, number)
        else:
            self.purchases[order.id].filled = True
            events += self._settle(order.id, cabinet_id, number)
        events.append(
            HopCompleted(order.id, cabinet_id, number, purpose, opening.holder, now)
        )
        return events

    def _settle(self, order_id: str, cabinet_id: str, number: int) -> list[DomainEvent]:
        """Set a compartment's contents from where the key and supplies are."""
        key = self.custody.key_in(cabinet_id, number)
        purchase = self.purchases.get(order_id)
        supplies = (
            purchase is not None
            and purchase.filled
            and not purchase.picked_up
            and purchase.cabinet_id == cabinet_id
        )
        has_key = key is not None and key.order_id == order_id
        order = self.orders.get(order_id)
        if has_key and supplies:
            contents = Contents.KEY_AND_SUPPLIES
        elif has_key:
            contents = Contents.KEY
        elif supplies:
            contents = Contents.SUPPLIES
        elif order.is_open and self._still_needed(order):
            contents = Contents.RESERVED
        else:
            contents = Contents.EMPTY
        cabinet = self._cabinet(cabinet_id)
        if cabinet.compartment(number).order_id not in (None, order_id):
            return []
        return list(cabinet.set_contents(number, contents, order_id))

    def _still_needed(self, order: Order) -> bool:
        """Whether a live order still needs its compartment (before pickup)."""
        return order.state in _EXPECTED_STATE[CodePurpose.RESTOCK]

    def _issue(
        self,
        order: Order,
        cabinet_id: str,
        number: int,
        purpose: CodePurpose,
        holder: str,
        valid_from: datetime,
        valid_until: datetime,
        now: datetime,
    ) -> CodeDelivery:
        issued = self.codes.issue(
            order_id=order.id,
            cabinet_id=cabinet_id,
            compartment=number,
            purpose=purpose,
            holder=holder,
            valid_from=valid_from,
            valid_until=valid_until,
            now=now,
        )
        return CodeDelivery(order.id, cabinet_id, number, purpose, holder, issued)

    def reissue(self, order_id: str, holder: str, now: datetime) -> list[DomainEvent]:
        """Give a holder fresh codes for their hop; the old ones die at once.

        Every active code of ``order_id`` held by ``holder`` (``owner`` or
        ``worker:<id>``) is issued again with the same binding and validity; the
        returned deliveries carry the new secrets. Refused (``no_code_to_reissue``)
        when the holder has no active code on the order.
        """
        order = self.orders.get(order_id.strip().upper())
        current = [
            code
            for code in self.codes.active_for_order(order.id, now)
            if code.holder == holder and not code.is_reserved(now)
        ]
        if not current:
            raise DoorServiceError("no_code_to_reissue", order_id=order.id)
        return [
            self._issue(
                order,
                code.cabinet_id,
                code.compartment,
                code.purpose,
                code.holder,
                code.valid_from,
                code.valid_until,
                now,
            )
            for code in current
        ]

    def _issue_collect(
        self, order: Order, cabinet_id: str, number: int, now: datetime
    ) -> CodeDelivery:
        return self._issue(
            order,
            cabinet_id,
            number,
            CodePurpose.COLLECT,
            OWNER,
            now,
            now + self.settings.code_validity,
            now,
        )

    # ------------------------------------------------------------------ order hooks

    def check_start(self, order: Order) -> None:
        """Refuse ``start_order`` for an order that starts at its pickup."""
        if order.state is OrderState.ACCEPTED and self.has_pickup(order):
            raise DoorServiceError("order_starts_at_pickup", order_id=order.id)

    def follow(self, events: Sequence[DomainEvent], now: datetime) -> list[DomainEvent]:
        """React to order transitions: pickup on accept, return, cancel, give back."""
        result: list[DomainEvent] = []
        for event in events:
            if (
                not isinstance(event, OrderEvent)
                or event.kind is not OrderEventKind.TRANSITION
                or event.previous_state is None
            ):
                continue
            order = self.orders.find(event.order_id)
            if order is None or (
                self.compartment_of(order.id) is None and not (order.has_key)
            ):
                continue
            if event.state is OrderState.ACCEPTED:
                result += self._on_accepted(order, now)
            elif event.state is OrderState.AWAITING_RETURN:
                result += self._on_awaiting_return(order, now)
            elif event.state is OrderState.CANCELLED:
                result += self._on_cancelled(order, now)
            elif (
                event.state is OrderState.QUEUED
                and event.previous_state is OrderState.ACCEPTED
            ):
                result += self.codes.revoke_for_order(
                    order.id, now, (CodePurpose.PICKUP,)
                )
        return result

    def _on_accepted(self, order: Order, now: datetime) -> list[DomainEvent]:
        place = self.compartment_of(order.id)
        if place is None or order.worker is None or not self.has_pickup(order):
            return []
        start = order.scheduled_start or now
        valid_from = min(max(now, start - PICKUP_LEAD), start)
        end = max(order.scheduled_end or start, now)
        return [
            self._issue(
                order,
                place[0],
                place[1],
                CodePurpose.PICKUP,
                worker_actor(order.worker),
                valid_from,
                end + self.settings.code_validity,
                now,
            )
        ]

    def _on_awaiting_return(self, order: Order, now: datetime) -> list[DomainEvent]:
        assert order.worker is not None
        place = self.compartment_of(order.id)
        events: list[DomainEvent] = []
        if place is None:
            cabinet_id = self._return_cabinet(order)
            number, allocated = self.cabinets[cabinet_id].allocate(order.id)
            events += allocated
            place = (cabinet_id, number)
        events.append(
            self._issue(
                order,
                place[0],
                place[1],
                CodePurpose.RETURN,
                worker_actor(order.worker),
                now,
                now + self.settings.code_validity,
                now,
            )
        )
        return events

    def _return_cabinet(self, order: Order) -> str:
        """The cabinet the key came from, when it still has room, else any."""
        for hop in reversed(self.custody.get(order.id).hops):
            cabinet_id = hop.from_holder.cabinet_id
            if (
                cabinet_id is not None
                and cabinet_id in self.cabinets
                and self.cabinets[cabinet_id].free_count()
            ):
                return cabinet_id
        return self.default_cabinet()

    def _on_cancelled(self, order: Order, now: datetime) -> list[DomainEvent]:
        events: list[DomainEvent] = list(self.codes.revoke_for_order(order.id, now))
        purchase = self.purchases.pop(order.id, None)
        if purchase is not None and not purchase.picked_up:
            events += self.stock[purchase.cabinet_id].release(order.id, self.supplies)
        place = self.compartment_of(order.id)
        custody = self.custody.custodies.get(order.id)
        key_inside = (
            place is not None
            and custody is not None
            and custody.holder == Holder.compartment(*place)
        )
        if place is not None:
            events += self._settle(order.id, *place)
        if key_inside:
            assert place is not None
            events.append(self._issue_collect(order, place[0], place[1], now))
        elif custody is not None and not custody.is_open:
            self.custody.discard(order.id)
        for cabinet_openings in self.openings.values():
            for number in [
                n for n, o in cabinet_openings.items() if o.order_id == order.id
            ]:
                del cabinet_openings[number]
        return events

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "purchases": {k: p.to_dict() for k, p in self.purchases.items()},
            "openings": {
                cabinet_id: {str(n): o.to_dict() for n, o in openings.items()}
                for cabinet_id, openings in self.openings.items()
            },
        }

    def load(self, data: Mapping[str, Any]) -> None:
        """Restore from ``to_dict`` output."""
        self.purchases = {
            str(k): Purchase.from_dict(p) for k, p in data.get("purchases", {}).items()
        }
        self.openings = {
            str(cabinet_id): {int(n): Opening.from_dict(o) for n, o in items.items()}
            for cabinet_id, items in data.get("openings", {}).items()
        }
