"""The service catalog of a site: what can be ordered, who does it, what it costs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
import re
from typing import Any

from .errors import DoorServiceError

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
"""Ids of service types and categories: lower-case letters, digits, underscores."""


class Role(StrEnum):
    """Which kind of worker may take an order."""

    CLEANING = "cleaning"
    HOUSEKEEPING = "housekeeping"
    MAINTENANCE = "maintenance"
    CONCIERGE = "concierge"


@dataclass(frozen=True, slots=True)
class ServiceType:
    """One thing that can be ordered at a site.

    ``price`` is per unit (``Decimal("0")`` means free); ``duration_minutes`` is the
    default length of a visit; ``sla_minutes`` is how soon it should be accepted and
    done; ``category`` groups staff lists (a worker swipes between categories).
    """

    id: str
    name: str
    role: Role
    price: Decimal = Decimal(0)
    duration_minutes: int = 30
    sla_minutes: int = 60
    category: str = "general"
    names: tuple[tuple[str, str], ...] = ()
    """The name in other languages than English: (language, name) pairs."""

    @property
    def is_paid(self) -> bool:
        """Return True when the service lands on a bill."""
        return self.price > 0

    def validate(self) -> None:
        """Raise ``DoorServiceError`` when a field breaks the catalog's rules."""
        if not isinstance(self.id, str) or not SLUG_PATTERN.match(self.id):
            raise DoorServiceError("invalid_service_type_id", service_type=self.id)
        if not self.name.strip():
            raise DoorServiceError("invalid_service_name", service_type=self.id)
        if not self.price.is_finite() or self.price < 0:
            raise DoorServiceError(
                "invalid_price", service_type=self.id, price=self.price
            )
        for field_name, minutes in (
            ("duration_minutes", self.duration_minutes),
            ("sla_minutes", self.sla_minutes),
        ):
            if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
                raise DoorServiceError(
                    "invalid_minutes",
                    service_type=self.id,
                    field=field_name,
                    minutes=minutes,
                )
        if not SLUG_PATTERN.match(self.category):
            raise DoorServiceError(
                "invalid_category", service_type=self.id, category=self.category
            )
        for language, name in self.names:
            if (
                language not in TRANSLATED_LANGUAGES
                or not isinstance(name, str)
                or not name.strip()
                or len(name) > NAME_MAX_LENGTH
            ):
                raise DoorServiceError(
                    "invalid_service_translation", service_type=self.id
                )

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (price as a string)."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role.value,
            "price": str(self.price),
            "duration_minutes": self.duration_minutes,
            "sla_minutes": self.sla_minutes,
            "category": self.category,
        } | ({"names": dict(self.names)} if self.names else {})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServiceType:
        """Build a service type from ``to_dict`` output (or user input) and validate it.

        Raises ``DoorServiceError`` for an unknown role or a malformed price.
        """
        try:
            role = Role(data["role"])
        except ValueError:
            raise DoorServiceError(
                "invalid_role", service_type=data.get("id"), role=data["role"]
            ) from None
        try:
            price = Decimal(str(data.get("price", "0")))
        except InvalidOperation:
            raise DoorServiceError(
                "invalid_price", service_type=data.get("id"), price=data.get("price")
            ) from None
        service_type = cls(
            id=data["id"],
            name=data["name"],
            role=role,
            price=price,
            duration_minutes=data.get("duration_minutes", 30),
            sla_minutes=data.get("sla_minutes", 60),
            category=data.get("category", "general"),
            names=_names(data.get("names"), data.get("id")),
        )
        service_type.validate()
        return service_type


TRANSLATED_LANGUAGES = ("zh-Hans",)
"""Languages a service type's name may be given in besides English (``name``)."""

NAME_MAX_LENGTH = 64
"""Longest name of a service type in any language."""


def _names(value: object, service_type_id: object) -> tuple[tuple[str, str], ...]:
    """Return the translated names of ``to_dict`` output: blanks dropped, sorted."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise DoorServiceError(
            "invalid_service_translation", service_type=service_type_id
        )
    return tuple(
        sorted(
            (str(language), " ".join(name.split()) if isinstance(name, str) else name)
            for language, name in value.items()
            if not (isinstance(name, str) and not name.strip())
        )
    )


# id, name, role, price, duration minutes, SLA minutes, category
_DEFAULT_ROWS: tuple[tuple[str, str, Role, str, int, int, str], ...] = (
    (
        "standard_cleaning",
        "Standard cleaning",
        Role.CLEANING,
        "0",
        120,
        240,
        "cleaning",
    ),
    ("deep_cleaning", "Deep cleaning", Role.CLEANING, "0", 240, 480, "cleaning"),
    ("room_cleaning", "Room cleaning", Role.HOUSEKEEPING, "0", 30, 60, "cleaning"),
    ("towels", "Fresh towels", Role.HOUSEKEEPING, "0", 10, 30, "linen"),
    ("bed_linen", "Fresh bed linen", Role.HOUSEKEEPING, "0", 20, 60, "linen"),
    ("amenities", "Amenities refill", Role.HOUSEKEEPING, "0", 10, 30, "linen"),
    ("laundry", "Laundry", Role.HOUSEKEEPING, "15.00", 30, 120, "linen"),
    ("minibar", "Minibar restock", Role.HOUSEKEEPING, "20.00", 10, 60, "food"),
    ("room_service_meal", "Room service meal", Role.CONCIERGE, "25.00", 30, 45, "food"),
    ("repair", "Repair", Role.MAINTENANCE, "0", 60, 120, "maintenance"),
    ("wake_up_call", "Wake-up call", Role.CONCIERGE, "0", 5, 15, "concierge"),
    ("luggage", "Luggage help", Role.CONCIERGE, "0", 15, 20, "concierge"),
)


_EDITABLE_FIELDS = frozenset(
    {
        "id",
        "name",
        "role",
        "price",
        "duration_minutes",
        "sla_minutes",
        "category",
        "names",
    }
)


DEFAULT_BOOKING_SERVICE_TYPE = "standard_cleaning"
"""The service type of a booking (calendar, booking page, service) that names none."""

CLEANING_CATEGORY = "cleaning"
"""The catalog category of cleanings (held while a room asks not to be disturbed)."""


class ServiceCatalog:
    """An ordered, editable mapping of service type id -> ``ServiceType``.

    Every edit validates first and changes nothing when it raises.
    """

    __slots__ = ("_types",)

    def __init__(self, service_types: Iterable[ServiceType] = ()) -> None:
        """Create a catalog holding ``service_types`` (validated, ids unique)."""
        self._types: dict[str, ServiceType] = {}
        for service_type in service_types:
            self.add(service_type)

    @classmethod
    def default(cls) -> ServiceCatalog:
        """Return the catalog a new site starts with."""
        return cls(
            ServiceType(type_id, name, role, Decimal(price), duration, sla, category)
            for type_id, name, role, price, duration, sla, category in _DEFAULT_ROWS
        )

    def __contains__(self, service_type_id: object) -> bool:
        """Return True when a service type with that id exists."""
        return service_type_id in self._types

    def __iter__(self) -> Iterator[ServiceType]:
        """Iterate the service types in catalog order."""
        return iter(tuple(self._types.values()))

    def __len__(self) -> int:
        """Return the number of service types."""
        return len(self._types)

    def __repr__(self) -> str:
        """Return the ids in catalog order."""
        return f"ServiceCatalog({list(self._types)!r})"

    @property
    def ids(self) -> list[str]:
        """Return the service type ids in catalog order."""
        return list(self._types)

    def types_of_category(self, category: str) -> list[str]:
        """Return the ids of the service types of a category, in catalog order."""
        return [kind.id for kind in self if kind.category == category]

    def default_booking_type(self) -> str | None:
        """Return the service type a booking without one gets.

        ``standard_cleaning`` when the catalog has it, else the first type of the
        cleaning category, else None.
        """
        if DEFAULT_BOOKING_SERVICE_TYPE in self:
            return DEFAULT_BOOKING_SERVICE_TYPE
        cleaning = self.types_of_category(CLEANING_CATEGORY)
        return cleaning[0] if cleaning else None

    def categories(self) -> list[str]:
        """Return the categories in use, in order of first appearance."""
        return list(dict.fromkeys(t.category for t in self._types.values()))

    def get(self, service_type_id: str) -> ServiceType:
        """Return a service type; raise ``unknown_service_type`` when it is missing."""
        try:
            return self._types[service_type_id]
        except KeyError:
            raise DoorServiceError(
                "unknown_service_type", service_type=service_type_id
            ) from None

    def add(self, service_type: ServiceType) -> None:
        """Add a new service type at the end of the catalog."""
        service_type.validate()
        if service_type.id in self._types:
            raise DoorServiceError(
                "duplicate_service_type", service_type=service_type.id
            )
        self._types[service_type.id] = service_type

    def update(self, service_type_id: str, **changes: Any) -> ServiceType:
        """Change fields of an existing service type (not its id) and return it."""
        current = self.get(service_type_id)
        for key in changes:
            if key not in _EDITABLE_FIELDS:
                raise DoorServiceError(
                    "invalid_service_field", service_type=service_type_id, field=key
                )
        if "id" in changes and changes["id"] != service_type_id:
            raise DoorServiceError(
                "service_type_id_immutable", service_type=service_type_id
            )
        merged = current.to_dict() | {
            key: (value.value if isinstance(value, Role) else value)
            for key, value in changes.items()
        }
        if "price" in changes:
            merged["price"] = str(changes["price"])
        updated = ServiceType.from_dict(merged)
        self._types[service_type_id] = updated
        return updated

    def replace(self, service_types: Iterable[ServiceType]) -> None:
        """Hold exactly ``service_types`` from now on, in that order.

        Everything is validated (ids unique) before anything changes; objects
        holding this catalog (routing, desk) see the new types at once.
        """
        self._types = ServiceCatalog(service_types)._types

    def remove(self, service_type_id: str) -> ServiceType:
        """Remove a service type and return it."""
        service_type = self.get(service_type_id)
        del self._types[service_type_id]
        return service_type

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict: ``{"service_types": [...]}`` in catalog order."""
        return {"service_types": [t.to_dict() for t in self._types.values()]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServiceCatalog:
        """Rebuild a catalog from ``to_dict`` output."""
        return cls(ServiceType.from_dict(item) for item in data["service_types"])
