"""Changing the unit price of one cart line (managers and owners, or with their approval)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from pos_app.services.errors import ValidationError
from pos_app.services.money import MAX_CENTS, ShopFormat
from pos_app.ui.checkout.cart_line import CartLine
from pos_app.ui.dialog_layout import button_row, primary_button, show_error, side_button, stack
from pos_app.ui.forms import error_label
from pos_app.ui.style import named, set_role


class PriceDialog(QDialog):
    """Accepted with ``price_cents`` set: the new unit price (the list price undoes a change)."""

    def __init__(
        self,
        line: CartLine,
        shop: ShopFormat,
        approver: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._line = line
        self._shop = shop
        self._money = shop.money
        self.price_cents: int | None = None
        self.setObjectName("priceDialog")
        self.setWindowTitle(self.tr("Change price"))
        self.setModal(True)
        self._build_ui(approver)
        self._connect_signals()

    def _build_ui(self, approver: str | None) -> None:
        self.setMinimumWidth(420)
        line = self._line
        title = QLabel(line.name)
        set_role(title, "title")
        self.price_edit = named(QLineEdit(self._shop.amount(line.price_cents)), "priceEdit")
        self.price_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.price_edit.setMaxLength(16)
        self.price_edit.selectAll()
        self.error_label = error_label("priceError")
        form = QFormLayout()
        form.addRow(self.tr("List price"), QLabel(self._money(line.unit_price_cents)))
        form.addRow(self.tr("Quantity"), QLabel(str(line.quantity)))
        form.addRow(self.tr("New unit price"), self.price_edit)
        self.apply_button = primary_button(self.tr("Apply  Enter"), "priceApply")
        self.reset_button = side_button(self.tr("List price"), "priceReset")
        self.cancel_button = side_button(self.tr("Back  Esc"), "priceCancel")
        approved: list[QWidget] = []
        if approver:
            approved_by = named(
                QLabel(self.tr("Approved by {0}.").format(approver)), "priceApprovedBy"
            )
            set_role(approved_by, "muted")
            approved.append(approved_by)
        buttons = button_row([self.cancel_button, self.reset_button], [self.apply_button])
        stack(self, title, *approved, form, self.error_label, buttons)
        self.price_edit.setFocus()

    def _connect_signals(self) -> None:
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.cancel_button.clicked.connect(self.reject)

    def set_price_text(self, text: str) -> None:
        self.price_edit.setText(text)

    def _on_apply_clicked(self) -> None:
        try:
            cents = self._shop.parse_money(self.price_edit.text(), "price")
        except ValidationError as error:
            self._show_error(error.message)
            return
        if not 0 <= cents <= MAX_CENTS:
            self._show_error(self.tr("Enter a price from {0} up.").format(self._shop.amount(0)))
            return
        self.price_cents = cents
        self.accept()

    def _on_reset_clicked(self) -> None:
        self.price_cents = self._line.unit_price_cents
        self.accept()

    def _show_error(self, text: str) -> None:
        show_error(self.error_label, text, self.price_edit)
