"""Taking the money: cash with change due, or card; the sale is committed from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

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
    QVBoxLayout,
    QWidget,
)

from pos_app.services.checkout import PurchaseResult
from pos_app.services.errors import ValidationError
from pos_app.services.money import format_plain, parse_money
from pos_app.ui.errors import describe_error
from pos_app.ui.style import icon, mark_primary, named, set_role
from pos_app.ui.tasks import run_in_background

ROUND_STEPS = (100, 500, 1000, 2000, 5000, 10000, 20000)
QUICK_AMOUNTS = 4


class Method(StrEnum):
    CASH = "cash"
    CARD = "card"

    @property
    def label(self) -> str:
        return "Cash" if self is Method.CASH else "Card"


@dataclass(frozen=True)
class Payment:
    method: Method
    tendered_cents: int
    change_cents: int


def quick_amounts(total_cents: int) -> list[int]:
    """Round notes a customer is likely to hand over: the next whole 1, 5, 10, 20, 50 ... above."""
    amounts: list[int] = []
    for step in ROUND_STEPS:
        amount = -(-total_cents // step) * step
        if amount > total_cents and amount not in amounts:
            amounts.append(amount)
        if len(amounts) == QUICK_AMOUNTS:
            break
    return amounts


class PayDialog(QDialog):
    """Accepted once the sale is committed (``purchase``); rejected when cancelled or refused."""

    def __init__(
        self,
        total_cents: int,
        money: Callable[[int], str],
        charge: Callable[[], PurchaseResult],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._total = total_cents
        self._money = money
        self._charge = charge
        self._busy = False
        self.purchase: PurchaseResult | None = None
        self.payment: Payment | None = None
        self.setObjectName("payDialog")
        self.setWindowTitle("Payment")
        self.setModal(True)
        self._build_ui()
        self._connect_signals()
        self._on_method_changed()

    def _build_ui(self) -> None:
        self.setMinimumWidth(480)
        caption = QLabel("Amount due")
        set_role(caption, "muted")
        self.total_label = named(QLabel(self._money(self._total)), "payTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)

        self.cash_button = named(QPushButton(icon("pay"), "Cash  F5"), "payCash")
        self.card_button = named(QPushButton(icon("card"), "Card  F6"), "payCard")
        self.methods = QButtonGroup(self)
        for button in (self.cash_button, self.card_button):
            button.setCheckable(True)
            button.setAutoDefault(False)
            self.methods.addButton(button)
        self.cash_button.setChecked(True)

        self.cash_panel = named(QWidget(), "payCashPanel")
        self.tendered_edit = named(QLineEdit(), "payTendered")
        self.tendered_edit.setPlaceholderText(format_plain(self._total))
        self.tendered_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.exact_button = named(QPushButton("Exact"), "payExact")
        self.quick_buttons = [
            named(QPushButton(self._money(amount)), f"payQuick{i}")
            for i, amount in enumerate(quick_amounts(self._total))
        ]
        self.change_label = named(QLabel(), "payChange")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid = QGridLayout(self.cash_panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Tendered"), 0, 0)
        grid.addWidget(self.tendered_edit, 0, 1, 1, 3)
        quick = QHBoxLayout()
        for button in [self.exact_button, *self.quick_buttons]:
            button.setAutoDefault(False)
            quick.addWidget(button)
        grid.addLayout(quick, 1, 0, 1, 4)
        grid.addWidget(QLabel("Change"), 2, 0)
        grid.addWidget(self.change_label, 2, 1, 1, 3)

        self.error_label = named(QLabel(), "payError")
        self.error_label.setWordWrap(True)
        set_role(self.error_label, "error")
        self.error_label.hide()
        self.confirm_button = named(QPushButton("Confirm  Enter"), "payConfirm")
        self.confirm_button.setDefault(True)
        mark_primary(self.confirm_button)
        self.cancel_button = named(QPushButton("Back  Esc"), "payCancel")
        self.cancel_button.setAutoDefault(False)

        methods = QHBoxLayout()
        methods.addWidget(self.cash_button)
        methods.addWidget(self.card_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(14)
        layout.addWidget(caption)
        layout.addWidget(self.total_label)
        layout.addLayout(methods)
        layout.addWidget(self.cash_panel)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.tendered_edit.setFocus()

    def _connect_signals(self) -> None:
        self.methods.buttonToggled.connect(self._on_method_changed)
        self.tendered_edit.textChanged.connect(self._on_tendered_changed)
        self.exact_button.clicked.connect(self._on_exact_clicked)
        for button, amount in zip(self.quick_buttons, quick_amounts(self._total), strict=True):
            button.clicked.connect(lambda _=False, cents=amount: self._set_tendered(cents))
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.cash_button.click)
        QShortcut(QKeySequence(Qt.Key.Key_F6), self, self.card_button.click)

    @property
    def method(self) -> Method:
        return Method.CARD if self.card_button.isChecked() else Method.CASH

    def tendered_cents(self) -> int | None:
        """What the customer handed over; the exact amount when the field is left empty."""
        text = self.tendered_edit.text().strip()
        if not text:
            return self._total
        try:
            return parse_money(text, "tendered")
        except ValidationError:
            return None

    def _on_method_changed(self, *_args: object) -> None:
        self.cash_panel.setVisible(self.method is Method.CASH)
        self.adjustSize()
        self._on_tendered_changed()
        if self.method is Method.CASH:
            self.tendered_edit.setFocus()

    def _on_tendered_changed(self, *_args: object) -> None:
        self.error_label.hide()
        if self.method is Method.CARD:
            self.confirm_button.setEnabled(not self._busy)
            return
        tendered = self.tendered_cents()
        if tendered is None:
            self._show_change("Enter an amount such as 20.00.", ok=False)
        elif tendered < self._total:
            self._show_change(f"{self._money(self._total - tendered)} still to pay", ok=False)
        else:
            self._show_change(self._money(tendered - self._total), ok=True)
        self.confirm_button.setEnabled(
            not self._busy and tendered is not None and tendered >= self._total
        )

    def _show_change(self, text: str, *, ok: bool) -> None:
        self.change_label.setText(text)
        self.change_label.setStyleSheet("" if ok else "color: #b3261e; font-size: 13pt;")

    def _on_exact_clicked(self) -> None:
        self._set_tendered(self._total)

    def _set_tendered(self, cents: int) -> None:
        self.tendered_edit.setText(format_plain(cents))
        self.tendered_edit.setFocus()

    def _on_confirm_clicked(self) -> None:
        if self._busy or not self.confirm_button.isEnabled():
            return
        tendered = self._total if self.method is Method.CARD else self.tendered_cents()
        if tendered is None or tendered < self._total:
            return
        self.payment = Payment(self.method, tendered, tendered - self._total)
        self._set_busy(True)
        run_in_background(self, self._charge, self._on_charge_succeeded, self._on_charge_failed)

    def _on_charge_succeeded(self, result: PurchaseResult) -> None:
        self._set_busy(False)
        self.purchase = result
        if result.committed:
            self.accept()
        else:
            super().reject()

    def _on_charge_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(describe_error(error))
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm_button.setText("Charging…" if busy else "Confirm  Enter")
        for widget in (self.confirm_button, self.cancel_button, self.cash_button, self.card_button):
            widget.setEnabled(not busy)
        self.tendered_edit.setReadOnly(busy)

    def reject(self) -> None:
        if not self._busy:
            super().reject()
