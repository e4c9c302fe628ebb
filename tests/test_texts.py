"""What people read: per-site lists, guest requests only during a stay, texts."""

from __future__ import annotations

import json
from pathlib import Path
import re
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.doorservice.const import DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .conftest import setup_entry
from .trust_scenario import (
    MANAGER,
    ROOM_102,
    STAFF,
    SYSTEM,
    async_hotel,
    snapshot,
)

PACKAGE = Path(__file__).parents[1] / "custom_components" / "doorservice"
TAG = re.compile(r"<[^>]*>")


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in _texts(value)]
    return [node] if isinstance(node, str) else []


@pytest.mark.parametrize(
    "path", ["strings.json", "translations/en.json", "translations/zh-Hans.json"]
)
def test_no_text_has_a_tag(path: str) -> None:
    """The frontend reads <word> as a tag: "Translation error: UNCLOSED_TAG"."""
    texts = _texts(json.loads((PACKAGE / path).read_text(encoding="utf-8")))
    assert [text for text in texts if TAG.search(text)] == []


async def test_a_home_gets_only_its_own_lists(
    hass: HomeAssistant, home_entry: MockConfigEntry, hotel_entry: MockConfigEntry
) -> None:
    """A home site has no hotel lists (food, linen, concierge...); a hotel has."""
    await setup_entry(hass, home_entry)
    await setup_entry(hass, hotel_entry)
    home = sorted(
        s.entity_id
        for s in hass.states.async_all("todo")
        if s.entity_id.startswith("todo.lakeside_")
        and s.entity_id.endswith("_requests")
    )
    assert home == ["todo.lakeside_cleaning_requests"]
    hotel = {
        s.entity_id: s.attributes["friendly_name"]
        for s in hass.states.async_all("todo")
        if s.entity_id.startswith("todo.hotel_aurora_")
        and s.entity_id.endswith("_requests")
    }
    assert hotel["todo.hotel_aurora_linen_requests"] == "Hotel Aurora Linen requests"
    assert hotel["todo.hotel_aurora_assistance_requests"] == (
        "Hotel Aurora Assistance requests"
    )
    assert "todo.hotel_aurora_food_requests" in hotel
    booking = await hass.services.async_call(
        DOMAIN,
        "get_catalog",
        {"site": "Lakeside"},
        blocking=True,
        return_response=True,
    )
    assert booking is not None
    assert [t["service_type"] for t in booking["service_types"]] == [
        "standard_cleaning",
        "deep_cleaning",
    ]


async def test_an_empty_room_raises_no_guest_requests(hass: HomeAssistant) -> None:
    """Room 102 has no guest: its terminal is refused, staff and managers are not."""
    hotel = await async_hotel(hass)
    before = snapshot(hotel)
    with pytest.raises(ServiceValidationError) as refused:
        await hotel.call(
            "room_102", "request_service", {"room": ROOM_102, "service_type": "towels"}
        )
    assert refused.value.translation_key == "room_has_no_stay"
    assert refused.value.translation_placeholders == {"room": ROOM_102}
    assert snapshot(hotel) == before
    for who in (STAFF, MANAGER, SYSTEM):
        done = await hotel.call(
            who, "request_service", {"room": ROOM_102, "service_type": "call_staff"}
        )
        assert done["order"]["service_type"] == "call_staff"
    # With a guest checked in, the room's terminal asks again and is heard.
    await hotel.call(SYSTEM, "check_in", {"room": ROOM_102, "guest_name": "Bo"})
    done = await hotel.call(
        "room_102", "request_service", {"room": ROOM_102, "service_type": "call_staff"}
    )
    assert done["order"]["state"] in ("queued", "offered")
