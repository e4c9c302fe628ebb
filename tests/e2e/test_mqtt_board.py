"""The MQTT board simulators against a real mosquitto, driven by a plain client.

Sockets: the Home Assistant pytest plugin (pytest-homeassistant-custom-component
0.13.375) calls ``pytest_socket.disable_socket()`` in its own
``pytest_runtest_setup`` hook, which runs AFTER pytest-socket's hook, so the
``@pytest.mark.enable_socket`` marker has no effect (verified: the test still
gets ``SocketBlockedError``). What works is requesting pytest-socket's
``socket_enabled`` fixture: fixtures are set up after both hooks, so it
re-enables ``socket.socket``. The plugin's ``socket_allow_hosts(["127.0.0.1"])``
stays in force, so connections anywhere but 127.0.0.1 are still refused. Every
test here gets sockets through the ``broker`` fixture, which requests
``socket_enabled``.

Needs the Debian package ``mosquitto`` (a missing broker fails the test with
instructions) and ``paho-mqtt`` (installed with Home Assistant's test tooling).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import json
import time

import pytest

from tests.e2e.mosquitto import MosquittoBroker, running_broker
from tests.e2e.mqtt_board import (
    COVER_CLOSED,
    COVER_CLOSING,
    COVER_OPEN,
    COVER_OPENING,
    LOCKED,
    OFF,
    ON,
    STATUS_OFFLINE,
    STATUS_ONLINE,
    UNLOCKED,
    CompartmentLockedError,
    MqttCabinetBoard,
    MqttController,
    MqttRoomBoard,
)

PULSE = 0.2


@pytest.fixture
def broker(socket_enabled: None) -> Iterator[MosquittoBroker]:
    """A real mosquitto on a free loopback port."""
    with running_broker() as started:
        yield started


@pytest.fixture
def controller(broker: MosquittoBroker) -> Iterator[MqttController]:
    """A plain paho client subscribed to everything."""
    with MqttController(broker.host, broker.port) as client:
        yield client


@pytest.fixture
def cabinet(broker: MosquittoBroker) -> Iterator[MqttCabinetBoard]:
    """A three-compartment cabinet with a short lock pulse, not yet started."""
    board = MqttCabinetBoard(
        broker.host, broker.port, "cabinet-a", compartments=3, pulse=PULSE
    )
    yield board
    board.stop()


@pytest.fixture
def room(broker: MosquittoBroker) -> Iterator[MqttRoomBoard]:
    """A room board whose curtain takes 0.1 s to travel, not yet started."""
    board = MqttRoomBoard(broker.host, broker.port, "room-101", curtain_travel=0.1)
    yield board
    board.stop()


def test_broker_restarts_on_the_same_port(broker: MosquittoBroker) -> None:
    port = broker.port
    assert broker.is_running()
    broker.stop()
    assert not broker.is_running()
    broker.start()
    assert broker.is_running()
    assert broker.port == port
    assert f"port {port}" in broker.log_text()


def test_initial_states_are_retained(
    broker: MosquittoBroker, controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.start()
    # Live subscribers see the birth and every state; MQTT clears the retain
    # flag on live delivery.
    controller.wait_for_payload(cabinet.status_topic, STATUS_ONLINE)
    controller.wait_for_payload(cabinet.door_state_topic(3), OFF)
    # A client that subscribes later gets them from the broker, retained.
    with MqttController(broker.host, broker.port) as late:
        late.wait_for_payload(cabinet.status_topic, STATUS_ONLINE)
        for n in (1, 2, 3):
            late.wait_for_payload(cabinet.lock_state_topic(n), LOCKED)
            late.wait_for_payload(cabinet.door_state_topic(n), OFF)
            assert late.retained(cabinet.lock_state_topic(n)) == [True]
            assert late.retained(cabinet.door_state_topic(n)) == [True]
        assert late.retained(cabinet.status_topic) == [True]
    assert cabinet.lock_state_topic(2) == "cabinet-a/lock/compartment_2_lock/state"
    assert cabinet.lock_command_topic(2) == "cabinet-a/lock/compartment_2_lock/command"
    assert (
        cabinet.door_state_topic(3)
        == "cabinet-a/binary_sensor/compartment_3_door/state"
    )


def test_unlock_then_automatic_relock(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.start()
    state = cabinet.lock_state_topic(2)
    controller.wait_for_payload(state, LOCKED)

    sent = time.monotonic()
    controller.publish(cabinet.lock_command_topic(2), "UNLOCK")
    controller.wait_for_payload(state, UNLOCKED)
    assert cabinet.lock_state(2) == UNLOCKED
    controller.wait_for_payload(state, LOCKED, timeout=PULSE + 1.0)
    assert time.monotonic() - sent >= PULSE
    assert controller.payloads(state) == [LOCKED, UNLOCKED, LOCKED]
    assert cabinet.lock_commands(2) == ["UNLOCK"]
    # The other compartments did not move.
    assert cabinet.lock_state(1) == LOCKED
    assert controller.payloads(cabinet.lock_state_topic(1)) == [LOCKED]


def test_open_and_lock_commands_case_insensitive(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.pulse = 5.0
    cabinet.start()
    state = cabinet.lock_state_topic(1)
    controller.publish(cabinet.lock_command_topic(1), "open")
    controller.wait_for_payload(state, UNLOCKED)
    # LOCK ends the pulse at once.
    controller.publish(cabinet.lock_command_topic(1), "LOCK")
    controller.wait_for_payload(state, LOCKED)
    # An unknown payload is recorded but changes nothing (ESPHome logs it).
    controller.publish(cabinet.lock_command_topic(1), "JIGGLE")
    cabinet.wait_for(lambda: len(cabinet.lock_commands(1)) == 3)
    assert cabinet.lock_commands(1) == ["open", "LOCK", "JIGGLE"]
    assert cabinet.lock_state(1) == LOCKED
    assert controller.payloads(state) == [LOCKED, UNLOCKED, LOCKED]


def test_stuck_lock_never_confirms(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.start()
    cabinet.set_stuck(3)
    controller.publish(cabinet.lock_command_topic(3), "UNLOCK")
    cabinet.wait_for(lambda: cabinet.lock_commands(3) == ["UNLOCK"])
    time.sleep(0.1)
    assert cabinet.lock_state(3) == LOCKED
    assert controller.payloads(cabinet.lock_state_topic(3)) == [LOCKED]
    cabinet.set_stuck(3, stuck=False)
    controller.publish(cabinet.lock_command_topic(3), "UNLOCK")
    controller.wait_for_payload(cabinet.lock_state_topic(3), UNLOCKED)


def test_door_opens_only_while_unlocked(
    broker: MosquittoBroker, controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.pulse = 2.0
    cabinet.start()
    door = cabinet.door_state_topic(1)
    controller.wait_for_payload(door, OFF)
    with pytest.raises(CompartmentLockedError):
        cabinet.open_door(1)

    controller.publish(cabinet.lock_command_topic(1), "UNLOCK")
    cabinet.wait_for(lambda: cabinet.lock_state(1) == UNLOCKED)
    cabinet.open_door(1)
    controller.wait_for_payload(door, ON)
    assert cabinet.door_is_open(1)
    cabinet.close_door(1)
    controller.wait_for_payload(door, OFF)
    assert controller.payloads(door) == [OFF, ON, OFF]

    # Forced open (a break-in) works while locked.
    cabinet.open_door(2, force=True)
    controller.wait_for_payload(cabinet.door_state_topic(2), ON)
    with MqttController(broker.host, broker.port) as late:
        late.wait_for_payload(cabinet.door_state_topic(2), ON)
        assert late.retained(cabinet.door_state_topic(2)) == [True]


def test_availability_crash_will_and_restart(
    broker: MosquittoBroker, controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    status = cabinet.status_topic
    cabinet.start()
    controller.wait_for_payload(status, STATUS_ONLINE)
    assert cabinet.is_online()

    cabinet.crash()
    assert not cabinet.is_online()
    # The broker publishes the last will, retained.
    controller.wait_for_payload(status, STATUS_OFFLINE)
    with MqttController(broker.host, broker.port, [status]) as late:
        late.wait_for_payload(status, STATUS_OFFLINE)
        assert late.retained(status) == [True]

    cabinet.start()
    controller.wait_for_payload(status, STATUS_ONLINE)
    assert cabinet.connections == 2

    cabinet.stop()
    controller.wait_for_payload(status, STATUS_OFFLINE)
    assert controller.payloads(status) == [
        STATUS_ONLINE,
        STATUS_OFFLINE,
        STATUS_ONLINE,
        STATUS_OFFLINE,
    ]


def test_crash_drops_the_pulse_and_reboots_locked(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.pulse = 5.0
    cabinet.start()
    controller.publish(cabinet.lock_command_topic(1), "UNLOCK")
    controller.wait_for_payload(cabinet.lock_state_topic(1), UNLOCKED)
    cabinet.crash()
    cabinet.start()
    controller.wait_for_payload(cabinet.lock_state_topic(1), LOCKED)
    assert cabinet.lock_state(1) == LOCKED


def test_broker_down_then_recovery(
    broker: MosquittoBroker, cabinet: MqttCabinetBoard
) -> None:
    cabinet.start()
    cabinet.open_door(2, force=True)
    broker.stop()
    cabinet.wait_for(lambda: not cabinet.is_online(), 2.0, "offline")
    assert not cabinet.enter_code("1234")

    started = time.monotonic()
    broker.start()
    cabinet.wait_for(cabinet.is_online, 2.5, "reconnected")
    assert time.monotonic() - started < 2.0
    # The broker kept nothing (no persistence): the board published it all again.
    with MqttController(broker.host, broker.port) as fresh:
        fresh.wait_for_payload(cabinet.status_topic, STATUS_ONLINE)
        fresh.wait_for_payload(cabinet.door_state_topic(2), ON)
        fresh.wait_for_payload(cabinet.lock_state_topic(2), LOCKED)


def test_start_times_out_while_broker_down(
    broker: MosquittoBroker, cabinet: MqttCabinetBoard
) -> None:
    broker.stop()
    with pytest.raises(TimeoutError, match="the connection"):
        cabinet.start(timeout=0.2)
    assert not cabinet.is_online()


def test_board_started_while_broker_down_connects_later(
    broker: MosquittoBroker, cabinet: MqttCabinetBoard
) -> None:
    broker.stop()
    cabinet.start(wait=False)
    assert not cabinet.is_online()
    broker.start()
    cabinet.wait_for(cabinet.is_online, 2.5, "connected")


def test_keypad_code_is_published_not_retained(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.start()
    assert cabinet.keypad_topic == "cabinet-a/keypad/code"
    assert cabinet.enter_code("482915")
    controller.wait_for_payload(cabinet.keypad_topic, "482915")
    assert controller.retained(cabinet.keypad_topic) == [False]


def test_qr_payload_is_stored(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    cabinet.start()
    assert cabinet.qr_payload is None
    url = "https://example.invalid/o/ABC123"
    controller.publish(cabinet.qr_topic, url)
    cabinet.wait_for(lambda: cabinet.qr_payload == url)
    assert cabinet.commands[-1].topic == "cabinet-a/display/qr/set"
    assert cabinet.payloads_on(cabinet.qr_topic) == [url]


def test_discovery_configs_follow_esphome(broker: MosquittoBroker) -> None:
    board = MqttCabinetBoard(
        broker.host, broker.port, "cab-disc", compartments=2, discovery=True
    )
    lock_config = "homeassistant/lock/cab-disc/compartment_1_lock/config"
    door_config = "homeassistant/binary_sensor/cab-disc/compartment_2_door/config"
    with MqttController(broker.host, broker.port) as observer:
        with board:
            observer.wait_for(lambda: observer.last(door_config) is not None)
            observer.wait_for(lambda: observer.last(lock_config) is not None)
            lock = json.loads(observer.last(lock_config) or "")
            door = json.loads(observer.last(door_config) or "")
            with MqttController(broker.host, broker.port, [lock_config]) as late:
                late.wait_for(lambda: late.retained(lock_config) == [True])
            assert list(lock) == [
                "pl_open",
                "name",
                "stat_t",
                "cmd_t",
                "avty_t",
                "uniq_id",
                "dev",
            ]
            assert lock["stat_t"] == "cab-disc/lock/compartment_1_lock/state"
            assert lock["cmd_t"] == "cab-disc/lock/compartment_1_lock/command"
            assert lock["avty_t"] == "cab-disc/status"
            assert lock["uniq_id"] == "ESPlockcompartment_1_lock"
            assert lock["dev"]["ids"] == board.mac
            assert lock["dev"]["cns"] == [["mac", board.mac]]
            assert door["dev_cla"] == "door"
            assert "cmd_t" not in door
            # Home Assistant's birth makes the board send everything again.
            observer.clear()
            observer.publish("homeassistant/status", "online")
            observer.wait_for(lambda: observer.payloads(lock_config) != [])
            observer.wait_for(
                lambda: observer.payloads(board.lock_state_topic(1)) == [LOCKED]
            )


def test_mac_unique_ids_differ_between_boards(broker: MosquittoBroker) -> None:
    first = MqttCabinetBoard(
        broker.host, broker.port, "cab-1", discovery=True, unique_id_generator="mac"
    )
    second = MqttCabinetBoard(
        broker.host, broker.port, "cab-2", discovery=True, unique_id_generator="mac"
    )
    with MqttController(broker.host, broker.port) as observer, first, second:
        topics = [
            f"homeassistant/lock/{b.node_name}/compartment_1_lock/config"
            for b in (first, second)
        ]
        observer.wait_for(lambda: all(observer.last(t) for t in topics))
        ids = [json.loads(observer.last(t) or "")["uniq_id"] for t in topics]
        assert ids[0] != ids[1]
        assert ids[0].startswith(f"{first.mac}-lock-")


def test_room_switches_curtain_and_buttons(
    controller: MqttController, room: MqttRoomBoard
) -> None:
    room.start()
    light = room.switch_state_topic("light")
    assert light == "room-101/switch/light/state"
    controller.wait_for_payload(light, OFF)
    controller.publish(room.switch_command_topic("light"), "ON")
    controller.wait_for_payload(light, ON)
    controller.publish(room.switch_command_topic("ac"), "toggle")
    controller.wait_for_payload(room.switch_state_topic("ac"), ON)
    assert room.switch_is_on("ac")
    room.set_switch("light", False)
    controller.wait_for_payload(light, OFF)

    curtain = room.curtain_state_topic
    assert curtain == "room-101/cover/curtain/state"
    controller.wait_for_payload(curtain, COVER_CLOSED)
    controller.publish(room.curtain_command_topic, "OPEN")
    controller.wait_for_payload(curtain, COVER_OPEN)
    controller.publish(room.curtain_command_topic, "CLOSE")
    controller.wait_for_payload(curtain, COVER_CLOSED)
    assert controller.payloads(curtain) == [
        COVER_CLOSED,
        COVER_OPENING,
        COVER_OPEN,
        COVER_CLOSING,
        COVER_CLOSED,
    ]
    room.curtain_travel = 5.0
    controller.publish(room.curtain_command_topic, "OPEN")
    controller.wait_for_payload(curtain, COVER_OPENING)
    controller.publish(room.curtain_command_topic, "STOP")
    controller.wait_for_payload(curtain, COVER_OPEN)
    assert room.curtain_state == COVER_OPEN

    assert room.button_topic == "room-101/button/press"
    assert room.press_button("towels")
    controller.wait_for_payload(room.button_topic, "towels")
    with pytest.raises(ValueError, match="buttons"):
        room.press_button("pizza")


async def test_async_wait_for_keeps_the_loop_running(
    controller: MqttController, cabinet: MqttCabinetBoard
) -> None:
    await asyncio.to_thread(cabinet.start)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    await asyncio.to_thread(controller.publish, cabinet.lock_command_topic(1), "UNLOCK")
    async with asyncio.timeout(2):
        await cabinet.async_wait_for(lambda: cabinet.lock_state(1) == UNLOCKED)
        await cabinet.async_wait_for(lambda: cabinet.lock_state(1) == LOCKED)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert ticks >= PULSE / 0.01 / 2

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await cabinet.async_wait_for(lambda: cabinet.door_is_open(1), "door 1")
