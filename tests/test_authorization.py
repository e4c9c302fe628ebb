"""The Trust table walked with real Home Assistant users (README.md, "Roles").

Each role walks every action in an order where the allowed calls can succeed: an
allowed call must succeed, a refused one must raise ``Unauthorized`` and leave the
site and every entity exactly as they were. Staff and room terminals are also
tried on what is not theirs (another worker's order, another room).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from custom_components.doorservice.authorization import NotAllowed
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized

from .trust_scenario import (
    BOOKER,
    CAB,
    MANAGER,
    PLAIN,
    READ_ONLY,
    ROLE_TABLE,
    ROOM_101,
    ROOM_102,
    ROOM_TERMINAL,
    STAFF,
    SYSTEM,
    WORKER_A,
    WORKER_B,
    Hotel,
    async_hotel,
    snapshot,
    tomorrow,
)

type Payload = Callable[[Hotel, dict[str, str]], dict[str, Any]]

# The walk: (action, payload). ``mine`` holds what the walking role booked.
WALK: list[tuple[str, Payload]] = [
    ("get_catalog", lambda h, mine: {"room": ROOM_101}),
    ("get_orders", lambda h, mine: {}),
    ("accept_order", lambda h, mine: {"order_id": h.orders["a"], "worker": WORKER_A}),
    ("get_room_appliances", lambda h, mine: {"room": ROOM_101}),
    ("get_folio", lambda h, mine: {"room": ROOM_101}),
    (
        "request_appliance_change",
        lambda h, mine: {
            "room": ROOM_101,
            "appliance": "light",
            "state": "on",
            "reason": "guest asked",
        },
    ),
    ("start_order", lambda h, mine: {"order_id": h.orders["a"], "worker": WORKER_A}),
    (
        "complete_order",
        lambda h, mine: {"order_id": h.orders["a"], "worker": WORKER_A, "note": ""},
    ),
    (
        "decline_order",
        lambda h, mine: {"order_id": h.orders["d"], "worker": WORKER_A, "reason": ""},
    ),
    (
        "give_back_order",
        lambda h, mine: {"order_id": h.orders["g"], "worker": WORKER_A, "reason": ""},
    ),
    (
        "request_service",
        lambda h, mine: {"room": ROOM_101, "service_type": "towels", "details": ""},
    ),
    ("set_do_not_disturb", lambda h, mine: {"room": ROOM_101, "on": False}),
    (
        "book_cleaning",
        lambda h, mine: {
            "room": ROOM_101,
            "service_type": "room_cleaning",
            "start": tomorrow(),
            "message": "",
        },
    ),
    (
        "purchase_supplies",
        lambda h, mine: {
            "order_id": mine.get("booking", h.orders["x"]),
            "supplies": [{"sku": "sponges", "quantity": 1}],
        },
    ),
    (
        "reissue_code",
        lambda h, mine: {"order_id": mine.get("booking", h.orders["keyed"])},
    ),
    (
        "cancel_order",
        lambda h, mine: {"order_id": mine.get("booking", h.orders["x"])},
    ),
    ("assign_order", lambda h, mine: {"order_id": h.orders["x2"], "worker": WORKER_B}),
    ("check_in", lambda h, mine: {"room": ROOM_102, "guest_name": "Bob"}),
    ("check_out", lambda h, mine: {"room": ROOM_102}),
    (
        "restock_cabinet",
        lambda h, mine: {"cabinet": CAB, "supplies": [{"sku": "sponges"}]},
    ),
    (
        "unlock_compartment",
        lambda h, mine: {"cabinet": CAB, "code": h.pins["keyed"]},
    ),
    ("confirm_compartment", lambda h, mine: {"cabinet": CAB, "compartment": 1}),
    ("refresh_calendars", lambda h, mine: {}),
    ("press_virtual_keypad", lambda h, mine: {"cabinet": CAB, "keys": "A"}),
    # Already off: changes nothing (no reload of the site).
    ("set_public_booking", lambda h, mine: {"cabinet": CAB, "enabled": False}),
    # Last: a new link reloads the site.
    ("rotate_booking_link", lambda h, mine: {"cabinet": CAB}),
]

BUSINESS_REFUSAL_OK = {"confirm_compartment", "reissue_code"}
"""Allowed calls whose answer may be a business refusal (no door was opened, no
code of the caller's on that order)."""


def test_the_walk_covers_every_action(hass: HomeAssistant) -> None:
    registered = set(hass.services.async_services().get("doorservice", {}))
    assert {action for action, _ in WALK} == set(ROLE_TABLE)
    assert not registered or registered == set(ROLE_TABLE)


async def assert_refused(hotel: Hotel, who: str, action: str, data: Any) -> None:
    """``who`` calling ``action`` is refused with Unauthorized and nothing changes.

    Nothing: the site, every entity's state, and every order (live and finished)
    as a manager's ``get_orders`` shows them.
    """
    before = snapshot(hotel)
    orders = await hotel.call(SYSTEM, "get_orders", {})
    with pytest.raises(Unauthorized) as refused:
        await hotel.call(who, action, data)
    assert isinstance(refused.value, NotAllowed)
    assert refused.value.translation_key == "not_allowed"
    assert action in str(refused.value)
    assert snapshot(hotel) == before, f"{who} {action} was refused but changed state"
    assert await hotel.call(SYSTEM, "get_orders", {}) == orders


def allowed(role: str, action: str) -> bool:
    may = ROLE_TABLE[action]
    return role in may or (role == ROOM_TERMINAL and BOOKER in may)


@pytest.mark.parametrize(
    "role", [MANAGER, SYSTEM, STAFF, ROOM_TERMINAL, READ_ONLY, PLAIN]
)
async def test_role_table(hass: HomeAssistant, role: str) -> None:
    hotel = await async_hotel(hass)
    assert set(hass.services.async_services()["doorservice"]) == set(ROLE_TABLE)
    mine: dict[str, str] = {}
    for action, payload in WALK:
        data = payload(hotel, mine)
        if not allowed(role, action):
            await assert_refused(hotel, role, action, data)
            continue
        try:
            response = await hotel.call(role, action, data)
        except ServiceValidationError:
            if action not in BUSINESS_REFUSAL_OK:
                raise
            continue
        if action == "book_cleaning":
            mine["booking"] = response["order"]["order_id"]
            assert hotel.entry.runtime_data.site.order(mine["booking"]).booked_by == (
                None if role == SYSTEM else hotel.users[role].id
            )


async def test_staff_act_only_as_themselves(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    orders = hotel.orders
    # Another worker's order, or their own order in another worker's name.
    await assert_refused(
        hotel, STAFF, "start_order", {"order_id": orders["b"], "worker": WORKER_B}
    )
    await assert_refused(
        hotel, STAFF, "accept_order", {"order_id": orders["b"], "worker": WORKER_A}
    )
    await assert_refused(
        hotel, STAFF, "accept_order", {"order_id": orders["a"], "worker": WORKER_B}
    )
    await assert_refused(
        hotel, STAFF, "decline_order", {"order_id": orders["d"], "worker": WORKER_B}
    )
    # An order id that does not exist looks like one that is not theirs.
    await assert_refused(
        hotel, STAFF, "accept_order", {"order_id": "DS-ZZZZ", "worker": WORKER_A}
    )
    # Rooms they have no open order in.
    await assert_refused(hotel, STAFF, "get_room_appliances", {"room": ROOM_102})
    await assert_refused(
        hotel,
        STAFF,
        "request_appliance_change",
        {"room": ROOM_102, "appliance": "light", "state": "on", "reason": "x"},
    )
    # Their own orders only, and never a phone number.
    seen = await hotel.call(STAFF, "get_orders", {})
    assert {o["order_id"] for o in seen["orders"]} == {
        orders["a"],
        orders["d"],
        orders["g"],
    }
    assert "Private Road" not in str(seen)
    # Once Room 101 holds no open order of theirs, its appliances are closed to them.
    await hotel.call(
        STAFF, "give_back_order", {"order_id": orders["g"], "worker": WORKER_A}
    )
    await hotel.call(
        STAFF, "accept_order", {"order_id": orders["a"], "worker": WORKER_A}
    )
    assert (await hotel.call(STAFF, "get_room_appliances", {"room": ROOM_101}))[
        "room"
    ] == ROOM_101
    await hotel.call(
        STAFF, "start_order", {"order_id": orders["a"], "worker": WORKER_A}
    )
    await hotel.call(
        STAFF, "complete_order", {"order_id": orders["a"], "worker": WORKER_A}
    )
    await assert_refused(hotel, STAFF, "get_room_appliances", {"room": ROOM_101})
    # The other worker, named through the subentry's user id, acts as himself.
    await hotel.call(
        "staff_b", "start_order", {"order_id": orders["b"], "worker": WORKER_B}
    )


async def test_room_terminal_acts_only_for_its_room(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    who = ROOM_TERMINAL
    for action, data in (
        ("request_service", {"room": ROOM_102, "service_type": "towels"}),
        ("set_do_not_disturb", {"room": ROOM_102, "on": True}),
        ("get_catalog", {"room": ROOM_102}),
        ("get_room_appliances", {"room": ROOM_102}),
        (
            "book_cleaning",
            {"room": ROOM_102, "service_type": "room_cleaning", "start": tomorrow()},
        ),
        ("book_cleaning", {"address": "Elsewhere 1", "start": tomorrow()}),
        ("cancel_order", {"order_id": hotel.orders["a"]}),  # not theirs: the system's
        ("cancel_order", {"order_id": hotel.orders["x"]}),
        ("check_out", {"room": ROOM_101}),
        ("check_in", {"room": ROOM_101, "guest_name": "Mallory"}),
        (
            "request_service",
            {"room": "Room 999", "service_type": "towels"},
        ),
    ):
        if action == "request_service" and data["room"] == "Room 999":
            with pytest.raises(ServiceValidationError):
                await hotel.call(who, action, data)
            continue
        await assert_refused(hotel, who, action, data)
    # Its own room's orders only: no address, no phone of anybody else.
    seen = await hotel.call(who, "get_orders", {})
    assert {o["order_id"] for o in seen["orders"]} == {
        hotel.orders["a"],
        hotel.orders["g"],
    }
    assert "Private Road" not in str(seen)
    # Its own request it may cancel (it booked it).
    mine = await hotel.call(
        who, "request_service", {"room": ROOM_101, "service_type": "towels"}
    )
    await hotel.call(who, "cancel_order", {"order_id": mine["order"]["order_id"]})
    # Appliances only during a stay.
    change = {"room": ROOM_101, "appliance": "light", "state": "on", "reason": "dark"}
    await hotel.call(who, "request_appliance_change", change)
    await hotel.call(SYSTEM, "check_out", {"room": ROOM_101})
    await assert_refused(hotel, who, "request_appliance_change", change)
    # The other room's user is refused Room 101.
    await assert_refused(
        hotel,
        "room_102",
        "request_service",
        {"room": ROOM_101, "service_type": "towels"},
    )


async def test_unknown_user_has_no_role(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    before = snapshot(hotel)
    with pytest.raises(Unauthorized):
        await hass.services.async_call(
            "doorservice",
            "get_orders",
            {},
            blocking=True,
            return_response=True,
            context=Context(user_id="nobody"),
        )
    assert snapshot(hotel) == before


async def test_a_booker_without_a_role_keeps_their_order(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    booked = await hotel.call(
        ROOM_TERMINAL,
        "book_cleaning",
        {"room": ROOM_101, "service_type": "room_cleaning", "start": tomorrow()},
    )
    order_id = booked["order"]["order_id"]
    # The tablet's user leaves Room 101 (the site reloads with the new room data).
    sub = next(s for s in hotel.entry.subentries.values() if s.title == ROOM_101)
    hass.config_entries.async_update_subentry(
        hotel.entry, sub, data={**sub.data, "users": []}
    )
    await hass.async_block_till_done()
    seen = await hotel.call(ROOM_TERMINAL, "get_orders", {})
    assert [o["order_id"] for o in seen["orders"]] == [order_id]
    await assert_refused(
        hotel,
        ROOM_TERMINAL,
        "request_service",
        {"room": ROOM_101, "service_type": "towels"},
    )
    await hotel.call(ROOM_TERMINAL, "cancel_order", {"order_id": order_id})
    # Nobody else without a role sees anything.
    await assert_refused(hotel, READ_ONLY, "get_orders", {})
