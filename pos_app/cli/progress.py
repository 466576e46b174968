"""Long work on the terminal: a text progress bar on stderr and Ctrl+C that stops cleanly."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any, TextIO

Progress = Callable[[int, int], None]


class ProgressBar:
    """Progress of long work on stderr. On a terminal, one line redrawn in place: a bar, percent
    done and rows per second. Otherwise (a log file, a pipe, a service manager's journal), where
    a redrawn line would pile up as one long line of carriage returns, a plain line at each
    quarter done."""

    WIDTH = 30
    STEPS = 4

    def __init__(self, label: str, *, unit: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.interactive = _is_terminal(self.stream)
        self.started = time.perf_counter()
        self.drawn_at = 0.0
        self.shown = False
        self.width = 0
        self.steps_written = -1

    def __call__(self, done: int, total: int) -> None:
        if self.interactive:
            self._draw(done, total)
        else:
            self._write_step(done, total)

    def _draw(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.shown and done < total and now - self.drawn_at < 0.2:
            return
        self.drawn_at = now
        self.shown = True
        fraction = done / total if total else 1.0
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        text = f"{self.label} [{bar}] {self._figures(done, total, now)}"
        # Pad over the tail of a longer previous line: the line is redrawn in place.
        self.stream.write("\r" + text.ljust(self.width))
        self.width = len(text)
        self.stream.flush()

    def _write_step(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        step = int(fraction * self.STEPS)
        if step <= self.steps_written:
            return
        self.steps_written = step
        figures = self._figures(done, total, time.perf_counter()).lstrip()
        self.stream.write(f"{self.label}: {figures}\n")
        self.stream.flush()

    def _figures(self, done: int, total: int, now: float) -> str:
        fraction = done / total if total else 1.0
        rate = done / max(now - self.started, 1e-6)
        return (
            f"{fraction:6.1%}  {done:,}/{total:,} {self.unit}  {rate:,.0f} {self.unit}/s".lstrip()
        )

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


class Cancelled(Exception):
    """Ctrl+C stopped the work before it wrote anything; the message says so."""


class CtrlC:
    """While active, the first Ctrl+C asks the work to stop at its next progress report (inside
    its transaction, so nothing is written); a second Ctrl+C stops at once.

    Use as a context manager around the work; pass :meth:`watch` as its progress callback and the
    object itself as its ``cancel`` callback where the service takes one.
    """

    def __init__(self, message: str, *, stream: TextIO | None = None) -> None:
        self.message = message
        self.stream = stream or sys.stderr
        self.requested = False
        self._previous: Any = None
        self._installed = False

    def __call__(self) -> bool:
        return self.requested

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_interrupt)
            self._installed = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False
        if isinstance(error, KeyboardInterrupt):
            raise Cancelled(self.message) from None

    def check(self) -> None:
        if self.requested:
            raise Cancelled(self.message)

    def watch(self, bar: Progress) -> Progress:
        """``bar`` as a progress callback that also stops the work once Ctrl+C was pressed."""

        def report(done: int, total: int) -> None:
            bar(done, total)
            self.check()

        return report

    def _on_interrupt(self, _signum: int, _frame: FrameType | None) -> None:
        self.requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)
        self.stream.write("\nStopping; press Ctrl+C again to stop at once.\n")
        self.stream.flush()
