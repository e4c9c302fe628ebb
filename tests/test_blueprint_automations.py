"""Every blueprint run as a real automation: its trigger fires, its actions happen.

The blueprints are copied into the test's configuration directory, where Home
Assistant's ``automation`` integration finds them through ``use_blueprint``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.const import DOMAIN
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import cabinet, room, setup_entry, site_entry, worker

BLUEPRINTS = Path(__file__).parents[1] / "blueprints"


@pytest.fixture(autouse=True)
def config_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A configuration directory holding the shipped blueprints."""
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    (tmp_path / ".storage").mkdir()
    hass.config.config_dir = str(tmp_path)
    return tmp_path


async def automate(hass: HomeAssistant, blueprint: str, **inputs: Any) -> None:
    """Set up one automation from a shipped blueprint; it must be on."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "id": blueprint,
                    "alias": blueprint,
                    "use_blueprint": {
                        "path": f"doorservice/{blueprint}.yaml",
                        "input": inputs,
                    },
                }
            ]
        },
    )
    await hass.async_block_till_done()
    assert hass.states.get(f"automation.{blueprint}").state == "on"


def recorder(hass: HomeAssistant, domain: str, service: str) -> list[ServiceCall]:
    """Register a stand-in action (a phone, a speaker) and record its calls."""
    calls: list[ServiceCall] = []

    @callback
    def _record(call: ServiceCall) -> None:
        calls.append(call)

    hass.services.async_register(domain, service, _record)
    return calls


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


def room_device(hass: HomeAssistant, entry: MockConfigEntry, title: str) -> str:
    subentry_id = next(
        sub.subentry_id for sub in entry.subentries.values() if sub.title == title
    )
    device = next(
        d
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if d.config_subentry_id == subentry_id
    )
    return device.id


def orders(entry: MockConfigEntry, **match: Any) -> list[Any]:
    return [
        order
        for order in entry.runtime_data.site.desk.book
        if all(getattr(order, key) == value for key, value in match.items())
    ]


@pytest.fixture
async def hotel(hass: HomeAssistant) -> MockConfigEntry:
    return await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [room("Room 101"), worker("Mei", "housekeeping")],
        ),
    )


async def test_wall_button_raises_a_request(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    assert await async_setup_component(
        hass, "input_button", {"input_button": {"towel_button": {"name": "Towels"}}}
    )
    await automate(
        hass,
        "wall_button_request",
        button="input_button.towel_button",
        room=room_device(hass, hotel, "Room 101"),
        service_type="towels",
        quantity=2,
    )
    room_id = next(iter(hotel.subentries))
    assert not orders(hotel, room=room_id)
    await hass.services.async_call(
        "input_button", "press", {"entity_id": "input_button.towel_button"}, True
    )
    await hass.async_block_till_done()
    [order] = orders(hotel, room=room_id)
    assert order.service_type == "towels"
    assert order.quantity == 2


async def test_the_manager_hears_of_an_escalation(hass: HomeAssistant) -> None:
    # Nobody takes maintenance: a broken AC escalates at once.
    entry = await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora", "hotel", [room("Room 101"), worker("Mei", "housekeeping")]
        ),
    )
    phone = recorder(hass, "notify", "boss")
    await automate(
        hass,
        "escalation_notify_manager",
        notify_action="notify.boss",
        site_name="Hotel Aurora",
    )
    result = await call(
        hass, "request_service", {"room": "Room 101", "service_type": "repair"}
    )
    await hass.async_block_till_done()
    order_id = result["order"]["order_id"]
    assert entry.runtime_data.site.order(order_id).escalated
    [sent] = phone
    assert order_id in sent.data["title"]
    assert "Room 101" in sent.data["message"]


async def test_answers_are_spoken_on_the_room_speaker(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    spoken = recorder(hass, "tts", "speak")
    await automate(
        hass,
        "announce_answer",
        requests="event.room_101_requests",
        tts="tts.piper",
        speaker="media_player.room_101",
    )
    result = await call(
        hass, "request_service", {"room": "Room 101", "service_type": "towels"}
    )
    order_id = result["order"]["order_id"]
    await hass.async_block_till_done()
    assert spoken == []  # received is not an answer
    for step in ("accept", "start", "complete"):
        await call(hass, f"{step}_order", {"order_id": order_id, "worker": "Mei"})
        await hass.async_block_till_done()
    assert [c.data["message"] for c in spoken] == [
        "Mei is on the way with your Fresh towels.",
        "Your Fresh towels request is done.",
    ]
    assert spoken[0].data["media_player_entity_id"] == "media_player.room_101"
    assert spoken[0].data["entity_id"] == ["tts.piper"]


async def test_a_compartment_left_open_is_reported_and_locked(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_entry(
        hass, site_entry("Lakeside", "home", [cabinet("Lobby cabinet", 2)])
    )
    cab = next(iter(entry.runtime_data.cabinets.values()))
    cab.driver._simulate_person = False  # the door stays open
    registry = er.async_get(hass)
    door = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == "binary_sensor" and e.unique_id.endswith("_compartment_door_1")
    )
    lock = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == "lock" and e.unique_id.endswith("_compartment_lock_1")
    )
    phone = recorder(hass, "notify", "boss")
    audits: list[Event] = []
    hass.bus.async_listen("doorservice_compartment_audit", audits.append)
    await automate(
        hass,
        "compartment_door_open",
        door=door,
        lock=lock,
        minutes=2,
        notify_action="notify.boss",
    )
    cab.driver.set_door(1, open_=True)
    await hass.async_block_till_done()
    assert hass.states.get(door).state == "on"
    freezer.tick(timedelta(minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert phone == []  # not yet
    freezer.tick(timedelta(minutes=1, seconds=5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    [sent] = phone
    assert sent.data["title"] == "Compartment left open"
    assert [a.data["action"] for a in audits] == ["maintenance_lock"]
    assert audits[0].data["compartment"] == 1
    assert hass.states.get(lock).state == "locked"


async def test_low_supplies_go_on_the_shopping_list(hass: HomeAssistant) -> None:
    shopping = MockConfigEntry(domain="shopping_list")
    shopping.add_to_hass(hass)
    assert await hass.config_entries.async_setup(shopping.entry_id)
    entry = await setup_entry(
        hass, site_entry("Lakeside", "home", [cabinet("Lobby cabinet", 2)])
    )
    registry = er.async_get(hass)
    cabinet_events = next(
        e.entity_id
        for e in er.async_entries_for_config_entry(registry, entry.entry_id)
        if e.domain == "event" and e.config_subentry_id is not None
    )
    await automate(
        hass,
        "low_supplies_shopping_list",
        cabinet_events=cabinet_events,
        todo_list="todo.shopping_list",
    )
    # Two rolls of trash bags: at or below the threshold of 5.
    await call(
        hass,
        "restock_cabinet",
        {
            "cabinet": "Lobby cabinet",
            "supplies": [{"sku": "trash_bags", "quantity": 2}],
        },
    )
    await hass.async_block_till_done()
    items = await hass.services.async_call(
        "todo",
        "get_items",
        {"entity_id": "todo.shopping_list"},
        blocking=True,
        return_response=True,
    )
    [item] = items["todo.shopping_list"]["items"]  # type: ignore[index]
    assert item["summary"] == "Trash bags (roll of 20)"


async def test_checkout_switches_off_and_orders_a_cleaning(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"room_101_ac": {"initial": True}}}
    )
    await automate(
        hass,
        "checkout_appliances_cleaning",
        requests="event.room_101_requests",
        room=room_device(hass, hotel, "Room 101"),
        appliances=["input_boolean.room_101_ac"],
        service_type="bed_linen",
    )
    await call(
        hass,
        "check_in",
        {"room": "Room 101", "guest_name": "Ada", "language": "en"},
    )
    await hass.async_block_till_done()
    assert hass.states.get("input_boolean.room_101_ac").state == "on"
    await call(hass, "check_out", {"room": "Room 101"})
    await hass.async_block_till_done()
    assert hass.states.get("input_boolean.room_101_ac").state == "off"
    room_id = next(iter(hotel.subentries))
    kinds = sorted(order.service_type for order in orders(hotel, room=room_id))
    assert kinds == ["bed_linen", "room_cleaning"]


@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_a_calendar_checkout_books_a_cleaning(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(dt_util.utcnow().replace(minute=0, second=0, microsecond=0))
    entry = await setup_entry(
        hass, site_entry("Lakeside", "home", [worker("Anna", "cleaning")])
    )
    calendar = MockConfigEntry(
        domain="local_calendar",
        data={"calendar_name": "Lake flat", "storage_key": "lake_flat"},
    )
    calendar.add_to_hass(hass)
    assert await hass.config_entries.async_setup(calendar.entry_id)
    await hass.async_block_till_done()
    now = dt_util.now()
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": "calendar.lake_flat",
            "summary": "Guest Ada",
            "start_date_time": (now - timedelta(days=2)).isoformat(),
            "end_date_time": (now + timedelta(minutes=10)).isoformat(),
        },
        blocking=True,
    )
    await automate(
        hass,
        "calendar_checkout_cleaning",
        calendar="calendar.lake_flat",
        site=entry.entry_id,
        address="12 Lake Road",
        minutes_after=30,
    )
    assert not orders(entry)
    freezer.tick(timedelta(minutes=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    [order] = orders(entry)
    assert order.address == "12 Lake Road"
    assert order.service_type == "standard_cleaning"
    assert order.message == "After Guest Ada"
    expected = now + timedelta(minutes=41)
    assert abs(order.scheduled_start - expected) < timedelta(minutes=1)


async def test_an_answer_flashes_the_room_light(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    flashes = recorder(hass, "light", "turn_on")
    await automate(
        hass,
        "wall_button_answers",
        requests="event.room_101_requests",
        light="light.room_101_lamp",
    )
    result = await call(
        hass, "request_service", {"room": "Room 101", "service_type": "towels"}
    )
    await hass.async_block_till_done()
    assert flashes == []
    await call(
        hass, "accept_order", {"order_id": result["order"]["order_id"], "worker": "Mei"}
    )
    await hass.async_block_till_done()
    [flash] = flashes
    assert flash.data == {"entity_id": ["light.room_101_lamp"], "flash": "short"}


@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_the_weekly_cleaning_is_booked_and_sent_to_the_owner(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # A Friday, 07:59 local time.
    friday = dt_util.as_local(dt_util.utcnow()).replace(
        hour=7, minute=59, second=0, microsecond=0
    )
    friday += timedelta(days=(4 - friday.weekday()) % 7 or 7)
    freezer.move_to(friday)
    entry = await setup_entry(
        hass, site_entry("Lakeside", "home", [worker("Anna", "cleaning")])
    )
    owner = recorder(hass, "notify", "owner")
    await automate(
        hass,
        "weekly_cleaning",
        site=entry.entry_id,
        address="12 Lake Road",
        weekday="fri",
        book_at="08:00:00",
        owner_notify="notify.owner",
    )
    freezer.tick(timedelta(minutes=1, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    [order] = orders(entry)
    assert order.address == "12 Lake Road"
    expected = friday.replace(minute=0) + timedelta(hours=3)  # 08:00 + 2 h
    assert abs(order.scheduled_start - expected) < timedelta(seconds=5)
    [sent] = owner
    assert sent.data["title"] == f"Cleaning booked: {order.id}"
