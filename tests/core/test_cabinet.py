"""Tests for cabinets and compartments."""

from __future__ import annotations

import json

import pytest

from custom_components.doorservice.core.cabinet import (
    DEFAULT_SIZE_PATTERN,
    Cabinet,
    Compartment,
)
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    CompartmentAllocated,
    CompartmentReleased,
    CompartmentSize,
    Contents,
    ContentsChanged,
    DoorChanged,
    ServiceStateChanged,
)

SMALL = CompartmentSize.SMALL
MEDIUM = CompartmentSize.MEDIUM
LARGE = CompartmentSize.LARGE


def _refused(
    cabinet: Cabinet, key: str, call: object, *args: object
) -> DoorServiceError:
    """Call and expect a refusal that changes nothing."""
    before = cabinet.to_dict()
    assert callable(call)
    with pytest.raises(DoorServiceError) as info:
        call(*args)
    assert info.value.translation_key == key
    assert cabinet.to_dict() == before
    return info.value


def test_build_default_pattern() -> None:
    cabinet = Cabinet.build("lobby", 12)
    assert [c.number for c in cabinet] == list(range(1, 13))
    assert [c.size for c in cabinet] == [
        *DEFAULT_SIZE_PATTERN,
        SMALL,
        SMALL,
        SMALL,
        MEDIUM,
    ]
    assert all(c.is_free and c.locked and c.door_open is None for c in cabinet)
    assert cabinet.free_count() == 12
    assert cabinet.free_count(MEDIUM) == 3
    assert cabinet.free_count(LARGE) == 1
    assert cabinet.invariant_violations(set()) == []


def test_build_explicit_sizes_and_bad_layouts() -> None:
    cabinet = Cabinet.build("c", 3, [LARGE, SMALL, MEDIUM])
    assert [c.size for c in cabinet] == [LARGE, SMALL, MEDIUM]
    for args, key in [
        (("", 3), "invalid_cabinet_layout"),
        (("c", 0), "invalid_compartment_count"),
        (("c", 201), "invalid_compartment_count"),
        (("c", 2, [SMALL]), "invalid_cabinet_layout"),
    ]:
        with pytest.raises(DoorServiceError) as info:
            Cabinet.build(*args)  # type: ignore[arg-type]
        assert info.value.translation_key == key


def test_allocate_smallest_fit_lowest_number_then_full() -> None:
    cabinet = Cabinet.build("c", 4, [LARGE, MEDIUM, SMALL, SMALL])
    number, events = cabinet.allocate("DS-1", SMALL)
    assert number == 3
    assert events == [CompartmentAllocated("c", 3, "DS-1", SMALL)]
    assert cabinet.allocate("DS-2")[0] == 4
    # no small left: the next small request takes the medium one
    assert cabinet.allocate("DS-3", SMALL)[0] == 2
    assert cabinet.allocate("DS-4", MEDIUM)[0] == 1
    assert cabinet.free_count() == 0
    live = {"DS-1", "DS-2", "DS-3", "DS-4"}
    assert cabinet.invariant_violations(live) == []
    err = _refused(cabinet, "no_free_compartment", cabinet.allocate, "DS-5", SMALL)
    assert err.placeholders == {"cabinet_id": "c", "size": "small"}
    _refused(cabinet, "invalid_order_id", cabinet.allocate, "", SMALL)


def test_allocate_skips_out_of_service_and_size_too_small() -> None:
    cabinet = Cabinet.build("c", 3, [SMALL, MEDIUM, LARGE])
    assert cabinet.set_out_of_service(3, True) == [ServiceStateChanged("c", 3, True)]
    assert cabinet.set_out_of_service(3, True) == []
    _refused(cabinet, "no_free_compartment", cabinet.allocate, "DS-1", LARGE)
    assert cabinet.free_count(LARGE) == 0
    assert cabinet.allocate("DS-1", MEDIUM)[0] == 2
    assert cabinet.set_out_of_service(3, False) == [ServiceStateChanged("c", 3, False)]
    assert cabinet.allocate("DS-2", LARGE)[0] == 3


def test_release_and_contents_lifecycle() -> None:
    cabinet = Cabinet.build("c", 2, [SMALL, SMALL])
    number, _ = cabinet.allocate("DS-1")
    assert cabinet.compartments_for("DS-1") == [cabinet.compartment(number)]
    events = cabinet.set_contents(number, Contents.KEY, "DS-1")
    assert events == [ContentsChanged("c", 1, "DS-1", Contents.RESERVED, Contents.KEY)]
    assert cabinet.set_contents(number, Contents.KEY, "DS-1") == []
    _refused(cabinet, "compartment_holds_key", cabinet.release, number, "DS-1")
    _refused(cabinet, "compartment_not_held", cabinet.release, number, "DS-9")
    _refused(cabinet, "compartment_not_held", cabinet.release, 2, "DS-1")
    _refused(
        cabinet, "compartment_in_use", cabinet.set_contents, 1, Contents.EMPTY, "X"
    )
    _refused(cabinet, "compartment_in_use", cabinet.set_out_of_service, 1, True)
    assert cabinet.invariant_violations({"DS-1"}) == []
    # key taken by the worker, supplies stay
    cabinet.set_contents(number, Contents.KEY_AND_SUPPLIES, "DS-1")
    cabinet.set_contents(number, Contents.SUPPLIES, "DS-1")
    assert not cabinet.compartment(1).contents.holds_key
    # supplies may be released back to the cabinet
    events = cabinet.release(number, "DS-1")
    assert events == [
        ContentsChanged("c", 1, "DS-1", Contents.SUPPLIES, Contents.EMPTY),
        CompartmentReleased("c", 1, "DS-1"),
    ]
    assert cabinet.compartment(1).is_free
    # setting empty unbinds the order
    cabinet.allocate("DS-2")
    cabinet.set_contents(1, Contents.KEY, "DS-2")
    cabinet.set_contents(1, Contents.EMPTY, "DS-2")
    assert cabinet.compartment(1).order_id is None
    assert cabinet.free_count() == 2
    # a free compartment can be filled directly (e.g. a restock for an order)
    cabinet.set_contents(2, Contents.SUPPLIES, "DS-3")
    assert cabinet.compartment(2).order_id == "DS-3"
    # but not one out of service
    cabinet.set_out_of_service(1, True)
    _refused(
        cabinet,
        "compartment_out_of_service",
        cabinet.set_contents,
        1,
        Contents.KEY,
        "X",
    )
    assert cabinet.invariant_violations({"DS-3"}) == []


def test_unknown_compartment() -> None:
    cabinet = Cabinet.build("c", 2)
    for number in (0, 3, -1):
        err = _refused(cabinet, "unknown_compartment", cabinet.compartment, number)
        assert err.placeholders == {"cabinet_id": "c", "number": str(number)}


def test_hardware_updates() -> None:
    cabinet = Cabinet.build("c", 1)
    assert cabinet.update_door(1, True) == [DoorChanged("c", 1, True)]
    assert cabinet.update_door(1, True) == []
    assert cabinet.update_door(1, None) == [DoorChanged("c", 1, None)]


def test_invariant_violations_detected() -> None:
    cabinet = Cabinet(
        "c",
        [
            Compartment(1, SMALL, order_id="A"),
            Compartment(2, SMALL, contents=Contents.KEY),
            Compartment(4, SMALL, contents=Contents.RESERVED, order_id="dead"),
            Compartment(
                3, SMALL, contents=Contents.SUPPLIES, order_id="B", out_of_service=True
            ),
        ],
    )
    problems = cabinet.invariant_violations({"A", "B"})
    assert len(problems) == 5
    assert any("not 1..n" in p for p in problems)
    assert any("dead order" in p for p in problems)
    # without live orders the liveness rule is not checked
    assert len(cabinet.invariant_violations()) == 4


def test_round_trip() -> None:
    cabinet = Cabinet.build("c", 5)
    cabinet.allocate("DS-1", MEDIUM)
    cabinet.set_contents(4, Contents.KEY_AND_SUPPLIES, "DS-1")
    cabinet.update_door(4, False)
    cabinet.compartment(2).locked = False
    cabinet.set_out_of_service(5, True)
    data = json.loads(json.dumps(cabinet.to_dict()))
    restored = Cabinet.from_dict(data)
    assert restored == cabinet
    assert restored.to_dict() == cabinet.to_dict()
