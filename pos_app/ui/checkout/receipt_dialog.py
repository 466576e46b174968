"""The receipt shown after a sale: shop, lines, total, payment, change, cashier and local time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape

from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.checkout import SoldLine
from pos_app.ui.checkout.pay_dialog import Method, Payment
from pos_app.ui.style import mark_primary, named, set_role

WIDTH = 40


@dataclass(frozen=True)
class Receipt:
    shop_name: str
    shop_address: str
    sale_id: int | None
    till_id: str
    cashier: str
    when: datetime
    lines: list[SoldLine]
    total_cents: int
    payment: Payment


def _row(left: str, right: str, width: int = WIDTH) -> str:
    room = max(1, width - len(right) - 1)
    if len(left) > room:
        left = left[: room - 1] + "…"
    return f"{left:<{room}} {right}"


def receipt_text(receipt: Receipt, money: Callable[[int], str]) -> str:
    """The receipt as fixed-width lines, as a receipt printer would print it."""
    rule = "-" * WIDTH
    out = [receipt.shop_name.center(WIDTH), receipt.shop_address.center(WIDTH), rule]
    for line in receipt.lines:
        out.append(_row(line.product_name, money(line.revenue_cents)))
        if line.quantity != 1:
            out.append(f"  {line.quantity} x {money(line.unit_price_cents)}")
    out += [rule, _row("TOTAL", money(receipt.total_cents))]
    if receipt.payment.method is Method.CASH:
        out.append(_row("Cash", money(receipt.payment.tendered_cents)))
        out.append(_row("Change", money(receipt.payment.change_cents)))
    else:
        out.append(_row("Card", money(receipt.total_cents)))
    out += [
        rule,
        _row("Served by", receipt.cashier),
        _row(receipt.when.strftime("%d/%m/%Y %H:%M"), f"Till {receipt.till_id}"),
    ]
    if receipt.sale_id is not None:
        out.append(_row("Sale", f"#{receipt.sale_id}"))
    out.append("Thank you!".center(WIDTH))
    return "\n".join(out)


class ReceiptDialog(QDialog):
    """Enter or Escape starts the next sale."""

    def __init__(
        self, receipt: Receipt, money: Callable[[int], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.receipt = receipt
        self._money = money
        self.setObjectName("receiptDialog")
        self.setWindowTitle("Receipt")
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        title = QLabel("Sale complete")
        set_role(title, "title")
        change = self.receipt.payment.change_cents
        summary = named(
            QLabel(
                f"Change due: {self._money(change)}"
                if self.receipt.payment.method is Method.CASH
                else "Paid by card."
            ),
            "receiptSummary",
        )
        summary.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1f6f43;")
        self.text = named(QTextBrowser(), "receiptText")
        self.text.setHtml(f"<pre>{escape(receipt_text(self.receipt, self._money))}</pre>")
        self._fit_text()
        self.done_button = named(QPushButton("Next sale  Enter"), "receiptDone")
        self.done_button.setDefault(True)
        mark_primary(self.done_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)

    def _fit_text(self) -> None:
        """As wide as a receipt line and as tall as the receipt (scrolling past 560 px)."""
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(10)
        self.text.setFont(font)
        self.text.document().setDefaultFont(font)
        width = QFontMetrics(font).horizontalAdvance("M" * WIDTH) + 48
        document = self.text.document()
        document.setTextWidth(width)
        height = int(document.size().height()) + 16
        self.text.setFixedWidth(width)
        self.text.setMinimumHeight(min(560, height))

    def _connect_signals(self) -> None:
        self.done_button.clicked.connect(self.accept)

    def plain_text(self) -> str:
        return receipt_text(self.receipt, self._money)
