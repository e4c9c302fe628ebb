"""Tests for room appliances: configuration, validation, control policy, check-out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
import json
from typing import Any

import pytest

from custom_components.doorservice.core.appliances import (
    Appliance,
    ApplianceKind,
    CheckoutState,
    Requester,
    RoomAppliances,
)
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    ApplianceAction,
    ApplianceChangeAuthorized,
    ApplianceCommand,
    ApplianceStateChanged,
    RequesterRole,
)
from custom_components.doorservice.core.stays import StayBook

T0 = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
NAIVE = datetime(2026, 3, 1, 14, 0)

CONFIG: list[dict[str, Any]] = [
    {"id": "ceiling", "name": "Ceiling light", "kind": "light"},
    {"id": "ac", "name": " Air conditioner ", "kind": "climate", "min_temp": 16},
    {"id": "curtain", "name": "Curtain", "kind": "cover"},
    {"id": "fan", "name": "Fan", "kind": "fan", "checkout_state": "unchanged"},
    {"id": "fridge", "name": "Fridge", "kind": "switch", "checkout_state": "on"},
    {"id": "kettle", "name": "Kettle", "kind": "switch", "entity_id": "switch.k"},
]


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def cmd(appliance_id: str, action: str, value: float | None = None) -> ApplianceCommand:
    return ApplianceCommand.parse(appliance_id, action, value)


@pytest.fixture
def room() -> RoomAppliances:
    return RoomAppliances.from_config("101", CONFIG)


@pytest.fixture
def stays() -> StayBook:
    return StayBook(["101"])


def roundtrip(room: RoomAppliances) -> RoomAppliances:
    return RoomAppliances.from_dict(json.loads(json.dumps(room.to_dict())))


@contextmanager
def refused(target: RoomAppliances, key: str, **placeholders: str) -> Iterator[None]:
    before = json.dumps(target.to_dict())
    with pytest.raises(DoorServiceError) as info:
        yield
    assert info.value.translation_key == key
    for name, value in placeholders.items():
        assert info.value.placeholders[name] == value
    assert json.dumps(target.to_dict()) == before


# --- configuration ------------------------------------------------------------------


def test_from_config(room: RoomAppliances) -> None:
    assert [a.id for a in room.appliances] == [
        "ceiling",
        "ac",
        "curtain",
        "fan",
        "fridge",
        "kettle",
    ]
    ac = room.get("ac")
    assert ac.name == "Air conditioner"
    assert ac.kind == ApplianceKind.CLIMATE
    assert (ac.min_temp, ac.max_temp) == (16, 35.0)
    assert ac.value_range == (16.0, 35.0)
    assert room.get("ceiling").value_range == (0, 255)
    assert room.get("curtain").value_range == (0, 100)
    assert room.get("fan").value_range == (0, 100)
    assert room.get("kettle").value_range is None
    assert room.get("curtain").checkout_state is CheckoutState.CLOSED
    assert room.get("ceiling").checkout_state is CheckoutState.OFF
    assert room.get("fridge").checkout_state is CheckoutState.ON
    for appliance in room.appliances:
        assert not appliance.is_on
        assert appliance.value is None
        assert appliance.updated_at is None


@pytest.mark.parametrize(
    ("items", "key"),
    [
        ([{"id": "Bad Id", "name": "x", "kind": "light"}], "invalid_appliance_id"),
        ([{"name": "x", "kind": "light"}], "invalid_appliance_id"),
        ([{"id": "a", "name": " ", "kind": "light"}], "invalid_appliance_name"),
        ([{"id": "a", "name": "n" * 101, "kind": "light"}], "invalid_appliance_name"),
        ([{"id": "a", "kind": "light"}], "invalid_appliance_name"),
        ([{"id": "a", "name": "x", "kind": "oven"}], "invalid_appliance_kind"),
        ([{"id": "a", "name": "x"}], "invalid_appliance_kind"),
        (
            [{"id": "a", "name": "x", "kind": "light", "checkout_state": "closed"}],
            "invalid_checkout_state",
        ),
        (
            [{"id": "a", "name": "x", "kind": "cover", "checkout_state": "off"}],
            "invalid_checkout_state",
        ),
        (
            [{"id": "a", "name": "x", "kind": "fan", "checkout_state": "dim"}],
            "invalid_checkout_state",
        ),
        (
            [
                {
                    "id": "a",
                    "name": "x",
                    "kind": "climate",
                    "min_temp": 30,
                    "max_temp": 20,
                }
            ],
            "invalid_appliance_range",
        ),
        (
            [{"id": "a", "name": "x", "kind": "climate", "max_temp": "hot"}],
            "invalid_appliance_range",
        ),
        (
            [{"id": "a", "name": "x", "kind": "climate", "min_temp": float("nan")}],
            "invalid_appliance_range",
        ),
        (
            [{"id": "a", "name": "x", "kind": "light", "min_temp": 10}],
            "invalid_appliance_range",
        ),
        (
            [{"id": "a", "name": "x", "kind": "fan", "max_temp": 10}],
            "invalid_appliance_range",
        ),
        (
            [
                {"id": "a", "name": "x", "kind": "light"},
                {"id": "a", "name": "y", "kind": "switch"},
            ],
            "duplicate_appliance_id",
        ),
        (["not a mapping"], "invalid_appliance_config"),
    ],
)
def test_from_config_refusals(items: list[Any], key: str) -> None:
    with pytest.raises(DoorServiceError) as info:
        RoomAppliances.from_config("101", items)
    assert info.value.translation_key == key


def test_room_id_is_validated() -> None:
    with pytest.raises(DoorServiceError, match="invalid_room_id"):
        RoomAppliances("room 101")


def test_reconfiguration_keeps_known_state(room: RoomAppliances) -> None:
    room.apply_reported_state("ac", is_on=True, value=30, now=T0)
    room.apply_reported_state("ceiling", is_on=True, value=200, now=T0)
    room.apply_reported_state("curtain", is_on=True, value=40, now=T0)
    new_config: list[dict[str, Any]] = [
        {"id": "ac", "name": "AC", "kind": "climate", "max_temp": 28},
        {"id": "ceiling", "name": "Ceiling", "kind": "light"},
        {"id": "curtain", "name": "Now a switch", "kind": "switch"},
        {"id": "lamp", "name": "Lamp", "kind": "light"},
        {"id": "fan", "name": "Fan", "kind": "fan"},
    ]
    rebuilt = RoomAppliances.from_config("101", new_config, previous=room)
    ac = rebuilt.get("ac")
    assert ac.is_on
    assert ac.value is None  # 30 is outside the new range
    assert ac.updated_at == T0
    ceiling = rebuilt.get("ceiling")
    assert (ceiling.is_on, ceiling.value) == (True, 200)
    curtain = rebuilt.get("curtain")  # kind changed: state starts over
    assert (curtain.is_on, curtain.value, curtain.updated_at) == (False, None, None)
    assert not rebuilt.get("lamp").is_on
    fan = rebuilt.get("fan")  # same kind, no value known yet
    assert (fan.is_on, fan.value) == (False, None)
    assert fan.checkout_state is CheckoutState.OFF
    with pytest.raises(DoorServiceError, match="unknown_appliance"):
        rebuilt.get("kettle")


# --- command validation for every kind ---------------------------------------------


@pytest.mark.parametrize(
    ("appliance_id", "action", "value"),
    [
        ("kettle", "turn_on", None),
        ("kettle", "turn_off", None),
        ("ceiling", "turn_on", None),
        ("ceiling", "turn_on", 0),
        ("ceiling", "turn_on", 255),
        ("ceiling", "turn_off", None),
        ("ac", "turn_on", 16),
        ("ac", "turn_on", 21.5),
        ("ac", "turn_on", 35),
        ("ac", "turn_off", None),
        ("curtain", "open", None),
        ("curtain", "open", 0),
        ("curtain", "open", 100),
        ("curtain", "close", None),
        ("fan", "turn_on", 0),
        ("fan", "turn_on", 100),
        ("fan", "turn_off", None),
    ],
)
def test_valid_commands(
    room: RoomAppliances,
    stays: StayBook,
    appliance_id: str,
    action: str,
    value: float | None,
) -> None:
    command = cmd(appliance_id, action, value)
    room.get(appliance_id).validate_command(command)
    event = room.authorize(command, Requester.staff("anna", "check"), stays, T0)
    assert event.command == command


@pytest.mark.parametrize(
    ("appliance_id", "action", "value", "key"),
    [
        ("kettle", "turn_on", 1, "appliance_takes_no_value"),
        ("kettle", "open", None, "invalid_appliance_action"),
        ("ceiling", "turn_on", 256, "invalid_appliance_value"),
        ("ceiling", "turn_on", -1, "invalid_appliance_value"),
        ("ceiling", "turn_on", 12.5, "invalid_appliance_value"),
        ("ceiling", "turn_on", True, "invalid_appliance_value"),
        ("ceiling", "turn_off", 10, "appliance_takes_no_value"),
        ("ceiling", "close", None, "invalid_appliance_action"),
        ("ac", "turn_on", 15.9, "invalid_appliance_value"),
        ("ac", "turn_on", 35.5, "invalid_appliance_value"),
        ("ac", "turn_on", float("inf"), "invalid_appliance_value"),
        ("ac", "turn_on", "21", "invalid_appliance_value"),
        ("ac", "open", None, "invalid_appliance_action"),
        ("curtain", "turn_on", None, "invalid_appliance_action"),
        ("curtain", "open", 101, "invalid_appliance_value"),
        ("curtain", "close", 50, "appliance_takes_no_value"),
        ("fan", "turn_on", 101, "invalid_appliance_value"),
        ("fan", "turn_on", 50.5, "invalid_appliance_value"),
        ("fan", "close", None, "invalid_appliance_action"),
    ],
)
def test_invalid_commands(
    room: RoomAppliances,
    stays: StayBook,
    appliance_id: str,
    action: str,
    value: Any,
    key: str,
) -> None:
    command = cmd(appliance_id, action, value)
    with pytest.raises(DoorServiceError) as info:
        room.get(appliance_id).validate_command(command)
    assert info.value.translation_key == key
    assert info.value.placeholders["appliance"] == appliance_id
    stays.check_in("101", "Ada", now=T0, currency="EUR")
    with refused(room, key):
        room.authorize(command, Requester.staff("anna", "check"), stays, T0)
    with refused(room, key):
        room.authorize(command, Requester.guest(), stays, T0)


def test_value_error_placeholders(room: RoomAppliances) -> None:
    with pytest.raises(DoorServiceError) as info:
        room.get("ac").validate_value(40)
    assert info.value.placeholders == {
        "appliance": "ac",
        "value": "40",
        "min": "16",
        "max": "35",
    }
    hot = RoomAppliances.from_config(
        "101",
        [
            {
                "id": "ac",
                "name": "AC",
                "kind": "climate",
                "min_temp": 16.5,
                "max_temp": 30,
            }
        ],
    )
    with pytest.raises(DoorServiceError) as info:
        hot.get("ac").validate_value(16)
    assert info.value.placeholders["min"] == "16.5"
    assert info.value.placeholders["max"] == "30"


def test_unknown_action_and_appliance(room: RoomAppliances, stays: StayBook) -> None:
    with pytest.raises(DoorServiceError) as info:
        cmd("ceiling", "toggle")
    assert info.value.translation_key == "invalid_appliance_action"
    assert info.value.placeholders == {"appliance": "ceiling", "action": "toggle"}
    with refused(room, "unknown_appliance", room="101", appliance="tv"):
        room.authorize(cmd("tv", "turn_on"), Requester.staff("a", "b"), stays, T0)


# --- the control policy ------------------------------------------------------------


def test_guest_allowed_only_during_authorized_stay(
    room: RoomAppliances, stays: StayBook
) -> None:
    command = cmd("ac", "turn_on", 22)
    guest = Requester.guest("room terminal")
    with refused(room, "not_authorized_outside_stay", room="101"):
        room.authorize(command, guest, stays, T0)
    stays.check_in("101", "Ada", now=T0, currency="EUR", ends_at=at(60))
    with refused(room, "not_authorized_outside_stay"):
        room.authorize(command, guest, stays, at(-1))
    event = room.authorize(command, guest, stays, at(10))
    assert event == ApplianceChangeAuthorized(
        room_id="101",
        at=at(10),
        appliance_id="ac",
        command=command,
        role=RequesterRole.GUEST,
        actor="room terminal",
        reason=None,
    )
    assert event.type == "appliance_change_authorized"
    # Authorizing changes no state: only the driver's report does.
    assert not room.get("ac").is_on
    with refused(room, "not_authorized_outside_stay"):
        room.authorize(command, guest, stays, at(60))
    stays.check_out("101", at(70))
    with refused(room, "not_authorized_outside_stay"):
        room.authorize(command, guest, stays, at(71))


def test_guest_refused_after_checkout_before_end_time(
    room: RoomAppliances, stays: StayBook
) -> None:
    stays.check_in("101", "Ada", now=T0, currency="EUR", ends_at=at(600))
    room.authorize(cmd("ceiling", "turn_on", 100), Requester.guest(), stays, at(1))
    stays.check_out("101", at(2))
    with refused(room, "not_authorized_outside_stay"):
        room.authorize(cmd("ceiling", "turn_on", 100), Requester.guest(), stays, at(3))


def test_staff_allowed_with_reason_any_time(
    room: RoomAppliances, stays: StayBook
) -> None:
    command = cmd("ac", "turn_off")
    event = room.authorize(
        command,
        Requester.staff("housekeeping:li", "  AC left on in an empty room "),
        stays,
        T0,
    )
    assert event.role is RequesterRole.STAFF
    assert event.actor == "housekeeping:li"
    assert event.reason == "AC left on in an empty room"
    stays.check_in("101", "Ada", now=at(1), currency="EUR")
    during = room.authorize(command, Requester.staff(None, "guest asked"), stays, at(2))
    assert during.actor is None


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_staff_without_reason_refused(
    room: RoomAppliances, stays: StayBook, reason: str | None
) -> None:
    with refused(room, "appliance_change_reason_required", room="101", appliance="ac"):
        room.authorize(cmd("ac", "turn_off"), Requester.staff("li", reason), stays, T0)


def test_staff_reason_too_long(room: RoomAppliances, stays: StayBook) -> None:
    with refused(room, "appliance_change_reason_too_long", max_length="200"):
        room.authorize(
            cmd("ac", "turn_off"), Requester.staff("li", "r" * 201), stays, T0
        )
    room.authorize(cmd("ac", "turn_off"), Requester.staff("li", "r" * 200), stays, T0)


def test_authorize_needs_aware_time(room: RoomAppliances, stays: StayBook) -> None:
    with refused(room, "naive_datetime"):
        room.authorize(cmd("ac", "turn_off"), Requester.staff("a", "b"), stays, NAIVE)


# --- check-out ----------------------------------------------------------------------


def test_checkout_commands(room: RoomAppliances) -> None:
    room.apply_reported_state("ceiling", is_on=True, value=120, now=T0)
    commands = room.checkout_commands()
    assert commands == [
        ApplianceCommand("ceiling", ApplianceAction.TURN_OFF),
        ApplianceCommand("ac", ApplianceAction.TURN_OFF),
        ApplianceCommand("curtain", ApplianceAction.CLOSE),
        ApplianceCommand("fridge", ApplianceAction.TURN_ON),
        ApplianceCommand("kettle", ApplianceAction.TURN_OFF),
    ]
    for command in commands:
        room.get(command.appliance_id).validate_command(command)
    opened = RoomAppliances.from_config(
        "101",
        [{"id": "blind", "name": "Blind", "kind": "cover", "checkout_state": "open"}],
    )
    assert opened.checkout_commands() == [
        ApplianceCommand("blind", ApplianceAction.OPEN)
    ]
    assert RoomAppliances("102").checkout_commands() == []


def test_command_helpers() -> None:
    assert cmd("a", "turn_on").turns_on
    assert cmd("a", "open").turns_on
    assert not cmd("a", "close").turns_on
    assert cmd("a", "turn_on", 3).to_dict() == {
        "appliance_id": "a",
        "action": "turn_on",
        "value": 3,
    }


# --- reported state -----------------------------------------------------------------


def test_apply_reported_state(room: RoomAppliances) -> None:
    events = room.apply_reported_state("ceiling", is_on=True, value=180, now=T0)
    assert events == [
        ApplianceStateChanged(
            room_id="101", at=T0, appliance_id="ceiling", is_on=True, value=180
        )
    ]
    assert events[0].type == "appliance_state_changed"
    assert room.apply_reported_state("ceiling", is_on=True, value=180, now=at(1)) == []
    assert room.get("ceiling").updated_at == T0
    # Off without a value keeps the last brightness.
    events = room.apply_reported_state("ceiling", is_on=False, now=at(2))
    assert events[0] == ApplianceStateChanged(
        room_id="101", at=at(2), appliance_id="ceiling", is_on=False, value=180
    )
    ceiling = room.get("ceiling")
    assert (ceiling.is_on, ceiling.value, ceiling.updated_at) == (False, 180, at(2))
    room.apply_reported_state("ceiling", is_on=False, value=90, now=at(3))
    assert room.get("ceiling").value == 90
    room.apply_reported_state("kettle", is_on=True, now=at(4))
    assert room.get("kettle").is_on
    room.apply_reported_state("ac", is_on=True, value=23.5, now=at(5))
    assert room.get("ac").value == 23.5


def test_apply_reported_state_refusals(room: RoomAppliances) -> None:
    with refused(room, "unknown_appliance"):
        room.apply_reported_state("tv", is_on=True, now=T0)
    with refused(room, "invalid_appliance_value"):
        room.apply_reported_state("ceiling", is_on=True, value=300, now=T0)
    with refused(room, "appliance_takes_no_value"):
        room.apply_reported_state("kettle", is_on=True, value=1, now=T0)
    with refused(room, "invalid_appliance_state"):
        room.apply_reported_state("kettle", is_on="on", now=T0)  # type: ignore[arg-type]
    with refused(room, "naive_datetime"):
        room.apply_reported_state("kettle", is_on=True, now=NAIVE)


# --- persistence --------------------------------------------------------------------


def test_round_trip_through_json(room: RoomAppliances) -> None:
    room.apply_reported_state("ceiling", is_on=True, value=180, now=T0)
    room.apply_reported_state("ac", is_on=True, value=21.5, now=at(1))
    room.apply_reported_state("curtain", is_on=True, value=40, now=at(2))
    restored = roundtrip(room)
    assert restored.to_dict() == room.to_dict()
    assert restored.room_id == "101"
    assert restored.get("ac").value == 21.5
    assert restored.get("ac").updated_at == at(1)
    assert restored.get("fridge").checkout_state is CheckoutState.ON
    assert restored.checkout_commands() == room.checkout_commands()
    data = room.to_dict()
    assert data["appliances"][0] == {
        "id": "ceiling",
        "name": "Ceiling light",
        "kind": "light",
        "checkout_state": "off",
        "min_temp": None,
        "max_temp": None,
        "is_on": True,
        "value": 180,
        "updated_at": T0.isoformat(),
    }


def test_from_dict_refuses_corrupt_data(room: RoomAppliances) -> None:
    data = json.loads(json.dumps(room.to_dict()))
    duplicated = json.loads(json.dumps(data))
    duplicated["appliances"].append(duplicated["appliances"][0])
    with pytest.raises(DoorServiceError, match="duplicate_appliance_id"):
        RoomAppliances.from_dict(duplicated)
    bad_value = json.loads(json.dumps(data))
    bad_value["appliances"][0]["value"] = 999
    with pytest.raises(DoorServiceError, match="invalid_appliance_value"):
        RoomAppliances.from_dict(bad_value)
    bad_state = json.loads(json.dumps(data))
    bad_state["appliances"][0]["is_on"] = "yes"
    with pytest.raises(DoorServiceError, match="invalid_appliance_state"):
        RoomAppliances.from_dict(bad_state)
    naive = json.loads(json.dumps(data))
    naive["appliances"][0]["updated_at"] = NAIVE.isoformat()
    with pytest.raises(DoorServiceError, match="naive_datetime"):
        RoomAppliances.from_dict(naive)


def test_appliance_direct_construction() -> None:
    appliance = Appliance(
        id="heater",
        name="Heater",
        kind=ApplianceKind.CLIMATE,
        checkout_state=CheckoutState.UNCHANGED,
    )
    assert appliance.checkout_command() is None
    assert (appliance.min_temp, appliance.max_temp) == (7.0, 35.0)
    with pytest.raises(DoorServiceError, match="invalid_appliance_id"):
        Appliance(
            id=5,  # type: ignore[arg-type]
            name="x",
            kind=ApplianceKind.SWITCH,
            checkout_state=CheckoutState.OFF,
        )
