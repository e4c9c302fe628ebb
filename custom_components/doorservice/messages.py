"""Texts Door Service sends to people (phones, room speakers), in their language.

Entity names, errors and flows use Home Assistant's translation files; notification
texts go to a device whose language is the worker's or the guest's, which Home
Assistant's translations cannot know, so they live here for English and Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
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
        "lockout_title": "Keypad of {cabinet} locked",
        "lockout_message": "Too many wrong codes were entered at {cabinet}. "
        "The keypad accepts codes again at {until}.",
        "forced_open_title": "{cabinet}: compartment {compartment} forced open",
        "forced_open_message": "The door of compartment {compartment} in {cabinet} "
        "at {site} opened without an unlock.",
        "tamper_title": "{cabinet}: tamper alarm",
        "tamper_message": "The tamper switch of {cabinet} at {site} tripped.",
        "room_title": "{room}",
        "room_welcome": "Welcome! Your requests and their answers will appear here.",
        "room_request_received": "We received your request: {service} ({order_id}).",
        "room_request_accepted": "{service}: {worker} is on the way, "
        "expected by {eta}.",
        "room_request_started": "{service}: {worker} has started.",
        "room_request_completed": "{service} is done. Thank you!",
        "room_request_declined": "{service}: we are finding another staff member.",
        "room_request_cancelled": "{service} ({order_id}) was cancelled.",
        "room_request_held": "{service} will wait until Do not disturb is off.",
        "room_appliance_changed": "Staff changed the {appliance} ({action}): {reason}.",
        "appliance_turn_on": "on",
        "appliance_turn_off": "off",
        "appliance_open": "opened",
        "appliance_close": "closed",
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
        "lockout_title": "{cabinet} 的键盘已锁定",
        "lockout_message": "{cabinet} 输入错误的码次数过多，键盘将于 {until} 恢复。",
        "forced_open_title": "{cabinet}：{compartment} 号格口被强行打开",
        "forced_open_message": "{site} 的 {cabinet} 中 {compartment} 号格口的门"
        "在未解锁的情况下被打开。",
        "tamper_title": "{cabinet}：防拆报警",
        "tamper_message": "{site} 的 {cabinet} 的防拆开关被触发。",
        "room_title": "{room}",
        "room_welcome": "欢迎入住！您的服务请求及答复将显示在这里。",
        "room_request_received": "已收到您的请求：{service}（{order_id}）。",
        "room_request_accepted": "{service}：{worker} 正在前往，预计 {eta} 前到达。",
        "room_request_started": "{service}：{worker} 已开始服务。",
        "room_request_completed": "{service} 已完成，谢谢！",
        "room_request_declined": "{service}：正在为您安排其他服务人员。",
        "room_request_cancelled": "{service}（{order_id}）已取消。",
        "room_request_held": "{service} 将在“请勿打扰”关闭后进行。",
        "room_appliance_changed": "工作人员调整了{appliance}（{action}）：{reason}。",
        "appliance_turn_on": "开启",
        "appliance_turn_off": "关闭",
        "appliance_open": "打开",
        "appliance_close": "合上",
    },
}


def language_of(hass_language: str | None) -> str:
    """Return the message language for a Home Assistant or stay language."""
    if hass_language and hass_language.lower().startswith("zh"):
        return "zh-Hans"
    return "en"


def fill(
    table: Mapping[str, Mapping[str, str]],
    language: str,
    key: str,
    **values: object,
) -> str:
    """Return text ``key`` of ``table`` in ``language`` with ``values`` filled in.

    Every text table of the integration (messages, logbook and state texts, voice
    answers, the booking page) is ``language -> key -> template``; a language or a
    key the table lacks falls back to English.
    """
    template = table.get(language, table["en"]).get(key) or table["en"][key]
    return template.format(**values)


def message(language: str, key: str, **values: object) -> str:
    """Return the message ``key`` in ``language`` with ``values`` filled in."""
    return fill(MESSAGES, language, key, **values)
