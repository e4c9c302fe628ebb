"""Routing: which role takes a service type, and which workers are eligible now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .catalog import Role, ServiceCatalog, ServiceType
from .errors import DoorServiceError
from .workers import Worker


class RoutingTable:
    """Service type -> role -> eligible workers, with per-site role overrides.

    Overrides naming a service type that is no longer in the catalog are kept (the
    type may come back) but have no effect.
    """

    __slots__ = ("_overrides", "catalog")

    def __init__(
        self, catalog: ServiceCatalog, role_overrides: Mapping[str, Role] | None = None
    ) -> None:
        """Create a table for ``catalog`` with optional ``{service_type_id: role}``."""
        self.catalog = catalog
        self._overrides: dict[str, Role] = dict(role_overrides or {})

    @property
    def role_overrides(self) -> dict[str, Role]:
        """Return a copy of the overrides."""
        return dict(self._overrides)

    def _service_type(self, service_type: ServiceType | str) -> ServiceType:
        if isinstance(service_type, ServiceType):
            return service_type
        return self.catalog.get(service_type)

    def role_for(self, service_type: ServiceType | str) -> Role:
        """Return the role that takes ``service_type`` at this site."""
        resolved = self._service_type(service_type)
        return self._overrides.get(resolved.id, resolved.role)

    def clear_override(self, service_type_id: str) -> None:
        """Route ``service_type_id`` to its catalog role again (no-op if none)."""
        self._overrides.pop(service_type_id, None)

    @staticmethod
    def workers_for_role(role: Role, workers: Iterable[Worker]) -> list[Worker]:
        """Return the on-duty workers holding ``role``, in the given (stable) order."""
        return [w for w in workers if w.on_duty and w.has_role(role)]

    def eligible(
        self, service_type: ServiceType | str, workers: Iterable[Worker]
    ) -> list[Worker]:
        """Return the workers who may take ``service_type`` now, in stable order."""
        return self.workers_for_role(self.role_for(service_type), workers)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict: ``{"role_overrides": {type_id: role}}``."""
        return {"role_overrides": {k: v.value for k, v in self._overrides.items()}}

    @classmethod
    def from_dict(
        cls, catalog: ServiceCatalog, data: Mapping[str, Any]
    ) -> RoutingTable:
        """Rebuild a table for ``catalog`` from ``to_dict`` output."""
        overrides: dict[str, Role] = {}
        for type_id, role in data.get("role_overrides", {}).items():
            if role not in Role.__members__.values():
                raise DoorServiceError("invalid_role", service_type=type_id, role=role)
            overrides[type_id] = Role(role)
        return cls(catalog, overrides)
