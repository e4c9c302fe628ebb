"""The entities driver: boards adopted by Home Assistant, driven through their entities.

This is how boards on ESPHome's native API are driven: Home Assistant's own ``esphome``
integration creates their lock, switch, binary sensor, light, climate, cover and fan
entities, and this driver maps compartments and appliances onto them. It only calls
services and reads states; keypad codes and wall buttons arrive as the board's
``esphome.doorservice_code_entered`` / ``esphome.doorservice_button`` events, which
Home Assistant tags with the board's ``device_id``; so do its alarms,
``esphome.doorservice_forced_open`` (``compartment``) and
``esphome.doorservice_tamper``.
A QR payload goes to the board's API action ``esphome.<node>_show_qr``, keypad feedback
to ``esphome.<node>_keypad_feedback``.

A lock is unlocked only in ``unlocked`` or ``open`` (``unlocking``/``opening`` mean
queued: not yet); ``jammed`` and ``unknown`` are faults. A switch used as a lock must
time its pulse itself (an ESPHome switch that turns itself off, e.g. ``on_turn_on:`` ->
``delay`` -> ``switch.turn_off``): this driver only turns it on to unlock, and off to
lock, so a Home Assistant restart can never leave a coil energised.

A board counts as online while every mapped entity has a state other than
``unavailable`` or ``unknown`` (a door in ``unknown`` -- a board that cannot read it --
is reported as a door of unknown state instead).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from homeassistant.components.lock.const import LockState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event

from ..const import LOGGER
from ..core.appliances import ApplianceKind
from .base import (
    DEFAULT_DOOR_OPEN_TIMEOUT,
    ApplianceState,
    BoardListener,
    BoardReport,
    BoardSignal,
    CabinetDriver,
    DriverError,
    KeypadFeedback,
    RoomDriver,
)

EVENT_CODE_ENTERED = "esphome.doorservice_code_entered"
EVENT_BUTTON = "esphome.doorservice_button"
EVENT_FORCED_OPEN = "esphome.doorservice_forced_open"
EVENT_TAMPER = "esphome.doorservice_tamper"
ESPHOME_DOMAIN = "esphome"
ESPHOME_DEVICE_NAME = "device_name"
"""Key of the node name in an ESPHome config entry's data."""

DEFAULT_PULSE = 1.0
DEFAULT_CONFIRM_TIMEOUT = 5.0

_OFFLINE_STATES = frozenset({STATE_UNAVAILABLE, STATE_UNKNOWN})
_UNLOCKED_STATES = frozenset({LockState.UNLOCKED, LockState.OPEN})
_LOCKED_STATES = frozenset(
    {LockState.LOCKED, LockState.LOCKING, LockState.UNLOCKING, LockState.OPENING}
)


def _is_online(state: State | None) -> bool:
    return state is not None and state.state not in _OFFLINE_STATES


class _EntityBoard:
    """What both entity drivers share: state tracking, availability, board events."""

    def __init__(
        self,
        hass: HomeAssistant,
        tracked_entities: Iterable[str],
        board_device_id: str | None,
        unknown_is_online: Iterable[str] = (),
    ) -> None:
        self.hass = hass
        self.tracked_entities = list(tracked_entities)
        self.board_device_id = board_device_id
        self._unknown_is_online = frozenset(unknown_is_online)
        self._unsubs: list[CALLBACK_TYPE] = []
        self._online: bool | None = None

    def _start_tracking(
        self,
        on_state: Any,
        event_type: str,
        on_event: Any,
        **more_events: Any,
    ) -> None:
        self._unsubs.append(
            async_track_state_change_event(self.hass, self.tracked_entities, on_state)
        )
        if self.board_device_id is not None:
            device_id = self.board_device_id

            @callback
            def _from_board(data: Mapping[str, Any]) -> bool:
                return data.get("device_id") == device_id

            for name, handler in {event_type: on_event, **more_events}.items():
                self._unsubs.append(
                    self.hass.bus.async_listen(name, handler, event_filter=_from_board)
                )

    def _stop_tracking(self) -> None:
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._online = None

    def _availability_changed(self) -> bool | None:
        """Return the new availability when it changed, else None."""
        online = all(
            _is_online(state := self.hass.states.get(entity_id))
            or (
                entity_id in self._unknown_is_online
                and state is not None
                and state.state == STATE_UNKNOWN
            )
            for entity_id in self.tracked_entities
        )
        if online == self._online:
            return None
        self._online = online
        return online

    async def _async_call(
        self, domain: str, service: str, data: dict[str, Any], error_key: str, **ph: Any
    ) -> None:
        try:
            await self.hass.services.async_call(domain, service, data, blocking=True)
        except HomeAssistantError as err:
            raise DriverError(error_key, error=err, **ph) from err


class EntitiesCabinetDriver(CabinetDriver):
    """A cabinet whose compartments are existing lock (or switch) entities.

    ``locks`` lists one ``lock`` or ``switch`` entity per compartment, in order; a
    switch is turned on for ``pulse`` seconds to unlock. ``doors`` optionally lists
    one door ``binary_sensor`` per compartment (``None`` for a compartment without
    one). ``board_device_id`` names the board's device for keypad codes, alarms, the QR
    and keypad feedback. ``pulse`` is kept for compatibility and not used: the board
    times every pulse. ``door_open_timeout`` (seconds, None = off) bounds how long a
    confirmed unlock waits for its door before the driver relocks it.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        compartments: int,
        listener: BoardListener,
        *,
        locks: Sequence[str],
        doors: Sequence[str | None] = (),
        board_device_id: str | None = None,
        pulse: float = DEFAULT_PULSE,
        confirm_timeout: float = DEFAULT_CONFIRM_TIMEOUT,
        door_open_timeout: float | None = DEFAULT_DOOR_OPEN_TIMEOUT,
    ) -> None:
        """Create the driver over the given entities."""
        super().__init__(compartments, listener)
        self.door_open_timeout = door_open_timeout
        if len(locks) != compartments or len(doors) > compartments:
            raise ValueError("one lock (and at most one door) per compartment")
        self.hass = hass
        self._locks = dict(enumerate(locks, start=1))
        self._doors = {n: door for n, door in enumerate(doors, start=1) if door}
        self.state.has_door_sensors = len(self._doors) == compartments
        self._pulse = pulse
        self._confirm_timeout = confirm_timeout
        self._roles: dict[str, list[tuple[str, int]]] = {}
        for n, entity_id in self._locks.items():
            self._roles.setdefault(entity_id, []).append(("lock", n))
        for n, entity_id in self._doors.items():
            self._roles.setdefault(entity_id, []).append(("door", n))
        self._board = _EntityBoard(
            hass, self._roles, board_device_id, unknown_is_online=self._doors.values()
        )
        self.follows_board_events = board_device_id is not None

    async def async_start(self) -> None:
        """Follow the mapped entities and the board's keypad; report their states."""
        self._board._start_tracking(
            self._on_state_change,
            EVENT_CODE_ENTERED,
            self._on_code,
            **{EVENT_FORCED_OPEN: self._on_forced_open, EVENT_TAMPER: self._on_tamper},
        )
        for entity_id in self._roles:
            self._apply(entity_id, self.hass.states.get(entity_id))
        self._update_availability()

    async def async_stop(self) -> None:
        """Stop following the entities and cancel pending door watches."""
        self._board._stop_tracking()
        self._cancel_door_watches()
        self.state.available = False

    @callback
    def _on_state_change(self, event: Event[EventStateChangedData]) -> None:
        self._apply(event.data["entity_id"], event.data["new_state"])
        self._update_availability()

    @callback
    def _on_code(self, event: Event[Mapping[str, Any]]) -> None:
        code = event.data.get("code")
        if isinstance(code, str | int) and str(code):
            self._report(BoardReport(BoardSignal.CODE_ENTERED, str(code)))

    @callback
    def _on_forced_open(self, event: Event[Mapping[str, Any]]) -> None:
        try:
            number = int(event.data.get("compartment", 0))
        except TypeError, ValueError:
            return
        if number in self.state.compartments:
            self._report(BoardReport(BoardSignal.FORCED_OPEN, True, compartment=number))

    @callback
    def _on_tamper(self, _event: Event[Mapping[str, Any]]) -> None:
        self._report(BoardReport(BoardSignal.TAMPER, True))

    def _update_availability(self) -> None:
        if (online := self._board._availability_changed()) is not None:
            self._report(BoardReport(BoardSignal.AVAILABILITY, online))

    def _apply(self, entity_id: str, state: State | None) -> None:
        if state is None or state.state == STATE_UNAVAILABLE:
            return
        for role, n in self._roles.get(entity_id, ()):
            if role == "door":
                is_open = (
                    None if state.state == STATE_UNKNOWN else state.state == STATE_ON
                )
                self._report(BoardReport(BoardSignal.DOOR, is_open, compartment=n))
            elif state.domain == "lock":
                if state.state in _UNLOCKED_STATES or state.state in _LOCKED_STATES:
                    locked = state.state not in _UNLOCKED_STATES
                    self._report(BoardReport(BoardSignal.LOCK, locked, compartment=n))
                else:
                    # jammed, unknown, or anything a lock should not say
                    self._report(
                        BoardReport(BoardSignal.FAULT, state.state, compartment=n)
                    )
            elif state.state != STATE_UNKNOWN:
                locked = state.state != STATE_ON
                self._report(BoardReport(BoardSignal.LOCK, locked, compartment=n))

    async def async_unlock(self, compartment: int) -> None:
        """Unlock (or pulse the switch) and wait for the lock or door to confirm."""
        await self._async_confirmed_unlock(
            compartment,
            lambda: self._async_send_unlock(compartment),
            self._confirm_timeout,
        )

    async def _async_send_unlock(self, compartment: int) -> None:
        entity_id = self._locks[compartment]
        domain = "lock" if entity_id.startswith("lock.") else "switch"
        # A switch is only turned on: its board ends the pulse by itself.
        service = "unlock" if domain == "lock" else "turn_on"
        await self._board._async_call(
            domain, service, {ATTR_ENTITY_ID: entity_id}, "board_command_failed"
        )

    async def async_lock(self, compartment: int) -> None:
        """Lock now (a switch is turned off, cutting its pulse short)."""
        self._check_compartment(compartment)
        entity_id = self._locks[compartment]
        domain = "lock" if entity_id.startswith("lock.") else "switch"
        service = "lock" if domain == "lock" else "turn_off"
        await self._board._async_call(
            domain, service, {ATTR_ENTITY_ID: entity_id}, "board_command_failed"
        )

    def _board_action(self, action: str) -> str | None:
        """Return the board's API action ``esphome.<node>_<action>`` (its service)."""
        if self._board.board_device_id is None:
            return None
        device = dr.async_get(self.hass).async_get(self._board.board_device_id)
        if device is None:
            return None
        # A device belongs to one config entry (``config_entries`` is deprecated).
        entry = self.hass.config_entries.async_get_entry(device.config_entry_id)
        if (
            entry is not None
            and entry.domain == ESPHOME_DOMAIN
            and (node := entry.data.get(ESPHOME_DEVICE_NAME))
        ):
            return f"{str(node).replace('-', '_')}_{action}"
        return None

    async def async_keypad_feedback(self, result: KeypadFeedback) -> None:
        """Send the result to the board's ``keypad_feedback`` action (best effort)."""
        service = self._board_action("keypad_feedback")
        if service is None or not self.hass.services.has_service(
            ESPHOME_DOMAIN, service
        ):
            LOGGER.debug("Cabinet board without keypad feedback: %s not shown", result)
            return
        try:
            await self._board._async_call(
                ESPHOME_DOMAIN, service, {"result": str(result)}, "board_command_failed"
            )
        except DriverError as err:
            LOGGER.warning("Keypad feedback %s not shown: %s", result, err.placeholders)

    def qr_service(self) -> str | None:
        """Return the board's ``show_qr`` action (``esphome.<node>_show_qr``)."""
        return self._board_action("show_qr")

    async def async_show_qr(self, payload: str) -> None:
        """Send the payload to the board's display through its ``show_qr`` action."""
        if (service := self.qr_service()) is None:
            LOGGER.debug("Cabinet board without a display: QR not shown")
        else:
            await self._board._async_call(
                ESPHOME_DOMAIN, service, {"payload": payload}, "qr_not_shown"
            )
        self.state.qr_payload = payload


def appliance_state(kind: ApplianceKind, state: State) -> ApplianceState:
    """Read an appliance's state from its Home Assistant entity state."""
    attributes = state.attributes

    def number(key: str) -> float | None:
        value = attributes.get(key)
        return value if isinstance(value, int | float) else None

    if kind is ApplianceKind.COVER:
        return ApplianceState(
            is_on=state.state in ("open", "opening"),
            value=number("current_position"),
        )
    if kind is ApplianceKind.CLIMATE:
        return ApplianceState(is_on=state.state != "off", value=number("temperature"))
    value_key = {ApplianceKind.LIGHT: "brightness", ApplianceKind.FAN: "percentage"}
    is_on = state.state == STATE_ON
    key = value_key.get(kind)
    return ApplianceState(
        is_on=is_on, value=number(key) if key is not None and is_on else None
    )


def appliance_service_calls(
    kind: ApplianceKind, entity_id: str, *, on: bool, value: float | None
) -> list[tuple[str, str, dict[str, Any]]]:
    """Return the (domain, service, data) calls that set an appliance entity."""
    target: dict[str, Any] = {ATTR_ENTITY_ID: entity_id}
    domain = entity_id.partition(".")[0]
    if kind is ApplianceKind.COVER:
        if on and value is not None:
            return [(domain, "set_cover_position", {**target, "position": int(value)})]
        return [(domain, "open_cover" if on else "close_cover", target)]
    if not on:
        return [(domain, "turn_off", target)]
    if kind is ApplianceKind.CLIMATE:
        calls = [(domain, "turn_on", target)]
        if value is not None:
            calls.append((domain, "set_temperature", {**target, "temperature": value}))
        return calls
    extra: dict[str, Any] = {}
    if value is not None and kind is ApplianceKind.LIGHT:
        extra["brightness"] = int(value)
    elif value is not None and kind is ApplianceKind.FAN:
        extra["percentage"] = int(value)
    return [(domain, "turn_on", {**target, **extra})]


class EntitiesRoomDriver(RoomDriver):
    """A room whose appliances are switch, light, climate, cover or fan entities."""

    def __init__(
        self,
        hass: HomeAssistant,
        appliances: Mapping[str, ApplianceKind],
        listener: BoardListener,
        *,
        entities: Mapping[str, str],
        board_device_id: str | None = None,
    ) -> None:
        """Create the driver; ``entities`` maps each appliance id to its entity."""
        super().__init__(appliances, listener)
        if set(entities) != set(appliances):
            raise ValueError("one entity per appliance")
        self.hass = hass
        self._entities = dict(entities)
        self._appliance_of = {entity: aid for aid, entity in entities.items()}
        self._board = _EntityBoard(hass, self._appliance_of, board_device_id)

    async def async_start(self) -> None:
        """Follow the mapped entities and the board's wall buttons."""
        self._board._start_tracking(
            self._on_state_change, EVENT_BUTTON, self._on_button
        )
        for entity_id in self._appliance_of:
            self._apply(entity_id, self.hass.states.get(entity_id))
        self._update_availability()

    async def async_stop(self) -> None:
        """Stop following the entities."""
        self._board._stop_tracking()
        self.state.available = False

    @callback
    def _on_state_change(self, event: Event[EventStateChangedData]) -> None:
        self._apply(event.data["entity_id"], event.data["new_state"])
        self._update_availability()

    @callback
    def _on_button(self, event: Event[Mapping[str, Any]]) -> None:
        if isinstance(button := event.data.get("button"), str) and button:
            self._report_button(button)

    def _update_availability(self) -> None:
        if (online := self._board._availability_changed()) is not None:
            self._report(BoardReport(BoardSignal.AVAILABILITY, online))

    def _apply(self, entity_id: str, state: State | None) -> None:
        if not _is_online(state) or (aid := self._appliance_of.get(entity_id)) is None:
            return
        assert state is not None
        kind = self.state.appliances[aid].kind
        self._report_appliance(aid, appliance_state(kind, state))

    async def async_set_appliance(
        self, appliance_id: str, *, on: bool, value: float | None = None
    ) -> None:
        """Call the entity's services (e.g. ``light.turn_on`` with a brightness)."""
        hw = self._check(appliance_id)
        calls = appliance_service_calls(
            hw.kind, self._entities[appliance_id], on=on, value=value
        )
        for domain, service, data in calls:
            await self._board._async_call(
                domain,
                service,
                data,
                "appliance_command_failed",
                appliance=appliance_id,
            )
