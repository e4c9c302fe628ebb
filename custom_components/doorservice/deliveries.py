"""How codes reach their holders, and how holders and places read in words.

A code (``CodeDelivery``, issued by the core) goes only to its holder: in the response
of the call that issued it (:func:`delivery_response`), or in a message to the
holder's own channel (notifications.py for workers). Never in a state, a bus event,
the logbook or a log line.
"""

from __future__ import annotations

from typing import Any

from homeassistant.util import dt as dt_util

from .coordinator import SiteCoordinator
from .core.actors import actor_worker_id
from .core.events import CodeDelivery


def holder_name(coordinator: SiteCoordinator, holder: str) -> str:
    """A code holder or actor in words (``worker:<id>`` -> the worker's name)."""
    if (worker_id := actor_worker_id(holder)) is not None:
        return coordinator.part_name(worker_id) or holder
    return holder


def place_name(coordinator: SiteCoordinator, place: str) -> str:
    """A key holder in words."""
    if place.startswith("compartment:"):
        return f"compartment {place.removeprefix('compartment:')}"
    return holder_name(coordinator, place)


def code_text(coordinator: SiteCoordinator, delivery: CodeDelivery) -> dict[str, Any]:
    """The values a message about a code needs."""
    return {
        "order_id": delivery.order_id,
        "pin": delivery.issued.pin,
        "cabinet": coordinator.part_name(delivery.cabinet_id),
        "compartment": delivery.compartment,
        "valid_until": dt_util.as_local(delivery.issued.code.valid_until).strftime(
            "%Y-%m-%d %H:%M"
        ),
    }


def delivery_response(
    coordinator: SiteCoordinator, delivery: CodeDelivery
) -> dict[str, Any]:
    """A code as response data: for the caller of the call that issued it."""
    code = delivery.issued.code
    return {
        "order_id": delivery.order_id,
        "purpose": delivery.purpose.value,
        "holder": holder_name(coordinator, delivery.holder),
        "cabinet": coordinator.part_name(delivery.cabinet_id),
        "compartment": delivery.compartment,
        "pin": delivery.issued.pin,
        "qr_token": delivery.issued.token,
        "valid_from": code.valid_from.isoformat(),
        "valid_until": code.valid_until.isoformat(),
    }
