"""The cabinet side of a running site: codes at the keypad, doors, codes to people.

One path for every code entry: the ``unlock_compartment`` service, a keypad report
from a driver (``CODE_ENTERED``) and the ESPHome event
``esphome.doorservice_code_entered`` all call :meth:`CabinetGlue.async_enter_code`:
the domain checks the entry, the board unlocks, and only once the board confirmed is
the code used up. Door reports complete the hop the code stood for.

Codes reach people only here: in the response of the call that issued them
(``deliveries``), in the worker's phone notification, and — for the owner's
``collect`` code, since an owner has no notify target — in a persistent notification
of Home Assistant. Never in a state, a bus event, the logbook or a log line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
import io
from typing import TYPE_CHECKING, Any

import segno

from homeassistant.components import persistent_notification
from homeassistant.core import CALLBACK_TYPE, Context, Event, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.util import dt as dt_util

from .const import (
    DOMAIN,
    EVENT_CODE,
    EVENT_ESPHOME_CODE_ENTERED,
    EVENT_KEY_MOVED,
    LOGGER,
)
from .core.codes import CodePurpose
from .core.errors import DoorServiceError
from .core.events import (
    CodeAccepted,
    CodeDelivery,
    CodeRejected,
    DoorChanged,
    KeyMoved,
    KeypadLockedOut,
    LowStock,
)
from .deliveries import code_text, holder_name, place_name
from .drivers.base import BoardReport, BoardSignal, DriverError
from .messages import language_of, message

if TYPE_CHECKING:
    from .boards import CabinetBoards, CabinetRuntime
    from .coordinator import SiteCoordinator

CONF_BOARD_DEVICE = "board_device"
# The booking page: Home Assistant's calendar panel, where creating an event on the
# site's "Bookings" calendar books a cleaning (entities/orders.py BookingsCalendar).
BOOKING_PATH = "/calendar"
FALLBACK_BASE_URL = "http://homeassistant.local:8123"

CABINET_EVENT_TYPES = (
    "code_accepted",
    "code_rejected",
    "door_opened",
    "door_closed",
    "lockout",
    "low_stock",
)

type CabinetEventListener = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Unlocked:
    """What ``async_enter_code`` opened, and why (never the code)."""

    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    order_id: str
    deliveries: tuple[CodeDelivery, ...] = ()
    """Codes the opening issued (the collect code after a return), for the caller."""


def booking_url(runtime: SiteCoordinator) -> str:
    """Return the booking page: the calendar panel on the external or internal URL."""
    try:
        base = get_url(runtime.hass, prefer_external=True, allow_ip=True)
    except NoURLAvailableError:
        base = FALLBACK_BASE_URL
    return base.rstrip("/") + BOOKING_PATH


def qr_png(payload: str) -> bytes:
    """Return a PNG of the QR code of ``payload`` (made by segno)."""
    qr = segno.make(payload, error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=8, border=4)
    return bytes(out.getvalue())


class CabinetGlue:
    """Runs the cabinet flow of one site (see the module docstring)."""

    def __init__(self, runtime: SiteCoordinator, boards: CabinetBoards) -> None:
        """Create the glue of ``runtime``'s site and its cabinet ``boards``."""
        self._runtime = runtime
        self._boards = boards
        boards.async_add_report_handler(self.handle_report)
        runtime.async_subscribe(self.apply)
        self._listeners: dict[str, list[CabinetEventListener]] = {}
        self._unsub: CALLBACK_TYPE | None = None
        self.qr_updated: datetime | None = None
        self.qr_payload = ""

    # --- life cycle ----------------------------------------------------------------

    async def async_start(self) -> None:
        """Listen for keypad events and show the booking QR on every board."""
        hass = self._runtime.hass
        self._unsub = hass.bus.async_listen(
            EVENT_ESPHOME_CODE_ENTERED, self._async_esphome_code
        )

        payload = self.qr_payload = booking_url(self._runtime)
        self.qr_updated = dt_util.utcnow()
        for cabinet in self._boards.cabinets.values():
            try:
                await cabinet.driver.async_show_qr(payload)
            except DriverError:
                LOGGER.info("Cabinet %s cannot show the booking QR now", cabinet.name)

    @callback
    def async_stop(self) -> None:
        """Stop listening."""
        if self._unsub:
            self._unsub()
            self._unsub = None
        self._listeners.clear()

    @callback
    def async_add_listener(
        self, cabinet_id: str, listener: CabinetEventListener
    ) -> Callable[[], None]:
        """Call ``listener(event_type, data)`` for the cabinet's events."""
        self._listeners.setdefault(cabinet_id, []).append(listener)

        @callback
        def _remove() -> None:
            if listener in (listeners := self._listeners.get(cabinet_id, [])):
                listeners.remove(listener)

        return _remove

    # --- code entry ----------------------------------------------------------------

    def _cabinet(self, cabinet_id: str) -> CabinetRuntime:
        if (cabinet := self._boards.cabinets.get(cabinet_id)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_cabinet",
                translation_placeholders={"cabinet": cabinet_id},
            )
        return cabinet

    def _translated(self, err: DoorServiceError) -> ServiceValidationError:
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.translation_key,
            translation_placeholders=self._runtime.placeholders(err.placeholders),
        )

    async def async_enter_code(
        self, cabinet_id: str, entry: str, context: Context | None
    ) -> Unlocked:
        """Check a PIN or QR token, unlock its compartment, then use the code up."""
        runtime = self._runtime
        cabinet = self._cabinet(cabinet_id)
        # A refused entry counts towards the keypad lockout: async_run commits that.
        verification = await runtime.async_run(
            lambda now: (runtime.site.cabinet_desk.verify(cabinet_id, entry, now), []),
            context,
        )
        code = verification.code
        try:
            await cabinet.driver.async_unlock(code.compartment)
        except DriverError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=err.translation_key,
                translation_placeholders={
                    "cabinet": cabinet.name,
                    "compartment": str(code.compartment),
                    **err.placeholders,
                },
            ) from err
        door_sensor = cabinet.driver.state.has_door_sensors
        _none, events = await runtime.async_run_with_events(
            lambda now: (
                None,
                [
                    *verification.events,
                    *runtime.site.cabinet_desk.opened(
                        code.id, now, door_sensor=door_sensor
                    ),
                ],
            ),
            context,
        )
        return Unlocked(
            cabinet_id,
            code.compartment,
            code.purpose,
            code.order_id,
            tuple(e for e in events if isinstance(e, CodeDelivery)),
        )

    @callback
    def _async_enter_in_background(self, cabinet_id: str, entry: str) -> None:
        async def _enter() -> None:
            try:
                await self.async_enter_code(cabinet_id, entry, None)
            except HomeAssistantError as err:
                LOGGER.info(
                    "Keypad entry at %s refused (%s)",
                    self._runtime.part_name(cabinet_id),
                    err.translation_key,
                )

        self._runtime.hass.async_create_task(_enter(), eager_start=True)

    @callback
    def _async_esphome_code(self, event: Event) -> None:
        device_id = event.data.get("device_id")
        code = event.data.get("code")
        if not device_id or not isinstance(code, str | int):
            return
        for cabinet in self._boards.cabinets.values():
            if cabinet.subentry.data.get(CONF_BOARD_DEVICE) == device_id:
                # A driver that follows its board's events reports the code itself.
                if not cabinet.driver.follows_board_events:
                    self._async_enter_in_background(cabinet.cabinet_id, str(code))
                return

    @callback
    def handle_report(self, cabinet_id: str, report: BoardReport) -> None:
        """Take keypad entries and door moves from a driver."""
        if report.signal is BoardSignal.CODE_ENTERED:
            self._async_enter_in_background(cabinet_id, str(report.value))
        elif report.signal is BoardSignal.DOOR and report.compartment is not None:
            door = None if report.value is None else bool(report.value)
            self._runtime.hass.async_create_task(
                self._async_door_changed(cabinet_id, report.compartment, door),
                eager_start=True,
            )

    async def _async_door_changed(
        self, cabinet_id: str, number: int, door: bool | None
    ) -> None:
        """A door opened or closed: complete the hop its opening stood for."""
        runtime = self._runtime
        try:
            await runtime.async_run(
                lambda now: (
                    None,
                    runtime.site.cabinet_desk.door_changed(
                        cabinet_id, number, door, now
                    ),
                ),
                None,
            )
        except HomeAssistantError as err:
            LOGGER.warning(
                "Door %s of %s: %s", number, runtime.part_name(cabinet_id), err
            )

    async def async_confirm(
        self, cabinet_id: str, number: int, context: Context | None
    ) -> tuple[CodeDelivery, ...]:
        """Complete the hop of an opened compartment (board without door sensor).

        Returns the codes the hop issued (the collect code after a return).
        """
        self._cabinet(cabinet_id)
        runtime = self._runtime
        _none, events = await runtime.async_run_with_events(
            lambda now: (
                None,
                runtime.site.cabinet_desk.confirm(cabinet_id, number, now),
            ),
            context,
        )
        return tuple(e for e in events if isinstance(e, CodeDelivery))

    # --- events out ----------------------------------------------------------------

    def _fire(self, cabinet_id: str, event_type: str, data: dict[str, Any]) -> None:
        for listener in list(self._listeners.get(cabinet_id, ())):
            listener(event_type, data)

    @callback
    def apply(self, events: Sequence[object], context: Context | None) -> None:
        """Bus events, entity events, notifications for the cabinet side."""
        runtime = self._runtime
        hass = runtime.hass
        site = {"site": runtime.name, "site_id": runtime.entry.entry_id}
        for event in events:
            if isinstance(event, CodeAccepted | CodeRejected):
                accepted = isinstance(event, CodeAccepted)
                data: dict[str, Any] = {
                    **site,
                    "cabinet": runtime.part_name(event.cabinet_id),
                    "result": "accepted" if accepted else "rejected",
                    "via": event.via.value,
                }
                if isinstance(event, CodeAccepted):
                    data |= {
                        "order_id": event.order_id,
                        "compartment": event.compartment,
                        "purpose": event.purpose.value,
                        "holder": holder_name(self._runtime, event.holder),
                    }
                else:
                    data["reason"] = event.reason
                hass.bus.async_fire(EVENT_CODE, data, context=context)
                self._fire(
                    event.cabinet_id,
                    "code_accepted" if accepted else "code_rejected",
                    data,
                )
            elif isinstance(event, KeypadLockedOut):
                self._lockout(event, site, context)
            elif isinstance(event, DoorChanged) and event.door_open is not None:
                self._fire(
                    event.cabinet_id,
                    "door_opened" if event.door_open else "door_closed",
                    {"compartment": event.number},
                )
            elif isinstance(event, KeyMoved):
                hass.bus.async_fire(
                    EVENT_KEY_MOVED,
                    {
                        **site,
                        "order_id": event.order_id,
                        "from": place_name(self._runtime, str(event.from_holder)),
                        "to": place_name(self._runtime, str(event.to_holder)),
                        "actor": holder_name(self._runtime, event.actor),
                    },
                    context=context,
                )
            elif isinstance(event, LowStock):
                self._fire(
                    event.cabinet_id,
                    "low_stock",
                    {
                        "sku": event.sku,
                        "available": event.available,
                        "threshold": event.threshold,
                    },
                )
            elif isinstance(event, CodeDelivery):
                self._deliver(event)

    def _lockout(
        self, event: KeypadLockedOut, site: dict[str, Any], context: Context | None
    ) -> None:
        runtime = self._runtime
        cabinet = runtime.part_name(event.cabinet_id) or event.cabinet_id
        data = {
            **site,
            "cabinet": cabinet,
            "result": "lockout",
            "until": event.until.isoformat(),
            "failures": event.failures,
        }
        runtime.hass.bus.async_fire(EVENT_CODE, data, context=context)
        self._fire(event.cabinet_id, "lockout", data)
        lang = language_of(runtime.hass.config.language)
        until = dt_util.as_local(event.until).strftime("%H:%M")
        persistent_notification.async_create(
            runtime.hass,
            message(lang, "lockout_message", cabinet=cabinet, until=until),
            title=message(lang, "lockout_title", cabinet=cabinet),
            notification_id=f"doorservice_lockout_{event.cabinet_id}",
        )

    # --- codes to people -----------------------------------------------------------

    def _deliver(self, delivery: CodeDelivery) -> None:
        """The owner's collect code (an owner has no notify target of their own)."""
        if delivery.purpose is not CodePurpose.COLLECT:
            return
        runtime = self._runtime
        lang = language_of(runtime.hass.config.language)
        values = code_text(runtime, delivery)
        persistent_notification.async_create(
            runtime.hass,
            message(lang, "collect_message", **values),
            title=message(lang, "collect_title", **values),
            notification_id=f"doorservice_collect_{delivery.order_id}",
        )
