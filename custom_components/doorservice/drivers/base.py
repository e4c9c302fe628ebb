"""The driver interface between the integration and its boards.

A cabinet board unlocks compartments (relocking after a pulse), reports lock and door
states, shows a QR payload and delivers keypad entries. A room board switches
appliances and delivers wall-button presses. Both report availability. Drivers push
what they observe through :class:`BoardListener` callbacks; they hold no business rule.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..core.appliances import ApplianceKind


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
    :class:`ApplianceState` for appliance reports).
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

    follows_board_events = False
    """Whether the driver itself reports the board's ESPHome keypad events.

    When it does, nothing else may pass ``esphome.doorservice_code_entered`` of its
    board on, or every code would be entered twice.
    """

    def __init__(self, compartments: int, listener: BoardListener) -> None:
        """Create the driver for a board with ``compartments`` compartments."""
        self.state = CabinetHardware(
            compartments={n: CompartmentHardware() for n in range(1, compartments + 1)}
        )
        self._listener = listener
        self._unlock_waiters: dict[int, list[asyncio.Future[None]]] = {}

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
            if (report.signal is BoardSignal.LOCK and report.value is False) or (
                report.signal is BoardSignal.DOOR and report.value is True
            ):
                for waiter in self._unlock_waiters.pop(report.compartment, ()):
                    if not waiter.done():
                        waiter.set_result(None)
        self._listener(report)

    def _check_compartment(self, compartment: int) -> CompartmentHardware:
        """Return the compartment, or raise when the board is offline or lacks it."""
        if not self.state.available:
            raise DriverError("board_offline")
        if (hw := self.state.compartments.get(compartment)) is None:
            raise DriverError("unknown_compartment", compartment=compartment)
        return hw

    async def _async_confirmed_unlock(
        self,
        compartment: int,
        send: Callable[[], Awaitable[None]],
        confirm_timeout: float,
    ) -> None:
        """Send an unlock and wait until the lock reports unlocked or the door opens.

        A lock that is already unlocked (a pulse still running) counts as confirmed.
        Raise ``unlock_not_confirmed`` when neither happens within
        ``confirm_timeout`` seconds.
        """
        hw = self._check_compartment(compartment)
        already_unlocked = not hw.locked
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._unlock_waiters.setdefault(compartment, []).append(waiter)
        try:
            await send()
            if already_unlocked:
                return
            async with asyncio.timeout(confirm_timeout):
                await waiter
        except TimeoutError:
            raise DriverError(
                "unlock_not_confirmed", seconds=f"{confirm_timeout:g}"
            ) from None
        finally:
            waiters = self._unlock_waiters.get(compartment, [])
            if waiter in waiters:
                waiters.remove(waiter)
            if not waiters:
                self._unlock_waiters.pop(compartment, None)
            waiter.cancel()

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


# --- rooms -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApplianceState:
    """What a room board reports about one appliance.

    ``is_on`` is True while a switch, light, climate or fan is on and while a cover
    is open (or opening); ``value`` is the brightness (0..255), target temperature,
    cover position (0..100) or fan percentage when the board reports one.
    """

    is_on: bool | None
    value: float | None = None


@dataclass(slots=True)
class ApplianceHardware:
    """The last known hardware state of one appliance."""

    kind: ApplianceKind
    is_on: bool | None = None
    value: float | None = None


@dataclass(slots=True)
class RoomHardware:
    """The last known hardware state of a room board."""

    available: bool = False
    appliances: dict[str, ApplianceHardware] = field(default_factory=dict)


class RoomDriver(ABC):
    """Drives one room board: appliances (keyed by appliance id) and wall buttons."""

    def __init__(
        self, appliances: Mapping[str, ApplianceKind], listener: BoardListener
    ) -> None:
        """Create the driver for a board with the given appliances."""
        self.state = RoomHardware(
            appliances={
                appliance_id: ApplianceHardware(kind=kind)
                for appliance_id, kind in appliances.items()
            }
        )
        self._listener = listener

    def _report(self, report: BoardReport) -> None:
        """Record a report in :attr:`state` and pass it on."""
        if report.signal is BoardSignal.AVAILABILITY:
            self.state.available = bool(report.value)
        elif (
            report.signal is BoardSignal.APPLIANCE
            and report.appliance is not None
            and isinstance(report.value, ApplianceState)
            and (hw := self.state.appliances.get(report.appliance))
        ):
            hw.is_on = report.value.is_on
            if report.value.value is not None:
                hw.value = report.value.value
        self._listener(report)

    def _report_appliance(self, appliance_id: str, state: ApplianceState) -> None:
        """Report an appliance's state."""
        self._report(BoardReport(BoardSignal.APPLIANCE, state, appliance=appliance_id))

    def _report_button(self, button: str) -> None:
        """Report a wall-button press."""
        self._report(BoardReport(BoardSignal.BUTTON, button))

    def _check(self, appliance_id: str) -> ApplianceHardware:
        """Return the appliance, or raise when it is unknown or the board offline."""
        if (hw := self.state.appliances.get(appliance_id)) is None:
            raise DriverError("unknown_appliance", appliance=appliance_id)
        if not self.state.available:
            raise DriverError("appliance_board_offline", appliance=appliance_id)
        return hw

    @abstractmethod
    async def async_start(self) -> None:
        """Connect to the board and report its initial state."""

    @abstractmethod
    async def async_stop(self) -> None:
        """Disconnect; no report is made afterwards."""

    @abstractmethod
    async def async_set_appliance(
        self, appliance_id: str, *, on: bool, value: float | None = None
    ) -> None:
        """Switch (or open/close) an appliance, optionally to a value.

        ``on`` turns a switch, light, climate or fan on and opens a cover; ``value``
        goes with ``on`` only: brightness 0..255, target temperature, cover position
        0..100 or fan percentage. Raise :class:`DriverError` when the board cannot.
        """
