"""Tests for stays, folios, authorization windows and room settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
import json
from typing import Any

import pytest

from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    AuthorizationEnded,
    AuthorizationEndReason,
    ChargeAdded,
    CheckedIn,
    CheckedOut,
    DndChanged,
    Handedness,
    HandednessChanged,
    Language,
)
from custom_components.doorservice.core.stays import (
    Charge,
    Folio,
    RoomState,
    Stay,
    StayBook,
    normalize_currency,
    normalize_guest_name,
    normalize_notify_target,
    validate_room_id,
)

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
NAIVE = datetime(2026, 3, 1, 14, 0)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def roundtrip(book: StayBook) -> StayBook:
    return StayBook.from_dict(json.loads(json.dumps(book.to_dict())))


def check_invariants(book: StayBook) -> None:
    """Assert the book's invariants; also that it survives a JSON round trip."""
    stay_ids: list[str] = []
    for room_id, room in book.rooms.items():
        assert room.room_id == room_id
        assert len(room.history) <= book.history_limit
        stays = [*room.history, *([room.stay] if room.stay else [])]
        for stay in stays:
            folio = stay.folio
            assert folio.total == sum(
                (c.quantity * c.unit_price for c in folio.charges), Decimal(0)
            )
            order_ids = [c.order_id for c in folio.charges]
            assert len(order_ids) == len(set(order_ids))
            assert folio.stay_id == stay.id
            assert folio.room_id == stay.room_id == room_id
            stay_ids.append(stay.id)
        for past in room.history:
            assert past.folio.closed
            assert past.checked_out_at is not None
            assert past.authorization_ended_at is not None
        if room.stay is not None:
            assert not room.stay.folio.closed
            assert room.stay.checked_out_at is None
            assert room.folio is room.stay.folio
        else:
            assert room.folio is None
    assert len(stay_ids) == len(set(stay_ids))
    assert roundtrip(book).to_dict() == book.to_dict()


@contextmanager
def refused(book: StayBook, key: str, **placeholders: str) -> Iterator[None]:
    """Expect ``DoorServiceError(key)`` and that the book did not change."""
    before = json.dumps(book.to_dict(), sort_keys=True)
    with pytest.raises(DoorServiceError) as info:
        yield
    assert info.value.translation_key == key
    for name, value in placeholders.items():
        assert info.value.placeholders[name] == value
    assert json.dumps(book.to_dict(), sort_keys=True) == before
    check_invariants(book)


@pytest.fixture
def book() -> StayBook:
    return StayBook(["101", "102"])


def check_in_101(book: StayBook, **kwargs: Any) -> list[Any]:
    options: dict[str, Any] = {"now": T0, "currency": "EUR"}
    options.update(kwargs)
    return book.check_in("101", "  Ada Lovelace ", **options)


# --- check-in / check-out -----------------------------------------------------------


def test_check_in_opens_stay_and_folio(book: StayBook) -> None:
    events = check_in_101(
        book,
        language="zh-Hans",
        notify_target=" notify.mobile_app_room_101_tablet ",
        ends_at=at(600),
        currency="eur",
    )
    assert events == [
        CheckedIn(
            room_id="101",
            at=T0,
            stay_id="ST-0001",
            language=Language.ZH_HANS,
            ends_at=at(600),
        )
    ]
    assert events[0].type == "checked_in"
    stay = book.room("101").stay
    assert stay is not None
    assert stay.guest_name == "Ada Lovelace"
    assert stay.language is Language.ZH_HANS
    assert stay.notify_target == "notify.mobile_app_room_101_tablet"
    assert stay.folio.currency == "EUR"
    assert stay.folio.total == Decimal(0)
    assert not stay.folio.closed
    assert book.stay("ST-0001") is stay
    assert book.stay("ST-9999") is None
    check_invariants(book)


def test_check_in_defaults(book: StayBook) -> None:
    check_in_101(book, language=Language.EN)
    stay = book.room("101").stay
    assert stay is not None
    assert stay.language is Language.EN
    assert stay.notify_target is None
    assert stay.ends_at is None
    assert book.is_authorized("101", at(60 * 24 * 365))
    check_invariants(book)


def test_check_in_refusals(book: StayBook) -> None:
    with refused(book, "unknown_room", room="999"):
        book.check_in("999", "Bob", now=T0, currency="EUR")
    with refused(book, "invalid_guest_name"):
        book.check_in("101", "   ", now=T0, currency="EUR")
    with refused(book, "invalid_guest_name"):
        book.check_in("101", "x" * 101, now=T0, currency="EUR")
    with refused(book, "invalid_language", language="fr"):
        check_in_101(book, language="fr")
    with refused(book, "invalid_notify_target", target="light.room_101"):
        check_in_101(book, notify_target="light.room_101")
    with refused(book, "invalid_currency", currency="EURO"):
        check_in_101(book, currency="EURO")
    with refused(book, "invalid_stay_end", room="101"):
        check_in_101(book, ends_at=T0)
    with refused(book, "invalid_stay_end"):
        check_in_101(book, ends_at=at(-5))
    with refused(book, "naive_datetime", field="now"):
        check_in_101(book, now=NAIVE)
    with refused(book, "naive_datetime", field="ends_at"):
        check_in_101(book, ends_at=NAIVE)
    # Nothing was consumed by the refusals: the first stay still gets number 1.
    check_in_101(book)
    assert book.room("101").stay is not None
    assert book.room("101").stay.id == "ST-0001"  # type: ignore[union-attr]
    with refused(book, "room_occupied", room="101"):
        book.check_in("101", "Bob", now=at(1), currency="EUR")


def test_guest_name_of_100_characters_is_accepted(book: StayBook) -> None:
    book.check_in("101", " " + "y" * 100 + " ", now=T0, currency="EUR")
    assert book.room("101").stay.guest_name == "y" * 100  # type: ignore[union-attr]


def test_check_out_closes_folio_and_frees_room(book: StayBook) -> None:
    check_in_101(book, ends_at=at(600))
    book.add_charge(
        "101",
        order_id="DS-AAAA",
        description="Laundry",
        quantity=2,
        unit_price=Decimal("12.50"),
        now=at(30),
    )
    book.set_do_not_disturb("101", True, at(40))
    folio, events = book.check_out("101", at(120))
    assert folio.closed
    assert folio.closed_at == at(120)
    assert folio.total == Decimal("25.00")
    assert [e.type for e in events] == [
        "authorization_ended",
        "dnd_changed",
        "checked_out",
    ]
    assert events[0] == AuthorizationEnded(
        room_id="101",
        at=at(120),
        stay_id="ST-0001",
        reason=AuthorizationEndReason.CHECKED_OUT,
    )
    assert events[1] == DndChanged(room_id="101", at=at(120), on=False)
    assert events[2] == CheckedOut(
        room_id="101",
        at=at(120),
        stay_id="ST-0001",
        total=Decimal("25.00"),
        currency="EUR",
        charge_count=1,
    )
    room = book.room("101")
    assert room.stay is None
    assert not room.do_not_disturb
    assert room.history[-1].folio is folio
    assert room.history[-1].checked_out_at == at(120)
    assert not book.is_authorized("101", at(121))
    receipt = folio.to_dict()
    assert receipt["total"] == "25.00"
    assert receipt["currency"] == "EUR"
    assert receipt["charges"] == [
        {
            "order_id": "DS-AAAA",
            "description": "Laundry",
            "quantity": 2,
            "unit_price": "12.50",
            "amount": "25.00",
            "at": at(30).isoformat(),
        }
    ]
    check_invariants(book)
    # The room can be checked in again, with a new stay id.
    book.check_in("101", "Grace", now=at(200), currency="EUR")
    assert book.room("101").stay.id == "ST-0002"  # type: ignore[union-attr]
    check_invariants(book)


def test_check_out_refusals(book: StayBook) -> None:
    with refused(book, "no_active_stay", room="101"):
        book.check_out("101", T0)
    with refused(book, "unknown_room"):
        book.check_out("nope", T0)
    check_in_101(book)
    with refused(book, "naive_datetime"):
        book.check_out("101", NAIVE)


def test_history_is_bounded() -> None:
    book = StayBook(["101"], history_limit=2)
    for number in range(4):
        book.check_in("101", f"Guest {number}", now=at(number * 100), currency="EUR")
        book.check_out("101", at(number * 100 + 50))
        check_invariants(book)
    assert [stay.id for stay in book.room("101").history] == ["ST-0003", "ST-0004"]
    assert book.stay("ST-0001") is None
    assert book.stay("ST-0004") is not None

    no_history = StayBook(["101"], history_limit=0)
    no_history.check_in("101", "Guest", now=T0, currency="EUR")
    folio, _ = no_history.check_out("101", at(1))
    assert folio.closed
    assert no_history.room("101").history == []


@pytest.mark.parametrize("limit", [-1, True, 1.5])
def test_history_limit_must_be_a_non_negative_int(limit: Any) -> None:
    with pytest.raises(ValueError, match="history_limit"):
        StayBook(history_limit=limit)


# --- billing ------------------------------------------------------------------------


def test_charges_total_and_idempotency(book: StayBook) -> None:
    check_in_101(book)
    events = book.add_charge(
        "101",
        order_id="DS-0001",
        description="Minibar",
        quantity=3,
        unit_price=Decimal("4.20"),
        now=at(10),
    )
    assert events == [
        ChargeAdded(
            room_id="101",
            at=at(10),
            stay_id="ST-0001",
            order_id="DS-0001",
            amount=Decimal("12.60"),
            total=Decimal("12.60"),
            currency="EUR",
        )
    ]
    check_invariants(book)
    # Same order again (a retry): nothing changes, no events.
    assert (
        book.add_charge(
            "101",
            order_id="DS-0001",
            description=" Minibar ",
            quantity=3,
            unit_price=Decimal("4.2"),
            now=at(11),
        )
        == []
    )
    check_invariants(book)
    events = book.add_charge(
        "101",
        order_id="DS-0002",
        description="Laundry",
        quantity=1,
        unit_price=Decimal("9.99"),
        now=at(20),
        stay_id="ST-0001",
    )
    assert isinstance(events[0], ChargeAdded)
    assert events[0].total == Decimal("22.59")
    # A free order can be recorded too and does not move the total.
    book.add_charge(
        "101",
        order_id="DS-0003",
        description="Towels",
        quantity=1,
        unit_price=Decimal(0),
        now=at(21),
    )
    folio = book.room("101").folio
    assert folio is not None
    assert folio.total == Decimal("22.59")
    assert len(folio.charges) == 3
    check_invariants(book)
    with refused(book, "charge_conflict", order_id="DS-0001"):
        book.add_charge(
            "101",
            order_id="DS-0001",
            description="Minibar",
            quantity=4,
            unit_price=Decimal("4.20"),
            now=at(30),
        )


def test_charge_refusals(book: StayBook) -> None:
    base: dict[str, Any] = {
        "order_id": "DS-0001",
        "description": "Minibar",
        "quantity": 1,
        "unit_price": Decimal(5),
        "now": at(10),
    }

    def charge(**changes: Any) -> Callable[[], object]:
        return lambda: book.add_charge("101", **(base | changes))

    with refused(book, "no_active_stay", room="101"):
        charge()()
    with refused(book, "unknown_stay", stay="ST-0001"):
        charge(stay_id="ST-0001")()
    check_in_101(book)
    cases: list[tuple[str, dict[str, Any]]] = [
        ("invalid_order_id", {"order_id": " "}),
        ("invalid_order_id", {"order_id": 7}),
        ("invalid_charge_description", {"description": ""}),
        ("invalid_charge_description", {"description": "d" * 201}),
        ("invalid_charge_description", {"description": None}),
        ("invalid_charge_quantity", {"quantity": 0}),
        ("invalid_charge_quantity", {"quantity": True}),
        ("invalid_charge_quantity", {"quantity": 1.5}),
        ("invalid_charge_price", {"unit_price": Decimal(-1)}),
        ("invalid_charge_price", {"unit_price": Decimal("NaN")}),
        ("invalid_charge_price", {"unit_price": 5}),
        ("naive_datetime", {"now": NAIVE}),
        ("unknown_stay", {"stay_id": "ST-0042"}),
    ]
    for key, changes in cases:
        with refused(book, key):
            charge(**changes)()
    with refused(book, "unknown_room"):
        book.add_charge("nope", **base)


def test_closed_folio_refuses_new_charges_but_retries_are_harmless(
    book: StayBook,
) -> None:
    check_in_101(book)
    book.add_charge(
        "101",
        order_id="DS-0001",
        description="Minibar",
        quantity=1,
        unit_price=Decimal(5),
        now=at(10),
    )
    book.check_out("101", at(20))
    # The order finishing after check-out names its stay: the folio is closed.
    with refused(book, "folio_closed", room="101", stay="ST-0001"):
        book.add_charge(
            "101",
            order_id="DS-0002",
            description="Laundry",
            quantity=1,
            unit_price=Decimal(8),
            now=at(30),
            stay_id="ST-0001",
        )
    # A retry of a charge already on the closed folio changes nothing.
    assert (
        book.add_charge(
            "101",
            order_id="DS-0001",
            description="Minibar",
            quantity=1,
            unit_price=Decimal(5),
            now=at(31),
            stay_id="ST-0001",
        )
        == []
    )
    # The next guest's folio never receives the previous guest's order.
    book.check_in("101", "Grace", now=at(40), currency="EUR")
    with refused(book, "folio_closed"):
        book.add_charge(
            "101",
            order_id="DS-0002",
            description="Laundry",
            quantity=1,
            unit_price=Decimal(8),
            now=at(50),
            stay_id="ST-0001",
        )
    assert book.room("101").folio.charges == []  # type: ignore[union-attr]
    check_invariants(book)


def test_charges_allowed_after_end_time_until_checkout(book: StayBook) -> None:
    check_in_101(book, ends_at=at(60))
    assert book.expire(at(61))
    book.add_charge(
        "101",
        order_id="DS-0009",
        description="Minibar found at departure",
        quantity=1,
        unit_price=Decimal("3.50"),
        now=at(70),
    )
    folio, _ = book.check_out("101", at(80))
    assert folio.total == Decimal("3.50")
    check_invariants(book)


# --- authorization ------------------------------------------------------------------


def test_authorization_window(book: StayBook) -> None:
    assert not book.is_authorized("101", T0)
    check_in_101(book, ends_at=at(60))
    assert not book.is_authorized("101", at(-1))  # before check-in
    assert book.is_authorized("101", T0)
    assert book.is_authorized("101", at(59))
    assert not book.is_authorized("101", at(60))  # ends_at itself is outside
    assert not book.is_authorized("101", at(61))
    assert book.next_authorization_end() == at(60)

    assert book.expire(at(59)) == []
    events = book.expire(at(75))
    assert events == [
        AuthorizationEnded(
            room_id="101",
            at=at(60),
            stay_id="ST-0001",
            reason=AuthorizationEndReason.EXPIRED,
        )
    ]
    assert book.expire(at(80)) == []  # reported once
    assert book.next_authorization_end() is None
    # The stay is still current (checkout required) but not authorized.
    assert book.room("101").stay is not None
    assert not book.is_authorized("101", at(61))
    with refused(book, "room_occupied"):
        book.check_in("101", "Bob", now=at(90), currency="EUR")
    _, out_events = book.check_out("101", at(100))
    # Authorization already ended: checkout does not report it again.
    assert [e.type for e in out_events] == ["checked_out"]
    assert not book.is_authorized("101", at(101))
    check_invariants(book)


def test_expire_across_rooms_and_next_end(book: StayBook) -> None:
    check_in_101(book, ends_at=at(120))
    book.check_in("102", "Bob", now=T0, currency="EUR", ends_at=at(60))
    assert book.next_authorization_end() == at(60)
    assert [e.room_id for e in book.expire(at(61))] == ["102"]
    assert book.next_authorization_end() == at(120)
    assert [e.room_id for e in book.expire(at(500))] == ["101"]
    with refused(book, "naive_datetime"):
        book.expire(NAIVE)
    with refused(book, "unknown_room"):
        book.is_authorized("nope", T0)
    with pytest.raises(DoorServiceError, match="naive_datetime"):
        book.is_authorized("101", NAIVE)
    check_invariants(book)


def test_checkout_before_end_time_ends_authorization(book: StayBook) -> None:
    check_in_101(book, ends_at=at(600))
    assert book.is_authorized("101", at(10))
    _, events = book.check_out("101", at(20))
    assert isinstance(events[0], AuthorizationEnded)
    assert events[0].reason is AuthorizationEndReason.CHECKED_OUT
    assert not book.is_authorized("101", at(30))
    assert book.expire(at(700)) == []
    check_invariants(book)


# --- room settings ------------------------------------------------------------------


def test_do_not_disturb_events(book: StayBook) -> None:
    assert book.set_do_not_disturb("102", True, T0) == [
        DndChanged(room_id="102", at=T0, on=True)
    ]
    assert book.room("102").do_not_disturb
    assert book.set_do_not_disturb("102", True, at(1)) == []
    events = book.set_do_not_disturb("102", False, at(2))
    assert events == [DndChanged(room_id="102", at=at(2), on=False)]
    assert events[0].type == "dnd_changed"
    # Check-out without DND on reports no DND change.
    book.check_in("102", "Bob", now=at(3), currency="EUR")
    _, out = book.check_out("102", at(4))
    assert "dnd_changed" not in [e.type for e in out]
    with refused(book, "unknown_room"):
        book.set_do_not_disturb("nope", True, T0)
    with refused(book, "naive_datetime"):
        book.set_do_not_disturb("102", True, NAIVE)
    check_invariants(book)


def test_handedness(book: StayBook) -> None:
    assert book.room("101").handedness is Handedness.RIGHT
    events = book.set_handedness("101", "left", T0)
    assert events == [
        HandednessChanged(room_id="101", at=T0, handedness=Handedness.LEFT)
    ]
    assert events[0].type == "handedness_changed"
    assert book.set_handedness("101", Handedness.LEFT, at(1)) == []
    with refused(book, "invalid_handedness", handedness="middle"):
        book.set_handedness("101", "middle", at(2))
    with refused(book, "naive_datetime"):
        book.set_handedness("101", "right", NAIVE)
    check_invariants(book)


# --- rooms --------------------------------------------------------------------------


def test_rooms_are_added_and_removed(book: StayBook) -> None:
    assert book.add_room("103")
    assert not book.add_room("103")
    assert set(book.rooms) == {"101", "102", "103"}
    with refused(book, "invalid_room_id"):
        book.add_room("room 1")
    with refused(book, "invalid_room_id"):
        book.add_room("")
    with refused(book, "invalid_room_id"):
        book.add_room("r" * 65)
    check_in_101(book)
    with refused(book, "room_occupied", room="101"):
        book.remove_room("101")
    with refused(book, "unknown_room"):
        book.remove_room("nope")
    book.remove_room("103")
    assert set(book.rooms) == {"101", "102"}
    check_invariants(book)


# --- value helpers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (None, Language.EN),
        ("", Language.EN),
        ("en", Language.EN),
        ("EN-us", Language.EN),
        ("zh-Hans", Language.ZH_HANS),
        ("zh_hans", Language.ZH_HANS),
        ("zh", Language.ZH_HANS),
        ("zh-CN", Language.ZH_HANS),
        ("zh-SG", Language.ZH_HANS),
    ],
)
def test_language_parse(code: str | None, expected: Language) -> None:
    assert Language.parse(code) is expected


@pytest.mark.parametrize("code", ["de", "zh-Hant", "zh-TW", "english"])
def test_language_parse_refuses(code: str) -> None:
    with pytest.raises(DoorServiceError) as info:
        Language.parse(code)
    assert info.value.translation_key == "invalid_language"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (None, None),
        ("  ", None),
        ("notify.mobile_app_room_101_tablet", "notify.mobile_app_room_101_tablet"),
        ("media_player.room_101", "media_player.room_101"),
        (" notify.notify ", "notify.notify"),
    ],
)
def test_notify_target_accepted(target: str | None, expected: str | None) -> None:
    assert normalize_notify_target(target) == expected


@pytest.mark.parametrize(
    "target",
    [
        "notify",
        "notify.",
        "notify.Mobile_App",
        "notify._room",
        "notify.room_",
        "light.room_101",
        "tts.speak",
        "notify.room-101",
        "media_player.room.101",
    ],
)
def test_notify_target_refused(target: str) -> None:
    with pytest.raises(DoorServiceError) as info:
        normalize_notify_target(target)
    assert info.value.translation_key == "invalid_notify_target"
    assert info.value.placeholders == {"target": target}


def test_currency_and_name_helpers() -> None:
    assert normalize_currency(" cny ") == "CNY"
    for bad in ["", "EU", "E1R", "EURO"]:
        with pytest.raises(DoorServiceError, match="invalid_currency"):
            normalize_currency(bad)
    with pytest.raises(DoorServiceError, match="invalid_currency"):
        normalize_currency(None)  # type: ignore[arg-type]
    assert normalize_guest_name(" 王小明 ") == "王小明"
    with pytest.raises(DoorServiceError, match="invalid_guest_name"):
        normalize_guest_name(None)  # type: ignore[arg-type]
    assert validate_room_id("101") == "101"
    with pytest.raises(DoorServiceError, match="invalid_room_id"):
        validate_room_id(101)  # type: ignore[arg-type]


def test_stay_repr_hides_guest_details(book: StayBook) -> None:
    check_in_101(book, notify_target="notify.mobile_app_secret_tablet", ends_at=at(5))
    text = repr(book.room("101").stay)
    assert "Ada" not in text
    assert "secret" not in text
    assert "ST-0001" in text
    assert "101" in text


# --- persistence --------------------------------------------------------------------


def test_round_trip_through_json_mid_stay(book: StayBook) -> None:
    check_in_101(
        book,
        language="zh-Hans",
        notify_target="media_player.room_101",
        ends_at=at(600),
    )
    book.add_charge(
        "101",
        order_id="DS-0001",
        description="洗衣",
        quantity=2,
        unit_price=Decimal("12.345"),
        now=at(10),
    )
    book.set_do_not_disturb("101", True, at(11))
    book.set_handedness("102", "left", at(12))
    book.check_in("102", "Bob", now=at(13), currency="CNY", ends_at=at(14))
    book.expire(at(15))
    book.check_out("102", at(16))
    restored = roundtrip(book)
    assert restored.to_dict() == book.to_dict()
    stay = restored.room("101").stay
    assert stay is not None
    assert stay.folio.total == Decimal("24.690")
    assert restored.room("101").do_not_disturb
    assert restored.room("102").handedness is Handedness.LEFT
    assert restored.room("102").history[0].folio.closed
    assert restored.is_authorized("101", at(20))
    # Numbering continues after a restart.
    restored.check_in("102", "Carol", now=at(30), currency="CNY")
    assert restored.room("102").stay.id == "ST-0003"  # type: ignore[union-attr]
    # Idempotency survives the restart too.
    assert (
        restored.add_charge(
            "101",
            order_id="DS-0001",
            description="洗衣",
            quantity=2,
            unit_price=Decimal("12.345"),
            now=at(31),
        )
        == []
    )
    check_invariants(restored)


def test_from_dict_refuses_corrupt_data(book: StayBook) -> None:
    check_in_101(book)
    book.add_charge(
        "101",
        order_id="DS-0001",
        description="Minibar",
        quantity=1,
        unit_price=Decimal(5),
        now=at(1),
    )
    data = json.loads(json.dumps(book.to_dict()))
    folio_data = data["rooms"]["101"]["stay"]["folio"]

    bad_amount = json.loads(json.dumps(data))
    bad_amount["rooms"]["101"]["stay"]["folio"]["charges"][0]["amount"] = "6"
    with pytest.raises(ValueError, match="amount"):
        StayBook.from_dict(bad_amount)

    bad_total = json.loads(json.dumps(data))
    bad_total["rooms"]["101"]["stay"]["folio"]["total"] = "99"
    with pytest.raises(ValueError, match="total"):
        StayBook.from_dict(bad_total)

    twice = json.loads(json.dumps(data))
    charges = twice["rooms"]["101"]["stay"]["folio"]["charges"]
    charges.append(dict(charges[0]))
    twice["rooms"]["101"]["stay"]["folio"]["total"] = "10"
    with pytest.raises(ValueError, match="twice"):
        StayBook.from_dict(twice)

    bad_price = json.loads(json.dumps(data))
    bad_price["rooms"]["101"]["stay"]["folio"]["charges"][0]["unit_price"] = "five"
    with pytest.raises(DoorServiceError, match="invalid_charge_price"):
        StayBook.from_dict(bad_price)

    moved = json.loads(json.dumps(data))
    moved["rooms"]["999"] = moved["rooms"].pop("102")
    with pytest.raises(ValueError, match="another id"):
        StayBook.from_dict(moved)

    bad_number = json.loads(json.dumps(data))
    bad_number["next_stay_number"] = "1"
    with pytest.raises(ValueError, match="next_stay_number"):
        StayBook.from_dict(bad_number)

    naive = json.loads(json.dumps(data))
    naive["rooms"]["101"]["stay"]["folio"]["closed_at"] = NAIVE.isoformat()
    with pytest.raises(DoorServiceError, match="naive_datetime"):
        StayBook.from_dict(naive)

    # The amount and total keys are derived: a dict without them still loads.
    del folio_data["total"]
    del folio_data["charges"][0]["amount"]
    restored = StayBook.from_dict(data)
    assert restored.room("101").folio.total == Decimal(5)  # type: ignore[union-attr]


def test_stay_and_folio_validate_their_own_fields() -> None:
    folio = Folio(stay_id="ST-0001", room_id="101", currency="usd", opened_at=T0)
    assert folio.currency == "USD"
    assert folio.charge_for("DS-0001") is None
    with pytest.raises(DoorServiceError, match="naive_datetime"):
        Folio(stay_id="S", room_id="101", currency="USD", opened_at=NAIVE)
    with pytest.raises(DoorServiceError, match="naive_datetime"):
        Stay(
            id="S",
            room_id="101",
            guest_name="Ada",
            language=Language.EN,
            notify_target=None,
            checked_in_at=T0,
            folio=folio,
            checked_out_at=NAIVE,
        )
    with pytest.raises(DoorServiceError, match="naive_datetime"):
        Charge(
            order_id="DS-1",
            description="x",
            quantity=1,
            unit_price=Decimal(1),
            at=NAIVE,
        )
    stay = Stay(
        id="S",
        room_id="101",
        guest_name="Ada",
        language=Language.EN,
        notify_target=None,
        checked_in_at=T0,
        folio=folio,
        authorization_ended_at=at(5),
    )
    assert not stay.is_authorized(at(1))
    room = RoomState.from_dict(RoomState(room_id="101", stay=stay).to_dict())
    assert room.stay is not None
    assert room.stay.authorization_ended_at == at(5)
