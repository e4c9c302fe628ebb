"""Texts Home Assistant shows that its translation files cannot carry.

Logbook lines, to-do item descriptions and calendar event descriptions are plain
strings made on the server, so they are written in the server's language
(``hass.config.language``): English, or Chinese for any ``zh`` language. Entity
names, states, errors and flows stay in ``strings.json``.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant

from .messages import fill, language_of

ORDER_STATE_LABELS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "awaiting_dropoff": "Awaiting key drop-off",
        "queued": "Waiting for a worker",
        "offered": "Offered, waiting for acceptance",
        "accepted": "Accepted",
        "in_progress": "In progress",
        "awaiting_return": "Awaiting key return",
        "completed": "Completed",
        "closed": "Closed",
        "cancelled": "Cancelled",
    },
    "zh-Hans": {
        "awaiting_dropoff": "等待放入钥匙",
        "queued": "等待员工接单",
        "offered": "已派单，等待接单",
        "accepted": "已接单",
        "in_progress": "进行中",
        "awaiting_return": "等待归还钥匙",
        "completed": "已完成",
        "closed": "已关闭",
        "cancelled": "已取消",
    },
}
"""An order's state as people read it (to-do items, calendar, logbook)."""

ACTOR_NAMES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "system": "Door Service",
        "front_desk": "Front desk",
        "cabinet": "Cabinet",
        "owner": "Owner",
        "operator": "Operator",
        "calendar": "Calendar",
        "booking_page": "Booking page",
    },
    "zh-Hans": {
        "system": "门服务",
        "front_desk": "前台",
        "cabinet": "智能柜",
        "owner": "业主",
        "operator": "操作员",
        "calendar": "日历",
        "booking_page": "预约页面",
    },
}
"""Who acted, for the actors that are not people (``core.actors``)."""

TEXTS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "order_awaiting_dropoff": "booked {service} ({order}){where}; "
        "the key is to be dropped off",
        "order_requested": "asked for {service} ({order}){where}",
        "order_queued": "put {service} ({order}){where} in the queue for a worker",
        "order_requeued": "put {service} ({order}){where} back in the queue",
        "order_offered": "offered {service} ({order}){where} to {worker}",
        "order_offered_all": "offered {service} ({order}){where} to the staff on duty",
        "order_accepted": "accepted {service} ({order}){where}",
        "order_in_progress": "started {service} ({order}){where}",
        "order_awaiting_return": "finished {service} ({order}){where}; "
        "the key is to be returned",
        "order_completed": "completed {service} ({order}){where}",
        "order_closed": "closed {service} ({order}){where}",
        "order_cancelled": "cancelled {service} ({order}){where}",
        "order_other": "moved {service} ({order}){where} on: {state}",
        "where": " for {place}",
        "detail": " ({detail})",
        "escalated": "found nobody to take {service} ({order}){where}",
        "todo_worker": "Worker: {worker}",
        "todo_due": "Due {when}",
        "calendar_state": "State: {state}",
        "calendar_worker": "Worker: {worker}",
        "calendar_default_type": "No service type was named in the title, so this "
        "visit was booked as {service}. Name a service type in the title "
        "(for example {example}) to book another.",
        "calendar_moved": "Asked for {asked}; booked from {start}, the next free time.",
    },
    "zh-Hans": {
        "order_awaiting_dropoff": "预约了{service}（{order}）{where}，等待放入钥匙",
        "order_requested": "请求了{service}（{order}）{where}",
        "order_queued": "将{service}（{order}）{where}加入待接单队列",
        "order_requeued": "将{service}（{order}）{where}重新放回队列",
        "order_offered": "将{service}（{order}）{where}派给 {worker}",
        "order_offered_all": "将{service}（{order}）{where}派给当班员工",
        "order_accepted": "接受了{service}（{order}）{where}",
        "order_in_progress": "开始了{service}（{order}）{where}",
        "order_awaiting_return": "完成了{service}（{order}）{where}，等待归还钥匙",
        "order_completed": "完成了{service}（{order}）{where}",
        "order_closed": "关闭了{service}（{order}）{where}",
        "order_cancelled": "取消了{service}（{order}）{where}",
        "order_other": "将{service}（{order}）{where}改为：{state}",
        "where": "，{place}",
        "detail": "（{detail}）",
        "escalated": "无人接{service}（{order}）{where}",
        "todo_worker": "员工：{worker}",
        "todo_due": "时间：{when}",
        "calendar_state": "状态：{state}",
        "calendar_worker": "员工：{worker}",
        "calendar_default_type": "标题中未写明服务类型，此次上门按“{service}”预约。"
        "如需其他服务，请在标题中写明服务类型（例如 {example}）。",
        "calendar_moved": "所选时间为 {asked}；已预约下一个空闲时间，从 {start} 开始。",
    },
}


OPTION_LABELS: Final[dict[str, dict[str, dict[str, str]]]] = {
    "en": {
        "appliance_kind": {
            "switch": "Switch: a relay that turns a device on or off (TV, kettle)",
            "light": "Light: a lamp, on or off",
            "climate": "Air conditioning: a mode and a target temperature",
            "cover": "Curtain or blind: opens and closes",
            "fan": "Fan: on or off",
        },
        "checkout_state": {
            "off": "Off",
            "on": "On",
            "closed": "Closed (curtains and blinds)",
            "open": "Open (curtains and blinds)",
            "unchanged": "Unchanged: check-out leaves it as it is",
        },
    },
    "zh-Hans": {
        "appliance_kind": {
            "switch": "开关：控制设备通断的继电器（电视、水壶）",
            "light": "灯：开或关",
            "climate": "空调：模式和目标温度",
            "cover": "窗帘或百叶窗：打开和合上",
            "fan": "风扇：开或关",
        },
        "checkout_state": {
            "off": "关",
            "on": "开",
            "closed": "合上（窗帘、百叶窗）",
            "open": "打开（窗帘、百叶窗）",
            "unchanged": "不变：退房时保持原样",
        },
    },
}
"""Options of selects nested in an object selector's dialog, labelled on the server:
the frontend does not translate options inside that dialog by translation key."""


def option_labels(language: str, key: str) -> dict[str, str]:
    """Return value -> label of a nested select's options in ``language``."""
    return OPTION_LABELS.get(language, OPTION_LABELS["en"])[key]


def server_language(hass: HomeAssistant) -> str:
    """Return the language of server-made texts: ``en`` or ``zh-Hans``."""
    return language_of(hass.config.language)


def text(language: str, key: str, **values: object) -> str:
    """Return the text ``key`` in ``language`` with ``values`` filled in."""
    return fill(TEXTS, language, key, **values)


def state_label(language: str, state: str) -> str:
    """Return an order state as people read it (the state itself when unknown)."""
    labels = ORDER_STATE_LABELS.get(language, ORDER_STATE_LABELS["en"])
    return labels.get(state, state.replace("_", " "))


def actor_label(language: str, actor: str | None) -> str | None:
    """Return who acted in words (a person's name is kept as it is)."""
    if actor is None:
        return None
    names = ACTOR_NAMES.get(language, ACTOR_NAMES["en"])
    return names.get(actor, actor)
