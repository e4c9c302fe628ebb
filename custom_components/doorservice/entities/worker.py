"""Entities of a worker: on-duty switch."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.config_entries import ConfigSubentry

from ..entity import DoorServiceEntity
from ..runtime import SiteRuntime

ON_DUTY = SwitchEntityDescription(key="on_duty", translation_key="on_duty")


class WorkerOnDutySwitch(DoorServiceEntity, SwitchEntity):
    """Whether a worker is on duty and may be offered orders."""

    def __init__(self, runtime: SiteRuntime, subentry: ConfigSubentry) -> None:
        """Create the switch of ``subentry``'s worker."""
        super().__init__(runtime, ON_DUTY, subentry)
        self._worker_id = subentry.subentry_id

    @property
    def is_on(self) -> bool:
        """Return whether the worker is on duty."""
        return self.runtime.site.is_on_duty(self._worker_id)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Put the worker on duty."""
        self.runtime.async_set_on_duty(self._worker_id, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Take the worker off duty."""
        self.runtime.async_set_on_duty(self._worker_id, False)
