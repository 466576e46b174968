"""A two-line, 20-character customer pole display on a serial port (ESC/POS display commands).

Writes go through a worker thread that only ever sends the newest text: a display that is
unplugged costs the till nothing, and a fast scanner does not queue up stale lines.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from pos_app.hardware.connection import DeviceTarget

log = logging.getLogger(__name__)

WIDTH = 20
INITIALIZE = b"\x1b@"
CODE_PAGE_858 = b"\x1bt\x13"  # PC858: PC850 with the euro sign
CLEAR = b"\x0c"
HOME = b"\x0b"
TIMEOUT_S = 1.0
Money = Callable[[int], str]


def two_lines(first: str, second: str) -> tuple[str, str]:
    """Each line cut or padded to the display's 20 characters."""
    return first[:WIDTH].ljust(WIDTH), second[:WIDTH].ljust(WIDTH)


def pair(left: str, right: str) -> str:
    room = WIDTH - len(right) - 1
    return f"{left[: max(room, 0)]:<{max(room, 0)}} {right}"[-WIDTH:]


def display_bytes(first: str, second: str) -> bytes:
    top, bottom = two_lines(first, second)
    text = (top + bottom).encode("cp858", errors="replace")
    return INITIALIZE + CODE_PAGE_858 + CLEAR + HOME + text


class PoleDisplay:
    def __init__(self, target: DeviceTarget, writer: Callable[[bytes], None] | None = None) -> None:
        self.target = target
        self._writer = writer or self._write_serial
        self._latest: bytes | None = None
        self._wake = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="pole-display", daemon=True)
        self._thread.start()

    def show(self, first: str, second: str) -> None:
        with self._wake:
            self._latest = display_bytes(first, second)
            self._wake.notify_all()

    def show_item(self, line: str, total_cents: int, money: Money) -> None:
        self.show(line, pair("TOTAL", money(total_cents)))

    def show_change(self, total_cents: int, change_cents: int, money: Money) -> None:
        self.show(pair("TOTAL", money(total_cents)), pair("CHANGE", money(change_cents)))

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        self._thread.join(TIMEOUT_S * 2)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._latest is not None or self._stopping)
                if self._stopping:
                    return
                data, self._latest = self._latest, None
            if data is None:
                continue
            try:
                self._writer(data)
            except Exception as exc:  # an unplugged display must never trouble the sale
                log.info("pole display %s: %s", self.target.describe(), exc)

    def _write_serial(self, data: bytes) -> None:
        import serial

        with serial.Serial(
            self.target.path,
            baudrate=self.target.baudrate,
            timeout=TIMEOUT_S,
            write_timeout=TIMEOUT_S,
        ) as port:
            port.write(data)


__all__ = ["PoleDisplay", "display_bytes", "two_lines"]
