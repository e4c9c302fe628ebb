"""Effects of committed operations that leave the integration: bus events, repairs.

Subscribers of the coordinator (see coordinator.py): they are handed the events of
each committed operation and never change the site.

* :class:`OrderBusEvents` fires ``doorservice_order_updated`` for every transition and
  ``doorservice_order_escalated`` for every escalation (the logbook describes both,
  logbook.py). Their data names people and places, never a phone number or a code.
* :class:`EscalationRepair` keeps one repair issue per site listing its escalated open
  orders, updated only when an order's escalation changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from homeassistant.core import Context, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN, ESCALATION_ISSUE, EVENT_ORDER_ESCALATED, EVENT_ORDER_UPDATED
from .coordinator import SiteCoordinator
from .core.events import OrderEvent, OrderEventKind
from .core.orders import Order


def order_event_data(
    coordinator: SiteCoordinator, event: OrderEvent, order: Order
) -> dict[str, Any]:
    """Return the bus event data of an order event (no phone, no code)."""
    return {
        "order_id": order.id,
        "site": coordinator.name,
        "site_id": coordinator.entry.entry_id,
        "state": event.state.value,
        "previous_state": (
            event.previous_state.value if event.previous_state else None
        ),
        "service_type": order.service_type,
        "room": coordinator.part_name(order.room),
        "worker": coordinator.part_name(event.worker or order.worker),
        "actor": coordinator.actor_name(event.actor),
        "kind": event.kind.value,
        "detail": event.detail,
    }


class OrderBusEvents:
    """Fires the order bus events (see the module docstring)."""

    def __init__(self, coordinator: SiteCoordinator) -> None:
        """Follow ``coordinator``'s committed operations."""
        self._coordinator = coordinator
        coordinator.async_subscribe(self.async_handle)

    @callback
    def async_handle(self, events: Sequence[object], context: Context | None) -> None:
        """Fire a bus event per transition and escalation."""
        coordinator = self._coordinator
        for event in events:
            if not isinstance(event, OrderEvent):
                continue
            if event.kind is OrderEventKind.TRANSITION:
                event_type = EVENT_ORDER_UPDATED
            elif event.kind is OrderEventKind.ESCALATED:
                event_type = EVENT_ORDER_ESCALATED
            else:
                continue
            order = coordinator.site.desk.get(event.order_id)
            coordinator.hass.bus.async_fire(
                event_type,
                order_event_data(coordinator, event, order),
                context=context,
            )


class EscalationRepair:
    """One repair issue per site with its escalated open orders."""

    def __init__(self, coordinator: SiteCoordinator) -> None:
        """Start from the orders escalated now and follow the coordinator."""
        self._coordinator = coordinator
        self._escalated = {
            order.id for order in coordinator.site.desk.book if _escalated(order)
        }
        self._issue_id = f"{ESCALATION_ISSUE}_{coordinator.entry.entry_id}"
        self._update()
        coordinator.async_subscribe(self.async_handle)

    @callback
    def async_handle(self, events: Sequence[object], context: Context | None) -> None:
        """Update the issue when an order's escalation changed."""
        book = self._coordinator.site.desk.book
        before = set(self._escalated)
        for event in events:
            if isinstance(event, OrderEvent):
                order_id = event.order_id
                if order_id in book and _escalated(book.get(order_id)):
                    self._escalated.add(order_id)
                else:
                    self._escalated.discard(order_id)
        if self._escalated != before:
            self._update()

    def _update(self) -> None:
        coordinator = self._coordinator
        if self._escalated:
            ir.async_create_issue(
                coordinator.hass,
                DOMAIN,
                self._issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key=ESCALATION_ISSUE,
                translation_placeholders={
                    "site": coordinator.name,
                    "orders": ", ".join(sorted(self._escalated)),
                },
            )
        else:
            ir.async_delete_issue(coordinator.hass, DOMAIN, self._issue_id)


def _escalated(order: Order) -> bool:
    return order.escalated and order.is_open
