"""Board simulators speaking MQTT exactly like ESPHome's ``mqtt:`` component.

Conventions (checked against ESPHome 2026.10's ``components/mqtt`` sources):

* Every topic starts with the board's ``prefix`` (ESPHome's ``topic_prefix``,
  which defaults to the node name).
* Availability: ``<prefix>/status``. On connect the board publishes the birth
  message ``online`` (retained); the connection's last will is ``offline``
  (retained), so the broker publishes it when the board vanishes without an MQTT
  DISCONNECT; a graceful shutdown publishes ``offline`` (retained) itself.
* Entities: ``<prefix>/<component>/<object_id>/state`` (retained, published on
  every connect and on every change, never twice in a row with the same value)
  and ``<prefix>/<component>/<object_id>/command`` (subscribed, QoS 0).
  Command payloads are matched case-insensitively, as ESPHome does.
* lock: commands ``LOCK`` / ``UNLOCK`` / ``OPEN``; states ``LOCKED`` /
  ``UNLOCKED``. binary_sensor: ``ON`` / ``OFF``. switch: commands ``ON`` /
  ``OFF`` / ``TOGGLE``, states ``ON`` / ``OFF``. cover: commands ``OPEN`` /
  ``CLOSE`` / ``STOP`` / ``TOGGLE``, states ``open`` / ``closed`` / ``opening``
  / ``closing`` (lower case, as ESPHome publishes them).
* Optional Home Assistant discovery (``discovery=True``): retained JSON with
  ESPHome's abbreviated keys on ``<discovery_prefix>/<component>/<node>/
  <object_id>/config``; re-sent when Home Assistant announces ``online`` on
  ``<discovery_prefix>/status``.

Topics that are this project's own firmware choices (``mqtt.publish`` /
``on_message`` in the MQTT firmware configuration), not ESPHome built-ins:

* ``<prefix>/keypad/code``: a code entered on the cabinet keypad (payload: the
  digits; not retained).
* ``<prefix>/display/qr/set``: the payload the cabinet display shows as a QR.
* ``<prefix>/button/press``: a room wall button was pressed (payload: the
  button id, e.g. ``towels``; not retained).

Boards: ``MqttCabinetBoard`` (per compartment n a lock ``compartment_<n>_lock``
that relocks after a pulse and a door sensor ``compartment_<n>_door``, a
keypad, a QR display) and ``MqttRoomBoard`` (switches ``light`` and ``ac``, a
cover ``curtain``, wall buttons). ``MqttController`` is a plain client for tests
that play the controller's part themselves.

Threading: paho's network thread runs the callbacks; relock and curtain travel
use ``threading.Timer``. All board state sits behind one re-entrant lock, so
the public methods may be called from any thread. ``stop()`` and ``crash()``
join every thread they started, as the Home Assistant test plugin requires.
``is_online()`` turns true once the subscriptions are acknowledged (commands
sent after that are never lost). paho retries the broker every
``reconnect_delay`` seconds (an int, default 1): a board reconnects about 1 s
after a restarted broker listens again (about 2 s if it booted with no broker).
Sockets: see ``tests/e2e/mosquitto.py`` (tests need ``socket_enabled``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Callable, Iterable
import contextlib
from dataclasses import dataclass
import hashlib
import itertools
import json
import socket
import threading
import time
from types import TracebackType
from typing import Any, Literal, Self

from paho.mqtt.client import (
    Client,
    ConnectFlags,
    DisconnectFlags,
    MQTTMessage,
    MQTTMessageInfo,
)
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

ESPHOME_VERSION = "2026.10.0"
STATUS_ONLINE = "online"
STATUS_OFFLINE = "offline"
LOCKED = "LOCKED"
UNLOCKED = "UNLOCKED"
ON = "ON"
OFF = "OFF"
COVER_OPEN = "open"
COVER_CLOSED = "closed"
COVER_OPENING = "opening"
COVER_CLOSING = "closing"
KEYPAD_CODE_SUFFIX = "keypad/code"
QR_SET_SUFFIX = "display/qr/set"
BUTTON_PRESS_SUFFIX = "button/press"
DEFAULT_ROOM_BUTTONS = ("towels", "cleaning", "do_not_disturb", "call_staff")

_client_serial = itertools.count(1)


class CompartmentLockedError(RuntimeError):
    """A simulated person tried to open a door whose lock is engaged."""


@dataclass(frozen=True, slots=True)
class ReceivedCommand:
    """One message the board received (commands, QR payloads, HA status)."""

    topic: str
    payload: str
    received_at: float
    """``time.monotonic()`` when the board handled it."""


@dataclass(frozen=True, slots=True)
class _Entity:
    component: str
    object_id: str
    name: str
    device_class: str | None = None
    has_command: bool = True


def fnv1_hash(text: str) -> int:
    """ESPHome's ``fnv1_hash`` (FNV-1, 32 bit), used in MAC-based unique ids."""
    value = 2166136261
    for byte in text.encode():
        value = (value * 16777619) & 0xFFFFFFFF
        value ^= byte
    return value


def _mac_for(seed: str) -> str:
    """Return a stable, locally administered MAC as ESPHome prints it."""
    digest = bytearray(hashlib.sha256(seed.encode()).digest()[:6])
    digest[0] = (digest[0] | 0x02) & 0xFE
    return digest.hex()


class _Session:
    """One connection attempt chain: a paho client and its network thread."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.thread: threading.Thread | None = None
        self.halting = False
        self.subscribe_mid: int | None = None


class _EsphomeMqttBoard(ABC):
    """The MQTT client side that all ESPHome boards share."""

    def __init__(
        self,
        host: str,
        port: int,
        prefix: str,
        *,
        node_name: str | None = None,
        friendly_name: str | None = None,
        discovery: bool = False,
        discovery_prefix: str = "homeassistant",
        unique_id_generator: Literal["legacy", "mac"] = "legacy",
        keepalive: int = 15,
        reconnect_delay: int = 1,
    ) -> None:
        self.host = host
        self.port = port
        self.prefix = prefix.rstrip("/")
        self.node_name = node_name or self.prefix.replace("/", "_")
        self.friendly_name = friendly_name or self.node_name
        self.discovery = discovery
        self.discovery_prefix = discovery_prefix
        self.unique_id_generator = unique_id_generator
        self.mac = _mac_for(f"{self.node_name}|{self.prefix}")
        self._keepalive = keepalive
        self._reconnect_delay = reconnect_delay
        self._cond = threading.Condition(threading.RLock())
        self._session: _Session | None = None
        self._connected = False
        self._connections = 0
        self._commands: list[ReceivedCommand] = []
        self._last_published: dict[str, str] = {}
        self._timers: dict[str, threading.Timer] = {}
        self._all_timers: list[threading.Timer] = []
        self._wakers: set[Callable[[], None]] = set()

    # -- topics ---------------------------------------------------------------

    def topic(self, suffix: str) -> str:
        """Return ``<prefix>/<suffix>``."""
        return f"{self.prefix}/{suffix}"

    @property
    def status_topic(self) -> str:
        """The availability topic, ``<prefix>/status``."""
        return self.topic("status")

    def state_topic(self, component: str, object_id: str) -> str:
        """Return ``<prefix>/<component>/<object_id>/state``."""
        return self.topic(f"{component}/{object_id}/state")

    def command_topic(self, component: str, object_id: str) -> str:
        """Return ``<prefix>/<component>/<object_id>/command``."""
        return self.topic(f"{component}/{object_id}/command")

    def discovery_topic(self, component: str, object_id: str) -> str:
        """Return ``<discovery_prefix>/<component>/<node>/<object_id>/config``."""
        return (
            f"{self.discovery_prefix}/{component}/{self.node_name}/{object_id}/config"
        )

    # -- observation ----------------------------------------------------------

    def is_online(self) -> bool:
        """Whether the board is connected and its subscriptions are active."""
        with self._cond:
            return self._connected

    @property
    def connections(self) -> int:
        """How many times the board has connected (reconnects included)."""
        with self._cond:
            return self._connections

    @property
    def commands(self) -> list[ReceivedCommand]:
        """Every message the board received, oldest first (a copy)."""
        with self._cond:
            return list(self._commands)

    def payloads_on(self, topic: str) -> list[str]:
        """Return the payloads received on one topic, oldest first."""
        with self._cond:
            return [c.payload for c in self._commands if c.topic == topic]

    def clear_commands(self) -> None:
        """Forget the received messages."""
        with self._cond:
            self._commands.clear()

    def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 2.0,
        what: str | None = None,
    ) -> None:
        """Block until ``predicate()`` is true; raise ``TimeoutError`` otherwise.

        The predicate runs under the board's lock and is re-checked on every
        change of the board (state, command, connection). Blocking: in an
        ``async`` test use ``async_wait_for`` so the event loop keeps running.
        """
        with self._cond:
            if not self._cond.wait_for(predicate, timeout):
                raise TimeoutError(self._timeout_text(predicate, timeout, what))

    async def async_wait_for(
        self, predicate: Callable[[], bool], what: str | None = None
    ) -> None:
        """Await until ``predicate()`` is true without blocking the event loop.

        Bound it with ``async with asyncio.timeout(2): ...``; when that expires
        the cancellation carries a note with the board's state.
        """
        loop = asyncio.get_running_loop()
        changed = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(changed.set)

        with self._cond:
            self._wakers.add(wake)
        try:
            while True:
                changed.clear()
                with self._cond:
                    if predicate():
                        return
                await changed.wait()
        except asyncio.CancelledError as err:
            with self._cond:
                err.add_note(self._timeout_text(predicate, None, what))
            raise
        finally:
            with self._cond:
                self._wakers.discard(wake)

    def _timeout_text(
        self, predicate: Callable[[], bool], timeout: float | None, what: str | None
    ) -> str:
        after = "" if timeout is None else f" after {timeout} s"
        return (
            f"board {self.prefix!r}: timed out{after} waiting for "
            f"{what or getattr(predicate, '__name__', 'a condition')} "
            f"(online={self._connected}, published={self._last_published}, "
            f"received={[(c.topic, c.payload) for c in self._commands]})"
        )

    def _changed(self) -> None:
        """Wake every waiter; the caller holds the lock."""
        self._cond.notify_all()
        for wake in list(self._wakers):
            try:
                wake()
            except RuntimeError:
                self._wakers.discard(wake)

    # -- life cycle -----------------------------------------------------------

    def start(self, timeout: float = 5.0, *, wait: bool = True) -> None:
        """Power the board on: connect, publish birth, subscribe, publish states.

        With ``wait=False`` it returns at once and keeps trying to connect every
        ``reconnect_delay`` seconds (a board booting while the broker is down).
        """
        with self._cond:
            if self._session is not None:
                raise RuntimeError(f"board {self.prefix!r} is already running")
            self._boot()
            client = Client(
                CallbackAPIVersion.VERSION2,
                client_id=f"{self.node_name}-{self.mac}-{next(_client_serial)}",
                clean_session=True,
                protocol=MQTTProtocolVersion.MQTTv311,
            )
            session = _Session(client)
            client.user_data_set(session)
            client.will_set(self.status_topic, STATUS_OFFLINE, qos=0, retain=True)
            client.reconnect_delay_set(self._reconnect_delay, self._reconnect_delay)
            client.on_connect = self._on_connect
            client.on_disconnect = self._on_disconnect
            client.on_subscribe = self._on_subscribe
            client.on_message = self._on_message
            client.connect_async(self.host, self.port, self._keepalive)
            self._session = session
            client.loop_start()
            # paho keeps its network thread private; hold it to join it later.
            session.thread = client._thread
        if wait:
            try:
                self.wait_for(lambda: self._connected, timeout, "the connection")
            except TimeoutError:
                self.stop()
                raise

    def stop(self, timeout: float = 3.0) -> None:
        """Shut down gracefully: publish ``offline`` (retained), then DISCONNECT."""
        with self._cond:
            session = self._detach()
            if session is None:
                return
            info = self._publish(
                self.status_topic, STATUS_OFFLINE, force=True, session=session
            )
        if info is not None and info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
            info.wait_for_publish(timeout)
        session.client.disconnect()
        self._finish(session, timeout)

    def crash(self, timeout: float = 3.0) -> None:
        """Lose power: the TCP connection drops without an MQTT DISCONNECT.

        The broker then publishes the last will, ``offline`` (retained).
        """
        with self._cond:
            session = self._detach()
            if session is None:
                return
            sock = session.client.socket()
        if isinstance(sock, socket.SocketType):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._finish(session, timeout)

    def _detach(self) -> _Session | None:
        """Mark the running session as halting and forget it (lock held)."""
        session, self._session = self._session, None
        if session is None:
            return None
        session.halting = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._connected = False
        self._changed()
        return session

    def _finish(self, session: _Session, timeout: float) -> None:
        """Stop paho's thread and every timer thread, then free the sockets."""
        session.client.loop_stop()
        if session.thread is not None:
            session.thread.join(timeout)
        with self._cond:
            timers, self._all_timers = self._all_timers, []
        for timer in timers:
            timer.join(timeout)
        # Closes the TCP socket (if paho has not) and paho's wake-up socketpair;
        # the same call paho's own __del__ makes.
        session.client._reset_sockets()
        leftovers = [t for t in [session.thread, *timers] if t and t.is_alive()]
        if leftovers:
            raise RuntimeError(
                f"board {self.prefix!r}: threads still alive {leftovers}"
            )

    def __enter__(self) -> Self:
        """Start the board."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the board gracefully."""
        self.stop()

    # -- paho callbacks (network thread) ----------------------------------------

    def _on_connect(
        self,
        client: Client,
        session: _Session,
        flags: ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            return
        with self._cond:
            if session is not self._session or session.halting:
                return
            # As ESPHome: subscribe first, then the birth, so a controller that
            # waits for ``online`` never commands before the board listens.
            _, session.subscribe_mid = client.subscribe(
                [(topic, 0) for topic in self._subscriptions()]
            )
            self._publish(self.status_topic, STATUS_ONLINE, force=True)
            self._send_discovery_and_states()

    def _on_subscribe(
        self,
        client: Client,
        session: _Session,
        mid: int,
        reason_codes: list[ReasonCode],
        properties: Properties | None,
    ) -> None:
        with self._cond:
            if session is not self._session or mid != session.subscribe_mid:
                return
            self._connected = True
            self._connections += 1
            self._changed()

    def _on_disconnect(
        self,
        client: Client,
        session: _Session,
        flags: DisconnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if session.halting:
            # Tell paho's loop to end instead of waiting to reconnect.
            client.loop_stop()
            return
        with self._cond:
            if session is self._session:
                self._connected = False
                self._changed()

    def _on_message(self, client: Client, session: _Session, msg: MQTTMessage) -> None:
        payload = msg.payload.decode(errors="replace")
        with self._cond:
            if session is not self._session or session.halting:
                return
            self._commands.append(ReceivedCommand(msg.topic, payload, time.monotonic()))
            if msg.topic == f"{self.discovery_prefix}/status":
                if payload == STATUS_ONLINE:
                    self._send_discovery_and_states()
            else:
                self._handle_command(msg.topic, payload)
            self._changed()

    # -- publishing (lock held) -----------------------------------------------

    def _publish(
        self,
        topic: str,
        payload: str,
        *,
        retain: bool = True,
        force: bool = False,
        session: _Session | None = None,
    ) -> MQTTMessageInfo | None:
        """Publish if a session exists; retained states are de-duplicated."""
        session = session or self._session
        if session is None:
            return None
        if retain and not force and self._last_published.get(topic) == payload:
            return None
        info = session.client.publish(topic, payload, qos=0, retain=retain)
        if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS and retain:
            self._last_published[topic] = payload
        return info

    def _send_discovery_and_states(self) -> None:
        if self.discovery:
            for entity in self._entities():
                self._publish(
                    self.discovery_topic(entity.component, entity.object_id),
                    json.dumps(self._discovery_config(entity), separators=(",", ":")),
                    force=True,
                )
        for topic, payload in self._states():
            self._publish(topic, payload, force=True)

    def _discovery_config(self, entity: _Entity) -> dict[str, Any]:
        """Build the discovery JSON with ESPHome's keys, in ESPHome's order."""
        root: dict[str, Any] = {}
        if entity.component == "lock":
            root["pl_open"] = "OPEN"
        root["name"] = entity.name
        if entity.device_class:
            root["dev_cla"] = entity.device_class
        root["stat_t"] = self.state_topic(entity.component, entity.object_id)
        if entity.has_command:
            root["cmd_t"] = self.command_topic(entity.component, entity.object_id)
        root["avty_t"] = self.status_topic
        if self.unique_id_generator == "mac":
            root["uniq_id"] = (
                f"{self.mac}-{entity.component}-{fnv1_hash(entity.name):08x}"
            )
        else:
            root["uniq_id"] = f"ESP{entity.component}{entity.object_id}"
        config_hash = fnv1_hash(f"{self.node_name}{self.prefix}")
        root["dev"] = {
            "ids": self.mac,
            "name": self.friendly_name,
            "sw": f"{ESPHOME_VERSION} (config hash 0x{config_hash:08x})",
            "mdl": "esp32dev",
            "mf": "Espressif",
            "cns": [["mac", self.mac]],
        }
        return root

    # -- timers (lock held) ---------------------------------------------------

    def _schedule(self, key: str, delay: float, action: Callable[[], None]) -> None:
        """Run ``action`` (under the lock) after ``delay``; replaces ``key``."""
        self._cancel(key)
        session = self._session

        def fire() -> None:
            with self._cond:
                if self._timers.get(key) is not timer or self._session is not session:
                    return
                del self._timers[key]
                action()
                self._changed()

        timer = threading.Timer(delay, fire)
        timer.name = f"{self.prefix}-{key}"
        timer.daemon = True
        self._timers[key] = timer
        self._all_timers = [t for t in self._all_timers if t.is_alive()]
        self._all_timers.append(timer)
        timer.start()

    def _cancel(self, key: str) -> None:
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()

    # -- per board --------------------------------------------------------------

    def _boot(self) -> None:
        """Reset what a power cycle resets (lock held)."""
        self._last_published.clear()

    def _subscriptions(self) -> list[str]:
        topics = [
            self.command_topic(e.component, e.object_id)
            for e in self._entities()
            if e.has_command
        ]
        topics.extend(self._extra_subscriptions())
        if self.discovery:
            topics.append(f"{self.discovery_prefix}/status")
        return topics

    def _extra_subscriptions(self) -> Iterable[str]:
        return ()

    @abstractmethod
    def _entities(self) -> list[_Entity]:
        """The board's entities, for subscriptions and discovery."""

    @abstractmethod
    def _states(self) -> list[tuple[str, str]]:
        """Every (state topic, payload) to publish on connect."""

    @abstractmethod
    def _handle_command(self, topic: str, payload: str) -> None:
        """Act on a message received on one of the board's topics."""

    def _publish_event(self, suffix: str, payload: str, timeout: float) -> bool:
        """Publish a non-retained event from the board; True once it was sent."""
        with self._cond:
            info = (
                self._publish(self.topic(suffix), payload, retain=False)
                if self._connected
                else None
            )
            if info is not None:
                self._changed()
        if info is None or info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return False
        info.wait_for_publish(timeout)
        return info.is_published()


class MqttCabinetBoard(_EsphomeMqttBoard):
    """An ESPHome cabinet board on MQTT: locks, door sensors, keypad, QR display.

    Compartments are numbered from 1. Lock ``compartment_<n>_lock`` obeys
    ``LOCK`` / ``UNLOCK`` / ``OPEN``; ``UNLOCK`` and ``OPEN`` energise the
    solenoid: state ``UNLOCKED``, then ``LOCKED`` again after ``pulse`` seconds
    (a new pulse restarts the time, ``LOCK`` ends it). Door sensor
    ``compartment_<n>_door`` is ``ON`` while the door is open.
    """

    def __init__(
        self,
        host: str,
        port: int,
        prefix: str = "cabinet",
        compartments: int = 6,
        *,
        pulse: float = 1.0,
        node_name: str | None = None,
        friendly_name: str | None = None,
        discovery: bool = False,
        discovery_prefix: str = "homeassistant",
        unique_id_generator: Literal["legacy", "mac"] = "legacy",
        keepalive: int = 15,
        reconnect_delay: int = 1,
    ) -> None:
        if compartments < 1:
            raise ValueError("a cabinet has at least one compartment")
        super().__init__(
            host,
            port,
            prefix,
            node_name=node_name,
            friendly_name=friendly_name,
            discovery=discovery,
            discovery_prefix=discovery_prefix,
            unique_id_generator=unique_id_generator,
            keepalive=keepalive,
            reconnect_delay=reconnect_delay,
        )
        self.compartments = compartments
        self.pulse = pulse
        self._lock_states = dict.fromkeys(range(1, compartments + 1), LOCKED)
        self._door_open = dict.fromkeys(range(1, compartments + 1), False)
        self._stuck: set[int] = set()
        self._qr: str | None = None

    # -- topics ---------------------------------------------------------------

    @staticmethod
    def lock_id(n: int) -> str:
        """The object id of compartment ``n``'s lock."""
        return f"compartment_{n}_lock"

    @staticmethod
    def door_id(n: int) -> str:
        """The object id of compartment ``n``'s door sensor."""
        return f"compartment_{n}_door"

    def lock_command_topic(self, n: int) -> str:
        """``<prefix>/lock/compartment_<n>_lock/command``."""
        return self.command_topic("lock", self.lock_id(n))

    def lock_state_topic(self, n: int) -> str:
        """``<prefix>/lock/compartment_<n>_lock/state``."""
        return self.state_topic("lock", self.lock_id(n))

    def door_state_topic(self, n: int) -> str:
        """``<prefix>/binary_sensor/compartment_<n>_door/state``."""
        return self.state_topic("binary_sensor", self.door_id(n))

    @property
    def keypad_topic(self) -> str:
        """``<prefix>/keypad/code``."""
        return self.topic(KEYPAD_CODE_SUFFIX)

    @property
    def qr_topic(self) -> str:
        """``<prefix>/display/qr/set``."""
        return self.topic(QR_SET_SUFFIX)

    # -- observation ----------------------------------------------------------

    def lock_state(self, n: int) -> str:
        """``LOCKED`` or ``UNLOCKED``."""
        with self._cond:
            return self._lock_states[self._check(n)]

    def door_is_open(self, n: int) -> bool:
        """Whether compartment ``n``'s door is open."""
        with self._cond:
            return self._door_open[self._check(n)]

    @property
    def qr_payload(self) -> str | None:
        """The last payload received on the QR topic, if any."""
        with self._cond:
            return self._qr

    def lock_commands(self, n: int) -> list[str]:
        """The payloads compartment ``n``'s lock received, oldest first."""
        return self.payloads_on(self.lock_command_topic(self._check(n)))

    # -- a person at the cabinet ------------------------------------------------

    def open_door(self, n: int, *, force: bool = False) -> None:
        """Pull compartment ``n``'s door open (only while unlocked unless forced)."""
        with self._cond:
            self._check(n)
            if self._lock_states[n] != UNLOCKED and not force:
                raise CompartmentLockedError(
                    f"compartment {n} of {self.prefix!r} is locked"
                )
            self._set_door(n, is_open=True)

    def close_door(self, n: int) -> None:
        """Push compartment ``n``'s door shut."""
        with self._cond:
            self._set_door(self._check(n), is_open=False)

    def enter_code(self, code: str, timeout: float = 2.0) -> bool:
        """Type ``code`` on the keypad; True once it was published, False if offline."""
        return self._publish_event(KEYPAD_CODE_SUFFIX, code, timeout)

    def set_stuck(self, n: int, stuck: bool = True) -> None:
        """Make lock ``n`` ignore commands (an unlock that is never confirmed)."""
        with self._cond:
            if stuck:
                self._stuck.add(self._check(n))
            else:
                self._stuck.discard(self._check(n))

    # -- internals (lock held) ---------------------------------------------------

    def _check(self, n: int) -> int:
        if n not in self._lock_states:
            raise ValueError(
                f"{self.prefix!r} has compartments 1..{self.compartments}, not {n}"
            )
        return n

    def _set_door(self, n: int, *, is_open: bool) -> None:
        self._door_open[n] = is_open
        self._publish(self.door_state_topic(n), ON if is_open else OFF)
        self._changed()

    def _set_lock(self, n: int, state: str) -> None:
        self._lock_states[n] = state
        self._publish(self.lock_state_topic(n), state)

    def _boot(self) -> None:
        super()._boot()
        # The solenoids are unpowered after a (re)boot: every lock is engaged.
        for n in self._lock_states:
            self._lock_states[n] = LOCKED

    def _entities(self) -> list[_Entity]:
        entities: list[_Entity] = []
        for n in range(1, self.compartments + 1):
            entities.append(_Entity("lock", self.lock_id(n), f"Compartment {n} Lock"))
            entities.append(
                _Entity(
                    "binary_sensor",
                    self.door_id(n),
                    f"Compartment {n} Door",
                    device_class="door",
                    has_command=False,
                )
            )
        return entities

    def _extra_subscriptions(self) -> Iterable[str]:
        return (self.qr_topic,)

    def _states(self) -> list[tuple[str, str]]:
        states: list[tuple[str, str]] = []
        for n in range(1, self.compartments + 1):
            states.append((self.lock_state_topic(n), self._lock_states[n]))
            states.append((self.door_state_topic(n), ON if self._door_open[n] else OFF))
        return states

    def _handle_command(self, topic: str, payload: str) -> None:
        if topic == self.qr_topic:
            self._qr = payload
            return
        for n in self._lock_states:
            if topic == self.lock_command_topic(n):
                self._lock_command(n, payload.upper())
                return

    def _lock_command(self, n: int, command: str) -> None:
        if n in self._stuck:
            return
        if command == "LOCK":
            self._cancel(f"relock_{n}")
            self._set_lock(n, LOCKED)
        elif command in ("UNLOCK", "OPEN"):
            self._set_lock(n, UNLOCKED)
            self._schedule(f"relock_{n}", self.pulse, lambda: self._set_lock(n, LOCKED))


class MqttRoomBoard(_EsphomeMqttBoard):
    """An ESPHome room relay board on MQTT: switches, a curtain, wall buttons.

    Switches (default ``light`` and ``ac``) obey ``ON`` / ``OFF`` / ``TOGGLE``.
    The cover ``curtain`` obeys ``OPEN`` / ``CLOSE`` / ``STOP`` / ``TOGGLE``;
    with ``curtain_travel`` > 0 it reports ``opening`` / ``closing`` for that
    long first (``STOP`` midway leaves it ``open``, i.e. partly open).
    """

    def __init__(
        self,
        host: str,
        port: int,
        prefix: str = "room",
        *,
        switches: Iterable[str] = ("light", "ac"),
        buttons: Iterable[str] = DEFAULT_ROOM_BUTTONS,
        curtain_travel: float = 0.0,
        node_name: str | None = None,
        friendly_name: str | None = None,
        discovery: bool = False,
        discovery_prefix: str = "homeassistant",
        unique_id_generator: Literal["legacy", "mac"] = "legacy",
        keepalive: int = 15,
        reconnect_delay: int = 1,
    ) -> None:
        super().__init__(
            host,
            port,
            prefix,
            node_name=node_name,
            friendly_name=friendly_name,
            discovery=discovery,
            discovery_prefix=discovery_prefix,
            unique_id_generator=unique_id_generator,
            keepalive=keepalive,
            reconnect_delay=reconnect_delay,
        )
        self._switches = dict.fromkeys(switches, False)
        self.buttons = tuple(buttons)
        self.curtain_travel = curtain_travel
        self._curtain = COVER_CLOSED

    # -- topics ---------------------------------------------------------------

    @property
    def switch_ids(self) -> tuple[str, ...]:
        """The switches' object ids."""
        return tuple(self._switches)

    def switch_command_topic(self, switch_id: str) -> str:
        """``<prefix>/switch/<id>/command``."""
        return self.command_topic("switch", switch_id)

    def switch_state_topic(self, switch_id: str) -> str:
        """``<prefix>/switch/<id>/state``."""
        return self.state_topic("switch", switch_id)

    @property
    def curtain_command_topic(self) -> str:
        """``<prefix>/cover/curtain/command``."""
        return self.command_topic("cover", "curtain")

    @property
    def curtain_state_topic(self) -> str:
        """``<prefix>/cover/curtain/state``."""
        return self.state_topic("cover", "curtain")

    @property
    def button_topic(self) -> str:
        """``<prefix>/button/press`` (payload: the button id)."""
        return self.topic(BUTTON_PRESS_SUFFIX)

    # -- observation ----------------------------------------------------------

    def switch_is_on(self, switch_id: str) -> bool:
        """Whether the relay is on."""
        with self._cond:
            return self._switches[self._check(switch_id)]

    @property
    def curtain_state(self) -> str:
        """``open``, ``closed``, ``opening`` or ``closing``."""
        with self._cond:
            return self._curtain

    # -- a person in the room ---------------------------------------------------

    def press_button(self, button: str, timeout: float = 2.0) -> bool:
        """Press a wall button; True once it was published, False if offline."""
        if button not in self.buttons:
            raise ValueError(
                f"{self.prefix!r} has buttons {self.buttons}, not {button!r}"
            )
        return self._publish_event(BUTTON_PRESS_SUFFIX, button, timeout)

    def set_switch(self, switch_id: str, on: bool) -> None:
        """Flip a relay locally (its wall switch); the board reports the change."""
        with self._cond:
            self._set_switch(self._check(switch_id), on)
            self._changed()

    # -- internals (lock held) ---------------------------------------------------

    def _check(self, switch_id: str) -> str:
        if switch_id not in self._switches:
            raise ValueError(
                f"{self.prefix!r} has switches {self.switch_ids}, not {switch_id!r}"
            )
        return switch_id

    def _set_switch(self, switch_id: str, on: bool) -> None:
        self._switches[switch_id] = on
        self._publish(self.switch_state_topic(switch_id), ON if on else OFF)

    def _set_curtain(self, state: str) -> None:
        self._curtain = state
        self._publish(self.curtain_state_topic, state)

    def _entities(self) -> list[_Entity]:
        names = {"light": "Light", "ac": "AC"}
        entities = [
            _Entity("switch", sid, names.get(sid, sid.replace("_", " ").title()))
            for sid in self._switches
        ]
        entities.append(_Entity("cover", "curtain", "Curtain", device_class="curtain"))
        return entities

    def _states(self) -> list[tuple[str, str]]:
        states = [
            (self.switch_state_topic(sid), ON if on else OFF)
            for sid, on in self._switches.items()
        ]
        states.append((self.curtain_state_topic, self._curtain))
        return states

    def _handle_command(self, topic: str, payload: str) -> None:
        command = payload.upper()
        if topic == self.curtain_command_topic:
            self._curtain_command(command)
            return
        for sid, on in self._switches.items():
            if topic == self.switch_command_topic(sid):
                if command in (ON, OFF):
                    self._set_switch(sid, command == ON)
                elif command == "TOGGLE":
                    self._set_switch(sid, not on)
                return

    def _curtain_command(self, command: str) -> None:
        if command == "TOGGLE":
            command = (
                "CLOSE" if self._curtain in (COVER_OPEN, COVER_OPENING) else "OPEN"
            )
        if command == "STOP":
            if self._curtain in (COVER_OPENING, COVER_CLOSING):
                self._cancel("curtain")
                self._set_curtain(COVER_OPEN)
            return
        if command not in ("OPEN", "CLOSE"):
            return
        final = COVER_OPEN if command == "OPEN" else COVER_CLOSED
        if self.curtain_travel <= 0:
            self._cancel("curtain")
            self._set_curtain(final)
            return
        self._set_curtain(COVER_OPENING if command == "OPEN" else COVER_CLOSING)
        self._schedule("curtain", self.curtain_travel, lambda: self._set_curtain(final))


class MqttController:
    """A plain paho client playing the controller: publishes, records, waits.

    Subscribes to ``topics`` (default everything, ``#``) and keeps every message
    it receives, so a test can publish commands and wait for the board's states.
    """

    def __init__(self, host: str, port: int, topics: Iterable[str] = ("#",)) -> None:
        self.host = host
        self.port = port
        self._topics = tuple(topics)
        self._cond = threading.Condition()
        self._messages: list[tuple[str, str, bool]] = []
        self._last: dict[str, str] = {}
        self._subscribed = False
        self._client: Client | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 5.0) -> None:
        """Connect, subscribe and wait until the subscriptions are active."""
        client = Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"controller-{next(_client_serial)}",
            protocol=MQTTProtocolVersion.MQTTv311,
        )
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.connect(self.host, self.port, 15)
        self._client = client
        client.loop_start()
        self._thread = client._thread
        self.wait_for(lambda: self._subscribed, timeout, "the subscription")

    def stop(self) -> None:
        """Disconnect and join the network thread."""
        client, self._client = self._client, None
        if client is None:
            return
        client.disconnect()
        client.loop_stop()
        if self._thread is not None:
            self._thread.join(3.0)
        client._reset_sockets()

    def __enter__(self) -> Self:
        """Start the controller."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the controller."""
        self.stop()

    def publish(self, topic: str, payload: str, *, retain: bool = False) -> None:
        """Publish and wait until the message has left."""
        if self._client is None:
            raise RuntimeError("the controller is not started")
        self._client.publish(topic, payload, qos=0, retain=retain).wait_for_publish(2.0)

    def last(self, topic: str) -> str | None:
        """The last payload seen on ``topic``."""
        with self._cond:
            return self._last.get(topic)

    def payloads(self, topic: str) -> list[str]:
        """Every payload seen on ``topic``, oldest first."""
        with self._cond:
            return [p for t, p, _ in self._messages if t == topic]

    def retained(self, topic: str) -> list[bool]:
        """The retain flag of every message seen on ``topic``, oldest first."""
        with self._cond:
            return [r for t, _, r in self._messages if t == topic]

    def clear(self) -> None:
        """Forget the recorded messages (the last values are kept)."""
        with self._cond:
            self._messages.clear()

    def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 2.0,
        what: str | None = None,
    ) -> None:
        """Block until ``predicate()`` holds after some message; else TimeoutError."""
        with self._cond:
            if not self._cond.wait_for(predicate, timeout):
                raise TimeoutError(
                    f"controller: timed out after {timeout} s waiting for "
                    f"{what or 'a condition'}; seen {self._messages}"
                )

    def wait_for_payload(self, topic: str, payload: str, timeout: float = 2.0) -> None:
        """Block until ``topic``'s last payload is ``payload``."""
        self.wait_for(
            lambda: self._last.get(topic) == payload, timeout, f"{topic} == {payload!r}"
        )

    def _on_connect(
        self,
        client: Client,
        userdata: Any,
        flags: ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if not reason_code.is_failure:
            client.subscribe([(topic, 0) for topic in self._topics])

    def _on_subscribe(
        self,
        client: Client,
        userdata: Any,
        mid: int,
        reason_codes: list[ReasonCode],
        properties: Properties | None,
    ) -> None:
        with self._cond:
            self._subscribed = True
            self._cond.notify_all()

    def _on_message(self, client: Client, userdata: Any, msg: MQTTMessage) -> None:
        payload = msg.payload.decode(errors="replace")
        with self._cond:
            self._messages.append((msg.topic, payload, bool(msg.retain)))
            self._last[msg.topic] = payload
            self._cond.notify_all()
