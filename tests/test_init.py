"""Setup, unload, reload, live subentry changes, diagnostics and the demo snapshot."""

from __future__ import annotations

import contextlib
from datetime import timedelta
import functools
import inspect
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.doorservice.const import DOMAIN
from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigSubentry,
    ConfigSubentryData,
)
from homeassistant.const import MATCH_ALL
from homeassistant.core import HassJob, HomeAssistant, callback
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from scripts.demo_site import DEMO_SITES, POLICY

from .conftest import cabinet, setup_entry, site_entry, worker

PACKAGE = "custom_components.doorservice"


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


def _timers_of_the_integration(hass: HomeAssistant) -> list[str]:
    """Name the live loop timers whose callback leads into the integration.

    Follows what Home Assistant wraps around a callback (``HassJob``, the
    ``async_track_*`` helper objects, bound methods, partials and closures), so it
    finds the offer deadline, the daily housekeeping, repair timers and board
    timers, however the integration names them.
    """
    found: set[str] = set()

    def visit(obj: Any, depth: int, seen: set[int]) -> None:
        if depth > 6 or id(obj) in seen or isinstance(obj, HomeAssistant):
            return
        seen.add(id(obj))
        if isinstance(obj, (list, tuple)):
            for item in obj:
                visit(item, depth + 1, seen)
            return
        if isinstance(obj, functools.partial):
            visit(obj.func, depth + 1, seen)
            visit(obj.args, depth + 1, seen)
            return
        if inspect.ismethod(obj):
            owner = type(obj.__self__)
            if owner.__module__.startswith(PACKAGE):
                found.add(f"{owner.__module__}.{owner.__qualname__}.{obj.__name__}")
            visit(obj.__func__, depth + 1, seen)
            visit(obj.__self__, depth + 1, seen)
            return
        if inspect.isfunction(obj):
            if obj.__module__.startswith(PACKAGE):
                found.add(f"{obj.__module__}.{obj.__qualname__}")
            for cell in obj.__closure__ or ():
                with contextlib.suppress(ValueError):
                    visit(cell.cell_contents, depth + 1, seen)
            return
        if isinstance(obj, HassJob):
            visit(obj.target, depth + 1, seen)
            return
        if type(obj).__module__.startswith(("homeassistant.helpers.event", "asyncio")):
            for value in getattr(obj, "__dict__", {}).values():
                visit(value, depth + 1, seen)
            for slot in getattr(type(obj), "__slots__", ()):
                visit(getattr(obj, slot, None), depth + 1, seen)

    for handle in hass.loop._scheduled:
        if not handle.cancelled():
            visit(handle._callback, 0, set())
            visit(handle._args, 0, set())
    return sorted(found)


async def test_unload_cancels_every_timer_of_the_site(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Offer deadline, housekeeping, repair and board timers die with the entry."""
    hass.states.async_set("lock.board_1", "unavailable")
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            subentries=[
                cabinet("Lobby cabinet", 6),
                worker("Anna", "cleaning"),
                ConfigSubentryData(
                    subentry_type="cabinet",
                    title="Board",
                    unique_id=None,
                    data={
                        "compartments": 1,
                        "driver": "entities",
                        "locks": ["lock.board_1"],
                        "doors": [],
                        "pulse": 1,
                        "confirm_timeout": 1,
                    },
                ),
            ],
            options={
                "dispatch_strategy": "broadcast",
                "acceptance_timeout": 10,
                "code_validity": 48,
                "offline_repair_after": 5,
            },
        ),
    )
    # An offer with a deadline, a compartment mid-pulse, a board offline (its repair
    # issue is due in 5 minutes) and the daily housekeeping: all of them pending.
    await hass.services.async_call(
        DOMAIN,
        "book_cleaning",
        {
            "address": "1 Lake Road",
            "start": (dt_util.utcnow() + timedelta(days=30)).isoformat(),
        },
        blocking=True,
        return_response=True,
    )
    await hass.services.async_call(
        "lock",
        "unlock",
        {"entity_id": "lock.lobby_cabinet_compartment_2"},
        blocking=True,
    )
    assert hass.states.get("lock.lobby_cabinet_compartment_2").state == "unlocked"
    running = _timers_of_the_integration(hass)
    for kind, words in {
        "offer deadline": ("expire", "deadline"),
        "housekeeping": ("housekeeping",),
        "board repair": ("repair", "issue"),
        "virtual board": ("drivers.virtual",),
    }.items():
        assert any(w in name for name in running for w in words), (kind, running)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert _timers_of_the_integration(hass) == []

    # Nothing fires any more: no events, no states, no repair issue, no notification.
    seen: list[str] = []
    hass.bus.async_listen(
        MATCH_ALL,
        callback(
            lambda e: (
                seen.append(e.event_type)
                if e.event_type.startswith(DOMAIN)
                or e.event_type in ("state_changed", "persistent_notifications_updated")
                else None
            )
        ),
    )
    notes = dict(hass.data.get("persistent_notification") or {})
    states = {s.entity_id: s.state for s in hass.states.async_all()}
    for _ in range(6):
        freezer.tick(timedelta(hours=12))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert seen == []
    assert {s.entity_id: s.state for s in hass.states.async_all()} == states
    assert dict(hass.data.get("persistent_notification") or {}) == notes
    assert ir.async_get(hass).issues == {}


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
