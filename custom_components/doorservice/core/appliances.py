"""Room appliances: what a room has, who may change it, and what check-out resets.

Commands are data. ``RoomAppliances.authorize`` decides whether a requester may send a
command (a guest only during an authorized stay, staff always but with a reason for the
logbook); the glue hands an authorized command to a driver, and the driver's report
comes back through ``apply_reported_state``, which is the only thing that changes the
last known state. ``checkout_commands`` lists what brings the room to its check-out
state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import math
import re
from typing import Any, Protocol, TypeIs

from .errors import DoorServiceError
from .events import (
    ApplianceAction,
    ApplianceChange,
    ApplianceChangeAuthorized,
    ApplianceCommand,
    ApplianceStateChanged,
    RequesterRole,
)
from .stays import validate_room_id

APPLIANCE_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
"""Appliance ids: lower-case letters, digits, underscores; a letter first."""

NAME_MAX_LENGTH = 100
"""Longest appliance name accepted (after trimming)."""

REASON_MAX_LENGTH = 200
"""Longest staff reason accepted (after trimming)."""

DEFAULT_MIN_TEMP = 7.0
"""Lowest target temperature of a climate appliance unless configured."""

DEFAULT_MAX_TEMP = 35.0
"""Highest target temperature of a climate appliance unless configured."""


class ApplianceKind(StrEnum):
    """What an appliance is, which decides its actions and value."""

    SWITCH = "switch"
    LIGHT = "light"
    CLIMATE = "climate"
    COVER = "cover"
    FAN = "fan"


class CheckoutState(StrEnum):
    """Where check-out leaves an appliance (``open``/``closed`` are for covers)."""

    OFF = "off"
    ON = "on"
    CLOSED = "closed"
    OPEN = "open"
    UNCHANGED = "unchanged"


_ACTIONS: dict[ApplianceKind, tuple[ApplianceAction, ApplianceAction]] = {
    ApplianceKind.SWITCH: (ApplianceAction.TURN_ON, ApplianceAction.TURN_OFF),
    ApplianceKind.LIGHT: (ApplianceAction.TURN_ON, ApplianceAction.TURN_OFF),
    ApplianceKind.CLIMATE: (ApplianceAction.TURN_ON, ApplianceAction.TURN_OFF),
    ApplianceKind.FAN: (ApplianceAction.TURN_ON, ApplianceAction.TURN_OFF),
    ApplianceKind.COVER: (ApplianceAction.OPEN, ApplianceAction.CLOSE),
}
"""Per kind: the action that switches it on (opens it), then the one that stops it."""

_FIXED_RANGES: dict[ApplianceKind, tuple[int, int]] = {
    ApplianceKind.LIGHT: (0, 255),
    ApplianceKind.COVER: (0, 100),
    ApplianceKind.FAN: (0, 100),
}
"""Integer value ranges: brightness, cover position, fan percentage."""


def _require_aware(value: datetime, field_name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise DoorServiceError("naive_datetime", field=field_name)
    return value


def _is_number(value: object) -> TypeIs[float]:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


@dataclass(frozen=True, slots=True)
class Requester:
    """Who sends a command: a guest (from the room) or staff (with a reason)."""

    role: RequesterRole
    actor: str | None = None
    reason: str | None = None

    @classmethod
    def guest(cls, actor: str | None = None) -> Requester:
        """Return a guest requester."""
        return cls(role=RequesterRole.GUEST, actor=actor)

    @classmethod
    def staff(cls, actor: str | None, reason: str | None) -> Requester:
        """Return a staff requester; ``authorize`` checks the reason."""
        return cls(role=RequesterRole.STAFF, actor=actor, reason=reason)


class StayAuthority(Protocol):
    """Anything that knows whether a room's stay is authorized (``StayBook`` does)."""

    def is_authorized(self, room_id: str, now: datetime) -> bool:
        """Return True while the room's guest may control its appliances."""


# --- events -------------------------------------------------------------------------


# --- appliances ---------------------------------------------------------------------


@dataclass(slots=True)
class Appliance:
    """One appliance of a room, with its configuration and last known state.

    ``is_on`` means *open* for a cover. ``value`` is the last known brightness, target
    temperature, position or percentage (always ``None`` for a switch). ``min_temp`` and
    ``max_temp`` bound a climate's target temperature and are ``None`` for other kinds.
    """

    id: str
    name: str
    kind: ApplianceKind
    checkout_state: CheckoutState
    min_temp: float | None = None
    max_temp: float | None = None
    is_on: bool = False
    value: float | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        """Validate the configuration and state; raise on the first bad field."""
        if not isinstance(self.id, str) or not APPLIANCE_ID_PATTERN.match(self.id):
            raise DoorServiceError("invalid_appliance_id", appliance=self.id)
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name or len(name) > NAME_MAX_LENGTH:
            raise DoorServiceError(
                "invalid_appliance_name", appliance=self.id, max_length=NAME_MAX_LENGTH
            )
        self.name = name
        if self.checkout_state not in _checkout_states(self.kind):
            raise DoorServiceError(
                "invalid_checkout_state",
                appliance=self.id,
                state=self.checkout_state,
                kind=self.kind,
            )
        if self.kind is ApplianceKind.CLIMATE:
            if self.min_temp is None:
                self.min_temp = DEFAULT_MIN_TEMP
            if self.max_temp is None:
                self.max_temp = DEFAULT_MAX_TEMP
            if (
                not _is_number(self.min_temp)
                or not _is_number(self.max_temp)
                or self.min_temp >= self.max_temp
            ):
                raise DoorServiceError(
                    "invalid_appliance_range",
                    appliance=self.id,
                    min=self.min_temp,
                    max=self.max_temp,
                )
        elif self.min_temp is not None or self.max_temp is not None:
            raise DoorServiceError(
                "invalid_appliance_range",
                appliance=self.id,
                min=self.min_temp,
                max=self.max_temp,
            )
        if not isinstance(self.is_on, bool):
            raise DoorServiceError("invalid_appliance_state", appliance=self.id)
        if self.value is not None:
            self.value = self.validate_value(self.value)
        if self.updated_at is not None:
            _require_aware(self.updated_at, "updated_at")

    @property
    def value_range(self) -> tuple[float, float] | None:
        """Return the allowed (min, max) value, or ``None`` when it takes no value."""
        if self.kind is ApplianceKind.SWITCH:
            return None
        if self.kind is ApplianceKind.CLIMATE:
            assert self.min_temp is not None
            assert self.max_temp is not None
            return (self.min_temp, self.max_temp)
        return _FIXED_RANGES[self.kind]

    def validate_value(self, value: object) -> float:
        """Return ``value`` if it fits this appliance, else raise.

        Lights, covers and fans take whole numbers; a climate takes any finite number
        within its temperature range; a switch takes none.
        """
        bounds = self.value_range
        if bounds is None:
            raise DoorServiceError("appliance_takes_no_value", appliance=self.id)
        low, high = bounds
        whole = self.kind is not ApplianceKind.CLIMATE
        if (
            _is_number(value)
            and (isinstance(value, int) or not whole)
            and low <= value <= high
        ):
            return value
        raise DoorServiceError(
            "invalid_appliance_value",
            appliance=self.id,
            value=value,
            min=_format_number(low),
            max=_format_number(high),
        )

    def validate_command(self, command: ApplianceCommand) -> None:
        """Raise unless ``command`` is an action and value this appliance accepts."""
        if command.action not in _ACTIONS[self.kind]:
            raise DoorServiceError(
                "invalid_appliance_action",
                appliance=self.id,
                action=command.action,
                kind=self.kind,
            )
        if command.value is None:
            return
        if not command.turns_on:
            raise DoorServiceError(
                "appliance_takes_no_value", appliance=self.id, action=command.action
            )
        self.validate_value(command.value)

    def checkout_command(self) -> ApplianceCommand | None:
        """Return the command to its check-out state, or ``None`` for ``unchanged``."""
        on_action, off_action = _ACTIONS[self.kind]
        if self.checkout_state in (CheckoutState.ON, CheckoutState.OPEN):
            return ApplianceCommand(appliance_id=self.id, action=on_action)
        if self.checkout_state is CheckoutState.UNCHANGED:
            return None
        return ApplianceCommand(appliance_id=self.id, action=off_action)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict of configuration and last known state."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind.value,
            "checkout_state": self.checkout_state.value,
            "min_temp": self.min_temp,
            "max_temp": self.max_temp,
            "is_on": self.is_on,
            "value": self.value,
            "updated_at": None
            if self.updated_at is None
            else self.updated_at.isoformat(),
        }

    @classmethod
    def from_config(cls, item: Mapping[str, Any]) -> Appliance:
        """Build an appliance from configuration (state starts off, unknown value).

        Keys: ``id``, ``name``, ``kind``, optional ``checkout_state`` (default ``off``,
        ``closed`` for a cover), and for a climate optional ``min_temp``/``max_temp``.
        Other keys (driver settings) are left to the glue.
        """
        appliance_id = item.get("id", "")
        try:
            kind = ApplianceKind(item.get("kind", ""))
        except ValueError:
            raise DoorServiceError(
                "invalid_appliance_kind", appliance=appliance_id, kind=item.get("kind")
            ) from None
        raw_state = item.get("checkout_state")
        try:
            checkout_state = (
                _default_checkout_state(kind)
                if raw_state is None
                else CheckoutState(raw_state)
            )
        except ValueError:
            raise DoorServiceError(
                "invalid_checkout_state",
                appliance=appliance_id,
                state=raw_state,
                kind=kind,
            ) from None
        return cls(
            id=appliance_id,
            name=item.get("name", ""),
            kind=kind,
            checkout_state=checkout_state,
            min_temp=item.get("min_temp"),
            max_temp=item.get("max_temp"),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Appliance:
        """Rebuild an appliance from ``to_dict`` output."""
        updated_at = data["updated_at"]
        return cls(
            id=data["id"],
            name=data["name"],
            kind=ApplianceKind(data["kind"]),
            checkout_state=CheckoutState(data["checkout_state"]),
            min_temp=data["min_temp"],
            max_temp=data["max_temp"],
            is_on=data["is_on"],
            value=data["value"],
            updated_at=None
            if updated_at is None
            else datetime.fromisoformat(updated_at),
        )


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _default_checkout_state(kind: ApplianceKind) -> CheckoutState:
    return CheckoutState.CLOSED if kind is ApplianceKind.COVER else CheckoutState.OFF


def _checkout_states(kind: ApplianceKind) -> frozenset[CheckoutState]:
    if kind is ApplianceKind.COVER:
        return frozenset(
            {CheckoutState.CLOSED, CheckoutState.OPEN, CheckoutState.UNCHANGED}
        )
    return frozenset({CheckoutState.OFF, CheckoutState.ON, CheckoutState.UNCHANGED})


# --- a room's appliances ------------------------------------------------------------


class RoomAppliances:
    """The appliances of one room, in configuration order, with the control policy."""

    def __init__(self, room_id: str, appliances: Iterable[Appliance] = ()) -> None:
        """Create the room's appliance set; refuse two appliances with one id."""
        self.room_id = validate_room_id(room_id)
        self._appliances: dict[str, Appliance] = {}
        for appliance in appliances:
            if appliance.id in self._appliances:
                raise DoorServiceError(
                    "duplicate_appliance_id", room=room_id, appliance=appliance.id
                )
            self._appliances[appliance.id] = appliance

    @classmethod
    def from_config(
        cls,
        room_id: str,
        items: Iterable[Mapping[str, Any]],
        previous: RoomAppliances | None = None,
    ) -> RoomAppliances:
        """Build from configuration dicts (see ``Appliance.from_config``).

        With ``previous`` (the room before a reconfiguration), an appliance keeping its
        id and kind keeps its last known state; a value the new range refuses is
        forgotten.
        """
        appliances: list[Appliance] = []
        for index, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise DoorServiceError(
                    "invalid_appliance_config", room=room_id, index=index
                )
            appliance = Appliance.from_config(item)
            old = None if previous is None else previous._appliances.get(appliance.id)
            if old is not None and old.kind is appliance.kind:
                appliance.is_on = old.is_on
                appliance.updated_at = old.updated_at
                if old.value is not None:
                    try:
                        appliance.value = appliance.validate_value(old.value)
                    except DoorServiceError:
                        appliance.value = None
            appliances.append(appliance)
        return cls(room_id, appliances)

    @property
    def appliances(self) -> list[Appliance]:
        """Return the appliances in configuration order."""
        return list(self._appliances.values())

    def get(self, appliance_id: str) -> Appliance:
        """Return an appliance or raise ``unknown_appliance``."""
        try:
            return self._appliances[appliance_id]
        except KeyError:
            raise DoorServiceError(
                "unknown_appliance", room=self.room_id, appliance=appliance_id
            ) from None

    def authorize(
        self,
        command: ApplianceCommand,
        requester: Requester,
        stays: StayAuthority,
        now: datetime,
    ) -> ApplianceChangeAuthorized:
        """Return the authorized change, or raise why it is refused.

        The command must fit the appliance. A guest needs an authorized stay
        (``not_authorized_outside_stay``); staff are always allowed but must give a
        reason (``appliance_change_reason_required``), which the event carries to the
        logbook. Nothing changes here: the driver's report updates the state.
        """
        _require_aware(now, "now")
        appliance = self.get(command.appliance_id)
        appliance.validate_command(command)
        reason: str | None = None
        if requester.role is RequesterRole.GUEST:
            if not stays.is_authorized(self.room_id, now):
                raise DoorServiceError("not_authorized_outside_stay", room=self.room_id)
        else:
            reason = requester.reason.strip() if requester.reason else ""
            if not reason:
                raise DoorServiceError(
                    "appliance_change_reason_required",
                    room=self.room_id,
                    appliance=appliance.id,
                )
            if len(reason) > REASON_MAX_LENGTH:
                raise DoorServiceError(
                    "appliance_change_reason_too_long",
                    room=self.room_id,
                    max_length=REASON_MAX_LENGTH,
                )
        return ApplianceChangeAuthorized(
            room_id=self.room_id,
            at=now,
            appliance_id=appliance.id,
            command=command,
            role=requester.role,
            actor=requester.actor,
            reason=reason,
        )

    def checkout_commands(self) -> list[ApplianceCommand]:
        """Return the commands that bring every appliance to its check-out state.

        Every appliance not configured ``unchanged`` gets its command, whatever its
        last known state (that state may be stale; the commands are idempotent).
        """
        commands = [appliance.checkout_command() for appliance in self.appliances]
        return [command for command in commands if command is not None]

    def apply_reported_state(
        self,
        appliance_id: str,
        *,
        is_on: bool,
        now: datetime,
        value: float | None = None,
    ) -> list[ApplianceChange]:
        """Record what the driver reports; no events when nothing changed.

        ``value=None`` keeps the last known value (a light switched off still
        remembers its brightness).
        """
        _require_aware(now, "now")
        appliance = self.get(appliance_id)
        if not isinstance(is_on, bool):
            raise DoorServiceError("invalid_appliance_state", appliance=appliance_id)
        new_value = (
            appliance.value if value is None else appliance.validate_value(value)
        )
        if appliance.is_on is is_on and appliance.value == new_value:
            return []
        appliance.is_on = is_on
        appliance.value = new_value
        appliance.updated_at = now
        return [
            ApplianceStateChanged(
                room_id=self.room_id,
                at=now,
                appliance_id=appliance_id,
                is_on=is_on,
                value=new_value,
            )
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "room_id": self.room_id,
            "appliances": [appliance.to_dict() for appliance in self.appliances],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoomAppliances:
        """Rebuild from ``to_dict`` output."""
        return cls(
            data["room_id"],
            [Appliance.from_dict(item) for item in data["appliances"]],
        )
