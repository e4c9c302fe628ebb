"""``reissue_code``: a holder gets fresh codes for their own hop; the old ones die.

It is also the owner's way to the collect code when the key came back through a
board with door sensors (the return completes when the door closes, an answer to
nobody).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.doorservice.const import CONF_USER_ID, DOMAIN
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.util import dt as dt_util

from .conftest import cabinet, setup_entry, site_entry, stored_state, worker

CAB = "Lobby cabinet"


async def call(
    hass: HomeAssistant, service: str, context: Context | None = None, **data: Any
) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True, context=context
    )
    assert response is not None
    return dict(response)


async def person(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the virtual person open and close the door."""
    for _ in range(2):
        freezer.tick(timedelta(seconds=2.5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_the_owner_renews_the_collect_code_and_the_worker_their_pickup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: User,
    hass_read_only_user: User,
) -> None:
    anna_user = await hass.auth.async_create_user("Anna", group_ids=["system-users"])
    entry: MockConfigEntry = site_entry(
        "Lakeside",
        "home",
        [cabinet(CAB, 3), worker("Anna", "cleaning", **{CONF_USER_ID: anna_user.id})],
    )
    await setup_entry(hass, entry)
    owner = Context(user_id=hass_admin_user.id)
    anna = Context(user_id=anna_user.id)
    booked = await call(
        hass,
        "book_cleaning",
        owner,
        address="1 Lake Road",
        start=(dt_util.utcnow() + timedelta(minutes=10)).isoformat(),
        store_key=True,
    )
    order_id = booked["order"]["order_id"]
    (dropoff,) = booked["codes"]

    # The owner renews the drop-off code: the old one no longer opens anything.
    (fresh,) = (await call(hass, "reissue_code", owner, order_id=order_id))["codes"]
    assert fresh["purpose"] == "dropoff"
    assert fresh["pin"] != dropoff["pin"]
    with pytest.raises(ServiceValidationError):
        await call(hass, "unlock_compartment", cabinet=CAB, code=dropoff["pin"])
    await call(hass, "unlock_compartment", cabinet=CAB, code=fresh["pin"])
    await person(hass, freezer)
    assert stored_state(entry, order_id) == "offered"

    # Nobody else gets a code of this order.
    with pytest.raises(Unauthorized):
        await call(
            hass,
            "reissue_code",
            Context(user_id=hass_read_only_user.id),
            order_id=order_id,
        )

    # The worker renews their own pickup code (not the owner's).
    await call(hass, "accept_order", anna, order_id=order_id, worker="Anna")
    (pickup,) = (await call(hass, "reissue_code", anna, order_id=order_id))["codes"]
    assert (pickup["purpose"], pickup["holder"]) == ("pickup", "Anna")
    await call(hass, "unlock_compartment", cabinet=CAB, code=pickup["pin"])
    await person(hass, freezer)
    assert stored_state(entry, order_id) == "in_progress"
    ret = (await call(hass, "complete_order", anna, order_id=order_id, worker="Anna"))[
        "codes"
    ][0]
    await call(hass, "unlock_compartment", cabinet=CAB, code=ret["pin"])
    await person(hass, freezer)  # the key is back when the door closes
    assert stored_state(entry, order_id) == "completed"

    # The collect code reached nobody yet: the owner asks for it.
    # Anna's own codes are all used: she gets none, and never the owner's.
    with pytest.raises(ServiceValidationError, match="no code of yours"):
        await call(hass, "reissue_code", anna, order_id=order_id)
    (collect,) = (await call(hass, "reissue_code", owner, order_id=order_id))["codes"]
    assert (collect["purpose"], collect["holder"]) == ("collect", "owner")
    await call(hass, "unlock_compartment", cabinet=CAB, code=collect["pin"])
    await person(hass, freezer)
    assert stored_state(entry, order_id) == "closed"
