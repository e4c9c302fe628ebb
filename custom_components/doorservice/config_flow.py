"""Config flow for Door Service: a site, its cabinets, rooms and workers, its policy."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
import re
from typing import Any, override

import probatio as vol

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.generated.currencies import ACTIVE_CURRENCIES
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.selector import (
    DeviceSelector,
    DeviceSelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    ObjectSelector,
    ObjectSelectorConfig,
    ObjectSelectorField,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.util import slugify

from .config import configured_service_types
from .const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_ADDRESS,
    CONF_APPLIANCE_ENTITIES,
    CONF_APPLIANCES,
    CONF_BOARD_DEVICE,
    CONF_CODE_VALIDITY,
    CONF_COMPARTMENTS,
    CONF_CONFIRM_TIMEOUT,
    CONF_CURRENCY,
    CONF_DISPATCH_STRATEGY,
    CONF_DOORS,
    CONF_DRIVER,
    CONF_LOCKS,
    CONF_MANAGER_NOTIFY,
    CONF_NOTIFY_SERVICE,
    CONF_OBJECT_IDS,
    CONF_OFFLINE_REPAIR_AFTER,
    CONF_PERSON,
    CONF_PULSE,
    CONF_RETENTION_DAYS,
    CONF_ROLES,
    CONF_SERVICE_TYPES,
    CONF_SITE_TYPE,
    CONF_TOPIC_PREFIX,
    DEFAULT_ACCEPTANCE_TIMEOUT,
    DEFAULT_CODE_VALIDITY,
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_DISPATCH_STRATEGY,
    DEFAULT_OFFLINE_REPAIR_AFTER,
    DEFAULT_PULSE,
    DEFAULT_RETENTION_DAYS,
    DOMAIN,
    MAX_COMPARTMENTS,
    MIN_COMPARTMENTS,
    DriverType,
    SiteType,
    SubentryType,
)
from .core.appliances import ApplianceKind, CheckoutState, RoomAppliances
from .core.catalog import Role, ServiceCatalog, ServiceType
from .core.dispatch import DispatchStrategy
from .core.errors import DoorServiceError

NAME_MAX_LENGTH = 64
ROLES = tuple(role.value for role in Role)
DISPATCH_STRATEGIES = tuple(strategy.value for strategy in DispatchStrategy)
LOCK_DOMAINS = frozenset({"lock", "switch"})
ESPHOME_DOMAIN = "esphome"
MQTT_DOMAIN = "mqtt"
MIN_SECONDS = 1
MAX_SECONDS = 60
OBJECT_ID_PATTERN = re.compile(r"^[a-z0-9_]{1,64}$")
"""ESPHome object ids: the snake-case of an entity's name."""


def _select(
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


def _seconds_selector() -> NumberSelector:
    return NumberSelector(
        NumberSelectorConfig(
            min=MIN_SECONDS,
            max=MAX_SECONDS,
            step=1,
            mode=NumberSelectorMode.BOX,
            unit_of_measurement="s",
        )
    )


def _seconds(value: Any) -> int | None:
    """Return whole seconds within the allowed range, else None."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not float(value).is_integer()
        or not MIN_SECONDS <= value <= MAX_SECONDS
    ):
        return None
    return int(value)


def _valid_topic_prefix(prefix: str) -> bool:
    """Return True for a non-empty topic prefix without wildcards or outer slashes."""
    return (
        bool(prefix)
        and not any(char in prefix for char in "+#\x00")
        and not prefix.startswith("/")
        and not prefix.endswith("/")
        and "//" not in prefix
        and len(prefix.encode()) <= 200
    )


def _entities_error(
    hass: HomeAssistant, entity_ids: list[str], domains: frozenset[str] | set[str]
) -> str | None:
    """Return ``invalid_{kind}_entity`` or ``entity_not_found``, or None when fine."""
    for entity_id in entity_ids:
        if entity_id.partition(".")[0] not in domains:
            return "invalid_{kind}_entity"
        if hass.states.get(entity_id) is None:
            return "entity_not_found"
    return None


def _validate_board_device(
    hass: HomeAssistant,
    user_input: dict[str, Any],
    errors: dict[str, str],
    settings: dict[str, Any],
) -> None:
    """Copy the optional board device into ``settings``; flag one that is gone."""
    if device_id := user_input.get(CONF_BOARD_DEVICE):
        if dr.async_get(hass).async_get(device_id) is None:
            errors[CONF_BOARD_DEVICE] = "device_not_found"
        settings[CONF_BOARD_DEVICE] = device_id


def _validate_mqtt_board(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> str:
    """Return the board's topic prefix; flag a bad one and a missing MQTT setup."""
    prefix = str(user_input.get(CONF_TOPIC_PREFIX) or "").strip()
    if not _valid_topic_prefix(prefix):
        errors[CONF_TOPIC_PREFIX] = "invalid_topic_prefix"
    if not hass.config_entries.async_loaded_entries(MQTT_DOMAIN):
        errors["base"] = "mqtt_not_configured"
    return prefix


def _clean_name(raw: str) -> str | None:
    """Return the trimmed name, or None when it is empty or too long."""
    name = " ".join(raw.split())
    if len(name) > NAME_MAX_LENGTH or not any(char.isalnum() for char in name):
        return None
    return name


def _site_schema(defaults: dict[str, Any]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(
                CONF_NAME, default=defaults.get(CONF_NAME, "")
            ): TextSelector(),
            vol.Required(
                CONF_SITE_TYPE, default=defaults.get(CONF_SITE_TYPE, SiteType.HOME)
            ): _select([t.value for t in SiteType], CONF_SITE_TYPE),
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
        return {
            SubentryType.CABINET: CabinetSubentryFlow,
            SubentryType.ROOM: RoomSubentryFlow,
            SubentryType.WORKER: WorkerSubentryFlow,
        }

    def _validate_site(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any] | None:
        name = _clean_name(user_input[CONF_NAME])
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


class DoorServiceOptionsFlow(OptionsFlow):
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
            if notify and not _notify_service_exists(self.hass, notify):
                errors[CONF_MANAGER_NOTIFY] = "notify_service_not_found"
            else:
                data = {
                    key: value
                    for key, value in self.config_entry.options.items()
                    if key != CONF_MANAGER_NOTIFY
                } | {
                    CONF_DISPATCH_STRATEGY: user_input[CONF_DISPATCH_STRATEGY],
                    CONF_ACCEPTANCE_TIMEOUT: int(user_input[CONF_ACCEPTANCE_TIMEOUT]),
                    CONF_CODE_VALIDITY: int(user_input[CONF_CODE_VALIDITY]),
                    CONF_OFFLINE_REPAIR_AFTER: int(
                        user_input.get(
                            CONF_OFFLINE_REPAIR_AFTER, DEFAULT_OFFLINE_REPAIR_AFTER
                        )
                    ),
                    CONF_RETENTION_DAYS: int(
                        user_input.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS)
                    ),
                }
                if notify:
                    data[CONF_MANAGER_NOTIFY] = notify
                return self.async_create_entry(data=data)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_DISPATCH_STRATEGY,
                    default=options.get(
                        CONF_DISPATCH_STRATEGY, DEFAULT_DISPATCH_STRATEGY
                    ),
                ): _select(DISPATCH_STRATEGIES, CONF_DISPATCH_STRATEGY),
                vol.Required(
                    CONF_ACCEPTANCE_TIMEOUT,
                    default=options.get(
                        CONF_ACCEPTANCE_TIMEOUT, DEFAULT_ACCEPTANCE_TIMEOUT
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=1440,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="min",
                    )
                ),
                vol.Required(
                    CONF_CODE_VALIDITY,
                    default=options.get(CONF_CODE_VALIDITY, DEFAULT_CODE_VALIDITY),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=720,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="h",
                    )
                ),
                vol.Required(
                    CONF_OFFLINE_REPAIR_AFTER,
                    default=options.get(
                        CONF_OFFLINE_REPAIR_AFTER, DEFAULT_OFFLINE_REPAIR_AFTER
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=1,
                        max=1440,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="min",
                    )
                ),
                vol.Required(
                    CONF_RETENTION_DAYS,
                    default=options.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=0,
                        max=3650,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="d",
                    )
                ),
                vol.Optional(
                    CONF_MANAGER_NOTIFY,
                    description={
                        "suggested_value": options.get(CONF_MANAGER_NOTIFY, "")
                    },
                ): TextSelector(),
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
        defaults: dict[str, Any] = current.to_dict() | {"price": float(current.price)}
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
        minutes = NumberSelector(
            NumberSelectorConfig(
                step=1, mode=NumberSelectorMode.BOX, unit_of_measurement="min"
            )
        )
        return {
            vol.Required(
                CONF_NAME, default=defaults.get(CONF_NAME, "")
            ): TextSelector(),
            vol.Required(CONF_ROLE, default=defaults[CONF_ROLE]): _select(
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


OPTIONS_MENU = ["policy", "add_service", "edit_service", "remove_service"]
CONF_SERVICE_ID = "id"
CONF_SERVICE_TYPE = "service_type"
CONF_ROLE = "role"
CONF_PRICE = "price"
CONF_DURATION_MINUTES = "duration_minutes"
CONF_SLA_MINUTES = "sla_minutes"
CONF_CATEGORY = "category"
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
    return ServiceType.from_dict(
        {
            CONF_SERVICE_ID: service_type_id.strip(),
            CONF_NAME: name,
            CONF_ROLE: user_input.get(CONF_ROLE),
            CONF_PRICE: str(_whole(user_input.get(CONF_PRICE, 0))),
            CONF_DURATION_MINUTES: _whole(user_input.get(CONF_DURATION_MINUTES)),
            CONF_SLA_MINUTES: _whole(user_input.get(CONF_SLA_MINUTES)),
            CONF_CATEGORY: str(user_input.get(CONF_CATEGORY, "")).strip(),
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


def _notify_service_exists(hass: Any, value: str) -> bool:
    """Return True when ``value`` names an existing ``notify.<service>``."""
    domain, _, service = value.partition(".")
    return (
        domain == "notify"
        and bool(service)
        and hass.services.has_service(domain, service)
    )


class _PartFlow(ConfigSubentryFlow):
    """Shared behaviour of the subentry flows: unique names, create or update."""

    part: SubentryType

    def _name_taken(self, name: str) -> bool:
        entry = self._get_entry()
        own_id = self._reconfigure_subentry_id if self.source == "reconfigure" else None
        return any(
            sub.subentry_type == self.part
            and slugify(sub.title) == slugify(name)
            and sub.subentry_id != own_id
            for sub in entry.subentries.values()
        )

    @abstractmethod
    def _schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Return the form of this part with ``defaults`` filled in."""

    def _validate(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        return {}

    async def _async_form(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        reconfiguring = self.source == "reconfigure"
        defaults: dict[str, Any] = {}
        if reconfiguring:
            subentry = self._get_reconfigure_subentry()
            defaults = {CONF_NAME: subentry.title, **subentry.data}
        if user_input is not None:
            defaults |= user_input
            name = _clean_name(user_input[CONF_NAME])
            if name is None:
                errors[CONF_NAME] = "invalid_name"
            elif self._name_taken(name):
                errors[CONF_NAME] = "name_in_use"
            data = self._validate(user_input, errors)
            if not errors and name is not None:
                return await self._async_next(name, data)
        return self.async_show_form(
            step_id=step_id, data_schema=self._schema(defaults), errors=errors
        )

    async def _async_next(self, name: str, data: dict[str, Any]) -> SubentryFlowResult:
        """Continue after the first form; most parts are done here."""
        return self._finish(name, data)

    def _finish(self, name: str, data: dict[str, Any]) -> SubentryFlowResult:
        """Create the part, or update it when reconfiguring."""
        if self.source == "reconfigure":
            return self.async_update_and_abort(
                self._get_entry(),
                self._get_reconfigure_subentry(),
                title=name,
                data=data,
            )
        return self.async_create_entry(title=name, data=data, unique_id=None)

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a part to the site."""
        return await self._async_form("user", user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a part of the site."""
        return await self._async_form("reconfigure", user_input)


class _BoardPartFlow(_PartFlow):
    """A part with a board: the first form picks the driver, a second its settings."""

    _name: str
    _data: dict[str, Any]

    @staticmethod
    def _chosen_driver(user_input: dict[str, Any], errors: dict[str, str]) -> str:
        """Return the chosen driver; flag one that is not offered."""
        driver = str(user_input.get(CONF_DRIVER, DriverType.VIRTUAL))
        if driver not in {d.value for d in DriverType}:
            errors[CONF_DRIVER] = "invalid_driver"
        return driver

    async def _async_next(self, name: str, data: dict[str, Any]) -> SubentryFlowResult:
        """Ask for the driver's settings (entities or MQTT) before saving."""
        self._name = name
        self._data = data
        if data[CONF_DRIVER] == DriverType.ENTITIES:
            return await self.async_step_entities()
        if data[CONF_DRIVER] == DriverType.MQTT:
            return await self.async_step_mqtt()
        return self._finish(name, data)

    def _driver_defaults(self) -> dict[str, Any]:
        """Return the saved settings when reconfiguring a part on the same driver."""
        if self.source != "reconfigure":
            return {}
        saved = dict(self._get_reconfigure_subentry().data)
        return saved if saved.get(CONF_DRIVER) == self._data[CONF_DRIVER] else {}

    @abstractmethod
    async def async_step_entities(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the entities driver's settings."""

    @abstractmethod
    async def async_step_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the MQTT driver's settings."""


def _driver_selector(defaults: dict[str, Any]) -> dict[Any, Any]:
    return {
        vol.Required(
            CONF_DRIVER, default=defaults.get(CONF_DRIVER, DriverType.VIRTUAL)
        ): _select([d.value for d in DriverType], CONF_DRIVER)
    }


class CabinetSubentryFlow(_BoardPartFlow):
    """Add or change a smart cabinet (one device, one compartment entity set each)."""

    part = SubentryType.CABINET

    def _schema(self, defaults: dict[str, Any]) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(
                    CONF_NAME, default=defaults.get(CONF_NAME, "")
                ): TextSelector(),
                vol.Required(
                    CONF_COMPARTMENTS, default=defaults.get(CONF_COMPARTMENTS, 6)
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_COMPARTMENTS,
                        max=MAX_COMPARTMENTS,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                    )
                ),
                **_driver_selector(defaults),
            }
        )

    def _validate(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        count = user_input[CONF_COMPARTMENTS]
        if (
            isinstance(count, bool)
            or not float(count).is_integer()
            or not MIN_COMPARTMENTS <= int(count) <= MAX_COMPARTMENTS
        ):
            errors[CONF_COMPARTMENTS] = "invalid_compartments"
        driver = self._chosen_driver(user_input, errors)
        if errors:
            return {}
        return {CONF_COMPARTMENTS: int(count), CONF_DRIVER: driver}

    async def async_step_entities(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Map compartments to lock (or switch) and door entities of a board."""
        errors: dict[str, str] = {}
        defaults = self._driver_defaults()
        if user_input is not None:
            defaults = user_input
            settings = self._validate_entities(user_input, errors)
            if not errors:
                return self._finish(self._name, {**self._data, **settings})
        count = self._data[CONF_COMPARTMENTS]
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_LOCKS, default=list(defaults.get(CONF_LOCKS) or [])
                ): EntitySelector(
                    EntitySelectorConfig(domain=list(LOCK_DOMAINS), multiple=True)
                ),
                vol.Optional(
                    CONF_DOORS, default=list(defaults.get(CONF_DOORS) or [])
                ): EntitySelector(
                    EntitySelectorConfig(
                        domain="binary_sensor", device_class="door", multiple=True
                    )
                ),
                vol.Optional(
                    CONF_BOARD_DEVICE,
                    description={"suggested_value": defaults.get(CONF_BOARD_DEVICE)},
                ): DeviceSelector(DeviceSelectorConfig(integration=ESPHOME_DOMAIN)),
                vol.Required(
                    CONF_PULSE, default=defaults.get(CONF_PULSE, DEFAULT_PULSE)
                ): _seconds_selector(),
                vol.Required(
                    CONF_CONFIRM_TIMEOUT,
                    default=defaults.get(CONF_CONFIRM_TIMEOUT, DEFAULT_CONFIRM_TIMEOUT),
                ): _seconds_selector(),
            }
        )
        return self.async_show_form(
            step_id="entities",
            data_schema=schema,
            errors=errors,
            description_placeholders={"compartments": str(count)},
        )

    def _validate_entities(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        count = self._data[CONF_COMPARTMENTS]
        locks = list(user_input.get(CONF_LOCKS) or [])
        doors = list(user_input.get(CONF_DOORS) or [])
        if len(locks) != count:
            errors[CONF_LOCKS] = "lock_count_mismatch"
        elif error := _entities_error(self.hass, locks, LOCK_DOMAINS):
            errors[CONF_LOCKS] = error.replace("{kind}", "lock")
        if doors and len(doors) != count:
            errors[CONF_DOORS] = "door_count_mismatch"
        elif error := _entities_error(self.hass, doors, {"binary_sensor"}):
            errors[CONF_DOORS] = error.replace("{kind}", "door")
        if not errors and len(set(locks) | set(doors)) != len(locks) + len(doors):
            errors["base"] = "duplicate_entity"
        settings: dict[str, Any] = {CONF_LOCKS: locks, CONF_DOORS: doors}
        _validate_board_device(self.hass, user_input, errors, settings)
        for key in (CONF_PULSE, CONF_CONFIRM_TIMEOUT):
            if (seconds := _seconds(user_input.get(key))) is None:
                errors[key] = "invalid_seconds"
            settings[key] = seconds
        return settings

    async def async_step_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Name the board's MQTT topic prefix."""
        errors: dict[str, str] = {}
        defaults = self._driver_defaults()
        if user_input is not None:
            defaults = user_input
            prefix = _validate_mqtt_board(self.hass, user_input, errors)
            timeout = _seconds(user_input.get(CONF_CONFIRM_TIMEOUT))
            if timeout is None:
                errors[CONF_CONFIRM_TIMEOUT] = "invalid_seconds"
            if not errors:
                return self._finish(
                    self._name,
                    {
                        **self._data,
                        CONF_TOPIC_PREFIX: prefix,
                        CONF_CONFIRM_TIMEOUT: timeout,
                    },
                )
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_TOPIC_PREFIX,
                    default=defaults.get(CONF_TOPIC_PREFIX, "doorservice/cabinet"),
                ): TextSelector(),
                vol.Required(
                    CONF_CONFIRM_TIMEOUT,
                    default=defaults.get(CONF_CONFIRM_TIMEOUT, DEFAULT_CONFIRM_TIMEOUT),
                ): _seconds_selector(),
            }
        )
        return self.async_show_form(step_id="mqtt", data_schema=schema, errors=errors)


class RoomSubentryFlow(_BoardPartFlow):
    """Add or change a hotel room (or any served space), its appliances and board."""

    part = SubentryType.ROOM

    def _schema(self, defaults: dict[str, Any]) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(
                    CONF_NAME, default=defaults.get(CONF_NAME, "")
                ): TextSelector(),
                vol.Optional(
                    CONF_ADDRESS,
                    description={"suggested_value": defaults.get(CONF_ADDRESS)},
                ): TextSelector(),
                vol.Optional(
                    CONF_APPLIANCES,
                    description={"suggested_value": defaults.get(CONF_APPLIANCES)},
                ): APPLIANCES_SELECTOR,
                **_driver_selector(defaults),
            }
        )

    def _validate(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        data: dict[str, Any] = {}
        address = " ".join((user_input.get(CONF_ADDRESS) or "").split())
        if len(address) > 200:
            errors[CONF_ADDRESS] = "invalid_address"
        elif address:
            data[CONF_ADDRESS] = address
        appliances = _appliances(user_input.get(CONF_APPLIANCES) or [])
        if appliances is None:
            errors[CONF_APPLIANCES] = "invalid_appliances"
        elif appliances:
            data[CONF_APPLIANCES] = appliances
        data[CONF_DRIVER] = self._chosen_driver(user_input, errors)
        return {} if errors else data

    def _fields(
        self, selector_of: Callable[[str], dict[str, Any]], *, required: bool
    ) -> dict[str, ObjectSelectorField]:
        """Return one object-selector field per appliance, labelled with its name."""
        return {
            item["id"]: ObjectSelectorField(
                label=item["name"],
                selector=selector_of(item["kind"]),
                required=required,
            )
            for item in self._data.get(CONF_APPLIANCES, ())
        }

    async def async_step_entities(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Map each appliance to an entity of its kind, and name the board device."""
        errors: dict[str, str] = {}
        defaults = self._driver_defaults()
        if user_input is not None:
            defaults = user_input
            settings = self._validate_entities(user_input, errors)
            if not errors:
                return self._finish(self._name, {**self._data, **settings})
        fields = self._fields(lambda kind: {"entity": {"domain": kind}}, required=True)
        schema: dict[Any, Any] = {}
        if fields:
            schema[
                vol.Required(
                    CONF_APPLIANCE_ENTITIES,
                    description={
                        "suggested_value": defaults.get(CONF_APPLIANCE_ENTITIES)
                    },
                )
            ] = ObjectSelector(ObjectSelectorConfig(fields=fields))
        schema[
            vol.Optional(
                CONF_BOARD_DEVICE,
                description={"suggested_value": defaults.get(CONF_BOARD_DEVICE)},
            )
        ] = DeviceSelector(DeviceSelectorConfig(integration=ESPHOME_DOMAIN))
        return self.async_show_form(
            step_id="entities", data_schema=vol.Schema(schema), errors=errors
        )

    def _validate_entities(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        raw = user_input.get(CONF_APPLIANCE_ENTITIES) or {}
        mapping: dict[str, str] = {}
        for item in self._data.get(CONF_APPLIANCES, ()):
            entity_id = raw.get(item["id"]) if isinstance(raw, dict) else None
            if not isinstance(entity_id, str) or not entity_id:
                errors[CONF_APPLIANCE_ENTITIES] = "appliance_entity_missing"
            elif error := _entities_error(self.hass, [entity_id], {item["kind"]}):
                errors[CONF_APPLIANCE_ENTITIES] = error.replace("{kind}", "appliance")
            else:
                mapping[item["id"]] = entity_id
            if CONF_APPLIANCE_ENTITIES in errors:
                break
        if not errors and len(set(mapping.values())) != len(mapping):
            errors[CONF_APPLIANCE_ENTITIES] = "duplicate_appliance_entity"
        settings: dict[str, Any] = {CONF_APPLIANCE_ENTITIES: mapping}
        _validate_board_device(self.hass, user_input, errors, settings)
        return settings

    async def async_step_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Name the board's MQTT topic prefix and, where they differ, object ids."""
        errors: dict[str, str] = {}
        defaults = self._driver_defaults()
        if user_input is not None:
            defaults = user_input
            prefix = _validate_mqtt_board(self.hass, user_input, errors)
            object_ids = self._validate_object_ids(user_input, errors)
            if not errors:
                return self._finish(
                    self._name,
                    {
                        **self._data,
                        CONF_TOPIC_PREFIX: prefix,
                        CONF_OBJECT_IDS: object_ids,
                    },
                )
        schema: dict[Any, Any] = {
            vol.Required(
                CONF_TOPIC_PREFIX,
                default=defaults.get(CONF_TOPIC_PREFIX, "doorservice/room"),
            ): TextSelector()
        }
        if fields := self._fields(lambda kind: {"text": {}}, required=False):
            schema[
                vol.Optional(
                    CONF_OBJECT_IDS,
                    description={
                        "suggested_value": dict(defaults.get(CONF_OBJECT_IDS) or {})
                    },
                )
            ] = ObjectSelector(ObjectSelectorConfig(fields=fields))
        return self.async_show_form(
            step_id="mqtt", data_schema=vol.Schema(schema), errors=errors
        )

    def _validate_object_ids(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, str]:
        """Return every appliance's object id (its own id unless another is given)."""
        raw = user_input.get(CONF_OBJECT_IDS) or {}
        if not isinstance(raw, dict):
            errors[CONF_OBJECT_IDS] = "invalid_object_id"
            return {}
        object_ids: dict[str, str] = {}
        topics: set[tuple[str, str]] = set()
        for item in self._data.get(CONF_APPLIANCES, ()):
            value = raw.get(item["id"])
            object_id = value.strip() if isinstance(value, str) else value
            object_id = object_id or item["id"]
            if not isinstance(object_id, str) or not OBJECT_ID_PATTERN.match(object_id):
                errors[CONF_OBJECT_IDS] = "invalid_object_id"
                continue
            if (item["kind"], object_id) in topics:
                errors[CONF_OBJECT_IDS] = "duplicate_object_id"
            topics.add((item["kind"], object_id))
            object_ids[item["id"]] = object_id
        return object_ids


APPLIANCE_FIELDS = ("id", "name", "kind", "checkout_state")
APPLIANCES_SELECTOR = ObjectSelector(
    ObjectSelectorConfig(
        multiple=True,
        label_field="name",
        translation_key=CONF_APPLIANCES,
        fields={
            "id": {"selector": {"text": {}}, "required": True},
            "name": {"selector": {"text": {}}, "required": True},
            "kind": {
                "selector": {
                    "select": {
                        "options": [kind.value for kind in ApplianceKind],
                        "translation_key": "appliance_kind",
                    }
                },
                "required": True,
            },
            "checkout_state": {
                "selector": {
                    "select": {
                        "options": [state.value for state in CheckoutState],
                        "translation_key": "checkout_state",
                    }
                },
            },
        },
    )
)


def _appliances(raw: Any) -> list[dict[str, Any]] | None:
    """Return the appliances normalized, or None when one is invalid."""
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        return None
    items = [
        {
            key: (str(item[key]).strip() if isinstance(item[key], str) else item[key])
            for key in APPLIANCE_FIELDS
            if item.get(key) not in (None, "")
        }
        for item in raw
    ]
    try:
        parsed = RoomAppliances.from_config("room", items)
    except DoorServiceError:
        return None
    return [
        {
            "id": a.id,
            "name": a.name,
            "kind": a.kind.value,
            "checkout_state": a.checkout_state.value,
        }
        for a in parsed.appliances
    ]


class WorkerSubentryFlow(_PartFlow):
    """Add or change a worker (cleaner, housekeeper, technician, concierge)."""

    part = SubentryType.WORKER

    def _schema(self, defaults: dict[str, Any]) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(
                    CONF_NAME, default=defaults.get(CONF_NAME, "")
                ): TextSelector(),
                vol.Required(CONF_ROLES, default=defaults.get(CONF_ROLES, [])): _select(
                    ROLES, CONF_ROLES, multiple=True
                ),
                vol.Optional(
                    CONF_NOTIFY_SERVICE,
                    description={"suggested_value": defaults.get(CONF_NOTIFY_SERVICE)},
                ): TextSelector(),
                vol.Optional(
                    CONF_PERSON,
                    description={"suggested_value": defaults.get(CONF_PERSON)},
                ): EntitySelector(EntitySelectorConfig(domain="person")),
            }
        )

    def _validate(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        roles = list(dict.fromkeys(user_input.get(CONF_ROLES) or []))
        if not roles or any(role not in ROLES for role in roles):
            errors[CONF_ROLES] = "invalid_roles"
        data: dict[str, Any] = {CONF_ROLES: roles}
        notify = (user_input.get(CONF_NOTIFY_SERVICE) or "").strip()
        if notify:
            if not _notify_service_exists(self.hass, notify):
                errors[CONF_NOTIFY_SERVICE] = "notify_service_not_found"
            data[CONF_NOTIFY_SERVICE] = notify
        if person := user_input.get(CONF_PERSON):
            if self.hass.states.get(person) is None or not person.startswith("person."):
                errors[CONF_PERSON] = "person_not_found"
            data[CONF_PERSON] = person
        return data
