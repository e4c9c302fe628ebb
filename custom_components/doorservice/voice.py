"""Assist intents: a room speaks to Door Service through a voice assistant.

Each intent answers in the conversation's language (English or Chinese). The room is
the one whose subentry names the area of the voice satellite (``area``); without a
device, the room of the user's room-terminal role. A satellite in one room can never
act for another: no intent takes a room. Unlocking is never voice operable: there is
no intent that opens a compartment or a door.

The same handlers are the LLM tools of the Assist API (see ``llm.py``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final, override

import probatio as vol

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    intent,
    translation,
)
from homeassistant.util import dt as dt_util

from .authorization import Caller, async_caller_of
from .const import CONF_AREA, DOMAIN, SubentryType
from .core.catalog import ServiceType
from .core.custody import CustodyStatus
from .core.errors import DoorServiceError
from .core.events import HolderKind
from .core.orders import Order, OrderState
from .core.service_names import CHINESE, ENGLISH, service_name
from .core.stays import Folio
from .deliveries import holder_name
from .messages import language_of
from .runtime import SiteRuntime
from .sentences import phrases
from .services.resolve import loaded_runtimes
from .voice_texts import voice_text

INTENT_REQUEST: Final = "DoorServiceRequestService"
INTENT_PRICE: Final = "DoorServicePrice"
INTENT_STATUS: Final = "DoorServiceOrderStatus"
INTENT_DND: Final = "DoorServiceDoNotDisturb"
INTENT_BILL: Final = "DoorServiceBill"
INTENT_BOOK: Final = "DoorServiceBookCleaning"

SERVICE_SLOT_HELP = (
    "The service type: its id or its name (English or Chinese), for example towels, "
    "room cleaning, repair, laundry."
)


class VoiceRefusedError(Exception):
    """The room cannot be acted for (the answer says why)."""

    def __init__(self, key: str, **values: object) -> None:
        """Refuse with the voice text ``key``."""
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class VoiceRoom:
    """The room a voice request acts for, and who asks."""

    runtime: SiteRuntime
    room_id: str
    caller: Caller

    @property
    def name(self) -> str:
        """Return the room's name."""
        return self.runtime.part_name(self.room_id) or self.room_id


def _rooms_in_area(hass: HomeAssistant, area_id: str) -> list[tuple[SiteRuntime, str]]:
    return [
        (runtime, sub.subentry_id)
        for runtime in loaded_runtimes(hass)
        for sub in runtime.subentries(SubentryType.ROOM)
        if sub.data.get(CONF_AREA) == area_id
    ]


async def async_voice_room(hass: HomeAssistant, intent_obj: intent.Intent) -> VoiceRoom:
    """Return the room of a voice request, or raise ``VoiceRefusedError``.

    A device (satellite) acts only for the room of its area, and only for a caller
    who may act for that room (the system, a manager, its room terminal). Without a
    device, the caller's only room-terminal room.
    """
    caller = await async_caller_of(hass, intent_obj.context)
    if intent_obj.device_id is not None:
        device = dr.async_get(hass).async_get(intent_obj.device_id)
        area_id = device.area_id if device is not None else None
        rooms = _rooms_in_area(hass, area_id) if area_id else []
        if len(rooms) != 1:
            raise VoiceRefusedError("refused_no_room")
        runtime, room_id = rooms[0]
        if not (caller.is_privileged or caller.is_room_terminal(runtime, room_id)):
            raise VoiceRefusedError(
                "refused_not_your_room", room=runtime.part_name(room_id) or room_id
            )
        return VoiceRoom(runtime, room_id, caller)
    mine = [
        (runtime, room_id)
        for runtime in loaded_runtimes(hass)
        for entry_id, room_id in caller.rooms
        if entry_id == runtime.entry.entry_id
    ]
    if len(mine) != 1:
        raise VoiceRefusedError("refused_which_room")
    return VoiceRoom(mine[0][0], mine[0][1], caller)


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def find_service_type(runtime: SiteRuntime, value: str) -> ServiceType | None:
    """Return the service type an id, name or synonym (either language) means."""
    catalog = runtime.site.catalog
    wanted = _normal(value)
    if wanted in catalog:
        return catalog.get(wanted)
    for language in (ENGLISH, CHINESE):
        for kind in catalog:
            if wanted in phrases(kind, language):
                return kind
    return None


def _language(intent_obj: intent.Intent) -> str:
    return language_of(intent_obj.language)


def _money(runtime: SiteRuntime, amount: Decimal) -> str:
    return f"{amount:.2f} {runtime.currency}"


def _clock(moment: datetime | None) -> str:
    return dt_util.as_local(moment).strftime("%H:%M") if moment else "?"


def _when(language: str, moment: datetime) -> str:
    """A time in words: today/tomorrow at HH:MM, else the date."""
    local = dt_util.as_local(moment)
    days = (local.date() - dt_util.now().date()).days
    time = local.strftime("%H:%M")
    if days == 0:
        return voice_text(language, "today", time=time)
    if days == 1:
        return voice_text(language, "tomorrow", time=time)
    return voice_text(language, "on_day", date=local.date().isoformat(), time=time)


def _start(slots: dict[str, Any]) -> datetime | None:
    """The time the slots name (day, hour, minute, period), or None without an hour.

    An hour already past today (and no day named) means tomorrow.
    """
    if "hour" not in slots:
        return None
    hour = int(slots["hour"]["value"])
    minute = int(slots.get("minute", {}).get("value", 0))
    period = slots.get("period", {}).get("value")
    if period == "pm" and hour < 12:
        hour += 12
    elif period == "am" and hour == 12:
        hour = 0
    elif period == "noon" and hour < 11:
        hour += 12
    now = dt_util.now()
    start = now.replace(hour=hour % 24, minute=minute, second=0, microsecond=0)
    if "day" in slots:
        start += timedelta(days=int(slots["day"]["value"]))
    elif start < now:
        start += timedelta(days=1)
    return start


async def _error_text(
    hass: HomeAssistant, err: HomeAssistantError, language: str
) -> str:
    """Return a refusal of the integration in ``language`` (its exception text)."""
    key = err.translation_key
    if err.translation_domain == DOMAIN and key:
        strings = await translation.async_get_translations(
            hass, language, "exceptions", [DOMAIN]
        )
        if template := strings.get(f"component.{DOMAIN}.exceptions.{key}.message"):
            try:
                return template.format(**(err.translation_placeholders or {}))
            except KeyError, IndexError, ValueError:
                pass
    return str(err)


class DoorServiceIntentHandler(intent.IntentHandler, ABC):
    """A Door Service intent: find the room, act, answer in the user's language."""

    @override
    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Handle the intent; a refusal is an error response that says why."""
        hass = intent_obj.hass
        slots = self.async_validate_slots(intent_obj.slots)
        language = _language(intent_obj)
        response = intent_obj.create_response()
        try:
            room = await async_voice_room(hass, intent_obj)
            speech = await self.async_answer(intent_obj, room, slots, language)
        except VoiceRefusedError as refusal:
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                voice_text(language, refusal.key, **refusal.values),
            )
            return response
        except HomeAssistantError as err:
            reason = await _error_text(hass, err, language)
            response.async_set_error(
                intent.IntentResponseErrorCode.FAILED_TO_HANDLE,
                voice_text(language, "refused", reason=reason),
            )
            return response
        response.async_set_speech(speech)
        return response

    @abstractmethod
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        """Act for ``room`` and return what to say (each intent its own)."""

    @staticmethod
    def service_type(
        room: VoiceRoom, slots: dict[str, Any], language: str
    ) -> ServiceType:
        """Return the named service type, or refuse."""
        value = str(slots["service"]["value"])
        kind = find_service_type(room.runtime, value)
        if kind is None:
            raise VoiceRefusedError(
                "refused_unknown_service", room=room.name, service=value
            )
        return kind


def _spoken(name: str, quantity: int, details: str | None, language: str) -> str:
    """A service as said back: quantity and details in the language's way."""
    chinese = language == CHINESE
    if quantity != 1:
        name = f"{name} ×{quantity}" if chinese else f"{quantity} × {name}"
    if details:
        name = f"{name}（{details}）" if chinese else f"{name} ({details})"
    return name


def _requester(room: VoiceRoom) -> str:
    return room.name


class RequestServiceHandler(DoorServiceIntentHandler):
    """Request a service for the room ("two towels please", "the AC is broken")."""

    intent_type = INTENT_REQUEST
    description = (
        "Requests a Door Service room service for the room the user is in "
        "(towels, room cleaning, a repair, laundry...). A paid service needs "
        "confirm=true after the user heard its price; without it the answer is the "
        "price. With an hour the service is booked for that time."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """Service, quantity, details, time and confirmation."""
        return {
            vol.Required("service", description=SERVICE_SLOT_HELP): cv.string,
            vol.Optional("quantity", description="How many (1-20)."): vol.All(
                vol.Coerce(int), vol.Range(min=1, max=20)
            ),
            vol.Optional("details", description="What is broken or wanted."): (
                cv.string
            ),
            vol.Optional("confirm", description="The user agreed to the price."): (
                cv.boolean
            ),
            **TIME_SLOTS,
        }

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        kind = self.service_type(room, slots, language)
        runtime = room.runtime
        quantity = int(slots.get("quantity", {}).get("value", 1))
        name = service_name(kind, language)
        if kind.is_paid and not slots.get("confirm", {}).get("value"):
            return voice_text(
                language,
                "confirm_paid",
                service=name,
                name=name,
                price=_money(runtime, kind.price * quantity),
            )
        details = slots.get("details", {}).get("value")
        spoken = _spoken(name, quantity, details, language)
        context = intent_obj.context
        start = _start(slots)
        if start is not None:
            outcome = await runtime.async_book_cleaning(
                context,
                service_type=kind.id,
                requester=_requester(room),
                start=start,
                room=room.room_id,
                message=details,
                booked_by=context.user_id,
            )
            return voice_text(
                language,
                "request_scheduled",
                service=spoken,
                room=room.name,
                when=_when(language, start),
                order_id=outcome.order.id,
            )
        outcome = await runtime.async_request_service(
            context,
            room=room.room_id,
            service_type=kind.id,
            requester=_requester(room),
            details=details,
            quantity=quantity,
            booked_by=context.user_id,
        )
        order = outcome.order
        if order.is_held:
            return voice_text(
                language,
                "request_held",
                service=spoken,
                room=room.name,
                order_id=order.id,
            )
        return voice_text(
            language,
            "request_received",
            service=spoken,
            room=room.name,
            order_id=order.id,
            eta=_clock(runtime.site.front_desk.eta(order)),
        )


TIME_SLOTS: Final[dict[Any, Any]] = {
    vol.Optional("day", description="Days from today: 0 today, 1 tomorrow."): vol.All(
        vol.Coerce(int), vol.Range(min=0, max=30)
    ),
    vol.Optional("hour", description="Hour of the day, 0-23 (or 1-12 with period)."): (
        vol.All(vol.Coerce(int), vol.Range(min=0, max=23))
    ),
    vol.Optional("minute", description="Minute of the hour."): vol.All(
        vol.Coerce(int), vol.Range(min=0, max=59)
    ),
    vol.Optional("period", description="am or pm for a 12-hour clock."): vol.In(
        ["am", "pm", "noon"]
    ),
}


class PriceHandler(DoorServiceIntentHandler):
    """Say what a service costs ("how much is laundry?")."""

    intent_type = INTENT_PRICE
    description = (
        "Tells what a Door Service room service costs at the user's site, or that "
        "it is free. Changes nothing."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """The service."""
        return {vol.Required("service", description=SERVICE_SLOT_HELP): cv.string}

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        kind = self.service_type(room, slots, language)
        name = service_name(kind, language)
        if not kind.is_paid:
            return voice_text(language, "price_free", service=name)
        return voice_text(
            language, "price_paid", service=name, price=_money(room.runtime, kind.price)
        )


class OrderStatusHandler(DoorServiceIntentHandler):
    """Tell where a request stands ("when do my towels come?", "is my key back?")."""

    intent_type = INTENT_STATUS
    description = (
        "Tells the status of the room's latest open Door Service request (of a "
        "service or category when given), or where the key of a keyed visit is "
        "when key=true. Changes nothing."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """Service, category or key."""
        return {
            vol.Optional("service", description=SERVICE_SLOT_HELP): cv.string,
            vol.Optional(
                "category", description="A catalog category, e.g. cleaning."
            ): (cv.string),
            vol.Optional("key", description="Ask where the key is."): cv.boolean,
        }

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        runtime = room.runtime
        orders = runtime.site.orders(room=room.room_id)
        if slots.get("key", {}).get("value"):
            return self._key(room, [o for o in orders if o.has_key], language)
        wanted: set[str] | None = None
        if "service" in slots:
            wanted = {self.service_type(room, slots, language).id}
        elif "category" in slots:
            wanted = set(
                runtime.site.catalog.types_of_category(str(slots["category"]["value"]))
            )
        mine = [o for o in orders if wanted is None or o.service_type in wanted]
        open_orders = [o for o in mine if o.is_open]
        if not open_orders:
            done = [
                o for o in mine if o.state in (OrderState.COMPLETED, OrderState.CLOSED)
            ]
            if done:
                order = done[-1]
                return voice_text(
                    language,
                    "status_done",
                    service=self._name(runtime, order, language),
                    order_id=order.id,
                )
            return voice_text(language, "status_none", room=room.name)
        return self._status(runtime, open_orders[-1], language)

    @staticmethod
    def _name(runtime: SiteRuntime, order: Order, language: str) -> str:
        try:
            return service_name(runtime.site.catalog.get(order.service_type), language)
        except DoorServiceError:
            return order.service_type

    def _status(self, runtime: SiteRuntime, order: Order, language: str) -> str:
        values = {
            "service": self._name(runtime, order, language),
            "order_id": order.id,
            "worker": runtime.part_name(order.worker) or "",
            "eta": _clock(runtime.site.front_desk.eta(order)),
        }
        if order.state in (OrderState.COMPLETED, OrderState.CLOSED):
            return voice_text(language, "status_done", **values)
        if order.is_held:
            return voice_text(language, "status_held", **values)
        if order.state is OrderState.ACCEPTED:
            return voice_text(language, "status_accepted", **values)
        if order.state is OrderState.IN_PROGRESS:
            return voice_text(language, "status_in_progress", **values)
        if order.scheduled_start and order.scheduled_start > dt_util.utcnow():
            return voice_text(
                language,
                "status_scheduled",
                when=_when(language, order.scheduled_start),
                **values,
            )
        return voice_text(language, "status_waiting", **values)

    @staticmethod
    def _key(room: VoiceRoom, keyed: list[Order], language: str) -> str:
        runtime = room.runtime
        custody = runtime.site.custody
        for order in reversed(keyed):
            if order.id not in custody:
                return voice_text(language, "key_not_left", order_id=order.id)
            ledger = custody.get(order.id)
            holder = ledger.holder
            if ledger.status is CustodyStatus.CLOSED:
                return voice_text(language, "key_collected")
            if holder.kind is HolderKind.WORKER:
                return voice_text(
                    language,
                    "key_with_worker",
                    worker=holder_name(runtime, str(holder)),
                )
            if holder.kind is HolderKind.COMPARTMENT:
                back = order.state in (OrderState.COMPLETED, OrderState.CLOSED)
                return voice_text(
                    language,
                    "key_back" if back else "key_waiting",
                    cabinet=runtime.part_name(holder.cabinet_id) or "",
                    compartment=holder.compartment_number,
                )
            return voice_text(language, "key_not_left", order_id=order.id)
        return voice_text(language, "key_none")


class DoNotDisturbHandler(DoorServiceIntentHandler):
    """Switch do not disturb for the room."""

    intent_type = INTENT_DND
    description = (
        "Turns do not disturb on or off for the room the user is in; while it is on, "
        "cleaning waits."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """On or off."""
        return {vol.Required("state", description="on or off"): vol.In(["on", "off"])}

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        on = slots["state"]["value"] == "on"
        await room.runtime.rooms.async_set_do_not_disturb(
            room.room_id, on, intent_obj.context
        )
        return voice_text(language, "dnd_on" if on else "dnd_off", room=room.name)


class BillHandler(DoorServiceIntentHandler):
    """Read the stay's bill."""

    intent_type = INTENT_BILL
    description = (
        "Reads the open bill (folio) of the current stay in the room the user is "
        "in: the total and each charge. Changes nothing."
    )

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        runtime = room.runtime
        folio: Folio | None = runtime.site.stays.room(room.room_id).folio
        if folio is None:
            return voice_text(language, "bill_none", room=room.name)
        total = _money(runtime, folio.total)
        if not folio.charges:
            return voice_text(language, "bill_empty", total=total)
        lines = []
        by_name = {kind.name: kind for kind in runtime.site.catalog}
        for charge in folio.charges:
            kind = by_name.get(charge.description)
            lines.append(
                voice_text(
                    language,
                    "bill_line",
                    service=service_name(kind, language)
                    if kind is not None
                    else charge.description,
                    quantity=charge.quantity,
                    price=_money(runtime, charge.unit_price),
                )
            )
        separator = "；" if language == CHINESE else "; "
        return voice_text(language, "bill", total=total, lines=separator.join(lines))


class BookCleaningHandler(DoorServiceIntentHandler):
    """Book a cleaning visit for a home ("book a deep cleaning tomorrow at 10")."""

    intent_type = INTENT_BOOK
    description = (
        "Books a Door Service cleaning visit for the home (room) the user is in at a "
        "day and hour; store_key=true when the owner leaves the key in the cabinet. "
        "The drop-off code is never spoken."
    )

    @property
    @override
    def slot_schema(self) -> dict[Any, Any]:
        """Service, time and key."""
        return {
            vol.Required("service", description=SERVICE_SLOT_HELP): cv.string,
            vol.Optional("store_key", description="The key is left in the cabinet."): (
                cv.boolean
            ),
            **TIME_SLOTS,
        }

    @override
    async def async_answer(
        self,
        intent_obj: intent.Intent,
        room: VoiceRoom,
        slots: dict[str, Any],
        language: str,
    ) -> str:
        kind = self.service_type(room, slots, language)
        start = _start(slots)
        if start is None:
            raise VoiceRefusedError("refused_no_time")
        runtime = room.runtime
        context = intent_obj.context
        store_key = bool(slots.get("store_key", {}).get("value"))
        outcome = await runtime.async_book_cleaning(
            context,
            service_type=kind.id,
            requester=_requester(room),
            start=start,
            room=room.room_id,
            store_key=store_key,
            booked_by=context.user_id,
        )
        text = voice_text(
            language,
            "booked",
            service=service_name(kind, language),
            when=_when(language, start),
            order_id=outcome.order.id,
        )
        for delivery in outcome.deliveries:
            if delivery.order_id == outcome.order.id:
                text += voice_text(
                    language,
                    "booked_key",
                    cabinet=runtime.part_name(delivery.cabinet_id) or "",
                    compartment=delivery.compartment,
                )
                break
        return text


HANDLERS: Final = (
    RequestServiceHandler,
    PriceHandler,
    OrderStatusHandler,
    DoNotDisturbHandler,
    BillHandler,
    BookCleaningHandler,
)


def async_setup_intents(hass: HomeAssistant) -> None:
    """Register Door Service's intents (once for every site)."""
    for handler in HANDLERS:
        intent.async_register(hass, handler())
