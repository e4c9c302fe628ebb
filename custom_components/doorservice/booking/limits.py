"""Rate limits of the public pages (memory only: they reset with Home Assistant).

A sliding window per key: at most ``limit`` hits in ``period`` seconds. The booking
view keeps one per client address (booking attempts, and failed token look-ups, so
links cannot be guessed by brute force) and one per cabinet (bookings).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
import time

# Booking attempts (form posts) per client address.
ADDRESS_BOOKINGS = (5, 600.0)
# Bookings per cabinet.
CABINET_BOOKINGS = (30, 3600.0)
# Page views with a bad token per client address before every request is refused.
ADDRESS_BAD_TOKENS = (20, 600.0)
# Open public bookings one phone number may hold.
PHONE_OPEN_BOOKINGS = 3
# Keys remembered per limiter before the oldest are forgotten.
MAX_KEYS = 10_000


@dataclass
class SlidingWindow:
    """At most ``limit`` hits per ``period`` seconds for each key."""

    limit: int
    period: float
    _hits: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= MAX_KEYS:
                self._hits.pop(next(iter(self._hits)))
            hits = self._hits[key] = deque()
        while hits and now - hits[0] >= self.period:
            hits.popleft()
        return hits

    def exceeded(self, key: str, now: float | None = None) -> bool:
        """Whether ``key`` has used up its hits (does not count a hit)."""
        now = time.monotonic() if now is None else now
        return len(self._recent(key, now)) >= self.limit

    def hit(self, key: str, now: float | None = None) -> None:
        """Count one hit of ``key``."""
        now = time.monotonic() if now is None else now
        self._recent(key, now).append(now)


@dataclass
class BookingLimits:
    """The limiters of the public pages, one set per Home Assistant."""

    by_address: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(*ADDRESS_BOOKINGS)
    )
    by_cabinet: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(*CABINET_BOOKINGS)
    )
    bad_tokens: SlidingWindow = field(
        default_factory=lambda: SlidingWindow(*ADDRESS_BAD_TOKENS)
    )
    phone_open_bookings: int = PHONE_OPEN_BOOKINGS
