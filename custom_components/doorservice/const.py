"""Constants for the Door Service integration."""

from __future__ import annotations

from enum import StrEnum
import logging
from typing import Final

DOMAIN: Final = "doorservice"
LOGGER = logging.getLogger(__package__)

EVENT_AUDIT: Final = "doorservice_compartment_audit"
EVENT_ORDER_UPDATED: Final = "doorservice_order_updated"
EVENT_ORDER_ESCALATED: Final = "doorservice_order_escalated"
EVENT_MOBILE_ACTION: Final = "mobile_app_notification_action"
EVENT_CODE: Final = "doorservice_code_used"
EVENT_KEY_MOVED: Final = "doorservice_key_moved"
EVENT_ESPHOME_CODE_ENTERED: Final = "esphome.doorservice_code_entered"
EVENT_FOLIO_CLOSED: Final = "doorservice_folio_closed"
EVENT_APPLIANCE_CHANGE: Final = "doorservice_appliance_change"
EVENT_FORCED_OPEN: Final = "doorservice_forced_open"
EVENT_TAMPER: Final = "doorservice_tamper"

# Site (config entry data).
CONF_SITE_TYPE: Final = "site_type"
CONF_CURRENCY: Final = "currency"

# Site policy (config entry options).
CONF_DISPATCH_STRATEGY: Final = "dispatch_strategy"
CONF_ACCEPTANCE_TIMEOUT: Final = "acceptance_timeout"
CONF_CODE_VALIDITY: Final = "code_validity"
CONF_MANAGER_NOTIFY: Final = "manager_notify_service"
CONF_OFFLINE_REPAIR_AFTER: Final = "offline_repair_after"
CONF_TTS_ENTITY: Final = "tts_entity"  # speaks answers on a stay's media player
# The site's service catalog (options): a list of ServiceType.to_dict() items.
CONF_SERVICE_TYPES: Final = "service_types"

DEFAULT_DISPATCH_STRATEGY: Final = "broadcast"
DEFAULT_ACCEPTANCE_TIMEOUT: Final = 10  # minutes
DEFAULT_CODE_VALIDITY: Final = 48  # hours
DEFAULT_OFFLINE_REPAIR_AFTER: Final = 5  # minutes
CONF_RETENTION_DAYS: Final = "retention_days"
DEFAULT_RETENTION_DAYS: Final = 90  # closed orders kept this long; 0 keeps everything

# Subentries.
CONF_COMPARTMENTS: Final = "compartments"
CONF_DRIVER: Final = "driver"
CONF_ADDRESS: Final = "address"
CONF_ROLES: Final = "roles"
CONF_NOTIFY_SERVICE: Final = "notify_service"
CONF_PERSON: Final = "person"
CONF_USER_ID: Final = "user_id"  # a worker's Home Assistant user
CONF_USERS: Final = "users"  # a room's room-terminal users
CONF_APPLIANCES: Final = "appliances"
CONF_AREA: Final = "area"  # the room's area: voice satellites there act for it

# Cabinet driver settings (subentry data).
CONF_LOCKS: Final = "locks"
CONF_DOORS: Final = "doors"
CONF_BOARD_DEVICE: Final = "board_device"
CONF_PULSE: Final = "pulse"
CONF_CONFIRM_TIMEOUT: Final = "confirm_timeout"
CONF_TOPIC_PREFIX: Final = "topic_prefix"

# Room driver settings (subentry data; CONF_DRIVER, CONF_BOARD_DEVICE and
# CONF_TOPIC_PREFIX as for cabinets).
CONF_APPLIANCE_ENTITIES: Final = "appliance_entities"  # appliance id -> entity id
CONF_OBJECT_IDS: Final = "object_ids"  # appliance id -> ESPHome object id (MQTT)

DEFAULT_PULSE: Final = 1  # seconds a switch lock stays on
DEFAULT_CONFIRM_TIMEOUT: Final = 5  # seconds an unlock may take to be confirmed

ESCALATION_ISSUE: Final = "orders_escalated"
ISSUE_BOARD_OFFLINE: Final = "board_offline"
ISSUE_LOCK_FAULT: Final = "lock_fault"

MIN_COMPARTMENTS: Final = 1
MAX_COMPARTMENTS: Final = 200


class SiteType(StrEnum):
    """What kind of property a site is."""

    HOME = "home"
    HOTEL = "hotel"


class SubentryType(StrEnum):
    """The parts of a site, each configured as a config subentry."""

    CABINET = "cabinet"
    ROOM = "room"
    WORKER = "worker"


class DriverType(StrEnum):
    """How commands reach a board."""

    VIRTUAL = "virtual"
    ENTITIES = "entities"
    MQTT = "mqtt"


# Booking calendars -> cleanings (options; booking_calendars.py).
CONF_CALENDARS: Final = "calendars"  # list of feeds, see booking_calendars.FeedConfig
CONF_CALENDAR_POLICY: Final = "calendar_policy"
CONF_FEED_URL: Final = "url"
CONF_FEED_ENTITY: Final = "entity_id"
CONF_FEED_ROOM: Final = "room"
CONF_CLEANING_SERVICE_TYPE: Final = "service_type"
CONF_CLEANING_LEAD: Final = "lead_minutes"
CONF_CLEANING_STORE_KEY: Final = "store_key"
CONF_CHECKOUT_TIME: Final = "checkout_time"
CONF_CHECK_IN_TIME: Final = "check_in_time"
CONF_CALENDAR_REFRESH: Final = "refresh_minutes"
CONF_OWNER_NOTIFY: Final = "owner_notify_service"  # receives the key drop-off codes
DEFAULT_CLEANING_LEAD: Final = 30  # minutes after the checkout
DEFAULT_CHECKOUT_TIME: Final = "11:00:00"  # for all-day bookings (Airbnb, VRBO)
DEFAULT_CHECK_IN_TIME: Final = "15:00:00"
DEFAULT_CALENDAR_REFRESH: Final = 30  # minutes
ISSUE_CALENDAR_FEED: Final = "calendar_feed_broken"
