"""A virtual room board: appliance relays and wall buttons inside Home Assistant.

It behaves like a room relay board that confirms every command at once: setting an
appliance reports its new state back through the same :class:`BoardReport` callback
a hardware driver uses, and :meth:`VirtualRoomDriver.press_button` delivers a wall
button press. Self-contained on purpose; it will meet the shared ``RoomDriver``
interface when the driver branches are reconciled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from homeassistant.core import callback

from ..core.appliances import ApplianceCommand
from .base import BoardListener, BoardReport, BoardSignal, DriverError

WALL_BUTTONS = ("towels", "cleaning", "do_not_disturb", "call_staff")
"""The buttons of a room board."""


@dataclass(slots=True)
class ApplianceHardware:
    """The last state a relay or dimmer reported: on (open) and its value."""

    is_on: bool = False
    value: float | None = None


@dataclass(slots=True)
class RoomHardware:
    """The last known state of a room board."""

    available: bool = False
    appliances: dict[str, ApplianceHardware] = field(default_factory=dict)


class VirtualRoomDriver:
    """A room board simulated in process: appliances obey at once, buttons on demand."""

    def __init__(self, appliance_ids: Iterable[str], listener: BoardListener) -> None:
        """Create a board with one output per appliance id."""
        self.state = RoomHardware(
            appliances={
                appliance_id: ApplianceHardware() for appliance_id in appliance_ids
            }
        )
        self._listener = listener

    def _report(self, report: BoardReport) -> None:
        if report.signal is BoardSignal.AVAILABILITY:
            self.state.available = bool(report.value)
        self._listener(report)

    def _report_appliance(self, appliance_id: str) -> None:
        hardware = self.state.appliances[appliance_id]
        self._report(
            BoardReport(
                BoardSignal.APPLIANCE,
                {"is_on": hardware.is_on, "value": hardware.value},
                appliance=appliance_id,
            )
        )

    async def async_start(self) -> None:
        """Come online and report every output."""
        self._report(BoardReport(BoardSignal.AVAILABILITY, True))
        for appliance_id in self.state.appliances:
            self._report_appliance(appliance_id)

    async def async_stop(self) -> None:
        """Go offline silently (nothing is reported after stop)."""
        self.state.available = False

    async def async_apply(self, command: ApplianceCommand) -> None:
        """Switch an output and report its new state."""
        if not self.state.available:
            raise DriverError("board_offline")
        hardware = self.state.appliances.get(command.appliance_id)
        if hardware is None:
            raise DriverError("unknown_appliance", appliance=command.appliance_id)
        hardware.is_on = command.turns_on
        if command.value is not None:
            hardware.value = command.value
        self._report_appliance(command.appliance_id)

    @callback
    def press_button(self, button: str) -> None:
        """Press a wall button (``towels``, ``cleaning``, ...)."""
        self._report(BoardReport(BoardSignal.BUTTON, button))

    @callback
    def set_available(self, available: bool) -> None:
        """Take the board offline or bring it back (fault simulation)."""
        self._report(BoardReport(BoardSignal.AVAILABILITY, available))
