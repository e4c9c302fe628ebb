"""Who is calling an action, and what they may do (DESIGN.md, "Trust").

Roles come from Home Assistant's own users:

* **manager**: an administrator; **system**: a call without a user (automations,
  scripts started by triggers). Both may do everything.
* **staff**: the user of a worker subentry (its ``person`` entity's ``user_id``, or
  the subentry's ``user_id``). Staff act only as themselves, on their own orders,
  and see the rooms they have an open order in.
* **room terminal**: a user named in a room subentry's ``users``: that room's
  requests, do not disturb, appliances during a stay, its orders and bill.
* **booker**: the user who booked or requested an order: that order.

Every check runs before anything changes and refuses with :class:`NotAllowed`
(Home Assistant's ``Unauthorized``, with a translated message).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.exceptions import Unauthorized

from .const import CONF_PERSON, CONF_USER_ID, CONF_USERS, DOMAIN, SubentryType
from .core.orders import Order
from .runtime import DoorServiceConfigEntry, SiteRuntime


class CallerRole(StrEnum):
    """The roles of the Trust table of DESIGN.md (booker is per order)."""

    MANAGER = "manager"
    SYSTEM = "system"
    STAFF = "staff"
    ROOM_TERMINAL = "room_terminal"


class NotAllowed(Unauthorized):
    """Home Assistant's ``Unauthorized`` with a translated message."""

    def __init__(self, context: Context, action: str) -> None:
        """Refuse ``action`` for the caller of ``context``."""
        super().__init__(context=context)
        self.translation_domain = DOMAIN
        self.translation_key = "not_allowed"
        self.translation_placeholders = {"action": action}
        self.generate_message = True
        self.args = ("not_allowed",)


type PartKey = tuple[str, str]
"""(config entry id, subentry id) of a worker or a room."""


@dataclass(frozen=True, slots=True)
class Caller:
    """Who called an action: their roles, workers and rooms."""

    context: Context
    user_id: str | None
    roles: frozenset[CallerRole]
    workers: frozenset[PartKey] = frozenset()
    rooms: frozenset[PartKey] = frozenset()

    @property
    def is_privileged(self) -> bool:
        """Return True for a manager or the system: they may do everything."""
        return bool(self.roles & {CallerRole.MANAGER, CallerRole.SYSTEM})

    def refuse(self, action: str) -> NotAllowed:
        """Return the refusal of ``action`` (raise it)."""
        return NotAllowed(self.context, action)

    def require_privileged(self, action: str) -> None:
        """Refuse anyone but a manager or the system."""
        if not self.is_privileged:
            raise self.refuse(action)

    def require_any_role(self, action: str) -> None:
        """Refuse a caller who is neither manager, system, staff nor room terminal."""
        if not self.roles:
            raise self.refuse(action)

    def is_worker(self, runtime: SiteRuntime, worker_id: str | None) -> bool:
        """Return True when ``worker_id`` is the caller's own worker."""
        return worker_id is not None and (runtime.entry.entry_id, worker_id) in (
            self.workers
        )

    def is_room_terminal(self, runtime: SiteRuntime, room_id: str | None) -> bool:
        """Return True when the caller acts for ``room_id``."""
        return room_id is not None and (runtime.entry.entry_id, room_id) in self.rooms

    def is_staff_of(self, runtime: SiteRuntime) -> bool:
        """Return True when the caller is the user of a worker of the site."""
        entry_id = runtime.entry.entry_id
        return any(e == entry_id for e, _ in self.workers)

    def works_at(self, runtime: SiteRuntime) -> bool:
        """Return True when the caller is staff or a room terminal of the site."""
        entry_id = runtime.entry.entry_id
        return any(e == entry_id for e, _ in self.workers | self.rooms)

    def booked(self, order: Order) -> bool:
        """Return True when the caller booked or requested ``order``."""
        return self.user_id is not None and order.booked_by == self.user_id

    def serves(self, runtime: SiteRuntime, order: Order) -> bool:
        """Return True when the order is the caller's work (assigned or offered)."""
        return any(self.is_worker(runtime, w) for w in (order.worker, *order.offers))

    def serves_room(self, runtime: SiteRuntime, room_id: str) -> bool:
        """Return True when the caller has an open order assigned in ``room_id``."""
        return any(
            self.is_worker(runtime, order.worker)
            for order in runtime.site.orders(room=room_id)
            if order.is_open
        )

    def own_scope(self, runtime: SiteRuntime) -> tuple[str | None, str | None]:
        """Return (worker, room) that narrow a query to what the caller may see.

        Staff of one worker only see that worker's orders, a terminal of one room
        that room's; anyone else gets (None, None) and a filter on ``may_see``.
        """
        if self.is_privileged:
            return None, None
        entry_id = runtime.entry.entry_id
        workers = [w for e, w in self.workers if e == entry_id]
        rooms = [r for e, r in self.rooms if e == entry_id]
        if len(workers) == 1 and not rooms:
            return workers[0], None
        if len(rooms) == 1 and not workers:
            return None, rooms[0]
        return None, None

    def may_see(self, runtime: SiteRuntime, order: Order) -> bool:
        """Return True when ``order`` may be shown to the caller."""
        return (
            self.is_privileged
            or self.booked(order)
            or self.serves(runtime, order)
            or self.is_room_terminal(runtime, order.room)
        )


def _loaded(hass: HomeAssistant) -> Iterable[SiteRuntime]:
    entries: list[DoorServiceConfigEntry] = hass.config_entries.async_entries(DOMAIN)
    return [e.runtime_data for e in entries if e.state is ConfigEntryState.LOADED]


def _worker_user(hass: HomeAssistant, data: object) -> str | None:
    """Return the Home Assistant user of a worker subentry's data, if any."""
    if not isinstance(data, dict):
        return None
    if isinstance(user_id := data.get(CONF_USER_ID), str) and user_id:
        return user_id
    if isinstance(person := data.get(CONF_PERSON), str) and (
        state := hass.states.get(person)
    ):
        user_id = state.attributes.get(CONF_USER_ID)
        return user_id if isinstance(user_id, str) and user_id else None
    return None


async def async_caller(hass: HomeAssistant, call: ServiceCall) -> Caller:
    """Return who is calling an action (see :func:`async_caller_of`)."""
    return await async_caller_of(hass, call.context)


async def async_caller_of(hass: HomeAssistant, context: Context) -> Caller:
    """Return who acts in ``context`` (an action, or an entity's service call).

    A user Home Assistant does not know, or a deactivated one, has no role.
    """
    user_id = context.user_id
    if user_id is None:
        return Caller(context, None, frozenset({CallerRole.SYSTEM}))
    user = await hass.auth.async_get_user(user_id)
    if user is None or not user.is_active:
        return Caller(context, user_id, frozenset())
    roles: set[CallerRole] = set()
    if user.is_admin:
        roles.add(CallerRole.MANAGER)
    workers: set[PartKey] = set()
    rooms: set[PartKey] = set()
    for runtime in _loaded(hass):
        entry_id = runtime.entry.entry_id
        for sub in runtime.subentries(SubentryType.WORKER):
            if _worker_user(hass, dict(sub.data)) == user_id:
                workers.add((entry_id, sub.subentry_id))
        for sub in runtime.subentries(SubentryType.ROOM):
            users = sub.data.get(CONF_USERS)
            if isinstance(users, (list, tuple)) and user_id in users:
                rooms.add((entry_id, sub.subentry_id))
    if workers:
        roles.add(CallerRole.STAFF)
    if rooms:
        roles.add(CallerRole.ROOM_TERMINAL)
    return Caller(
        context, user_id, frozenset(roles), frozenset(workers), frozenset(rooms)
    )
