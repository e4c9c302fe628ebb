"""The life cycle of a code at the cabinet, in Home Assistant.

Reserve, then unlock, then use when the door opens: a second simultaneous entry of
one code is refused before any unlock command goes out, a failed unlock releases the
code, a door that never opens keeps it valid. Lock faults raise repair issues;
forced-open and tamper alarms become bus events and reach the manager; the keypad is
told how each entry went; lockouts are per source and never longer than 15 minutes;
and no code is ever in a persistent notification, a state or an event.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.doorservice.const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_CODE_VALIDITY,
    CONF_DISPATCH_STRATEGY,
    CONF_MANAGER_NOTIFY,
    DOMAIN,
    EVENT_FORCED_OPEN,
    EVENT_TAMPER,
)
from custom_components.doorservice.core.access_codes import MAX_LOCKOUT
from custom_components.doorservice.drivers.base import (
    BoardReport,
    BoardSignal,
    DriverError,
    KeypadFeedback,
)
from custom_components.doorservice.logbook import async_describe_events
from homeassistant.auth.models import User
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .conftest import cabinet, setup_entry, site_entry, stored_state, worker

CAB = "Lobby cabinet"


@pytest.fixture
def entry() -> MockConfigEntry:
    return site_entry(
        "Lakeside",
        "home",
        [cabinet(CAB, 3), worker("Anna", "cleaning")],
        options={
            CONF_DISPATCH_STRATEGY: "broadcast",
            CONF_ACCEPTANCE_TIMEOUT: 10,
            CONF_CODE_VALIDITY: 48,
            CONF_MANAGER_NOTIFY: "notify.manager",
        },
    )


async def call(
    hass: HomeAssistant, service: str, context: Context | None = None, **data: Any
) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True, context=context
    )
    assert response is not None
    return dict(response)


async def book(hass: HomeAssistant) -> tuple[str, dict[str, Any]]:
    booked = await call(
        hass,
        "book_cleaning",
        address="1 Lake Road",
        start=(dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
        store_key=True,
    )
    return booked["order"]["order_id"], booked["codes"][0]


def board(entry: MockConfigEntry) -> Any:
    """The virtual driver, with its simulated person told to stay away."""
    driver = next(iter(entry.runtime_data.cabinets.values())).driver
    driver._simulate_person = False
    return driver


def the_code(entry: MockConfigEntry, order_id: str) -> Any:
    (code,) = entry.runtime_data.site.codes.of_order(order_id)
    return code


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


async def test_two_simultaneous_entries_send_one_unlock(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    order_id, dropoff = await book(hass)
    driver = board(entry)
    unlocks: list[int] = []
    started = asyncio.Event()
    release = asyncio.Event()
    unlock = driver.async_unlock

    async def slow_unlock(compartment: int) -> None:
        unlocks.append(compartment)
        started.set()
        await release.wait()  # the board takes its time to confirm
        await unlock(compartment)

    driver.async_unlock = slow_unlock
    first = hass.async_create_task(
        call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    )
    await started.wait()
    # The reservation is committed before the unlock command went out.
    assert the_code(entry, order_id).reserved_until is not None
    for entry_text in (dropoff["pin"], dropoff["qr_token"]):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "unlock_compartment", cabinet=CAB, code=entry_text)
        assert err.value.translation_key == "code_in_use"
    driver.enter_code(dropoff["pin"])  # the keypad too
    await asyncio.sleep(0)
    release.set()
    opened = await first
    await hass.async_block_till_done()
    assert opened["purpose"] == "dropoff"
    assert unlocks == [1]
    # A correct code in use is no guess: nothing counted.
    assert entry.runtime_data.site.codes.guards == {}
    driver.set_door(1, open_=True)
    await hass.async_block_till_done()
    assert the_code(entry, order_id).used_at is not None
    driver.set_door(1, open_=False)
    await hass.async_block_till_done()
    assert stored_state(entry, order_id) == "offered"


async def test_failed_unlock_releases_the_code_and_lock_fault_is_translated(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    order_id, dropoff = await book(hass)
    driver = board(entry)
    unlock = driver.async_unlock

    async def jammed(compartment: int) -> None:
        raise DriverError("lock_fault", state="jammed")

    driver.async_unlock = jammed
    site = entry.runtime_data.site
    before = site.to_dict()
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert err.value.translation_key == "lock_fault"
    assert err.value.translation_placeholders == {
        "cabinet": CAB,
        "compartment": "1",
        "state": "jammed",
    }
    assert str(err.value).startswith(
        "The lock of compartment 1 in Lobby cabinet reports a fault (jammed); "
        "nothing was opened and the code stays valid"
    )
    # Released in a committed operation: exactly as before, the code valid again.
    assert site.to_dict() == before
    assert the_code(entry, order_id).reserved_until is None
    driver.async_unlock = unlock
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    driver.set_door(1, open_=True)
    await hass.async_block_till_done()
    assert the_code(entry, order_id).used_at is not None


async def test_code_used_when_the_door_opens_and_kept_when_it_does_not(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    order_id, dropoff = await book(hass)
    driver = board(entry)
    events: list[Event] = []
    hass.bus.async_listen("doorservice_code_used", callback(lambda e: events.append(e)))

    opened = await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert opened["compartment"] == 1
    code = the_code(entry, order_id)
    # Unlocked, but the code is not used until the door opens.
    assert not driver.state.compartments[1].locked
    assert code.used_at is None
    assert code.reserved_until is not None
    # Nobody opens the door: the driver relocks after its door-open timeout and
    # the code stays valid; that is no failure.
    await tick(hass, freezer, driver.door_open_timeout + 1)
    assert driver.state.compartments[1].locked
    code = the_code(entry, order_id)
    assert code.used_at is None
    assert code.reserved_until is None
    assert entry.runtime_data.site.codes.guards == {}
    assert stored_state(entry, order_id) == "awaiting_dropoff"

    # Again, and this time the door opens: the code is used then.
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["qr_token"])
    await tick(hass, freezer, 3)
    assert the_code(entry, order_id).used_at is None
    driver.set_door(1, open_=True)
    await hass.async_block_till_done()
    assert the_code(entry, order_id).used_at is not None
    driver.set_door(1, open_=False)
    await hass.async_block_till_done()
    assert stored_state(entry, order_id) == "offered"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert err.value.translation_key == "code_already_used"
    assert [e.data["result"] for e in events] == ["accepted", "accepted", "rejected"]


async def test_restart_mid_unlock_reservation_expires(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    order_id, dropoff = await book(hass)
    driver = board(entry)
    started = asyncio.Event()

    async def hang(compartment: int) -> None:
        started.set()
        await asyncio.sleep(3600)

    driver.async_unlock = hang
    task = hass.async_create_background_task(
        call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"]), "unlock"
    )
    await started.wait()
    assert the_code(entry, order_id).reserved_until is not None
    task.cancel()  # Home Assistant stops mid-unlock
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert err.value.translation_key == "code_in_use"
    freezer.tick(timedelta(minutes=2))
    opened = await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert opened["purpose"] == "dropoff"


async def test_board_without_door_sensor_uses_the_code_at_the_lock(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    order_id, dropoff = await book(hass)
    driver = board(entry)
    driver.state.has_door_sensors = False
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    assert the_code(entry, order_id).used_at is not None
    assert stored_state(entry, order_id) == "offered"


async def test_lock_fault_report_raises_a_repair_issue_until_locked(
    hass: HomeAssistant, entry: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    await setup_entry(hass, entry)
    driver = board(entry)
    cabinet_id = next(iter(entry.runtime_data.cabinets))
    issue_id = f"lock_fault_{entry.entry_id}_{cabinet_id}_2"
    driver._report(BoardReport(BoardSignal.FAULT, "jammed", compartment=2))
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "lock_fault"
    assert issue.translation_placeholders == {
        "cabinet": CAB,
        "compartment": "2",
        "state": "jammed",
        "site": "Lakeside",
    }
    other = issue_id.removesuffix("2") + "1"
    assert issue_registry.async_get_issue(DOMAIN, other) is None
    driver._report(BoardReport(BoardSignal.LOCK, True, compartment=2))
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_forced_open_and_tamper_fire_events_and_tell_the_manager(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    notify = async_mock_service(hass, "notify", "manager")
    await setup_entry(hass, entry)
    _order_id, dropoff = await book(hass)
    driver = board(entry)
    forced: list[Event] = []
    tamper: list[Event] = []
    hass.bus.async_listen(EVENT_FORCED_OPEN, callback(lambda e: forced.append(e)))
    hass.bus.async_listen(EVENT_TAMPER, callback(lambda e: tamper.append(e)))
    driver._report(BoardReport(BoardSignal.FORCED_OPEN, True, compartment=2))
    driver._report(BoardReport(BoardSignal.TAMPER, True))
    await hass.async_block_till_done()
    site = {"site": "Lakeside", "site_id": entry.entry_id, "cabinet": CAB}
    assert [e.data for e in forced] == [{**site, "compartment": 2}]
    assert [e.data for e in tamper] == [site]
    assert [c.data["title"] for c in notify] == [
        "Lobby cabinet: compartment 2 forced open",
        "Lobby cabinet: tamper alarm",
    ]
    for sent in notify:
        assert dropoff["pin"] not in str(sent.data)
        assert dropoff["qr_token"] not in str(sent.data)
    state = hass.states.get("event.lobby_cabinet_cabinet")
    assert state.attributes["event_type"] == "tamper"

    described: dict[str, Any] = {}
    async_describe_events(
        hass, lambda _domain, event_type, fn: described.__setitem__(event_type, fn)
    )
    assert "forced open" in described[EVENT_FORCED_OPEN](forced[0])["message"]
    assert "tamper" in described[EVENT_TAMPER](tamper[0])["message"]


async def test_keypad_feedback_after_each_entry(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await setup_entry(hass, entry)
    order_id, dropoff = await book(hass)
    driver = board(entry)
    calls: list[str] = []
    unlock = driver.async_unlock

    async def record_unlock(compartment: int) -> None:
        calls.append("unlock")
        await unlock(compartment)

    async def feedback(result: KeypadFeedback) -> None:
        calls.append(result.value)
        raise DriverError("board_command_failed")  # best effort: never breaks

    driver.async_unlock = record_unlock
    driver.async_keypad_feedback = feedback
    wrong = "000000" if dropoff["pin"] != "000000" else "111111"
    driver.enter_code(wrong)
    await hass.async_block_till_done()
    driver.enter_code(dropoff["pin"])
    await hass.async_block_till_done()
    assert calls == ["rejected", "unlock", "accepted"]
    driver.set_door(1, open_=True)
    driver.set_door(1, open_=False)
    await hass.async_block_till_done()
    assert stored_state(entry, order_id) == "offered"
    pickup = (await call(hass, "accept_order", order_id=order_id, worker="Anna"))[
        "codes"
    ][0]

    # Four more wrong entries make five: the fifth locks the keypad out and says
    # so at once, and so does the next.
    calls.clear()
    for _ in range(5):
        driver.enter_code(wrong)
        await hass.async_block_till_done()
    assert calls == ["rejected"] * 3 + ["locked_out"] * 2

    calls.clear()
    await tick(hass, freezer, MAX_LOCKOUT.total_seconds())
    driver.set_available(False)
    await hass.async_block_till_done()
    driver.enter_code(pickup["pin"])
    await hass.async_block_till_done()
    assert calls == ["unlock", "out_of_service"]  # the board is offline
    assert the_code_of(entry, order_id, "pickup").reserved_until is None


def the_code_of(entry: MockConfigEntry, order_id: str, purpose: str) -> Any:
    return next(
        c
        for c in entry.runtime_data.site.codes.of_order(order_id)
        if c.purpose == purpose
    )


async def test_lockout_per_source_never_longer_than_15_minutes(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_read_only_user: User,
    hass_admin_user: User,
) -> None:
    await setup_entry(hass, entry)
    _order_id, dropoff = await book(hass)
    driver = board(entry)
    lockouts: list[Event] = []
    hass.bus.async_listen(
        "doorservice_code_used",
        callback(
            lambda e: lockouts.append(e) if e.data["result"] == "lockout" else None
        ),
    )
    wrong = [f"{n:06d}" for n in range(100) if f"{n:06d}" != dropoff["pin"]]

    async def guess(code: str, context: Context | None) -> str:
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "unlock_compartment", context, cabinet=CAB, code=code)
        return str(err.value.translation_key)

    # An ordinary account cannot even try (manager and automations only).
    with pytest.raises(Unauthorized):
        await call(
            hass,
            "unlock_compartment",
            Context(user_id=hass_read_only_user.id),
            cabinet=CAB,
            code=wrong[0],
        )
    # A (compromised) manager account guesses: locked out after 5, only that one.
    second_admin = await hass.auth.async_create_user(
        "Second manager", group_ids=["system-admin"]
    )
    attacker = Context(user_id=second_admin.id)
    assert [await guess(w, attacker) for w in wrong[:5]] == ["code_invalid"] * 5
    assert await guess(dropoff["pin"], attacker) == "keypad_locked_out"
    assert lockouts[-1].data["source"] == "caller"
    assert not hass.data.get("persistent_notification")  # one caller: no alarm
    # The keypad and every other user are untouched; a QR token always works.
    other = Context(user_id=hass_admin_user.id)
    assert await guess(wrong[10], other) == "code_invalid"
    assert await guess(wrong[11], None) == "code_invalid"

    # The attacker at the keypad: 5 wrong, locked for 5 min; then on probation
    # every 2 wrong lock it again, never for more than 15 minutes.
    for w in wrong[20:25]:
        driver.enter_code(w)
        await hass.async_block_till_done()
    durations = []
    for round_ in range(4):
        event = lockouts[-1]
        assert event.data["source"] == "keypad"
        until = dt_util.parse_datetime(event.data["until"])
        durations.append(until - dt_util.utcnow())
        freezer.move_to(until)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        for w in wrong[30 + 2 * round_ : 32 + 2 * round_]:
            driver.enter_code(w)
            await hass.async_block_till_done()
    assert durations == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=15),
        timedelta(minutes=15),
    ]
    assert max(durations) <= MAX_LOCKOUT == timedelta(minutes=15)
    assert lockouts[-1].data["source"] == "keypad"
    assert hass.data.get("persistent_notification")  # the keypad: the alarm says so
    # While the keypad is locked, the holder's QR token still opens at the keypad.
    driver.enter_code(dropoff["qr_token"])
    await hass.async_block_till_done()
    assert not driver.state.compartments[1].locked


async def test_collect_code_only_in_the_response_of_its_call(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    await setup_entry(hass, entry)
    bus: list[Event] = []
    hass.bus.async_listen("*", callback(lambda e: bus.append(e)))
    order_id, dropoff = await book(hass)
    driver = board(entry)
    driver.state.has_door_sensors = False
    await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    pickup = (await call(hass, "accept_order", order_id=order_id, worker="Anna"))[
        "codes"
    ][0]
    await call(hass, "unlock_compartment", cabinet=CAB, code=pickup["pin"])
    ret = (await call(hass, "complete_order", order_id=order_id, worker="Anna"))[
        "codes"
    ][0]
    returned = await call(hass, "unlock_compartment", cabinet=CAB, code=ret["pin"])
    (collect,) = returned["codes"]
    assert collect["purpose"] == "collect"
    assert collect["holder"] == "owner"
    await hass.async_block_till_done()
    secrets = [collect["pin"], collect["qr_token"]]
    everything = str([s.as_dict() for s in hass.states.async_all()]) + str(
        [(e.event_type, e.data) for e in bus if e.event_type != "call_service"]
    )
    for secret in secrets:
        assert secret not in everything
        assert secret not in str(hass.data.get("persistent_notification") or {})
    opened = await call(hass, "unlock_compartment", cabinet=CAB, code=collect["pin"])
    assert opened["purpose"] == "collect"
    assert stored_state(entry, order_id) == "closed"
