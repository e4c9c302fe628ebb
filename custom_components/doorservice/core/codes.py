"""A stored access code: what it is for, how it was entered, and its record.

The record holds only keyed hashes of the PIN and QR token; ``access_codes`` issues,
verifies and uses codes. These types sit below the events, which name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_iso(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class CodePurpose(StrEnum):
    """What a code lets its holder do at a compartment."""

    DROPOFF = "dropoff"
    PICKUP = "pickup"
    RETURN = "return"
    COLLECT = "collect"
    RESTOCK = "restock"


class EntryKind(StrEnum):
    """How a code was entered."""

    PIN = "pin"
    QR = "qr"


@dataclass(slots=True)
class AccessCode:
    """A stored code: its binding, validity and state, and only hashes of the secret."""

    id: str
    order_id: str
    cabinet_id: str
    compartment: int
    purpose: CodePurpose
    holder: str
    valid_from: datetime
    valid_until: datetime
    issued_at: datetime
    pin_digest: str = field(repr=False)
    token_digest: str = field(repr=False)
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    reserved_until: datetime | None = None
    """Set while one entry of the code waits for its unlock (reserve-then-unlock)."""

    def is_active(self, now: datetime) -> bool:
        """Unused, not revoked and not expired (it may not be valid yet)."""
        return (
            self.used_at is None and self.revoked_at is None and now < self.valid_until
        )

    def is_reserved(self, now: datetime) -> bool:
        """Active and held by a pending unlock whose reservation has not expired."""
        return (
            self.reserved_until is not None
            and now < self.reserved_until
            and self.is_active(now)
        )

    def is_usable(self, now: datetime) -> bool:
        """Active and inside its validity window."""
        return self.is_active(now) and self.valid_from <= now

    def finished_at(self) -> datetime:
        """When the code stopped being usable for good (used, revoked or expired)."""
        return self.used_at or self.revoked_at or self.valid_until

    def to_dict(self) -> dict[str, Any]:
        """Serialize to a JSON-safe dict (hashes only)."""
        return {
            "id": self.id,
            "order_id": self.order_id,
            "cabinet_id": self.cabinet_id,
            "compartment": self.compartment,
            "purpose": self.purpose.value,
            "holder": self.holder,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "issued_at": self.issued_at.isoformat(),
            "pin_digest": self.pin_digest,
            "token_digest": self.token_digest,
            "used_at": _iso(self.used_at),
            "revoked_at": _iso(self.revoked_at),
            "reserved_until": _iso(self.reserved_until),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AccessCode:
        """Rebuild from ``to_dict`` output."""
        return cls(
            id=str(data["id"]),
            order_id=str(data["order_id"]),
            cabinet_id=str(data["cabinet_id"]),
            compartment=int(data["compartment"]),
            purpose=CodePurpose(data["purpose"]),
            holder=str(data["holder"]),
            valid_from=datetime.fromisoformat(data["valid_from"]),
            valid_until=datetime.fromisoformat(data["valid_until"]),
            issued_at=datetime.fromisoformat(data["issued_at"]),
            pin_digest=str(data["pin_digest"]),
            token_digest=str(data["token_digest"]),
            used_at=_from_iso(data["used_at"]),
            revoked_at=_from_iso(data["revoked_at"]),
            reserved_until=_from_iso(data.get("reserved_until")),
        )
