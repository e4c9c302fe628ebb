"""Door Service: keyless service visits and hotel room service for Home Assistant."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.typing import ConfigType

from .booking.views import async_setup_booking
from .const import DOMAIN
from .entity import async_remove_entities_gradually
from .faces import async_setup_faces
from .runtime import DoorServiceConfigEntry, SiteRuntime
from .sentences import async_install_sentences
from .services import async_setup_services
from .voice import async_setup_intents

PLATFORMS: tuple[Platform, ...] = (
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.CLIMATE,
    Platform.COVER,
    Platform.EVENT,
    Platform.IMAGE,
    Platform.FAN,
    Platform.LIGHT,
    Platform.LOCK,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.TODO,
)

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and the faces (cards) once for every site."""
    async_setup_services(hass)
    async_setup_intents(hass)
    async_setup_booking(hass)
    await async_setup_faces(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: DoorServiceConfigEntry) -> bool:
    """Load a site, start its boards and set up its entities."""
    runtime = SiteRuntime(hass, entry)
    await runtime.async_load()
    entry.runtime_data = runtime
    try:
        await runtime.async_start()
        await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
        runtime.async_remove_stale_entities()
        if "conversation" in hass.config.components:
            await async_install_sentences(hass)
    except Exception:
        await runtime.async_stop()
        raise
    # Adding, changing or removing a cabinet, room or worker reloads the site, so its
    # devices and entities follow the configuration without restarting Home Assistant.
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    return True


async def _async_update_listener(
    hass: HomeAssistant, entry: DoorServiceConfigEntry
) -> None:
    """Reload the site after its configuration changed."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(
    hass: HomeAssistant, entry: DoorServiceConfigEntry
) -> bool:
    """Unload a site: entities first, then boards and timers; state is saved."""
    await async_remove_entities_gradually(hass, entry)
    if unloaded := await hass.config_entries.async_unload_platforms(entry, PLATFORMS):
        await entry.runtime_data.async_stop()
    return unloaded


async def async_remove_entry(
    hass: HomeAssistant, entry: DoorServiceConfigEntry
) -> None:
    """Delete the stored state of a removed site."""
    await SiteRuntime.async_remove_store(hass, entry)
