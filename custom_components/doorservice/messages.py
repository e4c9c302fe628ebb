"""Texts Door Service sends to people (phones, room speakers), in their language.

Entity names, errors and flows use Home Assistant's translation files; notification
texts go to a device whose language is the worker's or the guest's, which Home
Assistant's translations cannot know, so they live here for English and Chinese.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("en", "zh-Hans")

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "offer_title": "New order {order_id}",
        "offer_message": "{service} at {location}. Accept within {minutes} min.",
        "accepted_title": "Order {order_id} is yours",
        "accepted_message": "{service} at {location}. Tap Done when finished.",
        "escalated_title": "Order {order_id} needs a worker",
        "escalated_message": "{service} at {location} at {site}: nobody is left "
        "to offer it to.",
        "action_accept": "Accept",
        "action_decline": "Decline",
        "action_done": "Done",
    },
    "zh-Hans": {
        "offer_title": "新订单 {order_id}",
        "offer_message": "{location}：{service}。请在 {minutes} 分钟内接单。",
        "accepted_title": "订单 {order_id} 已由您接单",
        "accepted_message": "{location}：{service}。完成后请点击“完成”。",
        "escalated_title": "订单 {order_id} 无人接单",
        "escalated_message": "{site} 的 {location}：{service}，已没有可派的员工。",
        "action_accept": "接单",
        "action_decline": "拒绝",
        "action_done": "完成",
    },
}


def language_of(hass_language: str | None) -> str:
    """Return the message language for a Home Assistant or stay language."""
    if hass_language and hass_language.lower().startswith("zh"):
        return "zh-Hans"
    return "en"


def message(language: str, key: str, **values: object) -> str:
    """Return the text ``key`` in ``language`` with ``values`` filled in."""
    texts = MESSAGES.get(language, MESSAGES["en"])
    return texts[key].format(**values)
