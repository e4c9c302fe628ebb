"""The running state of one site: its domain model, store, boards and listeners."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import CONF_NAME
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import async_call_later

from .const import (
    CONF_BOARD_DEVICE,
    CONF_COMPARTMENTS,
    CONF_CONFIRM_TIMEOUT,
    CONF_CURRENCY,
    CONF_DOORS,
    CONF_DRIVER,
    CONF_LOCKS,
    CONF_OFFLINE_REPAIR_AFTER,
    CONF_PULSE,
    CONF_SITE_TYPE,
    CONF_TOPIC_PREFIX,
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_OFFLINE_REPAIR_AFTER,
    DEFAULT_PULSE,
    DOMAIN,
    EVENT_AUDIT,
    ISSUE_BOARD_OFFLINE,
    LOGGER,
    DriverType,
    SubentryType,
)
from .core.site import Site
from .drivers.base import BoardReport, BoardSignal, CabinetDriver, DriverError
from .drivers.entities import EntitiesCabinetDriver
from .drivers.mqtt import MqttCabinetDriver
from .drivers.virtual import VirtualCabinetDriver
from .storage import SAVE_DELAY, SiteStore

type DoorServiceConfigEntry = ConfigEntry[SiteRuntime]

SITE_KEY = "site"


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


class SiteRuntime:
    """Everything a loaded site needs while Home Assistant runs."""

    def __init__(self, hass: HomeAssistant, entry: DoorServiceConfigEntry) -> None:
        """Create the runtime for ``entry``; nothing is loaded yet."""
        self.hass = hass
        self.entry = entry
        self.store = SiteStore(hass, entry.entry_id)
        self.site = Site()
        self.cabinets: dict[str, CabinetRuntime] = {}
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._stopped = False
        self.site_device_id = ""
        self.entity_unique_ids: set[str] = set()
        self._board_online: dict[str, bool] = {}
        self._repair_timers: dict[str, CALLBACK_TYPE] = {}

    # --- configuration -------------------------------------------------------------

    @property
    def name(self) -> str:
        """Return the site's name."""
        return str(self.entry.data[CONF_NAME])

    @property
    def site_type(self) -> str:
        """Return ``home`` or ``hotel``."""
        return str(self.entry.data[CONF_SITE_TYPE])

    @property
    def currency(self) -> str:
        """Return the site's currency (ISO 4217)."""
        return str(self.entry.data[CONF_CURRENCY])

    def subentries(self, kind: SubentryType) -> list[ConfigSubentry]:
        """Return the configured parts of one kind, in configuration order."""
        return [
            sub for sub in self.entry.subentries.values() if sub.subentry_type == kind
        ]

    # --- life cycle ----------------------------------------------------------------

    async def async_load(self) -> None:
        """Read the stored state and reconcile it with the configuration."""
        site_device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=self.entry.entry_id,
            identifiers={(DOMAIN, self.entry.entry_id)},
            name=self.name,
            manufacturer="Door Service",
            model=f"{self.site_type.capitalize()} site",
            entry_type=dr.DeviceEntryType.SERVICE,
        )
        self.site_device_id = site_device.id
        stored = await self.store.async_load()
        self.site = Site.from_dict(stored) if stored else Site()
        self.site.reconcile_workers(
            [sub.subentry_id for sub in self.subentries(SubentryType.WORKER)]
        )
        for sub in self.subentries(SubentryType.CABINET):
            self.cabinets[sub.subentry_id] = CabinetRuntime(
                sub, self._create_cabinet_driver(sub)
            )

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

    async def async_start(self) -> None:
        """Start every board; one still offline gets its repair timer running."""
        for cabinet_id, cabinet in self.cabinets.items():
            await cabinet.driver.async_start()
            if not cabinet.driver.state.available:
                self._schedule_repair(cabinet_id)

    async def async_stop(self) -> None:
        """Stop boards and timers and write the state at once."""
        if self._stopped:
            return
        self._stopped = True
        for cabinet in self.cabinets.values():
            await cabinet.driver.async_stop()
        for cancel in self._repair_timers.values():
            cancel()
        self._repair_timers.clear()
        for cabinet_id in self.cabinets:
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(cabinet_id))
        self._listeners.clear()
        await self.store.async_save(self.site.to_dict())

    @callback
    def async_remove_stale_entities(self) -> None:
        """Remove registry entries of entities this configuration no longer has.

        A cabinet that shrank loses its last compartments' entities; removed
        subentries are cleaned up by Home Assistant itself.
        """
        registry = er.async_get(self.hass)
        for entity in er.async_entries_for_config_entry(registry, self.entry.entry_id):
            if entity.unique_id not in self.entity_unique_ids:
                LOGGER.debug("Removing stale entity %s", entity.entity_id)
                registry.async_remove(entity.entity_id)

    @staticmethod
    async def async_remove_store(
        hass: HomeAssistant, entry: DoorServiceConfigEntry
    ) -> None:
        """Delete the stored state of a site that was removed."""
        await SiteStore(hass, entry.entry_id).async_remove()

    # --- persistence and listeners -----------------------------------------------

    @callback
    def async_schedule_save(self) -> None:
        """Write the state soon; bursts of changes are written once."""
        self.store.async_delay_save(self.site.to_dict, SAVE_DELAY)

    @callback
    def async_add_listener(self, key: str, update: CALLBACK_TYPE) -> Callable[[], None]:
        """Call ``update`` whenever the part ``key`` (a subentry id or site) changes."""
        self._listeners.setdefault(key, []).append(update)

        @callback
        def _remove() -> None:
            if (listeners := self._listeners.get(key)) and update in listeners:
                listeners.remove(update)

        return _remove

    @callback
    def async_notify(self, *keys: str) -> None:
        """Tell the entities of the given parts to write their state."""
        for key in keys:
            for update in list(self._listeners.get(key, ())):
                update()

    # --- board reports ------------------------------------------------------------

    @property
    def offline_repair_after(self) -> int:
        """Return the minutes a board may be offline before a repair issue appears."""
        return int(
            self.entry.options.get(
                CONF_OFFLINE_REPAIR_AFTER, DEFAULT_OFFLINE_REPAIR_AFTER
            )
        )

    def _issue_id(self, cabinet_id: str) -> str:
        return f"{ISSUE_BOARD_OFFLINE}_{self.entry.entry_id}_{cabinet_id}"

    @callback
    def _handle_cabinet_report(self, cabinet_id: str, report: BoardReport) -> None:
        if report.signal is BoardSignal.AVAILABILITY:
            self._board_availability(cabinet_id, bool(report.value))
        self.async_notify(cabinet_id)

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
                    "site": self.name,
                    "minutes": str(minutes),
                },
            )

        self._repair_timers[cabinet_id] = async_call_later(
            self.hass, minutes * 60, _raise_issue
        )

    # --- workers ------------------------------------------------------------------

    @callback
    def async_set_on_duty(self, worker_id: str, on_duty: bool) -> None:
        """Put a worker on or off duty."""
        self.site.set_on_duty(worker_id, on_duty)
        self.async_schedule_save()
        self.async_notify(worker_id, SITE_KEY)

    # --- cabinets -----------------------------------------------------------------

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
                "site": self.name,
                "cabinet": cabinet.name,
                "compartment": compartment,
                "action": "maintenance_lock" if locked else "maintenance_unlock",
            },
            context=context,
        )

    def as_diagnostics(self) -> dict[str, Any]:
        """Return the state for diagnostics (redacted by the caller)."""
        return {
            "site": self.site.to_dict(),
            "cabinets": {
                cabinet_id: {
                    "name": cabinet.name,
                    "available": cabinet.driver.state.available,
                    "compartments": len(cabinet.driver.state.compartments),
                }
                for cabinet_id, cabinet in self.cabinets.items()
            },
        }
