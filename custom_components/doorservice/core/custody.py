"""Key custody: where a keyed order's key is, and every hop it made.

At every moment the key has exactly one holder: the ``owner``, a compartment
(``compartment:<n>`` of a cabinet) or a worker (``worker:<id>``). The legal hops are

* owner -> compartment (drop-off),
* compartment -> worker (pickup),
* worker -> compartment (return),
* compartment -> owner (collect, also after a cancellation).

A custody is ``not_started`` while the key has never left the owner, ``open`` while it
is away, and ``closed`` once it is back with the owner after having left; a closed
custody accepts no further hop. Orders are referred to by their id string only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .errors import DoorServiceError
from .events import CustodyClosed, CustodyEvent, Holder, HolderKind, KeyMoved


class CustodyStatus(StrEnum):
    """Where a custody stands."""

    NOT_STARTED = "not_started"
    OPEN = "open"
    CLOSED = "closed"


_LEGAL_HOPS = {
    (HolderKind.OWNER, HolderKind.COMPARTMENT),
    (HolderKind.COMPARTMENT, HolderKind.WORKER),
    (HolderKind.WORKER, HolderKind.COMPARTMENT),
    (HolderKind.COMPARTMENT, HolderKind.OWNER),
}


@dataclass(frozen=True, slots=True)
class CustodyHop:
    """One recorded move of the key."""

    at: datetime
    from_holder: Holder
    to_holder: Holder
    actor: str

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {
            "at": self.at.isoformat(),
            "from": self.from_holder.to_dict(),
            "to": self.to_holder.to_dict(),
            "actor": self.actor,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CustodyHop:
        """Rebuild from ``to_dict`` output."""
        return cls(
            at=datetime.fromisoformat(data["at"]),
            from_holder=Holder.from_dict(data["from"]),
            to_holder=Holder.from_dict(data["to"]),
            actor=str(data["actor"]),
        )


@dataclass(slots=True)
class KeyCustody:
    """The custody ledger of one keyed order."""

    order_id: str
    hops: list[CustodyHop] = field(default_factory=list)

    @property
    def holder(self) -> Holder:
        """The one current holder: the target of the last hop, else the owner."""
        return self.hops[-1].to_holder if self.hops else Holder.owner()

    @property
    def status(self) -> CustodyStatus:
        """``not_started``, ``open`` (key away) or ``closed`` (key back)."""
        if not self.hops:
            return CustodyStatus.NOT_STARTED
        if self.holder.kind is HolderKind.OWNER:
            return CustodyStatus.CLOSED
        return CustodyStatus.OPEN

    @property
    def is_open(self) -> bool:
        """Whether the key is away from its owner."""
        return self.status is CustodyStatus.OPEN

    @property
    def is_closed(self) -> bool:
        """Whether the key came back to its owner after having left."""
        return self.status is CustodyStatus.CLOSED

    def move(self, to: Holder, actor: str, now: datetime) -> list[CustodyEvent]:
        """Record that the key went to ``to``, done by ``actor`` at ``now``."""
        current = self.holder
        if self.status is CustodyStatus.CLOSED:
            raise DoorServiceError("custody_closed", order_id=self.order_id)
        if not actor:
            raise DoorServiceError("custody_actor_required", order_id=self.order_id)
        if (current.kind, to.kind) not in _LEGAL_HOPS:
            raise DoorServiceError(
                "custody_illegal_hop",
                order_id=self.order_id,
                from_holder=current,
                to_holder=to,
            )
        if self.hops and now < self.hops[-1].at:
            raise DoorServiceError(
                "custody_time_order",
                order_id=self.order_id,
                at=now.isoformat(),
                last=self.hops[-1].at.isoformat(),
            )
        self.hops.append(CustodyHop(now, current, to, actor))
        events: list[CustodyEvent] = [KeyMoved(self.order_id, now, current, to, actor)]
        if to.kind is HolderKind.OWNER:
            events.append(CustodyClosed(self.order_id, now))
        return events

    def invariant_violations(self) -> list[str]:
        """Describe broken custody invariants (an empty list when all hold).

        The hops form one chain starting with the owner, each hop is legal, in time
        order, and nothing follows the return to the owner.
        """
        problems: list[str] = []
        previous = Holder.owner()
        last_at: datetime | None = None
        for index, hop in enumerate(self.hops):
            if hop.from_holder != previous:
                problems.append(
                    f"hop {index} starts at {hop.from_holder}, not {previous}"
                )
            if (hop.from_holder.kind, hop.to_holder.kind) not in _LEGAL_HOPS:
                problems.append(f"hop {index} is illegal")
            if last_at is not None and hop.at < last_at:
                problems.append(f"hop {index} goes back in time")
            if previous.kind is HolderKind.OWNER and index > 0:
                problems.append(f"hop {index} follows the key's return")
            previous = hop.to_holder
            last_at = hop.at
        return problems

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {"order_id": self.order_id, "hops": [h.to_dict() for h in self.hops]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> KeyCustody:
        """Rebuild from ``to_dict`` output."""
        return cls(
            order_id=str(data["order_id"]),
            hops=[CustodyHop.from_dict(h) for h in data["hops"]],
        )


@dataclass(slots=True)
class CustodyLedger:
    """The custodies of all keyed orders of a site, by order id.

    Move keys through the ledger (:meth:`move`): it keeps an index of which key is
    in which compartment, so finding a compartment's key costs nothing per custody.
    """

    custodies: dict[str, KeyCustody] = field(default_factory=dict)
    _in_compartments: dict[Holder, str] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        """Index the keys that are in compartments."""
        for order_id, custody in self.custodies.items():
            if custody.holder.kind is HolderKind.COMPARTMENT:
                self._in_compartments[custody.holder] = order_id

    def __contains__(self, order_id: object) -> bool:
        """Whether ``order_id`` has a custody."""
        return order_id in self.custodies

    def __iter__(self) -> Iterator[KeyCustody]:
        """Iterate over the custodies."""
        return iter(self.custodies.values())

    def __len__(self) -> int:
        """Count the custodies."""
        return len(self.custodies)

    def start(self, order_id: str) -> KeyCustody:
        """Start the custody of a keyed order (the owner holds the key)."""
        if not order_id:
            raise DoorServiceError("invalid_order_id", order_id=order_id)
        if order_id in self.custodies:
            raise DoorServiceError("custody_exists", order_id=order_id)
        custody = KeyCustody(order_id)
        self.custodies[order_id] = custody
        return custody

    def get(self, order_id: str) -> KeyCustody:
        """Return the custody of ``order_id`` or raise ``unknown_custody``."""
        try:
            return self.custodies[order_id]
        except KeyError:
            raise DoorServiceError("unknown_custody", order_id=order_id) from None

    def move(
        self, order_id: str, to: Holder, actor: str, now: datetime
    ) -> list[CustodyEvent]:
        """Record a hop of the order's key; a compartment takes one key at a time."""
        custody = self.get(order_id)
        if to.kind is HolderKind.COMPARTMENT:
            occupant = self._holding(to)
            if occupant is not None and occupant is not custody:
                raise DoorServiceError(
                    "compartment_holds_key",
                    cabinet_id=to.cabinet_id,
                    number=to.compartment_number,
                )
        before = custody.holder
        events = custody.move(to, actor, now)
        if self._in_compartments.get(before) == order_id:
            del self._in_compartments[before]
        if to.kind is HolderKind.COMPARTMENT:
            self._in_compartments[to] = order_id
        return events

    def discard(self, order_id: str) -> None:
        """Forget a custody whose key is not away (never left, or came back)."""
        custody = self.get(order_id)
        if custody.is_open:
            raise DoorServiceError(
                "custody_open", order_id=order_id, holder=custody.holder
            )
        del self.custodies[order_id]
        if self._in_compartments.get(custody.holder) == order_id:
            del self._in_compartments[custody.holder]

    def key_in(self, cabinet_id: str, number: int) -> KeyCustody | None:
        """The custody whose key is in compartment ``number`` of ``cabinet_id``."""
        return self._holding(Holder.compartment(cabinet_id, number))

    def _holding(self, target: Holder) -> KeyCustody | None:
        custody = self.custodies.get(self._in_compartments.get(target, ""))
        return custody if custody is not None and custody.holder == target else None

    def invariant_violations(self) -> list[str]:
        """Describe broken invariants of every custody and across them.

        Besides each chain, no compartment holds two keys.
        """
        problems: list[str] = []
        places: dict[Holder, str] = {}
        for order_id, custody in self.custodies.items():
            if custody.order_id != order_id:
                problems.append(f"{order_id}: filed under the wrong order")
            problems.extend(f"{order_id}: {p}" for p in custody.invariant_violations())
            holder = custody.holder
            if holder.kind is HolderKind.COMPARTMENT:
                if holder in places:
                    problems.append(
                        f"{order_id}: {holder} also holds {places[holder]}'s key"
                    )
                places[holder] = order_id
                if holder not in self._in_compartments:
                    problems.append(f"{order_id}: {holder} missing from the index")
        for holder, order_id in self._in_compartments.items():
            found = self.custodies.get(order_id)
            if found is None or found.holder != holder:
                problems.append(f"index: {holder} -> {order_id} is stale")
        return problems

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict."""
        return {"custodies": [c.to_dict() for c in self.custodies.values()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CustodyLedger:
        """Rebuild from ``to_dict`` output."""
        custodies = [KeyCustody.from_dict(c) for c in data["custodies"]]
        return cls({c.order_id: c for c in custodies})
