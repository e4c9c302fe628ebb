"""Assist in the room: Door Service's intents through Home Assistant's own agent.

Every exchange goes through ``conversation.async_converse`` with the default agent
(the sentences the integration installed), from a satellite device whose area is a
room's. The transcript of each language is printed (``pytest -s``).
"""

from __future__ import annotations

from datetime import timedelta
import os
from pathlib import Path
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.const import (
    CONF_AREA,
    CONF_SERVICE_TYPES,
    CONF_USERS,
    DOMAIN,
)
from custom_components.doorservice.core.catalog import ServiceCatalog
from custom_components.doorservice.core.orders import Order, OrderState
from custom_components.doorservice.runtime import SiteRuntime
from custom_components.doorservice.sentences import (
    async_install_sentences,
    service_values,
)
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    intent,
    llm,
)
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import cabinet, room, setup_entry, site_entry, worker


class Voice:
    """A site whose rooms each have a voice satellite in their area."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.entry: MockConfigEntry | None = None
        self.devices: dict[str, str] = {}
        self.areas: dict[str, str] = {}
        self.transcript: list[str] = []

    @property
    def runtime(self) -> SiteRuntime:
        assert self.entry is not None
        runtime: SiteRuntime = self.entry.runtime_data
        return runtime

    def room_id(self, title: str) -> str:
        assert self.entry is not None
        return next(
            s.subentry_id for s in self.entry.subentries.values() if s.title == title
        )

    def satellite(self, name: str, area: str | None) -> str:
        """Add a satellite device in ``area`` (an area name) and return its id."""
        sat = MockConfigEntry(domain="test")
        sat.add_to_hass(self.hass)
        devices = dr.async_get(self.hass)
        device = devices.async_get_or_create(
            config_entry_id=sat.entry_id, identifiers={("test", name)}, name=name
        )
        if area is not None:
            area_id = (
                self.areas.get(area) or ar.async_get(self.hass).async_create(area).id
            )
            devices.async_update_device(device.id, area_id=area_id)
        self.devices[name] = device.id
        return device.id

    async def say(
        self,
        text: str,
        language: str = "en",
        device: str | None = "Room 101",
        context: Context | None = None,
    ) -> conversation.ConversationResult:
        result = await conversation.async_converse(
            self.hass,
            text,
            None,
            context or Context(),
            language=language,
            device_id=self.devices[device] if device else None,
        )
        await self.hass.async_block_till_done()
        return result

    def orders(self, room: str) -> list[Order]:
        return self.runtime.site.orders(room=self.room_id(room))

    async def exchange(self, text: str, language: str = "en") -> tuple[str, Order]:
        """Say ``text`` in Room 101; return the answer and the order it made."""
        before = {o.id for o in self.orders("Room 101")}
        result = await self.say(text, language)
        assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
        answer = speech(result)
        new = [o for o in self.orders("Room 101") if o.id not in before]
        assert len(new) == 1, (text, answer)
        order = new[0]
        assert order.id in answer
        self.transcript.append(
            f"{text} -> {answer} -> {order.id} {order.service_type} "
            f"x{order.quantity} {order.state.value}"
            + (
                f" at {order.scheduled_start.isoformat()}"
                if order.scheduled_start
                else ""
            )
            + (f" ({order.message})" if order.message else "")
        )
        return answer, order


def write_transcript(language: str, lines: list[str]) -> None:
    """Append a transcript to the file ``DOORSERVICE_TRANSCRIPT`` names (if any)."""
    if path := os.environ.get("DOORSERVICE_TRANSCRIPT"):
        with Path(path).open("a", encoding="utf-8") as file:
            file.write("\n".join([f"{language}:", *lines, ""]))


def speech(result: conversation.ConversationResult) -> str:
    return str(result.response.speech["plain"]["speech"])


async def setup_voice(
    hass: HomeAssistant, tmp_path: Path, entry: MockConfigEntry, rooms: list[str]
) -> Voice:
    """Set up the agent, areas for ``rooms``, the site and a satellite per room."""
    hass.config.config_dir = str(tmp_path)
    (tmp_path / "configuration.yaml").write_text("", encoding="utf-8")
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    voice = Voice(hass)
    areas = ar.async_get(hass)
    for name in rooms:
        voice.areas[name] = areas.async_create(name).id
    voice.entry = await setup_entry(hass, entry)
    for name in rooms:
        voice.satellite(name, name)
    return voice


@pytest.fixture
async def voice(hass: HomeAssistant, tmp_path: Path) -> Voice:
    """A hotel: Room 101 and Room 102, each with its area and satellite."""
    hass.config.config_dir = str(tmp_path)
    areas = ar.async_get(hass)
    a101 = areas.async_create("Room 101").id
    a102 = areas.async_create("Room 102").id
    voice = await setup_voice(
        hass,
        tmp_path,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [
                room("Room 101", **{CONF_AREA: a101}),
                room("Room 102", **{CONF_AREA: a102}),
                worker("Mei", "housekeeping"),
                worker("Tom", "maintenance"),
            ],
        ),
        [],
    )
    voice.areas = {"Room 101": a101, "Room 102": a102}
    voice.satellite("Room 101", "Room 101")
    voice.satellite("Room 102", "Room 102")
    return voice


async def check_in(hass: HomeAssistant, language: str) -> None:
    await hass.services.async_call(
        DOMAIN,
        "check_in",
        {"room": "Room 101", "guest_name": "Ada", "language": language},
        blocking=True,
        return_response=True,
    )


async def work(hass: HomeAssistant, order_id: str, *steps: str) -> None:
    for step in steps:
        await hass.services.async_call(
            DOMAIN, f"{step}_order", {"order_id": order_id, "worker": "Mei"}, True
        )
    await hass.async_block_till_done()


async def test_sentences_are_installed_for_both_languages(
    hass: HomeAssistant, voice: Voice, tmp_path: Path
) -> None:
    english = (tmp_path / "custom_sentences/en/doorservice.yaml").read_text("utf-8")
    chinese = (tmp_path / "custom_sentences/zh-CN/doorservice.yaml").read_text("utf-8")
    assert "DoorServiceRequestService" in english
    assert "fresh towels" in english
    assert "clean my room" in english
    assert "干净毛巾" in chinese
    assert "打扫房间" in chinese
    assert "unlock" not in english.lower()
    # Unchanged catalogs write nothing and reload nothing.
    assert await async_install_sentences(hass) is False


async def test_five_english_exchanges(hass: HomeAssistant, voice: Voice) -> None:
    await check_in(hass, "en")
    answer, towels = await voice.exchange("two towels please")
    assert answer.startswith("OK, 2 × Fresh towels for Room 101")
    assert (towels.service_type, towels.quantity) == ("towels", 2)
    assert towels.room == voice.room_id("Room 101")

    answer, cleaning = await voice.exchange("clean my room at 3 pm")
    assert cleaning.service_type == "room_cleaning"
    assert cleaning.scheduled_start is not None
    assert dt_util.as_local(cleaning.scheduled_start).hour == 15
    assert "15:00" in answer

    answer, repair = await voice.exchange("the AC is broken")
    assert (repair.service_type, repair.message) == ("repair", "AC")
    assert "Repair (AC)" in answer

    # A paid service: first its price (nothing ordered), then the confirmation.
    result = await voice.say("I'd like laundry")
    assert speech(result) == (
        "Laundry costs 15.00 EUR, charged to your room. To order it, say: "
        "confirm Laundry."
    )
    assert not [o for o in voice.orders("Room 101") if o.service_type == "laundry"]
    voice.transcript.append(f"I'd like laundry -> {speech(result)} -> (no order)")
    answer, laundry = await voice.exchange("confirm laundry")
    assert laundry.service_type == "laundry"

    await work(hass, towels.id, "accept")
    result = await voice.say("when do my towels come")
    assert speech(result).startswith("Mei is on the way with Fresh towels")
    voice.transcript.append(
        f"when do my towels come -> {speech(result)} -> {towels.id}"
    )
    write_transcript("English", voice.transcript)


async def test_five_chinese_exchanges(hass: HomeAssistant, voice: Voice) -> None:
    await check_in(hass, "zh-Hans")
    answer, towels = await voice.exchange("请送两条毛巾过来", "zh-Hans")
    assert answer.startswith("好的，已为Room 101安排干净毛巾 ×2")
    assert (towels.service_type, towels.quantity) == ("towels", 2)

    answer, cleaning = await voice.exchange("下午三点打扫房间", "zh-Hans")
    assert cleaning.service_type == "room_cleaning"
    assert cleaning.scheduled_start is not None
    assert dt_util.as_local(cleaning.scheduled_start).hour == 15
    assert "客房清洁" in answer

    answer, repair = await voice.exchange("空调坏了", "zh-Hans")
    assert (repair.service_type, repair.message) == ("repair", "空调")
    assert "维修（空调）" in answer

    result = await voice.say("洗衣服务多少钱", "zh-Hans")
    assert speech(result) == "洗衣服务的价格是每份 15.00 EUR。"
    voice.transcript.append(f"洗衣服务多少钱 -> {speech(result)} -> (no order)")
    answer, laundry = await voice.exchange("确认要两份洗衣服务", "zh-Hans")
    assert (laundry.service_type, laundry.quantity) == ("laundry", 2)
    assert "洗衣服务 ×2" in answer

    answer, sheets = await voice.exchange("麻烦换床单", "zh-Hans")
    assert sheets.service_type == "bed_linen"
    assert "更换床品" in answer
    write_transcript("Chinese", voice.transcript)


async def test_status_dnd_and_bill(hass: HomeAssistant, voice: Voice) -> None:
    result = await voice.say("what's the status of my orders")
    assert speech(result) == "There is no open request for Room 101."
    result = await voice.say("read my bill")
    assert speech(result) == "Room 101 has no open bill."
    await check_in(hass, "en")
    result = await voice.say("how much do I owe")
    assert speech(result) == "Your bill is 0.00 EUR: nothing charged yet."
    _, laundry = await voice.exchange("confirm two laundry")
    await work(hass, laundry.id, "accept", "start", "complete")
    result = await voice.say("read my bill")
    assert speech(result) == "Your bill is 30.00 EUR: Laundry 2 × 15.00 EUR."
    result = await voice.say("查一下账单", "zh-Hans")
    assert speech(result) == "您的账单为 30.00 EUR：洗衣服务 2 × 15.00 EUR。"
    result = await voice.say("where is my laundry")  # closed: history
    assert speech(result) == "There is no open request for Room 101."

    result = await voice.say("turn on do not disturb")
    assert speech(result) == (
        "Do not disturb is on for Room 101. Cleaning waits until you turn it off."
    )
    assert hass.states.get("switch.room_101_do_not_disturb").state == "on"
    _, cleaning = await voice.exchange("room cleaning please")
    assert cleaning.is_held
    result = await voice.say("where is my cleaner")
    assert speech(result) == (
        f"Room cleaning (order {cleaning.id}) waits until do not disturb is off."
    )
    result = await voice.say("关闭请勿打扰", "zh-Hans")
    assert speech(result) == "Room 101已关闭“请勿打扰”。"
    assert hass.states.get("switch.room_101_do_not_disturb").state == "off"
    await work(hass, cleaning.id, "accept", "start")
    result = await voice.say("保洁员在哪", "zh-Hans")
    assert speech(result) == "Mei正在进行客房清洁。"
    result = await voice.say("is housekeeping free")
    assert speech(result) == "Room cleaning is free."


async def test_a_satellite_acts_only_for_its_own_room(
    hass: HomeAssistant, voice: Voice
) -> None:
    await voice.say("two towels please", device="Room 102")
    assert [o.service_type for o in voice.orders("Room 102")] == ["towels"]
    assert voice.orders("Room 101") == []

    # A satellite outside every room's area, or without an area, is refused.
    voice.satellite("Lobby", "Lobby")
    voice.satellite("Nowhere", None)
    for device in ("Lobby", "Nowhere"):
        result = await voice.say("two towels please", device=device)
        assert result.response.response_type is intent.IntentResponseType.ERROR
        assert speech(result) == (
            "This device is not in a room, so I cannot act for one."
        )
    result = await voice.say("请送两条毛巾过来", "zh-Hans", device="Lobby")
    assert speech(result) == "这台设备不在任何房间里，无法代表房间操作。"

    # The guest of Room 102 cannot use Room 101's satellite, but their own terminal.
    # (The first user Home Assistant creates is its owner: the manager.)
    admin = await hass.auth.async_create_user("Manager", group_ids=["system-admin"])
    guest = await hass.auth.async_create_user("Guest 102")
    assert voice.entry is not None
    sub = next(s for s in voice.entry.subentries.values() if s.title == "Room 102")
    hass.config_entries.async_update_subentry(
        voice.entry, sub, data={**sub.data, CONF_USERS: [guest.id]}
    )
    await hass.async_block_till_done()
    context = Context(user_id=guest.id)
    result = await voice.say("two towels please", device="Room 101", context=context)
    assert speech(result) == "You cannot act for Room 101 from here."
    assert voice.orders("Room 101") == []
    result = await voice.say("turn on do not disturb", device=None, context=context)
    assert (
        speech(result) == "Do not disturb is on for Room 102. Cleaning waits "
        "until you turn it off."
    )

    # An administrator without a satellite is in no room.
    result = await voice.say(
        "two towels please", device=None, context=Context(user_id=admin.id)
    )
    assert speech(result) == "I do not know which room you are in."


async def test_refusals_are_spoken_in_the_language(
    hass: HomeAssistant, voice: Voice
) -> None:
    # A paid service without a stay in a hotel: the integration's own refusal.
    result = await voice.say("confirm laundry")
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert speech(result).startswith("Sorry, that did not work: ")
    result = await voice.say("确认洗衣服务", "zh-Hans")
    assert speech(result).startswith("抱歉，操作未成功：")
    assert voice.orders("Room 101") == []
    # Unlocking is never voice operable.
    result = await voice.say("unlock compartment 1")
    assert result.response.intent is None or not (
        result.response.intent.intent_type.startswith("DoorService")
    )
    ours = [h for h in intent.async_get(hass) if h.intent_type.startswith("DoorS")]
    assert len(ours) == 6
    assert not any("unlock" in h.intent_type.lower() for h in ours)


async def test_book_a_cleaning_at_home_with_the_key(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    area = ar.async_get(hass).async_create("Flat 3")
    voice = await setup_voice(
        hass,
        tmp_path,
        site_entry(
            "Lakeside",
            "home",
            [
                cabinet("Lobby cabinet", 4),
                room("Flat 3", **{CONF_AREA: area.id}),
                worker("Anna", "cleaning"),
            ],
        ),
        [],
    )
    voice.areas["Flat 3"] = area.id
    voice.satellite("Flat 3", "Flat 3")
    result = await voice.say("is my key back", device="Flat 3")
    assert speech(result) == "We hold no key of yours."
    result = await voice.say(
        "book a deep cleaning tomorrow at 10, I'll leave the key", device="Flat 3"
    )
    answer = speech(result)
    (order,) = voice.orders("Flat 3")
    assert (order.service_type, order.has_key) == ("deep_cleaning", True)
    assert order.state is OrderState.AWAITING_DROPOFF
    assert order.scheduled_start is not None
    assert dt_util.as_local(order.scheduled_start).hour == 10
    assert answer.startswith(
        f"Deep cleaning is booked for tomorrow at 10:00: order {order.id}. "
        "Leave your key in Lobby cabinet, compartment "
    )
    assert "never read aloud" in answer
    # The drop-off code is never spoken (order ids hold at most 4 characters).
    assert not re.search(r"\d{5,}", answer)
    result = await voice.say("我的钥匙还回来了吗", "zh-Hans", device="Flat 3")
    assert speech(result) == f"订单 {order.id} 的钥匙还没有放进储物柜。"
    result = await voice.say("预约明天上午十点的深度清洁", "zh-Hans", device="Flat 3")
    assert speech(result).startswith("已预约明天 10:00的深度清洁（订单 ")
    result = await voice.say("book a deep cleaning", device="Flat 3")
    assert result.response.response_type is not intent.IntentResponseType.ACTION_DONE


async def test_custom_types_and_names_are_spoken(
    hass: HomeAssistant, tmp_path: Path
) -> None:
    catalog = ServiceCatalog.default().to_dict()[CONF_SERVICE_TYPES]
    catalog.append(
        {
            "id": "ironing",
            "name": "Ironing",
            "role": "housekeeping",
            "price": "0",
            "names": {"zh-Hans": "熨烫"},
        }
    )
    area = ar.async_get(hass).async_create("Room 101").id
    voice = await setup_voice(
        hass,
        tmp_path,
        site_entry(
            "Hotel Aurora",
            "hotel",
            [room("Room 101", **{CONF_AREA: area}), worker("Mei", "housekeeping")],
            options={CONF_SERVICE_TYPES: catalog},
        ),
        [],
    )
    voice.areas["Room 101"] = area
    voice.satellite("Room 101", "Room 101")
    answer, order = await voice.exchange("请熨烫", "zh-Hans")
    assert order.service_type == "ironing"
    assert "熨烫" in answer
    answer, order = await voice.exchange("ironing please")
    assert "Ironing" in answer
    values = service_values(voice.runtime.site.catalog, "zh-Hans")
    assert {"in": "熨烫", "out": "ironing"} in values


async def test_intents_are_llm_tools_with_descriptions(
    hass: HomeAssistant, voice: Voice
) -> None:
    assert await async_setup_component(hass, "llm", {})
    llm_context = llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant=conversation.DOMAIN,
        device_id=voice.devices["Room 101"],
    )
    api = await llm.async_get_api(hass, llm.LLM_API_ASSIST, llm_context)
    tools = {tool.name: tool for tool in api.tools}
    ours = {name for name in tools if name.startswith(f"{DOMAIN}__")}
    assert ours == {
        f"{DOMAIN}__DoorServiceRequestService",
        f"{DOMAIN}__DoorServicePrice",
        f"{DOMAIN}__DoorServiceOrderStatus",
        f"{DOMAIN}__DoorServiceDoNotDisturb",
        f"{DOMAIN}__DoorServiceBill",
        f"{DOMAIN}__DoorServiceBookCleaning",
    }
    for name in ours:
        assert tools[name].description
        assert "Execute Home Assistant" not in tools[name].description
    result = await api.async_call_tool(
        llm.ToolInput(
            tool_name=f"{DOMAIN}__DoorServiceRequestService",
            tool_args={"service": "Fresh towels", "quantity": 3},
        )
    )
    assert result.data["response_type"] == "action_done"
    (order,) = voice.orders("Room 101")
    assert (order.service_type, order.quantity) == ("towels", 3)
    assert voice.orders("Room 102") == []


async def test_where_the_key_is(
    hass: HomeAssistant, tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    area = ar.async_get(hass).async_create("Flat 3")
    voice = await setup_voice(
        hass,
        tmp_path,
        site_entry(
            "Lakeside",
            "home",
            [
                cabinet("Lobby cabinet", 4),
                room("Flat 3", **{CONF_AREA: area.id}),
                worker("Anna", "cleaning"),
            ],
        ),
        [],
    )
    voice.areas["Flat 3"] = area.id
    voice.satellite("Flat 3", "Flat 3")

    async def door() -> None:
        """The virtual person opens and closes the compartment's door."""
        for _ in range(2):
            freezer.tick(timedelta(seconds=2.5))
            async_fire_time_changed(hass)
            await hass.async_block_till_done()

    async def call(service: str, **data: Any) -> Any:
        return await hass.services.async_call(
            DOMAIN, service, data, blocking=True, return_response=True
        )

    async def key() -> str:
        return speech(await voice.say("is my key back", device="Flat 3"))

    booked = await call(
        "book_cleaning",
        room="Flat 3",
        start=(dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
        store_key=True,
    )
    order_id = booked["order"]["order_id"]
    (dropoff,) = booked["codes"]
    await call("unlock_compartment", cabinet="Lobby cabinet", code=dropoff["pin"])
    await door()
    assert await key() == (
        "Your key is in Lobby cabinet, compartment 1, waiting for the cleaner."
    )
    (pickup,) = (await call("accept_order", order_id=order_id, worker="Anna"))["codes"]
    await call("unlock_compartment", cabinet="Lobby cabinet", code=pickup["pin"])
    await door()
    assert await key() == "Anna has your key now."
    result = await voice.say("钥匙在哪", "zh-Hans", device="Flat 3")
    assert speech(result) == "您的钥匙现在在Anna手上。"
    (ret,) = (await call("complete_order", order_id=order_id, worker="Anna"))["codes"]
    await call("unlock_compartment", cabinet="Lobby cabinet", code=ret["pin"])
    await door()
    assert await key() == (
        "Your key is back in Lobby cabinet, compartment 1. Collect it with your code."
    )
    result = await voice.say("where is my standard cleaning", device="Flat 3")
    assert speech(result) == f"Standard cleaning (order {order_id}) is done."


async def test_slots_as_an_llm_fills_them(hass: HomeAssistant, voice: Voice) -> None:
    """The handlers take ids, names in either language, times and periods."""

    async def handle(intent_type: str, language: str = "en", **slots: Any) -> str:
        response = await intent.async_handle(
            hass,
            "test",
            intent_type,
            {key: {"value": value} for key, value in slots.items()},
            language=language,
            device_id=voice.devices["Room 101"],
        )
        await hass.async_block_till_done()
        return str(response.speech["plain"]["speech"])

    assert await handle("DoorServicePrice", service="迷你吧补货") == (
        "Minibar restock costs 20.00 EUR per unit."
    )
    assert await handle("DoorServicePrice", "zh-Hans", service="towels") == (
        "干净毛巾是免费的。"
    )
    assert await handle("DoorServicePrice", service="a pony") == (
        "Room 101 cannot order a pony."
    )
    answer = await handle(
        "DoorServiceRequestService",
        service="wake_up_call",
        day=2,
        hour=6,
        minute=30,
        period="am",
    )
    (order,) = voice.orders("Room 101")
    assert order.scheduled_start is not None
    start = dt_util.as_local(order.scheduled_start)
    assert start.strftime("%H:%M") == "06:30"
    day = start.date().isoformat()
    assert answer.endswith(f"is booked for {day} at 06:30: order {order.id}.")
    assert await handle("DoorServiceOrderStatus", service="wake-up call") == (
        f"Wake-up call (order {order.id}) is booked for {day} at 06:30."
    )
    answer = await handle(
        "DoorServiceRequestService", service="luggage", hour=12, period="noon", day=1
    )
    assert "tomorrow at 12:00" in answer
    answer = await handle(
        "DoorServiceRequestService", service="luggage", hour=12, period="am", day=1
    )
    assert "tomorrow at 00:00" in answer
    assert await handle("DoorServiceBookCleaning", service="deep cleaning") == (
        "Please say a time, for example tomorrow at 10."
    )
    assert await handle("DoorServiceBookCleaning", "zh-Hans", service="深度清洁") == (
        "请说一个时间，例如明天十点。"
    )
    answer = await handle("DoorServiceRequestService", service="Fresh towels")
    towels = next(o for o in voice.orders("Room 101") if o.service_type == "towels")
    await work(hass, towels.id, "accept", "start")
    assert await handle("DoorServiceOrderStatus", "zh-Hans", service="毛巾") == (
        "Mei正在进行干净毛巾。"
    )
