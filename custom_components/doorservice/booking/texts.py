"""The words of the booking and status pages, in English and Simplified Chinese.

The page language follows the browser's ``Accept-Language`` (:func:`pick_language`);
errors of the domain (stock, time, a full cabinet) come from the integration's own
translations (``exceptions`` in strings.json / translations/zh-Hans.json). Both
tables have the same keys and placeholders (tests/test_booking_page.py checks).
"""

from __future__ import annotations

from ..messages import fill

ENGLISH = "en"
CHINESE = "zh-Hans"
LANGUAGES = (ENGLISH, CHINESE)

TEXTS: dict[str, dict[str, str]] = {
    ENGLISH: {
        "html_lang": "en",
        "book_title": "Book a visit",
        "book_intro": "{site} · {cabinet}. Leave your key and buy supplies at this "
        "cabinet; a cleaner comes while you are away.",
        "address": "Address",
        "start": "Date and time",
        "service_type": "Service",
        "phone": "Contact phone",
        "phone_hint": "We only use it for this visit.",
        "message": "Message for the cleaner (optional)",
        "store_key": "I leave a key in the cabinet",
        "store_key_hint": "You get a PIN to open a compartment and put the key in.",
        "supplies": "Supplies from this cabinet",
        "in_stock": "{count} in stock",
        "out_of_stock": "out of stock",
        "submit": "Book",
        "fix_errors": "Please check the marked fields.",
        "error_required": "Please fill this in.",
        "error_address": "Please give an address (at most 200 characters).",
        "error_start": "Please pick a date and time.",
        "error_start_past": "Please pick a time in the future.",
        "error_start_far": "Please pick a time within the next 90 days.",
        "error_service_type": "Please pick one of the services.",
        "error_phone": "Please give a phone number (6 to 15 digits, may start with +).",
        "error_message": "Please keep the message under 500 characters.",
        "error_quantity": "Please give a number between 0 and {max}.",
        "error_supply_stock": "Only {count} left.",
        "error_form_expired": "This form is too old or did not come from this page. "
        "Please try again.",
        "error_rate_limited": "Too many bookings from here just now. Please try "
        "again in a few minutes.",
        "error_cabinet_busy": "This cabinet takes many bookings just now. Please try "
        "again later.",
        "error_phone_cap": "This phone number already has {count} open bookings. "
        "Please wait until one is done.",
        "error_cabinet_full": "The cabinet has no free compartment for a key or "
        "supplies right now. Book without a key and supplies, or try again later.",
        "error_unavailable": "Booking is not possible right now: {reason}",
        "confirm_title": "Booked",
        "order_id": "Order",
        "when": "When",
        "cost": "Cost",
        "pin_title": "Your drop-off PIN",
        "pin_how": "At {cabinet}, type the PIN and # on the keypad (or show this QR "
        "code); compartment {compartment} opens. Put your key in and close the door.",
        "valid_until": "Valid until {time}",
        "status_link": "Follow your visit",
        "status_hint": "Keep this private link: it shows your visit live and, once "
        "the key is back, the code to collect it.",
        "status_sent": "We also sent this link to {phone}.",
        "status_title": "Your visit",
        "state_awaiting_dropoff": "Waiting for your key",
        "state_awaiting_dropoff_hint": "Leave your key in compartment {compartment} "
        "of {cabinet} with your drop-off PIN.",
        "state_queued": "Waiting for a cleaner",
        "state_queued_hint": "Your key is in the cabinet. We are finding a cleaner.",
        "state_offered": "Waiting for a cleaner",
        "state_offered_hint": "Offered to our cleaners; the first to accept takes it.",
        "state_accepted": "Accepted by {name}",
        "state_accepted_hint": "{name} will pick up what you left in the cabinet.",
        "state_in_progress": "In progress",
        "state_in_progress_hint": "{name} is working on your visit.",
        "state_awaiting_return": "Done, the key is on its way back",
        "state_awaiting_return_hint": "{name} is bringing your key back to the "
        "cabinet.",
        "state_key_back": "Your key is back",
        "state_key_back_hint": "Collect it from compartment {compartment} of "
        "{cabinet} with this code.",
        "state_completed": "Done",
        "state_completed_hint": "Thank you!",
        "state_closed": "Done",
        "state_closed_hint": "Your key was collected. Thank you!",
        "state_cancelled": "Cancelled",
        "state_cancelled_hint": "This visit was cancelled.",
        "state_finished": "This visit is over",
        "state_finished_hint": "Nothing is left in the cabinet for you.",
        "collect_title": "Your collect code",
        "history": "So far",
        "refresh": "This page updates by itself.",
        "not_found_title": "Not found",
        "not_found": "This link does not work (any more). Ask for a new one.",
        "anyone": "a cleaner",
        "notify_message": "{site}: your booking {order} is in. Follow it here: {link}",
        "sticker_unavailable": "Turn public booking on for this cabinet and set an "
        "external URL (Settings > System > Network) first.",
    },
    CHINESE: {
        "html_lang": "zh-Hans",
        "book_title": "预约上门服务",
        "book_intro": "{site} · {cabinet}。可在此柜存放钥匙、购买清洁用品;"
        "您不在家时保洁员上门。",
        "address": "地址",
        "start": "日期和时间",
        "service_type": "服务",
        "phone": "联系电话",
        "phone_hint": "仅用于本次服务。",
        "message": "给保洁员的留言(可选)",
        "store_key": "我会把钥匙放在柜子里",
        "store_key_hint": "您会得到一个 PIN 码,用它打开格口放入钥匙。",
        "supplies": "本柜的清洁用品",
        "in_stock": "库存 {count}",
        "out_of_stock": "缺货",
        "submit": "预约",
        "fix_errors": "请检查标出的内容。",
        "error_required": "请填写此项。",
        "error_address": "请填写地址(最多 200 个字符)。",
        "error_start": "请选择日期和时间。",
        "error_start_past": "请选择将来的时间。",
        "error_start_far": "请选择 90 天以内的时间。",
        "error_service_type": "请选择一项服务。",
        "error_phone": "请填写电话号码(6 到 15 位数字,可以 + 开头)。",
        "error_message": "留言请少于 500 个字符。",
        "error_quantity": "请填写 0 到 {max} 之间的数量。",
        "error_supply_stock": "只剩 {count} 件。",
        "error_form_expired": "此表单已过期或不是来自本页面,请重试。",
        "error_rate_limited": "此处刚刚提交的预约太多,请几分钟后再试。",
        "error_cabinet_busy": "此柜刚刚收到很多预约,请稍后再试。",
        "error_phone_cap": "此电话号码已有 {count} 个未"
        "完成的预约,请等其中一个完成后再预约。",
        "error_cabinet_full": "柜子现在没有可用于钥匙或用品的空格口。"
        "请不带钥匙和用品预约,或稍后再试。",
        "error_unavailable": "现在无法预约:{reason}",
        "confirm_title": "预约成功",
        "order_id": "订单",
        "when": "时间",
        "cost": "费用",
        "pin_title": "您的存放 PIN 码",
        "pin_how": "在{cabinet}的键盘上输入 PIN 码并按 #(或出示此二维码),"
        "{compartment} 号格口会打开。放入钥匙后关好门。",
        "valid_until": "有效期至 {time}",
        "status_link": "查看服务进度",
        "status_hint": "请保管好这个私人链接:它实时显示服务"
        "进度,钥匙送回后还会显示取钥匙的密码。",
        "status_sent": "我们也已把此链接发送到 {phone}。",
        "status_title": "您的服务",
        "state_awaiting_dropoff": "等待您存放钥匙",
        "state_awaiting_dropoff_hint": "请用存放 PIN 码把钥匙放入{cabine"
        "t}的 {compartment} 号格口。",
        "state_queued": "正在等待保洁员",
        "state_queued_hint": "您的钥匙已在柜中,我们正在安排保洁员。",
        "state_offered": "正在等待保洁员",
        "state_offered_hint": "已派发给保洁员,最先接单的人负责。",
        "state_accepted": "{name} 已接单",
        "state_accepted_hint": "{name} 会到柜子取走您存放的物品。",
        "state_in_progress": "服务进行中",
        "state_in_progress_hint": "{name} 正在为您服务。",
        "state_awaiting_return": "已完成,钥匙正在送回",
        "state_awaiting_return_hint": "{name} 正在把钥匙送回柜子。",
        "state_key_back": "钥匙已送回",
        "state_key_back_hint": "请用此密码从{cabinet}的 {compartment} 号格口取回钥匙。",
        "state_completed": "已完成",
        "state_completed_hint": "谢谢!",
        "state_closed": "已完成",
        "state_closed_hint": "您已取回钥匙。谢谢!",
        "state_cancelled": "已取消",
        "state_cancelled_hint": "此服务已取消。",
        "state_finished": "此服务已结束",
        "state_finished_hint": "柜中没有留给您的物品。",
        "collect_title": "您的取钥匙密码",
        "history": "进度",
        "refresh": "本页会自动更新。",
        "not_found_title": "未找到",
        "not_found": "此链接无效(或已失效)。请索取新的链接。",
        "anyone": "保洁员",
        "notify_message": "{site}:您的预约 {order} 已收到。查看进度:{link}",
        "sticker_unavailable": "请先为此柜开启公开预约,并设置外部"
        "网址(设置 > 系统 > 网络)。",
    },
}


def pick_language(accept_language: str | None) -> str:
    """The page language for an ``Accept-Language`` header (English by default).

    The first language range the pages speak wins, by quality value; any Chinese
    (``zh``, ``zh-CN``, ``zh-Hans``, ``zh-TW``...) gets Simplified Chinese.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, tag.strip().lower()))
    for negative_quality, _index, tag in sorted(ranked):
        if negative_quality >= 0:
            continue
        if tag == "zh" or tag.startswith("zh-"):
            return CHINESE
        if tag == "en" or tag.startswith("en-") or tag == "*":
            return ENGLISH
    return ENGLISH


def text(language: str, key: str, **values: object) -> str:
    """One text of the page in ``language`` with its placeholders filled."""
    return fill(TEXTS, language, key, **values)
