"""Entities of the site itself."""

from __future__ import annotations

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription

from ..const import SubentryType
from ..entity import DoorServiceEntity
from ..runtime import SiteRuntime

WORKERS_ON_DUTY = SensorEntityDescription(
    key="workers_on_duty", translation_key="workers_on_duty"
)


class WorkersOnDutySensor(DoorServiceEntity, SensorEntity):
    """How many of the site's workers are on duty."""

    def __init__(self, runtime: SiteRuntime) -> None:
        """Create the sensor of the site."""
        super().__init__(runtime, WORKERS_ON_DUTY, None)

    @property
    def native_value(self) -> int:
        """Return the number of workers on duty."""
        return sum(
            self.runtime.site.is_on_duty(sub.subentry_id)
            for sub in self.runtime.subentries(SubentryType.WORKER)
        )
