"""Tests for the supplies catalog and cabinet stock."""

from __future__ import annotations

from decimal import Decimal
import json

import pytest

from custom_components.doorservice.core.errors import DoorServiceError
from custom_components.doorservice.core.events import (
    LowStock,
    StockAdjusted,
    StockConsumed,
    StockRecovered,
    StockReleased,
    StockReserved,
)
from custom_components.doorservice.core.supplies import (
    DEFAULT_SUPPLIES,
    PricedLine,
    Stock,
    SupplyCatalog,
    SupplyItem,
)


def _stocked() -> tuple[SupplyCatalog, Stock]:
    catalog = SupplyCatalog.default()
    stock = Stock("lobby")
    stock.restock("trash_bags", 10, catalog)
    stock.restock("sponges", 8, catalog)
    return catalog, stock


def _refused(stock: Stock, key: str, call: object, *args: object) -> DoorServiceError:
    before = stock.to_dict()
    assert callable(call)
    with pytest.raises(DoorServiceError) as info:
        call(*args)
    assert info.value.translation_key == key
    assert stock.to_dict() == before
    return info.value


def test_default_catalog() -> None:
    catalog = SupplyCatalog.default()
    assert [i.sku for i in catalog] == [i.sku for i in DEFAULT_SUPPLIES]
    assert {"trash_bags", "all_purpose_cleaner", "sponges", "toilet_paper"} <= set(
        catalog.items
    )
    assert "microfiber_cloths" in catalog
    assert all(isinstance(i.price, Decimal) and i.price > 0 for i in catalog)
    with pytest.raises(DoorServiceError) as info:
        catalog.get("caviar")
    assert info.value.translation_key == "unknown_sku"


def test_catalog_edit_and_round_trip() -> None:
    catalog = SupplyCatalog.default()
    catalog.items["gloves"] = SupplyItem("gloves", "Rubber gloves", Decimal("1.99"), 2)
    catalog.items["sponges"] = SupplyItem(
        "sponges", "Sponges (pack of 10)", Decimal("4.00"), 3
    )
    catalog.remove("toilet_paper")
    with pytest.raises(DoorServiceError):
        catalog.remove("toilet_paper")
    assert catalog.get("sponges").price == Decimal("4.00")
    data = json.loads(json.dumps(catalog.to_dict()))
    assert data["items"][-1]["price"] == "1.99"
    assert SupplyCatalog.from_dict(data) == catalog


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"sku": "Trash Bags"}, "invalid_sku"),
        ({"sku": "a__b"}, "invalid_sku"),
        ({"name": "  "}, "invalid_supply_item"),
        ({"price": Decimal("-1")}, "invalid_supply_price"),
        ({"price": Decimal("NaN")}, "invalid_supply_price"),
        ({"low_stock_threshold": -1}, "invalid_supply_item"),
    ],
)
def test_bad_items(kwargs: dict[str, object], key: str) -> None:
    fields: dict[str, object] = {
        "sku": "soap",
        "name": "Soap",
        "price": Decimal("1.00"),
        "low_stock_threshold": 0,
    }
    fields.update(kwargs)
    with pytest.raises(DoorServiceError) as info:
        SupplyItem(**fields)  # type: ignore[arg-type]
    assert info.value.translation_key == key


def test_bad_price_in_stored_data() -> None:
    with pytest.raises(DoorServiceError) as info:
        SupplyItem.from_dict(
            {"sku": "soap", "name": "Soap", "price": "cheap", "low_stock_threshold": 0}
        )
    assert info.value.translation_key == "invalid_supply_price"


def test_reserve_prices_and_is_atomic() -> None:
    catalog, stock = _stocked()
    lines, events = stock.reserve(
        "DS-1", [("trash_bags", 2), ("sponges", 1), ("trash_bags", 1)], catalog
    )
    assert lines == [
        PricedLine(
            "trash_bags",
            "Trash bags (roll of 20)",
            3,
            Decimal("3.50"),
            Decimal("10.50"),
        ),
        PricedLine(
            "sponges", "Sponges (pack of 5)", 1, Decimal("2.50"), Decimal("2.50")
        ),
    ]
    assert lines[0].to_dict() == {
        "sku": "trash_bags",
        "name": "Trash bags (roll of 20)",
        "quantity": 3,
        "unit_price": "3.50",
        "amount": "10.50",
    }
    assert events == [
        StockReserved("lobby", "DS-1", (("trash_bags", 3), ("sponges", 1)))
    ]
    assert stock.available("trash_bags") == 7
    assert stock.reserved("trash_bags") == 3
    assert stock.reservation("DS-1") == {"trash_bags": 3, "sponges": 1}
    assert stock.reservation("DS-9") == {}
    # all or nothing: the first line fits, the second does not
    err = _refused(
        stock,
        "insufficient_stock",
        stock.reserve,
        "DS-2",
        [("trash_bags", 1), ("sponges", 8)],
        catalog,
    )
    assert err.placeholders == {"sku": "sponges", "requested": "8", "available": "7"}
    err = _refused(
        stock,
        "insufficient_stock",
        stock.reserve,
        "DS-2",
        [("toilet_paper", 1)],
        catalog,
    )
    assert err.placeholders["available"] == "0"
    _refused(
        stock,
        "supplies_already_reserved",
        stock.reserve,
        "DS-1",
        [("sponges", 1)],
        catalog,
    )
    _refused(stock, "no_supply_lines", stock.reserve, "DS-2", [], catalog)
    _refused(stock, "invalid_order_id", stock.reserve, "", [("sponges", 1)], catalog)
    _refused(stock, "unknown_sku", stock.reserve, "DS-2", [("caviar", 1)], catalog)
    _refused(
        stock,
        "invalid_supply_quantity",
        stock.reserve,
        "DS-2",
        [("sponges", 0)],
        catalog,
    )
    assert stock.invariant_violations() == []


def test_release_consume_and_low_stock_once_per_crossing() -> None:
    catalog, stock = _stocked()  # trash_bags 10 (threshold 5), sponges 8 (threshold 5)
    _, events = stock.reserve("DS-1", [("trash_bags", 4)], catalog)
    assert events[1:] == []
    _, events = stock.reserve("DS-2", [("trash_bags", 1)], catalog)
    assert events[1:] == [LowStock("lobby", "trash_bags", 5, 5)]
    assert stock.low_stock() == ["trash_bags"]
    # still low: no second event
    _, events = stock.reserve("DS-3", [("trash_bags", 2)], catalog)
    assert events[1:] == []
    # cancelling DS-3 brings it back to 5: still low, no event
    assert stock.release("DS-3", catalog) == [
        StockReleased("lobby", "DS-3", (("trash_bags", 2),))
    ]
    # cancelling DS-1 lifts it above the threshold
    assert stock.release("DS-1", catalog)[1:] == [
        StockRecovered("lobby", "trash_bags", 9, 5)
    ]
    assert stock.low_stock() == []
    # picking up does not change what is available
    assert stock.consume("DS-2") == [
        StockConsumed("lobby", "DS-2", (("trash_bags", 1),))
    ]
    assert stock.on_hand["trash_bags"] == 9
    assert stock.available("trash_bags") == 9
    _refused(stock, "no_supply_reservation", stock.consume, "DS-2")
    _refused(stock, "no_supply_reservation", stock.release, "DS-2", catalog)
    assert stock.invariant_violations() == []


def test_restock_and_stock_take() -> None:
    catalog = SupplyCatalog.default()
    stock = Stock("lobby")
    assert stock.restock("toilet_paper", 2, catalog) == [
        StockAdjusted("lobby", "toilet_paper", 0, 2),
        LowStock("lobby", "toilet_paper", 2, 4),
    ]
    assert stock.restock("toilet_paper", 10, catalog) == [
        StockAdjusted("lobby", "toilet_paper", 2, 12),
        StockRecovered("lobby", "toilet_paper", 12, 4),
    ]
    _refused(
        stock, "invalid_supply_quantity", stock.restock, "toilet_paper", 0, catalog
    )
    _refused(stock, "unknown_sku", stock.restock, "caviar", 1, catalog)
    stock.reserve("DS-1", [("toilet_paper", 6)], catalog)
    assert stock.available("toilet_paper") == 6
    stock.reserve("DS-3", [("toilet_paper", 6)], catalog)
    assert stock.available("toilet_paper") == 0
    _refused(
        stock,
        "insufficient_stock",
        stock.reserve,
        "DS-2",
        [("toilet_paper", 1)],
        catalog,
    )
    assert stock.invariant_violations() == []


def test_item_removed_from_catalog_while_reserved() -> None:
    catalog, stock = _stocked()
    stock.reserve("DS-1", [("sponges", 5)], catalog)
    catalog.remove("sponges")
    # releasing still works; no low-stock evaluation for an unknown item
    assert stock.release("DS-1", catalog) == [
        StockReleased("lobby", "DS-1", (("sponges", 5),))
    ]
    assert stock.available("sponges") == 8


def test_invariant_violations_detected() -> None:
    stock = Stock(
        "lobby",
        on_hand={"sponges": -1, "trash_bags": 1},
        reservations={"A": {"trash_bags": 2}, "B": {}, "C": {"sponges": 0}},
    )
    problems = stock.invariant_violations()
    assert problems == [
        "sponges: -1 on hand",
        "sponges: 0 reserved, -1 on hand",
        "trash_bags: 2 reserved, 1 on hand",
        "B: empty or non-positive reservation",
        "C: empty or non-positive reservation",
    ]


def test_round_trip() -> None:
    catalog, stock = _stocked()
    stock.reserve("DS-1", [("trash_bags", 6), ("sponges", 2)], catalog)
    data = json.loads(json.dumps(stock.to_dict()))
    assert data["low"] == ["trash_bags"]
    restored = Stock.from_dict(data)
    assert restored == stock
    assert restored.to_dict() == stock.to_dict()
