"""Every path of the site, options and subentry flows."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import DOMAIN
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.data_entry_flow import FlowResultType, InvalidData

from .conftest import cabinet, room, setup_entry, site_entry, worker

SITE = {"name": "Lakeside", "site_type": "home", "currency": "EUR"}


async def test_user_creates_site(hass: HomeAssistant) -> None:
    hass.config.currency = "CHF"
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    schema_defaults = {
        str(key): key.default()
        for key in result["data_schema"].schema
        if callable(getattr(key, "default", None))
    }
    assert schema_defaults["currency"] == "CHF"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SITE, "name": "  Lakeside  "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Lakeside"
    assert result["data"] == SITE
    assert result["result"].unique_id == "lakeside"


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({**SITE, "name": "   "}, {"name": "invalid_name"}),
        ({**SITE, "name": "!!!"}, {"name": "invalid_name"}),
        ({**SITE, "name": "x" * 65}, {"name": "invalid_name"}),
    ],
)
async def test_user_errors_then_recovers(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert not hass.config_entries.async_entries(DOMAIN)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], SITE)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_values_the_selectors_would_refuse(hass: HomeAssistant) -> None:
    flow = hass.config_entries.flow
    result = await flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    handler = flow._progress[result["flow_id"]]  # the selector would refuse it first
    errors: dict[str, str] = {}
    assert handler._validate_site({**SITE, "site_type": "castle"}, errors) is None
    assert errors == {"site_type": "invalid_site_type"}
    errors = {}
    assert handler._validate_site({**SITE, "currency": "XXX"}, errors) is None
    assert errors == {"currency": "invalid_currency"}


async def test_second_site_with_same_name_aborts(hass: HomeAssistant) -> None:
    site_entry("Lakeside").add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SITE, "name": "lakeside"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reconfigure_site(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside"))
    site_entry("Hotel Aurora").add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SITE, "name": ""}
    )
    assert result["errors"] == {"name": "invalid_name"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SITE, "name": "Hotel Aurora"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {"name": "Lakeside Villa", "site_type": "hotel", "currency": "USD"},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.title == "Lakeside Villa"
    assert entry.unique_id == "lakeside_villa"
    assert entry.data == {
        "name": "Lakeside Villa",
        "site_type": "hotel",
        "currency": "USD",
    }


async def test_reconfigure_keeps_own_name(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside"))
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**SITE, "currency": "GBP"}
    )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert entry.data["currency"] == "GBP"


async def test_options_flow(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside"))
    hass.services.async_register("notify", "boss_phone", lambda call: None)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    assert result["menu_options"] == [
        "policy",
        "add_service",
        "edit_service",
        "remove_service",
        "add_calendar",
        "remove_calendar",
        "calendar_policy",
    ]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "policy"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "policy"
    policy = {
        "dispatch_strategy": "round_robin",
        "acceptance_timeout": 5,
        "code_validity": 12,
        "offline_repair_after": 5,
        "retention_days": 90,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**policy, "manager_notify_service": "notify.nobody"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"manager_notify_service": "notify_service_not_found"}
    assert entry.options["dispatch_strategy"] == "broadcast"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**policy, "manager_notify_service": "notify.boss_phone"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options == {**policy, "manager_notify_service": "notify.boss_phone"}

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "policy"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], policy
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == policy


async def _start_subentry(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str
) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    return dict(result)


async def test_add_cabinet(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Lakeside", subentries=[cabinet("A")]))
    result = await _start_subentry(hass, entry, "cabinet")
    flow_id = result["flow_id"]
    configure = hass.config_entries.subentries.async_configure
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        (
            {"name": "a", "compartments": 6, "driver": "virtual"},
            {"name": "name_in_use"},
        ),
        (
            {"name": " ", "compartments": 6, "driver": "virtual"},
            {"name": "invalid_name"},
        ),
        (
            {"name": "B", "compartments": 2.5, "driver": "virtual"},
            {"compartments": "invalid_compartments"},
        ),
    ]
    for user_input, errors in cases:
        result = await configure(flow_id, user_input)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == errors
    result = await configure(
        flow_id, {"name": "Garage cabinet", "compartments": 12.0, "driver": "virtual"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(s for s in entry.subentries.values() if s.title == "Garage cabinet")
    assert sub.data == {"compartments": 12, "driver": "virtual"}
    assert hass.states.get("lock.garage_cabinet_compartment_12") is not None


async def test_reconfigure_cabinet(hass: HomeAssistant) -> None:
    entry = await setup_entry(
        hass, site_entry("Lakeside", subentries=[cabinet("A"), cabinet("B")])
    )
    sub = next(s for s in entry.subentries.values() if s.title == "A")
    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    assert result["step_id"] == "reconfigure"
    configure = hass.config_entries.subentries.async_configure
    result = await configure(
        result["flow_id"], {"name": "B", "compartments": 3, "driver": "virtual"}
    )
    assert result["errors"] == {"name": "name_in_use"}
    result = await configure(
        result["flow_id"], {"name": "A", "compartments": 3, "driver": "virtual"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[sub.subentry_id].data["compartments"] == 3
    assert hass.states.get("lock.a_compartment_3") is not None
    assert hass.states.get("lock.a_compartment_4") is None


async def test_add_and_reconfigure_room(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await _start_subentry(hass, entry, "room")
    configure = hass.config_entries.subentries.async_configure
    result = await configure(result["flow_id"], {"name": "101", "address": "x" * 201})
    assert result["errors"] == {"address": "invalid_address"}
    result = await configure(result["flow_id"], {"name": "Room 101"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {"driver": "virtual"}

    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    result = await configure(
        result["flow_id"], {"name": "Room 101", "address": " 1st   floor "}
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries[sub.subentry_id].data == {
        "address": "1st floor",
        "driver": "virtual",
    }


async def test_room_and_worker_name_their_home_assistant_users(
    hass: HomeAssistant,
) -> None:
    """A room names its room-terminal users; a worker names their user."""
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    tablet = await hass.auth.async_create_user("Room 101 tablet")
    mei = await hass.auth.async_create_user("Mei")
    configure = hass.config_entries.subentries.async_configure

    result = await _start_subentry(hass, entry, "room")
    keys = {str(key) for key in result["data_schema"].schema}
    assert "users" in keys
    with pytest.raises(InvalidData):  # only existing users can be chosen
        await configure(result["flow_id"], {"name": "Room 101", "users": ["x"]})
    result = await configure(
        result["flow_id"], {"name": "Room 101", "users": [tablet.id, tablet.id]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    room_sub = next(s for s in entry.subentries.values() if s.title == "Room 101")
    assert room_sub.data["users"] == [tablet.id]

    result = await _start_subentry(hass, entry, "worker")
    with pytest.raises(InvalidData):
        await configure(
            result["flow_id"],
            {"name": "Mei", "roles": ["housekeeping"], "user_id": "x"},
        )
    result = await configure(
        result["flow_id"],
        {"name": "Mei", "roles": ["housekeeping"], "user_id": mei.id},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    worker_sub = next(s for s in entry.subentries.values() if s.title == "Mei")
    assert worker_sub.data["user_id"] == mei.id


async def test_add_and_reconfigure_worker(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    calls: list[ServiceCall] = []
    hass.services.async_register("notify", "mobile_app_annas_phone", calls.append)
    hass.states.async_set("person.anna", "home")
    hass.states.async_set("sensor.anna", "home")
    result = await _start_subentry(hass, entry, "worker")
    configure = hass.config_entries.subentries.async_configure
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"name": "Anna", "roles": []}, {"roles": "invalid_roles"}),
        (
            {"name": "Anna", "roles": ["cleaning"], "notify_service": "notify.x"},
            {"notify_service": "notify_service_not_found"},
        ),
        (
            {"name": "Anna", "roles": ["cleaning"], "notify_service": "light.x"},
            {"notify_service": "notify_service_not_found"},
        ),
        (
            {"name": "Anna", "roles": ["cleaning"], "person": "person.bob"},
            {"person": "person_not_found"},
        ),
    ]
    for user_input, errors in cases:
        result = await configure(result["flow_id"], user_input)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == errors
    result = await configure(
        result["flow_id"],
        {
            "name": "Anna",
            "roles": ["cleaning", "housekeeping", "cleaning"],
            "notify_service": " notify.mobile_app_annas_phone ",
            "person": "person.anna",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {
        "roles": ["cleaning", "housekeeping"],
        "notify_service": "notify.mobile_app_annas_phone",
        "person": "person.anna",
    }
    assert hass.states.get("switch.anna_on_duty").state == "on"

    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    assert result["source" if "source" in result else "step_id"] in {
        SOURCE_RECONFIGURE,
        "reconfigure",
    }
    result = await configure(
        result["flow_id"], {"name": "Anna Li", "roles": ["maintenance"]}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[sub.subentry_id].title == "Anna Li"
    assert entry.subentries[sub.subentry_id].data == {"roles": ["maintenance"]}


async def test_subentry_types_offered(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    for kind in ("cabinet", "room", "worker"):
        result = await _start_subentry(hass, entry, kind)
        assert result["step_id"] == "user"
    worker_sub = worker("Zed", "concierge")
    room_sub = room("Suite")
    assert worker_sub["data"] == {"roles": ["concierge"]}
    assert room_sub["data"] == {}


async def test_room_appliances(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    result = await _start_subentry(hass, entry, "room")
    configure = hass.config_entries.subentries.async_configure
    light = {"id": "light", "name": " Light ", "kind": "light"}
    for appliances in (
        [light, {"id": "light", "name": "Lamp", "kind": "light"}],  # duplicate id
        [{"id": "Bad id", "name": "X", "kind": "switch"}],
        [{"id": "curtain", "name": "Curtain", "kind": "cover", "checkout_state": "on"}],
    ):
        result = await configure(
            result["flow_id"], {"name": "Room 101", "appliances": appliances}
        )
        assert result["errors"] == {"appliances": "invalid_appliances"}
    with pytest.raises(InvalidData):
        await configure(
            result["flow_id"],
            {
                "name": "Room 101",
                "appliances": [{"id": "tv", "name": "TV", "kind": "toaster"}],
            },
        )
    result = await configure(
        result["flow_id"],
        {
            "name": "Room 101",
            "appliances": [
                light,
                {"id": "ac", "name": "AC", "kind": "climate"},
            ],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {
        "appliances": [
            {"id": "light", "name": "Light", "kind": "light", "checkout_state": "off"},
            {"id": "ac", "name": "AC", "kind": "climate", "checkout_state": "off"},
        ],
        "driver": "virtual",
    }
    assert hass.states.get("light.room_101_light").state == "off"

    result = await entry.start_subentry_reconfigure_flow(hass, sub.subentry_id)
    result = await configure(
        result["flow_id"],
        {"name": "Room 101", "appliances": {"id": "fan", "name": "Fan", "kind": "fan"}},
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[sub.subentry_id].data == {
        "appliances": [
            {"id": "fan", "name": "Fan", "kind": "fan", "checkout_state": "off"}
        ],
        "driver": "virtual",
    }
    assert hass.states.get("fan.room_101_fan").state == "off"
    assert hass.states.get("light.room_101_light") is None
