"""What people read: per-site lists, guest requests only during a stay, texts."""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import DOMAIN
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .conftest import setup_entry
from .trust_scenario import (
    MANAGER,
    ROOM_102,
    STAFF,
    SYSTEM,
    async_hotel,
    snapshot,
)


def tomorrow(hours: int = 24) -> str:
    """A start for a booking, ``hours`` from now (ISO, local time)."""
    return (dt_util.now() + timedelta(hours=hours)).replace(microsecond=0).isoformat()


PACKAGE = Path(__file__).parents[1] / "custom_components" / "doorservice"
TAG = re.compile(r"<[^>]*>")


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in _texts(value)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize(
    "path", ["strings.json", "translations/en.json", "translations/zh-Hans.json"]
)
def test_no_text_has_a_tag(path: str) -> None:
    """The frontend reads <word> as a tag: "Translation error: UNCLOSED_TAG"."""
    texts = _texts(json.loads((PACKAGE / path).read_text(encoding="utf-8")))
    assert [text for text in texts if TAG.search(text)] == []


async def test_a_home_gets_only_its_own_lists(
    hass: HomeAssistant, home_entry: MockConfigEntry, hotel_entry: MockConfigEntry
) -> None:
    """A home site has no hotel lists (food, linen, concierge...); a hotel has."""
    await setup_entry(hass, home_entry)
    await setup_entry(hass, hotel_entry)
    home = sorted(
        s.entity_id
        for s in hass.states.async_all("todo")
        if s.entity_id.startswith("todo.lakeside_")
        and s.entity_id.endswith("_requests")
    )
    assert home == ["todo.lakeside_cleaning_requests"]
    hotel = {
        s.entity_id: s.attributes["friendly_name"]
        for s in hass.states.async_all("todo")
        if s.entity_id.startswith("todo.hotel_aurora_")
        and s.entity_id.endswith("_requests")
    }
    assert hotel["todo.hotel_aurora_linen_requests"] == "Hotel Aurora Linen requests"
    assert hotel["todo.hotel_aurora_assistance_requests"] == (
        "Hotel Aurora Assistance requests"
    )
    assert "todo.hotel_aurora_food_requests" in hotel
    booking = await hass.services.async_call(
        DOMAIN,
        "get_catalog",
        {"site": "Lakeside"},
        blocking=True,
        return_response=True,
    )
    assert booking is not None
    assert [t["service_type"] for t in booking["service_types"]] == [
        "standard_cleaning",
        "deep_cleaning",
    ]


async def test_an_empty_room_raises_no_guest_requests(hass: HomeAssistant) -> None:
    """Room 102 has no guest: its terminal is refused, staff and managers are not."""
    hotel = await async_hotel(hass)
    before = snapshot(hotel)
    with pytest.raises(ServiceValidationError) as refused:
        await hotel.call(
            "room_102", "request_service", {"room": ROOM_102, "service_type": "towels"}
        )
    assert refused.value.translation_key == "room_has_no_stay"
    assert refused.value.translation_placeholders == {"room": ROOM_102}
    # Booking a visit for the empty room from its terminal: the same answer.
    with pytest.raises(ServiceValidationError) as refused:
        await hotel.call(
            "room_102",
            "book_cleaning",
            {"room": ROOM_102, "service_type": "room_cleaning", "start": tomorrow()},
        )
    assert refused.value.translation_key == "room_has_no_stay"
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            "calendar",
            "create_event",
            {
                "entity_id": "calendar.hotel_aurora_bookings",
                "summary": "Room cleaning",
                "start_date_time": tomorrow(),
                "end_date_time": tomorrow(hours=25),
                "location": ROOM_102,
            },
            blocking=True,
            context=hotel.context("room_102"),
        )
    assert refused.value.translation_key == "room_has_no_stay"
    assert snapshot(hotel) == before
    for who in (STAFF, MANAGER, SYSTEM):
        done = await hotel.call(
            who, "request_service", {"room": ROOM_102, "service_type": "call_staff"}
        )
        assert done["order"]["service_type"] == "call_staff"
    # With a guest checked in, the room's terminal asks again and is heard.
    await hotel.call(SYSTEM, "check_in", {"room": ROOM_102, "guest_name": "Bo"})
    done = await hotel.call(
        "room_102", "request_service", {"room": ROOM_102, "service_type": "call_staff"}
    )
    assert done["order"]["state"] in ("queued", "offered")


async def test_the_logbook_tells_what_happened_in_sentences(
    hass: HomeAssistant, hotel_entry: MockConfigEntry
) -> None:
    """Real order events read as sentences: names, not tokens; English or Chinese."""
    from custom_components.doorservice.logbook import async_describe_events

    await setup_entry(hass, hotel_entry)
    events: list[Event] = []
    hass.bus.async_listen(
        "doorservice_order_updated", callback(lambda e: events.append(e))
    )
    described: dict[str, Any] = {}
    async_describe_events(hass, lambda _d, event, fn: described.__setitem__(event, fn))
    order = (
        await hass.services.async_call(
            DOMAIN,
            "request_service",
            {"room": "Room 101", "service_type": "towels"},
            blocking=True,
            return_response=True,
        )
    )["order"]
    await hass.services.async_call(
        DOMAIN,
        "accept_order",
        {"order_id": order["order_id"], "worker": "Mei"},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    describe = described["doorservice_order_updated"]
    oid = order["order_id"]
    assert [describe(event) for event in events] == [
        {"name": "Room 101", "message": f"asked for Fresh towels ({oid})"},
        {
            "name": "Door Service",
            "message": f"offered Fresh towels ({oid}) for Room 101 "
            "to the staff on duty",
        },
        {"name": "Mei", "message": f"accepted Fresh towels ({oid}) for Room 101"},
    ]
    hass.config.language = "zh-Hans"
    assert [describe(event) for event in events] == [
        {"name": "Room 101", "message": f"请求了Fresh towels（{oid}）"},
        {"name": "门服务", "message": f"将Fresh towels（{oid}），Room 101派给当班员工"},
        {"name": "Mei", "message": f"接受了Fresh towels（{oid}），Room 101"},
    ]
    # Give back: the order goes back to the queue, and the line says so.
    await hass.services.async_call(
        DOMAIN,
        "give_back_order",
        {"order_id": oid, "worker": "Mei", "reason": "Lift broken"},
        blocking=True,
        return_response=True,
    )
    await hass.async_block_till_done()
    hass.config.language = "en"
    requeued = next(describe(e) for e in events[3:] if e.data["state"] == "queued")
    assert requeued["message"].startswith(f"put Fresh towels ({oid}) for Room 101 back")
    escalated = described["doorservice_order_escalated"](events[0])
    assert escalated == {
        "name": "Hotel Aurora",
        "message": f"found nobody to take Fresh towels ({oid}) for Room 101",
    }


async def _create_event(hass: HomeAssistant, **event: Any) -> None:
    await hass.services.async_call(
        "calendar",
        "create_event",
        {"entity_id": "calendar.lakeside_bookings", "location": "Villa 3", **event},
        blocking=True,
    )


async def test_calendar_moves_a_start_that_has_begun_to_the_next_free_hour(
    hass: HomeAssistant,
    home_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The calendar's default start (this hour) books the next free hour, in words."""
    await hass.config.async_set_time_zone("Asia/Shanghai")
    freezer.move_to("2026-12-01 02:40:00+00:00")  # 10:40 in Shanghai
    entry = await setup_entry(hass, home_entry)
    this_hour = dt_util.now().replace(minute=0, second=0, microsecond=0)
    await _create_event(
        hass,
        summary="Deep cleaning",
        start_date_time=this_hour.isoformat(),
        end_date_time=(this_hour + timedelta(hours=2)).isoformat(),
    )
    (first,) = entry.runtime_data.site.orders()
    assert first.service_type == "deep_cleaning"
    assert dt_util.as_local(first.scheduled_start).isoformat() == (
        "2026-12-01T11:00:00+08:00"
    )
    assert first.scheduled_end - first.scheduled_start == timedelta(hours=2)
    assert first.message == (
        "Asked for 2026-12-01 10:00; booked from 2026-12-01 11:00, the next free time."
    )
    # The same hour again at the same place: after the first visit (13:00).
    await _create_event(
        hass,
        summary="Clean please",
        start_date_time=(this_hour - timedelta(days=1)).isoformat(),
        end_date_time=(this_hour - timedelta(days=1, hours=-1)).isoformat(),
        description="Key under the mat",
    )
    second = next(o for o in entry.runtime_data.site.orders() if o.id != first.id)
    assert dt_util.as_local(second.scheduled_start).hour == 13
    # No type named: the default, and the event says so.
    assert second.service_type == "standard_cleaning"
    assert second.message is not None
    lines = second.message.split("\n")
    assert lines[0] == "Key under the mat"
    assert lines[1].startswith(
        "No service type was named in the title, so this visit was booked as "
        "Standard cleaning."
    )
    events = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": "calendar.lakeside_bookings", "duration": {"hours": 8}},
        blocking=True,
        return_response=True,
    )
    assert events is not None
    shown = events["calendar.lakeside_bookings"]["events"]
    assert [e["summary"] for e in shown] == [
        f"Deep cleaning ({first.id})",
        f"Standard cleaning ({second.id})",
    ]
    assert shown[0]["description"].startswith(
        "State: Offered, waiting for acceptance\n"
    )


async def test_a_past_start_is_refused_in_local_time(
    hass: HomeAssistant, home_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """book_cleaning names the refused start as people there read it."""
    await hass.config.async_set_time_zone("Asia/Shanghai")
    freezer.move_to("2026-12-01 02:40:00+00:00")
    await setup_entry(hass, home_entry)
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN,
            "book_cleaning",
            {
                "address": "Villa 3",
                "service_type": "standard_cleaning",
                "start": "2026-12-01T09:00:00+08:00",
            },
            blocking=True,
            return_response=True,
        )
    assert refused.value.translation_key == "start_in_past"
    assert refused.value.translation_placeholders == {"start": "2026-12-01 09:00"}


@pytest.mark.parametrize(
    ("summary", "service_type", "named"),
    [
        ("Deep cleaning", "deep_cleaning", True),
        ("please do a DEEP CLEANING on Friday", "deep_cleaning", True),
        ("standard_cleaning", "standard_cleaning", True),
        ("Cleaning", "standard_cleaning", False),
    ],
)
async def test_calendar_reads_the_service_type_from_the_summary(
    hass: HomeAssistant,
    home_entry: MockConfigEntry,
    summary: str,
    service_type: str,
    named: bool,
) -> None:
    entry = await setup_entry(hass, home_entry)
    start = dt_util.now() + timedelta(days=1)
    await _create_event(
        hass,
        summary=summary,
        start_date_time=start.isoformat(),
        end_date_time=(start + timedelta(hours=2)).isoformat(),
    )
    (order,) = entry.runtime_data.site.orders()
    assert order.service_type == service_type
    assert (order.message is None) is named


async def test_sensors_say_none_yet_and_count_without_a_plural_unit(
    hass: HomeAssistant, hotel_entry: MockConfigEntry
) -> None:
    """No "Unknown" before the first request or stay, no "1 workers"."""
    await setup_entry(hass, hotel_entry)
    last = hass.states.get("sensor.room_101_last_request")
    assert last is not None
    assert last.state == "none"
    assert "none" in last.attributes["options"]
    bill = hass.states.get("sensor.room_101_open_bill")
    assert bill is not None
    assert bill.state == "0"
    assert bill.attributes["unit_of_measurement"] == "EUR"
    for entity_id in (
        "sensor.hotel_aurora_workers_on_duty",
        "sensor.hotel_aurora_open_orders",
    ):
        state = hass.states.get(entity_id)
        assert state is not None
        assert "unit_of_measurement" not in state.attributes
    assert hass.states.get("sensor.hotel_aurora_workers_on_duty").state == "2"
    strings = json.loads((PACKAGE / "strings.json").read_text(encoding="utf-8"))
    assert strings["entity"]["sensor"]["last_request"]["state"]["none"] == "None yet"
    stay = strings["entity"]["binary_sensor"]["stay"]["state"]
    assert stay == {"on": "Guest checked in", "off": "No guest"}


class _ScriptedClient:
    """Answers actions as a running Home Assistant would, from a script."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    async def action(self, service: str, **data: Any) -> Any:
        self.calls.append(service)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


async def test_the_room_walk_can_run_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A guest left by an interrupted run is checked out; a loading site waited for."""
    from scripts import demo_room_flow

    async def no_wait(_seconds: float) -> None:
        return None

    monkeypatch.setattr(demo_room_flow.asyncio, "sleep", no_wait)
    refused = {"code": "service_validation_error", "translation_key": "room_occupied"}
    loading = {"code": "service_validation_error", "translation_key": "unknown_room"}
    client = _ScriptedClient(
        [
            RuntimeError(loading),
            RuntimeError(refused),
            {"folio": {"total": "0"}},
            {"stay": {"stay_id": "ST-0002"}},
        ]
    )
    stay = await demo_room_flow.check_in(client)  # type: ignore[arg-type]
    assert stay == {"stay": {"stay_id": "ST-0002"}}
    assert client.calls == ["check_in", "check_in", "check_out", "check_in"]
    other = _ScriptedClient([RuntimeError({"translation_key": "invalid_guest_name"})])
    with pytest.raises(RuntimeError):
        await demo_room_flow.check_in(other)  # type: ignore[arg-type]


async def test_the_appliance_dialog_names_kinds_in_words(
    hass: HomeAssistant, hotel_entry: MockConfigEntry
) -> None:
    """The room form's appliance dialog: kinds labelled with what they do."""
    from homeassistant.config_entries import SOURCE_USER

    entry = await setup_entry(hass, hotel_entry)

    async def kind_options() -> dict[str, str]:
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, "room"), context={"source": SOURCE_USER}
        )
        field = next(
            value
            for key, value in result["data_schema"].schema.items()
            if key == "appliances"
        )
        select = field.config["fields"]["kind"]["selector"]["select"]
        hass.config_entries.subentries.async_abort(result["flow_id"])
        return {option["value"]: option["label"] for option in select["options"]}

    english = await kind_options()
    assert english["climate"] == "Air conditioning: a mode and a target temperature"
    assert set(english) == {"switch", "light", "climate", "cover", "fan"}
    hass.config.language = "zh-Hans"
    assert (await kind_options())["cover"] == "窗帘或百叶窗：打开和合上"
    strings = json.loads((PACKAGE / "strings.json").read_text(encoding="utf-8"))
    fields = strings["selector"]["appliances"]["fields"]
    assert all(field["description"] for field in fields.values())


async def test_appliances_are_added_in_a_form_of_their_own(
    hass: HomeAssistant, hotel_entry: MockConfigEntry
) -> None:
    """A titled, described form per appliance; its errors sit on their fields."""
    from homeassistant.config_entries import SOURCE_USER
    from homeassistant.data_entry_flow import FlowResultType

    entry = await setup_entry(hass, hotel_entry)
    configure = hass.config_entries.subentries.async_configure
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "room"), context={"source": SOURCE_USER}
    )
    result = await configure(
        result["flow_id"],
        {"name": "Room 301", "add_appliance": True, "driver": "virtual"},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "appliance"
    assert result["description_placeholders"] == {"room": "Room 301", "appliances": "-"}
    kind = next(v for k, v in result["data_schema"].schema.items() if k == "kind")
    assert kind.config["translation_key"] == "appliance_kind"
    for user_input, errors in (
        (
            {"id": "Lamp!", "name": "Lamp", "kind": "light"},
            {"id": "invalid_appliance_id"},
        ),
        (
            {"id": "lamp", "name": "Lamp", "kind": "light", "checkout_state": "open"},
            {"checkout_state": "invalid_checkout_state"},
        ),
        (
            {"id": "lamp", "name": " ", "kind": "light"},
            {"name": "invalid_appliance_name"},
        ),
    ):
        result = await configure(result["flow_id"], user_input)
        assert result["step_id"] == "appliance"
        assert result["errors"] == errors
    result = await configure(
        result["flow_id"],
        {"id": "lamp", "name": "Lamp", "kind": "light", "add_appliance": True},
    )
    assert result["step_id"] == "appliance"
    assert result["errors"] == {}
    assert result["description_placeholders"]["appliances"] == "Lamp"
    result = await configure(
        result["flow_id"], {"id": "lamp", "name": "Second lamp", "kind": "light"}
    )
    assert result["errors"] == {"id": "duplicate_appliance_id"}
    result = await configure(
        result["flow_id"], {"id": "blind", "name": "Blind", "kind": "cover"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    room = next(s for s in entry.subentries.values() if s.title == "Room 301")
    assert room.data["appliances"] == [
        {"id": "lamp", "name": "Lamp", "kind": "light", "checkout_state": "off"},
        {"id": "blind", "name": "Blind", "kind": "cover", "checkout_state": "closed"},
    ]
    assert hass.states.get("cover.room_301_blind") is not None
