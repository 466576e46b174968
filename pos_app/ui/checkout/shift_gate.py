"""The till sells only inside an open shift: before the first line of a sale, make sure one is open.

The check runs in the background; with no shift open the cashier is asked for the float and the
shift is opened there, then the waiting line is added. Going back adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from pos_app.services import shifts
from pos_app.services.checkout import NO_SHIFT_TO_SELL
from pos_app.services.shifts import ShiftInfo
from pos_app.ui.errors import describe_error
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.open_dialog import OpenShiftDialog
from pos_app.ui.tasks import run_in_background

Proceed = Callable[[], None]
Report = Callable[[str, bool], None]


class ShiftGate(QObject):
    """``check(then)`` runs ``then`` once a shift is open on this till (asking for one if not)."""

    def __init__(self, owner: QWidget, session: UiSession, report: Report) -> None:
        super().__init__(owner)
        self._owner = owner
        self._session = session
        self._report = report
        self.checking = False

    def check(self, then: Proceed, on_refused: Proceed) -> None:
        ctx, user = self._session.ctx, self._session.user
        self.checking = True
        run_in_background(
            self._owner,
            lambda: shifts.current_shift(ctx, user),
            lambda shift: self._on_checked(shift, then, on_refused),
            lambda error: self._on_failed(error, on_refused),
        )

    def _on_checked(self, shift: ShiftInfo | None, then: Proceed, on_refused: Proceed) -> None:
        if shift is not None:
            self.checking = False
            then()
            return
        # Asked once the background answer has been delivered, outside its slot.
        QTimer.singleShot(0, lambda: self._ask(then, on_refused))

    def _ask(self, then: Proceed, on_refused: Proceed) -> None:
        opened = OpenShiftDialog.ask(
            self._owner, self._session, self.tr("No shift is open on this till.")
        )
        self.checking = False
        if opened is None:
            self._report(f"Nothing was added. {NO_SHIFT_TO_SELL}", True)
            on_refused()
            return
        then()
        money = self._session.money(opened.float_cents)
        self._report(f"Shift {opened.id} opened with a float of {money}.", False)

    def _on_failed(self, error: BaseException, on_refused: Proceed) -> None:
        self.checking = False
        self._report(describe_error(error), True)
        on_refused()


__all__ = ["ShiftGate"]
