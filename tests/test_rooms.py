"""The room side in Home Assistant: stays, answers to rooms, billing, appliances."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.drivers.virtual import VirtualRoomDriver
from custom_components.doorservice.runtime import SiteRuntime
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util

from .conftest import room, setup_entry, site_entry, worker

APPLIANCES = [
    {"id": "light", "name": "Light", "kind": "light", "checkout_state": "off"},
    {"id": "ac", "name": "Air conditioning", "kind": "climate"},
    {"id": "curtain", "name": "Curtain", "kind": "cover"},
    {"id": "fan", "name": "Fan", "kind": "fan"},
    {"id": "tv", "name": "TV", "kind": "switch", "checkout_state": "unchanged"},
]
TABLET = "notify.room_101_tablet"
SOON = (dt_util.now() + timedelta(days=30)).replace(tzinfo=None).isoformat()


@pytest.fixture
def notifications(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Messages sent to the room tablet's notify action."""
    sent: list[dict[str, Any]] = []

    @callback
    def _notify(call: ServiceCall) -> None:
        sent.append(dict(call.data))

    hass.services.async_register("notify", "room_101_tablet", _notify)
    return sent


@pytest.fixture
async def hotel(hass: HomeAssistant) -> MockConfigEntry:
    """A hotel with a room full of appliances, a bare room and three workers."""
    return await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [
                room("Room 101", "1st floor", appliances=APPLIANCES),
                room("Room 102"),
                worker("Mei", "housekeeping"),
                worker("Tom", "maintenance"),
            ],
        ),
    )


def runtime_of(entry: MockConfigEntry) -> SiteRuntime:
    runtime: SiteRuntime = entry.runtime_data
    return runtime


def room_id(entry: MockConfigEntry, title: str = "Room 101") -> str:
    return next(s.subentry_id for s in entry.subentries.values() if s.title == title)


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], response: bool = True
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


async def check_in(hass: HomeAssistant, language: str = "en") -> dict[str, Any]:
    return await call(
        hass,
        "check_in",
        {
            "room": "Room 101",
            "guest_name": "Ada",
            "language": language,
            "notify_target": TABLET,
        },
    )


async def request(hass: HomeAssistant, service_type: str, quantity: int = 1) -> str:
    result = await call(
        hass,
        "request_service",
        {"room": "Room 101", "service_type": service_type, "quantity": quantity},
    )
    return str(result["order"]["order_id"])


async def work(hass: HomeAssistant, order_id: str, *steps: str) -> None:
    for step in steps:
        await call(
            hass, f"{step}_order", {"order_id": order_id, "worker": "Mei"}, False
        )
    await hass.async_block_till_done()


def event_type(hass: HomeAssistant) -> str:
    return str(hass.states.get("event.room_101_requests").attributes["event_type"])


async def test_paid_request_is_billed_and_answered_in_the_stay_language(
    hass: HomeAssistant, hotel: MockConfigEntry, notifications: list[dict[str, Any]]
) -> None:
    stay = await check_in(hass, "zh-Hans")
    assert stay["stay"]["language"] == "zh-Hans"
    assert hass.states.get("binary_sensor.room_101_stay").state == "on"
    assert hass.states.get("sensor.room_101_open_bill").state == "0"
    assert (
        hass.states.get("sensor.room_101_open_bill").attributes["unit_of_measurement"]
        == "EUR"
    )
    order_id = await request(hass, "laundry", 2)
    assert event_type(hass) == "request_received"
    await work(hass, order_id, "accept")
    assert event_type(hass) == "request_accepted"
    last = hass.states.get("sensor.room_101_last_request")
    assert last.state == "accepted"
    assert last.attributes["service"] == "Laundry"
    assert last.attributes["worker"] == "Mei"
    assert last.attributes["eta"] is not None
    assert "contact_phone" not in last.attributes
    await work(hass, order_id, "start")
    assert event_type(hass) == "request_started"
    await work(hass, order_id, "complete")
    assert hass.states.get("event.room_101_requests").attributes["event_type"] in (
        "request_completed",
        "charge_added",
    )
    assert Decimal(hass.states.get("sensor.room_101_open_bill").state) == Decimal(30)
    assert hass.states.get("sensor.room_101_last_request").state == "closed"
    texts = [n["message"] for n in notifications]
    assert texts[0].startswith("欢迎")
    assert any("Mei 正在前往" in text for text in texts)
    assert any("已完成" in text for text in texts)
    assert all(n["title"] == "Room 101" for n in notifications)


async def test_free_request_charges_nothing(
    hass: HomeAssistant, hotel: MockConfigEntry, notifications: list[dict[str, Any]]
) -> None:
    await check_in(hass)
    order_id = await request(hass, "towels")
    await work(hass, order_id, "accept", "start", "complete")
    assert hass.states.get("sensor.room_101_open_bill").state == "0"
    assert any("Fresh towels is done" in n["message"] for n in notifications)


async def test_cancelled_and_declined_requests_reach_the_room(
    hass: HomeAssistant, hotel: MockConfigEntry, notifications: list[dict[str, Any]]
) -> None:
    await check_in(hass)
    order_id = await request(hass, "minibar")
    await call(
        hass,
        "decline_order",
        {"order_id": order_id, "worker": "Mei", "reason": "busy"},
        False,
    )
    await hass.async_block_till_done()
    assert event_type(hass) == "request_declined"
    assert any("finding another" in n["message"] for n in notifications)
    await call(hass, "cancel_order", {"order_id": order_id}, False)
    await hass.async_block_till_done()
    assert event_type(hass) == "request_cancelled"
    assert hass.states.get("sensor.room_101_last_request").state == "cancelled"
    assert hass.states.get("sensor.room_101_open_bill").state == "0"


async def test_do_not_disturb_holds_cleaning_until_it_ends(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    await hass.services.async_call(
        "switch",
        "turn_on",
        {"entity_id": "switch.room_101_do_not_disturb"},
        blocking=True,
    )
    assert hass.states.get("switch.room_101_do_not_disturb").state == "on"
    cleaning = await request(hass, "room_cleaning")
    assert event_type(hass) == "request_held"
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    held = orders["orders"][0]
    assert (held["state"], held["hold_reason"]) == ("queued", "do_not_disturb")
    towels = await request(hass, "towels")
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    by_id = {o["order_id"]: o for o in orders["orders"]}
    assert by_id[towels]["state"] == "offered"
    await call(
        hass, "set_do_not_disturb", {"room": "Room 101", "on": False}, response=False
    )
    assert hass.states.get("switch.room_101_do_not_disturb").state == "off"
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    by_id = {o["order_id"]: o for o in orders["orders"]}
    assert by_id[cleaning]["state"] == "offered"
    assert by_id[cleaning]["hold_reason"] is None
    await hass.services.async_call(
        "switch",
        "turn_off",
        {"entity_id": "switch.room_101_do_not_disturb"},
        blocking=True,
    )


async def test_check_out_returns_the_folio_and_resets_the_room(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    closed: list[Any] = []
    hass.bus.async_listen("doorservice_folio_closed", closed.append)
    fired: list[str] = []

    @callback
    def _fired(event: Any) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == "event.room_101_requests" and new:
            fired.append(str(new.attributes.get("event_type")))

    hass.bus.async_listen("state_changed", _fired)
    await check_in(hass)
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.room_101_light", "brightness": 120},
        blocking=True,
    )
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.room_101_tv"}, blocking=True
    )
    assert hass.states.get("light.room_101_light").state == "on"
    order_id = await request(hass, "minibar")
    await work(hass, order_id, "accept", "start", "complete")
    # The open bill with its lines, before the check-out closes it.
    open_bill = await call(hass, "get_folio", {"room": "Room 101"})
    assert open_bill["room"] == "Room 101"
    assert open_bill["folio"]["total"] == "20.00"
    assert [line["order_id"] for line in open_bill["folio"]["lines"]] == [order_id]
    result = await call(hass, "check_out", {"room": "Room 101"})
    folio = result["folio"]
    # After the check-out the room has no bill.
    assert (await call(hass, "get_folio", {"room": "Room 101"}))["folio"] is None
    assert folio["total"] == "20.00"
    assert folio["currency"] == "EUR"
    assert folio["room"] == "Room 101"
    assert [line["description"] for line in folio["lines"]] == ["Minibar restock"]
    await hass.async_block_till_done()
    assert [event.data for event in closed] == [folio]
    assert "Ada" not in json.dumps(folio)
    assert fired[-2:] == ["checked_out", "request_received"]
    assert hass.states.get("light.room_101_light").state == "off"
    assert hass.states.get("cover.room_101_curtain").state == "closed"
    assert hass.states.get("switch.room_101_tv").state == "on"  # unchanged
    assert hass.states.get("binary_sensor.room_101_stay").state == "off"
    assert hass.states.get("sensor.room_101_open_bill").state == "0"
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    cleaning = [o for o in orders["orders"] if o["service_type"] == "room_cleaning"]
    assert [o["order_id"] for o in cleaning] == [folio["cleaning_order_id"]]
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "check_out", {"room": "Room 101"})
    assert err.value.translation_key == "no_active_stay"


async def test_guest_is_refused_outside_the_stay(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    runtime = runtime_of(hotel)
    before = json.dumps(runtime.site.to_dict(), sort_keys=True)
    states = {
        s.entity_id: s.state
        for s in hass.states.async_all()
        if "room_101" in s.entity_id
    }
    for domain, service, entity_id in (
        ("light", "turn_on", "light.room_101_light"),
        ("climate", "turn_on", "climate.room_101_air_conditioning"),
        ("cover", "open_cover", "cover.room_101_curtain"),
        ("fan", "turn_on", "fan.room_101_fan"),
        ("switch", "turn_on", "switch.room_101_tv"),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                domain, service, {"entity_id": entity_id}, blocking=True
            )
        assert err.value.translation_key == "not_authorized_outside_stay"
        assert "Room 101" in str(err.value)
    assert json.dumps(runtime.site.to_dict(), sort_keys=True) == before
    assert {
        s.entity_id: s.state
        for s in hass.states.async_all()
        if "room_101" in s.entity_id
    } == states


async def test_guest_controls_the_room_during_the_stay(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    await check_in(hass)

    async def svc(domain: str, service: str, entity: str, **data: Any) -> None:
        await hass.services.async_call(
            domain, service, {"entity_id": entity, **data}, blocking=True
        )

    await svc("light", "turn_on", "light.room_101_light", brightness=80)
    assert hass.states.get("light.room_101_light").attributes["brightness"] == 80
    await svc("light", "turn_off", "light.room_101_light")
    assert hass.states.get("light.room_101_light").state == "off"
    ac = "climate.room_101_air_conditioning"
    await svc("climate", "set_temperature", ac, temperature=22.5)
    assert hass.states.get(ac).state == "auto"
    assert hass.states.get(ac).attributes["temperature"] == 22.5
    await svc("climate", "set_hvac_mode", ac, hvac_mode="off")
    assert hass.states.get(ac).state == "off"
    await svc("climate", "set_hvac_mode", ac, hvac_mode="auto")
    await svc("climate", "turn_off", ac)
    await svc("climate", "turn_on", ac)
    assert hass.states.get(ac).state == "auto"
    curtain = "cover.room_101_curtain"
    await svc("cover", "set_cover_position", curtain, position=40)
    assert hass.states.get(curtain).attributes["current_position"] == 40
    await svc("cover", "set_cover_position", curtain, position=0)
    assert hass.states.get(curtain).state == "closed"
    await svc("cover", "open_cover", curtain)
    assert hass.states.get(curtain).state == "open"
    await svc("cover", "close_cover", curtain)
    await svc("fan", "set_percentage", "fan.room_101_fan", percentage=60)
    assert hass.states.get("fan.room_101_fan").attributes["percentage"] == 60
    await svc("fan", "set_percentage", "fan.room_101_fan", percentage=0)
    assert hass.states.get("fan.room_101_fan").state == "off"
    await svc("fan", "turn_on", "fan.room_101_fan")
    await svc("fan", "turn_off", "fan.room_101_fan")
    await svc("switch", "turn_on", "switch.room_101_tv")
    await svc("switch", "turn_off", "switch.room_101_tv")
    assert hass.states.get("switch.room_101_tv").state == "off"
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.room_101_handedness", "option": "left"},
        blocking=True,
    )
    assert hass.states.get("select.room_101_handedness").state == "left"
    catalog = hass.states.get("select.room_101_services")
    laundry = next(o for o in catalog.attributes["options"] if "Laundry" in o)
    assert laundry == "Laundry (15.00 EUR)"
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": "select.room_101_services", "option": laundry},
        blocking=True,
    )
    catalog = hass.states.get("select.room_101_services")
    assert catalog.state == laundry
    assert catalog.attributes["service_type"] == "laundry"
    assert {
        "service_type": "towels",
        "name": "Fresh towels",
        "price": "0",
        "paid": False,
    } in catalog.attributes["services"]


async def test_staff_change_request_is_applied_logged_and_announced(
    hass: HomeAssistant, hotel: MockConfigEntry, notifications: list[dict[str, Any]]
) -> None:
    changes: list[Any] = []
    hass.bus.async_listen("doorservice_appliance_change", changes.append)
    await check_in(hass)
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.room_101_air_conditioning", "temperature": 20},
        blocking=True,
    )
    result = await call(
        hass,
        "request_appliance_change",
        {
            "room": "Room 101",
            "appliance": "ac",
            "state": "off",
            "reason": "AC left on with the window open",
        },
    )
    ac = next(a for a in result["appliances"] if a["appliance"] == "ac")
    assert ac["state"] == "off"
    assert hass.states.get("climate.room_101_air_conditioning").state == "off"
    runtime = runtime_of(hotel)
    driver = runtime.rooms.rooms[room_id(hotel)].driver
    assert driver.state.appliances["ac"].is_on is False
    await hass.async_block_till_done()
    assert [(e.data["appliance"], e.data["reason"]) for e in changes] == [
        ("Air conditioning", "AC left on with the window open")
    ]
    assert any("AC left on" in n["message"] for n in notifications)
    assert event_type(hass) == "appliance_changed"

    # The staff side works outside a stay, too.
    await call(hass, "check_out", {"room": "Room 101"})
    await call(
        hass,
        "request_appliance_change",
        {
            "room": "Room 101",
            "appliance": "light",
            "state": "on",
            "value": 200,
            "reason": "inspection",
        },
    )
    assert hass.states.get("light.room_101_light").attributes["brightness"] == 200


async def test_staff_change_request_errors_change_nothing(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    runtime = runtime_of(hotel)
    before = json.dumps(runtime.site.to_dict(), sort_keys=True)
    for data, key in (
        (
            {"appliance": "ac", "state": "open", "reason": "x"},
            "invalid_appliance_action",
        ),
        ({"appliance": "sauna", "state": "on", "reason": "x"}, "unknown_appliance"),
        (
            {"appliance": "light", "state": "on", "value": 999, "reason": "x"},
            "invalid_appliance_value",
        ),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "request_appliance_change", {"room": "Room 101", **data})
        assert err.value.translation_key == key
    with pytest.raises(Exception):  # noqa: B017, PT011 - schema: reason is required
        await call(
            hass,
            "request_appliance_change",
            {"room": "Room 101", "appliance": "ac", "state": "off"},
        )
    driver = runtime.rooms.rooms[room_id(hotel)].driver
    driver.set_available(False)
    assert hass.states.get("light.room_101_light").state == "unavailable"
    with pytest.raises(HomeAssistantError) as failed:
        await call(
            hass,
            "request_appliance_change",
            {"room": "Room 101", "appliance": "ac", "state": "off", "reason": "x"},
        )
    assert failed.value.translation_key == "appliance_board_offline"
    assert failed.value.translation_placeholders["appliance"] == "Air conditioning"
    driver.set_available(True)
    assert json.dumps(runtime.site.to_dict(), sort_keys=True) == before


async def test_wall_buttons_raise_requests_and_toggle_dnd(
    hass: HomeAssistant,
) -> None:
    entry = await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [room("Room 101", appliances=APPLIANCES), worker("Mei", "housekeeping")],
        ),
    )
    driver = runtime_of(entry).rooms.rooms[room_id(entry)].driver
    assert isinstance(driver, VirtualRoomDriver)
    driver.press_button("towels")
    await hass.async_block_till_done()
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    assert [o["service_type"] for o in orders["orders"]] == ["towels"]
    driver.press_button("do_not_disturb")
    await hass.async_block_till_done()
    assert hass.states.get("switch.room_101_do_not_disturb").state == "on"
    driver.press_button("cleaning")
    driver.press_button("call_staff")
    driver.press_button("disco")
    await hass.async_block_till_done()
    orders = await call(hass, "get_orders", {"room": "Room 101"})
    assert [(o["service_type"], o["hold_reason"]) for o in orders["orders"]] == [
        ("towels", None),
        ("room_cleaning", "do_not_disturb"),
        ("call_staff", None),
    ]
    driver.press_button("do_not_disturb")
    await hass.async_block_till_done()
    assert hass.states.get("switch.room_101_do_not_disturb").state == "off"
    # Towels leave the catalog (as the options flow does: the site reloads).
    catalog = runtime_of(entry).site.catalog
    catalog.remove("towels")
    hass.config_entries.async_update_entry(
        entry,
        options={**entry.options, "service_types": catalog.to_dict()["service_types"]},
    )
    await hass.async_block_till_done()
    driver = runtime_of(entry).rooms.rooms[room_id(entry)].driver
    assert isinstance(driver, VirtualRoomDriver)
    driver.press_button("towels")  # refused by the domain: logged, nothing raised
    await hass.async_block_till_done()


async def test_catalog_and_appliances_responses(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    by_site = await call(hass, "get_catalog", {"site": "Hotel Aurora"})
    by_room = await call(hass, "get_catalog", {"room": "Room 102"})
    alone = await call(hass, "get_catalog", {})
    assert by_site == by_room == alone
    laundry = next(
        t for t in by_site["service_types"] if t["service_type"] == "laundry"
    )
    assert (laundry["price"], laundry["paid"], by_site["currency"]) == (
        "15.00",
        True,
        "EUR",
    )
    appliances = await call(hass, "get_room_appliances", {"room": "Room 101"})
    assert appliances["authorized"] is False
    assert appliances["board_available"] is True
    assert [(a["appliance"], a["state"]) for a in appliances["appliances"]] == [
        ("light", "off"),
        ("ac", "off"),
        ("curtain", "closed"),
        ("fan", "off"),
        ("tv", "off"),
    ]
    bare = await call(hass, "get_room_appliances", {"room": "Room 102"})
    assert bare["appliances"] == []


async def test_check_in_errors_change_nothing(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    await check_in(hass)
    runtime = runtime_of(hotel)
    before = json.dumps(runtime.site.to_dict(), sort_keys=True)
    for data, key in (
        ({"room": "Room 101", "guest_name": "Bob"}, "room_occupied"),
        (
            {"room": "Room 102", "guest_name": "Bob", "notify_target": "light.x"},
            "invalid_notify_target",
        ),
        (
            {"room": "Room 102", "guest_name": "Bob", "ends_at": "2001-01-01 10:00"},
            "date_out_of_range",
        ),
        ({"room": "Room 999", "guest_name": "Bob"}, "unknown_room"),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "check_in", data)
        assert err.value.translation_key == key
    assert json.dumps(runtime.site.to_dict(), sort_keys=True) == before


async def test_stay_and_folio_survive_a_reload(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    await call(
        hass,
        "check_in",
        {"room": "Room 101", "guest_name": "Ada", "ends_at": SOON},
    )
    first = await request(hass, "laundry")
    await work(hass, first, "accept", "start", "complete")
    second = await request(hass, "minibar")
    await work(hass, second, "accept")
    assert await hass.config_entries.async_reload(hotel.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.room_101_stay").state == "on"
    assert Decimal(hass.states.get("sensor.room_101_open_bill").state) == Decimal(15)
    await work(hass, second, "start", "complete")
    assert Decimal(hass.states.get("sensor.room_101_open_bill").state) == Decimal(35)
    folio = (await call(hass, "check_out", {"room": "Room 101"}))["folio"]
    assert [line["order_id"] for line in folio["lines"]] == [first, second]


async def test_logbook_describes_appliance_changes(hass: HomeAssistant) -> None:
    from custom_components.doorservice.logbook import async_describe_events

    described: dict[str, Any] = {}
    async_describe_events(
        hass, lambda domain, event, fn: described.__setitem__(event, fn)
    )
    event = type(
        "E",
        (),
        {
            "data": {
                "site": "Hotel Aurora",
                "room": "Room 101",
                "appliance": "Light",
                "action": "turn_on",
                "value": 200,
                "actor": "Mei",
                "reason": "inspection",
            }
        },
    )()
    assert described["doorservice_appliance_change"](event) == {
        "name": "Hotel Aurora Room 101",
        "message": "Light: turn on (200) by Mei, because inspection",
    }


async def test_authorization_ends_at_the_stay_end(
    hass: HomeAssistant, hotel: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    ends_at = dt_util.utcnow() + timedelta(hours=1)
    await call(
        hass,
        "check_in",
        {"room": "Room 101", "guest_name": "Ada", "ends_at": ends_at.isoformat()},
    )
    assert hass.states.get("binary_sensor.room_101_stay").state == "on"
    freezer.move_to(ends_at + timedelta(seconds=1))
    async_fire_time_changed(hass, ends_at + timedelta(seconds=1))
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.room_101_stay").state == "off"
    assert event_type(hass) == "authorization_ended"
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "light", "turn_on", {"entity_id": "light.room_101_light"}, blocking=True
        )
    # The bill stays open until check-out.
    assert hass.states.get("sensor.room_101_open_bill").state == "0"
