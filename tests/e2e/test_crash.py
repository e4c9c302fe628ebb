"""A real ``hass`` process killed with SIGKILL right after an action returned.

The action's answer means it was committed: after a restart on the same config
directory the order is there, in the state the answer gave.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import pytest

from .mosquitto import free_loopback_port

ROOT = Path(__file__).resolve().parents[2]
HASS = Path(sys.executable).with_name("hass")


def _prepare(config: Path) -> None:
    """A config dir with Door Service, the probe and the demo sites."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import demo_site
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    (config / ".storage").mkdir(parents=True)
    (config / "custom_components").mkdir()
    os.symlink(
        ROOT / "custom_components" / "doorservice",
        config / "custom_components" / "doorservice",
    )
    shutil.copytree(
        Path(__file__).parent / "crashprobe",
        config / "custom_components" / "crashprobe",
    )
    (config / "configuration.yaml").write_text("crashprobe:\n")
    demo_site.ensure_demo_sites(config)
    http = json.loads(json.dumps(demo_site.HTTP_STABLE))
    http["server_port"] = free_loopback_port()
    demo_site.write_http(config, http)


@contextmanager
def _hass(config: Path) -> Iterator[tuple[subprocess.Popen[bytes], socket.socket]]:
    """Start ``hass`` on ``config``; yield it and a connection to its probe."""
    port = free_loopback_port()
    log = (config / "hass.log").open("ab")
    process = subprocess.Popen(
        [str(HASS), "-c", str(config), "--skip-pip"],
        env={**os.environ, "CRASHPROBE_PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "hass did not start:\n" + (config / "hass.log").read_text()
                    )
                time.sleep(0.2)
        with conn:
            yield process, conn
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def _call(conn: socket.socket, service: str, **data: Any) -> dict[str, Any]:
    conn.sendall((json.dumps({"service": service, "data": data}) + "\n").encode())
    buffer = b""
    while not buffer.endswith(b"\n"):
        chunk = conn.recv(65536)
        assert chunk, "the probe closed the connection"
        buffer += chunk
    answer: dict[str, Any] = json.loads(buffer)
    assert answer["ok"], answer
    return answer["response"]  # type: ignore[no-any-return]


def test_sigkill_right_after_an_action_keeps_it(
    tmp_path: Path, socket_enabled: None
) -> None:
    _prepare(tmp_path)
    with _hass(tmp_path) as (process, conn):
        answer = _call(conn, "request_service", room="Room 101", service_type="towels")
        process.send_signal(signal.SIGKILL)  # no shutdown, no flush: just gone
        process.wait(30)
    order = answer["order"]
    assert order["state"] == "offered"
    assert (tmp_path / "doorservice.db").exists()

    with _hass(tmp_path) as (_process, conn):
        orders = _call(conn, "get_orders", room="Room 101")["orders"]
    assert [(o["order_id"], o["state"]) for o in orders] == [
        (order["order_id"], "offered")
    ]
