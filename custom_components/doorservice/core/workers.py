"""Workers: the staff and cleaners who take orders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .catalog import Role


class WorkerStatus(StrEnum):
    """What a worker is doing right now, as shown on their status sensor."""

    OFF_DUTY = "off_duty"
    IDLE = "idle"
    OFFERED = "offered"
    BUSY = "busy"


@dataclass(frozen=True, slots=True)
class Worker:
    """A worker from the site's configuration.

    Only ``on_duty`` changes at runtime (the glue's on-duty switch); everything else
    comes from configuration, which the glue passes in as the current list.
    """

    id: str
    name: str
    roles: frozenset[Role]
    on_duty: bool = True

    def has_role(self, role: Role) -> bool:
        """Return True when the worker may take orders of ``role``."""
        return role in self.roles

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (roles sorted)."""
        return {
            "id": self.id,
            "name": self.name,
            "roles": sorted(role.value for role in self.roles),
            "on_duty": self.on_duty,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Worker:
        """Rebuild a worker from ``to_dict`` output."""
        return cls(
            id=data["id"],
            name=data["name"],
            roles=frozenset(Role(role) for role in data["roles"]),
            on_duty=bool(data.get("on_duty", True)),
        )
