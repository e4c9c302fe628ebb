"""The public booking page, the private status page, the sticker and the QR.

Every path through real HTTP requests (``hass_client_no_auth``: no login, as a phone
that scanned the cabinet's QR code), the order driven through the real actions and
the virtual cabinet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import dataclasses
from datetime import timedelta
import html
import re
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)

from custom_components.doorservice.booking import (
    limits as limits_module,
    links,
    texts,
)
from custom_components.doorservice.booking.views import booking_state
from custom_components.doorservice.const import (
    CONF_BOOKING_TOKEN,
    CONF_COMPARTMENTS,
    CONF_DRIVER,
    CONF_OWNER_NOTIFY,
    CONF_PUBLIC_BOOKING,
    CONF_PUBLIC_RESERVE,
    DOMAIN,
)
from custom_components.doorservice.coordinator import SiteCoordinator
from custom_components.doorservice.core.events import CodeDelivery
from custom_components.doorservice.drivers.virtual import (
    DISPLAY_BOOKING_QR,
    DISPLAY_IDLE,
)
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util

from .conftest import setup_entry, site_entry, stored_state, worker

type Client = TestClient[Any, Any]
CAB = "Lobby cabinet"
TOKEN = "T" * 32
EXTERNAL = "https://door.example"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


def public_cabinet(
    compartments: int = 6, reserve: int = 1, **extra: Any
) -> ConfigSubentryData:
    return ConfigSubentryData(
        subentry_type="cabinet",
        title=CAB,
        unique_id=None,
        data={
            CONF_COMPARTMENTS: compartments,
            CONF_DRIVER: "virtual",
            CONF_PUBLIC_BOOKING: True,
            CONF_BOOKING_TOKEN: TOKEN,
            CONF_PUBLIC_RESERVE: reserve,
            **extra,
        },
    )


@pytest.fixture(autouse=True)
def roomy_address_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests book from one address many times; the rate test lowers it again."""
    monkeypatch.setattr(limits_module, "ADDRESS_BOOKINGS", (1000, 600.0))


@pytest.fixture
async def site(hass: HomeAssistant) -> MockConfigEntry:
    await hass.config.async_update(external_url=EXTERNAL)
    return await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            "home",
            [public_cabinet(address="12 Lake Road"), worker("Anna Berg", "cleaning")],
        ),
    )


@pytest.fixture
async def client(
    hass_client_no_auth: Callable[[], Awaitable[Client]],
) -> Client:
    return await hass_client_no_auth()


def book_path(token: str = TOKEN) -> str:
    return f"{links.BOOK_PATH}/{token}"


def form_token(page: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def element(page: str, element_id: str) -> str:
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>([^<]*)<', page)
    assert match, f"no #{element_id} in page"
    return html.unescape(match.group(1))


def has(page: str, element_id: str) -> bool:
    return f'id="{element_id}"' in page


def start_in(minutes: int = 10) -> str:
    return dt_util.as_local(dt_util.now() + timedelta(minutes=minutes)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def fields(**changes: Any) -> dict[str, str]:
    data = {
        "address": "12 Lake Road",
        "start": start_in(),
        "service_type": "standard_cleaning",
        "phone": "+49 170 1234567",
        "message": "The cat stays inside.",
        "store_key": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


async def post_booking(
    client: Client,
    token: str = TOKEN,
    headers: dict[str, str] | None = None,
    **changes: Any,
) -> tuple[ClientResponse, str]:
    form = await client.get(book_path(token), headers=headers)
    assert form.status == 200
    data = fields(**changes)
    data.setdefault("form_token", form_token(await form.text()))
    resp = await client.post(book_path(token), data=data, headers=headers)
    return resp, await resp.text()


async def call(hass: HomeAssistant, service: str, **data: Any) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


async def person(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the virtual person open and close the door."""
    for _ in range(2):
        freezer.tick(timedelta(seconds=2.5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


def orders(site: MockConfigEntry) -> list[str]:
    return [order.id for order in site.runtime_data.site.desk.book]


# --- the texts ------------------------------------------------------------------


def test_page_texts_match_in_both_languages() -> None:
    english, chinese = texts.TEXTS[texts.ENGLISH], texts.TEXTS[texts.CHINESE]
    assert set(english) == set(chinese)
    placeholder = re.compile(r"{(\w+)}")
    for key, value in english.items():
        assert sorted(placeholder.findall(value)) == sorted(
            placeholder.findall(chinese[key])
        ), key
    assert texts.pick_language("zh-TW,en;q=0.5") == texts.CHINESE
    assert texts.pick_language("de-DE,de;q=0.9,en;q=0.4,zh;q=0.3") == texts.ENGLISH
    assert texts.pick_language("fr;q=x, zh") == texts.CHINESE
    assert texts.pick_language("fr, de") == texts.ENGLISH
    assert texts.pick_language("*") == texts.ENGLISH
    assert texts.pick_language("zh;q=0") == texts.ENGLISH


# --- links ----------------------------------------------------------------------


async def test_bad_rotated_and_disabled_links_answer_404(
    hass: HomeAssistant, site: MockConfigEntry, client: Client
) -> None:
    page = await client.get(book_path())
    assert page.status == 200
    body = await page.text()
    assert "Book a visit" in body
    assert 'value="12 Lake Road"' in body  # prefilled for a home site
    assert "Standard cleaning" in body
    assert "EUR" in body
    assert "http://" not in body.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in body
    assert "src=" not in body
    assert page.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]

    for bad in ("", "x", TOKEN[:-1], TOKEN + "x", "t" * 32):
        resp = await client.get(f"{links.BOOK_PATH}/{bad}")
        assert resp.status == 404, bad
    resp = await client.post(book_path("nope"), data=fields(form_token="1.x"))
    assert resp.status == 404

    # Rotating kills the old link at once; the new one works.
    answer = await call(hass, "rotate_booking_link", cabinet=CAB)
    await hass.async_block_till_done()
    new_url = answer["booking_url"]
    assert new_url.startswith(f"{EXTERNAL}{links.BOOK_PATH}/")
    new_token = new_url.rsplit("/", 1)[1]
    assert new_token != TOKEN
    assert len(new_token) >= 22
    assert (await client.get(book_path())).status == 404
    assert (await client.get(book_path(new_token))).status == 200

    # Off: 404; on again: the same link (the token is kept).
    answer = await call(hass, "set_public_booking", cabinet=CAB, enabled=False)
    await hass.async_block_till_done()
    assert answer == {
        "cabinet": CAB,
        "public_booking": False,
        "reserve": 1,
        "booking_url": None,
    }
    assert (await client.get(book_path(new_token))).status == 404
    answer = await call(
        hass, "set_public_booking", cabinet=CAB, enabled=True, reserve=2
    )
    await hass.async_block_till_done()
    assert answer["booking_url"] == new_url
    assert answer["reserve"] == 2
    assert (await client.get(book_path(new_token))).status == 200


async def test_a_cabinet_turned_on_the_first_time_gets_a_token(
    hass: HomeAssistant, hass_read_only_user: Any
) -> None:
    from homeassistant.core import Context

    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            "home",
            [
                ConfigSubentryData(
                    subentry_type="cabinet",
                    title=CAB,
                    unique_id=None,
                    data={CONF_COMPARTMENTS: 2, CONF_DRIVER: "virtual"},
                )
            ],
        ),
    )
    sub = next(iter(entry.subentries.values()))
    assert CONF_BOOKING_TOKEN not in sub.data
    # Without an external URL there is no link to give, and a repair says why.
    answer = await call(hass, "set_public_booking", cabinet=CAB, enabled=True)
    await hass.async_block_till_done()
    assert answer["public_booking"] is True
    assert answer["booking_url"] is None
    sub = next(iter(entry.subentries.values()))
    assert len(sub.data[CONF_BOOKING_TOKEN]) >= 22
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"booking_url_missing_{entry.entry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "booking_url_missing"
    assert entry.runtime_data.cabinet_glue.qr_payloads == {sub.subentry_id: ""}
    # Only managers and the system change it.
    for service, data in (
        ("set_public_booking", {"enabled": False}),
        ("rotate_booking_link", {}),
        ("press_virtual_keypad", {"keys": "A"}),
    ):
        with pytest.raises(Unauthorized):
            await hass.services.async_call(
                DOMAIN,
                service,
                {"cabinet": CAB, **data},
                blocking=True,
                context=Context(user_id=hass_read_only_user.id),
            )
    # With an external URL (after the site reloads) the issue goes away.
    await hass.config.async_update(external_url=EXTERNAL)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert (
        ir.async_get(hass).async_get_issue(
            DOMAIN, f"booking_url_missing_{entry.entry_id}"
        )
        is None
    )


# --- the form -------------------------------------------------------------------


async def test_invalid_fields_are_refused_with_clear_messages(
    hass: HomeAssistant, site: MockConfigEntry, client: Client
) -> None:
    resp, page = await post_booking(
        client,
        address="",
        start="tomorrow",
        service_type="massage",
        phone="12ab",
        message="x" * 501,
        supply_sponges="99",
    )
    assert resp.status == 400
    assert element(page, "banner") == "Please check the marked fields."
    assert element(page, "error-address").startswith("Please give an address")
    assert element(page, "error-start") == "Please pick a date and time."
    assert element(page, "error-service_type") == "Please pick one of the services."
    assert element(page, "error-phone").startswith("Please give a phone number")
    assert element(page, "error-message").startswith("Please keep the message")
    assert element(page, "error-supply_sponges").startswith("Please give a number")
    assert "x" * 501 in page  # what was typed stays in the form
    assert orders(site) == []

    past = dt_util.as_local(dt_util.now() - timedelta(hours=1))
    resp, page = await post_booking(
        client, headers=ZH, start=past.strftime("%Y-%m-%dT%H:%M"), supply_sponges="1"
    )
    assert resp.status == 400
    assert element(page, "error-start") == "请选择将来的时间。"
    assert element(page, "error-supply_sponges") == "只剩 0 件。"  # no stock yet
    assert '<html lang="zh-Hans">' in page
    resp, page = await post_booking(client, start=start_in(60 * 24 * 91))
    assert element(page, "error-start") == "Please pick a time within the next 90 days."
    assert orders(site) == []


async def test_form_token_and_origin(
    hass: HomeAssistant, site: MockConfigEntry, client: Client
) -> None:
    runtime = site.runtime_data
    cabinet_id = next(iter(runtime.cabinets))
    for token in (
        "",
        "abc",
        "123.",
        links.form_token(runtime, "other-cabinet", dt_util.utcnow().timestamp()),
        links.form_token(runtime, cabinet_id, dt_util.utcnow().timestamp() - 3 * 3600),
        links.form_token(runtime, cabinet_id, dt_util.utcnow().timestamp() + 600),
    ):
        resp, page = await post_booking(client, form_token=token)
        assert resp.status == 403, token
        assert element(page, "banner").startswith("This form is too old")
    resp, page = await post_booking(client, headers={"Origin": "https://evil.example"})
    assert resp.status == 403
    assert orders(site) == []
    resp, page = await post_booking(client, headers={"Origin": "null"})
    assert resp.status == 200


async def test_rate_limits_per_address_cabinet_and_bad_links(
    hass: HomeAssistant,
    site: MockConfigEntry,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits = booking_state(hass).limits
    monkeypatch.setattr(limits.by_address, "limit", 2)
    resp, _ = await post_booking(client, phone="+49 1701", store_key=None)
    assert resp.status == 200
    resp, _ = await post_booking(client, address="")  # a refused try counts too
    assert resp.status == 400
    resp, page = await post_booking(client, phone="+49 1703", store_key=None)
    assert resp.status == 429
    assert element(page, "banner").startswith("Too many bookings from here")
    assert len(orders(site)) == 1

    monkeypatch.setattr(limits.by_address, "limit", 100)
    monkeypatch.setattr(limits.by_cabinet, "limit", 1)
    resp, page = await post_booking(client, phone="+49 1704", store_key=None)
    assert resp.status == 429
    assert element(page, "banner").startswith("This cabinet takes many bookings")
    assert len(orders(site)) == 1

    monkeypatch.setattr(limits.bad_tokens, "limit", 3)
    for _ in range(3):
        assert (await client.get(book_path("guess"))).status == 404
    # Now even the real link is refused from this address, and status guesses too.
    assert (await client.get(book_path())).status == 429
    assert (await client.get(f"{links.STATUS_PATH}/DS-AAAA/x")).status == 429


async def test_phone_cap(
    hass: HomeAssistant,
    site: MockConfigEntry,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(booking_state(hass).limits, "phone_open_bookings", 2)
    for _ in range(2):
        resp, _ = await post_booking(client, phone="+49 170 555 0000", store_key=None)
        assert resp.status == 200
    # The same number written differently is the same number.
    resp, page = await post_booking(client, phone="+4917055-50000", store_key=None)
    assert resp.status == 409
    assert element(page, "banner") == (
        "This phone number already has 2 open bookings. Please wait until one is done."
    )
    resp, page = await post_booking(
        client, headers=ZH, phone="+49 170 555 0000", store_key=None
    )
    assert element(page, "banner").startswith("此电话号码已有 2 个")
    assert len(orders(site)) == 2
    # Another number may book; a cancelled booking frees its place.
    resp, _ = await post_booking(client, phone="+49 170 555 0001", store_key=None)
    assert resp.status == 200
    await call(hass, "cancel_order", order_id=orders(site)[0])
    resp, _ = await post_booking(client, phone="+49 170 555 0000", store_key=None)
    assert resp.status == 200


async def test_full_cabinet_keeps_compartments_back(
    hass: HomeAssistant, hass_client_no_auth: Callable[[], Awaitable[Client]]
) -> None:
    await hass.config.async_update(external_url=EXTERNAL)
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            "home",
            [public_cabinet(3, reserve=1), worker("Anna", "cleaning")],
        ),
    )
    client = await hass_client_no_auth()
    for index in range(2):
        resp, _ = await post_booking(client, phone=f"+49 170 000 000{index}")
        assert resp.status == 200
    resp, page = await post_booking(client, phone="+49 170 000 0009")
    assert resp.status == 409
    assert element(page, "banner").startswith("The cabinet has no free compartment")
    assert len(orders(entry)) == 2
    # Without a key or supplies the visit needs no compartment.
    resp, _ = await post_booking(client, phone="+49 170 000 0009", store_key=None)
    assert resp.status == 200
    # With nothing kept back the last compartment may go too.
    await call(hass, "set_public_booking", cabinet=CAB, enabled=True, reserve=0)
    await hass.async_block_till_done()
    resp, _ = await post_booking(client, phone="+49 170 000 0008")
    assert resp.status == 200
    assert (
        entry.runtime_data.site.cabinets[
            next(iter(entry.runtime_data.cabinets))
        ].free_count()
        == 0
    )


async def test_a_refusal_of_the_domain_shows_in_the_page_language(
    hass: HomeAssistant,
    site: MockConfigEntry,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stock taken between the form's check and the booking: the domain refuses."""
    from custom_components.doorservice.booking import desk

    await call(
        hass,
        "restock_cabinet",
        cabinet=CAB,
        supplies=[{"sku": "sponges", "quantity": 1}],
    )
    parse = desk.parse_form

    def racing(*args: Any) -> Any:
        request, errors = parse(*args)
        assert request is not None
        return dataclasses.replace(request, supplies=(("sponges", 2),)), errors

    monkeypatch.setattr(desk, "parse_form", racing)
    resp, page = await post_booking(client, supply_sponges="1")
    assert resp.status == 409
    assert element(page, "banner") == (
        "Booking is not possible right now: Not enough sponges: 2 requested, "
        "1 available."
    )
    resp, page = await post_booking(client, headers=ZH, supply_sponges="1")
    assert element(page, "banner").startswith("现在无法预约:")
    assert orders(site) == []


async def test_supplies_with_prices_and_stock(
    hass: HomeAssistant, site: MockConfigEntry, client: Client
) -> None:
    await call(
        hass,
        "restock_cabinet",
        cabinet=CAB,
        supplies=[{"sku": "sponges", "quantity": 3}],
    )
    page = await (await client.get(book_path())).text()
    assert "Sponges (pack of 5)" in page
    assert "EUR 2.50 · 3 in stock" in page
    assert "out of stock" in page  # the others
    resp, page = await post_booking(client, store_key=None, supply_sponges="2")
    assert resp.status == 200
    # Standard cleaning (its catalog price) plus two sponges.
    service = site.runtime_data.site.catalog.get("standard_cleaning").price
    assert element(page, "cost") == f"EUR {service + 5:.2f}"
    assert not has(page, "dropoff")  # no key: no drop-off PIN
    order_id = element(page, "order-id")
    assert stored_state(site, order_id) == "offered"  # supplies wait in the cabinet
    page = await (await client.get(book_path())).text()
    assert "1 in stock" in page


# --- confirmation and status ----------------------------------------------------


async def test_status_page_through_every_state(
    hass: HomeAssistant,
    site: MockConfigEntry,
    client: Client,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    collected: list[CodeDelivery] = []
    publish = SiteCoordinator._publish

    def _publish(self: SiteCoordinator, events: Any, *args: Any) -> None:
        collected.extend(e for e in events if isinstance(e, CodeDelivery))
        publish(self, events, *args)

    monkeypatch.setattr(SiteCoordinator, "_publish", _publish)
    runtime = site.runtime_data

    # Somebody else's order, booked alongside: its codes must never show.
    _resp, other = await post_booking(client, phone="+49 170 999 9999")
    other_pin = element(other, "dropoff-pin")

    resp, page = await post_booking(client)
    assert resp.status == 200
    assert element(page, "title") == "Booked"
    order_id = element(page, "order-id")
    pin = element(page, "dropoff-pin")
    assert re.fullmatch(r"\d{6}", pin)
    assert "<svg" in page  # the PIN's QR, inline
    status = element(page, "status-link")
    assert status == EXTERNAL + links.status_path(runtime, order_id)
    status = status.removeprefix(EXTERNAL)
    assert other_pin not in page
    assert element(page, "cost").startswith("EUR ")
    assert "+49 170 1234567" not in page

    async def look(headers: dict[str, str] | None = None) -> str:
        resp = await client.get(status, headers=headers)
        assert resp.status == 200
        text = await resp.text()
        assert other_pin not in text
        for code in collected:
            if code.order_id != order_id:
                assert code.issued.pin not in text
        return text

    def state_of(text: str) -> str:
        return re.search(r'data-state="(\w+)"', text).group(1)  # type: ignore[union-attr]

    text = await look()
    assert state_of(text) == "awaiting_dropoff"
    assert element(text, "state") == "Waiting for your key"
    assert element(text, "dropoff-pin") == pin  # the owner's own drop-off PIN
    assert not has(text, "collect")
    assert 'http-equiv="refresh"' in text
    assert element(await look(ZH), "state") == "等待您存放钥匙"

    # The owner types the PIN on the keypad; the key is in: a cleaner is sought.
    cab = next(iter(runtime.cabinets.values()))
    cab.driver.press_keys(pin + "#")
    await hass.async_block_till_done()
    await person(hass, freezer)
    text = await look()
    assert state_of(text) == "offered"  # broadcast: Anna has it on her phone
    assert element(text, "state") == "Waiting for a cleaner"
    assert not has(text, "dropoff")
    assert not has(text, "collect")

    accepted = await call(hass, "accept_order", order_id=order_id, worker="Anna Berg")
    (pickup,) = accepted["codes"]
    text = await look()
    assert element(text, "state") == "Accepted by Anna"
    assert pickup["pin"] not in text
    assert not has(text, "collect")

    cab.driver.enter_code(pickup["pin"])
    await hass.async_block_till_done()
    await person(hass, freezer)
    text = await look()
    assert state_of(text) == "in_progress"
    assert element(text, "state-hint") == "Anna is working on your visit."

    done = await call(hass, "complete_order", order_id=order_id, worker="Anna Berg")
    (ret,) = done["codes"]
    text = await look()
    assert state_of(text) == "awaiting_return"
    assert ret["pin"] not in text
    assert not has(text, "collect")

    await call(hass, "unlock_compartment", cabinet=CAB, code=ret["pin"])
    await person(hass, freezer)
    text = await look()
    assert state_of(text) == "key_back"
    assert element(text, "state") == "Your key is back"
    collect_pin = element(text, "collect-pin")
    assert re.fullmatch(r"\d{6}", collect_pin)
    # The code on the page is the owner's live collect code: it opens the door.
    assert element(await look(), "collect-pin") == collect_pin  # stable on reload
    opened = await call(hass, "unlock_compartment", cabinet=CAB, code=collect_pin)
    assert opened["purpose"] == "collect"
    await person(hass, freezer)
    text = await look()
    assert order_id not in orders(site)  # closed: it left memory
    assert state_of(text) == "finished"
    assert not has(text, "collect")
    assert 'http-equiv="refresh"' not in text
    assert collect_pin not in text

    # The other order's status link shows only its own state.
    other_status = element(other, "status-link").removeprefix(EXTERNAL)
    text = await (await client.get(other_status)).text()
    assert element(text, "state") == "Waiting for your key"
    assert pin not in text
    assert collect_pin not in text

    # Wrong tokens, another order's token, an order not booked here: 404.
    other_id = element(other, "order-id")
    token = links.status_token(runtime, order_id)
    for path in (
        f"{links.STATUS_PATH}/{order_id}/{token[:-1]}x",
        f"{links.STATUS_PATH}/{other_id}/{token}",
        f"{links.STATUS_PATH}/{order_id}/{links.status_token(runtime, other_id)}",
    ):
        assert (await client.get(path)).status == 404, path
    booked = await call(
        hass,
        "book_cleaning",
        address="1 Lake Road",
        start=(dt_util.utcnow() + timedelta(hours=1)).isoformat(),
    )
    staff_order = booked["order"]["order_id"]
    path = links.status_path(runtime, staff_order)
    assert (await client.get(path)).status == 404


async def test_collect_code_after_restart_and_for_a_cancelled_order(
    hass: HomeAssistant,
    site: MockConfigEntry,
    client: Client,
    freezer: FrozenDateTimeFactory,
) -> None:
    runtime = site.runtime_data
    _resp, page = await post_booking(client)
    order_id = element(page, "order-id")
    status = element(page, "status-link").removeprefix(EXTERNAL)
    cab = next(iter(runtime.cabinets.values()))
    cab.driver.press_keys(element(page, "dropoff-pin") + "#")
    await hass.async_block_till_done()
    await person(hass, freezer)
    # Cancelled with the key in the cabinet: the key is back for its owner at once.
    await call(hass, "cancel_order", order_id=order_id)
    text = await (await client.get(status)).text()
    assert element(text, "state") == "Your key is back"
    first = element(text, "collect-pin")
    # Memory is lost (a restart): the page issues the collect code again, once.
    await hass.config_entries.async_reload(site.entry_id)
    await hass.async_block_till_done()
    booking_state(hass).codes.codes.clear()
    text = await (await client.get(status)).text()
    second = element(text, "collect-pin")
    assert second != first
    assert element(await (await client.get(status)).text(), "collect-pin") == second
    with pytest.raises(ServiceValidationError):
        await call(hass, "unlock_compartment", cabinet=CAB, code=first)
    await call(hass, "unlock_compartment", cabinet=CAB, code=second)
    await person(hass, freezer)
    # Collected: the order left memory; the real link still answers, empty.
    assert order_id not in orders(site)
    text = await (await client.get(status)).text()
    assert element(text, "state") == "This visit is over"
    assert second not in text


async def test_owner_notify_gets_the_status_link(
    hass: HomeAssistant, hass_client_no_auth: Callable[[], Awaitable[Client]]
) -> None:
    sent: list[ServiceCall] = []
    hass.services.async_register("notify", "sms", sent.append)
    await hass.config.async_update(external_url=EXTERNAL)
    entry = site_entry(
        "Lakeside",
        "home",
        [public_cabinet(), worker("Anna", "cleaning")],
        options={CONF_OWNER_NOTIFY: "notify.sms"},
    )
    await setup_entry(hass, entry)
    client = await hass_client_no_auth()
    resp, page = await post_booking(client, phone="+49 170 7654321")
    assert resp.status == 200
    order_id = element(page, "order-id")
    (message,) = sent
    assert message.data["target"] == ["+49170 7654321".replace(" ", "")]
    assert message.data["message"] == (
        f"Lakeside: your booking {order_id} is in. Follow it here: "
        f"{EXTERNAL}{links.status_path(entry.runtime_data, order_id)}"
    )
    assert element(page, "dropoff-pin") not in message.data["message"]
    assert "We also sent this link to •••321." in page

    # A notify action that fails does not fail the booking.
    def broken(_call: ServiceCall) -> None:
        raise RuntimeError("gateway down")

    hass.services.async_register("notify", "sms", broken)
    resp, page = await post_booking(client, phone="+49 170 7654322")
    assert resp.status == 200
    assert "We also sent" not in page


# --- the cabinet: image, display, sticker ---------------------------------------


async def test_qr_image_display_and_sticker(
    hass: HomeAssistant,
    site: MockConfigEntry,
    hass_client: Callable[..., Awaitable[Client]],
    hass_read_only_access_token: str,
    freezer: FrozenDateTimeFactory,
) -> None:
    runtime = site.runtime_data
    cab = next(iter(runtime.cabinets.values()))
    url = f"{EXTERNAL}{book_path()}"
    assert runtime.cabinet_glue.qr_payloads == {cab.cabinet_id: url}
    assert cab.driver.state.qr_payload == url

    admin = await hass_client()
    state = hass.states.get("image.lobby_cabinet_booking_qr_code")
    resp = await admin.get(state.attributes["entity_picture"])
    assert resp.status == 200
    assert resp.content_type == "image/png"
    from custom_components.doorservice.cabinet_glue import qr_png

    assert await resp.read() == qr_png(url)

    # Keypad A: the booking QR on the display for 60 s, then the idle screen.
    assert cab.driver.display == DISPLAY_IDLE
    await call_keys(hass, "12A")
    assert cab.driver.display == DISPLAY_BOOKING_QR
    freezer.tick(timedelta(seconds=59))
    async_fire_time_changed(hass)
    assert cab.driver.display == DISPLAY_BOOKING_QR
    freezer.tick(timedelta(seconds=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert cab.driver.display == DISPLAY_IDLE
    await call_keys(hass, "*#")  # cleared: nothing is entered

    # The printable sticker: administrators only.
    sticker = f"{links.STICKER_PATH}/{cab.cabinet_id}"
    resp = await admin.get(f"{sticker}.svg")
    assert resp.status == 200
    assert resp.content_type == "image/svg+xml"
    svg = await resp.text()
    assert CAB in svg
    assert "Scan to book" in svg
    assert "<svg" in svg
    assert "attachment" in resp.headers["Content-Disposition"]
    resp = await admin.get(f"{sticker}.png")
    assert resp.status == 200
    assert (await resp.read()).startswith(b"\x89PNG\r\n\x1a\n")
    assert (await admin.get(f"{sticker}.gif")).status == 404
    assert (await admin.get(f"{links.STICKER_PATH}/nope.svg")).status == 404
    reader = await hass_client(hass_read_only_access_token)
    assert (await reader.get(f"{sticker}.svg")).status == 401

    # Without an external URL: no sticker, and the image says what to set.
    await hass.config.async_update(external_url=None)
    assert (await admin.get(f"{sticker}.svg")).status == 409
    resp = await admin.get(state.attributes["entity_picture"])
    assert resp.content_type == "image/svg+xml"
    assert b"No external URL" in await resp.read()


async def call_keys(hass: HomeAssistant, keys: str) -> None:
    await hass.services.async_call(
        DOMAIN, "press_virtual_keypad", {"cabinet": CAB, "keys": keys}, blocking=True
    )
    await hass.async_block_till_done()


async def test_keypad_action_needs_a_virtual_cabinet(
    hass: HomeAssistant, site: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    cab = next(iter(site.runtime_data.cabinets.values()))
    monkeypatch.setattr(cab, "driver", object())
    with pytest.raises(ServiceValidationError) as err:
        await call_keys(hass, "A")
    assert err.value.translation_key == "not_a_virtual_cabinet"


async def test_no_secret_reaches_states_logs_or_diagnostics(
    hass: HomeAssistant,
    site: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[Client]],
    hass_client: Callable[..., Awaitable[Client]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    from homeassistant.setup import async_setup_component

    assert await async_setup_component(hass, "diagnostics", {})
    client = await hass_client_no_auth()
    _resp, page = await post_booking(client, phone="+49 170 3141592")
    pin = element(page, "dropoff-pin")
    status = element(page, "status-link")
    states = str([s.as_dict() for s in hass.states.async_all()])
    # Our own log lines (Home Assistant's HTTP debug log names every request path,
    # as it does for webhooks).
    ours = "\n".join(
        r.getMessage() for r in caplog.records if r.name.startswith(DOMAIN)
    ) + "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.doorservice")
    )
    diagnostics = str(await get_diagnostics_for_config_entry(hass, hass_client, site))
    for secret in (pin, "3141592", status, TOKEN):
        assert secret not in states
        assert secret not in ours
        assert secret not in diagnostics


async def test_owner_notify_option_in_the_site_policy(hass: HomeAssistant) -> None:
    from homeassistant.data_entry_flow import FlowResultType

    hass.services.async_register("notify", "sms", lambda call: None)
    entry = await setup_entry(hass, site_entry("Lakeside", "home", [public_cabinet()]))
    policy = {
        "dispatch_strategy": "broadcast",
        "acceptance_timeout": 10,
        "code_validity": 48,
        "offline_repair_after": 5,
        "retention_days": 90,
    }
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "policy"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**policy, CONF_OWNER_NOTIFY: "notify.nobody"}
    )
    assert result["errors"] == {CONF_OWNER_NOTIFY: "notify_service_not_found"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**policy, CONF_OWNER_NOTIFY: " notify.sms "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options == {**policy, CONF_OWNER_NOTIFY: "notify.sms"}


def test_sliding_window_forgets_old_hits_and_old_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = limits_module.SlidingWindow(2, 10.0)
    window.hit("a", now=0.0)
    window.hit("a", now=1.0)
    assert window.exceeded("a", now=5.0)
    assert not window.exceeded("a", now=10.5)  # the first hit is out of the window
    monkeypatch.setattr(limits_module, "MAX_KEYS", 2)
    window.hit("b", now=11.0)
    window.hit("c", now=11.0)  # "a" is forgotten to make room
    assert set(window._hits) == {"b", "c"}


async def test_virtual_keypad_without_a_link_shows_no_qr(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_entry(
        hass,
        site_entry(
            "Lakeside",
            "home",
            [
                ConfigSubentryData(
                    subentry_type="cabinet",
                    title=CAB,
                    unique_id=None,
                    data={CONF_COMPARTMENTS: 2, CONF_DRIVER: "virtual"},
                )
            ],
        ),
    )
    driver = next(iter(entry.runtime_data.cabinets.values())).driver
    entered: list[str] = []
    driver.enter_code = entered.append  # type: ignore[method-assign]
    driver.press_keys("B1234C*56#A#")
    assert entered == ["56"]  # B, C ignored; * cleared; an empty # enters nothing
    assert driver.display == DISPLAY_IDLE  # no booking link: A shows nothing
    await driver.async_show_qr("https://door.example/doorservice/book/x")
    driver.press_keys("A")
    driver.press_keys("A")  # again: the minute starts over
    assert driver.display == DISPLAY_BOOKING_QR
    await driver.async_stop()
