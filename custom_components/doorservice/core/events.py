"""Every domain event: frozen dataclasses, one union, and the parts each one touched.

An operation of the core returns ``list[DomainEvent]`` in the order things happened.
Each event names, through ``parts``, every order, worker, room, cabinet and
compartment whose state it changed, so the glue updates exactly those and nothing
else (``touched`` unions them over a batch). Events never carry a phone number; the
one event carrying a clear code is :class:`CodeDelivery` (through its ``IssuedCode``).

The small vocabularies events carry (states, purposes, holders, contents, languages,
appliance commands) live here too, so every module that reports events depends on
this one and this one on nothing above it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Self

from .actors import actor_worker_id
from .codes import AccessCode, CodePurpose, EntryKind
from .errors import DoorServiceError
from .orders import OrderState


@dataclass(frozen=True, slots=True)
class Parts:
    """The parts of a site an event changed."""

    orders: frozenset[str] = frozenset()
    workers: frozenset[str] = frozenset()
    rooms: frozenset[str] = frozenset()
    cabinets: frozenset[str] = frozenset()
    compartments: frozenset[tuple[str, int]] = frozenset()  # (cabinet_id, number)

    def __or__(self, other: Parts) -> Parts:
        """Return the union of both."""
        return Parts(
            self.orders | other.orders,
            self.workers | other.workers,
            self.rooms | other.rooms,
            self.cabinets | other.cabinets,
            self.compartments | other.compartments,
        )

    def __bool__(self) -> bool:
        """Return True when anything is named."""
        return bool(
            self.orders
            or self.workers
            or self.rooms
            or self.cabinets
            or self.compartments
        )


NOTHING = Parts()


def _one(value: str | None) -> frozenset[str]:
    return frozenset() if value is None else frozenset((value,))


def _compartment_parts(cabinet_id: str, number: int, order_id: str | None) -> Parts:
    return Parts(
        orders=_one(order_id),
        cabinets=frozenset((cabinet_id,)),
        compartments=frozenset(((cabinet_id, number),)),
    )


def touched(events: Iterable[DomainEvent]) -> Parts:
    """Return the union of the parts of ``events``."""
    orders: set[str] = set()
    workers: set[str] = set()
    rooms: set[str] = set()
    cabinets: set[str] = set()
    compartments: set[tuple[str, int]] = set()
    for event in events:
        parts = event.parts
        orders |= parts.orders
        workers |= parts.workers
        rooms |= parts.rooms
        cabinets |= parts.cabinets
        compartments |= parts.compartments
    return Parts(
        frozenset(orders),
        frozenset(workers),
        frozenset(rooms),
        frozenset(cabinets),
        frozenset(compartments),
    )


# --- orders -----------------------------------------------------------------------


class OrderEventKind(StrEnum):
    """What an ``OrderEvent`` reports."""

    TRANSITION = "transition"
    """The order changed state (``previous_state`` is None at creation)."""
    OFFERED = "offered"
    """``worker`` was offered the order; ``detail`` is the ISO acceptance deadline."""
    OFFER_DECLINED = "offer_declined"
    """``worker`` declined; ``detail`` is their reason."""
    OFFER_EXPIRED = "offer_expired"
    """``worker`` did not answer in time; ``detail`` is the ISO deadline."""
    OFFER_WITHDRAWN = "offer_withdrawn"
    """``worker``'s offer was taken back; ``detail`` says why."""
    ESCALATED = "escalated"
    """Nobody is left to offer the order to; ``detail`` says why."""
    HELD = "held"
    """The order must not be dispatched; ``detail`` is the hold reason."""
    RELEASED = "released"
    """The hold was lifted; ``detail`` is the former hold reason."""


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """Something that happened to an order (never carries a phone number or code)."""

    kind: OrderEventKind
    order_id: str
    at: datetime
    previous_state: OrderState | None
    state: OrderState
    worker: str | None = None
    actor: str | None = None
    detail: str | None = None
    room: str | None = field(default=None, compare=False)
    """The order's room (not compared: it follows from the order)."""

    @property
    def parts(self) -> Parts:
        """The order, its worker (offered, withdrawn or assigned) and its room."""
        return Parts(
            orders=frozenset((self.order_id,)),
            workers=_one(self.worker),
            rooms=_one(self.room),
        )


# --- access codes -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeIssued:
    """A code was issued (the secret itself is only in the ``IssuedCode``)."""

    code_id: str
    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    holder: str
    valid_from: datetime
    valid_until: datetime

    @property
    def parts(self) -> Parts:
        """The order and the compartment (with its cabinet) the code opens."""
        return _compartment_parts(self.cabinet_id, self.compartment, self.order_id)


@dataclass(frozen=True, slots=True)
class CodeAccepted:
    """An entry matched a usable code; the glue may now unlock the compartment."""

    code_id: str
    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    holder: str
    via: EntryKind
    at: datetime

    @property
    def parts(self) -> Parts:
        """The order and the compartment (with its cabinet) the code opens."""
        return _compartment_parts(self.cabinet_id, self.compartment, self.order_id)


@dataclass(frozen=True, slots=True)
class CodeRejected:
    """An entry was refused; ``reason`` is the translation key of the refusal."""

    cabinet_id: str
    reason: str
    via: EntryKind
    at: datetime
    code_id: str | None = None

    @property
    def parts(self) -> Parts:
        """The cabinet whose keypad counted the failure."""
        return Parts(cabinets=frozenset((self.cabinet_id,)))


@dataclass(frozen=True, slots=True)
class KeypadLockedOut:
    """Too many failures from one source: its PIN entries are refused until ``until``.

    ``source_kind`` says whose entries are locked: ``keypad`` (the cabinet's own
    keypad) or ``caller`` (one Home Assistant user, or the system, calling the
    action). QR tokens are never locked out.
    """

    cabinet_id: str
    at: datetime
    until: datetime
    lockout_number: int
    failures: int
    source_kind: str = "keypad"

    @property
    def parts(self) -> Parts:
        """The cabinet whose keypad is locked."""
        return Parts(cabinets=frozenset((self.cabinet_id,)))


@dataclass(frozen=True, slots=True)
class CodeUsed:
    """A code was used up after the compartment unlocked."""

    code_id: str
    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    holder: str
    at: datetime

    @property
    def parts(self) -> Parts:
        """The order and the compartment (with its cabinet) the code opens."""
        return _compartment_parts(self.cabinet_id, self.compartment, self.order_id)


@dataclass(frozen=True, slots=True)
class CodeRevoked:
    """A code was withdrawn before use (order cancelled, code replaced)."""

    code_id: str
    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    at: datetime

    @property
    def parts(self) -> Parts:
        """The order and the compartment (with its cabinet) the code opens."""
        return _compartment_parts(self.cabinet_id, self.compartment, self.order_id)


@dataclass(frozen=True, slots=True)
class CodeReserved:
    """A code was reserved for one unlock: no other entry of it is accepted now."""

    code_id: str
    order_id: str
    cabinet_id: str
    compartment: int
    at: datetime
    until: datetime

    @property
    def parts(self) -> Parts:
        """The order and the compartment (with its cabinet) the code opens."""
        return _compartment_parts(self.cabinet_id, self.compartment, self.order_id)


@dataclass(frozen=True, slots=True)
class CodeReleased:
    """A reservation ended without use: the code is valid again.

    ``reason``: ``unlock_failed`` (the board refused or did not confirm) or
    ``door_not_opened`` (the board relocked a door nobody opened).
    """

    code_id: str
    order_id: str
    cabinet_id: str
    compartment: int
    reason: str
    at: datetime

    @property
    def parts(self) -> Parts:
        """The order and the compartment (with its cabinet) the code opens."""
        return _compartment_parts(self.cabinet_id, self.compartment, self.order_id)


type CodeEvent = (
    CodeIssued
    | CodeAccepted
    | CodeRejected
    | KeypadLockedOut
    | CodeReserved
    | CodeReleased
    | CodeUsed
    | CodeRevoked
)


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """The one object carrying the clear PIN and QR token, for the caller."""

    code: AccessCode
    pin: str
    token: str
    events: tuple[CodeEvent, ...]

    def __repr__(self) -> str:
        """Show the binding, never the secrets."""
        return f"IssuedCode(code={self.code!r}, pin='******', token='******')"


# --- key custody ------------------------------------------------------------------


class HolderKind(StrEnum):
    """Who or what can hold a key."""

    OWNER = "owner"
    COMPARTMENT = "compartment"
    WORKER = "worker"


@dataclass(frozen=True, slots=True)
class Holder:
    """The single holder of a key (see ``owner``, ``compartment``, ``worker``)."""

    kind: HolderKind
    cabinet_id: str | None = None
    compartment_number: int | None = None
    worker_id: str | None = None

    def __post_init__(self) -> None:
        """Refuse a holder whose fields do not fit its kind."""
        if self.kind is HolderKind.COMPARTMENT:
            valid = (
                bool(self.cabinet_id)
                and self.compartment_number is not None
                and self.compartment_number >= 1
                and self.worker_id is None
            )
        elif self.kind is HolderKind.WORKER:
            valid = (
                bool(self.worker_id)
                and self.cabinet_id is None
                and self.compartment_number is None
            )
        else:
            valid = (
                self.cabinet_id is None
                and self.compartment_number is None
                and self.worker_id is None
            )
        if not valid:
            raise DoorServiceError("invalid_key_holder", holder=self.kind)

    @classmethod
    def owner(cls) -> Self:
        """The key's owner."""
        return cls(HolderKind.OWNER)

    @classmethod
    def compartment(cls, cabinet_id: str, number: int) -> Self:
        """Compartment ``number`` of cabinet ``cabinet_id``."""
        return cls(
            HolderKind.COMPARTMENT, cabinet_id=cabinet_id, compartment_number=number
        )

    @classmethod
    def worker(cls, worker_id: str) -> Self:
        """Worker ``worker_id``."""
        return cls(HolderKind.WORKER, worker_id=worker_id)

    def __str__(self) -> str:
        """Render as ``owner``, ``compartment:<n>`` or ``worker:<id>``."""
        if self.kind is HolderKind.COMPARTMENT:
            return f"compartment:{self.compartment_number}"
        if self.kind is HolderKind.WORKER:
            return f"worker:{self.worker_id}"
        return "owner"

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "kind": self.kind.value,
            "cabinet_id": self.cabinet_id,
            "compartment_number": self.compartment_number,
            "worker_id": self.worker_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Holder:
        """Rebuild from ``to_dict`` output."""
        return cls(
            kind=HolderKind(data["kind"]),
            cabinet_id=data["cabinet_id"],
            compartment_number=data["compartment_number"],
            worker_id=data["worker_id"],
        )

    @property
    def parts(self) -> Parts:
        """The compartment (with its cabinet) or the worker holding a key."""
        if self.kind is HolderKind.COMPARTMENT:
            assert self.cabinet_id is not None
            assert self.compartment_number is not None
            return _compartment_parts(self.cabinet_id, self.compartment_number, None)
        return Parts(workers=_one(self.worker_id))


@dataclass(frozen=True, slots=True)
class KeyMoved:
    """The key of ``order_id`` changed hands."""

    order_id: str
    at: datetime
    from_holder: Holder
    to_holder: Holder
    actor: str

    @property
    def parts(self) -> Parts:
        """The order and the holders the key left and reached."""
        return (
            Parts(orders=frozenset((self.order_id,)))
            | self.from_holder.parts
            | self.to_holder.parts
        )


@dataclass(frozen=True, slots=True)
class CustodyClosed:
    """The key of ``order_id`` is back with its owner; nothing is outstanding."""

    order_id: str
    at: datetime

    @property
    def parts(self) -> Parts:
        """The order whose key is back with its owner."""
        return Parts(orders=frozenset((self.order_id,)))


type CustodyEvent = KeyMoved | CustodyClosed


# --- cabinet hops -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodeDelivery:
    """A freshly issued code for its holder: the only event carrying a secret.

    The glue puts it in the response of the call that issued it and in the holder's
    notification; it must never reach the bus, a state, a log or the logbook.
    """

    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    holder: str
    issued: IssuedCode

    def __repr__(self) -> str:
        """Show the binding, never the secrets."""
        return (
            f"CodeDelivery({self.order_id}, {self.cabinet_id}, {self.compartment}, "
            f"{self.purpose}, {self.holder})"
        )

    @property
    def parts(self) -> Parts:
        """The order, the compartment (with its cabinet) and a worker holder."""
        return _compartment_parts(
            self.cabinet_id, self.compartment, self.order_id
        ) | Parts(workers=_one(actor_worker_id(self.holder)))


@dataclass(frozen=True, slots=True)
class HopCompleted:
    """The hop a code stood for is done (door closed, confirmed or no sensor)."""

    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    holder: str
    at: datetime

    @property
    def parts(self) -> Parts:
        """The order, the compartment (with its cabinet) and a worker holder."""
        return _compartment_parts(
            self.cabinet_id, self.compartment, self.order_id
        ) | Parts(workers=_one(actor_worker_id(self.holder)))


# --- compartments -----------------------------------------------------------------


class CompartmentSize(StrEnum):
    """How big a compartment is; a bigger one can hold what fits a smaller one."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def rank(self) -> int:
        """Order of sizes: small < medium < large."""
        return _SIZE_RANK[self]


_SIZE_RANK = {
    CompartmentSize.SMALL: 0,
    CompartmentSize.MEDIUM: 1,
    CompartmentSize.LARGE: 2,
}


class Contents(StrEnum):
    """What a compartment holds."""

    EMPTY = "empty"
    RESERVED = "reserved"
    KEY = "key"
    SUPPLIES = "supplies"
    KEY_AND_SUPPLIES = "key_and_supplies"

    @property
    def holds_key(self) -> bool:
        """Whether a key is inside."""
        return self in (Contents.KEY, Contents.KEY_AND_SUPPLIES)


@dataclass(frozen=True, slots=True)
class CompartmentAllocated:
    """A compartment was reserved for an order."""

    cabinet_id: str
    number: int
    order_id: str
    size: CompartmentSize

    @property
    def parts(self) -> Parts:
        """The compartment (with its cabinet) and the order."""
        return _compartment_parts(self.cabinet_id, self.number, self.order_id)


@dataclass(frozen=True, slots=True)
class CompartmentReleased:
    """A compartment was given back (order cancelled or finished)."""

    cabinet_id: str
    number: int
    order_id: str

    @property
    def parts(self) -> Parts:
        """The compartment (with its cabinet) and the order."""
        return _compartment_parts(self.cabinet_id, self.number, self.order_id)


@dataclass(frozen=True, slots=True)
class ContentsChanged:
    """What a compartment holds changed."""

    cabinet_id: str
    number: int
    order_id: str | None
    previous: Contents
    contents: Contents

    @property
    def parts(self) -> Parts:
        """The compartment (with its cabinet) and the order, if any."""
        return _compartment_parts(self.cabinet_id, self.number, self.order_id)


@dataclass(frozen=True, slots=True)
class ServiceStateChanged:
    """A compartment was taken out of service or put back."""

    cabinet_id: str
    number: int
    out_of_service: bool

    @property
    def parts(self) -> Parts:
        """The compartment (with its cabinet)."""
        return _compartment_parts(self.cabinet_id, self.number, None)


@dataclass(frozen=True, slots=True)
class DoorChanged:
    """The hardware reported a door state (``None``: unknown / no sensor)."""

    cabinet_id: str
    number: int
    door_open: bool | None

    @property
    def parts(self) -> Parts:
        """The compartment (with its cabinet)."""
        return _compartment_parts(self.cabinet_id, self.number, None)


type CabinetEvent = (
    CompartmentAllocated
    | CompartmentReleased
    | ContentsChanged
    | ServiceStateChanged
    | DoorChanged
)


# --- supplies ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StockMovement:
    """Supplies of an order moved within a cabinet's stock (``lines``: sku, count)."""

    cabinet_id: str
    order_id: str
    lines: tuple[tuple[str, int], ...]

    @property
    def parts(self) -> Parts:
        """The cabinet whose stock changed and the order."""
        return Parts(
            orders=frozenset((self.order_id,)), cabinets=frozenset((self.cabinet_id,))
        )


@dataclass(frozen=True, slots=True)
class StockReserved(_StockMovement):
    """Stock was reserved for an order."""


@dataclass(frozen=True, slots=True)
class StockReleased(_StockMovement):
    """An order's reservation went back to available stock."""


@dataclass(frozen=True, slots=True)
class StockConsumed(_StockMovement):
    """An order's reserved supplies left the cabinet."""


@dataclass(frozen=True, slots=True)
class StockAdjusted:
    """The count on hand of an item changed (restock or stock-take)."""

    cabinet_id: str
    sku: str
    previous: int
    on_hand: int

    @property
    def parts(self) -> Parts:
        """The cabinet whose stock changed."""
        return Parts(cabinets=frozenset((self.cabinet_id,)))


@dataclass(frozen=True, slots=True)
class LowStock:
    """An item's available stock fell to or below its threshold."""

    cabinet_id: str
    sku: str
    available: int
    threshold: int

    @property
    def parts(self) -> Parts:
        """The cabinet whose stock changed."""
        return Parts(cabinets=frozenset((self.cabinet_id,)))


@dataclass(frozen=True, slots=True)
class StockRecovered:
    """An item's available stock rose above its threshold again."""

    cabinet_id: str
    sku: str
    available: int
    threshold: int

    @property
    def parts(self) -> Parts:
        """The cabinet whose stock changed."""
        return Parts(cabinets=frozenset((self.cabinet_id,)))


type SupplyEvent = (
    StockReserved
    | StockReleased
    | StockConsumed
    | StockAdjusted
    | LowStock
    | StockRecovered
)


# --- stays ------------------------------------------------------------------------


class Language(StrEnum):
    """The language a stay's messages are written in."""

    EN = "en"
    ZH_HANS = "zh-Hans"

    @classmethod
    def parse(cls, value: str | None) -> Language:
        """Return the language for a code; ``None`` or blank means English.

        Accepts the exact codes (any case, ``_`` or ``-``) and the common aliases
        ``en-*``, ``zh``, ``zh-CN``, ``zh-SG``.
        """
        if value is None or not value.strip():
            return cls.EN
        code = value.strip().replace("_", "-").lower()
        if code == "en" or code.startswith("en-"):
            return cls.EN
        if code in {"zh", "zh-hans", "zh-cn", "zh-sg"}:
            return cls.ZH_HANS
        raise DoorServiceError("invalid_language", language=value)


class Handedness(StrEnum):
    """Which hand the room terminal's layout is built for."""

    LEFT = "left"
    RIGHT = "right"

    @classmethod
    def parse(cls, value: str) -> Handedness:
        """Return the handedness named by ``value`` or raise ``invalid_handedness``."""
        try:
            return cls(value)
        except ValueError:
            raise DoorServiceError("invalid_handedness", handedness=value) from None


class AuthorizationEndReason(StrEnum):
    """Why a stay's guest lost control of the room."""

    EXPIRED = "expired"
    CHECKED_OUT = "checked_out"


@dataclass(frozen=True, slots=True)
class StayEvent:
    """Base of everything the stay book reports; ``type`` names the event."""

    type: ClassVar[str]
    room_id: str
    at: datetime

    @property
    def parts(self) -> Parts:
        """The room."""
        return Parts(rooms=frozenset((self.room_id,)))


@dataclass(frozen=True, slots=True)
class CheckedIn(StayEvent):
    """A guest checked in; their authorization starts now."""

    type: ClassVar[str] = "checked_in"
    stay_id: str
    language: Language
    ends_at: datetime | None


@dataclass(frozen=True, slots=True)
class CheckedOut(StayEvent):
    """A stay ended and its folio closed (the folio itself is returned by check-out)."""

    type: ClassVar[str] = "checked_out"
    stay_id: str
    total: Decimal
    currency: str
    charge_count: int


@dataclass(frozen=True, slots=True)
class ChargeAdded(StayEvent):
    """A charge landed on a stay's folio; ``total`` is the folio's new total."""

    type: ClassVar[str] = "charge_added"
    stay_id: str
    order_id: str
    amount: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class DndChanged(StayEvent):
    """Do not disturb was switched on or off for a room."""

    type: ClassVar[str] = "dnd_changed"
    on: bool


@dataclass(frozen=True, slots=True)
class HandednessChanged(StayEvent):
    """The room terminal's layout hand changed."""

    type: ClassVar[str] = "handedness_changed"
    handedness: Handedness


@dataclass(frozen=True, slots=True)
class AuthorizationEnded(StayEvent):
    """A stay's guest may no longer control the room (reported once per stay)."""

    type: ClassVar[str] = "authorization_ended"
    stay_id: str
    reason: AuthorizationEndReason


@dataclass(frozen=True, slots=True)
class ChargeNotBilled:
    """A paid order completed but its stay's folio could not take the charge."""

    type: ClassVar[str] = "charge_not_billed"
    room_id: str
    at: datetime
    order_id: str
    reason: str

    @property
    def parts(self) -> Parts:
        """The room and the order that could not be billed."""
        return Parts(
            orders=frozenset((self.order_id,)), rooms=frozenset((self.room_id,))
        )


# --- appliances -------------------------------------------------------------------


class ApplianceAction(StrEnum):
    """What a command asks for: covers open and close, the rest turn on and off."""

    TURN_ON = "turn_on"
    TURN_OFF = "turn_off"
    OPEN = "open"
    CLOSE = "close"


class RequesterRole(StrEnum):
    """Who asks for an appliance change."""

    GUEST = "guest"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class ApplianceCommand:
    """Ask an appliance to turn on/off or open/close, optionally to a value.

    ``value`` goes only with ``turn_on``/``open``: brightness 0..255 for a light, target
    temperature for a climate, position 0..100 for a cover, percentage for a fan.
    """

    appliance_id: str
    action: ApplianceAction
    value: float | None = None

    @classmethod
    def parse(
        cls, appliance_id: str, action: str, value: float | None = None
    ) -> ApplianceCommand:
        """Build a command from plain values; refuse an unknown action."""
        try:
            parsed = ApplianceAction(action)
        except ValueError:
            raise DoorServiceError(
                "invalid_appliance_action", appliance=appliance_id, action=action
            ) from None
        return cls(appliance_id=appliance_id, action=parsed, value=value)

    @property
    def turns_on(self) -> bool:
        """Return True when the command switches on or opens."""
        return self.action in (ApplianceAction.TURN_ON, ApplianceAction.OPEN)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "appliance_id": self.appliance_id,
            "action": self.action.value,
            "value": self.value,
        }


@dataclass(frozen=True, slots=True)
class ApplianceEvent:
    """Base of what appliance operations report; ``type`` names the event."""

    type: ClassVar[str]
    room_id: str
    at: datetime
    appliance_id: str

    @property
    def parts(self) -> Parts:
        """The room of the appliance."""
        return Parts(rooms=frozenset((self.room_id,)))


@dataclass(frozen=True, slots=True)
class ApplianceChangeAuthorized(ApplianceEvent):
    """A command may go to the driver; the glue logs it (who, why) and sends it."""

    type: ClassVar[str] = "appliance_change_authorized"
    command: ApplianceCommand
    role: RequesterRole
    actor: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class ApplianceStateChanged(ApplianceEvent):
    """The driver reported a new state for an appliance."""

    type: ClassVar[str] = "appliance_state_changed"
    is_on: bool
    value: float | None


type StayChange = (
    CheckedIn
    | CheckedOut
    | ChargeAdded
    | DndChanged
    | HandednessChanged
    | AuthorizationEnded
)
"""What the stay book reports."""

type ApplianceChange = ApplianceChangeAuthorized | ApplianceStateChanged
"""What a room's appliances report."""


# --- the union ---------------------------------------------------------------------


type DomainEvent = (
    OrderEvent
    | CodeIssued
    | CodeAccepted
    | CodeRejected
    | KeypadLockedOut
    | CodeReserved
    | CodeReleased
    | CodeUsed
    | CodeRevoked
    | KeyMoved
    | CustodyClosed
    | CodeDelivery
    | HopCompleted
    | CompartmentAllocated
    | CompartmentReleased
    | ContentsChanged
    | ServiceStateChanged
    | DoorChanged
    | StockReserved
    | StockReleased
    | StockConsumed
    | StockAdjusted
    | LowStock
    | StockRecovered
    | CheckedIn
    | CheckedOut
    | ChargeAdded
    | DndChanged
    | HandednessChanged
    | AuthorizationEnded
    | ChargeNotBilled
    | ApplianceChangeAuthorized
    | ApplianceStateChanged
)
"""Everything an operation of the core can report."""
