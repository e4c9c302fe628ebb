"""A real mosquitto broker on a free loopback port, for end-to-end tests.

``MosquittoBroker`` writes a minimal configuration into a temporary directory
(one listener on 127.0.0.1, anonymous clients, no persistence, ``set_tcp_nodelay
true`` as production brokers should run, log to a file in that directory), runs
``mosquitto -c <conf>`` as a child process and waits until
the port accepts TCP connections. ``stop()`` terminates it (SIGTERM, then SIGKILL
after a timeout); ``start()`` runs it again on the SAME port, which is how a test
simulates "broker down" followed by recovery. Used as a context manager it starts
on enter and stops (and removes its directory) on exit.

mosquitto is the Debian package (``apt-get install -y mosquitto``); the project's
setup installs it and CI runs these tests, so a missing binary FAILS the test with
instructions instead of skipping it.

Sockets: the Home Assistant pytest plugin blocks ``socket.socket`` in every test.
Anything here that opens a TCP socket (finding a free port, probing the listener)
must run in a test that has sockets enabled: request the ``socket_enabled``
fixture (the ``mosquitto_broker`` fixture below does so itself). Connections stay
restricted to 127.0.0.1 by the plugin, which is all these tests use.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import getpass
import os
from pathlib import Path
import shutil
import socket
import subprocess
import tempfile
import time
from types import TracebackType
from typing import IO, Self

import pytest

LOOPBACK = "127.0.0.1"
INSTALL_HINT = (
    "mosquitto is not installed. The MQTT end-to-end tests need a real broker: "
    "run `apt-get update && apt-get install -y mosquitto` (Debian/Ubuntu), or the "
    "project's setup script, then run the tests again."
)
_SEARCH_DIRS = ("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")


class MosquittoNotInstalledError(RuntimeError):
    """Raised when no ``mosquitto`` executable can be found."""


class MosquittoStartError(RuntimeError):
    """Raised when mosquitto exits or does not listen in time."""


def find_mosquitto() -> str:
    """Return the path of the ``mosquitto`` executable.

    Looks on ``PATH`` and then in the sbin directories, which are often not on a
    normal user's ``PATH`` (Debian installs the broker as /usr/sbin/mosquitto).
    """
    found = shutil.which("mosquitto")
    if found is not None:
        return found
    for directory in _SEARCH_DIRS:
        candidate = Path(directory) / "mosquitto"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise MosquittoNotInstalledError(INSTALL_HINT)


def free_loopback_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


def _port_accepts(port: int) -> bool:
    """Return True if something accepts TCP connections on the loopback port."""
    try:
        with socket.create_connection((LOOPBACK, port), timeout=0.2):
            return True
    except OSError:
        return False


class MosquittoBroker:
    """A mosquitto child process listening on 127.0.0.1 and a free port.

    ``host`` and ``port`` are fixed for the life of the object, so clients can
    reconnect to the same address after ``stop()`` and ``start()``.
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        start_timeout: float = 5.0,
        stop_timeout: float = 3.0,
    ) -> None:
        self.host = LOOPBACK
        self._port: int | None = port
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._executable = find_mosquitto()
        self._workdir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def port(self) -> int:
        """The broker's TCP port (chosen on the first ``start()``)."""
        if self._port is None:
            raise RuntimeError("the broker has not been started yet")
        return self._port

    def is_running(self) -> bool:
        """Whether the broker process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def log_path(self) -> Path:
        """The broker's log file (kept until ``close()``)."""
        return self._ensure_workdir() / "mosquitto.log"

    def config_text(self) -> str:
        """The configuration the broker runs with (after ``start()``)."""
        path = self._ensure_workdir() / "mosquitto.conf"
        return path.read_text() if path.exists() else ""

    def log_text(self) -> str:
        """Return everything the broker has logged so far."""
        path = self.log_path
        return path.read_text(errors="replace") if path.exists() else ""

    def _ensure_workdir(self) -> Path:
        if self._workdir is None:
            self._workdir = Path(tempfile.mkdtemp(prefix="doorservice-mosquitto-"))
        return self._workdir

    def _write_config(self, port: int) -> Path:
        lines = [
            f"listener {port} {LOOPBACK}",
            "allow_anonymous true",
            "persistence false",
            "log_dest stderr",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
            "log_timestamp true",
            # Forward at once: without it a QoS 1 publish waits ~40 ms on a delayed
            # TCP ACK before mosquitto passes it on (esphome/README.md, broker).
            "set_tcp_nodelay true",
        ]
        if os.geteuid() == 0:
            # Started as root, mosquitto would switch to the `mosquitto` user;
            # stay the current user so nothing depends on that account.
            lines.append(f"user {getpass.getuser()}")
        path = self._ensure_workdir() / "mosquitto.conf"
        path.write_text("\n".join(lines) + "\n")
        return path

    def start(self) -> None:
        """Start the broker (again) and wait until its port accepts connections."""
        if self.is_running():
            return
        if self._port is None:
            self._port = free_loopback_port()
        config = self._write_config(self._port)
        if self._log is None:
            self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [self._executable, "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self._start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code = self._process.returncode
                self._process = None
                raise MosquittoStartError(
                    f"mosquitto exited with code {code} while starting on port "
                    f"{self._port}:\n{self.log_text()}"
                )
            if _port_accepts(self._port):
                return
            time.sleep(0.01)
        self.stop()
        raise MosquittoStartError(
            f"mosquitto did not listen on {LOOPBACK}:{self._port} within "
            f"{self._start_timeout} s:\n{self.log_text()}"
        )

    def stop(self) -> None:
        """Stop the broker: SIGTERM, then SIGKILL if it has not exited in time."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=self._stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=self._stop_timeout)

    def close(self) -> None:
        """Stop the broker and delete its temporary directory."""
        self.stop()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> Self:
        """Start the broker."""
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the broker and remove its files."""
        self.close()


@contextlib.contextmanager
def running_broker() -> Iterator[MosquittoBroker]:
    """Yield a started broker; fail the test with instructions if not installed."""
    try:
        broker = MosquittoBroker()
    except MosquittoNotInstalledError as err:
        pytest.fail(str(err), pytrace=False)
    with broker:
        yield broker


@pytest.fixture
def mosquitto_broker(socket_enabled: None) -> Iterator[MosquittoBroker]:
    """A real mosquitto on a free 127.0.0.1 port, stopped after the test.

    Requests pytest-socket's ``socket_enabled`` so the test may open loopback
    sockets (the Home Assistant plugin still allows only 127.0.0.1).
    """
    with running_broker() as broker:
        yield broker
