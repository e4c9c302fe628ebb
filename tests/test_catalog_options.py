"""The service catalog edited in the options flow: add, edit, remove; effects."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.config_flow import _flag
from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.core.catalog import ServiceCatalog
from custom_components.doorservice.core.errors import DoorServiceError
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .conftest import room, setup_entry, site_entry, worker

IRONING = {
    "id": "ironing",
    "name": "Ironing",
    "role": "housekeeping",
    "price": 8.5,
    "duration_minutes": 20,
    "sla_minutes": 90,
    "category": "pressing",
}


@pytest.fixture
async def hotel(hass: HomeAssistant) -> MockConfigEntry:
    """A hotel with one room, a housekeeper and a technician."""
    return await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [
                room("Room 101"),
                worker("Mei", "housekeeping"),
                worker("Tom", "maintenance"),
            ],
        ),
    )


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def open_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> str:
    """Open the options menu, choose ``step`` and return the flow id."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step
    return str(result["flow_id"])


async def submit(hass: HomeAssistant, flow_id: str, data: dict[str, Any]) -> Any:
    result = await hass.config_entries.options.async_configure(flow_id, data)
    await hass.async_block_till_done()
    return result


async def request(hass: HomeAssistant, service_type: str) -> dict[str, Any]:
    result = await call(
        hass, "request_service", {"room": "Room 101", "service_type": service_type}
    )
    order: dict[str, Any] = result["order"]
    return order


def catalog_ids(entry: MockConfigEntry) -> list[str]:
    return [item["id"] for item in entry.options["service_types"]]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"id": "towels"}, {"id": "duplicate_service_type"}),
        ({"id": "Ironing!"}, {"id": "invalid_service_type_id"}),
        ({"name": "   "}, {"name": "invalid_service_name"}),
        ({"name": "x" * 65}, {"name": "invalid_service_name"}),
        ({"price": -1}, {"price": "invalid_price"}),
        ({"duration_minutes": 0}, {"duration_minutes": "invalid_minutes"}),
        ({"sla_minutes": 1.5}, {"sla_minutes": "invalid_minutes"}),
        ({"category": "Pressing room"}, {"category": "invalid_category"}),
    ],
)
async def test_add_service_errors_change_nothing(
    hass: HomeAssistant,
    hotel: MockConfigEntry,
    changes: dict[str, Any],
    errors: dict[str, str],
) -> None:
    options = dict(hotel.options)
    flow_id = await open_step(hass, hotel, "add_service")
    result = await submit(hass, flow_id, IRONING | changes)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert result["description_placeholders"] == {"currency": "EUR"}
    assert hotel.options == options
    assert "ironing" not in hotel.runtime_data.site.catalog


async def test_add_paid_service_is_requested_routed_and_priced(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    flow_id = await open_step(hass, hotel, "add_service")
    result = await submit(hass, flow_id, IRONING)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert catalog_ids(hotel)[-1] == "ironing"
    assert hotel.options["service_types"][-1]["price"] == "8.5"
    assert hotel.options["dispatch_strategy"] == "broadcast"  # the policy stays

    catalog = await call(hass, "get_catalog", {"site": "Hotel Aurora"})
    ironing = next(
        t for t in catalog["service_types"] if t["service_type"] == "ironing"
    )
    assert ironing == {
        "service_type": "ironing",
        "name": "Ironing",
        "category": "pressing",
        "price": "8.5",
        "paid": True,
        "duration_minutes": 20,
        "sla_minutes": 90,
    }
    select = hass.states.get("select.room_101_services")
    assert "Ironing (8.50 EUR)" in select.attributes["options"]
    # The new category has its own staff list.
    assert hass.states.get("todo.hotel_aurora_pressing_requests") is not None

    # A paid request in a hotel needs a stay to be billed to.
    await call(hass, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    order = await request(hass, "ironing")
    assert order["offered_to"] == ["Mei"]
    assert (order["unit_price"], order["total_price"]) == ("8.5", "8.5")
    assert order["currency"] == "EUR"
    assert hass.states.get("todo.hotel_aurora_pressing_requests").state == "1"


async def test_edit_service_moves_new_requests_to_another_role(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    before = await request(hass, "towels")
    assert before["offered_to"] == ["Mei"]

    flow_id = await open_step(hass, hotel, "edit_service")
    result = await submit(hass, flow_id, {"service_type": "towels"})
    assert result["step_id"] == "edit_service_details"
    assert result["description_placeholders"] == {
        "currency": "EUR",
        "service_type": "towels",
        "name": "Fresh towels",
    }
    schema_keys = {str(key) for key in result["data_schema"].schema}
    assert "id" not in schema_keys
    result = await submit(
        hass,
        result["flow_id"],
        {
            "name": "Towels and robes",
            "role": "maintenance",
            "price": 0,
            "duration_minutes": 15,
            "sla_minutes": 45,
            "category": "linen",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    towels = next(t for t in hotel.options["service_types"] if t["id"] == "towels")
    assert towels == {
        "id": "towels",
        "name": "Towels and robes",
        "role": "maintenance",
        "price": "0",
        "duration_minutes": 15,
        "sla_minutes": 45,
        "category": "linen",
    }
    assert catalog_ids(hotel) == ServiceCatalog.default().ids  # same place, same id

    after = await request(hass, "towels")
    assert after["offered_to"] == ["Tom"]
    assert after["service"] == "Towels and robes"
    # The order raised before the change survived the reload with its offer.
    orders = await call(hass, "get_orders", {"site": "Hotel Aurora"})
    old = next(o for o in orders["orders"] if o["order_id"] == before["order_id"])
    assert old["offered_to"] == ["Mei"]


async def test_edit_service_errors(hass: HomeAssistant, hotel: MockConfigEntry) -> None:
    options = dict(hotel.options)
    flow_id = await open_step(hass, hotel, "edit_service")
    result = await submit(hass, flow_id, {"service_type": "laundry"})
    details = {
        "name": "Laundry",
        "role": "housekeeping",
        "price": -2,
        "duration_minutes": 30,
        "sla_minutes": 0,
        "category": "linen",
    }
    result = await submit(hass, result["flow_id"], details)
    assert result["errors"] == {"price": "invalid_price"}
    result = await submit(hass, result["flow_id"], details | {"price": 12})
    assert result["errors"] == {"sla_minutes": "invalid_minutes"}
    result = await submit(hass, result["flow_id"], details | {"price": float("inf")})
    assert result["errors"] == {"price": "invalid_price"}
    assert hotel.options == options
    assert hotel.runtime_data.site.catalog.get("laundry").sla_minutes == 120


async def test_remove_service_keeps_open_orders(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    await call(hass, "check_in", {"room": "Room 101", "guest_name": "Ada"})
    laundry = await request(hass, "laundry")
    flow_id = await open_step(hass, hotel, "remove_service")
    result = await submit(hass, flow_id, {"service_type": []})
    assert result["errors"] == {"service_type": "no_service_type_chosen"}
    result = await submit(hass, flow_id, {"service_type": ServiceCatalog.default().ids})
    assert result["errors"] == {"service_type": "last_service_type"}
    assert "service_types" not in hotel.options

    result = await submit(hass, flow_id, {"service_type": ["laundry", "minibar"]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "laundry" not in catalog_ids(hotel)
    assert "minibar" not in catalog_ids(hotel)
    catalog = await call(hass, "get_catalog", {"room": "Room 101"})
    assert "laundry" not in {t["service_type"] for t in catalog["service_types"]}
    options = hass.states.get("select.room_101_services").attributes["options"]
    assert not any("Laundry" in option for option in options)

    # The open order stays with its role and can still be worked.
    await hass.services.async_call(
        DOMAIN,
        "accept_order",
        {"order_id": laundry["order_id"], "worker": "Mei"},
        blocking=True,
    )
    orders = await call(hass, "get_orders", {"site": "Hotel Aurora"})
    (kept,) = orders["orders"]
    assert (kept["state"], kept["worker"], kept["service"]) == (
        "accepted",
        "Mei",
        "laundry",
    )


async def test_policy_keeps_the_catalog_and_catalog_keeps_the_policy(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    flow_id = await open_step(hass, hotel, "remove_service")
    await submit(hass, flow_id, {"service_type": ["luggage"]})
    flow_id = await open_step(hass, hotel, "policy")
    result = await submit(
        hass,
        flow_id,
        {
            "dispatch_strategy": "round_robin",
            "acceptance_timeout": 5,
            "code_validity": 12,
            "offline_repair_after": 5,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert hotel.options["dispatch_strategy"] == "round_robin"
    assert "luggage" not in catalog_ids(hotel)
    assert "luggage" not in hotel.runtime_data.site.catalog

    # A second catalog edit starts from the edited catalog in the options.
    flow_id = await open_step(hass, hotel, "remove_service")
    await submit(hass, flow_id, {"service_type": ["wake_up_call"]})
    assert {"luggage", "wake_up_call"}.isdisjoint(catalog_ids(hotel))
    assert hotel.options["dispatch_strategy"] == "round_robin"


async def test_catalog_of_an_unloaded_site_starts_from_the_defaults(
    hass: HomeAssistant,
) -> None:
    entry = site_entry("Lakeside", "hotel")
    entry.add_to_hass(hass)
    flow_id = await open_step(hass, entry, "remove_service")
    result = await submit(hass, flow_id, {"service_type": ["luggage"]})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    expected = [i for i in ServiceCatalog.default("hotel").ids if i != "luggage"]
    assert catalog_ids(entry) == expected


async def test_invalid_stored_catalog_is_ignored(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            options={"dispatch_strategy": "broadcast", "service_types": [{"id": "x"}]},
        ),
    )
    assert entry.runtime_data.site.catalog.ids == ServiceCatalog.default("home").ids
    assert "Ignoring the invalid service catalog of Lakeside" in caplog.text


def test_unexpected_catalog_errors_go_to_the_form() -> None:
    errors: dict[str, str] = {}
    _flag(DoorServiceError("unknown_service_type", service_type="x"), errors)
    assert errors == {"base": "invalid_service_type"}
