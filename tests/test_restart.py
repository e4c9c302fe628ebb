"""A real restart: stop Home Assistant, start a new one on the same config directory.

Everything the first instance leaves behind is chosen to differ from what a fresh
site would show: orders in several states, unused and used codes with a short
validity (not the default one), keys in a compartment and with a worker, a
compartment out of service, a worker off duty and a keypad locked out. The second
instance must show exactly that, and act on it: the stored codes open their own
compartment (and only until their own ``valid_until``), the used one is refused, the
lockout still holds, and every key moves on from the holder it had before the restart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_test_home_assistant,
)

from custom_components.doorservice.const import DOMAIN
from homeassistant import loader
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .conftest import cabinet, worker

CAB = "Lobby cabinet"
CODE_VALIDITY_HOURS = 3  # the default is 48
LOCK = "lock.lobby_cabinet_compartment_{}"
CONTENTS = "sensor.lobby_cabinet_compartment_{}_contents"
IN_SERVICE = "switch.lobby_cabinet_compartment_{}_in_service"


@asynccontextmanager
async def running_hass(config_dir: Path) -> AsyncIterator[HomeAssistant]:
    """Start a Home Assistant on ``config_dir`` with real storage on disk."""
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        await hass.config_entries.async_initialize()
        await hass.async_block_till_done()
        yield hass
        await hass.async_stop(force=True)


async def _create_site(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "user"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Lakeside", "site_type": "home", "currency": "EUR"}
    )
    entry = result["result"]
    for sub in (cabinet(CAB, 4), worker("Anna", "cleaning")):
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, sub["subentry_type"]), context={"source": "user"}
        )
        await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": sub["title"], **sub["data"]}
        )
    await hass.async_block_till_done()
    # A policy that differs from the defaults (saving it reloads the site).
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "policy"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "dispatch_strategy": "broadcast",
            "acceptance_timeout": 600,
            "code_validity": CODE_VALIDITY_HOURS,
            "offline_repair_after": 30,
        },
    )
    assert result["type"] == "create_entry", result
    await hass.async_block_till_done()
    return str(entry.entry_id)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Use no harness instance here: its storage is an in-memory mock."""


async def _call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def _refused(hass: HomeAssistant, code: str) -> str:
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "unlock_compartment", cabinet=CAB, code=code)
    return str(err.value.translation_key)


async def _let_time_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Move the clock; the virtual person opens and closes a door meanwhile."""
    step = min(delta, timedelta(seconds=2.5))
    passed = timedelta()
    while passed < delta:
        freezer.tick(step)
        passed += step
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def _orders(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    return {o["order_id"]: o for o in (await _call(hass, "get_orders"))["orders"]}


def _states(hass: HomeAssistant, template: str) -> list[str]:
    return [hass.states.get(template.format(n)).state for n in range(1, 5)]


def _key_moves(hass: HomeAssistant) -> list[tuple[str, str, str]]:
    moves: list[tuple[str, str, str]] = []
    hass.bus.async_listen(
        "doorservice_key_moved",
        callback(
            lambda e: moves.append((e.data["order_id"], e.data["from"], e.data["to"]))
        ),
    )
    return moves


def _until(code: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(code["valid_until"])


async def test_state_survives_a_restart(
    tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    """Orders, codes, custody, stock of places and lockout are as they were."""
    freezer.move_to("2026-11-21T09:00:00+00:00")
    start = (dt_util.utcnow() + timedelta(minutes=10)).isoformat()

    async with running_hass(tmp_path) as first:
        entry_id = await _create_site(first)
        moves = _key_moves(first)

        async def book(**extra: Any) -> dict[str, Any]:
            return await _call(
                first, "book_cleaning", address="1 Lake Road", start=start, **extra
            )

        # A: key deposited in compartment 1, accepted by Anna: her pickup code waits.
        booked = await book(store_key=True)
        a_id, (a_dropoff,) = booked["order"]["order_id"], booked["codes"]
        await _call(first, "unlock_compartment", cabinet=CAB, code=a_dropoff["pin"])
        await _let_time_pass(first, freezer, timedelta(seconds=5))
        (a_pickup,) = (
            await _call(first, "accept_order", order_id=a_id, worker="Anna")
        )["codes"]
        # B: key picked up and the work done: Anna holds the key, a return code waits.
        booked = await book(store_key=True)
        b_id, (b_dropoff,) = booked["order"]["order_id"], booked["codes"]
        await _call(first, "unlock_compartment", cabinet=CAB, code=b_dropoff["pin"])
        await _let_time_pass(first, freezer, timedelta(seconds=5))
        (b_pickup,) = (
            await _call(first, "accept_order", order_id=b_id, worker="Anna")
        )["codes"]
        await _call(first, "unlock_compartment", cabinet=CAB, code=b_pickup["qr_token"])
        await _let_time_pass(first, freezer, timedelta(seconds=5))
        (b_return,) = (
            await _call(first, "complete_order", order_id=b_id, worker="Anna")
        )["codes"]
        # C: booked with a key that is still with the owner (compartment reserved).
        booked = await book(store_key=True)
        c_id, (c_dropoff,) = booked["order"]["order_id"], booked["codes"]
        # D: booked without a key, then cancelled.
        d_id = (await book())["order"]["order_id"]
        await _call(first, "cancel_order", order_id=d_id, reason="moved out")

        assert moves == [
            (a_id, "owner", "compartment 1"),
            (b_id, "owner", "compartment 2"),
            (b_id, "compartment 2", "Anna"),
        ]
        codes = {
            "a_pickup": a_pickup,
            "b_return": b_return,
            "c_dropoff": c_dropoff,
        }
        for name, code in codes.items():
            # Valid for the site's 3 h (from the visit's start), not the default 48 h.
            assert _until(code) - dt_util.utcnow() < timedelta(
                hours=CODE_VALIDITY_HOURS, minutes=10
            ), name
        # The last compartment out of service, Anna off duty.
        await first.services.async_call(
            "switch", "turn_off", {"entity_id": IN_SERVICE.format(4)}, blocking=True
        )
        await first.services.async_call(
            "switch", "turn_off", {"entity_id": "switch.anna_on_duty"}, blocking=True
        )
        # Five wrong entries lock the keypad out (5 minutes).
        wrong = next(
            f"{n:06d}"
            for n in range(1000000)
            if f"{n:06d}" not in {c["pin"] for c in codes.values()}
        )
        for _ in range(5):
            assert await _refused(first, wrong) in {"code_invalid", "keypad_locked_out"}
        assert await _refused(first, c_dropoff["pin"]) == "keypad_locked_out"

        before = await _orders(first)
        assert {i: o["state"] for i, o in before.items()} == {
            a_id: "accepted",
            b_id: "awaiting_return",
            c_id: "awaiting_dropoff",
            d_id: "cancelled",
        }
        contents_before = _states(first, CONTENTS)
        assert contents_before[0] == "key"
        assert contents_before[3] != "reserved"
        in_service_before = _states(first, IN_SERVICE)
        assert in_service_before == ["on", "on", "on", "off"]

    async with running_hass(tmp_path) as second:
        assert await second.config_entries.async_setup(entry_id)
        await second.async_block_till_done()
        moves = _key_moves(second)
        entry = second.config_entries.async_get_entry(entry_id)
        assert entry is not None
        assert sorted(s.title for s in entry.subentries.values()) == [
            "Anna",
            CAB,
        ]

        # Orders: the same states, workers, offers and histories.
        assert await _orders(second) == before
        # Places: contents, service state, the worker's duty.
        assert _states(second, CONTENTS) == contents_before
        assert _states(second, IN_SERVICE) == in_service_before
        assert second.states.get("switch.anna_on_duty").state == "off"
        assert _states(second, LOCK) == ["locked"] * 4

        # The lockout is still on: even a right code is refused, and no lock moves.
        assert await _refused(second, c_dropoff["pin"]) == "keypad_locked_out"
        assert _states(second, LOCK) == ["locked"] * 4
        await _let_time_pass(second, freezer, timedelta(minutes=5))

        # Used codes stay used.
        assert await _refused(second, a_dropoff["pin"]) == "code_already_used"
        assert await _refused(second, b_pickup["pin"]) == "code_already_used"

        # A's pickup code opens compartment 1; the key moves on from compartment 1.
        opened = await _call(
            second, "unlock_compartment", cabinet=CAB, code=a_pickup["pin"]
        )
        assert (opened["compartment"], opened["purpose"]) == (1, "pickup")
        assert _states(second, LOCK)[0] == "unlocked"
        await _let_time_pass(second, freezer, timedelta(seconds=5))
        assert _states(second, LOCK) == ["locked"] * 4
        # B's return code opens its compartment; the key comes back from Anna.
        opened = await _call(
            second, "unlock_compartment", cabinet=CAB, code=b_return["qr_token"]
        )
        assert (opened["compartment"], opened["purpose"]) == (
            b_return["compartment"],
            "return",
        )
        await _let_time_pass(second, freezer, timedelta(seconds=5))
        assert moves == [
            (a_id, "compartment 1", "Anna"),
            (b_id, "Anna", f"compartment {b_return['compartment']}"),
        ]
        states = {i: o["state"] for i, o in (await _orders(second)).items()}
        assert (states[a_id], states[b_id]) == ("in_progress", "completed")

        # C's drop-off code keeps the validity it was issued with (not the default).
        freezer.move_to(_until(c_dropoff) + timedelta(minutes=1))
        async_fire_time_changed(second)
        await second.async_block_till_done()
        assert await _refused(second, c_dropoff["pin"]) == "code_expired"
        assert await second.config_entries.async_unload(entry_id)


async def test_nothing_is_lost_between_two_restarts_without_changes(
    tmp_path: Path,
) -> None:
    """Restarts that change nothing lose nothing (a load writes back what it read)."""
    async with running_hass(tmp_path) as first:
        entry_id = await _create_site(first)
        await _call(
            first,
            "book_cleaning",
            address="1 Lake Road",
            start=(dt_util.utcnow() + timedelta(hours=1)).isoformat(),
            store_key=True,
        )
        orders = await _orders(first)
        # Unloaded here (the other test stops without unloading): the calendar's
        # timer for the visit's start would otherwise linger past the test.
        assert await first.config_entries.async_unload(entry_id)

    for _ in range(2):
        async with running_hass(tmp_path) as again:
            assert await again.config_entries.async_setup(entry_id)
            await again.async_block_till_done()
            assert await _orders(again) == orders
            assert again.states.get(CONTENTS.format(1)).state == "reserved"
            assert await again.config_entries.async_unload(entry_id)
