"""Smart cabinets: a bank of numbered compartments with a lock and a door each.

A compartment is reserved for one order at booking time (``allocate``), then holds that
order's key and/or supplies, and is freed again when the order is done or cancelled.
Orders are referred to by their id string only.

Invariant (``Cabinet.invariant_violations``): a compartment holds the items of at most
one order, a compartment that holds or is reserved for something names its order, an
empty one names none, an out-of-service one is empty, and a reserved compartment
belongs to a live order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import DoorServiceError
from .events import (
    CabinetEvent,
    CompartmentAllocated,
    CompartmentReleased,
    CompartmentSize,
    Contents,
    ContentsChanged,
    DoorChanged,
    ServiceStateChanged,
)

MAX_COMPARTMENTS = 200


# The layout ``Cabinet.build`` uses when no sizes are given: this pattern repeats from
# compartment 1, so every 4th compartment is medium and every 8th is large
# (1-3 small, 4 medium, 5-7 small, 8 large, 9-11 small, 12 medium, ...).
DEFAULT_SIZE_PATTERN: tuple[CompartmentSize, ...] = (
    CompartmentSize.SMALL,
    CompartmentSize.SMALL,
    CompartmentSize.SMALL,
    CompartmentSize.MEDIUM,
    CompartmentSize.SMALL,
    CompartmentSize.SMALL,
    CompartmentSize.SMALL,
    CompartmentSize.LARGE,
)


@dataclass(slots=True)
class Compartment:
    """One compartment of a cabinet.

    ``door_open`` is ``None`` when the compartment has no door sensor or its state is
    unknown. ``order_id`` names the order whose items it holds or for which it is
    reserved.
    """

    number: int
    size: CompartmentSize
    door_open: bool | None = None
    locked: bool = True
    contents: Contents = Contents.EMPTY
    order_id: str | None = None
    out_of_service: bool = False

    @property
    def is_free(self) -> bool:
        """Whether it can be allocated: in service, empty and bound to no order."""
        return (
            not self.out_of_service
            and self.contents is Contents.EMPTY
            and self.order_id is None
        )

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "number": self.number,
            "size": self.size.value,
            "door_open": self.door_open,
            "locked": self.locked,
            "contents": self.contents.value,
            "order_id": self.order_id,
            "out_of_service": self.out_of_service,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Compartment:
        """Rebuild from ``to_dict`` output."""
        return cls(
            number=int(data["number"]),
            size=CompartmentSize(data["size"]),
            door_open=None if data["door_open"] is None else bool(data["door_open"]),
            locked=bool(data["locked"]),
            contents=Contents(data["contents"]),
            order_id=None if data["order_id"] is None else str(data["order_id"]),
            out_of_service=bool(data["out_of_service"]),
        )


@dataclass(slots=True)
class Cabinet:
    """A bank of compartments numbered from 1."""

    id: str
    compartments: list[Compartment]

    @classmethod
    def build(
        cls,
        cabinet_id: str,
        count: int,
        sizes: Sequence[CompartmentSize] | None = None,
    ) -> Cabinet:
        """Create a cabinet of ``count`` empty compartments numbered 1..count.

        ``sizes`` gives each compartment's size in order; without it the repeating
        ``DEFAULT_SIZE_PATTERN`` is used (every 4th medium, every 8th large).
        """
        if not cabinet_id:
            raise DoorServiceError("invalid_cabinet_layout", cabinet_id=cabinet_id)
        if not 1 <= count <= MAX_COMPARTMENTS:
            raise DoorServiceError(
                "invalid_compartment_count", count=count, maximum=MAX_COMPARTMENTS
            )
        if sizes is None:
            sizes = [
                DEFAULT_SIZE_PATTERN[i % len(DEFAULT_SIZE_PATTERN)]
                for i in range(count)
            ]
        elif len(sizes) != count:
            raise DoorServiceError("invalid_cabinet_layout", cabinet_id=cabinet_id)
        return cls(
            id=cabinet_id,
            compartments=[
                Compartment(number=i + 1, size=CompartmentSize(size))
                for i, size in enumerate(sizes)
            ],
        )

    def __iter__(self) -> Iterator[Compartment]:
        """Iterate over the compartments in number order."""
        return iter(self.compartments)

    def compartment(self, number: int) -> Compartment:
        """Return compartment ``number`` or raise ``unknown_compartment``."""
        if 1 <= number <= len(self.compartments):
            return self.compartments[number - 1]
        raise DoorServiceError("unknown_compartment", cabinet_id=self.id, number=number)

    def free_count(self, size: CompartmentSize | None = None) -> int:
        """Count free compartments (of at least ``size`` when given)."""
        minimum = -1 if size is None else size.rank
        return sum(1 for c in self.compartments if c.is_free and c.size.rank >= minimum)

    def compartments_for(self, order_id: str) -> list[Compartment]:
        """Compartments reserved for or holding the items of ``order_id``."""
        return [c for c in self.compartments if c.order_id == order_id]

    def allocate(
        self, order_id: str, size: CompartmentSize = CompartmentSize.SMALL
    ) -> tuple[int, list[CabinetEvent]]:
        """Reserve a free compartment that fits ``size`` for ``order_id``.

        Picks the smallest fitting size first, then the lowest number. Raises
        ``no_free_compartment`` when none fits, so a booking fails at once.
        """
        if not order_id:
            raise DoorServiceError("invalid_order_id", order_id=order_id)
        candidates = [
            c for c in self.compartments if c.is_free and c.size.rank >= size.rank
        ]
        if not candidates:
            raise DoorServiceError("no_free_compartment", cabinet_id=self.id, size=size)
        chosen = min(candidates, key=lambda c: (c.size.rank, c.number))
        chosen.contents = Contents.RESERVED
        chosen.order_id = order_id
        return chosen.number, [
            CompartmentAllocated(self.id, chosen.number, order_id, chosen.size)
        ]

    def release(self, number: int, order_id: str) -> list[CabinetEvent]:
        """Free compartment ``number`` held for ``order_id`` (e.g. order cancelled).

        A compartment with supplies inside may be released (they stay in the cabinet
        and go back to its stock); one with the key inside may not: the key must be
        collected first (``compartment_holds_key``).
        """
        compartment = self._owned(number, order_id)
        if compartment.contents.holds_key:
            raise DoorServiceError(
                "compartment_holds_key", cabinet_id=self.id, number=number
            )
        previous = compartment.contents
        compartment.contents = Contents.EMPTY
        compartment.order_id = None
        return [
            ContentsChanged(self.id, number, order_id, previous, Contents.EMPTY),
            CompartmentReleased(self.id, number, order_id),
        ]

    def set_contents(
        self, number: int, contents: Contents, order_id: str
    ) -> list[CabinetEvent]:
        """Record what compartment ``number`` now holds for ``order_id``.

        The compartment must be free or already belong to ``order_id``; setting it to
        ``empty`` also unbinds it from the order.
        """
        compartment = self.compartment(number)
        if compartment.order_id is None:
            if compartment.out_of_service:
                raise DoorServiceError(
                    "compartment_out_of_service", cabinet_id=self.id, number=number
                )
        elif compartment.order_id != order_id:
            raise DoorServiceError(
                "compartment_in_use",
                cabinet_id=self.id,
                number=number,
                order_id=compartment.order_id,
            )
        previous = compartment.contents
        if previous is contents:
            return []
        compartment.contents = contents
        compartment.order_id = None if contents is Contents.EMPTY else order_id
        return [ContentsChanged(self.id, number, order_id, previous, contents)]

    def set_out_of_service(
        self, number: int, out_of_service: bool
    ) -> list[CabinetEvent]:
        """Take a compartment out of service (only when empty) or put it back."""
        compartment = self.compartment(number)
        if compartment.out_of_service is out_of_service:
            return []
        if out_of_service and compartment.order_id is not None:
            raise DoorServiceError(
                "compartment_in_use",
                cabinet_id=self.id,
                number=number,
                order_id=compartment.order_id,
            )
        compartment.out_of_service = out_of_service
        return [ServiceStateChanged(self.id, number, out_of_service)]

    def update_door(self, number: int, door_open: bool | None) -> list[CabinetEvent]:
        """Apply a door state reported by the hardware."""
        compartment = self.compartment(number)
        if compartment.door_open is door_open:
            return []
        compartment.door_open = door_open
        return [DoorChanged(self.id, number, door_open)]

    def invariant_violations(
        self, live_order_ids: Collection[str] | None = None
    ) -> list[str]:
        """Describe every broken cabinet invariant (an empty list when all hold).

        With ``live_order_ids`` it also checks that each reserved compartment belongs
        to a live order (a cancelled order may still have its key inside).
        """
        problems: list[str] = []
        numbers = [c.number for c in self.compartments]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"compartment numbers are not 1..n: {numbers}")
        for c in self.compartments:
            if c.contents is Contents.EMPTY and c.order_id is not None:
                problems.append(f"{c.number}: empty but bound to {c.order_id}")
            if c.contents is not Contents.EMPTY and c.order_id is None:
                problems.append(f"{c.number}: {c.contents} without an order")
            if c.out_of_service and c.contents is not Contents.EMPTY:
                problems.append(f"{c.number}: out of service but {c.contents}")
            if (
                live_order_ids is not None
                and c.contents is Contents.RESERVED
                and c.order_id not in live_order_ids
            ):
                problems.append(f"{c.number}: reserved for dead order {c.order_id}")
        return problems

    def _owned(self, number: int, order_id: str) -> Compartment:
        compartment = self.compartment(number)
        if compartment.order_id != order_id:
            raise DoorServiceError(
                "compartment_not_held",
                cabinet_id=self.id,
                number=number,
                order_id=order_id,
            )
        return compartment

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "id": self.id,
            "compartments": [c.to_dict() for c in self.compartments],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cabinet:
        """Rebuild from ``to_dict`` output."""
        return cls(
            id=str(data["id"]),
            compartments=[Compartment.from_dict(c) for c in data["compartments"]],
        )
