"""What Door Service says to a voice assistant's user, in English and Chinese.

The language is the conversation's (the satellite's or the user's); the later answers
to a request (accepted, done) are spoken in the stay's language by :mod:`.rooms`.
"""

from __future__ import annotations

from typing import Final

from .messages import fill

VOICE_TEXTS: Final[dict[str, dict[str, str]]] = {
    "en": {
        "request_received": "OK, {service} for {room}: order {order_id}, "
        "expected by {eta}.",
        "request_held": "OK, {service} for {room}: order {order_id}. It waits "
        "until do not disturb is off.",
        "request_scheduled": "OK, {service} for {room} is booked for {when}: "
        "order {order_id}.",
        "confirm_paid": "{service} costs {price}, charged to your room. To order "
        "it, say: confirm {name}.",
        "price_paid": "{service} costs {price} per unit.",
        "price_free": "{service} is free.",
        "status_none": "There is no open request for {room}.",
        "status_waiting": "{service} (order {order_id}) is waiting for a staff "
        "member; expected by {eta}.",
        "status_scheduled": "{service} (order {order_id}) is booked for {when}.",
        "status_accepted": "{worker} is on the way with {service}, expected by {eta}.",
        "status_in_progress": "{worker} is working on {service} now.",
        "status_held": "{service} (order {order_id}) waits until do not disturb "
        "is off.",
        "status_done": "{service} (order {order_id}) is done.",
        "key_none": "We hold no key of yours.",
        "key_not_left": "Your key for order {order_id} is not in the cabinet yet.",
        "key_waiting": "Your key is in {cabinet}, compartment {compartment}, "
        "waiting for the cleaner.",
        "key_with_worker": "{worker} has your key now.",
        "key_back": "Your key is back in {cabinet}, compartment {compartment}. "
        "Collect it with your code.",
        "key_collected": "Your key is back with you.",
        "dnd_on": "Do not disturb is on for {room}. Cleaning waits until you "
        "turn it off.",
        "dnd_off": "Do not disturb is off for {room}.",
        "bill_none": "{room} has no open bill.",
        "bill_empty": "Your bill is {total}: nothing charged yet.",
        "bill": "Your bill is {total}: {lines}.",
        "bill_line": "{service} {quantity} × {price}",
        "booked": "{service} is booked for {when}: order {order_id}.",
        "booked_key": " Leave your key in {cabinet}, compartment {compartment}. "
        "The drop-off code is never read aloud: get it with reissue code on "
        "your phone.",
        "free": "free",
        "today": "today at {time}",
        "tomorrow": "tomorrow at {time}",
        "on_day": "{date} at {time}",
        "refused_no_room": "This device is not in a room, so I cannot act for one.",
        "refused_not_your_room": "You cannot act for {room} from here.",
        "refused_which_room": "I do not know which room you are in.",
        "refused_unknown_service": "{room} cannot order {service}.",
        "refused_no_time": "Please say a time, for example tomorrow at 10.",
        "refused": "Sorry, that did not work: {reason}",
    },
    "zh-Hans": {
        "request_received": "好的，已为{room}安排{service}（订单 {order_id}），"
        "预计 {eta} 前到达。",
        "request_held": "好的，已为{room}记下{service}（订单 {order_id}），"
        "将在“请勿打扰”关闭后进行。",
        "request_scheduled": "好的，已为{room}预约{when}的{service}"
        "（订单 {order_id}）。",
        "confirm_paid": "{service}的价格是 {price}，将计入房费。"
        "如需预订，请说：确认{name}。",
        "price_paid": "{service}的价格是每份 {price}。",
        "price_free": "{service}是免费的。",
        "status_none": "{room}目前没有进行中的请求。",
        "status_waiting": "{service}（订单 {order_id}）正在等待服务人员接单，"
        "预计 {eta} 前到达。",
        "status_scheduled": "{service}（订单 {order_id}）已预约在{when}。",
        "status_accepted": "{worker}正在为您提供{service}，预计 {eta} 前到达。",
        "status_in_progress": "{worker}正在进行{service}。",
        "status_held": "{service}（订单 {order_id}）将在“请勿打扰”关闭后进行。",
        "status_done": "{service}（订单 {order_id}）已完成。",
        "key_none": "我们这里没有您的钥匙。",
        "key_not_left": "订单 {order_id} 的钥匙还没有放进储物柜。",
        "key_waiting": "您的钥匙在{cabinet} {compartment} 号格，正在等待保洁员取用。",
        "key_with_worker": "您的钥匙现在在{worker}手上。",
        "key_back": "您的钥匙已放回{cabinet} {compartment} 号格，请用您的取件码取回。",
        "key_collected": "您的钥匙已经取回。",
        "dnd_on": "{room}已开启“请勿打扰”，清洁将在您关闭后进行。",
        "dnd_off": "{room}已关闭“请勿打扰”。",
        "bill_none": "{room}目前没有未结账单。",
        "bill_empty": "您的账单为 {total}，暂无消费。",
        "bill": "您的账单为 {total}：{lines}。",
        "bill_line": "{service} {quantity} × {price}",
        "booked": "已预约{when}的{service}（订单 {order_id}）。",
        "booked_key": "请把钥匙放在{cabinet} {compartment} 号格。存放码不会朗读，"
        "请在手机上通过“重新发码”获取。",
        "free": "免费",
        "today": "今天 {time}",
        "tomorrow": "明天 {time}",
        "on_day": "{date} {time}",
        "refused_no_room": "这台设备不在任何房间里，无法代表房间操作。",
        "refused_not_your_room": "您不能在这里为{room}操作。",
        "refused_which_room": "我不知道您在哪个房间。",
        "refused_unknown_service": "{room}无法预订{service}。",
        "refused_no_time": "请说一个时间，例如明天十点。",
        "refused": "抱歉，操作未成功：{reason}",
    },
}


def voice_text(language: str, key: str, **values: object) -> str:
    """Return the answer ``key`` in ``language`` with ``values`` filled in."""
    return fill(VOICE_TEXTS, language, key, **values)
