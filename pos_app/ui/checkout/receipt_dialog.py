"""The receipt after a sale: change due in large type, the receipt, Print and Save PDF.

The PDF is written to documents/receipts/<number>.pdf as soon as the dialog opens, so a till
without a printer still keeps every receipt; Print never waits for a missing printer.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.config import Settings
from pos_app.services.money import format_money
from pos_app.services.payments import CARD
from pos_app.services.receipts import Receipt
from pos_app.ui.documents import receipt_html
from pos_app.ui.receipts.view import ReceiptView, keep_pdf, print_receipt, save_receipt_as
from pos_app.ui.style import icon, mark_primary, named, set_role

log = logging.getLogger(__name__)


def change_summary(receipt: Receipt, currency: str) -> str:
    if any(payment.tender != CARD for payment in receipt.payments):
        return f"Change due: {format_money(receipt.change_cents, currency)}"
    return "Paid by card."


class ReceiptDialog(QDialog):
    """Enter or Escape starts the next sale; F5 prints, Ctrl+S saves a PDF elsewhere."""

    def __init__(self, receipt: Receipt, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.receipt = receipt
        self._settings = settings
        self.html = receipt_html(receipt, settings.currency)
        self.pdf_path: Path | None = None
        self.setObjectName("receiptDialog")
        self.setWindowTitle(f"Receipt {receipt.number}")
        self._build_ui()
        self._connect_signals()
        self._keep_pdf()

    def _build_ui(self) -> None:
        title = QLabel(f"Sale complete — {self.receipt.number}")
        set_role(title, "title")
        summary = named(
            QLabel(change_summary(self.receipt, self._settings.currency)), "receiptSummary"
        )
        summary.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1f6f43;")
        self.text = ReceiptView("receiptText")
        self.text.show_html(self.html)
        self.text.fit_height()
        self.status_label = named(QLabel(), "receiptStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = named(QPushButton(icon("print"), "Print  F5"), "receiptPrint")
        self.save_button = named(QPushButton(icon("pdf"), "Save PDF…  Ctrl+S"), "receiptSavePdf")
        self.done_button = named(QPushButton("Next sale  Enter"), "receiptDone")
        for button in (self.print_button, self.save_button):
            button.setAutoDefault(False)
        self.done_button.setDefault(True)
        mark_primary(self.done_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.done_button.clicked.connect(self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self._on_print_clicked)
        QShortcut(QKeySequence("Ctrl+S"), self, self._on_save_clicked)

    def plain_text(self) -> str:
        return self.text.toPlainText()

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        set_role(self.status_label, "error" if error else "muted")

    def _keep_pdf(self) -> None:
        try:
            self.pdf_path = keep_pdf(self._settings, self.receipt.number, self.html)
        except OSError:
            log.exception("could not keep the PDF of %s", self.receipt.number)
            self.show_status("The receipt's PDF could not be saved.", error=True)
            return
        self.show_status(f"Saved as {self.pdf_path}")

    def _on_print_clicked(self) -> None:
        text, ok = print_receipt(self, self._settings, self.receipt.number, self.html)
        self.show_status(text, error=not ok)
        self.done_button.setFocus()

    def _on_save_clicked(self) -> None:
        outcome = save_receipt_as(self, self.receipt.number, self.html)
        if outcome is not None:
            self.show_status(outcome[0], error=not outcome[1])
