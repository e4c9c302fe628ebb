"""A site's configuration entry, as the core sees it (a ``SiteConfig``).

Nothing here runs: it reads the entry, its options and subentries.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_NAME

from .const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_CODE_VALIDITY,
    CONF_COMPARTMENTS,
    CONF_CURRENCY,
    CONF_DISPATCH_STRATEGY,
    CONF_ROLES,
    CONF_SERVICE_TYPES,
    DEFAULT_ACCEPTANCE_TIMEOUT,
    DEFAULT_CODE_VALIDITY,
    DEFAULT_DISPATCH_STRATEGY,
    LOGGER,
    SubentryType,
)
from .core.catalog import Role, ServiceCatalog, ServiceType
from .core.dispatch import DispatchPolicy, DispatchStrategy
from .core.errors import DoorServiceError
from .core.site import CabinetConfig, RoomConfig, SiteConfig, WorkerConfig


def site_config(entry: ConfigEntry[Any]) -> SiteConfig:
    """Build the domain's view of a site's configuration from its config entry."""
    options = entry.options
    subs = list(entry.subentries.values())
    return SiteConfig(
        name=str(entry.data[CONF_NAME]),
        currency=str(entry.data[CONF_CURRENCY]),
        policy=DispatchPolicy(
            DispatchStrategy(
                options.get(CONF_DISPATCH_STRATEGY, DEFAULT_DISPATCH_STRATEGY)
            ),
            timedelta(
                minutes=options.get(CONF_ACCEPTANCE_TIMEOUT, DEFAULT_ACCEPTANCE_TIMEOUT)
            ),
        ),
        code_validity=timedelta(
            hours=options.get(CONF_CODE_VALIDITY, DEFAULT_CODE_VALIDITY)
        ),
        workers=tuple(
            WorkerConfig(
                s.subentry_id,
                s.title,
                frozenset(Role(role) for role in s.data.get(CONF_ROLES, ())),
            )
            for s in subs
            if s.subentry_type == SubentryType.WORKER
        ),
        cabinets=tuple(
            CabinetConfig(s.subentry_id, s.title, int(s.data[CONF_COMPARTMENTS]))
            for s in subs
            if s.subentry_type == SubentryType.CABINET
        ),
        rooms=tuple(
            RoomConfig(s.subentry_id, s.title, tuple(s.data.get("appliances", ())))
            for s in subs
            if s.subentry_type == SubentryType.ROOM
        ),
        service_types=configured_service_types(entry),
    )


def configured_service_types(
    entry: ConfigEntry[Any],
) -> tuple[ServiceType, ...] | None:
    """Return the service catalog edited in the options (None when never edited).

    A catalog that does not validate (edited by hand) is ignored with a warning:
    the site keeps the catalog it has.
    """
    raw = entry.options.get(CONF_SERVICE_TYPES)
    if not raw:
        return None
    try:
        return tuple(ServiceCatalog.from_dict({"service_types": raw}))
    except (DoorServiceError, KeyError, TypeError, AttributeError) as err:
        LOGGER.warning(
            "Ignoring the invalid service catalog of %s: %s", entry.title, err
        )
        return None
