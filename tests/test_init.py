"""Setup, unload, reload, live subentry changes, diagnostics and the demo snapshot."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.doorservice.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState, ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from scripts.demo_site import DEMO_SITES, POLICY

from .conftest import cabinet, setup_entry, site_entry, worker


async def test_setup_unload_reload(
    hass: HomeAssistant, home_entry: MockConfigEntry
) -> None:
    entry = await setup_entry(hass, home_entry)
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("lock.lobby_cabinet_compartment_1").state == "locked"
    assert hass.states.get("binary_sensor.lobby_cabinet_board").state == "on"
    assert hass.states.get("switch.anna_on_duty").state == "on"
    assert hass.states.get("sensor.lakeside_workers_on_duty").state == "1"

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("lock.lobby_cabinet_compartment_1").state == "unavailable"
    # No timers or listeners are left behind (the test harness checks lingering
    # timers at teardown as well).
    assert not entry.update_listeners


async def test_unload_cancels_pending_board_timers(
    hass: HomeAssistant, home_entry: MockConfigEntry
) -> None:
    entry = await setup_entry(hass, home_entry)
    await hass.services.async_call(
        "lock",
        "unlock",
        {"entity_id": "lock.lobby_cabinet_compartment_2"},
        blocking=True,
    )
    assert hass.states.get("lock.lobby_cabinet_compartment_2").state == "unlocked"
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_subentries_add_and_remove_devices_live(
    hass: HomeAssistant,
    home_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    entry = await setup_entry(hass, home_entry)
    new = ConfigSubentry(
        data={"compartments": 2, "driver": "virtual"},
        subentry_type="cabinet",
        title="Garage cabinet",
        unique_id=None,
    )
    hass.config_entries.async_add_subentry(entry, new)
    await hass.async_block_till_done()
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, new.subentry_id), entry.entry_id
    )
    assert device is not None
    assert device.config_subentry_id == new.subentry_id
    assert hass.states.get("lock.garage_cabinet_compartment_2").state == "locked"

    hass.config_entries.async_remove_subentry(entry, new.subentry_id)
    await hass.async_block_till_done()
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, new.subentry_id), entry.entry_id
        )
        is None
    )
    assert entity_registry.async_get("lock.garage_cabinet_compartment_2") is None
    assert hass.states.get("lock.garage_cabinet_compartment_2") is None
    assert entry.state is ConfigEntryState.LOADED


async def test_maintenance_unlock_is_audited(
    hass: HomeAssistant, home_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, home_entry)
    events: list[Any] = []
    hass.bus.async_listen(
        "doorservice_compartment_audit", callback(lambda e: events.append(e))
    )
    await hass.services.async_call(
        "lock",
        "unlock",
        {"entity_id": "lock.lobby_cabinet_compartment_3"},
        blocking=True,
    )
    await hass.services.async_call(
        "lock", "lock", {"entity_id": "lock.lobby_cabinet_compartment_3"}, blocking=True
    )
    await hass.async_block_till_done()
    assert [e.data["action"] for e in events] == [
        "maintenance_unlock",
        "maintenance_lock",
    ]
    assert events[0].data["compartment"] == 3


async def test_logbook_describes_audit(
    hass: HomeAssistant, home_entry: MockConfigEntry
) -> None:
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
                "site": "Lakeside",
                "cabinet": "Lobby cabinet",
                "compartment": 3,
                "action": "maintenance_unlock",
            }
        },
    )()
    assert described["doorservice_compartment_audit"](event) == {
        "name": "Lakeside Lobby cabinet",
        "message": "compartment 3 unlocked for maintenance",
    }


async def test_diagnostics_redact_personal_data(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    assert await async_setup_component(hass, "diagnostics", {})
    hass.services.async_register("notify", "mobile_app_annas_phone", lambda c: None)
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            subentries=[
                cabinet("Lobby cabinet", 2),
                worker(
                    "Anna",
                    "cleaning",
                    notify_service="notify.mobile_app_annas_phone",
                ),
            ],
        ),
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = str(diagnostics)
    assert "mobile_app_annas_phone" not in text
    assert "**REDACTED**" in text
    assert diagnostics["runtime"]["cabinets"]
    assert diagnostics["entry"]["data"]["site_type"] == "home"


async def test_demo_site_snapshot(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The demo site's devices and entities, as scripts/develop creates them."""
    freezer.move_to("2026-11-21T09:00:00+00:00")
    for site in DEMO_SITES:
        await setup_entry(
            hass,
            MockConfigEntry(
                domain=DOMAIN,
                title=site["title"],
                data=site["data"],
                options=POLICY,
                subentries_data=site["subentries"],
                unique_id=site["data"]["name"].lower().replace(" ", "_"),
            ),
        )
    summary = []
    for device in sorted(
        dr.async_entries_for_config_entry(
            device_registry, hass.config_entries.async_entries(DOMAIN)[0].entry_id
        )
        + dr.async_entries_for_config_entry(
            device_registry, hass.config_entries.async_entries(DOMAIN)[1].entry_id
        ),
        key=lambda d: d.name or "",
    ):
        entities = sorted(
            (
                entity.entity_id,
                hass.states.get(entity.entity_id).state,
                entity.translation_key,
                entity.original_device_class,
                entity.entity_category,
            )
            for entity in er.async_entries_for_device(entity_registry, device.id)
        )
        summary.append((device.name, device.model, entities))
    assert summary == snapshot
