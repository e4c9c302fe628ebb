"""Fuzzing every action with random valid and invalid payloads from every role.

Hypothesis generates the programs (deterministically: ``derandomize``); they are
replayed against one real hotel (tests/trust_scenario.py) with real Home Assistant
users. After every call:

* nothing but a Home Assistant error (``HomeAssistantError`` and its subclasses:
  ``ServiceValidationError``, ``Unauthorized``) or ``vol.Invalid`` came out;
* DESIGN.md's invariants hold (the core's ``invariant_violations`` and indexes,
  legal time-ordered histories that only grow, stock >= 0, folio totals);
* a refused or rejected call changed nothing (site and every entity state), except
  a wrong code at the cabinet, which is counted by design;
* codes in a response belong to the caller (their order, or their own worker), and
  no response to anyone but a manager or the system holds a phone number.

At the end no code issued during the run (PIN or QR token) appears in a state, a
bus event, a persistent notification or a log line. The counts are printed (run
with ``-s`` to see them) and logged.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
import json
import logging
import re
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from hypothesis import HealthCheck, given, settings, strategies as st
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.doorservice.core.orders import OrderState, is_legal_transition
from homeassistant.components import persistent_notification
from homeassistant.const import MATCH_ALL
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, Unauthorized
from homeassistant.util import dt as dt_util

from .trust_scenario import (
    CAB,
    MANAGER,
    PHONE,
    PLAIN,
    READ_ONLY,
    ROLE_TABLE,
    ROOM_101,
    ROOM_102,
    ROOM_TERMINAL,
    STAFF,
    SYSTEM,
    WORKER_A,
    WORKER_B,
    Hotel,
    async_hotel,
    snapshot,
)

LOGGER = logging.getLogger(__name__)

PROGRAMS = 260
STEPS = 20
"""260 programs of 20 calls: 5,200 calls."""

WHO = [MANAGER, SYSTEM, STAFF, "staff_b", ROOM_TERMINAL, "room_102", READ_ONLY, PLAIN]
WORKERS_OF = {STAFF: WORKER_A, "staff_b": WORKER_B}

# --- values: mostly valid ones, often invalid ones -------------------------------


def mostly[T](
    valid: st.SearchStrategy[T], invalid: st.SearchStrategy[Any], one_in: int = 8
) -> st.SearchStrategy[Any]:
    """``valid`` values, and once in ``one_in`` draws an ``invalid`` one."""
    # Hypothesis leans to small numbers: the invalid draw is the largest one.
    return st.integers(1, one_in).flatmap(lambda n: invalid if n == one_in else valid)


JUNK = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.just({"nested": "dict"}),
)
TEXT = mostly(
    st.one_of(st.sampled_from(["", "   ", "please knock"]), st.text(max_size=20)),
    st.one_of(st.just("x" * 600), JUNK),
)
ORDER = mostly(
    st.tuples(st.just("@order"), st.integers(0, 200)),
    st.sampled_from(["DS-ZZZZ", "ds-2222", "nope"]),
)
ROOM = mostly(
    st.sampled_from([ROOM_101, ROOM_101, ROOM_102, ROOM_102, "Room 999", ""]), JUNK
)
WORKER = mostly(st.sampled_from([WORKER_A, WORKER_A, WORKER_B, "Nobody"]), JUNK)
CABINET = mostly(st.sampled_from([CAB, CAB, CAB, "Other cabinet"]), JUNK)
WHEN = mostly(
    st.sampled_from(["@soon", "@tomorrow", "@hour_ago"]),
    st.one_of(
        st.sampled_from(
            [
                "@three_years",
                "9999-12-31T23:59:59",
                "0001-01-01T00:00:00",
                "2001-01-01T10:00",
                "not a date",
            ]
        ),
        JUNK,
    ),
    one_in=5,
)
SERVICE_TYPE = mostly(
    st.sampled_from(
        ["towels", "room_cleaning", "standard_cleaning", "minibar", "repair", "nope"]
    ),
    JUNK,
)
QUANTITY = mostly(st.integers(1, 5), st.one_of(st.integers(-2, 120), JUNK))
SUPPLIES = mostly(
    st.lists(
        st.fixed_dictionaries(
            {"sku": mostly(st.just("sponges"), st.sampled_from(["nope", ""]))},
            optional={"quantity": QUANTITY},
        ),
        min_size=1,
        max_size=3,
    ),
    JUNK,
)
BOOL = mostly(st.booleans(), JUNK)
CODE = mostly(
    st.tuples(st.just("@pin"), st.integers(0, 50)),
    st.one_of(st.text(alphabet="0123456789", min_size=1, max_size=8), JUNK),
    one_in=3,
)
EXTRA = {"bogus": JUNK}
TIMES = {
    "@soon": timedelta(hours=3),
    "@tomorrow": timedelta(days=1),
    "@later": timedelta(days=2),
    "@hour_ago": -timedelta(hours=1),
    "@three_years": timedelta(days=3 * 365),
}

FIELDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # action: (required fields, optional fields)
    "book_cleaning": (
        {"start": WHEN},
        {
            "address": mostly(st.sampled_from(["Private Road 9", "Elm St 2"]), TEXT),
            "room": ROOM,
            "end": mostly(st.just("@later"), WHEN, one_in=3),
            "service_type": SERVICE_TYPE,
            "contact_phone": mostly(st.just(PHONE), st.sampled_from(["call me", ""])),
            "message": TEXT,
            "store_key": BOOL,
            "supplies": SUPPLIES,
            "cabinet": CABINET,
            "site": mostly(st.just("Hotel Aurora"), st.just("Nowhere")),
        },
    ),
    "request_service": (
        {"room": ROOM, "service_type": SERVICE_TYPE},
        {"details": TEXT, "quantity": QUANTITY},
    ),
    "assign_order": ({"order_id": ORDER}, {"worker": WORKER}),
    "accept_order": ({"order_id": ORDER, "worker": WORKER}, {}),
    "decline_order": ({"order_id": ORDER, "worker": WORKER}, {"reason": TEXT}),
    "give_back_order": ({"order_id": ORDER, "worker": WORKER}, {"reason": TEXT}),
    "start_order": ({"order_id": ORDER, "worker": WORKER}, {}),
    "complete_order": ({"order_id": ORDER, "worker": WORKER}, {"note": TEXT}),
    "cancel_order": ({"order_id": ORDER}, {"reason": TEXT}),
    "reissue_code": ({"order_id": ORDER}, {"worker": WORKER}),
    "get_orders": (
        {},
        {
            "state": mostly(
                st.lists(st.sampled_from([s.value for s in OrderState]), max_size=3),
                JUNK,
            ),
            "worker": WORKER,
            "room": ROOM,
            "start": WHEN,
            "end": WHEN,
            "limit": mostly(st.integers(1, 100), st.one_of(st.integers(), JUNK)),
        },
    ),
    "check_in": (
        {"room": ROOM, "guest_name": mostly(st.just("Ada Guest"), TEXT)},
        {
            "language": mostly(st.sampled_from(["en", "zh-Hans"]), st.just("xx")),
            "notify_target": mostly(
                st.just("notify.tablet"), st.sampled_from(["light.x", ""])
            ),
            "ends_at": WHEN,
        },
    ),
    "check_out": ({"room": ROOM}, {}),
    "get_catalog": ({}, {"room": ROOM, "site": st.sampled_from(["Hotel Aurora", "x"])}),
    "get_room_appliances": ({"room": ROOM}, {}),
    "get_folio": ({"room": ROOM}, {}),
    "request_appliance_change": (
        {
            "room": ROOM,
            "appliance": mostly(st.just("light"), st.sampled_from(["nope", ""])),
            "state": mostly(st.sampled_from(["on", "off"]), st.sampled_from(["up"])),
            "reason": TEXT,
        },
        {"value": st.one_of(st.floats(0, 100), JUNK)},
    ),
    "set_do_not_disturb": ({"room": ROOM, "on": BOOL}, {}),
    "unlock_compartment": ({"cabinet": CABINET, "code": CODE}, {}),
    "confirm_compartment": (
        {"cabinet": CABINET, "compartment": mostly(st.integers(1, 6), JUNK)},
        {},
    ),
    "purchase_supplies": ({"order_id": ORDER, "supplies": SUPPLIES}, {}),
    "restock_cabinet": ({"cabinet": CABINET}, {"supplies": SUPPLIES}),
    "refresh_calendars": (
        {},
        {"site": mostly(st.just("Hotel Aurora"), st.just("Nowhere"))},
    ),
    "press_virtual_keypad": (
        {
            "cabinet": CABINET,
            "keys": mostly(st.sampled_from(["A", "*", "12#", "B"]), TEXT),
        },
        {},
    ),
    # A real cabinet's link change reloads the site (tests/test_booking_page.py):
    # here only refusals of unknown cabinets and bad fields.
    "set_public_booking": (
        {"cabinet": st.sampled_from(["Nowhere", ""]), "enabled": BOOL},
        {"reserve": st.one_of(st.integers(-1, 300), JUNK)},
    ),
    "rotate_booking_link": ({"cabinet": st.sampled_from(["Nowhere", ""])}, {}),
}
assert set(FIELDS) == set(ROLE_TABLE)


def payload(action: str) -> st.SearchStrategy[dict[str, Any]]:
    """Random payloads of ``action``: a field may be missing, junk, or extra."""
    required, optional = FIELDS[action]
    if action == "book_cleaning":  # an address or a room, seldom both or neither
        address = optional["address"]
        rest = {k: v for k, v in optional.items() if k not in ("address", "room")}
        return mostly(
            st.one_of(
                st.fixed_dictionaries({**required, "address": address}, optional=rest),
                st.fixed_dictionaries({**required, "room": ROOM}, optional=rest),
            ),
            st.fixed_dictionaries(required, optional={**optional, **EXTRA}),
            one_in=6,
        )
    return mostly(
        st.fixed_dictionaries(required, optional=optional),
        st.fixed_dictionaries(required, optional={**optional, **EXTRA}),
        one_in=20,
    )


def uniform[T](choices: list[T]) -> st.SearchStrategy[T]:
    """One of ``choices``, evenly (``sampled_from`` leans to the first ones)."""
    return st.integers(0, 2**32).map(lambda n: choices[n % len(choices)])


STEP = st.tuples(uniform(WHO), uniform(sorted(FIELDS))).flatmap(
    lambda pair: payload(pair[1]).map(lambda data: (pair[0], pair[1], data))
)


def generate_programs() -> list[list[tuple[str, str, dict[str, Any]]]]:
    """The programs to replay, from Hypothesis (deterministic)."""
    programs: list[list[tuple[str, str, dict[str, Any]]]] = []

    @settings(
        max_examples=PROGRAMS,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(STEP, min_size=STEPS, max_size=STEPS))
    def collect(steps: list[tuple[str, str, dict[str, Any]]]) -> None:
        programs.append(steps)

    collect()
    return programs


# --- replay --------------------------------------------------------------------


class Fuzz:
    """The replay state: what was issued, what was seen, and the counts."""

    def __init__(self, hotel: Hotel) -> None:
        self.hotel = hotel
        self.orders: list[str] = list(hotel.orders.values())
        self.pins: list[str] = list(hotel.pins.values())
        self.tokens: list[str] = []
        self.history: dict[str, int] = {}
        self.counts: Counter[str] = Counter()
        self.accepted: Counter[str] = Counter()
        self.unhandled: list[str] = []

    def resolve(self, value: Any) -> Any:
        """Put known order ids, codes and times in for the placeholders."""
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, tuple) and value and value[0] == "@order":
            # Mostly a live order (in memory), sometimes any order ever seen.
            live = [o.id for o in self.hotel.entry.runtime_data.site.desk.book]
            pool = live if live and value[1] % 4 else self.orders
            return pool[value[1] % len(pool)]
        if isinstance(value, tuple) and value and value[0] == "@pin":
            return self.pins[value[1] % len(self.pins)] if self.pins else "000000"
        if isinstance(value, str) and value in TIMES:
            return (dt_util.now() + TIMES[value]).isoformat()
        return value

    def learn(self, response: Any) -> None:
        """Remember the order ids and codes a response gave."""
        if not isinstance(response, dict):
            return
        order = response.get("order")
        if isinstance(order, dict) and order["order_id"] not in self.orders:
            self.orders.append(order["order_id"])
        for code in response.get("codes", ()):
            self.pins.append(code["pin"])
            self.tokens.append(code["qr_token"])

    def check_response(self, who: str, response: Any) -> None:
        """Codes only for their holder; no phone number for anyone."""
        text = json.dumps(response, default=str)
        assert PHONE not in text, f"a phone number reached {who}"
        if who in (MANAGER, SYSTEM) or not isinstance(response, dict):
            return
        site = self.hotel.entry.runtime_data.site
        user_id = self.hotel.users[who].id
        for code in response.get("codes", ()):
            order = site.desk.book.find(code["order_id"])
            mine = (order is not None and order.booked_by == user_id) or code[
                "holder"
            ] == WORKERS_OF.get(who)
            assert mine, f"{who} was given a code of {code['order_id']}"
        if who in (ROOM_TERMINAL, "room_102"):
            assert "Private Road" not in text

    def check_invariants(self) -> None:
        """DESIGN.md's invariants, through the core's own checks."""
        site = self.hotel.entry.runtime_data.site
        now = dt_util.utcnow()
        book = site.desk.book
        assert book.index_violations() == []
        live = {o.id for o in book if o.is_open} | {
            c.order_id for c in site.custody if c.is_open
        }
        for cabinet in site.cabinets.values():
            assert cabinet.invariant_violations(live) == []
        assert site.custody.invariant_violations() == []
        assert site.codes.invariant_violations(now) == []
        for stock in site.stock.values():
            assert stock.invariant_violations() == []
            assert all(n >= 0 for n in stock.on_hand.values())
        for room in site.stays.rooms.values():
            if room.stay is not None:
                folio = room.stay.folio
                assert folio.total == sum(
                    (c.unit_price * c.quantity for c in folio.charges),
                    start=folio.total - folio.total,
                )
        for order in book:
            previous, last_at = None, None
            for entry in order.history:
                assert entry.previous_state == previous
                assert is_legal_transition(previous, entry.state)
                assert last_at is None or last_at <= entry.at
                previous, last_at = entry.state, entry.at
            assert previous is order.state
            assert len(order.history) >= self.history.get(order.id, 0)
            self.history[order.id] = len(order.history)
            if not order.is_open:
                assert order.contact_phone is None

    async def step(self, who: str, action: str, raw: dict[str, Any]) -> None:
        """Run one call and check everything after it."""
        hass = self.hotel.hass
        data = self.resolve(raw)
        await hass.async_block_till_done()
        before = snapshot(self.hotel)
        self.counts["calls"] += 1
        changed_ok = False
        try:
            response = await self.hotel.call(who, action, data)
        except Unauthorized:
            self.counts["refused"] += 1
            assert action in ROLE_TABLE
        except HomeAssistantError, vol.Invalid:
            self.counts["rejected"] += 1
            changed_ok = action == "unlock_compartment"  # the attempt is counted
        except Exception as err:
            self.counts["unhandled"] += 1
            self.unhandled.append(f"{who} {action} {data!r}: {err!r}")
            changed_ok = True
        else:
            self.counts["accepted"] += 1
            self.accepted[action] += 1
            self.check_response(who, response)
            self.learn(response)
            changed_ok = True
        await hass.async_block_till_done()
        if not changed_ok:
            assert snapshot(self.hotel) == before, (
                f"{who} {action} {data!r} was refused but changed something"
            )
        self.check_invariants()


def leaks(secrets: list[str], tokens: list[str], text: str) -> list[str]:
    """The PINs (as whole numbers) and QR tokens found in ``text``."""
    text = re.sub(r"\d{4}-\d\d-\d\d[T ][\d:.+-]+", " ", text)  # timestamps
    found = [t for t in tokens if t and t in text]
    found += [p for p in secrets if re.search(rf"(?<![\d.]){p}(?![\d.])", text)]
    return found


async def test_fuzz_every_action_from_every_role(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
) -> None:
    caplog.set_level(logging.DEBUG, logger="custom_components.doorservice")
    programs = generate_programs()
    hotel = await async_hotel(hass, lambda: freezer.tick(timedelta(milliseconds=1)))
    events: list[str] = []

    @callback
    def _record(event: Event) -> None:
        if event.event_type != "call_service":  # the caller's own input
            events.append(json.dumps(event.data, default=str))

    unsub = hass.bus.async_listen(MATCH_ALL, _record)
    fuzz = Fuzz(hotel)
    for program in programs:
        for who, action, raw in program:
            # A millisecond between calls, no timer fired: two orders never share
            # a creation time (WorkerOrdersTodo sorts on it; see the report).
            freezer.tick(timedelta(milliseconds=1))
            await fuzz.step(who, action, raw)
        # Time moves only between programs (the board's doors, relocks, offers),
        # so a refused call is compared with a world that stood still.
        for _ in range(2):
            freezer.tick(timedelta(seconds=2.5))
            async_fire_time_changed(hass)
            await hass.async_block_till_done()
        fuzz.check_invariants()
    unsub()

    # No code issued during the run shows anywhere but in its holder's response.
    notifications = json.dumps(
        persistent_notification._async_get_or_create_notifications(hass),
        default=str,
    )
    states = snapshot(hotel)
    places = {
        "states": states,
        "bus events": "\n".join(events),
        "persistent notifications": notifications,
        # Our own log lines at every level, anybody's warnings and errors. (Home
        # Assistant itself echoes a call's invalid input at debug level, like it
        # puts every call in a call_service event: that is the caller's own input,
        # and why unlock_compartment is for managers and the system only.)
        "logs": "\n".join(
            f"{r.name} {r.getMessage()} {r.exc_text or ''}"
            for r in caplog.records
            if r.name.startswith("custom_components.doorservice")
            or r.levelno >= logging.WARNING
        ),
    }
    leaked = {
        place: found
        for place, text in places.items()
        if (found := leaks(fuzz.pins, fuzz.tokens, text))
    }
    counts = dict(fuzz.counts)
    summary = (
        f"fuzz: {counts['calls']} calls, {counts.get('refused', 0)} refused "
        f"(Unauthorized), {counts.get('rejected', 0)} rejected (bad input), "
        f"{counts.get('accepted', 0)} accepted, {counts.get('unhandled', 0)} "
        f"unhandled; {len(fuzz.pins)} codes issued"
    )
    print(summary)  # noqa: T201
    print("accepted per action:", sorted(fuzz.accepted.items()))  # noqa: T201
    LOGGER.warning(summary)
    assert fuzz.unhandled == [], "\n".join(fuzz.unhandled[:20])
    assert counts["calls"] >= 5000
    assert counts.get("refused", 0) > 0
    assert counts.get("accepted", 0) > 0
    assert leaked == {}
