"""A hotel with real Home Assistant users of every role (tests of the Trust table).

The role table of README.md is :data:`ROLE_TABLE`; :func:`async_hotel` sets up the
site, its users and a few orders, :func:`snapshot` is what a refused call must
leave unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
import json
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_CODE_VALIDITY,
    CONF_DISPATCH_STRATEGY,
    CONF_PERSON,
    CONF_USER_ID,
    CONF_USERS,
    DOMAIN,
)
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import cabinet, room, setup_entry, site_entry, worker

MANAGER = "manager"
SYSTEM = "system"
STAFF = "staff"
ROOM_TERMINAL = "room_terminal"
BOOKER = "booker"
READ_ONLY = "read_only"
PLAIN = "plain_user"
"""Roles of the walk: the five of DESIGN.md, plus two users with none."""

ROLE_TABLE: dict[str, frozenset[str]] = {
    "book_cleaning": frozenset({MANAGER, SYSTEM, ROOM_TERMINAL}),
    "request_service": frozenset({MANAGER, SYSTEM, STAFF, ROOM_TERMINAL}),
    "assign_order": frozenset({MANAGER, SYSTEM}),
    "accept_order": frozenset({MANAGER, SYSTEM, STAFF}),
    "decline_order": frozenset({MANAGER, SYSTEM, STAFF}),
    "give_back_order": frozenset({MANAGER, SYSTEM, STAFF}),
    "start_order": frozenset({MANAGER, SYSTEM, STAFF}),
    "complete_order": frozenset({MANAGER, SYSTEM, STAFF}),
    "cancel_order": frozenset({MANAGER, SYSTEM, BOOKER}),
    # Staff too, for a code of their own on an order they hold (its own test).
    "reissue_code": frozenset({MANAGER, SYSTEM, BOOKER}),
    "get_orders": frozenset({MANAGER, SYSTEM, STAFF, ROOM_TERMINAL, BOOKER}),
    "check_in": frozenset({MANAGER, SYSTEM}),
    "check_out": frozenset({MANAGER, SYSTEM}),
    "get_catalog": frozenset({MANAGER, SYSTEM, STAFF, ROOM_TERMINAL}),
    "get_room_appliances": frozenset({MANAGER, SYSTEM, STAFF, ROOM_TERMINAL}),
    "get_folio": frozenset({MANAGER, SYSTEM, ROOM_TERMINAL}),
    "request_appliance_change": frozenset({MANAGER, SYSTEM, STAFF, ROOM_TERMINAL}),
    "set_do_not_disturb": frozenset({MANAGER, SYSTEM, ROOM_TERMINAL}),
    "unlock_compartment": frozenset({MANAGER, SYSTEM}),
    "confirm_compartment": frozenset({MANAGER, SYSTEM}),
    "purchase_supplies": frozenset({MANAGER, SYSTEM, BOOKER}),
    "restock_cabinet": frozenset({MANAGER, SYSTEM}),
    "refresh_calendars": frozenset({MANAGER, SYSTEM}),
    "press_virtual_keypad": frozenset({MANAGER, SYSTEM}),
    "set_public_booking": frozenset({MANAGER, SYSTEM}),
    "rotate_booking_link": frozenset({MANAGER, SYSTEM}),
}
"""Action -> the roles that may call it (within the limits of README.md)."""

NO_RESPONSE = frozenset({"set_do_not_disturb", "press_virtual_keypad"})
"""Actions that return no response data."""

CAB = "Lobby cabinet"
ROOM_101 = "Room 101"
ROOM_102 = "Room 102"
WORKER_A = "Mei"  # her user comes through her person entity
WORKER_B = "Tom"  # his user is named in the subentry
APPLIANCES = [{"id": "light", "name": "Light", "kind": "light"}]
PHONE = "+1 555 010 7788"


@dataclass
class Hotel:
    """The site, its users (by role name) and the orders set up for the walk."""

    hass: HomeAssistant
    entry: MockConfigEntry
    users: dict[str, User]
    orders: dict[str, str] = field(default_factory=dict)
    pins: dict[str, str] = field(default_factory=dict)

    def context(self, who: str) -> Context:
        """Return the context of a call by ``who`` (``system``: no user)."""
        if who == SYSTEM:
            return Context()
        return Context(user_id=self.users[who].id)

    async def call(self, who: str, action: str, data: dict[str, Any]) -> Any:
        """Call a Door Service action as ``who`` (with its response when it has one)."""
        return await self.hass.services.async_call(
            DOMAIN,
            action,
            data,
            blocking=True,
            return_response=action not in NO_RESPONSE,
            context=self.context(who),
        )


async def async_users(hass: HomeAssistant) -> dict[str, User]:
    """Create one Home Assistant user per role (and the read-only and plain ones)."""
    groups = {
        MANAGER: "system-admin",
        STAFF: "system-users",
        "staff_b": "system-users",
        ROOM_TERMINAL: "system-users",
        "room_102": "system-users",
        READ_ONLY: "system-read-only",
        PLAIN: "system-users",
    }
    return {
        name: await hass.auth.async_create_user(name, group_ids=[group])
        for name, group in groups.items()
    }


def tomorrow() -> str:
    """Return a start time for a booking (ISO, tomorrow)."""
    return (dt_util.now() + timedelta(days=1)).replace(microsecond=0).isoformat()


async def async_hotel(
    hass: HomeAssistant, tick: Callable[[], object] | None = None
) -> Hotel:
    """Set up the hotel, its users and the orders every walk starts from.

    ``tick`` (a frozen clock's) runs before each call that sets up the orders.
    """
    users = await async_users(hass)
    hass.states.async_set(
        "person.mei", "home", {CONF_USER_ID: users[STAFF].id, "friendly_name": "Mei"}
    )
    entry = await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [
                cabinet(CAB, 6),
                room(
                    ROOM_101,
                    "1st floor",
                    appliances=APPLIANCES,
                    **{CONF_USERS: [users[ROOM_TERMINAL].id]},
                ),
                room(ROOM_102, **{CONF_USERS: [users["room_102"].id]}),
                worker(WORKER_A, "housekeeping", **{CONF_PERSON: "person.mei"}),
                worker(
                    WORKER_B,
                    "housekeeping",
                    "cleaning",
                    **{CONF_USER_ID: users["staff_b"].id},
                ),
            ],
            options={
                CONF_DISPATCH_STRATEGY: "manual",
                CONF_ACCEPTANCE_TIMEOUT: 60,
                CONF_CODE_VALIDITY: 48,
            },
        ),
    )
    hotel = Hotel(hass, entry, users)

    async def system(action: str, data: dict[str, Any]) -> Any:
        if tick is not None:
            tick()
        return await hotel.call(SYSTEM, action, data)

    async def request(name: str, room_name: str, service: str) -> str:
        done = await system(
            "request_service", {"room": room_name, "service_type": service}
        )
        hotel.orders[name] = done["order"]["order_id"]
        return str(hotel.orders[name])

    await system("check_in", {"room": ROOM_101, "guest_name": "Ada Guest"})
    await system(
        "restock_cabinet",
        {"cabinet": CAB, "supplies": [{"sku": "sponges", "quantity": 20}]},
    )
    # order_a: offered to Mei in Room 101 (she accepts, starts, completes it).
    await request("a", ROOM_101, "towels")
    await system("assign_order", {"order_id": hotel.orders["a"], "worker": WORKER_A})
    # order_b: Tom's, in Room 102.
    await request("b", ROOM_102, "towels")
    await system("assign_order", {"order_id": hotel.orders["b"], "worker": WORKER_B})
    await system("accept_order", {"order_id": hotel.orders["b"], "worker": WORKER_B})
    # order_d: offered to Mei in Room 102 (she declines it).
    await request("d", ROOM_102, "bed_linen")
    await system("assign_order", {"order_id": hotel.orders["d"], "worker": WORKER_A})
    # order_g: accepted by Mei in Room 101 (she gives it back).
    await request("g", ROOM_101, "amenities")
    await system("assign_order", {"order_id": hotel.orders["g"], "worker": WORKER_A})
    await system("accept_order", {"order_id": hotel.orders["g"], "worker": WORKER_A})
    # Bookings by the system at somebody's address, one with a key to leave.
    for name, extra in (
        ("x", {}),
        ("x2", {}),
        ("keyed", {"store_key": True, "cabinet": CAB}),
    ):
        booked = await system(
            "book_cleaning",
            {
                "address": f"{name} Private Road 7",
                "start": tomorrow(),
                "contact_phone": PHONE,
                "message": "the key is under the mat",
                **extra,
            },
        )
        hotel.orders[name] = booked["order"]["order_id"]
        for code in booked.get("codes", []):
            hotel.pins[name] = code["pin"]
    return hotel


def snapshot(hotel: Hotel) -> str:
    """What a refused call must not change: the site and every entity's state."""
    runtime = hotel.entry.runtime_data
    states = sorted(
        (state.entity_id, state.state, json.dumps(dict(state.attributes), default=str))
        for state in hotel.hass.states.async_all()
    )
    return json.dumps(
        {"site": runtime.site.to_dict(), "states": states},
        sort_keys=True,
        default=str,
    )
