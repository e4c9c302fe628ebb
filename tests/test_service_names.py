"""Service types in the stay's or user's language: names, "free", flows, area."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import DOMAIN
from custom_components.doorservice.core.catalog import (
    Role,
    ServiceCatalog,
    ServiceType,
)
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.service_names import (
    DEFAULT_NAMES,
    price_label,
    service_name,
)
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import area_registry as ar

from .conftest import room, setup_entry, site_entry, worker

TABLET = "notify.room_101_tablet"


def test_every_default_type_has_an_english_and_a_chinese_name() -> None:
    catalog = ServiceCatalog.default()
    for kind in catalog:
        assert DEFAULT_NAMES[kind.id]["en"] == kind.name
        assert service_name(kind, "zh-Hans") == DEFAULT_NAMES[kind.id]["zh-Hans"]
        assert service_name(kind, "en") == kind.name
    assert DEFAULT_NAMES["call_staff"] == {"en": "Call staff", "zh-Hans": "呼叫服务员"}
    assert service_name(catalog.get("towels"), "zh-Hans") == "干净毛巾"
    assert price_label(None, "zh-Hans") == "免费"
    assert price_label(None, "en") == "free"
    assert price_label("15.00 EUR", "zh-Hans") == "15.00 EUR"


def test_own_names_win_and_renamed_types_keep_their_english_name() -> None:
    catalog = ServiceCatalog.default()
    renamed = catalog.update("towels", name="Bath towels")
    assert service_name(renamed, "zh-Hans") == "Bath towels"
    named = catalog.update("towels", names={"zh-Hans": " 浴巾  大号 "})
    assert service_name(named, "zh-Hans") == "浴巾 大号"
    assert named.to_dict()["names"] == {"zh-Hans": "浴巾 大号"}
    assert ServiceType.from_dict(named.to_dict()) == named
    assert "names" not in catalog.get("laundry").to_dict()
    # A blank name is no name.
    cleared = catalog.update("towels", names={"zh-Hans": "  "})
    assert cleared.names == ()


@pytest.mark.parametrize(
    "names",
    [{"fr": "Serviettes"}, {"zh-Hans": "毛" * 65}, {"zh-Hans": 3}, ["zh-Hans"]],
)
def test_bad_translated_names_are_refused(names: Any) -> None:
    catalog = ServiceCatalog.default()
    with pytest.raises(DoorServiceError) as err:
        catalog.update("towels", names=names)
    assert err.value.translation_key == "invalid_service_translation"
    assert catalog.get("towels").names == ()
    with pytest.raises(DoorServiceError):
        ServiceType(
            "x", "X", Role.HOUSEKEEPING, Decimal(0), names=(("de", "X"),)
        ).validate()


@pytest.fixture
def tablet(hass: HomeAssistant) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    @callback
    def _notify(call: ServiceCall) -> None:
        sent.append(dict(call.data))

    hass.services.async_register("notify", "room_101_tablet", _notify)
    return sent


@pytest.fixture
async def hotel(hass: HomeAssistant) -> MockConfigEntry:
    return await setup_entry(
        hass,
        site_entry(
            "Hotel Aurora", "hotel", [room("Room 101"), worker("Mei", "housekeeping")]
        ),
    )


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )


async def test_a_chinese_stay_reads_chinese_names_and_free(
    hass: HomeAssistant, hotel: MockConfigEntry, tablet: list[dict[str, Any]]
) -> None:
    select = "select.room_101_services"
    options = hass.states.get(select).attributes["options"]
    assert "Fresh towels (free)" in options
    assert "Laundry (15.00 EUR)" in options
    await call(
        hass,
        "check_in",
        {
            "room": "Room 101",
            "guest_name": "Li",
            "language": "zh-Hans",
            "notify_target": TABLET,
        },
    )
    await hass.async_block_till_done()
    options = hass.states.get(select).attributes["options"]
    assert "干净毛巾 (免费)" in options
    assert "洗衣服务 (15.00 EUR)" in options
    assert not any("free" in option for option in options)
    await hass.services.async_call(
        "select",
        "select_option",
        {"entity_id": select, "option": "干净毛巾 (免费)"},
        blocking=True,
    )
    assert hass.states.get(select).attributes["service_type"] == "towels"
    result = await call(
        hass, "request_service", {"room": "Room 101", "service_type": "towels"}
    )
    order_id = result["order"]["order_id"]
    await hass.services.async_call(
        DOMAIN, "accept_order", {"order_id": order_id, "worker": "Mei"}, blocking=True
    )
    await hass.async_block_till_done()
    texts = [n["message"] for n in tablet]
    assert f"已收到您的请求：干净毛巾（{order_id}）。" in texts
    assert any(text.startswith("干净毛巾：Mei 正在前往") for text in texts)
    assert not any("Fresh towels" in text for text in texts)
    # Checking out brings the home's language back.
    await call(hass, "check_out", {"room": "Room 101"})
    await hass.async_block_till_done()
    assert "Fresh towels (free)" in hass.states.get(select).attributes["options"]


async def _catalog_step(hass: HomeAssistant, entry: MockConfigEntry, step: str) -> str:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )
    return str(result["flow_id"])


async def test_chinese_names_are_edited_in_the_catalog_options(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    configure = hass.config_entries.options.async_configure
    flow_id = await _catalog_step(hass, hotel, "edit_service")
    result = await configure(flow_id, {"service_type": "towels"})
    assert result["step_id"] == "edit_service_details"
    schema = result["data_schema"].schema
    zh_field = next(key for key in schema if key == "name_zh_hans")
    assert zh_field.description == {"suggested_value": "干净毛巾"}
    details = {
        "name": "Fresh towels",
        "role": "housekeeping",
        "price": 0,
        "duration_minutes": 10,
        "sla_minutes": 30,
        "category": "linen",
    }
    result = await configure(flow_id, details | {"name_zh_hans": "毛" * 65})
    assert result["errors"] == {"name_zh_hans": "invalid_service_translation"}
    # The default Chinese name is not stored: it follows the defaults.
    result = await configure(flow_id, details | {"name_zh_hans": "干净毛巾"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    towels = next(t for t in hotel.options["service_types"] if t["id"] == "towels")
    assert "names" not in towels

    flow_id = await _catalog_step(hass, hotel, "edit_service")
    await configure(flow_id, {"service_type": "towels"})
    result = await configure(flow_id, details | {"name_zh_hans": " 浴巾 "})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    towels = next(t for t in hotel.options["service_types"] if t["id"] == "towels")
    assert towels["names"] == {"zh-Hans": "浴巾"}
    site = hotel.runtime_data.site
    assert service_name(site.catalog.get("towels"), "zh-Hans") == "浴巾"

    flow_id = await _catalog_step(hass, hotel, "add_service")
    result = await configure(
        flow_id,
        details
        | {"id": "ironing", "name": "Ironing", "name_zh_hans": "熨烫", "price": 8},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    ironing = hotel.runtime_data.site.catalog.get("ironing")
    assert service_name(ironing, "zh-Hans") == "熨烫"


async def test_policy_takes_a_tts_entity(
    hass: HomeAssistant, hotel: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(hotel.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "policy"}
    )
    policy = {
        "dispatch_strategy": "broadcast",
        "acceptance_timeout": 10,
        "code_validity": 48,
        "offline_repair_after": 5,
        "retention_days": 90,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], policy | {"tts_entity": "tts.front_desk"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert hotel.options["tts_entity"] == "tts.front_desk"
    result = await hass.config_entries.options.async_init(hotel.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "policy"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], policy
    )
    await hass.async_block_till_done()
    assert "tts_entity" not in hotel.options


async def test_a_room_names_its_area(hass: HomeAssistant) -> None:
    entry = await setup_entry(hass, site_entry("Aurora", "hotel"))
    area = ar.async_get(hass).async_create("Room 101")
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "room"), context={"source": SOURCE_USER}
    )
    configure = hass.config_entries.subentries.async_configure
    result = await configure(result["flow_id"], {"name": "Room 101", "area": "nope"})
    assert result["errors"] == {"area": "unknown_area"}
    result = await configure(result["flow_id"], {"name": "Room 101", "area": area.id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sub = next(iter(entry.subentries.values()))
    assert sub.data == {"area": area.id, "driver": "virtual"}
