"""Names of service types in the languages of stays and users.

A service type's ``name`` is its English name; ``names`` holds what the manager
typed for other languages. The default types also come with a Chinese name here, used
as long as their English name is the default one (a renamed type is the manager's
own, so their English name stands until they name it in Chinese too).
"""

from __future__ import annotations

from typing import Final

from .catalog import ServiceType

ENGLISH: Final = "en"
CHINESE: Final = "zh-Hans"

DEFAULT_NAMES: Final[dict[str, dict[str, str]]] = {
    "standard_cleaning": {ENGLISH: "Standard cleaning", CHINESE: "标准清洁"},
    "deep_cleaning": {ENGLISH: "Deep cleaning", CHINESE: "深度清洁"},
    "room_cleaning": {ENGLISH: "Room cleaning", CHINESE: "客房清洁"},
    "towels": {ENGLISH: "Fresh towels", CHINESE: "干净毛巾"},
    "bed_linen": {ENGLISH: "Fresh bed linen", CHINESE: "更换床品"},
    "amenities": {ENGLISH: "Amenities refill", CHINESE: "补充洗漱用品"},
    "laundry": {ENGLISH: "Laundry", CHINESE: "洗衣服务"},
    "minibar": {ENGLISH: "Minibar restock", CHINESE: "迷你吧补货"},
    "room_service_meal": {ENGLISH: "Room service meal", CHINESE: "送餐服务"},
    "repair": {ENGLISH: "Repair", CHINESE: "维修"},
    "wake_up_call": {ENGLISH: "Wake-up call", CHINESE: "叫醒服务"},
    "luggage": {ENGLISH: "Luggage help", CHINESE: "行李服务"},
    "call_staff": {ENGLISH: "Call staff", CHINESE: "呼叫服务员"},
}
"""The default catalog's types (and ``call_staff``) in English and Chinese."""

FREE: Final[dict[str, str]] = {ENGLISH: "free", CHINESE: "免费"}
"""How a price of zero reads."""


def translated_name(kind: ServiceType, language: str) -> str | None:
    """Return the name of ``kind`` in ``language`` (not English), if it has one.

    The manager's name for that language wins; else the default one, while the
    type keeps its default English name.
    """
    if (own := dict(kind.names).get(language)) is not None:
        return own
    defaults = DEFAULT_NAMES.get(kind.id, {})
    if defaults.get(ENGLISH) == kind.name:
        return defaults.get(language)
    return None


def service_name(kind: ServiceType, language: str) -> str:
    """Return the name of ``kind`` for a stay or user speaking ``language``."""
    if language == ENGLISH:
        return kind.name
    return translated_name(kind, language) or kind.name


def price_label(price_text: str | None, language: str) -> str:
    """Return a price as shown next to a name: the amount, or "free"."""
    return price_text if price_text else FREE.get(language, FREE[ENGLISH])
