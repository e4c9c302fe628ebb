"""Subentry flows of a site: its cabinets, rooms and workers.

Each part has a form (name first); a part with a board then asks for its driver's
settings (entities or MQTT). Reconfiguring a part shows its saved settings.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
import re
from typing import Any

import probatio as vol

from homeassistant.config_entries import (
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.helpers.selector import (
    AreaSelector,
    DeviceSelector,
    DeviceSelectorConfig,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
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

from .const import (
    CONF_ADDRESS,
    CONF_APPLIANCE_ENTITIES,
    CONF_APPLIANCES,
    CONF_AREA,
    CONF_BOARD_DEVICE,
    CONF_COMPARTMENTS,
    CONF_CONFIRM_TIMEOUT,
    CONF_DOORS,
    CONF_DRIVER,
    CONF_LOCKS,
    CONF_NOTIFY_SERVICE,
    CONF_OBJECT_IDS,
    CONF_PERSON,
    CONF_PULSE,
    CONF_ROLES,
    CONF_TOPIC_PREFIX,
    CONF_USER_ID,
    CONF_USERS,
    DEFAULT_CONFIRM_TIMEOUT,
    DEFAULT_PULSE,
    MAX_COMPARTMENTS,
    MIN_COMPARTMENTS,
    DriverType,
    SubentryType,
)
from .core.appliances import ApplianceKind, CheckoutState, RoomAppliances
from .core.errors import DoorServiceError
from .flow_fields import (
    ROLES,
    clean_name,
    dropdown,
    name_field,
    notify_service_exists,
    suggested,
    whole_number_box,
)

LOCK_DOMAINS = frozenset({"lock", "switch"})
ESPHOME_DOMAIN = "esphome"
MQTT_DOMAIN = "mqtt"
MIN_SECONDS = 1
MAX_SECONDS = 60
OBJECT_ID_PATTERN = re.compile(r"^[a-z0-9_]{1,64}$")
"""ESPHome object ids: the snake-case of an entity's name."""


def _seconds_selector() -> NumberSelector:
    return whole_number_box(MIN_SECONDS, MAX_SECONDS, "s")


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


class _PartFlow(ConfigSubentryFlow):
    """Shared behaviour of the subentry flows: unique names, create or update."""

    part: SubentryType
    _users: list[SelectOptionDict] = []
    """The Home Assistant users a part can be given to (people, not system users)."""

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
        self._users = await _user_options(self.hass)
        reconfiguring = self.source == "reconfigure"
        defaults: dict[str, Any] = {}
        if reconfiguring:
            subentry = self._get_reconfigure_subentry()
            defaults = {CONF_NAME: subentry.title, **subentry.data}
        if user_input is not None:
            defaults |= user_input
            name = clean_name(user_input[CONF_NAME])
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

    async def async_step_entities(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the entities driver's settings."""
        return self._driver_step(
            "entities", user_input, self._entities_schema, self._validate_entities
        )

    async def async_step_mqtt(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Ask for the MQTT driver's settings."""
        return self._driver_step(
            "mqtt", user_input, self._mqtt_schema, self._validate_mqtt
        )

    def _driver_step(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        schema_of: Callable[[dict[str, Any]], vol.Schema],
        validate: Callable[[dict[str, Any], dict[str, str]], dict[str, Any]],
    ) -> SubentryFlowResult:
        """Show a driver's settings (saved ones first), or save the part with them."""
        errors: dict[str, str] = {}
        defaults = self._driver_defaults()
        if user_input is not None:
            defaults = user_input
            settings = validate(user_input, errors)
            if not errors:
                return self._finish(self._name, {**self._data, **settings})
        return self.async_show_form(
            step_id=step_id,
            data_schema=schema_of(defaults),
            errors=errors,
            description_placeholders=self._placeholders(step_id),
        )

    def _placeholders(self, step_id: str) -> dict[str, str] | None:
        """Return what the description of a driver's form names, if anything."""
        return None

    @abstractmethod
    def _entities_schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Return the entities driver's form with ``defaults`` filled in."""

    @abstractmethod
    def _validate_entities(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        """Return the entities driver's settings; flag what is wrong in ``errors``."""

    @abstractmethod
    def _mqtt_schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Return the MQTT driver's form with ``defaults`` filled in."""

    @abstractmethod
    def _validate_mqtt(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        """Return the MQTT driver's settings; flag what is wrong in ``errors``."""


def _driver_selector(defaults: dict[str, Any]) -> dict[Any, Any]:
    return {
        vol.Required(
            CONF_DRIVER, default=defaults.get(CONF_DRIVER, DriverType.VIRTUAL)
        ): dropdown([d.value for d in DriverType], CONF_DRIVER)
    }


def _board_device_field(defaults: dict[str, Any]) -> dict[Any, Any]:
    """The optional ESPHome device of the board (for its repairs and events)."""
    return {
        suggested(CONF_BOARD_DEVICE, defaults): DeviceSelector(
            DeviceSelectorConfig(integration=ESPHOME_DOMAIN)
        )
    }


def _topic_prefix_field(defaults: dict[str, Any], default: str) -> dict[Any, Any]:
    """The MQTT board's topic prefix (``default`` for a new part)."""
    return {
        vol.Required(
            CONF_TOPIC_PREFIX, default=defaults.get(CONF_TOPIC_PREFIX, default)
        ): TextSelector()
    }


def _seconds_field(key: str, defaults: dict[str, Any], default: int) -> dict[Any, Any]:
    """A number of seconds of a board's timing."""
    return {vol.Required(key, default=defaults.get(key, default)): _seconds_selector()}


class CabinetSubentryFlow(_BoardPartFlow):
    """Add or change a smart cabinet (one device, one compartment entity set each)."""

    part = SubentryType.CABINET

    def _schema(self, defaults: dict[str, Any]) -> vol.Schema:
        return vol.Schema(
            {
                **name_field(defaults),
                vol.Required(
                    CONF_COMPARTMENTS, default=defaults.get(CONF_COMPARTMENTS, 6)
                ): whole_number_box(MIN_COMPARTMENTS, MAX_COMPARTMENTS),
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

    def _placeholders(self, step_id: str) -> dict[str, str] | None:
        """The entities form names how many compartments want an entity."""
        if step_id != "entities":
            return None
        return {"compartments": str(self._data[CONF_COMPARTMENTS])}

    def _entities_schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Map compartments to lock (or switch) and door entities of a board."""
        return vol.Schema(
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
                **_board_device_field(defaults),
                **_seconds_field(CONF_PULSE, defaults, DEFAULT_PULSE),
                **_seconds_field(
                    CONF_CONFIRM_TIMEOUT, defaults, DEFAULT_CONFIRM_TIMEOUT
                ),
            }
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

    def _mqtt_schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Name the board's MQTT topic prefix."""
        return vol.Schema(
            {
                **_topic_prefix_field(defaults, "doorservice/cabinet"),
                **_seconds_field(
                    CONF_CONFIRM_TIMEOUT, defaults, DEFAULT_CONFIRM_TIMEOUT
                ),
            }
        )

    def _validate_mqtt(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        prefix = _validate_mqtt_board(self.hass, user_input, errors)
        timeout = _seconds(user_input.get(CONF_CONFIRM_TIMEOUT))
        if timeout is None:
            errors[CONF_CONFIRM_TIMEOUT] = "invalid_seconds"
        return {CONF_TOPIC_PREFIX: prefix, CONF_CONFIRM_TIMEOUT: timeout}


class RoomSubentryFlow(_BoardPartFlow):
    """Add or change a hotel room (or any served space), its appliances and board."""

    part = SubentryType.ROOM

    def _schema(self, defaults: dict[str, Any]) -> vol.Schema:
        return vol.Schema(
            {
                **name_field(defaults),
                suggested(CONF_ADDRESS, defaults): TextSelector(),
                suggested(CONF_AREA, defaults): AreaSelector(),
                suggested(CONF_USERS, defaults): SelectSelector(
                    SelectSelectorConfig(
                        options=self._users,
                        multiple=True,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                suggested(CONF_APPLIANCES, defaults): APPLIANCES_SELECTOR,
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
        if area := user_input.get(CONF_AREA):
            if ar.async_get(self.hass).async_get_area(area) is None:
                errors[CONF_AREA] = "unknown_area"
            else:
                data[CONF_AREA] = area
        users = list(dict.fromkeys(user_input.get(CONF_USERS) or []))
        if any(user not in _ids(self._users) for user in users):
            errors[CONF_USERS] = "unknown_user"
        elif users:
            data[CONF_USERS] = users
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

    def _entities_schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Map each appliance to an entity of its kind, and name the board device."""
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
        return vol.Schema(schema | _board_device_field(defaults))

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

    def _mqtt_schema(self, defaults: dict[str, Any]) -> vol.Schema:
        """Name the board's MQTT topic prefix and, where they differ, object ids."""
        schema = _topic_prefix_field(defaults, "doorservice/room")
        if fields := self._fields(lambda kind: {"text": {}}, required=False):
            schema[
                vol.Optional(
                    CONF_OBJECT_IDS,
                    description={
                        "suggested_value": dict(defaults.get(CONF_OBJECT_IDS) or {})
                    },
                )
            ] = ObjectSelector(ObjectSelectorConfig(fields=fields))
        return vol.Schema(schema)

    def _validate_mqtt(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> dict[str, Any]:
        prefix = _validate_mqtt_board(self.hass, user_input, errors)
        object_ids = self._validate_object_ids(user_input, errors)
        return {CONF_TOPIC_PREFIX: prefix, CONF_OBJECT_IDS: object_ids}

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
                **name_field(defaults),
                vol.Required(
                    CONF_ROLES, default=defaults.get(CONF_ROLES, [])
                ): dropdown(ROLES, CONF_ROLES, multiple=True),
                suggested(CONF_NOTIFY_SERVICE, defaults): TextSelector(),
                suggested(CONF_PERSON, defaults): EntitySelector(
                    EntitySelectorConfig(domain="person")
                ),
                suggested(CONF_USER_ID, defaults): SelectSelector(
                    SelectSelectorConfig(
                        options=self._users, mode=SelectSelectorMode.DROPDOWN
                    )
                ),
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
            if not notify_service_exists(self.hass, notify):
                errors[CONF_NOTIFY_SERVICE] = "notify_service_not_found"
            data[CONF_NOTIFY_SERVICE] = notify
        if person := user_input.get(CONF_PERSON):
            if self.hass.states.get(person) is None or not person.startswith("person."):
                errors[CONF_PERSON] = "person_not_found"
            data[CONF_PERSON] = person
        if user_id := user_input.get(CONF_USER_ID):
            if user_id not in _ids(self._users):
                errors[CONF_USER_ID] = "unknown_user"
            data[CONF_USER_ID] = user_id
        return data


async def _user_options(hass: HomeAssistant) -> list[SelectOptionDict]:
    """The active people-users of Home Assistant, as select options."""
    users = await hass.auth.async_get_users()
    return [
        SelectOptionDict(value=user.id, label=user.name or user.id)
        for user in sorted(users, key=lambda u: (u.name or "", u.id))
        if user.is_active and not user.system_generated
    ]


def _ids(options: list[SelectOptionDict]) -> set[str]:
    return {option["value"] for option in options}


SUBENTRY_FLOWS: dict[str, type[ConfigSubentryFlow]] = {
    SubentryType.CABINET: CabinetSubentryFlow,
    SubentryType.ROOM: RoomSubentryFlow,
    SubentryType.WORKER: WorkerSubentryFlow,
}
"""The parts a site is made of, and the flow that adds or changes each."""
