"""A keyed order walked through a real board: shared by the end-to-end tests.

The order goes owner -> compartment -> worker -> compartment -> owner. Every hop is
opened by a one-time PIN typed on the board's keypad (``hands.enter_code``), the real
lock must unlock (``hands.unlocked``), and a person opens and closes the real door
(``hands.open_door`` / ``hands.close_door``); the door closing completes the hop.
Custody is checked (exactly one holder, the expected one) after every step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
import time
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import DOMAIN, EVENT_CODE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from ..conftest import stored_custody, stored_state

type Step = Callable[[int], Awaitable[None]]


async def wait_for(predicate: Callable[[], bool], what: str, within: float = 5) -> None:
    """Poll ``predicate`` while the event loop runs; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def state_of(hass: HomeAssistant, entity_id: str) -> str | None:
    state = hass.states.get(entity_id)
    return None if state is None else state.state


@dataclass(frozen=True, slots=True)
class Hands:
    """What a person (and the test) does at the real board."""

    enter_code: Callable[[str], Awaitable[None]]
    """Type a PIN on the board's keypad."""
    unlocked: Step
    """Check that the board's lock of a compartment was unlocked (by the code)."""
    open_door: Step
    close_door: Step
    settled: Callable[[], Awaitable[None]]
    """Wait until every lock of the board is locked again (its pulse is over):
    the next person comes after the last one left."""


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call a Door Service service and return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def holder(entry: MockConfigEntry, order_id: str) -> str:
    """Where the order's key is; checks that it is in exactly one place."""
    site = entry.runtime_data.site
    assert not site.custody.invariant_violations()
    for cabinet in site.cabinets.values():
        assert not cabinet.invariant_violations()
    if order_id in site.custody:
        return str(site.custody.get(order_id).holder)
    # A finished order left memory; its key record is kept with it in the database.
    return str(stored_custody(entry, order_id).holder)


def order_state(entry: MockConfigEntry, order_id: str) -> str:
    """The order's lifecycle state."""
    return stored_state(entry, order_id)


async def walk_keyed_order(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hands: Hands,
    *,
    cabinet_entity: str,
    worker: str = "Anna",
) -> None:
    """Book, drop off, pick up, return and collect a key through the board."""
    code_events: list[Event] = []
    unsub = hass.bus.async_listen(
        EVENT_CODE, callback(lambda event: code_events.append(event))
    )
    worker_id = next(
        s.subentry_id for s in entry.subentries.values() if s.title == worker
    )

    async def hop(pin: str, purpose: str, before: str) -> int:
        """Open a compartment with ``pin`` at the keypad; the person uses it."""
        await hands.settled()
        seen = len(code_events)
        await hands.enter_code(pin)
        await wait_for(lambda: len(code_events) > seen, f"the {purpose} code used")
        (used,) = code_events[seen:]
        assert used.data["result"] == "accepted"
        assert used.data["purpose"] == purpose
        assert used.data["order_id"] == order_id
        number = int(used.data["compartment"])
        assert pin not in str(used.data)
        # Unlocked, but the key has not moved: the door has not closed yet.
        assert holder(entry, order_id) == before
        await hands.unlocked(number)
        door = f"binary_sensor.{cabinet_entity}_compartment_{number}_door"
        await hands.open_door(number)
        await wait_for(lambda: state_of(hass, door) == "on", f"door {number} open")
        assert holder(entry, order_id) == before
        await hands.close_door(number)
        await wait_for(
            lambda: holder(entry, order_id) != before, f"the {purpose} hop to complete"
        )
        # The hop is decided; its entities are written once it is committed.
        assert state_of(hass, door) == "off"
        # The keypad entry was used exactly once (no second, refused entry).
        assert code_events[seen:] == [used]
        return number

    try:
        booked = await call(
            hass,
            "book_cleaning",
            address="1 Lake Road",
            start=(dt_util.utcnow() + timedelta(minutes=5)).isoformat(),
            contact_phone="+49 170 1234567",
            store_key=True,
        )
        order_id = booked["order"]["order_id"]
        (dropoff,) = booked["codes"]
        assert dropoff["purpose"] == "dropoff"
        assert order_state(entry, order_id) == "awaiting_dropoff"
        assert holder(entry, order_id) == "owner"
        contents = f"sensor.{cabinet_entity}_compartment_{dropoff['compartment']}"
        assert state_of(hass, contents + "_contents") == "reserved"

        # 1. The owner leaves the key.
        number = await hop(dropoff["pin"], "dropoff", "owner")
        assert number == dropoff["compartment"]
        assert holder(entry, order_id) == f"compartment:{number}"
        assert order_state(entry, order_id) in ("queued", "offered")
        await wait_for(
            lambda: state_of(hass, contents + "_contents") == "key",
            f"{contents + '_contents'} key",
        )

        # 2. The worker accepts and picks the key up.
        accepted_order = await call(
            hass, "accept_order", order_id=order_id, worker=worker
        )
        (pickup,) = accepted_order["codes"]
        assert pickup["purpose"] == "pickup"
        assert order_state(entry, order_id) == "accepted"
        assert holder(entry, order_id) == f"compartment:{number}"
        await hop(pickup["pin"], "pickup", f"compartment:{number}")
        assert holder(entry, order_id) == f"worker:{worker_id}"
        assert order_state(entry, order_id) == "in_progress"
        await wait_for(
            lambda: state_of(hass, contents + "_contents") == "empty",
            f"{contents + '_contents'} empty",
        )

        # 3. Done: the worker returns the key.
        done = await call(hass, "complete_order", order_id=order_id, worker=worker)
        (ret,) = done["codes"]
        assert ret["purpose"] == "return"
        assert order_state(entry, order_id) == "awaiting_return"
        assert holder(entry, order_id) == f"worker:{worker_id}"
        returned = await hop(ret["pin"], "return", f"worker:{worker_id}")
        assert holder(entry, order_id) == f"compartment:{returned}"
        assert order_state(entry, order_id) == "completed"
        returned_contents = f"sensor.{cabinet_entity}_compartment_{returned}_contents"
        await wait_for(
            lambda: state_of(hass, returned_contents) == "key",
            f"{returned_contents} key",
        )

        # 4. The owner asks for the collect code (it reached nobody when the return
        # door closed) and collects the key with it; the code is in no notification.
        (collect_code,) = (await call(hass, "reissue_code", order_id=order_id))["codes"]
        assert collect_code["purpose"] == "collect"
        pin = collect_code["pin"]
        assert pin not in str(hass.data.get("persistent_notification") or {})
        await hop(pin, "collect", f"compartment:{returned}")
        assert holder(entry, order_id) == "owner"
        assert order_state(entry, order_id) == "closed"
        await wait_for(
            lambda: state_of(hass, returned_contents) == "empty",
            f"{returned_contents} empty",
        )
        assert [e.data["result"] for e in code_events] == ["accepted"] * 4
    finally:
        unsub()
