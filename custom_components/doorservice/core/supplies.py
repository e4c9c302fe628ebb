"""Cleaning supplies: a priced catalog per site and the stock of each cabinet.

Buying supplies reserves stock for an order (all lines or none); the reservation is
released when the order is cancelled and consumed when the worker picks the supplies
up. ``available`` is what is on hand minus what is reserved; stock on hand never goes
below zero and never below what is reserved. A ``LowStock`` event fires once when an
item's available count falls to or below its threshold, and ``StockRecovered`` once
when it rises above it again. Orders are referred to by their id string only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
import re
from typing import Any

from .errors import DoorServiceError
from .events import (
    LowStock,
    StockAdjusted,
    StockConsumed,
    StockRecovered,
    StockReleased,
    StockReserved,
    SupplyEvent,
)

_SKU_RE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class SupplyItem:
    """A product a site sells from its cabinets."""

    sku: str
    name: str
    price: Decimal
    low_stock_threshold: int = 0

    def __post_init__(self) -> None:
        """Refuse a malformed item."""
        if not _SKU_RE.fullmatch(self.sku):
            raise DoorServiceError("invalid_sku", sku=self.sku)
        if not self.name.strip():
            raise DoorServiceError("invalid_supply_item", sku=self.sku)
        if not self.price.is_finite() or self.price < 0:
            raise DoorServiceError(
                "invalid_supply_price", sku=self.sku, price=self.price
            )
        if self.low_stock_threshold < 0:
            raise DoorServiceError("invalid_supply_item", sku=self.sku)

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict (price as a string)."""
        return {
            "sku": self.sku,
            "name": self.name,
            "price": str(self.price),
            "low_stock_threshold": self.low_stock_threshold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SupplyItem:
        """Rebuild from ``to_dict`` output."""
        try:
            price = Decimal(str(data["price"]))
        except InvalidOperation:
            raise DoorServiceError(
                "invalid_supply_price", sku=data["sku"], price=data["price"]
            ) from None
        return cls(
            sku=str(data["sku"]),
            name=str(data["name"]),
            price=price,
            low_stock_threshold=int(data["low_stock_threshold"]),
        )


DEFAULT_SUPPLIES: tuple[SupplyItem, ...] = (
    SupplyItem("trash_bags", "Trash bags (roll of 20)", Decimal("3.50"), 5),
    SupplyItem("all_purpose_cleaner", "All-purpose cleaner 750 ml", Decimal("4.90"), 3),
    SupplyItem("sponges", "Sponges (pack of 5)", Decimal("2.50"), 5),
    SupplyItem(
        "microfiber_cloths", "Microfiber cloths (pack of 4)", Decimal("5.90"), 4
    ),
    SupplyItem("toilet_paper", "Toilet paper (8 rolls)", Decimal("4.50"), 4),
)


@dataclass(slots=True)
class SupplyCatalog:
    """The supplies a site sells, by sku."""

    items: dict[str, SupplyItem] = field(default_factory=dict)

    @classmethod
    def default(cls) -> SupplyCatalog:
        """A catalog with ``DEFAULT_SUPPLIES``."""
        return cls({item.sku: item for item in DEFAULT_SUPPLIES})

    def __iter__(self) -> Iterator[SupplyItem]:
        """Iterate over the items."""
        return iter(self.items.values())

    def __contains__(self, sku: object) -> bool:
        """Whether ``sku`` is in the catalog."""
        return sku in self.items

    def get(self, sku: str) -> SupplyItem:
        """Return the item or raise ``unknown_sku``."""
        try:
            return self.items[sku]
        except KeyError:
            raise DoorServiceError("unknown_sku", sku=sku) from None

    def remove(self, sku: str) -> None:
        """Remove an item."""
        self.get(sku)
        del self.items[sku]

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {"items": [item.to_dict() for item in self.items.values()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SupplyCatalog:
        """Rebuild from ``to_dict`` output."""
        items = [SupplyItem.from_dict(i) for i in data["items"]]
        return cls({item.sku: item for item in items})


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One line of a supplies purchase, priced at reservation time."""

    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict (money as strings)."""
        return {
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price": str(self.unit_price),
            "amount": str(self.amount),
        }


@dataclass(slots=True)
class Stock:
    """Supplies on hand in one cabinet and the reservations against them."""

    cabinet_id: str
    on_hand: dict[str, int] = field(default_factory=dict)
    reservations: dict[str, dict[str, int]] = field(default_factory=dict)
    low: set[str] = field(default_factory=set)

    def reserved(self, sku: str) -> int:
        """How many of ``sku`` are reserved by orders."""
        return sum(lines.get(sku, 0) for lines in self.reservations.values())

    def available(self, sku: str) -> int:
        """How many of ``sku`` can still be bought: on hand minus reserved."""
        return self.on_hand.get(sku, 0) - self.reserved(sku)

    def reservation(self, order_id: str) -> dict[str, int]:
        """A copy of the order's reserved quantities by sku (empty when none)."""
        return dict(self.reservations.get(order_id, {}))

    def reserve(
        self,
        order_id: str,
        lines: Sequence[tuple[str, int]],
        catalog: SupplyCatalog,
    ) -> tuple[list[PricedLine], list[SupplyEvent]]:
        """Reserve every line for ``order_id`` or nothing; return the priced lines.

        Repeated skus are added up. Raises ``insufficient_stock`` naming the first sku
        that is short.
        """
        if not order_id:
            raise DoorServiceError("invalid_order_id", order_id=order_id)
        if order_id in self.reservations:
            raise DoorServiceError("supplies_already_reserved", order_id=order_id)
        if not lines:
            raise DoorServiceError("no_supply_lines", order_id=order_id)
        wanted: dict[str, int] = {}
        for sku, quantity in lines:
            catalog.get(sku)
            if quantity < 1:
                raise DoorServiceError(
                    "invalid_supply_quantity", sku=sku, quantity=quantity
                )
            wanted[sku] = wanted.get(sku, 0) + quantity
        for sku, quantity in wanted.items():
            available = self.available(sku)
            if quantity > available:
                raise DoorServiceError(
                    "insufficient_stock",
                    sku=sku,
                    requested=quantity,
                    available=max(available, 0),
                )
        self.reservations[order_id] = wanted
        priced = []
        for sku, quantity in wanted.items():
            item = catalog.get(sku)
            priced.append(
                PricedLine(sku, item.name, quantity, item.price, item.price * quantity)
            )
        events: list[SupplyEvent] = [
            StockReserved(self.cabinet_id, order_id, tuple(wanted.items()))
        ]
        events.extend(self._watch(wanted, catalog))
        return priced, events

    def release(self, order_id: str, catalog: SupplyCatalog) -> list[SupplyEvent]:
        """Give an order's reservation back (order cancelled)."""
        lines = self._take_reservation(order_id)
        events: list[SupplyEvent] = [
            StockReleased(self.cabinet_id, order_id, tuple(lines.items()))
        ]
        events.extend(self._watch(lines, catalog))
        return events

    def consume(self, order_id: str) -> list[SupplyEvent]:
        """Take an order's reserved supplies off the stock (picked up).

        Available counts do not change, so no low-stock event can follow.
        """
        lines = self._take_reservation(order_id)
        for sku, quantity in lines.items():
            self.on_hand[sku] -= quantity
        return [StockConsumed(self.cabinet_id, order_id, tuple(lines.items()))]

    def restock(
        self, sku: str, quantity: int, catalog: SupplyCatalog
    ) -> list[SupplyEvent]:
        """Add ``quantity`` of ``sku`` to the cabinet."""
        catalog.get(sku)
        if quantity < 1:
            raise DoorServiceError(
                "invalid_supply_quantity", sku=sku, quantity=quantity
            )
        return self._set(sku, self.on_hand.get(sku, 0) + quantity, catalog)

    def low_stock(self) -> list[str]:
        """Skus currently at or below their threshold (as last evaluated)."""
        return sorted(self.low)

    def invariant_violations(self) -> list[str]:
        """Describe broken stock invariants (an empty list when all hold)."""
        problems = [f"{s}: {n} on hand" for s, n in self.on_hand.items() if n < 0]
        skus = set(self.on_hand).union(*self.reservations.values())
        problems.extend(
            f"{sku}: {self.reserved(sku)} reserved, {self.on_hand.get(sku, 0)} on hand"
            for sku in sorted(skus)
            if self.available(sku) < 0
        )
        problems.extend(
            f"{order_id}: empty or non-positive reservation"
            for order_id, lines in self.reservations.items()
            if not lines or any(q < 1 for q in lines.values())
        )
        return problems

    def _set(self, sku: str, on_hand: int, catalog: SupplyCatalog) -> list[SupplyEvent]:
        previous = self.on_hand.get(sku, 0)
        self.on_hand[sku] = on_hand
        events: list[SupplyEvent] = [
            StockAdjusted(self.cabinet_id, sku, previous, on_hand)
        ]
        events.extend(self._watch([sku], catalog))
        return events

    def _take_reservation(self, order_id: str) -> dict[str, int]:
        try:
            return self.reservations.pop(order_id)
        except KeyError:
            raise DoorServiceError("no_supply_reservation", order_id=order_id) from None

    def _watch(self, skus: Iterable[str], catalog: SupplyCatalog) -> list[SupplyEvent]:
        """Fire low-stock / recovered events for the skus whose state crossed."""
        events: list[SupplyEvent] = []
        for sku in skus:
            if sku not in catalog:
                continue
            threshold = catalog.get(sku).low_stock_threshold
            available = self.available(sku)
            if available <= threshold and sku not in self.low:
                self.low.add(sku)
                events.append(LowStock(self.cabinet_id, sku, available, threshold))
            elif available > threshold and sku in self.low:
                self.low.discard(sku)
                events.append(
                    StockRecovered(self.cabinet_id, sku, available, threshold)
                )
        return events

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "cabinet_id": self.cabinet_id,
            "on_hand": dict(self.on_hand),
            "reservations": {k: dict(v) for k, v in self.reservations.items()},
            "low": sorted(self.low),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stock:
        """Rebuild from ``to_dict`` output."""
        return cls(
            cabinet_id=str(data["cabinet_id"]),
            on_hand={str(k): int(v) for k, v in data["on_hand"].items()},
            reservations={
                str(order): {str(k): int(v) for k, v in lines.items()}
                for order, lines in data["reservations"].items()
            },
            low={str(s) for s in data["low"]},
        )
