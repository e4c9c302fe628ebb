"""Response-time statistics kept incrementally over a rolling window.

Created -> first accepted, for the orders first accepted in the last ``window``
(24 h by default): how many, the mean and the 90th percentile (nearest rank: the
``ceil(0.9 * n)``-th smallest). Each acceptance is added once; reading the figures
only drops what left the window, so the cost is bounded by the window, never by the
stored history. After a restart the glue feeds it the ``(created_at, accepted_at)``
pairs of the window from its database (:meth:`ResponseTimes.restore`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
import math

DEFAULT_RESPONSE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class ResponseTimeStats:
    """Created -> accepted over a window: how many, the mean and the 90th percentile."""

    count: int
    mean: timedelta | None
    p90: timedelta | None
    window: timedelta = field(default=DEFAULT_RESPONSE_WINDOW)


class ResponseTimes:
    """The response times of the acceptances inside a rolling window."""

    __slots__ = ("_head", "_samples", "_sorted", "_total", "window")

    def __init__(self, window: timedelta = DEFAULT_RESPONSE_WINDOW) -> None:
        """Create an empty window."""
        self.window = window
        self._samples: list[tuple[datetime, timedelta]] = []
        """(accepted_at, response time) in acceptance order; live from ``_head``."""
        self._head = 0
        self._sorted: list[timedelta] = []
        self._total = timedelta(0)

    def __len__(self) -> int:
        """Return how many acceptances are held (some may have left the window)."""
        return len(self._samples) - self._head

    def add(self, created_at: datetime, accepted_at: datetime) -> None:
        """Record the first acceptance of an order."""
        response = accepted_at - created_at
        sample = (accepted_at, response)
        if self._head < len(self._samples) and accepted_at < self._samples[-1][0]:
            insort(self._samples, sample, lo=self._head)
        else:
            self._samples.append(sample)
        insort(self._sorted, response)
        self._total += response

    def restore(self, pairs: Iterable[tuple[datetime, datetime]]) -> None:
        """Add ``(created_at, accepted_at)`` pairs, e.g. read back after a restart."""
        for created_at, accepted_at in pairs:
            self.add(created_at, accepted_at)

    def _evict(self, since: datetime) -> None:
        samples = self._samples
        while self._head < len(samples) and samples[self._head][0] <= since:
            response = samples[self._head][1]
            del self._sorted[bisect_left(self._sorted, response)]
            self._total -= response
            self._head += 1
        if self._head > 64 and self._head * 2 > len(samples):
            del samples[: self._head]
            self._head = 0

    def snapshot(self, now: datetime) -> ResponseTimeStats:
        """Return the figures of the acceptances in ``(now - window, now]``."""
        self._evict(now - self.window)
        if self._head < len(self._samples) and self._samples[-1][0] > now:
            # The clock went back: leave out what is after ``now`` (rare, bounded).
            values = sorted(r for at, r in self._samples[self._head :] if at <= now)
            total = sum(values, timedelta(0))
        else:
            values, total = self._sorted, self._total
        if not values:
            return ResponseTimeStats(0, None, None, self.window)
        p90 = values[math.ceil(0.9 * len(values)) - 1]
        return ResponseTimeStats(len(values), total / len(values), p90, self.window)
