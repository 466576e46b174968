"""An operation: one service call run off the UI thread, built up and then run.

    Op(self, op=lambda: inventory.add_stock(...), success=self._on_added,
       changes=Changes(stock=True)).failure(self.errors.show).with_busy(self.add_button).run()

``op`` runs in the background and touches no widget. While it runs the busy state is on: a busy
cursor, plus whatever ``with_busy`` names (a widget is disabled, a text shows in the status
bar, a ``callback(busy)`` is called); it ends before ``success`` or the failure handler runs,
also when the asking widget is gone by then. An error goes to ``failure``'s handler, or, when
the caller gave none (or is gone), to the one error reporter (``errors.report_error``). After a
write has succeeded, its ``changes`` are announced app-wide with the asker as the initiator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from pos_app.ui.changes import Changes, announce, change_bus
from pos_app.ui.errors import report_error
from pos_app.ui.tasks import run_in_background

T = TypeVar("T")

BusyTarget = QWidget | str | Callable[[bool], None]
StatusListener = Callable[[str], None]
_status_listeners: list[StatusListener] = []
_status_texts: list[str] = []


def on_busy_text(listener: StatusListener) -> Callable[[], None]:
    """Call ``listener(text)`` with the text of the latest running operation ("" when none
    runs); returns the undo."""
    _status_listeners.append(listener)

    def remove() -> None:
        if listener in _status_listeners:
            _status_listeners.remove(listener)

    return remove


def _show_status(text: str, *, running: bool) -> None:
    if running:
        _status_texts.append(text)
    elif text in _status_texts:
        _status_texts.remove(text)
    shown = _status_texts[-1] if _status_texts else ""
    for listener in list(_status_listeners):
        listener(shown)


class _BusyState:
    """Turns the busy state of one operation on and, exactly once, off again."""

    def __init__(self, targets: list[BusyTarget]) -> None:
        self._targets = targets
        self._disabled: list[QWidget] = []
        self._on = False

    def start(self) -> None:
        if not self._targets:
            return
        self._on = True
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        for target in self._targets:
            self._set(target, busy=True)

    def end(self) -> None:
        if not self._on:
            return
        self._on = False
        QApplication.restoreOverrideCursor()
        for target in self._targets:
            self._set(target, busy=False)

    def _set(self, target: BusyTarget, *, busy: bool) -> None:
        if isinstance(target, QWidget):
            self._set_widget(target, busy=busy)
        elif isinstance(target, str):
            _show_status(target, running=busy)
        else:
            target(busy)

    def _set_widget(self, widget: QWidget, *, busy: bool) -> None:
        switched_off = widget.testAttribute(Qt.WidgetAttribute.WA_ForceDisabled)
        if busy and not switched_off:
            widget.setEnabled(False)
            self._disabled.append(widget)
        elif not busy and shiboken6.isValid(widget) and any(w is widget for w in self._disabled):
            # Only a widget this operation switched off is switched on again.
            widget.setEnabled(True)


class Op(Generic[T]):
    """A background service call with a busy state, one error route and, for writes, an
    announcement of what changed."""

    def __init__(
        self,
        parent: QObject,
        *,
        op: Callable[[], T],
        success: Callable[[T], Any] | None = None,
        changes: Changes | Callable[[T], Changes] | None = None,
        initiator: object = None,
    ) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._changes = changes
        self._initiator = parent if initiator is None else initiator
        self._failure: Callable[[BaseException], Any] | None = None
        self._busy: list[BusyTarget] = []
        self._busy_state = _BusyState([])

    def failure(self, handler: Callable[[BaseException], Any]) -> Op[T]:
        """The caller shows the error itself (next to a field, in its own label)."""
        self._failure = handler
        return self

    def with_busy(self, target: BusyTarget) -> Op[T]:
        """Also show the work is running: a widget disabled, a status text, or ``target(busy)``."""
        self._busy.append(target)
        return self

    def run(self) -> None:
        self._busy_state = _BusyState(self._busy)
        self._busy_state.start()
        # The answer is always taken (the change bus lives as long as the app), so the busy
        # state ends and a write is announced even when the asking widget is gone by then.
        run_in_background(change_bus(), self._op, self._on_success, self._on_failure)

    def _asker_alive(self) -> bool:
        return shiboken6.isValid(self._parent)

    def _on_success(self, result: T) -> None:
        self._busy_state.end()
        if self._success is not None and self._asker_alive():
            self._success(result)
        changes = self._changes(result) if callable(self._changes) else self._changes
        if changes is not None:
            announce(changes, self._initiator)

    def _on_failure(self, error: BaseException) -> None:
        self._busy_state.end()
        if self._failure is not None and self._asker_alive():
            self._failure(error)
        else:
            report_error(error)
