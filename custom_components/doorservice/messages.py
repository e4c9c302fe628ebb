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
        "pickup_code": "Pickup code {pin} at {cabinet}, compartment {compartment} "
        "(valid until {valid_until}).",
        "return_title": "Return the key of {order_id}",
        "return_message": "Put the key back with code {pin} at {cabinet}, "
        "compartment {compartment} (valid until {valid_until}).",
        "collect_title": "Your key is ready ({order_id})",
        "collect_message": "Collect your key with code {pin} at {cabinet}, "
        "compartment {compartment} (valid until {valid_until}).",
        "lockout_title": "Keypad of {cabinet} locked",
        "lockout_message": "Too many wrong codes were entered at {cabinet}. "
        "The keypad accepts codes again at {until}.",
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
        "pickup_code": "取件码 {pin}：{cabinet} {compartment} 号格"
        "（有效至 {valid_until}）。",
        "return_title": "请归还订单 {order_id} 的钥匙",
        "return_message": "请用码 {pin} 将钥匙放回 {cabinet} {compartment} 号格"
        "（有效至 {valid_until}）。",
        "collect_title": "您的钥匙可以取了（{order_id}）",
        "collect_message": "请用码 {pin} 在 {cabinet} {compartment} 号格取回钥匙"
        "（有效至 {valid_until}）。",
        "lockout_title": "{cabinet} 的键盘已锁定",
        "lockout_message": "{cabinet} 输入错误的码次数过多，键盘将于 {until} 恢复。",
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
