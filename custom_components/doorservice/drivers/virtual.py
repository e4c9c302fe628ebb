"""The virtual driver: in-process boards for the demo, tests and a fresh install.

A virtual cabinet behaves like a real one with a patient person in front of it: an
unlocked compartment's door opens shortly after the unlock, closes again after a
moment, and the lock falls back after its pulse. A virtual room board switches its
appliances at once, and its wall buttons can be pressed from code. Every step is
reported through the same :class:`BoardReport` callbacks a hardware driver uses.

A virtual cabinet has a 4x4 keypad and a display like the real panel
(``esphome/packages/cabinet-hardware.yaml``): digits and ``#`` enter a code, ``*``
clears, ``A`` shows the booking QR for :data:`BOOKING_QR_SHOWN`, then the idle screen
returns (:attr:`VirtualCabinetDriver.display`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from ..core.appliances import ApplianceKind
from .base import (
    ApplianceState,
    BoardListener,
    BoardReport,
    BoardSignal,
    CabinetDriver,
    DriverError,
    RoomDriver,
)

UNLOCK_PULSE = timedelta(seconds=1)
DOOR_OPENS_AFTER = timedelta(milliseconds=200)
DOOR_CLOSES_AFTER = timedelta(seconds=2)
BOOKING_QR_SHOWN = timedelta(seconds=60)
MAX_CODE_KEYS = 8
DISPLAY_IDLE = "idle"
DISPLAY_BOOKING_QR = "booking_qr"


class VirtualCabinetDriver(CabinetDriver):
    """A cabinet board simulated inside Home Assistant."""

    def __init__(
        self,
        hass: HomeAssistant,
        compartments: int,
        listener: BoardListener,
        *,
        simulate_person: bool = True,
    ) -> None:
        """Create a virtual board with door sensors on every compartment."""
        super().__init__(compartments, listener)
        self._hass = hass
        self._simulate_person = simulate_person
        self._timers: dict[tuple[int, str], CALLBACK_TYPE] = {}
        self._keys = ""
        self._qr_until: datetime | None = None

    async def async_start(self) -> None:
        """Come online with every compartment locked and closed."""
        for number, hw in self.state.compartments.items():
            hw.locked = True
            hw.door_open = False
            self._report(BoardReport(BoardSignal.LOCK, True, compartment=number))
            self._report(BoardReport(BoardSignal.DOOR, False, compartment=number))
        self._report(BoardReport(BoardSignal.AVAILABILITY, True))

    async def async_stop(self) -> None:
        """Cancel every pending simulation step."""
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()
        self._cancel_door_watches()
        self.state.available = False

    def _later(self, number: int, what: str, delay: timedelta, action: str) -> None:
        key = (number, what)
        if cancel := self._timers.pop(key, None):
            cancel()

        @callback
        def _fire(_now: object) -> None:
            self._timers.pop(key, None)
            if action == "lock":
                self._set_lock(number, locked=True)
            else:
                self.set_door(number, open_=action == "open")

        self._timers[key] = async_call_later(self._hass, delay, _fire)

    def _set_lock(self, number: int, *, locked: bool) -> None:
        self._report(BoardReport(BoardSignal.LOCK, locked, compartment=number))

    def _check(self, compartment: int) -> None:
        if not self.state.available:
            raise DriverError("board_offline")
        if compartment not in self.state.compartments:
            raise DriverError("unknown_compartment", compartment=compartment)

    async def async_unlock(self, compartment: int) -> None:
        """Unlock for a pulse; a simulated person opens and closes the door."""
        self._check(compartment)
        self._set_lock(compartment, locked=False)
        self._later(compartment, "lock", UNLOCK_PULSE, "lock")
        # Like a real board: report the door opening, or relock when it does not.
        self._watch_door(compartment)
        if self._simulate_person:
            self._later(compartment, "door", DOOR_OPENS_AFTER, "open")

    async def async_lock(self, compartment: int) -> None:
        """Lock at once."""
        self._check(compartment)
        if cancel := self._timers.pop((compartment, "lock"), None):
            cancel()
        self._set_lock(compartment, locked=True)

    async def async_show_qr(self, payload: str) -> None:
        """Keep the payload as the virtual display's content."""
        self.state.qr_payload = payload

    @callback
    def set_door(self, compartment: int, *, open_: bool) -> None:
        """Move a door as a person would (also used by the simulation)."""
        self._report(BoardReport(BoardSignal.DOOR, open_, compartment=compartment))
        if open_ and self._simulate_person:
            self._later(compartment, "door", DOOR_CLOSES_AFTER, "close")

    @callback
    def enter_code(self, code: str) -> None:
        """Type a code on the virtual keypad."""
        self._report(BoardReport(BoardSignal.CODE_ENTERED, code))

    @callback
    def press_keys(self, keys: str) -> None:
        """Press keys on the panel: digits, ``#`` (enter), ``*`` (clear), ``A``."""
        for key in keys:
            if key.isdigit():
                self._keys = (self._keys + key)[-MAX_CODE_KEYS:]
            elif key == "#":
                code, self._keys = self._keys, ""
                if code:
                    self.enter_code(code)
            elif key == "*":
                self._keys = ""
            elif key == "A":
                self.show_booking_qr()

    @callback
    def show_booking_qr(self) -> None:
        """Show the booking QR (when the board has one) for a minute."""
        if not self.state.qr_payload:
            return
        self._qr_until = dt_util.utcnow() + BOOKING_QR_SHOWN
        key = (0, "display")
        if cancel := self._timers.pop(key, None):
            cancel()

        @callback
        def _idle(_now: object) -> None:
            self._timers.pop(key, None)
            self._qr_until = None

        self._timers[key] = async_call_later(self._hass, BOOKING_QR_SHOWN, _idle)

    @property
    def display(self) -> str:
        """What the display shows: the idle screen or the booking QR."""
        if self._qr_until is not None and dt_util.utcnow() < self._qr_until:
            return DISPLAY_BOOKING_QR
        return DISPLAY_IDLE

    @callback
    def set_available(self, available: bool) -> None:
        """Take the virtual board offline or bring it back (fault simulation)."""
        self._report(BoardReport(BoardSignal.AVAILABILITY, available))


class VirtualRoomDriver(RoomDriver):
    """A room relay board simulated inside Home Assistant."""

    def __init__(
        self, appliances: Mapping[str, ApplianceKind], listener: BoardListener
    ) -> None:
        """Create a virtual board with the given appliances, all off."""
        super().__init__(appliances, listener)

    async def async_start(self) -> None:
        """Come online and report every appliance as it is (off unless seeded).

        A virtual board has no memory of its own; the glue seeds :attr:`state` with
        the last known states before the start, so a restart leaves the room as it
        was.
        """
        for appliance_id, hw in self.state.appliances.items():
            self._report_appliance(
                appliance_id, ApplianceState(is_on=bool(hw.is_on), value=hw.value)
            )
        self._report(BoardReport(BoardSignal.AVAILABILITY, True))

    async def async_stop(self) -> None:
        """Go offline silently."""
        self.state.available = False

    async def async_set_appliance(
        self, appliance_id: str, *, on: bool, value: float | None = None
    ) -> None:
        """Switch the appliance at once and report its new state."""
        self._check(appliance_id)
        self._report_appliance(appliance_id, ApplianceState(is_on=on, value=value))

    @callback
    def press_button(self, button: str) -> None:
        """Press a wall button."""
        self._report_button(button)

    @callback
    def set_available(self, available: bool) -> None:
        """Take the virtual board offline or bring it back (fault simulation)."""
        self._report(BoardReport(BoardSignal.AVAILABILITY, available))
