"""The MQTT driver: boards running ESPHome's ``mqtt:`` component.

It talks through Home Assistant's own MQTT integration, with ESPHome's topic
conventions under the board's ``topic_prefix``:

* availability ``<prefix>/status``: ``online`` / ``offline`` (retained birth and will);
* ``<prefix>/<component>/<object_id>/state`` and ``.../command``: locks take ``LOCK``
  / ``UNLOCK`` / ``OPEN`` and report ``LOCKED`` / ``UNLOCKED``; binary sensors report
  ``ON`` / ``OFF``; switches and fans take and report ``ON`` / ``OFF``; covers take
  ``OPEN`` / ``CLOSE`` and report ``open`` / ``closed`` / ``opening`` / ``closing``,
  with ``position/command|state``; lights take and report JSON (``state``,
  ``brightness``); climates use ``mode/command|state`` and
  ``target_temperature/command|state``; fans ``speed_level/command|state``;
* the firmware's own topics: ``<prefix>/keypad/code`` (a finished keypad code),
  ``<prefix>/keypad/feedback`` (accepted / rejected / locked_out / out_of_service, to
  the board), ``<prefix>/display/qr/set`` (the QR payload, retained here so a rebooted
  board shows it again), ``<prefix>/event/forced_open`` (a compartment number),
  ``<prefix>/event/tamper`` and ``<prefix>/button/press`` (a wall button's id).

Lock states: ``UNLOCKED`` / ``OPEN`` confirm an unlock; ``LOCKED``, ``LOCKING``,
``UNLOCKING`` and ``OPENING`` (queued on the board) count as locked; ``JAMMED`` and
anything else are faults.

QoS: commands go out at QoS 1. With mosquitto's default ``set_tcp_nodelay false`` a
QoS 1 round trip waits ~40 ms on a delayed TCP ACK; the broker must run with
``set_tcp_nodelay true`` (see esphome/README.md), which brings it to a few ms.

A board is online while the MQTT client is connected and the board's last status was
``online``; a lost broker connection forgets the status until the board reports again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
import json
import re

from homeassistant.components import mqtt
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

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

STATUS_ONLINE = "online"
DEFAULT_CONFIRM_TIMEOUT = 5.0

_LOCK_ID = re.compile(r"^compartment_(\d+)_lock$")
_DOOR_ID = re.compile(r"^compartment_(\d+)_door$")
_UNLOCKED = frozenset({"UNLOCKED", "OPEN"})
_LOCKED = frozenset({"LOCKED", "LOCKING", "UNLOCKING", "OPENING"})

type TopicHandler = Callable[[str, str], None]


class MqttLink:
    """One board's MQTT subscriptions and availability."""

    def __init__(
        self,
        hass: HomeAssistant,
        prefix: str,
        handlers: Mapping[str, TopicHandler],
        on_availability: Callable[[bool], None],
    ) -> None:
        """Create the link; ``handlers`` maps topic filters to payload handlers."""
        self.hass = hass
        self.prefix = prefix
        self._handlers = dict(handlers)
        self._on_availability = on_availability
        self._unsubs: list[CALLBACK_TYPE] = []
        self._task: asyncio.Task[None] | None = None
        self._connected = False
        self._status: str | None = None
        self._available = False

    def topic(self, suffix: str) -> str:
        """Return ``<prefix>/<suffix>``."""
        return f"{self.prefix}/{suffix}"

    @property
    def available(self) -> bool:
        """Return whether the board is reachable and online."""
        return self._available

    def start(self) -> None:
        """Subscribe in the background (the MQTT integration may still be loading)."""
        self._task = self.hass.async_create_background_task(
            self._async_subscribe(), f"doorservice mqtt {self.prefix}"
        )

    def stop(self) -> None:
        """Unsubscribe and forget the board's status."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        self._connected = False
        self._status = None
        self._available = False

    async def _async_subscribe(self) -> None:
        if not await mqtt.async_wait_for_mqtt_client(self.hass):
            LOGGER.warning(
                "MQTT is not available: the board at %s stays offline", self.prefix
            )
            return
        self._unsubs.append(
            mqtt.async_subscribe_connection_status(self.hass, self._on_connection)
        )
        handlers = {self.topic("status"): self._on_status, **self._handlers}
        for topic_filter, handler in handlers.items():
            self._unsubs.append(
                await mqtt.async_subscribe(
                    self.hass, topic_filter, self._message_handler(handler), qos=1
                )
            )
        self._connected = mqtt.is_connected(self.hass)
        self._update()

    @staticmethod
    def _message_handler(
        handler: TopicHandler,
    ) -> Callable[[mqtt.ReceiveMessage], None]:
        @callback
        def _on_message(msg: mqtt.ReceiveMessage) -> None:
            payload = msg.payload
            if not isinstance(payload, str):
                payload = bytes(payload).decode(errors="replace")
            handler(msg.topic, payload)

        return _on_message

    @callback
    def _on_status(self, _topic: str, payload: str) -> None:
        self._status = payload
        self._update()

    @callback
    def _on_connection(self, connected: bool) -> None:
        self._connected = connected
        if not connected:
            self._status = None
        self._update()

    def _update(self) -> None:
        available = self._connected and self._status == STATUS_ONLINE
        if available != self._available:
            self._available = available
            self._on_availability(available)

    async def async_publish(
        self,
        suffix: str,
        payload: str,
        error_key: str,
        *,
        retain: bool = False,
        **placeholders: object,
    ) -> None:
        """Publish ``payload`` on ``<prefix>/<suffix>``."""
        try:
            await mqtt.async_publish(
                self.hass, self.topic(suffix), payload, qos=1, retain=retain
            )
        except HomeAssistantError as err:
            raise DriverError(error_key, error=err, **placeholders) from err


def _object_id(topic: str, prefix: str, component: str) -> str | None:
    """Return ``<object_id>`` of ``<prefix>/<component>/<object_id>/state``."""
    head = f"{prefix}/{component}/"
    if not topic.startswith(head) or not topic.endswith("/state"):
        return None
    return topic[len(head) : -len("/state")]


class MqttCabinetDriver(CabinetDriver):
    """A cabinet board on MQTT (``lock/compartment_<n>_lock``, ``..._door``)."""

    def __init__(
        self,
        hass: HomeAssistant,
        compartments: int,
        listener: BoardListener,
        *,
        prefix: str,
        confirm_timeout: float = DEFAULT_CONFIRM_TIMEOUT,
        door_open_timeout: float | None = DEFAULT_DOOR_OPEN_TIMEOUT,
    ) -> None:
        """Create the driver for the board at ``prefix``."""
        super().__init__(compartments, listener)
        self.door_open_timeout = door_open_timeout
        self._confirm_timeout = confirm_timeout
        self._link = MqttLink(
            hass,
            prefix,
            {
                f"{prefix}/lock/+/state": self._on_lock,
                f"{prefix}/binary_sensor/+/state": self._on_door,
                f"{prefix}/keypad/code": self._on_code,
                f"{prefix}/event/forced_open": self._on_forced_open,
                f"{prefix}/event/tamper": self._on_tamper,
            },
            self._on_availability,
        )

    async def async_start(self) -> None:
        """Subscribe to the board's topics; it reports itself online when it is."""
        self._link.start()

    async def async_stop(self) -> None:
        """Unsubscribe and forget pending door watches."""
        self._link.stop()
        self._cancel_door_watches()
        self.state.available = False

    @callback
    def _on_availability(self, available: bool) -> None:
        self._report(BoardReport(BoardSignal.AVAILABILITY, available))

    @callback
    def _on_forced_open(self, _topic: str, payload: str) -> None:
        text = payload.strip()
        if text.isdigit() and int(text) in self.state.compartments:
            self._report(
                BoardReport(BoardSignal.FORCED_OPEN, True, compartment=int(text))
            )

    @callback
    def _on_tamper(self, _topic: str, payload: str) -> None:
        if payload.strip().upper() == "ON":
            self._report(BoardReport(BoardSignal.TAMPER, True))

    def _compartment(self, topic: str, component: str, pattern: re.Pattern[str]) -> int:
        object_id = _object_id(topic, self._link.prefix, component) or ""
        if (match := pattern.match(object_id)) is None:
            return 0
        number = int(match.group(1))
        return number if number in self.state.compartments else 0

    @callback
    def _on_lock(self, topic: str, payload: str) -> None:
        if number := self._compartment(topic, "lock", _LOCK_ID):
            state = payload.strip().upper()
            if state in _UNLOCKED or state in _LOCKED:
                locked = state not in _UNLOCKED
                self._report(BoardReport(BoardSignal.LOCK, locked, compartment=number))
            else:
                self._report(
                    BoardReport(BoardSignal.FAULT, state.lower(), compartment=number)
                )

    @callback
    def _on_door(self, topic: str, payload: str) -> None:
        if number := self._compartment(topic, "binary_sensor", _DOOR_ID):
            is_open = payload.strip().upper() == "ON"
            self._report(BoardReport(BoardSignal.DOOR, is_open, compartment=number))

    @callback
    def _on_code(self, _topic: str, payload: str) -> None:
        if code := payload.strip():
            self._report(BoardReport(BoardSignal.CODE_ENTERED, code))

    def _lock_command(self, compartment: int) -> str:
        return f"lock/compartment_{compartment}_lock/command"

    async def async_unlock(self, compartment: int) -> None:
        """Publish ``UNLOCK`` and wait for ``UNLOCKED`` (or the door opening)."""
        await self._async_confirmed_unlock(
            compartment,
            lambda: self._link.async_publish(
                self._lock_command(compartment), "UNLOCK", "board_command_failed"
            ),
            self._confirm_timeout,
        )

    async def async_lock(self, compartment: int) -> None:
        """Publish ``LOCK``."""
        self._check_compartment(compartment)
        await self._link.async_publish(
            self._lock_command(compartment), "LOCK", "board_command_failed"
        )

    async def async_keypad_feedback(self, result: KeypadFeedback) -> None:
        """Publish the result on ``<prefix>/keypad/feedback`` (not retained)."""
        try:
            await self._link.async_publish(
                "keypad/feedback", str(result), "board_command_failed"
            )
        except DriverError as err:
            LOGGER.warning("Keypad feedback %s not sent: %s", result, err.placeholders)

    async def async_show_qr(self, payload: str) -> None:
        """Publish the payload on ``<prefix>/display/qr/set`` (retained)."""
        await self._link.async_publish(
            "display/qr/set", payload, "qr_not_shown", retain=True
        )
        self.state.qr_payload = payload


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


class MqttRoomDriver(RoomDriver):
    """A room relay board on MQTT: appliances by object id, wall buttons."""

    def __init__(
        self,
        hass: HomeAssistant,
        appliances: Mapping[str, ApplianceKind],
        listener: BoardListener,
        *,
        prefix: str,
        object_ids: Mapping[str, str] | None = None,
    ) -> None:
        """Create the driver; ``object_ids`` default to the appliance ids."""
        super().__init__(appliances, listener)
        self._object_ids = {aid: (object_ids or {}).get(aid, aid) for aid in appliances}
        handlers: dict[str, TopicHandler] = {f"{prefix}/button/press": self._on_button}
        for aid, kind in appliances.items():
            base = f"{prefix}/{kind.value}/{self._object_ids[aid]}"
            if kind is ApplianceKind.CLIMATE:
                handlers[f"{base}/mode/state"] = self._state_handler(aid, "mode")
                handlers[f"{base}/target_temperature/state"] = self._state_handler(
                    aid, "value"
                )
            else:
                handlers[f"{base}/state"] = self._state_handler(aid, "state")
            if kind is ApplianceKind.COVER:
                handlers[f"{base}/position/state"] = self._state_handler(aid, "value")
            elif kind is ApplianceKind.FAN:
                handlers[f"{base}/speed_level/state"] = self._state_handler(
                    aid, "value"
                )
        self._link = MqttLink(hass, prefix, handlers, self._on_availability)

    async def async_start(self) -> None:
        """Subscribe to the board's topics."""
        self._link.start()

    async def async_stop(self) -> None:
        """Unsubscribe."""
        self._link.stop()
        self.state.available = False

    @callback
    def _on_availability(self, available: bool) -> None:
        self._report(BoardReport(BoardSignal.AVAILABILITY, available))

    @callback
    def _on_button(self, _topic: str, payload: str) -> None:
        if button := payload.strip():
            self._report_button(button)

    def _state_handler(self, appliance_id: str, part: str) -> TopicHandler:
        hw = self.state.appliances[appliance_id]

        @callback
        def _on_state(_topic: str, payload: str) -> None:
            text = payload.strip()
            is_on = hw.is_on
            value: float | None = None
            if part == "value":
                value = _number(text)
                if value is None:
                    return
            elif part == "mode":
                is_on = text.lower() != "off"
            elif hw.kind is ApplianceKind.LIGHT:
                try:
                    data = json.loads(text)
                except ValueError:
                    return
                if not isinstance(data, dict):
                    return
                is_on = str(data.get("state", "")).upper() == "ON"
                brightness = data.get("brightness")
                if isinstance(brightness, int | float) and is_on:
                    value = brightness
            elif hw.kind is ApplianceKind.COVER:
                is_on = text.lower() in ("open", "opening")
            else:
                is_on = text.upper() == "ON"
            self._report_appliance(appliance_id, ApplianceState(is_on, value))

        return _on_state

    async def async_set_appliance(
        self, appliance_id: str, *, on: bool, value: float | None = None
    ) -> None:
        """Publish the appliance's commands (ESPHome's payloads per component)."""
        hw = self._check(appliance_id)
        base = f"{hw.kind.value}/{self._object_ids[appliance_id]}"
        commands: list[tuple[str, str]]
        if hw.kind is ApplianceKind.LIGHT:
            body: dict[str, object] = {"state": "ON" if on else "OFF"}
            if on and value is not None:
                body["brightness"] = int(value)
            commands = [(f"{base}/command", json.dumps(body))]
        elif hw.kind is ApplianceKind.CLIMATE:
            commands = [(f"{base}/mode/command", "AUTO" if on else "OFF")]
            if on and value is not None:
                commands.append((f"{base}/target_temperature/command", f"{value:g}"))
        elif hw.kind is ApplianceKind.COVER:
            if on and value is not None:
                commands = [(f"{base}/position/command", str(int(value)))]
            else:
                commands = [(f"{base}/command", "OPEN" if on else "CLOSE")]
        else:
            commands = [(f"{base}/command", "ON" if on else "OFF")]
            if hw.kind is ApplianceKind.FAN and on and value is not None:
                commands.append((f"{base}/speed_level/command", str(int(value))))
        for suffix, payload in commands:
            await self._link.async_publish(
                suffix, payload, "appliance_command_failed", appliance=appliance_id
            )
