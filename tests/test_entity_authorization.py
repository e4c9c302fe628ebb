"""Entity commands check their caller too (README.md, "Roles", entity commands).

Home Assistant lets every non-admin user call entity services, so each entity that
changes something asks who called it. Each command is walked with real users of
every role through Home Assistant's own entity services: a refused call raises
``Unauthorized`` and leaves the site and every entity exactly as they were; an
allowed one works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from custom_components.doorservice.authorization import NotAllowed
from homeassistant.components.calendar import CalendarEntity
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import Unauthorized
from homeassistant.util import dt as dt_util

from .trust_scenario import (
    MANAGER,
    PLAIN,
    READ_ONLY,
    ROOM_101,
    ROOM_102,
    ROOM_TERMINAL,
    STAFF,
    SYSTEM,
    Hotel,
    async_hotel,
    snapshot,
)

STAFF_B = "staff_b"  # Tom: his only order is in Room 102
ROOM_102_USER = "room_102"
ROLES = [
    MANAGER,
    SYSTEM,
    STAFF,
    STAFF_B,
    ROOM_TERMINAL,
    ROOM_102_USER,
    READ_ONLY,
    PLAIN,
]
PRIVILEGED = frozenset({MANAGER, SYSTEM})

LOCK = "lock.lobby_cabinet_compartment_6"
IN_SERVICE = "switch.lobby_cabinet_compartment_6_in_service"
ON_DUTY = "switch.mei_on_duty"
DND = "switch.room_101_do_not_disturb"
HANDEDNESS = "select.room_101_handedness"
SERVICES = "select.room_101_services"
LIGHT = "light.room_101_light"
CALENDAR = "calendar.hotel_aurora_bookings"
TOWELS = "Fresh towels (free)"
REPAIR = "Repair (free)"


@dataclass(frozen=True)
class Command:
    """An entity command, who may call it, its effect, and how to undo it."""

    service: str  # "domain.service"
    data: dict[str, Any]
    allowed: frozenset[str]
    entity_id: str
    state_after: str
    undo: tuple[str, dict[str, Any]]


COMMANDS = [
    Command("lock.unlock", {}, PRIVILEGED, LOCK, "unlocked", ("lock.lock", {})),
    Command(
        "switch.turn_off",
        {},
        PRIVILEGED,
        IN_SERVICE,
        "off",
        ("switch.turn_on", {}),
    ),
    Command(
        "switch.turn_off",
        {},
        PRIVILEGED | {STAFF},
        ON_DUTY,
        "off",
        ("switch.turn_on", {}),
    ),
    Command(
        "switch.turn_on",
        {},
        PRIVILEGED | {ROOM_TERMINAL},
        DND,
        "on",
        ("switch.turn_off", {}),
    ),
    Command(
        "select.select_option",
        {"option": "left"},
        PRIVILEGED | {ROOM_TERMINAL},
        HANDEDNESS,
        "left",
        ("select.select_option", {"option": "right"}),
    ),
    Command(
        "select.select_option",
        {"option": TOWELS},
        PRIVILEGED | {ROOM_TERMINAL},
        SERVICES,
        TOWELS,
        ("select.select_option", {"option": REPAIR}),
    ),
    # Room 101 has a stay; Mei (staff) has an open order there, Tom does not.
    Command(
        "light.turn_on",
        {},
        PRIVILEGED | {ROOM_TERMINAL, STAFF},
        LIGHT,
        "on",
        ("light.turn_off", {}),
    ),
]


def context(hotel: Hotel, who: str) -> Context:
    """The context of a call by ``who`` (``system``: no user)."""
    return hotel.context(who)


async def entity_call(
    hotel: Hotel, who: str, service: str, entity_id: str, data: dict[str, Any]
) -> None:
    """Call an entity service of Home Assistant as ``who``."""
    domain, name = service.split(".")
    await hotel.hass.services.async_call(
        domain,
        name,
        {"entity_id": entity_id, **data},
        blocking=True,
        context=context(hotel, who),
    )


async def assert_refused(
    hotel: Hotel, who: str, service: str, entity_id: str, data: dict[str, Any]
) -> None:
    """``who`` is refused with Unauthorized, and nothing at all changes."""
    await hotel.hass.async_block_till_done()
    before = snapshot(hotel)
    with pytest.raises(Unauthorized):
        await entity_call(hotel, who, service, entity_id, data)
    await hotel.hass.async_block_till_done()
    assert snapshot(hotel) == before, f"{who} {service} {entity_id} changed state"


@pytest.mark.parametrize(
    "command", COMMANDS, ids=[f"{c.service}-{c.entity_id}" for c in COMMANDS]
)
async def test_entity_command_roles(hass: HomeAssistant, command: Command) -> None:
    hotel = await async_hotel(hass)
    # The undo sets the baseline (a select with no choice yet gets one).
    undo_service, undo_data = command.undo
    await entity_call(hotel, SYSTEM, undo_service, command.entity_id, undo_data)
    for who in ROLES:
        if who not in command.allowed:
            await assert_refused(
                hotel, who, command.service, command.entity_id, command.data
            )
    for who in ROLES:
        if who in command.allowed:
            await entity_call(
                hotel, who, command.service, command.entity_id, command.data
            )
            await hass.async_block_till_done()
            state = hass.states.get(command.entity_id)
            assert state is not None
            assert state.state == command.state_after, who
            await entity_call(hotel, SYSTEM, undo_service, command.entity_id, undo_data)
            await hass.async_block_till_done()


async def test_refusal_is_the_translated_not_allowed(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    with pytest.raises(NotAllowed) as refused:
        await entity_call(hotel, PLAIN, "lock.unlock", LOCK, {})
    assert refused.value.translation_key == "not_allowed"
    assert LOCK in str(refused.value)


async def test_staff_and_terminals_of_other_parts(hass: HomeAssistant) -> None:
    """What belongs to another worker or another room is refused."""
    hotel = await async_hotel(hass)
    await assert_refused(hotel, STAFF, "switch.turn_off", "switch.tom_on_duty", {})
    await assert_refused(
        hotel, ROOM_TERMINAL, "switch.turn_on", "switch.room_102_do_not_disturb", {}
    )
    await assert_refused(
        hotel,
        ROOM_TERMINAL,
        "select.select_option",
        "select.room_102_handedness",
        {"option": "left"},
    )
    await entity_call(
        hotel, STAFF_B, "switch.turn_off", "switch.tom_on_duty", {}
    )  # his own
    assert hass.states.get("switch.tom_on_duty").state == "off"


async def test_room_terminal_appliances_only_during_a_stay(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    await hotel.call(SYSTEM, "check_out", {"room": ROOM_101})
    await assert_refused(hotel, ROOM_TERMINAL, "light.turn_on", LIGHT, {})


async def test_worker_todo_ticks(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    mine, toms = hotel.orders["g"], hotel.orders["b"]
    for who in (STAFF_B, ROOM_TERMINAL, ROOM_102_USER, READ_ONLY, PLAIN):
        await assert_refused(
            hotel,
            who,
            "todo.update_item",
            "todo.mei_orders",
            {"item": mine, "status": "completed"},
        )
    await assert_refused(
        hotel,
        STAFF,
        "todo.update_item",
        "todo.tom_orders",
        {"item": toms, "status": "completed"},
    )
    await entity_call(
        hotel,
        STAFF,
        "todo.update_item",
        "todo.mei_orders",
        {"item": mine, "status": "completed"},
    )
    assert await order_state(hotel, mine) in ("completed", "closed")
    await entity_call(
        hotel,
        MANAGER,
        "todo.update_item",
        "todo.tom_orders",
        {"item": toms, "status": "completed"},
    )
    assert await order_state(hotel, toms) in ("completed", "closed")


async def order_state(hotel: Hotel, order_id: str) -> str:
    """Return an order's state, live or finished (as the system's get_orders)."""
    orders = (await hotel.call(SYSTEM, "get_orders", {}))["orders"]
    return str(next(o["state"] for o in orders if o["order_id"] == order_id))


def _event(location: str) -> dict[str, Any]:
    start = (dt_util.now() + timedelta(days=1)).replace(microsecond=0)
    return {
        "summary": "Room cleaning",
        "start_date_time": start.isoformat(),
        "end_date_time": (start + timedelta(hours=1)).isoformat(),
        "location": location,
    }


async def test_calendar_create_event(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    site = hotel.entry.runtime_data.site
    for who in (STAFF, STAFF_B, ROOM_102_USER, READ_ONLY, PLAIN):
        await assert_refused(
            hotel, who, "calendar.create_event", CALENDAR, _event(ROOM_101)
        )
    # A room terminal books for its own room only, never at an address.
    await assert_refused(
        hotel, ROOM_TERMINAL, "calendar.create_event", CALENDAR, _event(ROOM_102)
    )
    await assert_refused(
        hotel, ROOM_TERMINAL, "calendar.create_event", CALENDAR, _event("Villa 9")
    )
    known = {order.id for order in site.orders()}
    await entity_call(
        hotel, ROOM_TERMINAL, "calendar.create_event", CALENDAR, _event(ROOM_101)
    )
    [booked] = [order for order in site.orders() if order.id not in known]
    assert booked.address is None
    assert booked.room is not None
    assert hotel.entry.runtime_data.part_name(booked.room) == ROOM_101
    assert booked.booked_by == hotel.users[ROOM_TERMINAL].id
    for who in (MANAGER, SYSTEM):
        known = {order.id for order in site.orders()}
        await entity_call(
            hotel, who, "calendar.create_event", CALENDAR, _event("Villa 9")
        )
        [booked] = [order for order in site.orders() if order.id not in known]
        assert booked.address == "Villa 9"


def _calendar(hass: HomeAssistant) -> CalendarEntity:
    entity = hass.data["entity_components"]["calendar"].get_entity(CALENDAR)
    assert isinstance(entity, CalendarEntity)
    return entity


async def _delete(hotel: Hotel, who: str | None, uid: str) -> None:
    """Delete a calendar event as ``who``, as Home Assistant's service path would.

    ``None``: the calendar panel's websocket command, which sets no context.
    """
    calendar = _calendar(hotel.hass)
    if who is not None:
        calendar.async_set_context(context(hotel, who))
    await calendar.async_delete_event(uid)


async def test_calendar_delete_event(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    site = hotel.entry.runtime_data.site
    known = {order.id for order in site.orders()}
    await entity_call(
        hotel, ROOM_TERMINAL, "calendar.create_event", CALENDAR, _event(ROOM_101)
    )
    [own] = [order.id for order in site.orders() if order.id not in known]
    for who, uid in [
        *((who, own) for who in (STAFF, STAFF_B, ROOM_102_USER, READ_ONLY, PLAIN)),
        (ROOM_TERMINAL, hotel.orders["x"]),  # not theirs
        (ROOM_TERMINAL, "DS-ZZZZ"),  # does not exist: refused the same way
        (None, own),  # no context: nobody can be told from anybody
        (None, hotel.orders["x"]),
    ]:
        await hass.async_block_till_done()
        before = snapshot(hotel)
        with pytest.raises(Unauthorized):
            await _delete(hotel, who, uid)
        assert snapshot(hotel) == before, f"{who} deleted {uid}"
    # A context serves one command: a later call without one is refused again.
    _calendar(hass).async_set_context(context(hotel, MANAGER))
    with pytest.raises(Unauthorized):
        await _delete(hotel, ROOM_102_USER, hotel.orders["x"])
    with pytest.raises(Unauthorized):
        await _delete(hotel, None, hotel.orders["x"])
    # The booker cancels their own; managers and the system anybody's.
    await _delete(hotel, ROOM_TERMINAL, own)
    assert await order_state(hotel, own) == "cancelled"
    await _delete(hotel, MANAGER, hotel.orders["x"])
    assert await order_state(hotel, hotel.orders["x"]) == "cancelled"
    await _delete(hotel, SYSTEM, hotel.orders["x2"])
    assert await order_state(hotel, hotel.orders["x2"]) == "cancelled"


async def test_every_commanding_entity_is_walked(hass: HomeAssistant) -> None:
    """The walk covers every kind of entity of the hotel that takes commands."""
    await async_hotel(hass)
    commanding = {"lock", "switch", "select", "light", "todo", "calendar"}
    kinds = {
        state.entity_id.split(".")[0]
        for state in hass.states.async_all()
        if state.entity_id.split(".")[0] in commanding | {"climate", "cover", "fan"}
    }
    assert kinds == commanding
    walked = {c.entity_id.split(".")[0] for c in COMMANDS} | {"todo", "calendar"}
    assert walked == commanding
