"""The room side of a running site: stays, room boards, buttons and answers to rooms.

``RoomsRuntime`` belongs to a :class:`SiteCoordinator`. It drives each room's board
through the room's :class:`RoomDriver` (virtual, Home Assistant entities or MQTT, as
the room's subentry says), turns the wall buttons its driver reports (the entities
driver hears the board's ``esphome.doorservice_button`` events) into requests or do
not disturb, runs
the front desk operations for the services and entities, sends appliance commands to
the drivers, and tells a room what happened to its requests: the room's event entity
fires, its entities update, and the stay's notify target gets a message in the
stay's language.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, Context, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import (
    CONF_APPLIANCE_ENTITIES,
    CONF_APPLIANCES,
    CONF_BOARD_DEVICE,
    CONF_DRIVER,
    CONF_OBJECT_IDS,
    CONF_TOPIC_PREFIX,
    DOMAIN,
    EVENT_APPLIANCE_CHANGE,
    EVENT_FOLIO_CLOSED,
    LOGGER,
    DriverType,
    SubentryType,
)
from .core.appliances import ApplianceKind
from .core.errors import DoorServiceError
from .core.events import (
    ApplianceChangeAuthorized,
    ApplianceCommand,
    ApplianceStateChanged,
    AuthorizationEnded,
    ChargeAdded,
    ChargeNotBilled,
    CheckedIn,
    CheckedOut,
    DndChanged,
    Language,
    OrderEvent,
    RequesterRole,
)
from .core.front_desk import (
    BUTTON_DO_NOT_DISTURB,
    CheckOutResult,
    room_answer,
    wall_button_service,
)
from .core.orders import Order
from .core.service_names import service_name
from .core.stays import Folio, Stay
from .drivers.base import (
    ApplianceState,
    BoardListener,
    BoardReport,
    BoardSignal,
    DriverError,
    RoomDriver,
)
from .drivers.entities import EntitiesRoomDriver
from .drivers.mqtt import MqttRoomDriver
from .drivers.virtual import VirtualRoomDriver
from .messages import language_of, message
from .speech import async_speak

if TYPE_CHECKING:
    from .coordinator import SiteCoordinator
    from .core.site import Site


ROOM_EVENT_TYPES = (
    "request_received",
    "request_accepted",
    "request_started",
    "request_completed",
    "request_declined",
    "request_cancelled",
    "request_held",
    "checked_in",
    "checked_out",
    "charge_added",
    "appliance_changed",
    "authorization_ended",
)

type RoomListener = Callable[[str, dict[str, Any]], None]


@dataclass(slots=True)
class RoomRuntime:
    """A configured room and the driver of its board."""

    subentry: ConfigSubentry
    driver: RoomDriver


ROOMS_PER_YIELD = 10
"""Room boards started before the start-up lets the event loop run again."""


class RoomsRuntime:
    """Everything about a site's rooms while Home Assistant runs."""

    def __init__(self, runtime: SiteCoordinator) -> None:
        """Create the room side of ``runtime``'s site."""
        self._runtime = runtime
        self.rooms: dict[str, RoomRuntime] = {}
        self._listeners: dict[str, list[RoomListener]] = {}
        self._started = False
        self._reports: set[asyncio.Task[None]] = set()
        self._unsub_authorization: CALLBACK_TYPE | None = None
        runtime.async_subscribe(self.async_apply)

    @property
    def _site(self) -> Site:
        return self._runtime.site

    # --- life cycle ----------------------------------------------------------------

    async def async_load(self) -> None:
        """Create a board driver for every configured room (yielding between a few)."""
        for created, sub in enumerate(
            self._runtime.subentries(SubentryType.ROOM), start=1
        ):
            if created % (5 * ROOMS_PER_YIELD) == 0:
                await asyncio.sleep(0)
            room_id = sub.subentry_id

            @callback
            def _on_report(report: BoardReport, room_id: str = room_id) -> None:
                self._handle_report(room_id, report)

            self.rooms[room_id] = RoomRuntime(sub, self._create_driver(sub, _on_report))

    def _create_driver(
        self, sub: ConfigSubentry, listener: BoardListener
    ) -> RoomDriver:
        """Return the room's driver as its subentry configures it (virtual default)."""
        data = sub.data
        kinds = {
            str(item["id"]): ApplianceKind(item["kind"])
            for item in data.get(CONF_APPLIANCES, ())
        }
        driver = data.get(CONF_DRIVER, DriverType.VIRTUAL)
        LOGGER.debug("Room %s uses the %s driver", sub.title, driver)
        if driver == DriverType.ENTITIES:
            return EntitiesRoomDriver(
                self._runtime.hass,
                kinds,
                listener,
                entities=dict(data.get(CONF_APPLIANCE_ENTITIES) or {}),
                board_device_id=data.get(CONF_BOARD_DEVICE),
            )
        if driver == DriverType.MQTT:
            return MqttRoomDriver(
                self._runtime.hass,
                kinds,
                listener,
                prefix=str(data[CONF_TOPIC_PREFIX]),
                object_ids=dict(data.get(CONF_OBJECT_IDS) or {}),
            )
        virtual = VirtualRoomDriver(kinds, listener)
        # A virtual board has no memory: it comes back as the room was left.
        if (known := self._site.appliances.get(sub.subentry_id)) is not None:
            for appliance in known.appliances:
                if hardware := virtual.state.appliances.get(appliance.id):
                    hardware.is_on = appliance.is_on
                    hardware.value = appliance.value
        return virtual

    async def async_start(self) -> None:
        """Start the room boards (letting the event loop run between a few)."""
        for started, room in enumerate(self.rooms.values(), start=1):
            await room.driver.async_start()
            if started % ROOMS_PER_YIELD == 0:
                await asyncio.sleep(0)
        self._started = True
        await self._runtime.async_run(
            lambda now: (None, self._site.stays.expire(now)), None
        )

    async def async_stop(self) -> None:
        """Stop the boards and the authorization timer."""
        self._started = False
        if self._unsub_authorization:
            self._unsub_authorization()
            self._unsub_authorization = None
        for room in self.rooms.values():
            await room.driver.async_stop()
        self._listeners.clear()

    @callback
    def async_add_listener(
        self, room_id: str, listener: RoomListener
    ) -> Callable[[], None]:
        """Call ``listener(event_type, data)`` for every answer to a room."""
        self._listeners.setdefault(room_id, []).append(listener)

        @callback
        def _remove() -> None:
            if listener in (listeners := self._listeners.get(room_id, [])):
                listeners.remove(listener)

        return _remove

    # --- operations ----------------------------------------------------------------

    async def async_check_in(
        self,
        room_id: str,
        guest_name: str,
        context: Context | None,
        *,
        language: str | None = None,
        notify_target: str | None = None,
        ends_at: datetime | None = None,
    ) -> Stay:
        """Check a guest in."""
        return await self._runtime.async_run(
            lambda now: self._site.front_desk.check_in(
                room_id,
                guest_name,
                now,
                language=language,
                notify_target=notify_target,
                ends_at=ends_at,
            ),
            context,
        )

    async def async_check_out(
        self, room_id: str, context: Context | None
    ) -> dict[str, Any]:
        """Check out: close the folio (returned), reset the appliances, clean."""
        result: CheckOutResult = await self._runtime.async_run(
            lambda now: self._site.front_desk.check_out(room_id, now), context
        )
        folio = self.folio_data(result.folio)
        folio["cleaning_order_id"] = (
            result.cleaning_order.id if result.cleaning_order else None
        )
        self._runtime.hass.bus.async_fire(EVENT_FOLIO_CLOSED, folio, context=context)
        for command in result.commands:
            try:
                await self._send(room_id, command)
            except HomeAssistantError as err:
                LOGGER.warning(
                    "Check-out could not reset %s in %s: %s",
                    command.appliance_id,
                    self._runtime.part_name(room_id),
                    err,
                )
        return folio

    def folio_data(self, folio: Folio) -> dict[str, Any]:
        """Return a folio as response and event data (names, money as strings)."""
        data = folio.to_dict()
        return {
            "site": self._runtime.name,
            "room": self._runtime.part_name(folio.room_id),
            "room_id": folio.room_id,
            "stay_id": data["stay_id"],
            "currency": data["currency"],
            "opened_at": data["opened_at"],
            "closed_at": data["closed_at"],
            "lines": [
                {
                    "order_id": line["order_id"],
                    "description": line["description"],
                    "quantity": line["quantity"],
                    "unit_price": line["unit_price"],
                    "amount": line["amount"],
                }
                for line in data["charges"]
            ],
            "total": data["total"],
        }

    async def async_set_do_not_disturb(
        self, room_id: str, on: bool, context: Context | None
    ) -> None:
        """Switch do not disturb for a room."""
        await self._runtime.async_run(
            lambda now: self._site.front_desk.set_do_not_disturb(room_id, on, now),
            context,
        )

    async def async_set_handedness(
        self, room_id: str, handedness: str, context: Context | None
    ) -> None:
        """Set the room terminal's layout hand."""
        await self._runtime.async_run(
            lambda now: self._site.front_desk.set_handedness(room_id, handedness, now),
            context,
        )

    async def async_guest_command(
        self, room_id: str, command: ApplianceCommand, context: Context | None
    ) -> None:
        """A guest's command from the room's own entities (only during a stay)."""
        self._check_board(room_id, command.appliance_id)
        await self._runtime.async_run(
            lambda now: self._site.front_desk.guest_command(room_id, command, now),
            context,
        )
        await self._send(room_id, command)

    async def async_staff_command(
        self,
        room_id: str,
        command: ApplianceCommand,
        actor: str,
        reason: str,
        context: Context | None,
    ) -> None:
        """A staff change request: authorized, logged, sent, announced to the room."""
        self._check_board(room_id, command.appliance_id)
        await self._runtime.async_run(
            lambda now: self._site.front_desk.staff_command(
                room_id, command, actor, reason, now
            ),
            context,
        )
        await self._send(room_id, command)

    def _check_board(self, room_id: str, appliance_id: str) -> None:
        """Refuse a command before anything happens while the board is offline."""
        room = self.rooms.get(room_id)
        if room is not None and not room.driver.state.available:
            raise self._driver_error(
                DriverError("appliance_board_offline"), room_id, appliance_id
            )

    async def _send(self, room_id: str, command: ApplianceCommand) -> None:
        room = self.rooms.get(room_id)
        if room is None:  # pragma: no cover - the domain refused unknown rooms
            return
        try:
            await room.driver.async_set_appliance(
                command.appliance_id, on=command.turns_on, value=command.value
            )
        except DriverError as err:
            raise self._driver_error(err, room_id, command.appliance_id) from err
        # What the board answered is recorded before the command's caller returns.
        if self._reports:
            await asyncio.gather(*self._reports, return_exceptions=True)

    def _driver_error(
        self, err: DriverError, room_id: str, appliance_id: str
    ) -> HomeAssistantError:
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=err.translation_key,
            translation_placeholders={
                **err.placeholders,
                "room": self._runtime.part_name(room_id) or room_id,
                "appliance": self._appliance_name(room_id, appliance_id),
            },
        )

    # --- board reports -------------------------------------------------------------

    @callback
    def _handle_report(self, room_id: str, report: BoardReport) -> None:
        if report.signal in (BoardSignal.APPLIANCE, BoardSignal.BUTTON):
            task = self._runtime.hass.async_create_task(
                self._async_handle_report(room_id, report), eager_start=True
            )
            if not task.done():
                self._reports.add(task)
                task.add_done_callback(self._reports.discard)
        else:
            self._runtime.async_notify(room_id)

    async def _async_handle_report(self, room_id: str, report: BoardReport) -> None:
        if report.signal is BoardSignal.APPLIANCE:
            state = report.value
            if (
                report.appliance is None
                or not isinstance(state, ApplianceState)
                or state.is_on is None  # a value before the board said on or off
            ):
                return
            is_on = state.is_on
            try:
                await self._runtime.async_run(
                    lambda now: self._site.front_desk.apply_appliance_report(
                        room_id,
                        str(report.appliance),
                        is_on=is_on,
                        value=state.value,
                        now=now,
                    ),
                    None,
                )
            except HomeAssistantError as err:  # e.g. a value outside the range
                LOGGER.warning(
                    "Ignored a report of %s for %s: %s",
                    self._runtime.part_name(room_id),
                    report.appliance,
                    err,
                )
        elif report.signal is BoardSignal.BUTTON:
            await self.async_press_button(room_id, str(report.value), None)

    async def async_press_button(
        self, room_id: str, button: str, context: Context | None
    ) -> None:
        """Run a wall button: a request, or do not disturb on/off."""
        name = self._runtime.part_name(room_id) or room_id
        try:
            if button == BUTTON_DO_NOT_DISTURB:
                on = not self._site.stays.room(room_id).do_not_disturb
                await self.async_set_do_not_disturb(room_id, on, context)
            elif (service_type := wall_button_service(button)) is not None:
                await self._runtime.async_request_service(
                    context,
                    room=room_id,
                    service_type=service_type,
                    requester=name,
                    details=None,
                    quantity=1,
                )
            else:
                LOGGER.warning("Unknown wall button %s in %s", button, name)
        except HomeAssistantError as err:  # nobody sees a raised error on a wall
            LOGGER.warning("Wall button %s in %s was refused: %s", button, name, err)

    # --- answers to the room -------------------------------------------------------

    def _schedule_authorization_end(self) -> None:
        """Wake up when the next stay's authorization ends (its ``ends_at``)."""
        if self._unsub_authorization:
            self._unsub_authorization()
            self._unsub_authorization = None
        if (
            not self._started
            or (end := self._site.stays.next_authorization_end()) is None
        ):
            return

        async def _expire(now: datetime) -> None:
            self._unsub_authorization = None
            await self._runtime.async_run(
                lambda now: (None, self._site.stays.expire(now)), None
            )

        self._unsub_authorization = async_track_point_in_utc_time(
            self._runtime.hass, _expire, max(end, dt_util.utcnow())
        )

    @callback
    def async_apply(self, events: Sequence[object], context: Context | None) -> None:
        """Tell rooms what happened: event entities, bus events, notifications."""
        self._schedule_authorization_end()
        for event in events:
            if isinstance(event, OrderEvent):
                order = self._site.desk.get(event.order_id)
                if order.room is not None and (answer := room_answer(event)):
                    self._answer(order, answer, event.detail)
            elif isinstance(event, CheckedIn | CheckedOut):
                self._fire(event.room_id, event.type, {"stay_id": event.stay_id})
                if isinstance(event, CheckedIn):
                    self._tell(event.room_id, "room_welcome", {})
            elif isinstance(event, ChargeAdded):
                self._fire(
                    event.room_id,
                    event.type,
                    {
                        "order_id": event.order_id,
                        "amount": str(event.amount),
                        "total": str(event.total),
                        "currency": event.currency,
                    },
                )
            elif isinstance(event, AuthorizationEnded):
                self._fire(event.room_id, event.type, {"stay_id": event.stay_id})
            elif isinstance(event, DndChanged):
                self._runtime.async_notify(event.room_id)
            elif isinstance(event, ApplianceChangeAuthorized):
                self._appliance_change(event, context)
            elif isinstance(event, ApplianceStateChanged):
                self._runtime.async_notify(event.room_id)
            elif isinstance(event, ChargeNotBilled):
                LOGGER.warning(
                    "Order %s of %s completed but was not billed (%s)",
                    event.order_id,
                    self._runtime.part_name(event.room_id),
                    event.reason,
                )

    def _service_name(self, service_type: str, language: str = "en") -> str:
        try:
            return service_name(self._site.catalog.get(service_type), language)
        except DoorServiceError:
            return service_type

    def language(self, room_id: str | None) -> str:
        """Return the language of the room's stay, else Home Assistant's."""
        stay = self._site.stays.rooms.get(room_id) if room_id else None
        if stay is not None and stay.stay is not None:
            return stay.stay.language.value
        return language_of(self._runtime.hass.config.language)

    def request_data(self, order: Order) -> dict[str, Any]:
        """Return what a room may know about its request (no phone numbers)."""
        eta = self._site.front_desk.eta(order)
        return {
            "order_id": order.id,
            "service_type": order.service_type,
            "service": self._service_name(order.service_type),
            "state": order.state.value,
            "worker": self._runtime.part_name(order.worker),
            "eta": eta.isoformat() if eta else None,
            "hold_reason": order.hold_reason,
            "quantity": order.quantity,
            "price": str(order.total_price),
            "currency": self._runtime.currency,
        }

    def _answer(self, order: Order, answer: str, detail: str | None) -> None:
        assert order.room is not None
        data = self.request_data(order)
        self._fire(order.room, answer, data)
        eta = self._site.front_desk.eta(order)
        self._tell(
            order.room,
            f"room_{answer}",
            {
                "order_id": order.id,
                "service": self._service_name(
                    order.service_type, self.language(order.room)
                ),
                "worker": data["worker"] or "",
                "eta": dt_util.as_local(eta).strftime("%H:%M") if eta else "",
            },
        )

    def _appliance_change(
        self, event: ApplianceChangeAuthorized, context: Context | None
    ) -> None:
        self._fire(
            event.room_id,
            "appliance_changed",
            {
                "appliance": event.appliance_id,
                "action": event.command.action.value,
                "role": event.role.value,
            },
        )
        if event.role is not RequesterRole.STAFF:
            return
        name = self._appliance_name(event.room_id, event.appliance_id)
        self._runtime.hass.bus.async_fire(
            EVENT_APPLIANCE_CHANGE,
            {
                "site": self._runtime.name,
                "room": self._runtime.part_name(event.room_id),
                "appliance": name,
                "action": event.command.action.value,
                "value": event.command.value,
                "actor": event.actor,
                "reason": event.reason,
            },
            context=context,
        )
        self._tell(
            event.room_id,
            "room_appliance_changed",
            {
                "appliance": name,
                "action": f"appliance_{event.command.action.value}",
                "reason": event.reason or "",
            },
        )

    def _appliance_name(self, room_id: str, appliance_id: str) -> str:
        try:
            return str(self._site.appliances[room_id].get(appliance_id).name)
        except KeyError, DoorServiceError:  # pragma: no cover - removed meanwhile
            return appliance_id

    def _fire(self, room_id: str, event_type: str, data: dict[str, Any]) -> None:
        payload = {"room": self._runtime.part_name(room_id), **data}
        for listener in list(self._listeners.get(room_id, ())):
            listener(event_type, payload)

    def _tell(self, room_id: str, key: str, values: dict[str, Any]) -> None:
        """Send a message to the room's stay, in the stay's language."""
        stay = self._site.stays.rooms.get(room_id)
        if stay is None or stay.stay is None or not stay.stay.notify_target:
            return
        language = stay.stay.language
        lang = "zh-Hans" if language is Language.ZH_HANS else "en"
        values = {"room": self._runtime.part_name(room_id), **values}
        if "action" in values:
            values["action"] = message(lang, values["action"])
        target = stay.stay.notify_target
        domain, _, service = target.partition(".")
        hass = self._runtime.hass
        if domain == "media_player":
            async_speak(self._runtime, target, message(lang, key, **values), lang)
            return
        if domain != "notify" or not hass.services.has_service(domain, service):
            LOGGER.debug("Room notify target %s is not a notify action", target)
            return
        hass.async_create_task(
            hass.services.async_call(
                domain,
                service,
                {
                    "title": message(lang, "room_title", **values),
                    "message": message(lang, key, **values),
                    "data": {"tag": f"doorservice_room_{room_id}"},
                },
                blocking=False,
            ),
            eager_start=True,
        )
