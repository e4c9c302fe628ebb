"""Sensors of a site and its parts, described with value functions.

Each description names a value of one part of the site (the site itself, a cabinet,
a compartment, a room or a worker); one entity class per part kind reads it with
``value_fn(runtime, part)``. The values come from the site's domain queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .const import SubentryType
from .core.events import Contents
from .core.orders import OrderState
from .core.workers import WorkerStatus
from .entities.cabinet import (
    CabinetCompartment,
    CabinetEntity,
    CompartmentEntity,
    cabinet_compartments,
)
from .entities.room import RoomEntity
from .entities.worker import WorkerEntity
from .entity import (
    EntityAdder,
    PartEntity,
    PartEntityDescription,
    SiteEntity,
    always_available,
)
from .runtime import CabinetRuntime, DoorServiceConfigEntry, SiteRuntime

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class DoorServiceSensorEntityDescription[P](
    SensorEntityDescription, PartEntityDescription[P]
):
    """Describes a sensor of a part ``P`` of a site."""

    value_fn: Callable[[SiteRuntime, P], StateType | Decimal]
    unit_fn: Callable[[SiteRuntime], str] | None = None
    """The unit when it is the site's (a currency), not a fixed one."""


def _workers_on_duty(runtime: SiteRuntime) -> int:
    return sum(
        runtime.site.is_on_duty(worker.subentry_id)
        for worker in runtime.subentries(SubentryType.WORKER)
    )


def _minutes(duration: timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 60, 2)


NO_REQUEST = "none"
"""The last request of a room that has asked for nothing yet ("None yet")."""


def _last_request_state(runtime: SiteRuntime, room_id: str) -> str:
    order = runtime.site.front_desk.last_request(room_id)
    return NO_REQUEST if order is None else order.state.value


def _last_request_data(runtime: SiteRuntime, room_id: str) -> dict[str, object]:
    order = runtime.site.front_desk.last_request(room_id)
    return {} if order is None else runtime.rooms.request_data(order)


def _low_stock_data(runtime: SiteRuntime, cabinet: CabinetRuntime) -> dict[str, object]:
    stock = runtime.site.stock[cabinet.cabinet_id]
    return {
        "low": stock.low_stock(),
        "available": {
            item.sku: stock.available(item.sku) for item in runtime.site.supplies
        },
    }


def _folio_total(runtime: SiteRuntime, room_id: str) -> Decimal:
    """The open bill: nothing (0) while no stay is open, never unknown."""
    folio = runtime.site.stays.room(room_id).folio
    return Decimal(0) if folio is None else folio.total


def _folio_charges(runtime: SiteRuntime, room_id: str) -> dict[str, object]:
    folio = runtime.site.stays.room(room_id).folio
    return {"charges": 0 if folio is None else len(folio.charges)}


def _response_time(
    figure: str, value_fn: Callable[[SiteRuntime, None], StateType]
) -> DoorServiceSensorEntityDescription[None]:
    """Created -> accepted over the last 24 hours (``figure``: mean or p90)."""
    return DoorServiceSensorEntityDescription[None](
        key=f"response_time_{figure}",
        translation_key=f"response_time_{figure}",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=1,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=value_fn,
        attributes_fn=lambda runtime, _: {"orders": runtime.response_times().count},
    )


SITE_SENSORS: tuple[DoorServiceSensorEntityDescription[None], ...] = (
    DoorServiceSensorEntityDescription[None](
        key="workers_on_duty",
        translation_key="workers_on_duty",
        value_fn=lambda runtime, _: _workers_on_duty(runtime),
    ),
    DoorServiceSensorEntityDescription[None](
        key="open_orders",
        translation_key="open_orders",
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=lambda runtime, _: runtime.site.desk.book.open_count(),
    ),
    _response_time("mean", lambda runtime, _: _minutes(runtime.response_times().mean)),
    _response_time("p90", lambda runtime, _: _minutes(runtime.response_times().p90)),
)

CABINET_SENSORS: tuple[DoorServiceSensorEntityDescription[CabinetRuntime], ...] = (
    DoorServiceSensorEntityDescription[CabinetRuntime](
        key="free_compartments",
        translation_key="free_compartments",
        state_class=SensorStateClass.MEASUREMENT,
        available_fn=always_available,
        value_fn=lambda runtime, cabinet: runtime.site.cabinets[
            cabinet.cabinet_id
        ].free_count(),
    ),
    DoorServiceSensorEntityDescription[CabinetRuntime](
        key="low_stock",
        translation_key="low_stock",
        state_class=SensorStateClass.MEASUREMENT,
        available_fn=always_available,
        value_fn=lambda runtime, cabinet: len(
            runtime.site.stock[cabinet.cabinet_id].low_stock()
        ),
        attributes_fn=_low_stock_data,
    ),
)

COMPARTMENT_SENSORS: tuple[
    DoorServiceSensorEntityDescription[CabinetCompartment], ...
] = (
    DoorServiceSensorEntityDescription[CabinetCompartment](
        key="compartment_contents",
        translation_key="compartment_contents",
        device_class=SensorDeviceClass.ENUM,
        options=[contents.value for contents in Contents],
        available_fn=always_available,
        value_fn=lambda runtime, compartment: (
            compartment.of_site(runtime).contents.value
        ),
    ),
)

ROOM_SENSORS: tuple[DoorServiceSensorEntityDescription[str], ...] = (
    DoorServiceSensorEntityDescription[str](
        key="last_request",
        translation_key="last_request",
        device_class=SensorDeviceClass.ENUM,
        options=[NO_REQUEST, *(state.value for state in OrderState)],
        value_fn=_last_request_state,
        attributes_fn=_last_request_data,
    ),
    DoorServiceSensorEntityDescription[str](
        key="folio_total",
        translation_key="folio_total",
        device_class=SensorDeviceClass.MONETARY,
        suggested_display_precision=2,
        unit_fn=lambda runtime: runtime.currency,
        value_fn=_folio_total,
        attributes_fn=_folio_charges,
    ),
)

WORKER_SENSORS: tuple[DoorServiceSensorEntityDescription[str], ...] = (
    DoorServiceSensorEntityDescription[str](
        key="status",
        translation_key="worker_status",
        device_class=SensorDeviceClass.ENUM,
        options=[status.value for status in WorkerStatus],
        value_fn=lambda runtime, worker_id: (
            runtime.site.desk.worker_status(worker_id).value
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: DoorServiceConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors of the site, its cabinets, rooms and workers."""
    add = EntityAdder(async_add_entities)
    runtime = entry.runtime_data
    await add(SiteSensor(runtime, description) for description in SITE_SENSORS)
    for worker in runtime.subentries(SubentryType.WORKER):
        await add(
            (
                WorkerSensor(runtime, worker, description)
                for description in WORKER_SENSORS
            ),
            config_subentry_id=worker.subentry_id,
        )
    for cabinet in runtime.cabinets.values():
        await add(
            [
                *(
                    CabinetSensor(runtime, cabinet, description)
                    for description in CABINET_SENSORS
                ),
                *(
                    CompartmentSensor(runtime, compartment, description)
                    for compartment in cabinet_compartments(cabinet)
                    for description in COMPARTMENT_SENSORS
                ),
            ],
            config_subentry_id=cabinet.cabinet_id,
        )
    for room in runtime.subentries(SubentryType.ROOM):
        await add(
            (RoomSensor(runtime, room, description) for description in ROOM_SENSORS),
            config_subentry_id=room.subentry_id,
        )


class DoorServiceSensor[P](PartEntity[P], SensorEntity):
    """A sensor whose value is its description's ``value_fn(runtime, part)``."""

    entity_description: DoorServiceSensorEntityDescription[P]

    @property
    def native_value(self) -> StateType | Decimal:
        """Return the value of the part."""
        return self.entity_description.value_fn(self.runtime, self.part)

    @property
    def native_unit_of_measurement(self) -> str | None:
        """Return the site's unit when the description asks for it."""
        unit_fn = self.entity_description.unit_fn
        if unit_fn is not None:
            return unit_fn(self.runtime)
        return super().native_unit_of_measurement


class SiteSensor(DoorServiceSensor[None], SiteEntity):
    """A sensor of the site itself."""


class CabinetSensor(DoorServiceSensor[CabinetRuntime], CabinetEntity):
    """A sensor of a cabinet."""


class CompartmentSensor(DoorServiceSensor[CabinetCompartment], CompartmentEntity):
    """A sensor of one compartment."""


class RoomSensor(DoorServiceSensor[str], RoomEntity):
    """A sensor of a room."""


class WorkerSensor(DoorServiceSensor[str], WorkerEntity):
    """A sensor of a worker."""
