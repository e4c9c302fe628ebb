"""Tests for the service catalog."""

from __future__ import annotations

from decimal import Decimal
import json
from typing import Any

import pytest

from custom_components.doorservice.core.catalog import Role, ServiceCatalog, ServiceType
from custom_components.doorservice.core.errors import DoorServiceError


def _raises(key: str) -> Any:
    return pytest.raises(DoorServiceError, match=rf"^{key}\b")


def test_default_catalog_has_the_promised_types() -> None:
    catalog = ServiceCatalog.default()
    for type_id in (
        "standard_cleaning",
        "deep_cleaning",
        "towels",
        "amenities",
        "room_cleaning",
        "laundry",
        "minibar",
        "repair",
        "wake_up_call",
    ):
        assert type_id in catalog
    assert catalog.get("laundry").is_paid
    assert catalog.get("minibar").is_paid
    assert not catalog.get("towels").is_paid
    assert catalog.get("repair").role is Role.MAINTENANCE
    assert catalog.get("standard_cleaning").role is Role.CLEANING
    assert catalog.get("towels").category == "linen"
    assert catalog.ids[0] == "standard_cleaning"
    assert len(catalog) == len(list(catalog)) == len(catalog.ids)
    assert catalog.categories() == [
        "cleaning",
        "linen",
        "assistance",
        "food",
        "maintenance",
        "concierge",
    ]
    assert catalog.get("call_staff").category == "assistance"
    assert "standard_cleaning" in repr(catalog)
    # A home starts with its cleaning visits only: no room service lists.
    home = ServiceCatalog.default("home")
    assert home.ids == ["standard_cleaning", "deep_cleaning"]
    assert home.categories() == ["cleaning"]
    assert ServiceCatalog.default("hotel").ids == catalog.ids
    for service_type in catalog:
        service_type.validate()


def test_get_unknown_type() -> None:
    with _raises("unknown_service_type") as err:
        ServiceCatalog.default().get("jacuzzi")
    assert err.value.translation_key == "unknown_service_type"
    assert err.value.placeholders == {"service_type": "jacuzzi"}


def test_add_update_remove() -> None:
    catalog = ServiceCatalog()
    spa = ServiceType("spa", "Spa", Role.CONCIERGE, Decimal("40"), 60, 30, "wellness")
    catalog.add(spa)
    assert catalog.get("spa") is spa
    assert catalog.ids == ["spa"]

    updated = catalog.update("spa", price=Decimal("45.50"), role=Role.HOUSEKEEPING)
    assert updated.price == Decimal("45.50")
    assert updated.role is Role.HOUSEKEEPING
    assert catalog.get("spa") == updated
    renamed = catalog.update("spa", name="Spa treatment", id="spa")
    assert renamed.name == "Spa treatment"
    assert catalog.update("spa", role="concierge").role is Role.CONCIERGE

    removed = catalog.remove("spa")
    assert removed.name == "Spa treatment"
    assert removed.role is Role.CONCIERGE
    assert "spa" not in catalog
    assert len(catalog) == 0


def test_remove_unknown_changes_nothing() -> None:
    catalog = ServiceCatalog.default()
    before = catalog.to_dict()
    with _raises("unknown_service_type"):
        catalog.remove("nope")
    assert catalog.to_dict() == before


@pytest.mark.parametrize(
    ("service_type", "key"),
    [
        (ServiceType("Bad Id", "x", Role.CLEANING), "invalid_service_type_id"),
        (ServiceType("9lives", "x", Role.CLEANING), "invalid_service_type_id"),
        (ServiceType("ok", "  ", Role.CLEANING), "invalid_service_name"),
        (ServiceType("ok", "x", Role.CLEANING, Decimal(-1)), "invalid_price"),
        (ServiceType("ok", "x", Role.CLEANING, Decimal("NaN")), "invalid_price"),
        (ServiceType("ok", "x", Role.CLEANING, Decimal(1), 0), "invalid_minutes"),
        (ServiceType("ok", "x", Role.CLEANING, Decimal(1), True), "invalid_minutes"),
        (ServiceType("ok", "x", Role.CLEANING, Decimal(1), 10, 0), "invalid_minutes"),
        (
            ServiceType("ok", "x", Role.CLEANING, Decimal(1), 10, 10, "Bad Cat"),
            "invalid_category",
        ),
    ],
)
def test_add_refuses_invalid_types(service_type: ServiceType, key: str) -> None:
    catalog = ServiceCatalog.default()
    before = catalog.to_dict()
    with _raises(key):
        catalog.add(service_type)
    assert catalog.to_dict() == before


def test_add_duplicate() -> None:
    catalog = ServiceCatalog.default()
    before = catalog.to_dict()
    with _raises("duplicate_service_type"):
        catalog.add(ServiceType("towels", "Towels again", Role.HOUSEKEEPING))
    assert catalog.to_dict() == before


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"price": Decimal(-5)}, "invalid_price"),
        ({"price": "abc"}, "invalid_price"),
        ({"duration_minutes": 0}, "invalid_minutes"),
        ({"sla_minutes": -3}, "invalid_minutes"),
        ({"role": "gardener"}, "invalid_role"),
        ({"id": "other"}, "service_type_id_immutable"),
        ({"colour": "red"}, "invalid_service_field"),
        ({"category": ""}, "invalid_category"),
    ],
)
def test_update_refuses_bad_changes(changes: dict[str, Any], key: str) -> None:
    catalog = ServiceCatalog.default()
    before = catalog.to_dict()
    with _raises(key):
        catalog.update("towels", **changes)
    assert catalog.to_dict() == before


def test_update_unknown() -> None:
    with _raises("unknown_service_type"):
        ServiceCatalog().update("towels", name="x")


def test_round_trip_through_json() -> None:
    catalog = ServiceCatalog.default()
    catalog.update("towels", price=Decimal("1.50"))
    data = json.loads(json.dumps(catalog.to_dict()))
    rebuilt = ServiceCatalog.from_dict(data)
    assert rebuilt.to_dict() == catalog.to_dict()
    assert list(rebuilt) == list(catalog)
    assert rebuilt.get("towels").price == Decimal("1.50")
    assert data["service_types"][0]["price"] == "0"


def test_from_dict_defaults_and_validation() -> None:
    minimal = ServiceType.from_dict(
        {"id": "iron", "name": "Iron", "role": "housekeeping"}
    )
    assert minimal == ServiceType("iron", "Iron", Role.HOUSEKEEPING)
    assert not minimal.is_paid
    with _raises("invalid_role"):
        ServiceType.from_dict({"id": "x", "name": "X", "role": "pilot"})
    with _raises("invalid_service_type_id"):
        ServiceType.from_dict({"id": "X X", "name": "X", "role": "cleaning"})


def test_replace_swaps_every_type_for_its_holders() -> None:
    catalog = ServiceCatalog.default()
    holder = catalog  # routing and the desk hold the same object
    ironing = ServiceType("ironing", "Ironing", Role.HOUSEKEEPING, Decimal("8.50"))
    catalog.replace([ironing, catalog.get("towels")])
    assert holder.ids == ["ironing", "towels"]
    assert holder.get("ironing").price == Decimal("8.50")


def test_replace_changes_nothing_when_one_type_is_invalid() -> None:
    catalog = ServiceCatalog.default()
    towels = catalog.get("towels")
    with _raises("duplicate_service_type"):
        catalog.replace([towels, towels])
    with _raises("invalid_price"):
        catalog.replace(
            [ServiceType("ironing", "Ironing", Role.HOUSEKEEPING, Decimal(-1))]
        )
    assert catalog.ids == ServiceCatalog.default().ids
