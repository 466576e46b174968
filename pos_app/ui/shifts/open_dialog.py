"""Opening a shift from where it is needed: the till asks for the float before the first sale.

Every sale and refund belongs to an open shift on its till, so the checkout and the refunds screen
ask for the cash float (Enter opens the shift) instead of refusing the sale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from pos_app.services import shifts
from pos_app.services.shifts import ShiftInfo
from pos_app.ui.changes import Changes
from pos_app.ui.forms import ServiceDialog
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role


class OpenShiftDialog(ServiceDialog):
    """``saved`` carries the ShiftInfo of the shift opened on this till."""

    changes = Changes(shifts=True)

    def __init__(self, session: UiSession, why: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Open a shift"), parent)
        self.setObjectName("openShiftDialog")
        self._session = session
        hint = named(
            QLabel(
                self.tr("{0} Count the cash float put into the drawer and open the shift.").format(
                    why
                )
            ),
            "openShiftHint",
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        self.float_edit = named(QLineEdit(), "openShiftFloat")
        self.float_edit.setPlaceholderText(session.fmt.amount(0))
        self.float_edit.setMaxLength(20)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, hint)
        self.errors.add_row(self.form, self.tr("Cash float"), self.float_edit, "float_cents")
        self.save_button.setText(self.tr("Open shift  Enter"))
        self.float_edit.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, session: UiSession, why: str) -> ShiftInfo | None:
        """Show the dialog modally; the shift opened, or None when the cashier went back."""
        opened: list[ShiftInfo] = []
        dialog = cls(session, why, parent)
        dialog.saved.connect(opened.append)
        dialog.exec()
        return opened[0] if opened else None

    def _operation(self) -> Callable[[], Any]:
        float_cents = self._session.fmt.parse_money(self.float_edit.text() or "0", "float_cents")
        ctx, user = self._session.ctx, self._session.user
        return lambda: shifts.open_shift(ctx, user, float_cents)


__all__ = ["OpenShiftDialog"]
