"""Hotel stays: who is in a room, until when, what they owe, and the room settings.

A room has at most one *current* stay. ``check_in`` opens it together with its folio
(the bill); ``check_out`` closes the folio and moves the stay into the room's bounded
history. Guests may control the room's appliances only while the stay is *authorized*:
from check-in until ``ends_at`` (if set) or check-out, whichever comes first.

Decision on end times: when ``ends_at`` passes, authorization ends at that exact
moment (``is_authorized`` compares the time itself, so no timer is needed for
correctness) and ``expire`` reports it once per stay as ``AuthorizationEnded``. The stay
and its folio stay open: late charges (a minibar bill found at departure) still land
on it, and an explicit ``check_out`` is required to close the folio and free the room
for the next guest.

Check-out also clears *do not disturb*, so the ``room_cleaning`` order it starts is
not held.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
import re
from typing import Any

from .errors import DoorServiceError
from .events import (
    AuthorizationEnded,
    AuthorizationEndReason,
    ChargeAdded,
    CheckedIn,
    CheckedOut,
    DndChanged,
    Handedness,
    HandednessChanged,
    Language,
    StayChange,
)

GUEST_NAME_MAX_LENGTH = 100
"""Longest guest name accepted (after trimming)."""

DESCRIPTION_MAX_LENGTH = 200
"""Longest charge description accepted (after trimming)."""

ROOM_ID_MAX_LENGTH = 64
"""Longest room id accepted."""

DEFAULT_HISTORY_LIMIT = 10
"""How many closed stays each room keeps by default."""

_CURRENCY_PATTERN = re.compile(r"^[A-Z]{3}$")
_OBJECT_ID = r"(?!_)[a-z0-9_]+(?<!_)"
_NOTIFY_TARGET_PATTERN = re.compile(rf"^(?:notify|media_player)\.{_OBJECT_ID}$")
_ROOM_ID_PATTERN = re.compile(r"^\S+$")


# --- validation helpers -------------------------------------------------------------


def _require_aware(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise DoorServiceError("naive_datetime", field=field_name)
    return value


def _parse_time(value: str | None, field_name: str) -> datetime | None:
    if value is None:
        return None
    return _require_aware(datetime.fromisoformat(value), field_name)


def _format_time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def validate_room_id(room_id: str) -> str:
    """Return ``room_id`` if it is a usable room id, else raise ``invalid_room_id``.

    A room id is a non-empty string without whitespace, at most 64 characters.
    """
    if (
        not isinstance(room_id, str)
        or len(room_id) > ROOM_ID_MAX_LENGTH
        or not _ROOM_ID_PATTERN.match(room_id)
    ):
        raise DoorServiceError("invalid_room_id", room=room_id)
    return room_id


def normalize_guest_name(name: str) -> str:
    """Return the trimmed guest name or raise ``invalid_guest_name``."""
    trimmed = name.strip() if isinstance(name, str) else ""
    if not trimmed or len(trimmed) > GUEST_NAME_MAX_LENGTH:
        raise DoorServiceError("invalid_guest_name", max_length=GUEST_NAME_MAX_LENGTH)
    return trimmed


def normalize_notify_target(target: str | None) -> str | None:
    """Return a valid notify target, ``None`` for none, or raise.

    A target is a notify service (``notify.mobile_app_room_101_tablet``) or a media
    player entity id (``media_player.room_101``) for text-to-speech. ``None`` or a blank
    string means the room has no notify target.
    """
    if target is None or not target.strip():
        return None
    trimmed = target.strip()
    if not _NOTIFY_TARGET_PATTERN.match(trimmed):
        raise DoorServiceError("invalid_notify_target", target=target)
    return trimmed


def normalize_currency(currency: str) -> str:
    """Return the ISO 4217 code in upper case or raise ``invalid_currency``."""
    code = currency.strip().upper() if isinstance(currency, str) else ""
    if not _CURRENCY_PATTERN.match(code):
        raise DoorServiceError("invalid_currency", currency=currency)
    return code


# --- charges and folios -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Charge:
    """One line of a folio: a paid order (or supplies) billed to the stay.

    ``amount`` is always ``quantity * unit_price``; it is derived, never stored apart.
    """

    order_id: str
    description: str
    quantity: int
    unit_price: Decimal
    at: datetime

    def __post_init__(self) -> None:
        """Validate every field; raise ``DoorServiceError`` on the first bad one."""
        if not isinstance(self.order_id, str) or not self.order_id.strip():
            raise DoorServiceError("invalid_order_id", order_id=self.order_id)
        description = (
            self.description.strip() if isinstance(self.description, str) else ""
        )
        if not description or len(description) > DESCRIPTION_MAX_LENGTH:
            raise DoorServiceError(
                "invalid_charge_description",
                order_id=self.order_id,
                max_length=DESCRIPTION_MAX_LENGTH,
            )
        object.__setattr__(self, "description", description)
        if (
            isinstance(self.quantity, bool)
            or not isinstance(self.quantity, int)
            or self.quantity < 1
        ):
            raise DoorServiceError(
                "invalid_charge_quantity",
                order_id=self.order_id,
                quantity=self.quantity,
            )
        if (
            not isinstance(self.unit_price, Decimal)
            or not self.unit_price.is_finite()
            or self.unit_price < 0
        ):
            raise DoorServiceError(
                "invalid_charge_price", order_id=self.order_id, price=self.unit_price
            )
        _require_aware(self.at, "at")

    @property
    def amount(self) -> Decimal:
        """Return what this line costs: quantity times unit price."""
        return self.unit_price * self.quantity

    def same_as(self, other: Charge) -> bool:
        """Return True when ``other`` bills the same thing (time aside)."""
        return (
            self.order_id == other.order_id
            and self.description == other.description
            and self.quantity == other.quantity
            and self.unit_price == other.unit_price
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict; money as strings, ``amount`` for display."""
        return {
            "order_id": self.order_id,
            "description": self.description,
            "quantity": self.quantity,
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Charge:
        """Rebuild a charge; a stored ``amount`` that disagrees is refused."""
        try:
            unit_price = Decimal(data["unit_price"])
        except InvalidOperation, TypeError:
            raise DoorServiceError(
                "invalid_charge_price",
                order_id=data.get("order_id"),
                price=data["unit_price"],
            ) from None
        charge = cls(
            order_id=data["order_id"],
            description=data["description"],
            quantity=data["quantity"],
            unit_price=unit_price,
            at=datetime.fromisoformat(data["at"]),
        )
        if "amount" in data and Decimal(data["amount"]) != charge.amount:
            raise ValueError(f"stored amount of charge {charge.order_id} is corrupt")
        return charge


@dataclass(slots=True)
class Folio:
    """The bill of one stay. ``total`` is always the sum of the charge amounts."""

    stay_id: str
    room_id: str
    currency: str
    opened_at: datetime
    charges: list[Charge] = field(default_factory=list)
    closed_at: datetime | None = None

    def __post_init__(self) -> None:
        """Normalize the currency and check the times."""
        self.currency = normalize_currency(self.currency)
        _require_aware(self.opened_at, "opened_at")
        if self.closed_at is not None:
            _require_aware(self.closed_at, "closed_at")

    @property
    def total(self) -> Decimal:
        """Return the sum of every charge's amount."""
        return sum((charge.amount for charge in self.charges), Decimal(0))

    @property
    def closed(self) -> bool:
        """Return True once the stay was checked out."""
        return self.closed_at is not None

    def charge_for(self, order_id: str) -> Charge | None:
        """Return the charge of ``order_id`` on this folio, if any."""
        for charge in self.charges:
            if charge.order_id == order_id:
                return charge
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict: the lines, the total (string) and the currency."""
        return {
            "stay_id": self.stay_id,
            "room_id": self.room_id,
            "currency": self.currency,
            "opened_at": self.opened_at.isoformat(),
            "closed_at": _format_time(self.closed_at),
            "charges": [charge.to_dict() for charge in self.charges],
            "total": str(self.total),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Folio:
        """Rebuild a folio; refuse two charges for one order or a wrong total."""
        charges = [Charge.from_dict(item) for item in data["charges"]]
        order_ids = [charge.order_id for charge in charges]
        if len(set(order_ids)) != len(order_ids):
            raise ValueError(f"folio {data['stay_id']} bills an order twice")
        folio = cls(
            stay_id=data["stay_id"],
            room_id=data["room_id"],
            currency=data["currency"],
            opened_at=datetime.fromisoformat(data["opened_at"]),
            charges=charges,
            closed_at=_parse_time(data["closed_at"], "closed_at"),
        )
        if "total" in data and Decimal(data["total"]) != folio.total:
            raise ValueError(f"stored total of folio {folio.stay_id} is corrupt")
        return folio


# --- stays and rooms ----------------------------------------------------------------


@dataclass(slots=True)
class Stay:
    """A guest's stay in a room, with its folio.

    ``authorization_ended_at`` is set once authorization has been reported as ended
    (by ``expire`` at ``ends_at`` or by check-out); ``checked_out_at`` at check-out.
    """

    id: str
    room_id: str
    guest_name: str
    language: Language
    notify_target: str | None
    checked_in_at: datetime
    folio: Folio
    ends_at: datetime | None = None
    checked_out_at: datetime | None = None
    authorization_ended_at: datetime | None = None

    def __post_init__(self) -> None:
        """Normalize the name and notify target; check times are aware and ordered."""
        self.guest_name = normalize_guest_name(self.guest_name)
        self.notify_target = normalize_notify_target(self.notify_target)
        _require_aware(self.checked_in_at, "checked_in_at")
        if self.ends_at is not None:
            _require_aware(self.ends_at, "ends_at")
            if self.ends_at <= self.checked_in_at:
                raise DoorServiceError(
                    "invalid_stay_end",
                    room=self.room_id,
                    ends_at=self.ends_at.isoformat(),
                )
        for name in ("checked_out_at", "authorization_ended_at"):
            value = getattr(self, name)
            if value is not None:
                _require_aware(value, name)

    def __repr__(self) -> str:
        """Show the stay without the guest's name or notify target."""
        return (
            f"Stay(id={self.id!r}, room_id={self.room_id!r}, "
            f"checked_in_at={self.checked_in_at.isoformat()!r}, "
            f"ends_at={_format_time(self.ends_at)!r}, "
            f"checked_out_at={_format_time(self.checked_out_at)!r})"
        )

    def is_authorized(self, now: datetime) -> bool:
        """Return True while the guest may control the room (see the module doc)."""
        _require_aware(now, "now")
        return (
            self.checked_out_at is None
            and self.authorization_ended_at is None
            and self.checked_in_at <= now
            and (self.ends_at is None or now < self.ends_at)
        )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict, including the folio."""
        return {
            "id": self.id,
            "room_id": self.room_id,
            "guest_name": self.guest_name,
            "language": self.language.value,
            "notify_target": self.notify_target,
            "checked_in_at": self.checked_in_at.isoformat(),
            "ends_at": _format_time(self.ends_at),
            "checked_out_at": _format_time(self.checked_out_at),
            "authorization_ended_at": _format_time(self.authorization_ended_at),
            "folio": self.folio.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stay:
        """Rebuild a stay and its folio."""
        return cls(
            id=data["id"],
            room_id=data["room_id"],
            guest_name=data["guest_name"],
            language=Language(data["language"]),
            notify_target=data["notify_target"],
            checked_in_at=datetime.fromisoformat(data["checked_in_at"]),
            ends_at=_parse_time(data["ends_at"], "ends_at"),
            checked_out_at=_parse_time(data["checked_out_at"], "checked_out_at"),
            authorization_ended_at=_parse_time(
                data["authorization_ended_at"], "authorization_ended_at"
            ),
            folio=Folio.from_dict(data["folio"]),
        )


@dataclass(slots=True)
class RoomState:
    """Everything the stay book knows about one room.

    ``history`` holds closed stays, oldest first, at most the book's history limit.
    """

    room_id: str
    stay: Stay | None = None
    do_not_disturb: bool = False
    handedness: Handedness = Handedness.RIGHT
    history: list[Stay] = field(default_factory=list)

    @property
    def folio(self) -> Folio | None:
        """Return the current stay's (open) folio, if a stay is current."""
        return None if self.stay is None else self.stay.folio

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "room_id": self.room_id,
            "stay": None if self.stay is None else self.stay.to_dict(),
            "do_not_disturb": self.do_not_disturb,
            "handedness": self.handedness.value,
            "history": [stay.to_dict() for stay in self.history],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoomState:
        """Rebuild a room's state."""
        stay_data = data["stay"]
        return cls(
            room_id=validate_room_id(data["room_id"]),
            stay=None if stay_data is None else Stay.from_dict(stay_data),
            do_not_disturb=bool(data["do_not_disturb"]),
            handedness=Handedness.parse(data["handedness"]),
            history=[Stay.from_dict(item) for item in data["history"]],
        )


# --- events -------------------------------------------------------------------------


# --- the book -----------------------------------------------------------------------


class StayBook:
    """The stays of one site's rooms, keyed by room id."""

    def __init__(
        self,
        room_ids: Iterable[str] = (),
        *,
        history_limit: int = DEFAULT_HISTORY_LIMIT,
    ) -> None:
        """Create a book for ``room_ids``; each keeps ``history_limit`` past stays."""
        if (
            isinstance(history_limit, bool)
            or not isinstance(history_limit, int)
            or history_limit < 0
        ):
            raise ValueError("history_limit must be a non-negative integer")
        self._history_limit = history_limit
        self._rooms: dict[str, RoomState] = {}
        self._next_stay_number = 1
        for room_id in room_ids:
            self.add_room(room_id)

    @property
    def next_stay_number(self) -> int:
        """Return the number the next stay id gets."""
        return self._next_stay_number

    @property
    def history_limit(self) -> int:
        """Return how many closed stays each room keeps."""
        return self._history_limit

    @property
    def rooms(self) -> Mapping[str, RoomState]:
        """Return the rooms (read them; change them only through the book)."""
        return dict(self._rooms)

    def room(self, room_id: str) -> RoomState:
        """Return a room's state or raise ``unknown_room``."""
        try:
            return self._rooms[room_id]
        except KeyError:
            raise DoorServiceError("unknown_room", room=room_id) from None

    def add_room(self, room_id: str) -> bool:
        """Add a room; return False (and change nothing) if it already exists."""
        validate_room_id(room_id)
        if room_id in self._rooms:
            return False
        self._rooms[room_id] = RoomState(room_id=room_id)
        return True

    def remove_room(self, room_id: str) -> None:
        """Remove a room with no current stay (refuse ``room_occupied`` otherwise)."""
        room = self.room(room_id)
        if room.stay is not None:
            raise DoorServiceError("room_occupied", room=room_id)
        del self._rooms[room_id]

    def stay(self, stay_id: str) -> Stay | None:
        """Return the current or past stay with ``stay_id``, if still kept."""
        for room in self._rooms.values():
            if room.stay is not None and room.stay.id == stay_id:
                return room.stay
            for past in room.history:
                if past.id == stay_id:
                    return past
        return None

    # --- check-in / check-out -----------------------------------------------------

    def check_in(
        self,
        room_id: str,
        guest_name: str,
        *,
        now: datetime,
        currency: str,
        language: Language | str | None = None,
        notify_target: str | None = None,
        ends_at: datetime | None = None,
    ) -> list[StayChange]:
        """Open a stay and its folio; refuse ``room_occupied`` if one is current.

        A stay whose end time passed is still current until it is checked out.
        """
        _require_aware(now, "now")
        room = self.room(room_id)
        if room.stay is not None:
            raise DoorServiceError("room_occupied", room=room_id)
        parsed_language = (
            language if isinstance(language, Language) else Language.parse(language)
        )
        stay_id = f"ST-{self._next_stay_number:04d}"
        stay = Stay(
            id=stay_id,
            room_id=room_id,
            guest_name=guest_name,
            language=parsed_language,
            notify_target=notify_target,
            checked_in_at=now,
            ends_at=ends_at,
            folio=Folio(
                stay_id=stay_id, room_id=room_id, currency=currency, opened_at=now
            ),
        )
        self._next_stay_number += 1
        room.stay = stay
        return [
            CheckedIn(
                room_id=room_id,
                at=now,
                stay_id=stay_id,
                language=parsed_language,
                ends_at=ends_at,
            )
        ]

    def check_out(self, room_id: str, now: datetime) -> tuple[Folio, list[StayChange]]:
        """Close the current stay and its folio; return the folio and the events.

        Events: ``AuthorizationEnded`` (unless already reported), ``DndChanged`` (if
        do not disturb was on; it is cleared), ``CheckedOut``.
        """
        _require_aware(now, "now")
        room = self.room(room_id)
        stay = room.stay
        if stay is None:
            raise DoorServiceError("no_active_stay", room=room_id)
        events: list[StayChange] = []
        if stay.authorization_ended_at is None:
            stay.authorization_ended_at = now
            events.append(
                AuthorizationEnded(
                    room_id=room_id,
                    at=now,
                    stay_id=stay.id,
                    reason=AuthorizationEndReason.CHECKED_OUT,
                )
            )
        if room.do_not_disturb:
            room.do_not_disturb = False
            events.append(DndChanged(room_id=room_id, at=now, on=False))
        stay.checked_out_at = now
        stay.folio.closed_at = now
        room.stay = None
        room.history.append(stay)
        if len(room.history) > self._history_limit:
            del room.history[: len(room.history) - self._history_limit]
        events.append(
            CheckedOut(
                room_id=room_id,
                at=now,
                stay_id=stay.id,
                total=stay.folio.total,
                currency=stay.folio.currency,
                charge_count=len(stay.folio.charges),
            )
        )
        return stay.folio, events

    # --- authorization ------------------------------------------------------------

    def is_authorized(self, room_id: str, now: datetime) -> bool:
        """Return True only during a current stay that has not reached ``ends_at``."""
        stay = self.room(room_id).stay
        return stay is not None and stay.is_authorized(now)

    def expire(self, now: datetime) -> list[StayChange]:
        """Report ``AuthorizationEnded`` for each stay whose ``ends_at`` has passed.

        Each stay is reported once; the stay and its folio stay open until check-out.
        """
        _require_aware(now, "now")
        events: list[StayChange] = []
        for room in self._rooms.values():
            stay = room.stay
            if (
                stay is None
                or stay.ends_at is None
                or stay.authorization_ended_at is not None
                or stay.ends_at > now
            ):
                continue
            stay.authorization_ended_at = stay.ends_at
            events.append(
                AuthorizationEnded(
                    room_id=room.room_id,
                    at=stay.ends_at,
                    stay_id=stay.id,
                    reason=AuthorizationEndReason.EXPIRED,
                )
            )
        return events

    def next_authorization_end(self) -> datetime | None:
        """Return the earliest ``ends_at`` not yet reported (for the glue's timer)."""
        ends = [
            room.stay.ends_at
            for room in self._rooms.values()
            if room.stay is not None
            and room.stay.ends_at is not None
            and room.stay.authorization_ended_at is None
        ]
        return min(ends, default=None)

    # --- billing ------------------------------------------------------------------

    def add_charge(
        self,
        room_id: str,
        *,
        order_id: str,
        description: str,
        quantity: int,
        unit_price: Decimal,
        now: datetime,
        stay_id: str | None = None,
    ) -> list[StayChange]:
        """Bill an order to a stay's folio, once per order.

        ``stay_id`` (recorded on the order when it was raised) pins the charge to that
        stay, so an order finishing after its guest left never lands on the next
        guest's bill; without it the room's current stay is billed.

        Repeating an identical charge changes nothing and returns no events; a
        different charge for an already billed order is refused (``charge_conflict``),
        as is billing a closed folio (``folio_closed``).
        """
        _require_aware(now, "now")
        room = self.room(room_id)
        charge = Charge(
            order_id=order_id,
            description=description,
            quantity=quantity,
            unit_price=unit_price,
            at=now,
        )
        stay = room.stay
        if stay_id is not None and (stay is None or stay.id != stay_id):
            past = next((item for item in room.history if item.id == stay_id), None)
            if past is None:
                raise DoorServiceError("unknown_stay", room=room_id, stay=stay_id)
            stay = past
        if stay is None:
            raise DoorServiceError("no_active_stay", room=room_id)
        folio = stay.folio
        existing = folio.charge_for(order_id)
        if existing is not None:
            if existing.same_as(charge):
                return []
            raise DoorServiceError("charge_conflict", room=room_id, order_id=order_id)
        if folio.closed:
            raise DoorServiceError("folio_closed", room=room_id, stay=stay.id)
        folio.charges.append(charge)
        return [
            ChargeAdded(
                room_id=room_id,
                at=now,
                stay_id=stay.id,
                order_id=order_id,
                amount=charge.amount,
                total=folio.total,
                currency=folio.currency,
            )
        ]

    # --- room settings ------------------------------------------------------------

    def set_do_not_disturb(
        self, room_id: str, on: bool, now: datetime
    ) -> list[StayChange]:
        """Switch do not disturb; no events when it already has that value."""
        _require_aware(now, "now")
        room = self.room(room_id)
        if room.do_not_disturb is on:
            return []
        room.do_not_disturb = on
        return [DndChanged(room_id=room_id, at=now, on=on)]

    def set_handedness(
        self, room_id: str, handedness: Handedness | str, now: datetime
    ) -> list[StayChange]:
        """Set the room terminal's layout hand; no events when unchanged."""
        _require_aware(now, "now")
        room = self.room(room_id)
        parsed = (
            handedness
            if isinstance(handedness, Handedness)
            else Handedness.parse(handedness)
        )
        if room.handedness is parsed:
            return []
        room.handedness = parsed
        return [HandednessChanged(room_id=room_id, at=now, handedness=parsed)]

    # --- persistence --------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict of the whole book."""
        return {
            "history_limit": self._history_limit,
            "next_stay_number": self._next_stay_number,
            "rooms": {room_id: room.to_dict() for room_id, room in self._rooms.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StayBook:
        """Rebuild a book from ``to_dict`` output."""
        book = cls(history_limit=data["history_limit"])
        next_number = data["next_stay_number"]
        if isinstance(next_number, bool) or not isinstance(next_number, int):
            raise ValueError("next_stay_number must be an integer")
        book._next_stay_number = max(next_number, 1)
        for room_id, room_data in data["rooms"].items():
            room = RoomState.from_dict(room_data)
            if room.room_id != room_id:
                raise ValueError(f"room {room_id} is stored under another id")
            book._rooms[room_id] = room
        return book
