"""The site options for booking calendars: add or remove a feed, the cleaning policy.

Mixed into the site's options flow (config_flow.py). Each step saves the options,
which reloads the site; the other options are kept as they are.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
import uuid

import probatio as vol

from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
    TimeSelector,
)

from .booking_calendars import (
    FEED_ID_KEY,
    FeedConfig,
    FeedError,
    async_read_feed,
    calendar_feeds,
    calendar_policy,
)
from .config import configured_service_types
from .const import (
    CONF_ADDRESS,
    CONF_CALENDAR_POLICY,
    CONF_CALENDAR_REFRESH,
    CONF_CALENDARS,
    CONF_CHECK_IN_TIME,
    CONF_CHECKOUT_TIME,
    CONF_CLEANING_LEAD,
    CONF_CLEANING_SERVICE_TYPE,
    CONF_CLEANING_STORE_KEY,
    CONF_FEED_ENTITY,
    CONF_FEED_ROOM,
    CONF_FEED_URL,
    CONF_OWNER_NOTIFY,
    SubentryType,
)
from .core.catalog import ServiceCatalog
from .flow_fields import (
    clean_name,
    notify_service_exists,
    suggested,
    whole_number_box,
)

CALENDAR_MENU = ["add_calendar", "remove_calendar", "calendar_policy"]
CONF_FEEDS = "calendars"


def feed_url(raw: str) -> str | None:
    """Return an http(s) link (``webcal://`` becomes ``https://``); None if invalid."""
    url = raw.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


class CalendarOptionsSteps(OptionsFlow):
    """The booking calendar steps of the site's options flow."""

    def _rooms(self) -> list[SelectOptionDict]:
        return [
            SelectOptionDict(value=sub.subentry_id, label=sub.title)
            for sub in self.config_entry.subentries.values()
            if sub.subentry_type == SubentryType.ROOM
        ]

    def _save_calendars(self, **changes: Any) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, **changes})

    async def async_step_add_calendar(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a booking calendar (a link or a calendar entity) for a place."""
        errors: dict[str, str] = {}
        placeholders = {"error": ""}
        defaults: dict[str, Any] = dict(user_input or {})
        rooms = self._rooms()
        if user_input is not None:
            feed = self._feed(user_input, errors)
            if feed is not None:
                try:
                    await async_read_feed(
                        self.hass, feed, calendar_policy(self.config_entry)
                    )
                except FeedError as err:
                    errors["base"] = "calendar_unreadable"
                    placeholders["error"] = str(err)
                else:
                    item = {
                        key: value
                        for key, value in {
                            FEED_ID_KEY: feed.id,
                            CONF_NAME: feed.name,
                            CONF_FEED_URL: feed.url,
                            CONF_FEED_ENTITY: feed.entity_id,
                            CONF_ADDRESS: feed.address,
                            CONF_FEED_ROOM: feed.room,
                        }.items()
                        if value
                    }
                    current = list(self.config_entry.options.get(CONF_CALENDARS, ()))
                    return self._save_calendars(**{CONF_CALENDARS: [*current, item]})
        fields: dict[Any, Any] = {
            vol.Required(CONF_NAME, default=defaults.get(CONF_NAME, "")): (
                TextSelector()
            ),
            suggested(CONF_FEED_URL, defaults): TextSelector(
                TextSelectorConfig(type=TextSelectorType.URL)
            ),
            suggested(CONF_FEED_ENTITY, defaults): EntitySelector(
                EntitySelectorConfig(domain="calendar")
            ),
            suggested(CONF_ADDRESS, defaults): TextSelector(),
        }
        if rooms:
            fields[suggested(CONF_FEED_ROOM, defaults)] = SelectSelector(
                SelectSelectorConfig(options=rooms, mode=SelectSelectorMode.DROPDOWN)
            )
        return self.async_show_form(
            step_id="add_calendar",
            data_schema=vol.Schema(fields),
            errors=errors,
            description_placeholders=placeholders,
        )

    def _feed(
        self, user_input: dict[str, Any], errors: dict[str, str]
    ) -> FeedConfig | None:
        """Check the form; return the feed, or None with ``errors`` filled in."""
        name = clean_name(str(user_input.get(CONF_NAME, "")))
        raw_url = str(user_input.get(CONF_FEED_URL) or "").strip()
        entity_id = str(user_input.get(CONF_FEED_ENTITY) or "").strip()
        address = " ".join(str(user_input.get(CONF_ADDRESS) or "").split())
        room = str(user_input.get(CONF_FEED_ROOM) or "")
        url = feed_url(raw_url) if raw_url else None
        if name is None:
            errors[CONF_NAME] = "invalid_name"
        elif bool(raw_url) == bool(entity_id):
            errors["base"] = "calendar_source_required"
        elif raw_url and url is None:
            errors[CONF_FEED_URL] = "invalid_calendar_url"
        elif bool(address) == bool(room):
            errors["base"] = "calendar_location_required"
        else:
            return FeedConfig(
                id=uuid.uuid4().hex[:12],
                name=name,
                url=url,
                entity_id=entity_id or None,
                address=address or None,
                room=room or None,
            )
        return None

    async def async_step_remove_calendar(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove booking calendars; the cleanings they booked stay."""
        feeds = calendar_feeds(self.config_entry)
        if not feeds:
            return self.async_abort(reason="no_calendars")
        if user_input is not None:
            chosen = set(user_input[CONF_FEEDS])
            return self._save_calendars(
                **{
                    CONF_CALENDARS: [
                        item
                        for item in self.config_entry.options.get(CONF_CALENDARS, ())
                        if item[FEED_ID_KEY] not in chosen
                    ]
                }
            )
        return self.async_show_form(
            step_id="remove_calendar",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_FEEDS, default=[]): SelectSelector(
                        SelectSelectorConfig(
                            options=[
                                SelectOptionDict(value=feed.id, label=feed.name)
                                for feed in feeds
                            ],
                            mode=SelectSelectorMode.LIST,
                            multiple=True,
                        )
                    )
                }
            ),
        )

    async def async_step_calendar_policy(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The cleaning every checkout books: type, lead time, key, check times."""
        policy = calendar_policy(self.config_entry)
        service_types = configured_service_types(self.config_entry)
        catalog = (
            ServiceCatalog(service_types)
            if service_types is not None
            else ServiceCatalog.default()
        )
        errors: dict[str, str] = {}
        notify = str((user_input or {}).get(CONF_OWNER_NOTIFY) or "").strip()
        if notify and not notify_service_exists(self.hass, notify):
            errors[CONF_OWNER_NOTIFY] = "notify_service_not_found"
        elif user_input is not None:
            return self._save_calendars(
                **{
                    CONF_CALENDAR_POLICY: {
                        **({CONF_OWNER_NOTIFY: notify} if notify else {}),
                        CONF_CLEANING_SERVICE_TYPE: user_input[
                            CONF_CLEANING_SERVICE_TYPE
                        ],
                        CONF_CLEANING_LEAD: int(user_input[CONF_CLEANING_LEAD]),
                        CONF_CLEANING_STORE_KEY: bool(
                            user_input[CONF_CLEANING_STORE_KEY]
                        ),
                        CONF_CHECKOUT_TIME: str(user_input[CONF_CHECKOUT_TIME]),
                        CONF_CHECK_IN_TIME: str(user_input[CONF_CHECK_IN_TIME]),
                        CONF_CALENDAR_REFRESH: int(user_input[CONF_CALENDAR_REFRESH]),
                    }
                }
            )
        cleaning = policy.cleaning
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_CLEANING_SERVICE_TYPE, default=cleaning.service_type
                ): SelectSelector(
                    SelectSelectorConfig(
                        options=[
                            SelectOptionDict(value=kind.id, label=kind.name)
                            for kind in catalog
                        ],
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required(
                    CONF_CLEANING_LEAD,
                    default=int(cleaning.lead.total_seconds() // 60),
                ): whole_number_box(0, 1440, "min"),
                vol.Required(
                    CONF_CLEANING_STORE_KEY, default=cleaning.store_key
                ): BooleanSelector(),
                vol.Required(
                    CONF_CHECKOUT_TIME, default=policy.checkout_time.isoformat()
                ): TimeSelector(),
                vol.Required(
                    CONF_CHECK_IN_TIME, default=policy.check_in_time.isoformat()
                ): TimeSelector(),
                vol.Required(
                    CONF_CALENDAR_REFRESH,
                    default=int(policy.refresh.total_seconds() // 60),
                ): whole_number_box(5, 1440, "min"),
                vol.Optional(
                    CONF_OWNER_NOTIFY,
                    description={"suggested_value": policy.owner_notify or ""},
                ): TextSelector(),
            }
        )
        return self.async_show_form(
            step_id="calendar_policy", data_schema=schema, errors=errors
        )
