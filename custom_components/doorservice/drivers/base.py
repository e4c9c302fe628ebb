"""The driver interface between the integration and its boards.

A cabinet board unlocks compartments (relocking after a pulse), reports lock and door
states, shows a QR payload and delivers keypad entries. A room board switches
appliances and delivers wall-button presses. Both report availability. Drivers push
what they observe through :class:`BoardListener` callbacks; they hold no business rule.

Unlocks are honest: an unlock is confirmed only by the lock reporting UNLOCKED/OPEN or
the door opening (never by a queued UNLOCKING/OPENING); a lock reporting JAMMED or an
unknown state is a fault (:attr:`BoardSignal.FAULT`, and ``lock_fault`` for an unlock).
Pulses are timed on the board. After a confirmed unlock of a compartment with a door
sensor the driver watches the door: it reports :attr:`BoardSignal.DOOR_OPENED` when the
door opens within ``door_open_timeout`` seconds, else :attr:`BoardSignal.UNLOCK_EXPIRED`
and locks the compartment again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..const import LOGGER
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
    FAULT = "fault"
    """A compartment's lock reports a fault (``value``: the state, e.g. ``jammed``)."""
    DOOR_OPENED = "door_opened"
    """The door opened after an unlock this driver confirmed (``value``: seconds)."""
    UNLOCK_EXPIRED = "unlock_expired"
    """A confirmed unlock whose door never opened in time; the driver relocked it."""
    FORCED_OPEN = "forced_open"
    """The board saw the door open without a recent unlock."""
    TAMPER = "tamper"
    """The board's tamper input tripped (``value``: True)."""


class KeypadFeedback(StrEnum):
    """What the board's panel tells the person who entered a code."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LOCKED_OUT = "locked_out"
    OUT_OF_SERVICE = "out_of_service"


DEFAULT_DOOR_OPEN_TIMEOUT = 30.0
"""Seconds a confirmed unlock waits for its door to open before relocking."""


@dataclass(frozen=True, slots=True)
class BoardReport:
    """One observation from a board.

    ``compartment`` is set for lock, door, fault, door-opened, unlock-expired and
    forced-open reports, ``appliance`` for appliance reports; ``value`` carries the
    observed value (bool for availability, locks (True = locked) and doors (True =
    open, None = unknown), the entered code or button name, the fault's state, the
    seconds from unlock to door opened, or an :class:`ApplianceState`).
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
    fault: str | None = None
    """The lock's fault state (``jammed``, ``unknown``), None while healthy."""


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

    door_open_timeout: float | None = DEFAULT_DOOR_OPEN_TIMEOUT
    """Seconds a confirmed unlock waits for its door (None: no door watch)."""

    def __init__(self, compartments: int, listener: BoardListener) -> None:
        """Create the driver for a board with ``compartments`` compartments."""
        self.state = CabinetHardware(
            compartments={n: CompartmentHardware() for n in range(1, compartments + 1)}
        )
        self._listener = listener
        self._unlock_waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._door_watches: dict[int, tuple[float, asyncio.TimerHandle]] = {}
        self._relocks: set[asyncio.Task[None]] = set()

    def _report(self, report: BoardReport) -> None:
        """Record a report in :attr:`state` and pass it on."""
        if report.signal is BoardSignal.AVAILABILITY:
            self.state.available = bool(report.value)
        elif report.compartment is not None and (
            hw := self.state.compartments.get(report.compartment)
        ):
            if report.signal is BoardSignal.LOCK:
                hw.locked = bool(report.value)
                hw.fault = None
            elif report.signal is BoardSignal.DOOR:
                hw.door_open = None if report.value is None else bool(report.value)
            elif report.signal is BoardSignal.FAULT:
                hw.locked = True
                hw.fault = str(report.value)
                for waiter in self._unlock_waiters.pop(report.compartment, ()):
                    if not waiter.done():
                        waiter.set_exception(
                            DriverError("lock_fault", state=report.value)
                        )
            if (report.signal is BoardSignal.LOCK and report.value is False) or (
                report.signal is BoardSignal.DOOR and report.value is True
            ):
                for waiter in self._unlock_waiters.pop(report.compartment, ()):
                    if not waiter.done():
                        waiter.set_result(None)
            if report.signal is BoardSignal.DOOR and report.value is True:
                self._door_opened(report.compartment)
        self._listener(report)

    def _watch_door(self, compartment: int) -> None:
        """After a confirmed unlock: wait for the door, or relock and say so."""
        if (
            self.door_open_timeout is None
            or not self.state.has_door_sensors
            or compartment not in self.state.compartments
        ):
            return
        loop = asyncio.get_running_loop()
        if (old := self._door_watches.pop(compartment, None)) is not None:
            old[1].cancel()
        if self.state.compartments[compartment].door_open:
            # Already open (ajar, or the unlock was confirmed by the door itself).
            self._listener(BoardReport(BoardSignal.DOOR_OPENED, 0.0, compartment))
            return
        self._door_watches[compartment] = (
            loop.time(),
            loop.call_later(self.door_open_timeout, self._door_expired, compartment),
        )

    def _door_opened(self, compartment: int) -> None:
        if (watch := self._door_watches.pop(compartment, None)) is None:
            return
        started, handle = watch
        handle.cancel()
        seconds = round(asyncio.get_running_loop().time() - started, 3)
        self._listener(BoardReport(BoardSignal.DOOR_OPENED, seconds, compartment))

    def _door_expired(self, compartment: int) -> None:
        self._door_watches.pop(compartment, None)
        self._listener(BoardReport(BoardSignal.UNLOCK_EXPIRED, None, compartment))
        task = asyncio.get_running_loop().create_task(self._async_relock(compartment))
        self._relocks.add(task)
        task.add_done_callback(self._relocks.discard)

    async def _async_relock(self, compartment: int) -> None:
        try:
            await self.async_lock(compartment)
        except DriverError as err:
            LOGGER.warning(
                "Could not relock compartment %s after its door stayed shut: %s",
                compartment,
                err.translation_key,
            )

    def _cancel_door_watches(self) -> None:
        """Forget every door watch and pending relock (on stop)."""
        for _started, handle in self._door_watches.values():
            handle.cancel()
        self._door_watches.clear()
        for task in self._relocks:
            task.cancel()
        self._relocks.clear()

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
        Raise ``lock_fault`` when the lock is (or turns) jammed or unknown, and
        ``unlock_not_confirmed`` when neither happens within ``confirm_timeout``
        seconds. A confirmed unlock starts the door watch (:meth:`_watch_door`).
        """
        hw = self._check_compartment(compartment)
        if hw.fault is not None:
            raise DriverError("lock_fault", state=hw.fault)
        already_unlocked = not hw.locked
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._unlock_waiters.setdefault(compartment, []).append(waiter)
        try:
            await send()
            if not already_unlocked:
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
            if waiter.done() and not waiter.cancelled():
                waiter.exception()  # retrieved: raised above when it mattered
            waiter.cancel()
        self._watch_door(compartment)

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

    async def async_keypad_feedback(self, result: KeypadFeedback) -> None:
        """Tell the board's panel how a keypad entry went.

        Boards without a panel ignore it (this default).
        """
        LOGGER.debug("Board without a panel: keypad feedback %s not shown", result)


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
