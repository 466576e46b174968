"""Run service calls off the UI thread and get the answer back on it.

``run_in_background(parent, op, on_success, on_failure)`` runs ``op()`` in the global
QThreadPool; the callbacks run on the GUI thread, and only while ``parent`` is alive.
``LatestOnly`` drops answers that a newer request has overtaken (filter-as-you-type, reports).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from pos_app.ui.errors import report_session_ended

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]

_pending: set[_Relay] = set()


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals are queued to it.

    It has no Qt parent, so destroying the asking widget never deletes it while a delivery is
    queued; instead the callbacks are skipped when that widget is gone.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, owner: QObject, on_success: Callback, on_failure: ErrorCallback) -> None:
        super().__init__()
        self._owner = owner
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, result: Any) -> None:
        self._finish()
        if shiboken6.isValid(self._owner):
            self._on_success(result)

    @Slot(object)
    def _deliver_failure(self, error: BaseException) -> None:
        self._finish()
        # Whatever the screen does with it, an ended session locks the window.
        report_session_ended(error)
        if shiboken6.isValid(self._owner):
            self._on_failure(error)

    def _finish(self) -> None:
        # Let go of the relay after this slot has returned, never inside it.
        QTimer.singleShot(0, lambda: _pending.discard(self))


class _Job(QRunnable):
    def __init__(self, op: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._op = op
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op()
        except Exception as error:  # every failure must reach the GUI, never vanish
            log.debug("background task failed", exc_info=True)
            self._emit(self._relay.failed, error)
        else:
            self._emit(self._relay.succeeded, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            log.debug("the window that asked for this result is gone")


def run_in_background(
    parent: QObject,
    op: Callable[[], Any],
    on_success: Callback,
    on_failure: ErrorCallback,
) -> None:
    relay = _Relay(parent, on_success, on_failure)
    _pending.add(relay)
    QThreadPool.globalInstance().start(_Job(op, relay))


def pending_tasks() -> int:
    return len(_pending)


class LatestOnly:
    """Runs requests in the background and delivers only the newest one's answer."""

    def __init__(self, parent: QObject) -> None:
        self._parent = parent
        self._generation = 0

    def run(self, op: Callable[[], Any], on_success: Callback, on_failure: ErrorCallback) -> None:
        self._generation += 1
        generation = self._generation

        def success(result: Any) -> None:
            if generation == self._generation:
                on_success(result)

        def failure(error: BaseException) -> None:
            if generation == self._generation:
                on_failure(error)

        run_in_background(self._parent, op, success, failure)

    def cancel(self) -> None:
        self._generation += 1
