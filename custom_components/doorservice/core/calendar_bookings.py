"""The durable ledger of booking calendars: which order each checkout got.

Keyed by ``<feed>:<reservation UID>``; see :mod:`.calendar_sync` for how it is used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class CalendarCleaning:
    """A checkout that was booked: its order and the window it was booked for."""

    feed: str
    uid: str
    order_id: str
    checkout: datetime
    start: datetime
    end: datetime | None

    @property
    def key(self) -> str:
        """Return the ledger key: ``<feed>:<uid>``."""
        return ledger_key(self.feed, self.uid)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe copy."""
        return {
            "feed": self.feed,
            "uid": self.uid,
            "order_id": self.order_id,
            "checkout": self.checkout.isoformat(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarCleaning:
        """Rebuild an entry from :meth:`to_dict` output."""
        return cls(
            feed=str(data["feed"]),
            uid=str(data["uid"]),
            order_id=str(data["order_id"]),
            checkout=datetime.fromisoformat(data["checkout"]),
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]) if data.get("end") else None,
        )


def ledger_key(feed: str, uid: str) -> str:
    """Return the ledger key of a feed's reservation."""
    return f"{feed}:{uid}"


class CalendarBookings:
    """The ledger reservation -> order of every feed of a site (durable)."""

    def __init__(self, entries: Iterable[CalendarCleaning] = ()) -> None:
        """Start from ``entries``."""
        self.entries: dict[str, CalendarCleaning] = {e.key: e for e in entries}

    def of_feed(self, feed: str) -> list[CalendarCleaning]:
        """Return a feed's booked checkouts."""
        return [e for e in self.entries.values() if e.feed == feed]

    def get(self, feed: str, uid: str) -> CalendarCleaning | None:
        """Return the booked checkout of a reservation, if any."""
        return self.entries.get(ledger_key(feed, uid))

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe copy."""
        return {key: entry.to_dict() for key, entry in sorted(self.entries.items())}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> CalendarBookings:
        """Rebuild the ledger from :meth:`to_dict` output."""
        return cls(CalendarCleaning.from_dict(e) for e in (data or {}).values())
