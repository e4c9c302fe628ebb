"""The staff terminal on the phone: actionable notifications and their answers.

A worker with a notify action (the Companion app's ``notify.mobile_app_<phone>``) is
offered orders with Accept / Decline buttons, and an accepted order with a Done
button. The buttons come back as ``mobile_app_notification_action`` events and run
exactly the same code path as the services.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from homeassistant.core import Context, Event, callback
from homeassistant.exceptions import HomeAssistantError

from .const import (
    CONF_ACCEPTANCE_TIMEOUT,
    CONF_MANAGER_NOTIFY,
    CONF_NOTIFY_SERVICE,
    DEFAULT_ACCEPTANCE_TIMEOUT,
    EVENT_MOBILE_ACTION,
    LOGGER,
)
from .core.actors import actor_worker_id
from .core.codes import CodePurpose
from .core.errors import DoorServiceError
from .core.events import CodeDelivery, OrderEvent, OrderEventKind
from .core.orders import Order, OrderState
from .core.service_names import service_name
from .deliveries import code_text
from .messages import language_of, message

if TYPE_CHECKING:
    from .coordinator import SiteCoordinator

ACTION_PREFIX = "DOORSERVICE"
ACCEPT = "ACCEPT"
DECLINE = "DECLINE"
DONE = "DONE"


def action_id(verb: str, entry_id: str, order_id: str, worker_id: str) -> str:
    """Return the notification action id that carries an answer back."""
    return f"{ACTION_PREFIX}|{verb}|{entry_id}|{order_id}|{worker_id}"


def notification_tag(order_id: str) -> str:
    """Return the tag that groups (and clears) the notifications of an order."""
    return f"doorservice_{order_id}"


class WorkerNotifier:
    """Sends a site's notifications and runs the answers from phones."""

    def __init__(self, runtime: SiteCoordinator) -> None:
        """Create the notifier of ``runtime``'s site."""
        self._runtime = runtime
        self._unsub: Any = None
        runtime.async_subscribe(self.async_handle_events)

    @callback
    def async_start(self) -> None:
        """Listen for answers from phones."""
        self._unsub = self._runtime.hass.bus.async_listen(
            EVENT_MOBILE_ACTION, self._async_handle_action
        )

    @callback
    def async_stop(self) -> None:
        """Stop listening."""
        if self._unsub:
            self._unsub()
            self._unsub = None

    # --- outgoing -----------------------------------------------------------------

    def _language(self) -> str:
        return language_of(self._runtime.hass.config.language)

    def _describe(self, order: Order) -> dict[str, Any]:
        runtime = self._runtime
        try:
            service = service_name(
                runtime.site.catalog.get(order.service_type), self._language()
            )
        except DoorServiceError:
            service = order.service_type
        return {
            "order_id": order.id,
            "service": service,
            "location": runtime.part_name(order.room) or order.address or runtime.name,
            "site": runtime.name,
            "minutes": runtime.entry.options.get(
                CONF_ACCEPTANCE_TIMEOUT, DEFAULT_ACCEPTANCE_TIMEOUT
            ),
        }

    def _notify_target(self, worker_id: str | None) -> str | None:
        if (
            worker_id is None
            or (sub := self._runtime.entry.subentries.get(worker_id)) is None
        ):
            return None
        target = sub.data.get(CONF_NOTIFY_SERVICE)
        return str(target) if target else None

    def send(self, target: str, data: dict[str, Any]) -> None:
        """Send a notification through a notify action (when it exists)."""
        self._send(target, data)

    def _send(self, target: str, data: dict[str, Any]) -> None:
        domain, _, service = target.partition(".")
        hass = self._runtime.hass
        if not hass.services.has_service(domain, service):
            LOGGER.warning("Notify action %s is not available", target)
            return
        hass.async_create_task(
            hass.services.async_call(domain, service, data, blocking=False),
            eager_start=True,
        )

    @callback
    def async_handle_events(
        self, events: Sequence[object], context: Context | None
    ) -> None:
        """Send what a committed operation means to the people concerned."""
        deliveries = [e for e in events if isinstance(e, CodeDelivery)]
        for event in events:
            if isinstance(event, OrderEvent):
                self.async_handle(
                    event, self._runtime.site.desk.get(event.order_id), deliveries
                )
        for delivery in deliveries:
            if delivery.purpose is CodePurpose.RETURN:
                self._deliver_return_code(delivery)

    @callback
    def async_handle(
        self,
        event: OrderEvent,
        order: Order,
        deliveries: Sequence[CodeDelivery] = (),
    ) -> None:
        """Send what an order event means to the people concerned."""
        lang = self._language()
        values = self._describe(order)
        tag = notification_tag(order.id)
        entry_id = self._runtime.entry.entry_id
        if event.kind is OrderEventKind.OFFERED and (
            target := self._notify_target(event.worker)
        ):
            assert event.worker is not None
            self._send(
                target,
                {
                    "title": message(lang, "offer_title", **values),
                    "message": message(lang, "offer_message", **values),
                    "data": {
                        "tag": tag,
                        "actions": [
                            {
                                "action": action_id(
                                    ACCEPT, entry_id, order.id, event.worker
                                ),
                                "title": message(lang, "action_accept"),
                            },
                            {
                                "action": action_id(
                                    DECLINE, entry_id, order.id, event.worker
                                ),
                                "title": message(lang, "action_decline"),
                            },
                        ],
                    },
                },
            )
        elif event.kind in (
            OrderEventKind.OFFER_WITHDRAWN,
            OrderEventKind.OFFER_EXPIRED,
            OrderEventKind.OFFER_DECLINED,
        ) and (target := self._notify_target(event.worker)):
            self._send(target, {"message": "clear_notification", "data": {"tag": tag}})
        elif (
            event.kind is OrderEventKind.TRANSITION
            and event.state is OrderState.ACCEPTED
            and (target := self._notify_target(order.worker))
        ):
            assert order.worker is not None
            self._send(
                target,
                {
                    "title": message(lang, "accepted_title", **values),
                    "message": message(lang, "accepted_message", **values)
                    + self._pickup_text(lang, order, deliveries),
                    "data": {
                        "tag": tag,
                        "actions": [
                            {
                                "action": action_id(
                                    DONE, entry_id, order.id, order.worker
                                ),
                                "title": message(lang, "action_done"),
                            }
                        ],
                    },
                },
            )
        elif event.kind is OrderEventKind.ESCALATED and (
            manager := self._runtime.entry.options.get(CONF_MANAGER_NOTIFY)
        ):
            self._send(
                str(manager),
                {
                    "title": message(lang, "escalated_title", **values),
                    "message": message(lang, "escalated_message", **values),
                    "data": {"tag": tag},
                },
            )

    def _pickup_text(
        self, lang: str, order: Order, deliveries: Sequence[CodeDelivery]
    ) -> str:
        """The pickup code for the accepted worker (their notification only)."""
        for delivery in deliveries:
            if delivery.order_id == order.id and delivery.purpose is CodePurpose.PICKUP:
                return " " + message(
                    lang, "pickup_code", **code_text(self._runtime, delivery)
                )
        return ""

    def _deliver_return_code(self, delivery: CodeDelivery) -> None:
        """The return code goes to the worker who holds the key, on their phone."""
        target = self._notify_target(actor_worker_id(delivery.holder))
        if target is None:
            return
        lang = self._language()
        values = code_text(self._runtime, delivery)
        self._send(
            target,
            {
                "title": message(lang, "return_title", **values),
                "message": message(lang, "return_message", **values),
                "data": {"tag": notification_tag(delivery.order_id)},
            },
        )

    # --- incoming -----------------------------------------------------------------

    @callback
    def _async_handle_action(self, event: Event) -> None:
        """Run a button pressed on a phone, like the matching service."""
        self._runtime.hass.async_create_task(
            self._async_run_action(event), eager_start=True
        )

    async def _async_run_action(self, event: Event) -> None:
        """Run the action of a phone button (see ``_async_handle_action``)."""
        parts = str(event.data.get("action", "")).split("|")
        if len(parts) != 5 or parts[0] != ACTION_PREFIX:
            return
        _, verb, entry_id, order_id, worker_id = parts
        runtime = self._runtime
        if entry_id != runtime.entry.entry_id:
            return
        operations = {
            ACCEPT: runtime.async_accept_order,
            DECLINE: runtime.async_decline_order,
            DONE: runtime.async_finish_order,
        }
        if (operation := operations.get(verb)) is None:
            LOGGER.debug("Unknown notification action %s", verb)
            return
        try:
            await operation(order_id, worker_id, event.context)
        except HomeAssistantError as err:  # a phone cannot see a raised error
            LOGGER.info(
                "Answer %s from %s for %s was refused: %s",
                verb.lower(),
                runtime.part_name(worker_id),
                order_id,
                err,
            )
