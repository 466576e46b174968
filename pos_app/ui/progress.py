"""Run a long service call in the background behind a progress dialog with a Cancel button.

``run_with_progress(parent, title, op, on_success, on_failure)`` runs ``op(progress, cancelled)``
in the global QThreadPool and returns the (window-modal) ``ProgressDialog`` at once:

- ``progress(done, total)`` may be called from the worker thread as often as it likes; the bar
  is updated on the GUI thread (``total`` 0 keeps the bar busy, without a percentage).
- ``cancelled()`` is True once the person pressed Cancel (or Escape, or closed the dialog). The
  op checks it and stops by raising (e.g. ``ValidationError("Export cancelled; ...")``); the
  dialog then says "Cancelling…" until the op has really ended.

When the op ends the dialog closes, then ``on_success(result)`` or ``on_failure(error)`` runs on
the GUI thread (only while ``parent`` is alive). The op must not touch any widget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.tasks import run_in_background
from pos_app.ui.translation import number

T = TypeVar("T")
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

SHOW_AFTER_MS = 200
CANCELLING = "Cancelling…"

_live: set[_ProgressRelay] = set()


class ProgressDialog(QDialog):
    """A label, a bar and Cancel; closing it any way asks the running op to stop."""

    progressed = Signal(int, int)
    cancel_requested = Signal()

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(420)
        self._cancel_event = threading.Event()
        self._running = True
        self.label = QLabel(text)
        self.label.setObjectName("progressLabel")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("progressBar")
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button: QPushButton = self.buttons.button(
            QDialogButtonBox.StandardButton.Cancel
        )
        self.cancel_button.setObjectName("progressCancelButton")
        self.cancel_button.setToolTip(self.tr("Esc"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)

    @property
    def running(self) -> bool:
        return self._running

    def cancelled(self) -> bool:
        """Thread-safe: whether Cancel was asked for."""
        return self._cancel_event.is_set()

    def set_progress(self, done: int, total: int) -> None:
        if not self._running:
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(max(0, min(done, total)))
            self.bar.setFormat(
                self.tr("{0} of {1}").format(number(min(done, total)), number(total))
            )
        self.progressed.emit(done, total)

    def reject(self) -> None:
        """Escape, Cancel and the close box stop the op; the dialog closes when it has ended."""
        if not self._running:
            super().reject()
            return
        if self._cancel_event.is_set():
            return
        self._cancel_event.set()
        self.label.setText(CANCELLING)
        self.cancel_button.setEnabled(False)
        self.cancel_requested.emit()

    def finish(self) -> None:
        """The op has ended: close for good."""
        self._running = False
        self.done(QDialog.DialogCode.Accepted)

    def _show_if_running(self) -> None:
        if self._running:
            self.open()


class _ProgressRelay(QObject):
    """Lives on the GUI thread without a Qt parent; the worker's progress is queued to it."""

    progressed = Signal(int, int)

    def __init__(self, dialog: ProgressDialog) -> None:
        super().__init__()
        self._dialog = dialog
        self.progressed.connect(self._deliver)

    @Slot(int, int)
    def _deliver(self, done: int, total: int) -> None:
        if shiboken6.isValid(self._dialog):
            self._dialog.set_progress(done, total)

    def report(self, done: int, total: int) -> None:
        """Called on the worker thread."""
        self.progressed.emit(int(done), int(total))

    def release(self) -> None:
        QTimer.singleShot(0, lambda: _live.discard(self))


def run_with_progress(
    parent: QWidget,
    title: str,
    op: Callable[[ProgressFn, CancelFn], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None],
    *,
    text: str = "Working…",
    show_after_ms: int = SHOW_AFTER_MS,
) -> ProgressDialog:
    """Start ``op`` in the background behind a progress dialog; see the module docstring."""
    dialog = ProgressDialog(title, text, parent)
    relay = _ProgressRelay(dialog)
    _live.add(relay)
    cancelled = dialog.cancelled

    def work() -> T:
        return op(relay.report, cancelled)

    def close_dialog() -> bool:
        relay.release()
        if shiboken6.isValid(dialog):
            dialog.finish()
        return shiboken6.isValid(parent)

    def succeeded(result: Any) -> None:
        if close_dialog():
            on_success(result)

    def failed(error: BaseException) -> None:
        if close_dialog():
            on_failure(error)

    run_in_background(relay, work, succeeded, failed)
    if show_after_ms <= 0:
        dialog.open()
    else:
        QTimer.singleShot(show_after_ms, dialog, dialog._show_if_running)
    return dialog


__all__ = ["CancelFn", "ProgressDialog", "ProgressFn", "run_with_progress"]
