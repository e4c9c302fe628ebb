"""Bad input: bounded dates, empty optional texts, paid requests without a stay, and
phone numbers that leave an order when it closes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .conftest import stored_order
from .trust_scenario import (
    PHONE,
    ROOM_101,
    ROOM_102,
    SYSTEM,
    WORKER_B,
    async_hotel,
    snapshot,
    tomorrow,
)

FAR = ["9999-12-31T23:59:59", "9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00"]


@pytest.mark.parametrize("when", [*FAR, "@three_years", "2001-01-01T10:00"])
@pytest.mark.parametrize(
    ("action", "field", "data"),
    [
        ("book_cleaning", "start", {"address": "Road 1"}),
        ("book_cleaning", "end", {"address": "Road 1", "start": "@tomorrow"}),
        ("check_in", "ends_at", {"room": ROOM_102, "guest_name": "Bob"}),
        ("get_orders", "start", {}),
        ("get_orders", "end", {}),
    ],
)
async def test_dates_are_bounded(
    hass: HomeAssistant, action: str, field: str, data: dict[str, str], when: str
) -> None:
    hotel = await async_hotel(hass)
    payload = {k: tomorrow() if v == "@tomorrow" else v for k, v in data.items()}
    payload[field] = (
        (dt_util.now() + timedelta(days=3 * 365)).isoformat()
        if when == "@three_years"
        else when
    )
    if action == "get_orders" and when.startswith("2001"):
        await hotel.call(SYSTEM, action, payload)  # history may be asked for
        return
    before = snapshot(hotel)
    with pytest.raises(ServiceValidationError) as err:
        await hotel.call(SYSTEM, action, payload)
    assert err.value.translation_key == "date_out_of_range"
    assert field in str(err.value)
    assert snapshot(hotel) == before


async def test_empty_optional_texts_are_absent(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    booked = await hotel.call(
        SYSTEM,
        "book_cleaning",
        {"address": "Road 1", "start": tomorrow(), "message": "  "},
    )
    assert booked["order"]["message"] is None
    asked = await hotel.call(
        SYSTEM,
        "request_service",
        {"room": ROOM_101, "service_type": "towels", "details": ""},
    )
    order_id = asked["order"]["order_id"]
    assert asked["order"]["message"] is None
    await hotel.call(SYSTEM, "assign_order", {"order_id": order_id, "worker": WORKER_B})
    declined = await hotel.call(
        SYSTEM,
        "decline_order",
        {"order_id": order_id, "worker": WORKER_B, "reason": ""},
    )
    assert declined["order"]["history"][-1]["note"] is None
    cancelled = await hotel.call(
        SYSTEM, "cancel_order", {"order_id": order_id, "reason": ""}
    )
    assert cancelled["order"]["state"] == "cancelled"


async def test_paid_request_needs_a_stay(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    before = snapshot(hotel)
    for action, data in (
        ("request_service", {"room": ROOM_102, "service_type": "minibar"}),
        (
            "book_cleaning",
            {"room": ROOM_102, "service_type": "laundry", "start": tomorrow()},
        ),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hotel.call(SYSTEM, action, data)
        assert err.value.translation_key == "paid_request_needs_stay"
        assert ROOM_102 in str(err.value)
    assert snapshot(hotel) == before
    # Free requests need no stay; with a stay, paid ones are taken (and billed).
    await hotel.call(
        SYSTEM, "request_service", {"room": ROOM_102, "service_type": "towels"}
    )
    await hotel.call(SYSTEM, "check_in", {"room": ROOM_102, "guest_name": "Bob"})
    await hotel.call(
        SYSTEM, "request_service", {"room": ROOM_102, "service_type": "minibar"}
    )


async def test_phone_is_erased_when_an_order_closes(hass: HomeAssistant) -> None:
    hotel = await async_hotel(hass)
    order_id = hotel.orders["x"]
    assert stored_order(hotel.entry, order_id)["contact_phone"] == PHONE
    await hotel.call(SYSTEM, "cancel_order", {"order_id": order_id})
    assert stored_order(hotel.entry, order_id)["contact_phone"] is None
