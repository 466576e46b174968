"""Asking the weight of a product sold by weight whose code was typed (no scale label).

Keyboard first: the weight field has focus, the amount is shown as it is typed, Enter adds the
line and Esc goes back. '0.455', '0,455 kg' and '455 g' are all 455 grams.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from pos_app.domain.weights import (
    format_price_per_kg,
    format_weighed_line,
    line_amount_cents,
    parse_weight,
)
from pos_app.services.errors import ValidationError
from pos_app.services.money import ShopFormat
from pos_app.ui.dialog_layout import button_row, primary_button, show_error, side_button, stack
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import error_label
from pos_app.ui.style import named, set_role


class WeightDialog(QDialog):
    """Accepted with ``grams`` set: the weight to sell."""

    def __init__(
        self,
        name: str,
        price_per_kg_cents: int,
        shop: ShopFormat,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._price = price_per_kg_cents
        self._shop = shop
        self.grams: int | None = None
        self.setObjectName("weightDialog")
        self.setWindowTitle(self.tr("Weight"))
        self.setModal(True)
        self._build_ui(name)
        self._connect_signals()

    @classmethod
    def ask(
        cls,
        name: str,
        price_per_kg_cents: int,
        shop: ShopFormat,
        parent: QWidget | None = None,
    ) -> int | None:
        """The grams typed, or None when the cashier went back."""
        dialog = cls(name, price_per_kg_cents, shop, parent)
        return dialog.grams if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _build_ui(self, name: str) -> None:
        self.setMinimumWidth(420)
        title = named(QLabel(name), "weightProduct")
        set_role(title, "title")
        self.weight_edit = named(QLineEdit(), "weightEdit")
        self.weight_edit.setPlaceholderText(self.tr("kg, e.g. 0.455, or 455 g"))
        self.weight_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.weight_edit.setMaxLength(16)
        self.amount_label = named(QLabel(""), "weightAmount")
        set_role(self.amount_label, "muted")
        self.error_label = error_label("weightError")
        form = QFormLayout()
        shop = self._shop
        price = format_price_per_kg(self._price, shop.currency, shop.locale)
        form.addRow(self.tr("Price"), QLabel(price))
        form.addRow(self.tr("&Weight"), self.weight_edit)
        form.addRow("", self.amount_label)
        self.add_button = primary_button(self.tr("Add  Enter"), "weightAdd")
        self.cancel_button = side_button(self.tr("Back  Esc"), "weightCancel")
        buttons = button_row([self.cancel_button], [self.add_button])
        stack(self, title, form, self.error_label, buttons)
        self.weight_edit.setFocus()

    def _connect_signals(self) -> None:
        self.weight_edit.textChanged.connect(self._on_weight_text_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.cancel_button.clicked.connect(self.reject)

    def _on_weight_text_changed(self, text: str) -> None:
        self.error_label.hide()
        try:
            grams = parse_weight(text)
        except ValidationError:
            self.amount_label.setText("")
            return
        shop = self._shop
        amount = shop.money(line_amount_cents(self._price, grams))
        line = format_weighed_line(grams, self._price, shop.currency, shop.locale)
        self.amount_label.setText(f"{line} = {amount}")

    def _on_add_clicked(self) -> None:
        try:
            self.grams = parse_weight(self.weight_edit.text())
        except ValidationError as error:
            show_error(self.error_label, describe_error(error), self.weight_edit)
            return
        self.accept()
