"""Orders and dispatch through services, phone actions and state reads."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, Event, HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .conftest import room, setup_entry, site_entry, stored_order, stored_state, worker

SOON = (dt_util.now() + timedelta(days=30)).replace(tzinfo=None).isoformat()
"""A naive start a month ahead (bookings reach at most two years ahead)."""

POLICY = {
    "dispatch_strategy": "broadcast",
    "acceptance_timeout": 10,
    "code_validity": 48,
}


def _entry(**policy: Any) -> MockConfigEntry:
    return site_entry(
        "Aurora",
        "hotel",
        [
            room("Room 101"),
            worker("Anna", "cleaning", notify_service="notify.anna_phone"),
            worker("Mei", "housekeeping", notify_service="notify.mei_phone"),
            worker("Li", "housekeeping"),
            worker("Tom", "maintenance"),
        ],
        options={**POLICY, **policy},
    )


@pytest.fixture
def phones(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Fake Companion app notify actions that record what they are sent."""
    sent: dict[str, list[ServiceCall]] = {"anna_phone": [], "mei_phone": [], "boss": []}
    for name, calls in sent.items():
        hass.services.async_register("notify", name, calls.append)
    return sent


@pytest.fixture
def updates(hass: HomeAssistant) -> list[Event]:
    """Every doorservice_order_updated event."""
    events: list[Event] = []
    hass.bus.async_listen(
        "doorservice_order_updated", callback(lambda e: events.append(e))
    )
    return events


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    """Call a Door Service action and return its response."""
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def _snapshot(hass: HomeAssistant, entry: MockConfigEntry) -> tuple[Any, Any]:
    states = sorted(
        (s.entity_id, s.state)
        for s in hass.states.async_all()
        if "aurora" in s.entity_id
    )
    return entry.runtime_data.site.to_dict(), states


async def test_cleaning_booking_from_creation_to_closed(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    updates: list[Event],
) -> None:
    entry = await setup_entry(hass, _entry())
    start = dt_util.now() + timedelta(hours=3)
    response = await call(
        hass,
        "book_cleaning",
        address="12 Lake Road",
        start=start.isoformat(),
        contact_phone="+49 170 1234567",
        message="Please water the plants",
    )
    order = response["order"]
    order_id = order["order_id"]
    assert order["state"] == "offered"
    assert order["offered_to"] == ["Anna"]
    assert order["has_contact_phone"] is True
    assert "1234567" not in str(response)
    await hass.async_block_till_done()

    # Anna's phone got an actionable offer; she taps Accept.
    offer = phones["anna_phone"][-1].data
    assert order_id in offer["title"]
    accept = offer["data"]["actions"][0]["action"]
    hass.bus.async_fire("mobile_app_notification_action", {"action": accept})
    await hass.async_block_till_done()
    assert stored_state(entry, order_id) == "accepted"
    assert hass.states.get("sensor.anna_status").state == "busy"
    todo = hass.states.get("todo.anna_orders")
    assert todo.state == "1"

    started = await call(hass, "start_order", order_id=order_id, worker="Anna")
    assert started["order"]["state"] == "in_progress"
    done = await call(
        hass, "complete_order", order_id=order_id, worker="anna", note="All clean"
    )
    assert done["order"]["state"] == "closed"
    assert [e.data["state"] for e in updates] == [
        "queued",
        "offered",
        "accepted",
        "in_progress",
        "completed",
        "closed",
    ]
    assert updates[2].data["worker"] == "Anna"
    assert "1234567" not in str([e.data for e in updates])
    assert hass.states.get("sensor.aurora_open_orders").state == "0"
    assert float(hass.states.get("sensor.aurora_response_time").state) >= 0
    assert hass.states.get("event.aurora_order").attributes["event_type"] == "closed"
    assert hass.states.get("sensor.anna_status").state == "idle"

    events = await entry.runtime_data.hass.services.async_call(
        "calendar",
        "get_events",
        {
            "entity_id": "calendar.aurora_bookings",
            "start_date_time": dt_util.now().isoformat(),
            "duration": {"hours": 6},
        },
        blocking=True,
        return_response=True,
    )
    assert events is not None
    calendar_events = events["calendar.aurora_bookings"]["events"]  # type: ignore[index]
    assert calendar_events[0]["summary"] == f"Standard cleaning ({order_id})"


async def test_room_request_to_completed(
    hass: HomeAssistant, phones: dict[str, list[ServiceCall]]
) -> None:
    await setup_entry(hass, _entry())
    response = await call(
        hass, "request_service", room="Room 101", service_type="towels", quantity=2
    )
    order = response["order"]
    assert order["room"] == "Room 101"
    assert sorted(order["offered_to"]) == ["Li", "Mei"]
    assert hass.states.get("todo.aurora_linen_requests").state == "1"
    await hass.async_block_till_done()
    mei_offer = phones["mei_phone"][-1].data
    # Mei declines from her phone, Li accepts through the service.
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": mei_offer["data"]["actions"][1]["action"]},
    )
    await hass.async_block_till_done()
    await call(hass, "accept_order", order_id=order["order_id"], worker="Li")
    await call(hass, "start_order", order_id=order["order_id"], worker="Li")
    done = await call(hass, "complete_order", order_id=order["order_id"], worker="Li")
    assert done["order"]["state"] == "closed"
    assert [h["state"] for h in done["order"]["history"]][-2:] == [
        "completed",
        "closed",
    ]


async def test_done_from_the_phone_and_the_todo_list(
    hass: HomeAssistant, phones: dict[str, list[ServiceCall]]
) -> None:
    entry = await setup_entry(hass, _entry())
    first = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]["order_id"]
    second = (
        await call(hass, "request_service", room="Room 101", service_type="amenities")
    )["order"]["order_id"]
    await call(hass, "accept_order", order_id=first, worker="Mei")
    await call(hass, "accept_order", order_id=second, worker="Mei")
    await hass.async_block_till_done()
    accepted = [
        c.data for c in phones["mei_phone"] if "actions" in c.data.get("data", {})
    ]
    done_action = accepted[-2]["data"]["actions"][0]["action"]
    assert "DONE" in done_action
    hass.bus.async_fire("mobile_app_notification_action", {"action": done_action})
    await hass.async_block_till_done()
    assert stored_state(entry, first) == "closed"

    await hass.services.async_call(
        "todo",
        "update_item",
        {"entity_id": "todo.mei_orders", "item": second, "status": "completed"},
        blocking=True,
    )
    assert stored_state(entry, second) == "closed"
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "todo",
            "update_item",
            {"entity_id": "todo.mei_orders", "item": second, "rename": "x"},
            blocking=True,
        )


async def test_decline_timeout_and_escalation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    issue_registry: ir.IssueRegistry,
) -> None:
    entry = await setup_entry(
        hass,
        _entry(dispatch_strategy="round_robin", manager_notify_service="notify.boss"),
    )
    escalations: list[Event] = []
    hass.bus.async_listen(
        "doorservice_order_escalated", callback(lambda e: escalations.append(e))
    )
    order = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]
    first = order["offered_to"][0]
    await call(
        hass, "decline_order", order_id=order["order_id"], worker=first, reason="Busy"
    )
    site = entry.runtime_data.site
    offered = site.order(order["order_id"]).offers
    assert len(offered) == 1
    second = entry.runtime_data.part_name(next(iter(offered)))
    assert second != first

    # Nobody answers within 10 minutes: nobody is left, the order escalates.
    freezer.tick(timedelta(minutes=11))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert site.order(order["order_id"]).state.value == "queued"
    assert escalations
    assert escalations[0].data["order_id"] == order["order_id"]
    issue = issue_registry.async_get_issue(DOMAIN, f"orders_escalated_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_placeholders["orders"] == order["order_id"]
    assert phones["boss"]
    assert order["order_id"] in phones["boss"][-1].data["title"]
    assert hass.states.get("event.aurora_order").attributes["event_type"] == "escalated"

    # The manager assigns it by hand; accepting clears the repair issue.
    await call(hass, "assign_order", order_id=order["order_id"], worker=first)
    await call(hass, "accept_order", order_id=order["order_id"], worker=first)
    assert (
        issue_registry.async_get_issue(DOMAIN, f"orders_escalated_{entry.entry_id}")
        is None
    )


async def test_two_accepts_at_once_exactly_one_wins(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, _entry())
    order_id = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]["order_id"]
    results = await asyncio.gather(
        call(hass, "accept_order", order_id=order_id, worker="Mei"),
        call(hass, "accept_order", order_id=order_id, worker="Li"),
        return_exceptions=True,
    )
    wins = [r for r in results if isinstance(r, dict)]
    losses = [r for r in results if isinstance(r, ServiceValidationError)]
    assert len(wins) == 1
    assert len(losses) == 1
    assert losses[0].translation_key == "order_already_taken"
    assert entry.runtime_data.site.order(order_id).worker is not None


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([], "offered"),
        (["accept"], "accepted"),
        (["accept", "start"], "in_progress"),
        (["cancel"], "cancelled"),
        (["accept", "start", "complete"], "closed"),
    ],
)
async def test_restart_in_every_state(
    hass: HomeAssistant, steps: list[str], expected: str
) -> None:
    entry = await setup_entry(hass, _entry())
    order_id = (
        await call(hass, "request_service", room="Room 101", service_type="repair")
    )["order"]["order_id"]
    for step in steps:
        if step == "cancel":
            await call(hass, "cancel_order", order_id=order_id, reason="Fixed it")
        else:
            await call(hass, f"{step}_order", order_id=order_id, worker="Tom")
    before = stored_order(entry, order_id)["history"]

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    order = stored_order(entry, order_id)
    assert order["state"] == expected
    assert order["history"] == before
    if expected == "in_progress":
        await call(hass, "complete_order", order_id=order_id, worker="Tom")
        assert stored_state(entry, order_id) == "closed"


async def test_offer_that_expired_while_down_fires_at_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_entry(hass, _entry())
    order_id = (
        await call(hass, "request_service", room="Room 101", service_type="repair")
    )["order"]["order_id"]
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(timedelta(minutes=30))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    order = entry.runtime_data.site.order(order_id)
    assert order.state.value == "queued"
    assert order.escalated


async def test_removed_worker_orders_go_back_to_the_queue(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, _entry())
    order_id = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]["order_id"]
    await call(hass, "accept_order", order_id=order_id, worker="Mei")
    mei = next(s for s in entry.subentries.values() if s.title == "Mei")
    hass.config_entries.async_remove_subentry(entry, mei.subentry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    order = entry.runtime_data.site.order(order_id)
    assert order.state.value == "offered"
    assert entry.runtime_data.part_name(next(iter(order.offers))) == "Li"


async def test_off_duty_worker_gets_no_offers(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, _entry())
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.mei_on_duty"}, blocking=True
    )
    assert hass.states.get("sensor.mei_status").state == "off_duty"
    order = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]
    assert order["offered_to"] == ["Li"]
    assert (
        entry.runtime_data.site.is_on_duty(
            next(s.subentry_id for s in entry.subentries.values() if s.title == "Mei")
        )
        is False
    )


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("accept_order", {"order_id": "DS-ZZZZ", "worker": "Mei"}, "unknown_order"),
        (
            "accept_order",
            {"order_id": "{id}", "worker": "Tom"},
            "not_offered_to_worker",
        ),
        ("accept_order", {"order_id": "{id}", "worker": "Nobody"}, "unknown_worker"),
        (
            "start_order",
            {"order_id": "{id}", "worker": "Mei"},
            "not_assigned_to_worker",
        ),
        (
            "complete_order",
            {"order_id": "{id}", "worker": "Mei"},
            "not_assigned_to_worker",
        ),
        (
            "request_service",
            {"room": "Room 999", "service_type": "towels"},
            "unknown_room",
        ),
        (
            "request_service",
            {"room": "Room 101", "service_type": "pony"},
            "unknown_service_type",
        ),
        ("assign_order", {"order_id": "{id}", "worker": "Tom"}, "worker_lacks_role"),
        (
            "book_cleaning",
            {"start": "2020-01-01T10:00:00+00:00", "address": "x"},
            "date_out_of_range",
        ),
        ("book_cleaning", {"start": "2099-01-01T10:00:00+00:00"}, "location_required"),
        ("get_orders", {"site": "Nowhere"}, "unknown_site"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    hass: HomeAssistant, service: str, data: dict[str, Any], key: str
) -> None:
    entry = await setup_entry(hass, _entry())
    order_id = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]["order_id"]
    before = _snapshot(hass, entry)
    payload = {k: (order_id if v == "{id}" else v) for k, v in data.items()}
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, **payload)
    assert err.value.translation_key == key
    assert err.value.translation_domain == DOMAIN
    assert _snapshot(hass, entry) == before


async def test_schema_errors(hass: HomeAssistant) -> None:
    await setup_entry(hass, _entry())
    for service, data in (
        (
            "book_cleaning",
            {"address": "x", "start": "2099-01-01T10:00", "contact_phone": "call me"},
        ),
        (
            "request_service",
            {"room": "Room 101", "service_type": "towels", "quantity": 0},
        ),
        ("accept_order", {"order_id": "12345", "worker": "Mei"}),
        ("cancel_order", {"order_id": "DS-AAAA", "reason": "x" * 201}),
        (
            "book_cleaning",
            {"address": "x", "room": "Room 101", "start": "2099-01-01T10:00"},
        ),
    ):
        with pytest.raises(vol.Invalid):
            await call(hass, service, **data)


async def test_several_sites_need_a_site_name(hass: HomeAssistant) -> None:
    await setup_entry(hass, _entry())
    await setup_entry(
        hass, site_entry("Lakeside", subentries=[worker("Ann", "cleaning")])
    )
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "book_cleaning", address="x", start=SOON)
    assert err.value.translation_key == "site_required"
    booked = await call(hass, "book_cleaning", site="lakeside", address="x", start=SOON)
    assert booked["order"]["site"] == "Lakeside"
    everything = await call(hass, "get_orders")
    assert len(everything["orders"]) == 1
    only_ann = await call(hass, "get_orders", worker="Ann", state=["offered"])
    assert [o["order_id"] for o in only_ann["orders"]] == [booked["order"]["order_id"]]
    room_orders = await call(hass, "get_orders", room="Room 101")
    assert room_orders["orders"] == []


async def test_calendar_books_and_cancels(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, _entry())
    start = dt_util.now() + timedelta(days=1)
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": "calendar.aurora_bookings",
            "summary": "Deep cleaning",
            "start_date_time": start.isoformat(),
            "end_date_time": (start + timedelta(hours=3)).isoformat(),
            "location": "Villa 3",
            "description": "Windows too",
        },
        blocking=True,
    )
    orders = entry.runtime_data.site.orders()
    assert [(o.service_type, o.address) for o in orders] == [
        ("deep_cleaning", "Villa 3")
    ]
    assert (
        hass.states.get("calendar.aurora_bookings").attributes["location"] == "Villa 3"
    )

    calendar = hass.data["entity_components"]["calendar"].get_entity(
        "calendar.aurora_bookings"
    )
    # The calendar panel's websocket commands call the entity without a context:
    # nobody can be told from anybody, so they are refused.
    with pytest.raises(Unauthorized):
        await calendar.async_delete_event(orders[0].id)
    assert orders[0].state.value != "cancelled"
    # As Home Assistant's entity-service path does: a context for each command.
    calendar.async_set_context(Context())
    await calendar.async_delete_event(orders[0].id)
    assert orders[0].state.value == "cancelled"
    calendar.async_set_context(Context())
    with pytest.raises(ServiceValidationError):
        await calendar.async_create_event(
            dtstart=start.date(), dtend=start.date(), summary="x", location="y"
        )
    calendar.async_set_context(Context())
    with pytest.raises(ServiceValidationError):
        await calendar.async_create_event(dtstart=start, dtend=start, summary="x")


async def test_logbook_describes_orders(hass: HomeAssistant) -> None:
    from custom_components.doorservice.logbook import async_describe_events

    described: dict[str, Any] = {}
    async_describe_events(hass, lambda d, e, fn: described.__setitem__(e, fn))

    def event(data: dict[str, Any]) -> Any:
        return type("E", (), {"data": data})()

    base = {
        "order_id": "DS-7K2M",
        "site": "Aurora",
        "service_type": "standard_cleaning",
        "worker": "Anna",
        "actor": "Anna",
        "detail": None,
    }
    assert described["doorservice_order_updated"](
        event({**base, "state": "accepted"})
    ) == {"name": "Anna", "message": "accepted standard cleaning (DS-7K2M)"}
    assert described["doorservice_order_updated"](
        event({**base, "state": "cancelled", "actor": None, "detail": "Fixed"})
    ) == {"name": "Aurora", "message": "cancelled standard cleaning (DS-7K2M) (Fixed)"}
    assert described["doorservice_order_escalated"](event(base)) == {
        "name": "Aurora",
        "message": "found nobody to take standard cleaning (DS-7K2M)",
    }


async def test_orders_finished_long_ago_are_forgotten_daily(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_entry(hass, _entry())
    order_id = (
        await call(hass, "request_service", room="Room 101", service_type="towels")
    )["order"]["order_id"]
    await call(hass, "cancel_order", order_id=order_id)
    freezer.tick(timedelta(days=91))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.runtime_data.site.orders() == []
    assert (await call(hass, "get_orders"))["orders"] == []


async def test_a_broadcast_fires_one_offered_event_naming_every_worker(
    hass: HomeAssistant,
) -> None:
    """The order event entity writes once for a broadcast, not once per worker."""
    await setup_entry(hass, _entry())
    writes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        callback(
            lambda e: (
                writes.append(e.data["new_state"].attributes["event_type"])
                if e.data["entity_id"] == "event.aurora_order"
                else None
            )
        ),
    )
    await call(hass, "request_service", room="Room 101", service_type="towels")
    await hass.async_block_till_done()
    assert writes == ["queued", "offered"]
    state = hass.states.get("event.aurora_order")
    assert sorted(state.attributes["offered_to"]) == ["Li", "Mei"]
