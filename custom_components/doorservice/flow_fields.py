"""The form fields and checks that the site, options and subentry flows share."""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)

from .core.catalog import Role

NAME_MAX_LENGTH = 64
ROLES = tuple(role.value for role in Role)


def dropdown(
    options: list[str] | tuple[str, ...], key: str, *, multiple: bool = False
) -> SelectSelector:
    """Return a translated dropdown selector for fixed options."""
    return SelectSelector(
        SelectSelectorConfig(
            options=list(options),
            translation_key=key,
            mode=SelectSelectorMode.DROPDOWN,
            multiple=multiple,
        )
    )


def whole_number_box(unit: str | None = None) -> NumberSelector:
    """Return a box for a whole number, optionally with a unit.

    The box sets no minimum or maximum: the selector would refuse a value out of
    range with an untranslated text ("Value 0.0 is too small"). Each flow checks
    its range itself (``whole_number_in``) and puts a translated error on the field.
    """
    config = NumberSelectorConfig(step=1, mode=NumberSelectorMode.BOX)
    if unit is not None:
        config["unit_of_measurement"] = unit
    return NumberSelector(config)


def whole_number_in(value: Any, minimum: int, maximum: int) -> int | None:
    """Return ``value`` as an int when it is a whole number in range, else None."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not float(value).is_integer()
        or not minimum <= value <= maximum
    ):
        return None
    return int(value)


def name_field(defaults: dict[str, Any]) -> dict[Any, Any]:
    """Return the required name field, filled from ``defaults``."""
    return {
        vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, "")): TextSelector()
    }


def suggested(key: str, defaults: dict[str, Any], **extra: Any) -> vol.Optional:
    """Return an optional field that suggests (not defaults to) its saved value."""
    return vol.Optional(
        key, description={"suggested_value": defaults.get(key)}, **extra
    )


def clean_name(raw: str) -> str | None:
    """Return the trimmed name, or None when it is empty or too long."""
    name = " ".join(raw.split())
    if len(name) > NAME_MAX_LENGTH or not any(char.isalnum() for char in name):
        return None
    return name


def notify_selector(hass: HomeAssistant) -> SelectSelector:
    """Return a picker of the ``notify`` actions that exist now (sorted).

    A value typed by hand is still possible (an app that registers later); the
    flows check it with ``notify_service_exists``.
    """
    return SelectSelector(
        SelectSelectorConfig(
            options=sorted(
                f"notify.{service}"
                for service in hass.services.async_services_for_domain("notify")
            ),
            mode=SelectSelectorMode.DROPDOWN,
            custom_value=True,
        )
    )


def notify_service_exists(hass: HomeAssistant, value: str) -> bool:
    """Return True when ``value`` names an existing ``notify.<service>``."""
    domain, _, service = value.partition(".")
    return (
        domain == "notify"
        and bool(service)
        and hass.services.has_service(domain, service)
    )
