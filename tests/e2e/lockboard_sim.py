"""A simulated RS-485 lock-control bus (Kerong KR-CU16 frames) on a pseudo-terminal.

The firmware ``cabinet-rs485-host`` opens the pty's slave path as its UART
(``DOORSERVICE_UART_PORT``); this simulator answers on the master side like one or more
CU16 boards (16 channels each):

* request ``02 ADDR CMD 03 SUM`` with ``ADDR = board << 4 | lock``; ``CMD`` 0x30 asks
  for the board's status, 0x31 unlocks ``lock`` (the board pulses it);
* reply ``02 ADDR 35 H1 H2 S1 S2 03 SUM``: ``H1``/``H2`` the lock-hook bits of locks
  1-8 / 9-16 (1 = hook engaged, door shut; 0 = door open), ``S1``/``S2`` zero;
* ``SUM`` is the low byte of the sum of every byte before it.

Frames with a bad checksum are counted and ignored (no reply), as a board does.
A board set ``silent`` stops answering (a cut bus or a dead board).
"""

from __future__ import annotations

import contextlib
import os
import select
import termios
import threading
import time
import tty
from types import TracebackType
from typing import Self

STX = 0x02
ETX = 0x03
CMD_STATUS = 0x30
CMD_UNLOCK = 0x31
REPLY = 0x35


def checksum(data: bytes) -> int:
    """Low byte of the sum of ``data``."""
    return sum(data) & 0xFF


def request(board: int, lock: int, command: int) -> bytes:
    """A request frame."""
    body = bytes([STX, (board << 4) | lock, command, ETX])
    return body + bytes([checksum(body)])


class LockBoardBus:
    """CU16 boards ``0 .. boards-1`` on one pty; thread-safe."""

    def __init__(self, boards: int = 2) -> None:
        """Open the pty; ``path`` is what the firmware opens."""
        self.boards = boards
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        attrs = termios.tcgetattr(self._slave)
        attrs[4] = attrs[5] = termios.B19200
        termios.tcsetattr(self._slave, termios.TCSANOW, attrs)
        self.path = os.ttyname(self._slave)
        self._lock = threading.Lock()
        self._open: set[int] = set()
        self.silent: set[int] = set()
        self.unlocks: list[tuple[float, int, int]] = []
        """(time, board, channel 1-16) of every unlock frame received."""
        self.status_requests = 0
        self.bad_frames = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lockboard", daemon=True)

    def start(self) -> None:
        """Answer frames in a background thread."""
        self._thread.start()

    def close(self) -> None:
        """Stop answering and close the pty."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        for fd in (self._master, self._slave):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> Self:
        """Start the bus."""
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the bus."""
        self.close()

    def set_door(self, compartment: int, *, is_open: bool) -> None:
        """A person opens or shuts compartment ``compartment``'s door."""
        with self._lock:
            (self._open.add if is_open else self._open.discard)(compartment)

    def unlocked_compartments(self) -> list[int]:
        """Compartments unlocked so far, in order (board * 16 + channel)."""
        with self._lock:
            return [board * 16 + channel for _at, board, channel in self.unlocks]

    def _status(self, board: int, lock: int) -> bytes:
        hooks = 0
        for channel in range(16):
            if board * 16 + channel + 1 not in self._open:
                hooks |= 1 << channel
        body = bytes(
            [STX, (board << 4) | lock, REPLY, hooks & 0xFF, hooks >> 8, 0, 0, ETX]
        )
        return body + bytes([checksum(body)])

    def _run(self) -> None:
        buffer = bytearray()
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                buffer += os.read(self._master, 256)
            except OSError:
                return
            while buffer:
                if buffer[0] != STX:
                    del buffer[0]
                    continue
                if len(buffer) < 5:
                    break
                frame, buffer = bytes(buffer[:5]), buffer[5:]
                if frame[3] != ETX or checksum(frame[:4]) != frame[4]:
                    with self._lock:
                        self.bad_frames += 1
                    continue
                board, lock, command = frame[1] >> 4, frame[1] & 0x0F, frame[2]
                with self._lock:
                    if board >= self.boards or board in self.silent:
                        continue
                    if command == CMD_UNLOCK:
                        self.unlocks.append((time.monotonic(), board, lock + 1))
                    elif command == CMD_STATUS:
                        self.status_requests += 1
                    else:
                        continue
                    reply = self._status(board, lock)
                os.write(self._master, reply)
