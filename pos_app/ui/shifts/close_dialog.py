"""Closing the shift: the cashier counts the drawer and types the amount; the Z report follows."""

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


class CloseShiftDialog(ServiceDialog):
    """``saved`` carries the shift's ZReport once it is closed."""

    changes = Changes(shifts=True)

    def __init__(self, session: UiSession, shift: ShiftInfo, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Close shift {0}").format(shift.id), parent)
        self.setObjectName("closeShiftDialog")
        self._session = session
        hint = named(
            QLabel(
                self.tr(
                    "Count every note and coin in the drawer, the float "
                    "included, and enter the total."
                )
            ),
            "closeShiftHint",
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        self.counted_edit = named(QLineEdit(), "countedCash")
        self.counted_edit.setPlaceholderText(session.fmt.amount(0))
        self.counted_edit.setMaxLength(20)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, hint)
        self.errors.add_row(self.form, self.tr("Counted cash"), self.counted_edit, "counted_cents")
        self.save_button.setText(self.tr("Close shift  Enter"))
        self.counted_edit.setFocus()

    def _on_save_clicked(self) -> None:
        super()._on_save_clicked()
        self.adjustSize()  # room for an error line under the field

    def _on_save_failed(self, error: BaseException) -> None:
        super()._on_save_failed(error)
        self.adjustSize()

    def _operation(self) -> Callable[[], Any]:
        counted = self._session.fmt.parse_money(self.counted_edit.text(), "counted_cents")
        ctx, user = self._session.ctx, self._session.user
        return lambda: shifts.close_shift(ctx, user, counted)
