"""Host-platform ESPHome firmwares as child processes, for the end-to-end tests.

``build_host_firmware(name)`` builds (or reuses) ``esphome/<name>.yaml`` through
``scripts/esphome-build-host``; ``HostFirmware`` runs one binary on a loopback port with
its preferences in a directory of the test, can be killed hard (a power cut) and started
again on the same port, and collects its log. ``adopt`` sets up Home Assistant's own
``esphome`` integration on it.
"""

from __future__ import annotations

from collections.abc import Mapping
import os
from pathlib import Path
import signal
import subprocess
import time
from typing import IO

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from .keyed_walk import wait_for
from .mosquitto import _port_accepts, free_loopback_port

ROOT = Path(__file__).resolve().parents[2]


def build_host_firmware(name: str) -> Path:
    """Build (or reuse) ``esphome/<name>.yaml``; return the binary."""
    result = subprocess.run(
        [str(ROOT / "scripts" / "esphome-build-host"), name],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"building {name} failed:\n{result.stderr}", pytrace=False)
    return Path(result.stdout.strip().splitlines()[-1])


class HostFirmware:
    """One host firmware process on a fixed loopback port."""

    def __init__(
        self, binary: Path, workdir: Path, env: Mapping[str, str] | None = None
    ) -> None:
        """Prepare the firmware; ``start()`` runs it."""
        self.binary = binary
        self.workdir = workdir
        self.port = free_loopback_port()
        self._env = dict(env or {})
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.log_path = workdir / f"{binary.parent.name}-{self.port}.log"

    def start(self, timeout: float = 10) -> None:
        """Run the binary and wait until its API port accepts connections."""
        env = {
            **os.environ,
            **self._env,
            "DOORSERVICE_API_PORT": str(self.port),
            "ESPHOME_PREFDIR": str(self.workdir),
        }
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [str(self.binary)], env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while not _port_accepts(self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"firmware did not listen:\n{self.log()}", pytrace=False)
            time.sleep(0.02)

    def kill(self) -> None:
        """Kill the process at once (SIGKILL: no shutdown handler runs)."""
        self._end(signal.SIGKILL)

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL)."""
        self._end(signal.SIGTERM)

    def _end(self, sig: signal.Signals) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log(self) -> str:
        """Everything the firmware logged so far."""
        return (
            self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        )


async def adopt(
    hass: HomeAssistant, port: int, mac: str, ready_entity: str
) -> MockConfigEntry:
    """Set up HA's esphome integration on the firmware at ``port``."""
    assert await async_setup_component(hass, "homeassistant", {})
    entry = MockConfigEntry(
        domain="esphome",
        data={"host": "127.0.0.1", "port": port, "password": "", "noise_psk": ""},
        unique_id=mac,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await wait_for(
        lambda: (
            (state := hass.states.get(ready_entity)) is not None
            and state.state not in ("unavailable", "unknown")
        ),
        f"{ready_entity} from the firmware",
    )
    return entry
