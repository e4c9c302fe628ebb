"""Config flow for Door Service: a site, its reconfiguration and its options.

The parts of a site (cabinets, rooms, workers) have their own flows in
``subentry_flows.py``.
"""

from __future__ import annotations

from typing import Any, override

import probatio as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import callback
from homeassistant.generated.currencies import ACTIVE_CURRENCIES
from homeassistant.helpers.selector import (
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.util import slugify

from .calendar_flow import CALENDAR_MENU, CalendarOptionsSteps
from .config import configured_service_types
from .const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_CODE_VALIDITY,
    CONF_CURRENCY,
    CONF_DISPATCH_STRATEGY,
    CONF_MANAGER_NOTIFY,
    CONF_OFFLINE_REPAIR_AFTER,
    CONF_RETENTION_DAYS,
    CONF_ROLES,
    CONF_SERVICE_TYPES,
    CONF_SITE_TYPE,
    CONF_TTS_ENTITY,
    DEFAULT_ACCEPTANCE_TIMEOUT,
    DEFAULT_CODE_VALIDITY,
    DEFAULT_DISPATCH_STRATEGY,
    DEFAULT_OFFLINE_REPAIR_AFTER,
    DEFAULT_RETENTION_DAYS,
    DOMAIN,
    SiteType,
)
from .core.catalog import Role, ServiceCatalog, ServiceType
from .core.dispatch import DispatchStrategy
from .core.errors import DoorServiceError
from .core.service_names import CHINESE, translated_name
from .flow_fields import (
    NAME_MAX_LENGTH,
    ROLES,
    clean_name,
    dropdown,
    name_field,
    notify_service_exists,
    whole_number_box,
)
from .subentry_flows import SUBENTRY_FLOWS

DISPATCH_STRATEGIES = tuple(strategy.value for strategy in DispatchStrategy)
POLICY_NUMBERS: tuple[tuple[str, int, int, int, str], ...] = (
    (CONF_ACCEPTANCE_TIMEOUT, DEFAULT_ACCEPTANCE_TIMEOUT, 1, 1440, "min"),
    (CONF_CODE_VALIDITY, DEFAULT_CODE_VALIDITY, 1, 720, "h"),
    (CONF_OFFLINE_REPAIR_AFTER, DEFAULT_OFFLINE_REPAIR_AFTER, 1, 1440, "min"),
    (CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 0, 3650, "d"),
)
"""The site policy's whole numbers: option, default, minimum, maximum, unit."""


def _site_schema(defaults: dict[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            **name_field(defaults),
            vol.Required(
                CONF_SITE_TYPE, default=defaults.get(CONF_SITE_TYPE, SiteType.HOME)
            ): dropdown([t.value for t in SiteType], CONF_SITE_TYPE),
            vol.Required(
                CONF_CURRENCY, default=defaults[CONF_CURRENCY]
            ): SelectSelector(
                SelectSelectorConfig(
                    options=sorted(ACTIVE_CURRENCIES),
                    mode=SelectSelectorMode.DROPDOWN,
                    sort=True,
                )
            ),
        }
    )


class DoorServiceConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create and reconfigure a Door Service site."""

    VERSION = 1
    MINOR_VERSION = 1

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: ConfigEntry) -> DoorServiceOptionsFlow:
        """Return the site policy flow."""
        return DoorServiceOptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the parts a site is made of."""
        return SUBENTRY_FLOWS

    def _validate_site(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any] | None:
        name = clean_name(user_input[CONF_NAME])
        if name is None:
            errors[CONF_NAME] = "invalid_name"
            return None
        if user_input[CONF_SITE_TYPE] not in {t.value for t in SiteType}:
            errors[CONF_SITE_TYPE] = "invalid_site_type"
            return None
        if user_input[CONF_CURRENCY] not in ACTIVE_CURRENCIES:
            errors[CONF_CURRENCY] = "invalid_currency"
            return None
        return {
            CONF_NAME: name,
            CONF_SITE_TYPE: user_input[CONF_SITE_TYPE],
            CONF_CURRENCY: user_input[CONF_CURRENCY],
        }

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Create a site."""
        errors: dict[str, str] = {}
        defaults: dict[str, Any] = {CONF_CURRENCY: self.hass.config.currency}
        if user_input is not None:
            defaults |= user_input
            if (data := self._validate_site(user_input, errors)) is not None:
                await self.async_set_unique_id(slugify(data[CONF_NAME]))
                self._abort_if_unique_id_configured()
                return self.async_create_entry(title=data[CONF_NAME], data=data)
        return self.async_show_form(
            step_id="user", data_schema=_site_schema(defaults), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change a site's name, type or currency."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        defaults: dict[str, Any] = dict(entry.data)
        if user_input is not None:
            defaults |= user_input
            if (data := self._validate_site(user_input, errors)) is not None:
                await self.async_set_unique_id(slugify(data[CONF_NAME]))
                if self.unique_id != entry.unique_id:
                    self._abort_if_unique_id_configured()
                return self.async_update_reload_and_abort(
                    entry, unique_id=self.unique_id, title=data[CONF_NAME], data=data
                )
        return self.async_show_form(
            step_id="reconfigure", data_schema=_site_schema(defaults), errors=errors
        )


class DoorServiceOptionsFlow(CalendarOptionsSteps, OptionsFlow):
    """Edit a site's policy (dispatch, timeouts, code validity) and its catalog.

    Each path saves the options (which reloads the site): the policy keys, or the
    whole service catalog under ``service_types``; the other options are kept.
    """

    _catalog: ServiceCatalog | None = None
    _service_type_id: str = ""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the site policy and the service catalog."""
        return self.async_show_menu(step_id="init", menu_options=OPTIONS_MENU)

    async def async_step_policy(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and save the site policy."""
        errors: dict[str, str] = {}
        if user_input is not None:
            notify = (user_input.get(CONF_MANAGER_NOTIFY) or "").strip()
            if notify and not notify_service_exists(self.hass, notify):
                errors[CONF_MANAGER_NOTIFY] = "notify_service_not_found"
            else:
                data = (
                    {
                        key: value
                        for key, value in self.config_entry.options.items()
                        if key not in (CONF_MANAGER_NOTIFY, CONF_TTS_ENTITY)
                    }
                    | {
                        CONF_DISPATCH_STRATEGY: user_input[CONF_DISPATCH_STRATEGY],
                    }
                    | {
                        key: int(user_input.get(key, default))
                        for key, default, *_range in POLICY_NUMBERS
                    }
                )
                if notify:
                    data[CONF_MANAGER_NOTIFY] = notify
                if tts_entity := user_input.get(CONF_TTS_ENTITY):
                    data[CONF_TTS_ENTITY] = tts_entity
                return self.async_create_entry(data=data)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_DISPATCH_STRATEGY,
                    default=options.get(
                        CONF_DISPATCH_STRATEGY, DEFAULT_DISPATCH_STRATEGY
                    ),
                ): dropdown(DISPATCH_STRATEGIES, CONF_DISPATCH_STRATEGY),
                **{
                    vol.Required(key, default=options.get(key, default)): (
                        whole_number_box(minimum, maximum, unit)
                    )
                    for key, default, minimum, maximum, unit in POLICY_NUMBERS
                },
                vol.Optional(
                    CONF_MANAGER_NOTIFY,
                    description={
                        "suggested_value": options.get(CONF_MANAGER_NOTIFY, "")
                    },
                ): TextSelector(),
                vol.Optional(
                    CONF_TTS_ENTITY,
                    description={"suggested_value": options.get(CONF_TTS_ENTITY)},
                ): EntitySelector(EntitySelectorConfig(domain="tts")),
            }
        )
        return self.async_show_form(step_id="policy", data_schema=schema, errors=errors)

    # --- service catalog -----------------------------------------------------------

    @property
    def catalog(self) -> ServiceCatalog:
        """Return the catalog being edited (a copy of the site's)."""
        if self._catalog is None:
            self._catalog = _current_catalog(self.config_entry)
        return self._catalog

    def _save_catalog(self) -> ConfigFlowResult:
        return self.async_create_entry(
            data={
                **self.config_entry.options,
                CONF_SERVICE_TYPES: self.catalog.to_dict()["service_types"],
            }
        )

    def _placeholders(self, **extra: str) -> dict[str, str]:
        return {"currency": str(self.config_entry.data[CONF_CURRENCY]), **extra}

    async def async_step_add_service(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a service type to the site's catalog."""
        errors: dict[str, str] = {}
        defaults: dict[str, Any] = dict(NEW_SERVICE_DEFAULTS)
        if user_input is not None:
            defaults |= user_input
            try:
                self.catalog.add(
                    _service_type(str(user_input.get(CONF_SERVICE_ID, "")), user_input)
                )
            except DoorServiceError as err:
                _flag(err, errors)
            else:
                return self._save_catalog()
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SERVICE_ID, default=defaults.get(CONF_SERVICE_ID, "")
                ): TextSelector(),
                **self._service_fields(defaults),
            }
        )
        return self.async_show_form(
            step_id="add_service",
            data_schema=schema,
            errors=errors,
            description_placeholders=self._placeholders(),
        )

    async def async_step_edit_service(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose the service type to edit."""
        if user_input is not None:
            self._service_type_id = user_input[CONF_SERVICE_TYPE]
            return await self.async_step_edit_service_details()
        return self.async_show_form(
            step_id="edit_service",
            data_schema=vol.Schema(
                {vol.Required(CONF_SERVICE_TYPE): self._service_type_selector()}
            ),
        )

    async def async_step_edit_service_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Edit a service type's name, role, price, minutes and category."""
        errors: dict[str, str] = {}
        current = self.catalog.get(self._service_type_id)
        defaults: dict[str, Any] = current.to_dict() | {
            "price": float(current.price),
            CONF_NAME_ZH_HANS: translated_name(current, CHINESE) or "",
        }
        if user_input is not None:
            defaults |= user_input
            try:
                edited = _service_type(current.id, user_input)
                self.catalog.update(
                    current.id,
                    **{
                        key: value
                        for key, value in edited.to_dict().items()
                        if key != CONF_SERVICE_ID
                    },
                )
            except DoorServiceError as err:
                _flag(err, errors)
            else:
                return self._save_catalog()
        return self.async_show_form(
            step_id="edit_service_details",
            data_schema=vol.Schema(self._service_fields(defaults)),
            errors=errors,
            description_placeholders=self._placeholders(
                service_type=current.id, name=current.name
            ),
        )

    async def async_step_remove_service(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove service types; open orders of a removed type keep their role."""
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = set(user_input[CONF_SERVICE_TYPE])
            if not chosen:
                errors[CONF_SERVICE_TYPE] = "no_service_type_chosen"
            elif not set(self.catalog.ids) - chosen:
                errors[CONF_SERVICE_TYPE] = "last_service_type"
            else:
                for service_type_id in chosen:
                    self.catalog.remove(service_type_id)
                return self._save_catalog()
        return self.async_show_form(
            step_id="remove_service",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_SERVICE_TYPE, default=[]): (
                        self._service_type_selector(multiple=True)
                    )
                }
            ),
            errors=errors,
        )

    def _service_type_selector(self, *, multiple: bool = False) -> SelectSelector:
        return SelectSelector(
            SelectSelectorConfig(
                options=[
                    SelectOptionDict(value=kind.id, label=f"{kind.name} ({kind.id})")
                    for kind in self.catalog
                ],
                mode=SelectSelectorMode.DROPDOWN,
                multiple=multiple,
            )
        )

    def _service_fields(self, defaults: dict[str, Any]) -> dict[Any, Any]:
        """Return the editable fields of a service type, ``defaults`` filled in."""
        minutes = whole_number_box(unit="min")
        return {
            **name_field(defaults),
            vol.Optional(
                CONF_NAME_ZH_HANS,
                description={"suggested_value": defaults.get(CONF_NAME_ZH_HANS, "")},
            ): TextSelector(),
            vol.Required(CONF_ROLE, default=defaults[CONF_ROLE]): dropdown(
                ROLES, CONF_ROLES
            ),
            vol.Required(CONF_PRICE, default=defaults[CONF_PRICE]): NumberSelector(
                NumberSelectorConfig(
                    step=0.01,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement=str(self.config_entry.data[CONF_CURRENCY]),
                )
            ),
            vol.Required(
                CONF_DURATION_MINUTES, default=defaults[CONF_DURATION_MINUTES]
            ): minutes,
            vol.Required(CONF_SLA_MINUTES, default=defaults[CONF_SLA_MINUTES]): minutes,
            vol.Required(
                CONF_CATEGORY, default=defaults[CONF_CATEGORY]
            ): SelectSelector(
                SelectSelectorConfig(
                    options=self.catalog.categories(),
                    mode=SelectSelectorMode.DROPDOWN,
                    custom_value=True,
                )
            ),
        }


OPTIONS_MENU = [
    "policy",
    "add_service",
    "edit_service",
    "remove_service",
    *CALENDAR_MENU,
]
CONF_SERVICE_ID = "id"
CONF_SERVICE_TYPE = "service_type"
CONF_ROLE = "role"
CONF_PRICE = "price"
CONF_DURATION_MINUTES = "duration_minutes"
CONF_SLA_MINUTES = "sla_minutes"
CONF_CATEGORY = "category"
CONF_NAME_ZH_HANS = "name_zh_hans"
"""The Chinese name of a service type (``names["zh-Hans"]``) in the catalog forms."""
NEW_SERVICE_DEFAULTS: dict[str, Any] = {
    CONF_ROLE: Role.HOUSEKEEPING.value,
    CONF_PRICE: 0,
    CONF_DURATION_MINUTES: 30,
    CONF_SLA_MINUTES: 60,
    CONF_CATEGORY: "general",
}
SERVICE_ERROR_FIELDS = {
    "invalid_service_type_id": CONF_SERVICE_ID,
    "duplicate_service_type": CONF_SERVICE_ID,
    "invalid_service_name": CONF_NAME,
    "invalid_service_translation": CONF_NAME_ZH_HANS,
    "invalid_role": CONF_ROLE,
    "invalid_price": CONF_PRICE,
    "invalid_category": CONF_CATEGORY,
}
"""The form field each catalog error of the domain belongs to."""


def _current_catalog(entry: ConfigEntry) -> ServiceCatalog:
    """Return a copy of the site's catalog: the options', else the running site's."""
    if (service_types := configured_service_types(entry)) is not None:
        return ServiceCatalog(service_types)
    runtime = getattr(entry, "runtime_data", None)
    if runtime is not None:
        return ServiceCatalog(runtime.site.catalog)
    return ServiceCatalog.default()


def _whole(value: Any) -> Any:
    """Return a whole number as an int (the number selector gives floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _service_type(service_type_id: str, user_input: dict[str, Any]) -> ServiceType:
    """Build a service type from the form; raise the domain's ``DoorServiceError``."""
    name = " ".join(str(user_input.get(CONF_NAME, "")).split())
    if len(name) > NAME_MAX_LENGTH:
        raise DoorServiceError("invalid_service_name", service_type=service_type_id)
    chinese = " ".join(str(user_input.get(CONF_NAME_ZH_HANS) or "").split())
    if len(chinese) > NAME_MAX_LENGTH:
        raise DoorServiceError(
            "invalid_service_translation", service_type=service_type_id
        )
    # A Chinese name equal to the default one of the type is not stored (it follows
    # the defaults); any other one is the manager's own.
    default = ServiceType(service_type_id.strip(), name, Role.HOUSEKEEPING)
    names = (
        {CHINESE: chinese}
        if chinese and chinese != translated_name(default, CHINESE)
        else {}
    )
    return ServiceType.from_dict(
        {
            CONF_SERVICE_ID: service_type_id.strip(),
            CONF_NAME: name,
            CONF_ROLE: user_input.get(CONF_ROLE),
            CONF_PRICE: str(_whole(user_input.get(CONF_PRICE, 0))),
            CONF_DURATION_MINUTES: _whole(user_input.get(CONF_DURATION_MINUTES)),
            CONF_SLA_MINUTES: _whole(user_input.get(CONF_SLA_MINUTES)),
            CONF_CATEGORY: str(user_input.get(CONF_CATEGORY, "")).strip(),
            "names": names,
        }
    )


def _flag(err: DoorServiceError, errors: dict[str, str]) -> None:
    """Put a catalog error of the domain on the form field it belongs to."""
    key = err.translation_key
    if key == "invalid_minutes":
        errors[err.placeholders["field"]] = key
    else:
        field = SERVICE_ERROR_FIELDS.get(key)
        errors[field or "base"] = key if field else "invalid_service_type"
