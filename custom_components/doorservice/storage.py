"""Persistence of a site: one versioned Store per config entry."""

from __future__ import annotations

from typing import Any, override

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
SAVE_DELAY = 1.0  # seconds: bursts of changes are written once


class SiteStore(Store[dict[str, Any]]):
    """The stored state of one site, with a migration hook for future versions."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Create the store ``.storage/doorservice.<entry_id>``."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )

    @override
    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> dict[str, Any]:
        """Bring data written by an older version to the current layout."""
        LOGGER.debug(
            "Migrating stored site from %s.%s", old_major_version, old_minor_version
        )
        # Version 1.1 is the first layout: every older layout is the same data.
        return old_data
