"""The front desk of a site: stays, room settings, billing and room appliances.

``FrontDesk`` orchestrates the domain modules for the room side of a site: it checks
guests in and out (closing the folio, resetting the appliances, starting the room
cleaning), holds cleaning requests while a room asks not to be disturbed, bills paid
room orders to the stay they were raised in, and authorizes appliance commands.

It follows the site's operations (``Site.followers``): an order raised for a room
during a stay is pinned to that stay; when it completes with a price, the stay's folio
gets the charge (price x quantity). A cancelled order charges nothing.

Every operation validates first and changes nothing when it raises; it returns what
it did as ``(result, events)`` for the glue. Appliance commands are returned, not
sent: the glue hands them to the room's driver, whose reports come back through
``apply_appliance_report``.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from .appliances import Requester, RoomAppliances
from .catalog import CLEANING_CATEGORY, ServiceCatalog
from .errors import DoorServiceError
from .events import (
    ApplianceChange,
    ApplianceChangeAuthorized,
    ApplianceCommand,
    ChargeNotBilled,
    DomainEvent,
    Handedness,
    Language,
    OrderEvent,
    OrderEventKind,
    StayChange,
)
from .orders import FINAL_STATES, Order, OrderState
from .stays import Folio, Stay, StayBook
from .supplies import PricedLine

DND_HOLD_REASON = "do_not_disturb"
"""The hold reason of a cleaning waiting for do not disturb to end."""

BUTTON_DO_NOT_DISTURB = "do_not_disturb"
"""The wall button that toggles do not disturb."""

WALL_BUTTON_SERVICES: Mapping[str, str] = {
    "towels": "towels",
    "cleaning": "room_cleaning",
    "call_staff": "call_staff",
}
"""Wall button -> the service type it requests."""

WALL_BUTTON_FALLBACKS: Mapping[str, str] = {"call_staff": "amenities"}
"""The type a button requests when its own is not in the site's catalog (a
catalog stored or edited before ``call_staff`` existed)."""


def wall_button_service(
    button: str, catalog: Container[str] | None = None
) -> str | None:
    """Return the service type a wall button requests (None: DND or unknown).

    With the site's ``catalog``, a button whose type the catalog lacks requests
    its fallback type when the catalog has that one.
    """
    service_type = WALL_BUTTON_SERVICES.get(button)
    if catalog is None or service_type is None or service_type in catalog:
        return service_type
    fallback = WALL_BUTTON_FALLBACKS.get(button)
    return fallback if fallback is not None and fallback in catalog else service_type


CHECKOUT_CLEANING = "room_cleaning"
"""The service type check-out starts for the room."""

ACTOR_FRONT_DESK = "front_desk"
"""Actor of what the front desk does on its own (holds, check-out cleaning)."""

_HOLDABLE = frozenset(
    {OrderState.AWAITING_DROPOFF, OrderState.QUEUED, OrderState.OFFERED}
)

ROOM_ANSWERS: Mapping[OrderState, str] = {
    OrderState.QUEUED: "request_received",
    OrderState.ACCEPTED: "request_accepted",
    OrderState.IN_PROGRESS: "request_started",
    OrderState.COMPLETED: "request_completed",
    OrderState.CANCELLED: "request_cancelled",
}
"""The answer a room hears when one of its orders reaches a state."""

ANSWER_DECLINED = "request_declined"
ANSWER_HELD = "request_held"


def room_answer(event: OrderEvent) -> str | None:
    """Return the answer an order event means for the room that raised it, if any.

    Creation (``request_received``), acceptance, start, completion and cancellation
    are answers; so is a declined offer (the request moves on to other staff) and a
    hold (do not disturb). Offers, withdrawals and the closing step are not.
    """
    if event.kind is OrderEventKind.OFFER_DECLINED:
        return ANSWER_DECLINED
    if event.kind is OrderEventKind.HELD:
        return ANSWER_HELD
    if event.kind is not OrderEventKind.TRANSITION:
        return None
    if event.state is OrderState.QUEUED and event.previous_state is not None:
        return None
    return ROOM_ANSWERS.get(event.state)


@dataclass(frozen=True, slots=True)
class CheckOutResult:
    """What check-out did: the closed folio, the appliance resets, the cleaning."""

    folio: Folio
    commands: list[ApplianceCommand]
    cleaning_order: Order | None


class RoomOrders(Protocol):
    """The orders the front desk reads, raises and holds (``OrderDesk``)."""

    def get(self, order_id: str) -> Order:
        """Return an order or raise ``unknown_order``."""
        ...

    def room_orders(self, room_id: str) -> list[Order]:
        """Return a room's orders, oldest first."""
        ...

    def last_request(self, room_id: str) -> Order | None:
        """Return a room's most recent order."""
        ...

    def create(
        self,
        service_type: str,
        requester: str,
        now: datetime,
        *,
        room: str | None = None,
    ) -> tuple[Order, list[OrderEvent]]:
        """Raise an order."""
        ...

    def hold(
        self, order_id: str, reason: str, now: datetime, actor: str = ...
    ) -> list[OrderEvent]:
        """Keep an order from being dispatched."""
        ...

    def release(
        self, order_id: str, now: datetime, actor: str = ...
    ) -> list[OrderEvent]:
        """Lift a hold."""
        ...


class PurchasedSupplies(Protocol):
    """What orders bought from a cabinet (``CabinetDesk``)."""

    def purchased_lines(self, order_id: str) -> Sequence[PricedLine]:
        """Return the supplies an order bought."""
        ...


class FrontDeskSettings(Protocol):
    """What the front desk reads from the site's configuration."""

    @property
    def currency(self) -> str:
        """The site's currency (ISO 4217)."""
        ...


class FrontDesk:
    """The room side of one site, on narrow ports (never the site itself)."""

    def __init__(
        self,
        *,
        orders: RoomOrders,
        stays: StayBook,
        appliances: Mapping[str, RoomAppliances],
        catalog: ServiceCatalog,
        purchases: PurchasedSupplies,
        settings: FrontDeskSettings,
    ) -> None:
        """Bind the desk to its ports; the site feeds it events through ``follow``."""
        self._orders = orders
        self._stays = stays
        self._appliances_by_room = appliances
        self._catalog = catalog
        self._purchases = purchases
        self._settings = settings
        self._order_stays: dict[str, str] = {}

    # --- state --------------------------------------------------------------------

    def stay_of_order(self, order_id: str) -> str | None:
        """Return the id of the stay an open room order was raised in, if any."""
        return self._order_stays.get(order_id)

    def forget(self, order_id: str) -> None:
        """Drop what is kept about a finished order (site housekeeping)."""
        self._order_stays.pop(order_id, None)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict: order id -> stay id of the open room orders."""
        return {"order_stays": dict(self._order_stays)}

    def restore(self, data: Mapping[str, Any] | None) -> None:
        """Load :meth:`to_dict` output (nothing for a site stored before the desk)."""
        self._order_stays = dict((data or {}).get("order_stays", {}))

    # --- questions ----------------------------------------------------------------

    def _appliances(self, room_id: str) -> RoomAppliances:
        self._stays.room(room_id)
        try:
            return self._appliances_by_room[room_id]
        except KeyError:
            raise DoorServiceError("unknown_room", room=room_id) from None

    def is_cleaning(self, service_type: str) -> bool:
        """Return True when a service type belongs to the cleaning category."""
        return self._catalog.get(service_type).category == CLEANING_CATEGORY

    def hold_reason_for(self, room_id: str | None, service_type: str) -> str | None:
        """Return why a new order must wait: cleaning a do-not-disturb room."""
        if room_id is None or room_id not in self._stays.rooms:
            return None
        if self._stays.room(room_id).do_not_disturb and self.is_cleaning(service_type):
            return DND_HOLD_REASON
        return None

    def eta(self, order: Order) -> datetime | None:
        """Return when the room can expect the service.

        Accepted or started: acceptance plus the type's default duration. Waiting for
        a worker: creation plus the type's SLA. Otherwise (done, cancelled): none.
        """
        try:
            kind = self._catalog.get(order.service_type)
        except DoorServiceError:
            return None
        if order.state in (OrderState.ACCEPTED, OrderState.IN_PROGRESS):
            accepted_at = order.accepted_at or order.created_at
            return accepted_at + timedelta(minutes=kind.duration_minutes)
        if order.state in (
            OrderState.QUEUED,
            OrderState.OFFERED,
            OrderState.AWAITING_DROPOFF,
        ):
            return order.created_at + timedelta(minutes=kind.sla_minutes)
        return None

    def last_request(self, room_id: str) -> Order | None:
        """Return the room's most recent order."""
        return self._orders.last_request(room_id)

    # --- stays --------------------------------------------------------------------

    def check_in(
        self,
        room_id: str,
        guest_name: str,
        now: datetime,
        *,
        language: Language | str | None = None,
        notify_target: str | None = None,
        ends_at: datetime | None = None,
    ) -> tuple[Stay, list[StayChange]]:
        """Open a stay and its folio in the site's currency."""
        events = self._stays.check_in(
            room_id,
            guest_name,
            now=now,
            currency=self._settings.currency,
            language=language,
            notify_target=notify_target,
            ends_at=ends_at,
        )
        stay = self._stays.room(room_id).stay
        assert stay is not None
        return stay, events

    def check_out(
        self, room_id: str, now: datetime
    ) -> tuple[CheckOutResult, list[DomainEvent]]:
        """Close the stay and its folio, reset the appliances, start the cleaning.

        Do not disturb is cleared (``StayBook.check_out``), so the ``room_cleaning``
        order is dispatched at once. A catalog without ``room_cleaning`` starts none.
        """
        appliances = self._appliances_by_room.get(room_id)
        if self._stays.room(room_id).stay is None:
            raise DoorServiceError("no_active_stay", room=room_id)
        released = self._release_dnd_holds(room_id, now)
        folio, stay_events = self._stays.check_out(room_id, now)
        events: list[DomainEvent] = [*released, *stay_events]
        cleaning: Order | None = None
        if CHECKOUT_CLEANING in self._catalog:
            cleaning, order_events = self._orders.create(
                CHECKOUT_CLEANING, ACTOR_FRONT_DESK, now, room=room_id
            )
            events += order_events
        return (
            CheckOutResult(
                folio, appliances.checkout_commands() if appliances else [], cleaning
            ),
            events,
        )

    # --- room settings ------------------------------------------------------------

    def set_do_not_disturb(
        self, room_id: str, on: bool, now: datetime
    ) -> tuple[None, list[DomainEvent]]:
        """Switch do not disturb; cleanings of the room wait (or go on) accordingly."""
        events: list[DomainEvent] = list(
            self._stays.set_do_not_disturb(room_id, on, now)
        )
        if not events:
            return None, []
        if on:
            for order in self._orders.room_orders(room_id):
                if (
                    order.state in _HOLDABLE
                    and order.hold_reason is None
                    and order.service_type in self._catalog
                    and self.is_cleaning(order.service_type)
                ):
                    events += self._orders.hold(
                        order.id, DND_HOLD_REASON, now, ACTOR_FRONT_DESK
                    )
        else:
            events += self._release_dnd_holds(room_id, now)
        return None, events

    def _release_dnd_holds(self, room_id: str, now: datetime) -> list[OrderEvent]:
        events: list[OrderEvent] = []
        for order in self._orders.room_orders(room_id):
            if order.hold_reason == DND_HOLD_REASON and order.is_open:
                events += self._orders.release(order.id, now, ACTOR_FRONT_DESK)
        return events

    def set_handedness(
        self, room_id: str, handedness: Handedness | str, now: datetime
    ) -> tuple[None, list[StayChange]]:
        """Set the hand the room terminal's layout is built for."""
        return None, self._stays.set_handedness(room_id, handedness, now)

    # --- appliances ---------------------------------------------------------------

    def guest_command(
        self, room_id: str, command: ApplianceCommand, now: datetime
    ) -> tuple[ApplianceChangeAuthorized, list[ApplianceChange]]:
        """Authorize a guest's command (only during an authorized stay)."""
        change = self._appliances(room_id).authorize(
            command, Requester.guest("guest"), self._stays, now
        )
        return change, [change]

    def staff_command(
        self,
        room_id: str,
        command: ApplianceCommand,
        actor: str | None,
        reason: str | None,
        now: datetime,
    ) -> tuple[ApplianceChangeAuthorized, list[ApplianceChange]]:
        """Authorize a staff change request (always, with a reason for the log)."""
        change = self._appliances(room_id).authorize(
            command, Requester.staff(actor, reason), self._stays, now
        )
        return change, [change]

    def apply_appliance_report(
        self,
        room_id: str,
        appliance_id: str,
        *,
        is_on: bool,
        now: datetime,
        value: float | None = None,
    ) -> tuple[None, list[ApplianceChange]]:
        """Record the state a room's driver reports for an appliance."""
        return None, self._appliances(room_id).apply_reported_state(
            appliance_id, is_on=is_on, now=now, value=value
        )

    # --- following the site -------------------------------------------------------

    def follow(self, events: Sequence[DomainEvent], now: datetime) -> list[DomainEvent]:
        """Pin new room orders to their stay; bill paid ones when they complete."""
        reactions: list[DomainEvent] = []
        for event in events:
            if not isinstance(event, OrderEvent) or (
                event.kind is not OrderEventKind.TRANSITION
            ):
                continue
            order = self._orders.get(event.order_id)
            if order.room is None:
                continue
            if event.previous_state is None:
                stay = self._stays.rooms.get(order.room)
                if stay is not None and stay.stay is not None:
                    self._order_stays[order.id] = stay.stay.id
            elif event.state is OrderState.COMPLETED:
                reactions += self._bill(order, now)
            if event.state in FINAL_STATES:
                self._order_stays.pop(order.id, None)
        return reactions

    def _bill(self, order: Order, now: datetime) -> list[DomainEvent]:
        """Charge a completed room order: the service, then supplies bought with it."""
        stay_id = self._order_stays.get(order.id)
        if stay_id is None or order.room is None:
            return []
        try:
            description = self._catalog.get(order.service_type).name
        except DoorServiceError:
            description = order.service_type
        charges: list[tuple[str, str, int, Decimal]] = []
        if order.total_price > 0:
            charges.append((order.id, description, order.quantity, order.unit_price))
        charges += [
            (f"{order.id}:{line.sku}", line.name, line.quantity, line.unit_price)
            for line in self._purchases.purchased_lines(order.id)
            if line.amount > 0
        ]
        reactions: list[DomainEvent] = []
        for charge_id, text, quantity, unit_price in charges:
            try:
                reactions += self._stays.add_charge(
                    order.room,
                    order_id=charge_id,
                    description=text,
                    quantity=quantity,
                    unit_price=unit_price,
                    now=now,
                    stay_id=stay_id,
                )
            except DoorServiceError as err:
                reactions.append(
                    ChargeNotBilled(
                        room_id=order.room,
                        at=now,
                        order_id=order.id,
                        reason=err.translation_key,
                    )
                )
        return reactions
