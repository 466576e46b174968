"""Taking the money: cash with change due, card, or part card and the rest in cash.

The sale is committed from here: Confirm runs the purchase with the payments in the background;
the dialog is accepted once the sale is stored, and stays open with the reason when it is not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from pos_app.services.checkout import PurchaseResult
from pos_app.services.money import ShopFormat
from pos_app.services.payments import PaymentIn
from pos_app.ui.checkout.tender import CARD_AMOUNT, TENDERED, Method, Tender, evaluate
from pos_app.ui.dialog_layout import button_row, primary_button, side_button, stack
from pos_app.ui.errors import describe_error, error_field
from pos_app.ui.forms import error_label
from pos_app.ui.style import icon, named, set_role
from pos_app.ui.tasks import run_in_background

Charge = Callable[[Sequence[PaymentIn]], PurchaseResult]
WARNING = "color: #b3261e; font-size: 13pt;"
GOOD = "color: #1f6f43; font-size: 20pt; font-weight: bold;"


def amount_field(name: str, placeholder: str) -> QLineEdit:
    edit = named(QLineEdit(), name)
    edit.setPlaceholderText(placeholder)
    edit.setAlignment(Qt.AlignmentFlag.AlignRight)
    edit.setMaxLength(16)
    return edit


def note_label(shop: ShopFormat, amount: int) -> str:
    """'€20', '20 €': notes are whole amounts."""
    return shop.whole_money(amount)


class PayDialog(QDialog):
    """Accepted once the sale is committed (``purchase``); rejected when cancelled or refused."""

    def __init__(
        self,
        total_cents: int,
        shop: ShopFormat,
        charge: Charge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._total = total_cents
        self._shop = shop
        self._money = shop.money
        self._notes = shop.notes()
        self._charge = charge
        self._busy = False
        self.purchase: PurchaseResult | None = None
        self.tender = Tender()
        self.setObjectName("payDialog")
        self.setWindowTitle(self.tr("Payment"))
        self.setModal(True)
        self._build_ui()
        self._connect_signals()
        self._on_method_changed()

    # layout

    def _build_ui(self) -> None:
        self.setMinimumWidth(540)
        caption = QLabel(self.tr("Amount due"))
        set_role(caption, "muted")
        self.total_label = named(QLabel(self._money(self._total)), "payTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.methods = QButtonGroup(self)
        self.cash_button = self._method_button("pay", self.tr("Cash  F5"), "payCash")
        self.card_button = self._method_button("card", self.tr("Card  F6"), "payCard")
        self.split_button = self._method_button("card", self.tr("Card + cash  F7"), "paySplit")
        self.cash_button.setChecked(True)
        self._build_card_panel()
        self._build_cash_panel()
        self.error_label = error_label("payError")
        self.confirm_button = primary_button(self.tr("Confirm  Enter"), "payConfirm")
        self.cancel_button = side_button(self.tr("Back  Esc"), "payCancel")

        methods = QHBoxLayout()
        for button in (self.cash_button, self.card_button, self.split_button):
            methods.addWidget(button)
        buttons = button_row([self.cancel_button], [self.confirm_button])
        stack(
            self,
            caption,
            self.total_label,
            methods,
            self.card_panel,
            self.cash_panel,
            self.error_label,
            buttons,
            spacing=14,
        )

    def _method_button(self, icon_name: str, text: str, name: str) -> QPushButton:
        button = named(QPushButton(icon(icon_name), text), name)
        button.setCheckable(True)
        button.setAutoDefault(False)
        button.setProperty("tender", True)  # the style sheet highlights the chosen one
        self.methods.addButton(button)
        return button

    def _build_card_panel(self) -> None:
        self.card_panel = named(QWidget(), "payCardPanel")
        self.card_edit = amount_field("payCardAmount", self._shop.amount(0))
        self.card_error = error_label("payCardAmountError")
        self.cash_due_label = named(QLabel(), "payCashDue")
        self.cash_due_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid = QGridLayout(self.card_panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnMinimumWidth(0, 110)
        grid.addWidget(QLabel(self.tr("Card amount")), 0, 0)
        grid.addWidget(self.card_edit, 0, 1)
        grid.addWidget(self.card_error, 1, 1)
        grid.addWidget(QLabel(self.tr("Cash to pay")), 2, 0)
        grid.addWidget(self.cash_due_label, 2, 1)

    def _build_cash_panel(self) -> None:
        self.cash_panel = named(QWidget(), "payCashPanel")
        self.tendered_edit = amount_field("payTendered", self._shop.amount(self._total))
        self.tendered_error = error_label("payTenderedError")
        self.exact_button = named(QPushButton(self.tr("Exact")), "payExact")
        self.quick_buttons = [
            named(QPushButton(note_label(self._shop, amount)), f"payNote{amount}")
            for amount in self._notes
        ]
        self.change_caption = QLabel(self.tr("Change"))
        self.change_label = named(QLabel(), "payChange")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid = QGridLayout(self.cash_panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnMinimumWidth(0, 110)
        grid.addWidget(QLabel(self.tr("Tendered")), 0, 0)
        grid.addWidget(self.tendered_edit, 0, 1)
        grid.addWidget(self.tendered_error, 1, 1)
        quick = QHBoxLayout()
        for button in [self.exact_button, *self.quick_buttons]:
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            quick.addWidget(button)
        grid.addLayout(quick, 2, 0, 1, 2)
        grid.addWidget(self.change_caption, 3, 0)
        grid.addWidget(self.change_label, 3, 1)

    def _connect_signals(self) -> None:
        self.methods.buttonToggled.connect(self._on_method_changed)
        self.card_edit.textChanged.connect(self._on_amount_changed)
        self.tendered_edit.textChanged.connect(self._on_amount_changed)
        self.exact_button.clicked.connect(self._on_exact_clicked)
        for button, amount in zip(self.quick_buttons, self._notes, strict=True):
            button.clicked.connect(lambda _=False, cents=amount: self.set_tendered(cents))
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        self.cancel_button.clicked.connect(self.reject)
        for key, button in (
            (Qt.Key.Key_F5, self.cash_button),
            (Qt.Key.Key_F6, self.card_button),
            (Qt.Key.Key_F7, self.split_button),
        ):
            QShortcut(QKeySequence(key), self, button.click)

    # state

    @property
    def method(self) -> Method:
        if self.card_button.isChecked():
            return Method.CARD
        return Method.SPLIT if self.split_button.isChecked() else Method.CASH

    def choose(self, method: Method) -> None:
        {Method.CASH: self.cash_button, Method.CARD: self.card_button}.get(
            method, self.split_button
        ).setChecked(True)

    def set_card_amount(self, cents: int) -> None:
        self.card_edit.setText(self._shop.amount(cents))

    def set_tendered(self, cents: int) -> None:
        self.tendered_edit.setText(self._shop.amount(cents))
        self.tendered_edit.setFocus()

    def _on_method_changed(self, *_args: object) -> None:
        method = self.method
        self.card_panel.setVisible(method is Method.SPLIT)
        self.cash_panel.setVisible(method is not Method.CARD)
        self._on_amount_changed()
        self.adjustSize()
        if method is Method.SPLIT:
            self.card_edit.setFocus()
        elif method is Method.CASH:
            self.tendered_edit.setFocus()

    def _on_amount_changed(self, *_args: object) -> None:
        for label in (self.error_label, self.card_error, self.tendered_error):
            label.hide()
        tender = evaluate(
            self.method,
            self._total,
            card_text=self.card_edit.text(),
            tendered_text=self.tendered_edit.text(),
            shop=self._shop,
        )
        self.tender = tender
        if tender.problem_field == CARD_AMOUNT:
            self._show_field_error(self.card_error, tender.problem)
        elif tender.problem_field == TENDERED and tender.tendered_cents is None:
            self._show_field_error(self.tendered_error, tender.problem)
        self.cash_due_label.setText(self._money(tender.cash_due_cents))
        self.tendered_edit.setPlaceholderText(self._shop.amount(tender.cash_due_cents))
        self._show_change(tender)
        for button, amount in zip(self.quick_buttons, self._notes, strict=True):
            button.setEnabled(not self._busy and amount >= tender.cash_due_cents)
        self.confirm_button.setEnabled(not self._busy and tender.ready)

    def _show_change(self, tender: Tender) -> None:
        if tender.ready:
            self.change_label.setText(self._money(tender.change_cents))
            self.change_label.setStyleSheet(GOOD)
        elif tender.tendered_cents is not None:
            short = tender.cash_due_cents - tender.tendered_cents
            self.change_label.setText(
                self.tr("Too little: {0} still to pay").format(self._money(short))
            )
            self.change_label.setStyleSheet(WARNING)
        else:
            self.change_label.setText("—")
            self.change_label.setStyleSheet(WARNING)

    def _show_field_error(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.show()

    def _on_exact_clicked(self) -> None:
        self.set_tendered(self.tender.cash_due_cents or self._total)

    # charging

    def _on_confirm_clicked(self) -> None:
        if self._busy or not self.confirm_button.isEnabled() or not self.tender.ready:
            return
        payments, charge = list(self.tender.payments), self._charge
        self._set_busy(True)
        run_in_background(
            self, lambda: charge(payments), self._on_charge_succeeded, self._on_charge_failed
        )

    def _on_charge_succeeded(self, result: PurchaseResult) -> None:
        self._set_busy(False)
        self.purchase = result
        if result.committed:
            self.accept()
        else:
            super().reject()

    def _on_charge_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        field = error_field(error)
        if field == TENDERED and self.method is not Method.CARD:
            label = self.tendered_error
        elif field == "amount" and self.method is Method.SPLIT:
            label = self.card_error
        else:
            label = self.error_label
        self._show_field_error(label, describe_error(error))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm_button.setText(self.tr("Charging…") if busy else self.tr("Confirm  Enter"))
        for widget in (self.cancel_button, self.cash_button, self.card_button, self.split_button):
            widget.setEnabled(not busy)
        self.card_edit.setReadOnly(busy)
        self.tendered_edit.setReadOnly(busy)
        for button in [self.exact_button, *self.quick_buttons]:
            button.setEnabled(not busy)
        if busy:
            self.confirm_button.setEnabled(False)
        else:
            self._on_amount_changed()

    @property
    def busy(self) -> bool:
        return self._busy

    def reject(self) -> None:
        if not self._busy:
            super().reject()
