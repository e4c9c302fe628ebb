"""Entities of a worker: on-duty switch, status and the worker's to-do list."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.config_entries import ConfigSubentry
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription

from ..const import DOMAIN
from ..core.errors import DoorServiceError
from ..core.orders import Order, OrderState
from ..core.workers import WorkerStatus
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
        await self.runtime.async_set_on_duty(self._worker_id, True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Take the worker off duty."""
        await self.runtime.async_set_on_duty(self._worker_id, False)


STATUS = SensorEntityDescription(
    key="status",
    translation_key="worker_status",
    device_class=SensorDeviceClass.ENUM,
    options=[status.value for status in WorkerStatus],
)
WORKER_ORDERS = EntityDescription(key="orders", translation_key="worker_orders")


class WorkerStatusSensor(DoorServiceEntity, SensorEntity):
    """What a worker is doing: off duty, idle, offered an order, or busy."""

    def __init__(self, runtime: SiteRuntime, subentry: ConfigSubentry) -> None:
        """Create the status sensor of ``subentry``'s worker."""
        super().__init__(runtime, STATUS, subentry)
        self._worker_id = subentry.subentry_id

    @property
    def native_value(self) -> str:
        """Return the worker's status."""
        return self.runtime.site.desk.worker_status(self._worker_id).value


def order_todo_item(runtime: SiteRuntime, order: Order) -> TodoItem:
    """Return an order as a to-do item (no phone number, no code)."""
    try:
        service = runtime.site.catalog.get(order.service_type).name
    except DoorServiceError:
        service = order.service_type
    where = runtime.part_name(order.room) or order.address or runtime.name
    done = order.state in (OrderState.COMPLETED, OrderState.CLOSED)
    return TodoItem(
        summary=f"{order.id} {service} – {where}",
        uid=order.id,
        status=TodoItemStatus.COMPLETED if done else TodoItemStatus.NEEDS_ACTION,
        due=order.scheduled_start,
        description="\n".join(
            line for line in (f"State: {order.state.value}", order.message) if line
        ),
    )


class WorkerOrdersTodo(DoorServiceEntity, TodoListEntity):
    """A worker's orders; ticking one off completes it."""

    _attr_supported_features = TodoListEntityFeature.UPDATE_TODO_ITEM

    def __init__(self, runtime: SiteRuntime, subentry: ConfigSubentry) -> None:
        """Create the to-do list of ``subentry``'s worker."""
        super().__init__(runtime, WORKER_ORDERS, subentry)
        self._worker_id = subentry.subentry_id
        self._shown: tuple[tuple[str, int], ...] = ()
        self._attr_todo_items = self._items()

    def _items(self) -> list[TodoItem]:
        """Their offers and their work (the core decides which orders)."""
        orders = self.runtime.site.worker_todo(self._worker_id)
        self._shown = tuple((order.id, len(order.history)) for order in orders)
        return [order_todo_item(self.runtime, order) for order in orders]

    def _handle_update(self) -> None:
        """Write the list only when an order on it changed, came or went."""
        orders = self.runtime.site.worker_todo(self._worker_id)
        if tuple((order.id, len(order.history)) for order in orders) == self._shown:
            return
        self._attr_todo_items = self._items()
        self.async_write_ha_state()

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Complete the order behind a ticked item (reopening is refused)."""
        if item.uid is None or item.status != TodoItemStatus.COMPLETED:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="todo_only_completes"
            )
        await self.runtime.async_finish_order(item.uid, self._worker_id, self._context)
