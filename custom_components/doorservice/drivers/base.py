"""The driver interface between the integration and its boards.

A cabinet board unlocks compartments (relocking after a pulse), reports lock and door
states, shows a QR payload and delivers keypad entries. A room board switches
appliances and delivers wall-button presses. Both report availability. Drivers push
what they observe through :class:`BoardListener` callbacks; they hold no business rule.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class DriverError(Exception):
    """A board could not carry out a command (offline, not confirmed, refused)."""

    def __init__(self, translation_key: str, **placeholders: object) -> None:
        """Create the error with a translation key of the integration."""
        self.translation_key = translation_key
        self.placeholders = {key: str(value) for key, value in placeholders.items()}
        super().__init__(translation_key)


class BoardSignal(StrEnum):
    """What a board reports to the integration."""

    AVAILABILITY = "availability"
    LOCK = "lock"
    DOOR = "door"
    CODE_ENTERED = "code_entered"
    BUTTON = "button"
    APPLIANCE = "appliance"


@dataclass(frozen=True, slots=True)
class BoardReport:
    """One observation from a board.

    ``compartment`` is set for lock and door reports, ``appliance`` for appliance
    reports; ``value`` carries the observed value (bool for availability, locks
    (True = locked) and doors (True = open), the entered code or button name, or an
    appliance state mapping).
    """

    signal: BoardSignal
    value: object
    compartment: int | None = None
    appliance: str | None = None


type BoardListener = Callable[[BoardReport], None]


@dataclass(slots=True)
class CompartmentHardware:
    """The last known hardware state of one compartment."""

    locked: bool = True
    door_open: bool | None = None


@dataclass(slots=True)
class CabinetHardware:
    """The last known hardware state of a cabinet board."""

    available: bool = False
    has_door_sensors: bool = True
    compartments: dict[int, CompartmentHardware] = field(default_factory=dict)
    qr_payload: str | None = None


class CabinetDriver(ABC):
    """Drives one cabinet board."""

    def __init__(self, compartments: int, listener: BoardListener) -> None:
        """Create the driver for a board with ``compartments`` compartments."""
        self.state = CabinetHardware(
            compartments={n: CompartmentHardware() for n in range(1, compartments + 1)}
        )
        self._listener = listener

    def _report(self, report: BoardReport) -> None:
        """Record a report in :attr:`state` and pass it on."""
        if report.signal is BoardSignal.AVAILABILITY:
            self.state.available = bool(report.value)
        elif report.compartment is not None and (
            hw := self.state.compartments.get(report.compartment)
        ):
            if report.signal is BoardSignal.LOCK:
                hw.locked = bool(report.value)
            elif report.signal is BoardSignal.DOOR:
                hw.door_open = None if report.value is None else bool(report.value)
        self._listener(report)

    @abstractmethod
    async def async_start(self) -> None:
        """Connect to the board and report its initial state."""

    @abstractmethod
    async def async_stop(self) -> None:
        """Disconnect; no report is made afterwards."""

    @abstractmethod
    async def async_unlock(self, compartment: int) -> None:
        """Unlock ``compartment`` for a pulse; raise DriverError when not confirmed."""

    @abstractmethod
    async def async_lock(self, compartment: int) -> None:
        """Lock ``compartment`` now."""

    @abstractmethod
    async def async_show_qr(self, payload: str) -> None:
        """Show ``payload`` as a QR code on the board's display (if it has one)."""
