"""A site: the aggregate of everything the domain knows about one property."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Site:
    """The persisted state of one site."""

    on_duty: dict[str, bool] = field(default_factory=dict)

    def is_on_duty(self, worker_id: str) -> bool:
        """Return whether a worker is on duty (new workers start on duty)."""
        return self.on_duty.get(worker_id, True)

    def set_on_duty(self, worker_id: str, on_duty: bool) -> None:
        """Put a worker on or off duty."""
        self.on_duty[worker_id] = on_duty

    def reconcile_workers(self, worker_ids: Iterable[str]) -> None:
        """Forget the runtime state of workers no longer configured."""
        keep = set(worker_ids)
        self.on_duty = {wid: v for wid, v in self.on_duty.items() if wid in keep}
        for worker_id in keep:
            self.on_duty.setdefault(worker_id, True)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe copy of the state."""
        return {"on_duty": dict(self.on_duty)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Site:
        """Rebuild a site from :meth:`to_dict` output."""
        return cls(
            on_duty={str(k): bool(v) for k, v in data.get("on_duty", {}).items()}
        )
