"""Cabinet boards: one driver per cabinet, board reports, availability repairs.

A driver (drivers/) alone speaks to its board. This module creates the driver of each
configured cabinet, forwards what boards report (keypad codes, doors, unlock outcomes,
alarms) to whoever handles them (cabinet_glue.py), writes the entities of the part a
report is about, logs a board going offline once, and raises a repair issue when it
stays offline, and one per compartment whose lock reports a fault (jammed, unknown)
until that lock reports locked again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, Context, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later

from .const import (
    CONF_BOARD_DEVICE,
    CONF_COMPARTMENTS,
    CONF_CONFIRM_TIMEOUT,
    CONF_DOORS,
    CONF_DRIVER,
    CONF_LOCKS,
    CONF_OFFLINE_REPAIR_AFTER,
    CONF_PULSE,
    CONF_TOPIC_PREFIX,
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_OFFLINE_REPAIR_AFTER,
    DEFAULT_PULSE,
    DOMAIN,
    EVENT_AUDIT,
    ISSUE_BOARD_OFFLINE,
    ISSUE_LOCK_FAULT,
    LOGGER,
    DriverType,
    SubentryType,
)
from .coordinator import SiteCoordinator, compartment_key
from .drivers.base import BoardReport, BoardSignal, CabinetDriver, DriverError
from .drivers.entities import EntitiesCabinetDriver
from .drivers.mqtt import MqttCabinetDriver
from .drivers.virtual import VirtualCabinetDriver

type ReportHandler = Callable[[str, BoardReport], None]


@dataclass(slots=True)
class CabinetRuntime:
    """A configured cabinet and the driver of its board."""

    subentry: ConfigSubentry
    driver: CabinetDriver

    @property
    def cabinet_id(self) -> str:
        """Return the cabinet's stable id (its subentry id)."""
        return self.subentry.subentry_id

    @property
    def name(self) -> str:
        """Return the cabinet's name."""
        return self.subentry.title


class CabinetBoards:
    """The cabinet boards of one site (see the module docstring)."""

    def __init__(self, coordinator: SiteCoordinator) -> None:
        """Create the boards of ``coordinator``'s site (no driver yet)."""
        self._coordinator = coordinator
        self.hass = coordinator.hass
        self.cabinets: dict[str, CabinetRuntime] = {}
        self._handlers: list[ReportHandler] = []
        self._board_online: dict[str, bool] = {}
        self._repair_timers: dict[str, CALLBACK_TYPE] = {}
        self._faults: set[tuple[str, int]] = set()
        self._stopped = False

    @callback
    def async_add_report_handler(self, handler: ReportHandler) -> None:
        """Hand every board report to ``handler(cabinet_id, report)``."""
        self._handlers.append(handler)

    def load(self) -> None:
        """Create the driver of every configured cabinet."""
        for sub in self._coordinator.subentries(SubentryType.CABINET):
            self.cabinets[sub.subentry_id] = CabinetRuntime(
                sub, self._create_cabinet_driver(sub)
            )

    async def async_start(self) -> None:
        """Start every board; a board still offline gets its repair timer.

        A board's first report settles each of its compartments: the event loop
        runs between boards.
        """
        for cabinet_id, cabinet in self.cabinets.items():
            await cabinet.driver.async_start()
            if not cabinet.driver.state.available:
                self._schedule_repair(cabinet_id)
            await asyncio.sleep(0)

    async def async_stop(self) -> None:
        """Stop every board and the repair timers."""
        self._stopped = True
        for cancel in self._repair_timers.values():
            cancel()
        self._repair_timers.clear()
        for cabinet_id in self.cabinets:
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(cabinet_id))
        for cabinet_id, number in self._faults:
            ir.async_delete_issue(
                self.hass, DOMAIN, self._fault_issue_id(cabinet_id, number)
            )
        self._faults.clear()
        self._handlers.clear()
        for cabinet in self.cabinets.values():
            await cabinet.driver.async_stop()

    def _create_cabinet_driver(self, sub: ConfigSubentry) -> CabinetDriver:
        count = int(sub.data[CONF_COMPARTMENTS])
        cabinet_id = sub.subentry_id

        @callback
        def _on_report(report: BoardReport) -> None:
            self._handle_cabinet_report(cabinet_id, report)

        driver = sub.data.get(CONF_DRIVER, DriverType.VIRTUAL)
        LOGGER.debug("Cabinet %s uses the %s driver", sub.title, driver)
        confirm_timeout = float(
            sub.data.get(CONF_CONFIRM_TIMEOUT, DEFAULT_CONFIRM_TIMEOUT)
        )
        if driver == DriverType.ENTITIES:
            return EntitiesCabinetDriver(
                self.hass,
                count,
                _on_report,
                locks=list(sub.data[CONF_LOCKS]),
                doors=list(sub.data.get(CONF_DOORS) or []),
                board_device_id=sub.data.get(CONF_BOARD_DEVICE),
                pulse=float(sub.data.get(CONF_PULSE, DEFAULT_PULSE)),
                confirm_timeout=confirm_timeout,
            )
        if driver == DriverType.MQTT:
            return MqttCabinetDriver(
                self.hass,
                count,
                _on_report,
                prefix=str(sub.data[CONF_TOPIC_PREFIX]),
                confirm_timeout=confirm_timeout,
            )
        return VirtualCabinetDriver(self.hass, count, _on_report)

    @callback
    def _handle_cabinet_report(self, cabinet_id: str, report: BoardReport) -> None:
        for handler in list(self._handlers):
            handler(cabinet_id, report)
        parts = [cabinet_id]
        if report.compartment is not None:
            parts.append(compartment_key(cabinet_id, report.compartment))
            if report.signal is BoardSignal.FAULT:
                self._lock_fault(cabinet_id, report.compartment, str(report.value))
            elif report.signal is BoardSignal.LOCK and report.value is True:
                self._lock_healthy(cabinet_id, report.compartment)
        elif report.signal is BoardSignal.AVAILABILITY:
            self._board_availability(cabinet_id, bool(report.value))
            if cabinet := self.cabinets.get(cabinet_id):
                parts += [
                    compartment_key(cabinet_id, number)
                    for number in cabinet.driver.state.compartments
                ]
        self._coordinator.async_notify(*parts)

    @property
    def offline_repair_after(self) -> int:
        """Return the minutes a board may be offline before a repair issue appears."""
        return int(
            self._coordinator.entry.options.get(
                CONF_OFFLINE_REPAIR_AFTER, DEFAULT_OFFLINE_REPAIR_AFTER
            )
        )

    def _issue_id(self, cabinet_id: str) -> str:
        return f"{ISSUE_BOARD_OFFLINE}_{self._coordinator.entry.entry_id}_{cabinet_id}"

    def _fault_issue_id(self, cabinet_id: str, number: int) -> str:
        entry_id = self._coordinator.entry.entry_id
        return f"{ISSUE_LOCK_FAULT}_{entry_id}_{cabinet_id}_{number}"

    @callback
    def _lock_fault(self, cabinet_id: str, number: int, state: str) -> None:
        """A lock reports a fault: a repair issue for that compartment."""
        if self._stopped:
            return
        cabinet = self.cabinets.get(cabinet_id)
        name = cabinet.name if cabinet else cabinet_id
        if (cabinet_id, number) not in self._faults:
            LOGGER.warning("Cabinet %s: lock %s reports %s", name, number, state)
        self._faults.add((cabinet_id, number))
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._fault_issue_id(cabinet_id, number),
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=ISSUE_LOCK_FAULT,
            translation_placeholders={
                "cabinet": name,
                "compartment": str(number),
                "state": state,
                "site": self._coordinator.name,
            },
        )

    @callback
    def _lock_healthy(self, cabinet_id: str, number: int) -> None:
        """The lock reports locked again: its fault issue goes."""
        if (cabinet_id, number) in self._faults:
            self._faults.discard((cabinet_id, number))
            ir.async_delete_issue(
                self.hass, DOMAIN, self._fault_issue_id(cabinet_id, number)
            )

    @callback
    def _board_availability(self, cabinet_id: str, online: bool) -> None:
        """Log a change once, and keep the board's repair issue in step with it."""
        previous = self._board_online.get(cabinet_id)
        if previous is online or self._stopped:
            return
        self._board_online[cabinet_id] = online
        cabinet = self.cabinets.get(cabinet_id)
        name = cabinet.name if cabinet else cabinet_id
        if online:
            if cancel := self._repair_timers.pop(cabinet_id, None):
                cancel()
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(cabinet_id))
            if previous is None:
                LOGGER.debug("Cabinet %s is online", name)
            else:
                LOGGER.info("Cabinet %s is back online", name)
            return
        LOGGER.warning("Cabinet %s is offline", name)
        self._schedule_repair(cabinet_id)

    @callback
    def _schedule_repair(self, cabinet_id: str) -> None:
        """Raise the board's repair issue unless it comes online in time."""
        if cabinet_id in self._repair_timers:
            return
        cabinet = self.cabinets.get(cabinet_id)
        name = cabinet.name if cabinet else cabinet_id
        minutes = self.offline_repair_after

        @callback
        def _raise_issue(_now: object) -> None:
            self._repair_timers.pop(cabinet_id, None)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                self._issue_id(cabinet_id),
                is_fixable=False,
                is_persistent=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key=ISSUE_BOARD_OFFLINE,
                translation_placeholders={
                    "cabinet": name,
                    "site": self._coordinator.name,
                    "minutes": str(minutes),
                },
            )

        self._repair_timers[cabinet_id] = async_call_later(
            self.hass, minutes * 60, _raise_issue
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
        try:
            if locked:
                await cabinet.driver.async_lock(compartment)
            else:
                await cabinet.driver.async_unlock(compartment)
        except DriverError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=err.translation_key,
                translation_placeholders={
                    "cabinet": cabinet.name,
                    "compartment": str(compartment),
                    **err.placeholders,
                },
            ) from err
        self.hass.bus.async_fire(
            EVENT_AUDIT,
            {
                "site": self._coordinator.name,
                "cabinet": cabinet.name,
                "compartment": compartment,
                "action": "maintenance_lock" if locked else "maintenance_unlock",
            },
            context=context,
        )

    def as_diagnostics(self) -> dict[str, Any]:
        """Return each board's state for diagnostics."""
        return {
            cabinet_id: {
                "name": cabinet.name,
                "available": cabinet.driver.state.available,
                "compartments": len(cabinet.driver.state.compartments),
            }
            for cabinet_id, cabinet in self.cabinets.items()
        }
