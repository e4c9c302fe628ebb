"""A loaded site: its coordinator and the parts that follow it, wired together.

This is the composition root of one site (``entry.runtime_data``):

* :class:`~.coordinator.SiteCoordinator` (the base class) runs, commits and
  publishes operations; it imports none of the modules below.
* :class:`~.boards.CabinetBoards` owns the cabinet drivers and their reports.
* :class:`~.cabinet_glue.CabinetGlue` runs code entries and door hops and fires the
  cabinet events; :class:`~.rooms.RoomsRuntime` the room boards, stays and answers;
  :class:`~.notifications.WorkerNotifier` the phones; :mod:`.effects` the order bus
  events and the escalation repair. Each subscribes itself to the coordinator.

Nothing imports this module but the platforms, services and ``__init__``.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant

from .boards import CabinetBoards, CabinetRuntime
from .booking_calendars import BookingCalendars
from .cabinet_glue import CabinetGlue
from .coordinator import SITE_KEY, SiteCoordinator, compartment_key
from .effects import EscalationRepair, OrderBusEvents
from .notifications import WorkerNotifier
from .rooms import RoomsRuntime

__all__ = [
    "SITE_KEY",
    "CabinetRuntime",
    "DoorServiceConfigEntry",
    "SiteRuntime",
    "compartment_key",
]

type DoorServiceConfigEntry = ConfigEntry[SiteRuntime]


class SiteRuntime(SiteCoordinator):
    """A site's coordinator with its boards, rooms, phones and effects."""

    def __init__(self, hass: HomeAssistant, entry: DoorServiceConfigEntry) -> None:
        """Create the parts of ``entry``'s site; nothing is loaded yet."""
        super().__init__(hass, entry)
        # Subscribers are called in the order they subscribe: bus events, phones,
        # cabinets, rooms, then (from async_start) the escalation repair.
        OrderBusEvents(self)
        self.boards = CabinetBoards(self)
        self.notifier = WorkerNotifier(self)
        self.cabinet_glue = CabinetGlue(self, self.boards)
        self.rooms = RoomsRuntime(self)
        self.calendars = BookingCalendars(self)

    @property
    def cabinets(self) -> dict[str, CabinetRuntime]:
        """Return the configured cabinets and their drivers."""
        return self.boards.cabinets

    async def async_load(self) -> None:
        """Read the stored state, then create the board drivers."""
        await super().async_load()
        self.boards.load()
        await self.rooms.async_load()

    async def async_start(self) -> None:
        """Start the boards and the subscribers, then the coordinator's timers."""
        await self.boards.async_start()
        self.notifier.async_start()
        await self.cabinet_glue.async_start()
        await self.rooms.async_start()
        EscalationRepair(self)
        await super().async_start()
        self.calendars.async_start()

    async def async_stop(self) -> None:
        """Stop the subscribers and boards, then the coordinator."""
        if self.stopped:
            return
        self.calendars.async_stop()
        self.notifier.async_stop()
        self.cabinet_glue.async_stop()
        await self.boards.async_stop()
        await self.rooms.async_stop()
        await super().async_stop()

    async def async_set_in_service(
        self,
        cabinet: CabinetRuntime,
        number: int,
        in_service: bool,
        context: Context | None,
    ) -> None:
        """Put a compartment in or out of service (refused while it holds items)."""
        await self.async_run(
            lambda now: (
                None,
                self.site.cabinets[cabinet.cabinet_id].set_out_of_service(
                    number, not in_service
                ),
            ),
            context,
        )

    async def async_maintenance_lock(
        self,
        cabinet: CabinetRuntime,
        compartment: int,
        *,
        locked: bool,
        context: Context | None,
    ) -> None:
        """Lock or unlock a compartment directly: an audited maintenance action."""
        await self.boards.async_maintenance_lock(
            cabinet, compartment, locked=locked, context=context
        )

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the state for diagnostics (redacted by the caller)."""
        return {
            "site": self.site.to_dict(),
            "cabinets": self.boards.as_diagnostics(),
        }
