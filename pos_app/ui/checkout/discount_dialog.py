"""A discount on one cart line or on the whole cart: a percentage or an amount, with a reason.

The dialog shows at once what the discount takes off, so the cashier sees the result before
applying it; whether it needs a manager is decided by the till when it is applied.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from pos_app.domain.discounts import (
    MAX_REASON,
    Discount,
    DiscountKind,
    format_percent,
    make_discount,
    parse_percent,
)
from pos_app.services.errors import PosError, ValidationError
from pos_app.services.money import format_plain, parse_money
from pos_app.ui.dialog_layout import button_row, primary_button, show_error, side_button, stack
from pos_app.ui.forms import error_label
from pos_app.ui.style import named, set_role

REASONS = ("Damaged packaging", "Best before soon", "Customer goodwill", "Staff discount")


class DiscountDialog(QDialog):
    """Accepted with ``discount`` set, or with ``discount`` None when the discount was removed."""

    def __init__(
        self,
        title: str,
        amount_cents: int,
        money: Callable[[int], str],
        current: Discount | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._amount_cents = amount_cents
        self._money = money
        self.discount: Discount | None = current
        self.setObjectName("discountDialog")
        self.setWindowTitle(self.tr("Discount"))
        self.setModal(True)
        self._build_ui(title, current)
        self._connect_signals()
        self._on_input_changed()

    def _build_ui(self, title: str, current: Discount | None) -> None:
        self.setMinimumWidth(440)
        heading = QLabel(title)
        set_role(heading, "title")
        self.kind_field = named(QComboBox(), "discountKind")
        self.kind_field.addItem(self.tr("% off"), DiscountKind.PERCENT.value)
        self.kind_field.addItem(self.tr("amount off"), DiscountKind.AMOUNT.value)
        self.value_field = named(QLineEdit(), "discountValue")
        self.value_field.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.value_field.setMaxLength(16)
        self.value_field.setPlaceholderText(self.tr("e.g. 10 or 1.50"))
        self.reason_field = named(QComboBox(), "discountReason")
        self.reason_field.setEditable(True)
        self.reason_field.addItems(REASONS)
        self.reason_field.setCurrentText("")
        line_edit = self.reason_field.lineEdit()
        if line_edit is not None:
            line_edit.setMaxLength(MAX_REASON)
            line_edit.setPlaceholderText(self.tr("Why? (printed on the receipt)"))
        if current is not None:
            self.kind_field.setCurrentIndex(self.kind_field.findData(current.kind.value))
            self.value_field.setText(_value_text(current))
            self.reason_field.setCurrentText(current.reason)
        self.value_field.selectAll()
        value_row = QHBoxLayout()
        value_row.addWidget(self.value_field, 1)
        value_row.addWidget(self.kind_field)
        self.effect_label = named(QLabel(), "discountEffect")
        set_role(self.effect_label, "muted")
        self.error_label = error_label("discountError")
        form = QFormLayout()
        form.addRow(self.tr("Before discount"), QLabel(self._money(self._amount_cents)))
        form.addRow(self.tr("Discount"), value_row)
        form.addRow(self.tr("&Reason"), self.reason_field)
        form.addRow("", self.effect_label)
        self.apply_button = primary_button(self.tr("Apply  Enter"), "discountApply")
        self.remove_button = side_button(self.tr("No discount"), "discountRemove")
        self.remove_button.setEnabled(current is not None)
        self.cancel_button = side_button(self.tr("Back  Esc"), "discountCancel")
        buttons = button_row([self.cancel_button, self.remove_button], [self.apply_button])
        stack(self, heading, form, self.error_label, buttons)
        QWidget.setTabOrder(self.value_field, self.kind_field)
        QWidget.setTabOrder(self.kind_field, self.reason_field)
        QWidget.setTabOrder(self.reason_field, self.apply_button)
        self.value_field.setFocus()

    def _connect_signals(self) -> None:
        self.value_field.textChanged.connect(self._on_input_changed)
        self.kind_field.currentIndexChanged.connect(self._on_input_changed)
        self.apply_button.clicked.connect(self._on_apply_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.cancel_button.clicked.connect(self.reject)

    def read(self) -> Discount:
        """The discount the fields describe; a ValidationError names what to fix."""
        kind = DiscountKind(self.kind_field.currentData())
        text = self.value_field.text()
        if kind is DiscountKind.PERCENT:
            value = parse_percent(text)
        else:
            value = parse_money(text, "value")
            if value > self._amount_cents:
                raise ValidationError(
                    f"The discount cannot be more than {self._money(self._amount_cents)}.",
                    field="value",
                )
        return make_discount(kind.value, value, self.reason_field.currentText())

    def _on_input_changed(self) -> None:
        try:
            kind = DiscountKind(self.kind_field.currentData())
            text = self.value_field.text()
            value = parse_percent(text) if kind is DiscountKind.PERCENT else parse_money(text)
        except PosError:
            self.effect_label.setText("")
            return
        off = Discount(kind, value, "").off(self._amount_cents)
        self.effect_label.setText(
            self.tr("Takes {0} off; {1} to pay.").format(
                self._money(off), self._money(self._amount_cents - off)
            )
        )

    def _on_apply_clicked(self) -> None:
        try:
            self.discount = self.read()
        except PosError as error:
            field = self.reason_field if error.field == "reason" else self.value_field
            show_error(self.error_label, error.message, field)
            return
        self.accept()

    def _on_remove_clicked(self) -> None:
        self.discount = None
        self.accept()


def _value_text(discount: Discount) -> str:
    if discount.kind is DiscountKind.PERCENT:
        return format_percent(discount.value).removesuffix(" %")
    return format_plain(discount.value)
