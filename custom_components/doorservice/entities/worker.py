"""The part a worker's entities show, and the worker's to-do list.

A worker's status sensor and on-duty switch are described in ``sensor.py`` and
``switch.py``.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.config_entries import ConfigSubentry
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import EntityDescription

from ..const import DOMAIN
from ..core.errors import DoorServiceError
from ..core.orders import TODO_STATES, Order, OrderState
from ..entity import SubentryEntity
from ..runtime import SiteRuntime
from ..texts import server_language, state_label, text

WORKER_ORDERS = EntityDescription(key="orders", translation_key="worker_orders")


class WorkerEntity(SubentryEntity):
    """An entity of one worker (its part: the worker's id)."""

    @property
    def _worker_id(self) -> str:
        return self.part


def order_todo_item(runtime: SiteRuntime, order: Order) -> TodoItem:
    """Return an order as a to-do item (no phone number, no code)."""
    try:
        service = runtime.site.catalog.get(order.service_type).name
    except DoorServiceError:
        service = order.service_type
    where = runtime.part_name(order.room) or order.address or runtime.name
    language = server_language(runtime.hass)
    worker = runtime.part_name(order.worker)
    done = order.state in (OrderState.COMPLETED, OrderState.CLOSED)
    return TodoItem(
        summary=f"{order.id} {service} – {where}",
        uid=order.id,
        status=TodoItemStatus.COMPLETED if done else TodoItemStatus.NEEDS_ACTION,
        due=order.scheduled_start,
        description="\n".join(
            line
            for line in (
                state_label(language, order.state.value),
                text(language, "todo_worker", worker=worker) if worker else None,
                order.message,
            )
            if line
        ),
    )


WORKER_LIST_LIMIT = 20
"""A worker's list shows their oldest offers and work, at most this many."""


class WorkerOrdersTodo(WorkerEntity, TodoListEntity):
    """A worker's orders; ticking one off completes it."""

    _attr_supported_features = TodoListEntityFeature.UPDATE_TODO_ITEM

    def __init__(self, runtime: SiteRuntime, subentry: ConfigSubentry) -> None:
        """Create the to-do list of ``subentry``'s worker."""
        super().__init__(runtime, subentry, WORKER_ORDERS)
        self._shown: dict[str, tuple[datetime, int, TodoItem]] = {}
        """order id -> (created, history length, item), for the items on the list."""
        self._rebuild()

    def _rebuild(self) -> None:
        """Show the worker's oldest offers and work (at most ``WORKER_LIST_LIMIT``)."""
        orders = self.runtime.site.worker_todo(self._worker_id)[:WORKER_LIST_LIMIT]
        self._shown = {
            order.id: (
                order.created_at,
                len(order.history),
                order_todo_item(self.runtime, order),
            )
            for order in orders
        }
        self._publish_items()

    def _publish_items(self) -> None:
        self._attr_todo_items = [
            item
            for _created, _version, item in sorted(
                self._shown.values(), key=lambda shown: (shown[0], shown[2].uid or "")
            )
        ]

    def _handle_update(self) -> None:
        """Change the items of the orders the last action touched, one by one.

        Nothing is written when none of them is (or was) on this worker's list.
        """
        book = self.runtime.site.desk.book
        worker_id = self._worker_id
        changed = removed = False
        for order_id in self.runtime.last_touched.orders:
            order = book.find(order_id)
            if (
                order is not None
                and order.state in TODO_STATES
                and (order.worker == worker_id or worker_id in order.offers)
            ):
                shown = self._shown.get(order_id)
                if shown is None and len(self._shown) >= WORKER_LIST_LIMIT:
                    continue  # beyond the bound: it shows once older ones go
                if shown is None or shown[1] != len(order.history):
                    self._shown[order_id] = (
                        order.created_at,
                        len(order.history),
                        order_todo_item(self.runtime, order),
                    )
                    changed = True
            elif self._shown.pop(order_id, None) is not None:
                changed = removed = True
        if not changed:
            return
        if removed and len(self._shown) < self._relevant():
            self._rebuild()  # a hidden order moves up into the bound
        else:
            self._publish_items()
        self.async_write_ha_state()

    def _relevant(self) -> int:
        """How many orders the worker has on offer or in hand (shown or not)."""
        book = self.runtime.site.desk.book
        return min(
            WORKER_LIST_LIMIT,
            book.offer_count(self._worker_id) + book.active_count(self._worker_id),
        )

    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Complete the order behind a ticked item (reopening is refused).

        Only the worker's own user (or a manager, the system) ticks their list.
        """
        await self.async_require_caller(
            "todo.update_item",
            lambda caller: caller.is_worker(self.runtime, self._worker_id),
        )
        if item.uid is None or item.status != TodoItemStatus.COMPLETED:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="todo_only_completes"
            )
        await self.runtime.async_finish_order(item.uid, self._worker_id, self._context)
