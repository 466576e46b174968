"""The stock adjustment form: a signed change (pieces, or kg of a product sold by weight) and
the reason, both required."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from pos_app.domain.weights import parse_weight
from pos_app.services import inventory
from pos_app.services.inventory import StockLevel
from pos_app.ui.changes import Changes
from pos_app.ui.forms import ServiceDialog
from pos_app.ui.session import UiSession

MAX_CHANGE = 1_000_000


class AdjustDialog(ServiceDialog):
    """Correct the stock of one product after a count, breakage or theft."""

    changes = Changes(stock=True)

    def __init__(
        self, session: UiSession, level: StockLevel, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Adjust stock"), parent)
        self.setObjectName("adjustDialog")
        self._session = session
        self._level = level
        self._build_ui()

    def _build_ui(self) -> None:
        level = self._level
        stock = self._session.fmt.quantity(level.quantity, level.sold_by)
        product = QLabel(self.tr("<b>{0}</b> — {1} in stock").format(level.product_name, stock))
        product.setObjectName("adjustProduct")
        self.change_field = QSpinBox()
        self.change_field.setObjectName("changeField")
        self.change_field.setRange(-MAX_CHANGE, MAX_CHANGE)
        self.change_field.setToolTip(self.tr("Negative removes units, positive adds them"))
        self.weight_change_field = QLineEdit()
        self.weight_change_field.setObjectName("weightChangeField")
        self.weight_change_field.setPlaceholderText(self.tr("kg, e.g. -0.250 or 455 g"))
        self.weight_change_field.setMaxLength(20)
        self.note_field = QLineEdit()
        self.note_field.setObjectName("noteField")
        self.note_field.setPlaceholderText(self.tr("Why? e.g. counted 3 fewer, broken in delivery"))
        self.note_field.setMaxLength(255)
        self.form.addRow(self.tr("Product"), product)
        if level.is_weighed:
            self.change_field.hide()
            self.errors.add_row(
                self.form,
                self.tr("&Change (kg)"),
                self.weight_change_field,
                "change",
                ["quantity"],
            )
            self.weight_change_field.setFocus()
        else:
            self.weight_change_field.hide()
            self.errors.add_row(
                self.form, self.tr("&Change"), self.change_field, "change", ["quantity"]
            )
            self.change_field.setFocus()
            self.change_field.selectAll()
        self.errors.add_row(self.form, self.tr("&Reason"), self.note_field, "note")

    def _change(self) -> int:
        if not self._level.is_weighed:
            return self.change_field.value()
        return parse_weight(
            self.weight_change_field.text(), "change", signed=True, maximum=MAX_CHANGE
        )

    def _operation(self) -> Callable[[], Any]:
        ctx, actor = self._session.ctx, self._session.user
        product_id, change, note = self._level.product_id, self._change(), self.note_field.text()
        return lambda: inventory.adjust_stock(ctx, actor, product_id, change, note)
