"""The cabinet side of a running site: codes at the keypad, doors, codes to people.

One path for every code entry: the ``unlock_compartment`` service, a keypad report
from a driver (``CODE_ENTERED``) and the ESPHome event
``esphome.doorservice_code_entered`` all call :meth:`CabinetGlue.async_enter_code`:

1. the domain checks the entry and *reserves* its code in a committed operation (a
   second entry of the same code is refused before any unlock command goes out; a
   refused PIN counts against its source: the caller's user, or the keypad);
2. the board unlocks; a failed unlock releases the reservation (committed), so the
   code is valid again, and a reservation nobody resolves expires by itself;
3. the code is used when the driver reports the door opened (``DOOR_OPENED``) or,
   on a board without door sensors, as soon as the lock confirmed. A door that never
   opens (``UNLOCK_EXPIRED``: the driver relocked) keeps the code valid.

Door reports complete the hop the code stood for. After a keypad entry the board is
told how it went (accepted / rejected / locked out / out of service), in the
background. Forced-open and tamper alarms become bus events and a message to the
manager's notify action.

Codes reach people only in the response of the call that issued them
(``deliveries``) and in the worker's own phone notification (notifications.py). The
owner has no notify target yet: the owner's ``collect`` code is in the response of
the call whose hop issued it (``unlock_compartment`` / ``confirm_compartment`` /
``cancel_order``) and nowhere else. Never in a state, a bus event, a persistent
notification, the logbook or a log line.
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
    CONF_MANAGER_NOTIFY,
    DOMAIN,
    EVENT_CODE,
    EVENT_ESPHOME_CODE_ENTERED,
    EVENT_FORCED_OPEN,
    EVENT_KEY_MOVED,
    EVENT_TAMPER,
    LOGGER,
)
from .core.access_codes import caller_source, keypad_source
from .core.codes import CodePurpose
from .core.errors import DoorServiceError
from .core.events import (
    CodeAccepted,
    CodeDelivery,
    CodeRejected,
    DomainEvent,
    DoorChanged,
    HopCompleted,
    KeyMoved,
    KeypadLockedOut,
    LowStock,
)
from .core.orders import Order
from .deliveries import holder_name, place_name
from .drivers.base import BoardReport, BoardSignal, DriverError, KeypadFeedback
from .messages import language_of, message

if TYPE_CHECKING:
    from .boards import CabinetBoards, CabinetRuntime
    from .coordinator import SiteCoordinator
    from .core.cabinet_desk import CabinetDesk

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
    "forced_open",
    "tamper",
)

type CabinetEventListener = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Unlocked:
    """What ``async_enter_code`` opened, and why (never the code)."""

    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    order_id: str
    order: Order
    """The order as the operation left it (a closed one may have left memory)."""
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
        self,
        cabinet_id: str,
        entry: str,
        context: Context | None,
        *,
        source: str | None = None,
    ) -> Unlocked:
        """Reserve the code of a PIN or QR token, unlock, use it (see module doc).

        ``source`` is whose failures a refused PIN counts against (default: the
        caller's Home Assistant user from ``context``, or the system without one;
        keypad entries pass ``keypad_source(cabinet_id)``).
        """
        runtime = self._runtime
        cabinet = self._cabinet(cabinet_id)
        if source is None:
            source = caller_source(context.user_id if context else None)
        desk = runtime.site.cabinet_desk
        # Reserved and committed before the board hears anything; a refused entry
        # records its failure (committed too).
        verification = await runtime.async_run(
            lambda now: desk.reserve(cabinet_id, entry, now, source=source), context
        )
        code = verification.code
        try:
            await cabinet.driver.async_unlock(code.compartment)
        except DriverError as err:
            await self._async_release(code.id, "unlock_failed", context)
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key=err.translation_key,
                translation_placeholders={
                    "cabinet": cabinet.name,
                    "compartment": str(code.compartment),
                    **err.placeholders,
                },
            ) from err
        # With door sensors the code is used when the door opens (a board report);
        # without, now that the lock confirmed.
        door_sensor = cabinet.driver.state.has_door_sensors

        def _unlocked(now: datetime) -> tuple[Order, list[DomainEvent]]:
            events: list[DomainEvent] = [*verification.events]
            if not door_sensor:
                events += runtime.site.cabinet_desk.opened(
                    code.id, now, door_sensor=False
                )
            return runtime.site.order(code.order_id), events

        order, events = await runtime.async_run_with_events(_unlocked, context)
        return Unlocked(
            cabinet_id,
            code.compartment,
            code.purpose,
            code.order_id,
            order,
            tuple(e for e in events if isinstance(e, CodeDelivery)),
        )

    async def _async_release(
        self, code_id: str, reason: str, context: Context | None
    ) -> None:
        """Give a reserved code back (committed); it is valid again."""
        runtime = self._runtime
        try:
            await runtime.async_run(
                lambda now: (
                    None,
                    runtime.site.cabinet_desk.release(code_id, now, reason),
                ),
                context,
            )
        except HomeAssistantError as err:
            # The reservation expires by itself (RESERVATION_TIMEOUT).
            LOGGER.warning("A reserved code was not released: %s", err)

    @callback
    def _async_enter_in_background(self, cabinet_id: str, entry: str) -> None:
        async def _enter() -> None:
            feedback = KeypadFeedback.ACCEPTED
            try:
                await self.async_enter_code(
                    cabinet_id, entry, None, source=keypad_source(cabinet_id)
                )
            except ServiceValidationError as err:
                # The entry that starts a lockout already says "locked out".
                guard = self._runtime.site.codes.guards.get(keypad_source(cabinet_id))
                feedback = (
                    KeypadFeedback.LOCKED_OUT
                    if err.translation_key == "keypad_locked_out"
                    or (guard is not None and guard.is_locked(dt_util.utcnow()))
                    else KeypadFeedback.REJECTED
                )
                self._log_refusal(cabinet_id, err)
            except HomeAssistantError as err:
                # The board or the database could not do its part.
                feedback = KeypadFeedback.OUT_OF_SERVICE
                self._log_refusal(cabinet_id, err)
            self._async_keypad_feedback(cabinet_id, feedback)

        self._runtime.hass.async_create_task(_enter(), eager_start=True)

    def _log_refusal(self, cabinet_id: str, err: HomeAssistantError) -> None:
        LOGGER.info(
            "Keypad entry at %s refused (%s)",
            self._runtime.part_name(cabinet_id),
            err.translation_key,
        )

    @callback
    def _async_keypad_feedback(self, cabinet_id: str, result: KeypadFeedback) -> None:
        """Tell the board's panel how an entry went: best effort, in the background."""
        if (cabinet := self._boards.cabinets.get(cabinet_id)) is None:
            return

        async def _send() -> None:
            try:
                await cabinet.driver.async_keypad_feedback(result)
            except Exception as err:  # feedback must never break an entry
                LOGGER.debug("Keypad feedback %s not shown: %s", result, err)

        self._runtime.hass.async_create_task(_send())

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
        """Take keypad entries, door moves, unlock outcomes and alarms from a driver."""
        signal = report.signal
        if signal is BoardSignal.CODE_ENTERED:
            self._async_enter_in_background(cabinet_id, str(report.value))
        elif signal is BoardSignal.TAMPER:
            self._alarm(cabinet_id, EVENT_TAMPER, "tamper", None)
        elif report.compartment is None:
            return
        elif signal is BoardSignal.DOOR:
            door = None if report.value is None else bool(report.value)
            self._run_in_background(
                cabinet_id,
                report.compartment,
                lambda desk, now, number: desk.door_changed(
                    cabinet_id, number, door, now
                ),
            )
        elif signal is BoardSignal.DOOR_OPENED:
            self._run_in_background(
                cabinet_id,
                report.compartment,
                lambda desk, now, number: desk.door_opened(cabinet_id, number, now),
            )
        elif signal is BoardSignal.UNLOCK_EXPIRED:
            self._run_in_background(
                cabinet_id,
                report.compartment,
                lambda desk, now, number: desk.unlock_expired(cabinet_id, number, now),
            )
        elif signal is BoardSignal.FORCED_OPEN:
            self._alarm(
                cabinet_id, EVENT_FORCED_OPEN, "forced_open", report.compartment
            )

    @callback
    def _run_in_background(
        self,
        cabinet_id: str,
        number: int,
        operation: Callable[[CabinetDesk, datetime, int], list[DomainEvent]],
    ) -> None:
        """Run a door or unlock report's operation (committed), in report order."""
        runtime = self._runtime

        async def _run() -> None:
            try:
                await runtime.async_run(
                    lambda now: (
                        None,
                        operation(runtime.site.cabinet_desk, now, number),
                    ),
                    None,
                )
            except HomeAssistantError as err:
                LOGGER.warning(
                    "Compartment %s of %s: %s",
                    number,
                    runtime.part_name(cabinet_id),
                    err,
                )

        runtime.hass.async_create_task(_run(), eager_start=True)

    @callback
    def _alarm(
        self, cabinet_id: str, event_type: str, kind: str, number: int | None
    ) -> None:
        """A forced-open door or a tripped tamper input: bus event and manager."""
        runtime = self._runtime
        cabinet = runtime.part_name(cabinet_id) or cabinet_id
        data: dict[str, Any] = {
            "site": runtime.name,
            "site_id": runtime.entry.entry_id,
            "cabinet": cabinet,
        }
        if number is not None:
            data["compartment"] = number
        LOGGER.warning("Cabinet %s: %s %s", cabinet, kind, number or "")
        runtime.hass.bus.async_fire(event_type, data)
        self._fire(cabinet_id, kind, {"compartment": number})
        target = runtime.entry.options.get(CONF_MANAGER_NOTIFY)
        if not target:
            return
        domain, _, service = str(target).partition(".")
        hass = runtime.hass
        if not hass.services.has_service(domain, service):
            LOGGER.warning("Notify action %s is not available", target)
            return
        lang = language_of(hass.config.language)
        values = {"cabinet": cabinet, "compartment": number or "", "site": runtime.name}
        hass.async_create_task(
            hass.services.async_call(
                domain,
                service,
                {
                    "title": message(lang, f"{kind}_title", **values),
                    "message": message(lang, f"{kind}_message", **values),
                },
                blocking=False,
            ),
            eager_start=True,
        )

    async def async_confirm(
        self, cabinet_id: str, number: int, context: Context | None
    ) -> Unlocked:
        """Complete the hop of an opened compartment (no, or a broken, door sensor).

        A compartment unlocked by a code whose door was not seen open counts as
        opened (its code is used). Returns what was opened and the codes the hop
        issued (the collect code after a return), for the caller.
        """
        self._cabinet(cabinet_id)
        runtime = self._runtime

        def _confirm(now: datetime) -> tuple[Order, list[DomainEvent]]:
            events = runtime.site.cabinet_desk.confirm(cabinet_id, number, now)
            hop = next(e for e in events if isinstance(e, HopCompleted))
            return runtime.site.order(hop.order_id), events

        order, events = await runtime.async_run_with_events(_confirm, context)
        hop = next(e for e in events if isinstance(e, HopCompleted))
        return Unlocked(
            cabinet_id,
            number,
            hop.purpose,
            hop.order_id,
            order,
            tuple(e for e in events if isinstance(e, CodeDelivery)),
        )

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
                        "name": self._supply_name(event.sku),
                        "available": event.available,
                        "threshold": event.threshold,
                    },
                )

    def _supply_name(self, sku: str) -> str:
        """Return a supply's name (its sku when the catalog no longer has it)."""
        supplies = self._runtime.site.supplies
        return supplies.get(sku).name if sku in supplies else sku

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
            "source": event.source_kind,
        }
        runtime.hass.bus.async_fire(EVENT_CODE, data, context=context)
        self._fire(event.cabinet_id, "lockout", data)
        if event.source_kind != "keypad":
            # One caller locked out of their own guessing: nothing for the others.
            return
        lang = language_of(runtime.hass.config.language)
        until = dt_util.as_local(event.until).strftime("%H:%M")
        persistent_notification.async_create(
            runtime.hass,
            message(lang, "lockout_message", cabinet=cabinet, until=until),
            title=message(lang, "lockout_title", cabinet=cabinet),
            notification_id=f"doorservice_lockout_{event.cabinet_id}",
        )
