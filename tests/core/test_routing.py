"""Tests for routing and workers."""

from __future__ import annotations

import json

import pytest

from custom_components.doorservice.core.catalog import Role, ServiceCatalog
from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.routing import RoutingTable
from custom_components.doorservice.core.workers import Worker, WorkerStatus

ANN = Worker("ann", "Ann", frozenset({Role.HOUSEKEEPING, Role.CLEANING}))
BOB = Worker("bob", "Bob", frozenset({Role.HOUSEKEEPING}), on_duty=False)
CID = Worker("cid", "Cid", frozenset({Role.MAINTENANCE}))
DEE = Worker("dee", "Dee", frozenset({Role.HOUSEKEEPING}))
STAFF = [ANN, BOB, CID, DEE]


def test_role_and_eligible_workers_in_stable_order() -> None:
    routing = RoutingTable(ServiceCatalog.default())
    assert routing.role_for("towels") is Role.HOUSEKEEPING
    assert routing.role_for(routing.catalog.get("repair")) is Role.MAINTENANCE
    assert routing.eligible("towels", STAFF) == [ANN, DEE]
    assert routing.eligible("towels", [DEE, ANN]) == [DEE, ANN]
    assert routing.eligible("repair", STAFF) == [CID]
    assert routing.eligible("wake_up_call", STAFF) == []
    assert RoutingTable.workers_for_role(Role.CLEANING, STAFF) == [ANN]


def test_overrides() -> None:
    routing = RoutingTable(
        ServiceCatalog.default(),
        {"towels": Role.MAINTENANCE, "repair": Role.HOUSEKEEPING},
    )
    assert routing.role_for("towels") is Role.MAINTENANCE
    assert routing.eligible("towels", STAFF) == [CID]
    assert routing.eligible("repair", STAFF) == [ANN, DEE]
    assert routing.role_overrides == {
        "towels": Role.MAINTENANCE,
        "repair": Role.HOUSEKEEPING,
    }
    routing.clear_override("towels")
    routing.clear_override("never_set")
    assert routing.role_for("towels") is Role.HOUSEKEEPING
    assert routing.role_overrides == {"repair": Role.HOUSEKEEPING}
    with pytest.raises(DoorServiceError):
        routing.role_for("jacuzzi")


def test_override_for_a_removed_type_is_kept_but_inert() -> None:
    catalog = ServiceCatalog.default()
    routing = RoutingTable(catalog, {"minibar": Role.CONCIERGE})
    catalog.remove("minibar")
    assert routing.role_overrides == {"minibar": Role.CONCIERGE}
    with pytest.raises(DoorServiceError):
        routing.eligible("minibar", STAFF)


def test_round_trip() -> None:
    catalog = ServiceCatalog.default()
    routing = RoutingTable(catalog, {"towels": Role.CONCIERGE})
    data = json.loads(json.dumps(routing.to_dict()))
    assert data == {"role_overrides": {"towels": "concierge"}}
    rebuilt = RoutingTable.from_dict(catalog, data)
    assert rebuilt.role_overrides == routing.role_overrides
    assert RoutingTable.from_dict(catalog, {}).role_overrides == {}
    with pytest.raises(DoorServiceError) as err:
        RoutingTable.from_dict(catalog, {"role_overrides": {"towels": "pilot"}})
    assert err.value.translation_key == "invalid_role"


def test_worker_round_trip_and_roles() -> None:
    assert ANN.has_role(Role.CLEANING)
    assert not CID.has_role(Role.CLEANING)
    data = json.loads(json.dumps(ANN.to_dict()))
    assert data == {
        "id": "ann",
        "name": "Ann",
        "roles": ["cleaning", "housekeeping"],
        "on_duty": True,
    }
    assert Worker.from_dict(data) == ANN
    assert Worker.from_dict(BOB.to_dict()) == BOB
    assert Worker.from_dict({"id": "x", "name": "X", "roles": []}).on_duty
    assert [s.value for s in WorkerStatus] == ["off_duty", "idle", "offered", "busy"]
