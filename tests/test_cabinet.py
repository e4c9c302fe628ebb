"""The smart cabinet in Home Assistant: keyed flow, codes, lockout, restarts, faults."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.cabinet_glue import qr_png
from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.coordinator import SiteCoordinator
from custom_components.doorservice.core.codes import CodePurpose
from custom_components.doorservice.core.events import CodeDelivery
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from .conftest import (
    cabinet,
    setup_entry,
    site_entry,
    stored_custody,
    stored_state,
    worker,
)

CAB = "Lobby cabinet"


@pytest.fixture
def entry() -> MockConfigEntry:
    return site_entry(
        "Lakeside",
        "home",
        [cabinet(CAB, 3), worker("Anna", "cleaning")],
    )


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def holder(hass: HomeAssistant, entry: MockConfigEntry, order_id: str) -> str:
    site = entry.runtime_data.site
    assert not site.custody.invariant_violations()
    for cab in site.cabinets.values():
        assert not cab.invariant_violations()
    if order_id in site.custody:
        return str(site.custody.get(order_id).holder)
    # A finished order left memory; its key record is kept with it in the database.
    return str(stored_custody(entry, order_id).holder)


@pytest.fixture
def collect_codes(monkeypatch: pytest.MonkeyPatch) -> list[CodeDelivery]:
    """Collect codes every site issues (a test's view of the core, across reloads).

    The owner has no notify target: a collect code issued when a door closes
    reaches no person; tests read it from the published events.
    """
    found: list[CodeDelivery] = []
    publish = SiteCoordinator._publish

    def _publish(self: SiteCoordinator, events: Any, *args: Any) -> None:
        found.extend(
            e
            for e in events
            if isinstance(e, CodeDelivery) and e.purpose is CodePurpose.COLLECT
        )
        publish(self, events, *args)

    monkeypatch.setattr(SiteCoordinator, "_publish", _publish)
    return found


def no_code_in_notifications(hass: HomeAssistant, *secrets: str) -> None:
    """No code in any persistent notification (readable by every user)."""
    notes = str(hass.data.get("persistent_notification") or {})
    for secret in secrets:
        assert secret not in notes


def contents(hass: HomeAssistant, number: int = 1) -> str:
    return hass.states.get(f"sensor.lobby_cabinet_compartment_{number}_contents").state


def order_state(entry: MockConfigEntry, order_id: str) -> str:
    return stored_state(entry, order_id)


async def person(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the virtual person open and close the door."""
    for _ in range(2):
        freezer.tick(timedelta(seconds=2.5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def book(hass: HomeAssistant, **extra: Any) -> dict[str, Any]:
    return await call(
        hass,
        "book_cleaning",
        address="1 Lake Road",
        start=(dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
        contact_phone="+49 170 1234567",
        **extra,
    )


async def test_keyed_flow_custody_after_every_step(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    collect_codes: list[CodeDelivery],
) -> None:
    await setup_entry(hass, entry)
    bus: list[Event] = []
    hass.bus.async_listen("*", callback(lambda e: bus.append(e)))
    secrets: list[str] = []

    booked = await book(hass, store_key=True)
    order_id = booked["order"]["order_id"]
    (dropoff,) = booked["codes"]
    secrets += [dropoff["pin"], dropoff["qr_token"]]
    assert dropoff["purpose"] == "dropoff"
    assert order_state(entry, order_id) == "awaiting_dropoff"
    assert holder(hass, entry, order_id) == "owner"
    assert contents(hass) == "reserved"
    assert hass.states.get("sensor.lobby_cabinet_free_compartments").state == "2"

    opened = await call(
        hass, "unlock_compartment", cabinet=CAB, code=dropoff["qr_token"]
    )
    assert opened["compartment"] == 1
    assert opened["purpose"] == "dropoff"
    assert holder(hass, entry, order_id) == "owner"  # the door has not closed yet
    await person(hass, freezer)
    assert holder(hass, entry, order_id) == "compartment:1"
    assert order_state(entry, order_id) == "offered"
    assert contents(hass) == "key"

    accepted = await call(hass, "accept_order", order_id=order_id, worker="Anna")
    (pickup,) = accepted["codes"]
    secrets += [pickup["pin"], pickup["qr_token"]]
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_order", order_id=order_id, worker="Anna")
    assert err.value.translation_key == "order_starts_at_pickup"

    # The keypad: the board reports the entry, exactly the service's path.
    cab = next(iter(entry.runtime_data.cabinets.values()))
    cab.driver.enter_code(pickup["pin"])
    await hass.async_block_till_done()
    await person(hass, freezer)
    assert holder(hass, entry, order_id) == "worker:" + next(
        s.subentry_id for s in entry.subentries.values() if s.title == "Anna"
    )
    assert order_state(entry, order_id) == "in_progress"
    assert contents(hass) == "empty"

    done = await call(hass, "complete_order", order_id=order_id, worker="Anna")
    (ret,) = done["codes"]
    secrets += [ret["pin"], ret["qr_token"]]
    assert order_state(entry, order_id) == "awaiting_return"
    await call(hass, "unlock_compartment", cabinet=CAB, code=ret["pin"])
    await person(hass, freezer)
    assert order_state(entry, order_id) == "completed"
    assert holder(hass, entry, order_id).startswith("compartment:")

    # The owner's collect code was issued when the door closed; the owner has no
    # channel yet, so it is in no persistent notification (every user reads those).
    (collect,) = collect_codes
    pin = collect.issued.pin
    secrets += [pin, collect.issued.token]
    assert not hass.data.get("persistent_notification")
    await call(hass, "unlock_compartment", cabinet=CAB, code=pin)
    await person(hass, freezer)
    assert order_state(entry, order_id) == "closed"
    assert holder(hass, entry, order_id) == "owner"
    assert hass.states.get("sensor.lobby_cabinet_free_compartments").state == "3"

    # Secrets never in states or in our bus events (the responses held them; the
    # caller's own ``call_service`` data is Home Assistant's, not ours).
    everything = str([s.as_dict() for s in hass.states.async_all()]) + str(
        [(e.event_type, e.data) for e in bus if e.event_type != "call_service"]
    )
    for secret in secrets:
        assert secret not in everything
    no_code_in_notifications(hass, *secrets)
    kinds = [
        e.data.get("result") for e in bus if e.event_type == "doorservice_code_used"
    ]
    assert kinds == ["accepted"] * 4
    assert len([e for e in bus if e.event_type == "doorservice_key_moved"]) == 4
    event_state = hass.states.get("event.lobby_cabinet_cabinet")
    assert event_state.attributes["event_type"] == "door_closed"


async def test_supplies_only_flow(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await book(hass, supplies=[{"sku": "sponges", "quantity": 2}])
    assert err.value.translation_key == "insufficient_stock"
    restocked = await call(
        hass,
        "restock_cabinet",
        cabinet=CAB,
        supplies=[{"sku": "sponges", "quantity": 6}],
    )
    assert restocked["stock"] == {"sponges": 6}
    assert restocked["codes"] == []
    low = hass.states.get("sensor.lobby_cabinet_supplies_low_on_stock")
    booked = await book(hass, supplies=[{"sku": "sponges", "quantity": 2}])
    order_id = booked["order"]["order_id"]
    assert "codes" not in booked
    assert order_state(entry, order_id) == "offered"
    low = hass.states.get("sensor.lobby_cabinet_supplies_low_on_stock")
    assert low.state == "1"
    assert low.attributes["low"] == ["sponges"]
    restocked = await call(hass, "restock_cabinet", cabinet=CAB)
    (restock,) = restocked["codes"]
    await call(hass, "unlock_compartment", cabinet=CAB, code=restock["pin"])
    await person(hass, freezer)
    assert contents(hass) == "supplies"
    accepted = await call(hass, "accept_order", order_id=order_id, worker="Anna")
    (pickup,) = accepted["codes"]
    await call(hass, "unlock_compartment", cabinet=CAB, code=pickup["pin"])
    await person(hass, freezer)
    assert order_state(entry, order_id) == "in_progress"
    assert contents(hass) == "empty"
    await call(hass, "complete_order", order_id=order_id, worker="Anna")
    assert order_state(entry, order_id) == "closed"
    assert entry.runtime_data.site.stock[
        entry.runtime_data.cabinets[next(iter(entry.runtime_data.cabinets))].cabinet_id
    ].on_hand == {"sponges": 4}


async def test_purchase_supplies_and_cancel(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    await call(
        hass,
        "restock_cabinet",
        cabinet=CAB,
        supplies=[{"sku": "sponges", "quantity": 9}],
    )
    booked = await book(hass, store_key=True)
    order_id = booked["order"]["order_id"]
    bought = await call(
        hass,
        "purchase_supplies",
        order_id=order_id,
        supplies=[{"sku": "sponges", "quantity": 2}],
    )
    assert bought["supplies_total"] == "5.00"
    (dropoff,) = booked["codes"]
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    await person(hass, freezer)
    cancelled = await call(hass, "cancel_order", order_id=order_id)
    (collect,) = cancelled["codes"]
    assert collect["purpose"] == "collect"
    assert order_state(entry, order_id) == "cancelled"
    assert holder(hass, entry, order_id) == "compartment:1"
    site = entry.runtime_data.site
    assert site.stock[next(iter(site.stock))].available("sponges") == 9
    await call(hass, "unlock_compartment", cabinet=CAB, code=collect["qr_token"])
    await person(hass, freezer)
    assert holder(hass, entry, order_id) == "owner"
    assert contents(hass) == "empty"


async def test_bad_codes_change_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    second = cabinet("Garage cabinet", 2)
    entry = site_entry(
        "Lakeside", "home", [cabinet(CAB, 3), second, worker("Anna", "cleaning")]
    )
    await setup_entry(hass, entry)
    booked = await book(hass, store_key=True, cabinet=CAB)
    (dropoff,) = booked["codes"]
    order_id = booked["order"]["order_id"]
    site = entry.runtime_data.site

    async def refused(code: str, key: str, where: str = CAB) -> None:
        before = {k: v for k, v in site.to_dict().items() if k != "codes"}
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "unlock_compartment", cabinet=where, code=code)
        assert err.value.translation_key == key
        assert {k: v for k, v in site.to_dict().items() if k != "codes"} == before

    await refused("000000" if dropoff["pin"] != "000000" else "111111", "code_invalid")
    # A code of another cabinet is just invalid there (no cabinet named).
    await refused(dropoff["pin"], "code_invalid", "Garage cabinet")
    await refused("not-a-token", "code_invalid")
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    await person(hass, freezer)
    await refused(dropoff["pin"], "code_already_used")
    # A pickup code before accept does not exist; a collect code is for later.
    accepted = await call(hass, "accept_order", order_id=order_id, worker="Anna")
    (pickup,) = accepted["codes"]
    freezer.tick(timedelta(hours=60))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    await refused(pickup["pin"], "code_expired")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "confirm_compartment", cabinet=CAB, compartment=2)
    assert err.value.translation_key == "nothing_to_confirm"
    with pytest.raises(ServiceValidationError):
        await call(hass, "unlock_compartment", cabinet="Nowhere", code="123456")


async def test_wrong_purpose_code_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    booked = await book(hass, store_key=True)
    order_id = booked["order"]["order_id"]
    (dropoff,) = booked["codes"]
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    await person(hass, freezer)
    # A valid code whose purpose does not fit the order's state (a collect code
    # while the key waits for its cleaner) opens nothing and changes nothing.
    site = entry.runtime_data.site
    cabinet_id = next(iter(site.cabinets))
    now = dt_util.utcnow()
    stray = site.codes.issue(
        order_id=order_id,
        cabinet_id=cabinet_id,
        compartment=dropoff["compartment"],
        purpose=CodePurpose.COLLECT,
        holder="owner",
        valid_from=now,
        valid_until=now + timedelta(hours=1),
        now=now,
    )
    before = site.to_dict()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=stray.pin)
    assert err.value.translation_key == "code_not_usable_now"
    assert site.to_dict() == before
    pickup = (await call(hass, "accept_order", order_id=order_id, worker="Anna"))[
        "codes"
    ][0]
    await call(hass, "unlock_compartment", cabinet=CAB, code=pickup["pin"])
    await person(hass, freezer)
    ret = (await call(hass, "complete_order", order_id=order_id, worker="Anna"))[
        "codes"
    ][0]
    # The order moved on: a second dropoff-like use is impossible; the collect
    # code of a not yet returned key does not exist, and a return code cannot be
    # used once the key is back.
    await call(hass, "unlock_compartment", cabinet=CAB, code=ret["pin"])
    await person(hass, freezer)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=ret["qr_token"])
    assert err.value.translation_key == "code_already_used"


async def test_brute_force_and_lockout(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    await setup_entry(hass, entry)
    booked = await book(hass, store_key=True)
    (dropoff,) = booked["codes"]
    unlocks: list[Event] = []
    hass.bus.async_listen(
        "doorservice_code_used",
        callback(
            lambda e: unlocks.append(e) if e.data["result"] == "accepted" else None
        ),
    )
    lockouts: list[Event] = []
    hass.bus.async_listen(
        "doorservice_code_used",
        callback(
            lambda e: lockouts.append(e) if e.data["result"] == "lockout" else None
        ),
    )
    cab = next(iter(entry.runtime_data.cabinets.values()))
    wrong = 0
    for n in range(1000):
        guess = f"{(n * 7919) % 1000000:06d}"
        if guess == dropoff["pin"]:
            continue
        wrong += 1
        if n % 2:
            cab.driver.enter_code(guess)
        else:
            with pytest.raises(ServiceValidationError):
                await call(hass, "unlock_compartment", cabinet=CAB, code=guess)
        if n % 100 == 0:
            freezer.tick(timedelta(days=2))
    await hass.async_block_till_done()
    assert unlocks == []
    assert lockouts
    assert all(c.driver.state.compartments[1].locked for c in [cab])
    state = hass.states.get("event.lobby_cabinet_cabinet")
    assert state.attributes["event_type"] in ("lockout", "code_rejected")

    # Locked out now: even the right code is refused; a notification says so.
    freezer.tick(timedelta(days=2))
    for n in range(5):
        with pytest.raises(ServiceValidationError):
            await call(hass, "unlock_compartment", cabinet=CAB, code=f"99999{n}")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert err.value.translation_key == "keypad_locked_out"
    notes = hass.data.get("persistent_notification") or {}
    assert any("lockout" in k for k in notes)
    assert dropoff["pin"] not in caplog.text
    assert dropoff["qr_token"] not in caplog.text


async def test_offline_board_refuses_and_keeps_the_code(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    booked = await book(hass, store_key=True)
    (dropoff,) = booked["codes"]
    order_id = booked["order"]["order_id"]
    cab = next(iter(entry.runtime_data.cabinets.values()))
    cab.driver.set_available(False)
    await hass.async_block_till_done()
    site = entry.runtime_data.site
    before = site.to_dict()
    states = {s.entity_id: s.state for s in hass.states.async_all()}
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert err.value.translation_key == "board_offline"
    assert site.to_dict() == before
    assert {s.entity_id: s.state for s in hass.states.async_all()} == states
    cab.driver.set_available(True)
    await hass.async_block_till_done()
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    await person(hass, freezer)
    assert order_state(entry, order_id) == "offered"


async def test_board_without_door_sensor_and_confirm(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    cab = next(iter(entry.runtime_data.cabinets.values()))
    cab.driver.state.has_door_sensors = False
    booked = await book(hass, store_key=True)
    order_id = booked["order"]["order_id"]
    await call(hass, "unlock_compartment", cabinet=CAB, code=booked["codes"][0]["pin"])
    assert order_state(entry, order_id) == "offered"
    cab.driver.state.has_door_sensors = True
    cab.driver._simulate_person = False
    pickup = (await call(hass, "accept_order", order_id=order_id, worker="Anna"))[
        "codes"
    ][0]
    opened = await call(hass, "unlock_compartment", cabinet=CAB, code=pickup["pin"])
    assert order_state(entry, order_id) == "accepted"
    confirmed = await call(
        hass, "confirm_compartment", cabinet=CAB, compartment=opened["compartment"]
    )
    assert confirmed["purpose"] == "pickup"
    assert order_state(entry, order_id) == "in_progress"
    await person(hass, freezer)


@pytest.mark.parametrize("hop", ["dropoff", "pickup", "return", "collect"])
async def test_restart_in_the_middle_of_each_hop(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hop: str,
    collect_codes: list[CodeDelivery],
) -> None:
    await setup_entry(hass, entry)
    cab = next(iter(entry.runtime_data.cabinets.values()))
    booked = await book(hass, store_key=True)
    order_id = booked["order"]["order_id"]
    code = booked["codes"][0]
    steps = ["dropoff", "pickup", "return", "collect"]
    for step in steps:
        if step == "pickup":
            code = (await call(hass, "accept_order", order_id=order_id, worker="Anna"))[
                "codes"
            ][0]
        elif step == "return":
            code = (
                await call(hass, "complete_order", order_id=order_id, worker="Anna")
            )["codes"][0]
        elif step == "collect":
            code = {"pin": collect_codes[-1].issued.pin}
        cab = next(iter(entry.runtime_data.cabinets.values()))
        if step != hop:
            await call(hass, "unlock_compartment", cabinet=CAB, code=code["pin"])
            await person(hass, freezer)
            continue
        cab.driver._simulate_person = False
        opened = await call(hass, "unlock_compartment", cabinet=CAB, code=code["pin"])
        cab.driver.set_door(opened["compartment"], open_=True)
        await hass.async_block_till_done()
        state_before = order_state(entry, order_id)
        holder_before = holder(hass, entry, order_id)
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        # The new board reports every door closed: the hop completes.
        assert order_state(entry, order_id) != state_before or step == "collect"
        assert holder(hass, entry, order_id) != holder_before
        await person(hass, freezer)
    assert order_state(entry, order_id) == "closed"
    assert holder(hass, entry, order_id) == "owner"


async def test_esphome_keypad_event_and_qr_image(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
    hass_client: Any,
) -> None:
    entry.add_to_hass(hass)
    board = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("esphome", "cabinet-board")}
    )
    sub = next(s for s in entry.subentries.values() if s.title == CAB)
    hass.config_entries.async_update_subentry(
        entry, sub, data={**sub.data, "board_device": board.id}
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    booked = await book(hass, store_key=True)
    order_id = booked["order"]["order_id"]
    hass.bus.async_fire(
        "esphome.doorservice_code_entered", {"code": "123", "device_id": "other"}
    )
    hass.bus.async_fire(
        "esphome.doorservice_code_entered",
        {"code": booked["codes"][0]["pin"], "device_id": board.id},
    )
    await hass.async_block_till_done()
    await person(hass, freezer)
    assert order_state(entry, order_id) == "offered"

    # Public booking is off by default: no link reaches the board, and the image
    # says how to turn it on instead of encoding a link (tests/test_booking_page.py
    # covers the link itself).
    runtime = entry.runtime_data
    cab = next(iter(runtime.cabinets.values()))
    assert runtime.cabinet_glue.qr_payloads == {cab.cabinet_id: ""}
    assert cab.driver.state.qr_payload is None
    png = qr_png("https://door.example/doorservice/book/x")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    client = await hass_client()
    state = hass.states.get("image.lobby_cabinet_booking_qr_code")
    resp = await client.get(state.attributes["entity_picture"])
    assert resp.status == 200
    assert resp.content_type == "image/svg+xml"
    assert b"Public booking is off" in await resp.read()


async def test_logbook_describes_codes_and_hops(hass: HomeAssistant) -> None:
    from custom_components.doorservice.logbook import async_describe_events

    described: dict[str, Any] = {}
    async_describe_events(
        hass, lambda domain, event, fn: described.__setitem__(event, fn)
    )
    site = {"site": "Lakeside", "cabinet": "Lobby"}
    code = described["doorservice_code_used"]
    accepted = code(
        Event(
            "doorservice_code_used",
            {
                **site,
                "result": "accepted",
                "purpose": "pickup",
                "holder": "Anna",
                "order_id": "DS-2345",
                "compartment": 1,
            },
        )
    )
    assert accepted["message"].startswith("accepted a pickup code of Anna")
    assert "wrong" in code(Event("x", {**site, "result": "lockout"}))["message"]
    assert (
        "code invalid"
        in code(Event("x", {**site, "result": "rejected", "reason": "code_invalid"}))[
            "message"
        ]
    )
    moved = described["doorservice_key_moved"](
        Event(
            "x",
            {
                "site": "Lakeside",
                "order_id": "DS-2345",
                "from": "owner",
                "to": "compartment 1",
                "actor": "owner",
            },
        )
    )
    assert moved["message"] == "key moved from owner to compartment 1 by owner"


async def test_compartments_out_of_service_are_not_allocated(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    await setup_entry(hass, entry)
    for number in (1, 2):
        await hass.services.async_call(
            "switch",
            "turn_off",
            {"entity_id": f"switch.lobby_cabinet_compartment_{number}_in_service"},
            blocking=True,
        )
    assert (
        hass.states.get("switch.lobby_cabinet_compartment_1_in_service").state == "off"
    )
    booked = await book(hass, store_key=True)
    (dropoff,) = booked["codes"]
    assert dropoff["compartment"] == 3
    # A compartment that holds an order cannot be taken out of service.
    before = entry.runtime_data.site.to_dict()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "switch",
            "turn_off",
            {"entity_id": "switch.lobby_cabinet_compartment_3_in_service"},
            blocking=True,
        )
    assert err.value.translation_key == "compartment_in_use"
    assert entry.runtime_data.site.to_dict() == before
    # Nothing is free any more: the next booking with a key is refused at once.
    with pytest.raises(ServiceValidationError) as err:
        await book(hass, store_key=True)
    assert err.value.translation_key == "no_free_compartment"
    await hass.services.async_call(
        "switch",
        "turn_on",
        {"entity_id": "switch.lobby_cabinet_compartment_1_in_service"},
        blocking=True,
    )
    assert (
        hass.states.get("switch.lobby_cabinet_compartment_1_in_service").state == "on"
    )
