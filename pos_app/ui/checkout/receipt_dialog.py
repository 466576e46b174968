"""The receipt after a sale: change due in large type, the receipt, Print and Save PDF.

The PDF is written to documents/receipts/<number>.pdf as soon as the dialog opens, so a till
without a printer still keeps every receipt; Print never waits for a missing printer.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.config import Settings
from pos_app.services.money import ShopFormat
from pos_app.services.payments import CARD
from pos_app.services.receipts import Receipt
from pos_app.ui.document_dialog import ActionNames, DocumentDialog
from pos_app.ui.documents import receipt_html
from pos_app.ui.printing import Outcome
from pos_app.ui.receipts.view import ReceiptView, keep_pdf, print_receipt, save_receipt_as
from pos_app.ui.style import named, set_role
from pos_app.ui.translation import QT_TRANSLATE_NOOP

_ACTIONS = ActionNames(
    status="receiptStatus",
    print="receiptPrint",
    save="receiptSavePdf",
    done="receiptDone",
    done_text=QT_TRANSLATE_NOOP("DocumentDialog", "Next sale  Enter"),
)


def change_summary(receipt: Receipt, shop: ShopFormat) -> str:
    if any(payment.tender != CARD for payment in receipt.payments):
        return QCoreApplication.translate("ReceiptDialog", "Change due: {0}").format(
            shop.money(receipt.change_cents)
        )
    return "Paid by card."


class ReceiptDialog(DocumentDialog):
    """Enter or Escape starts the next sale; F5 prints, Ctrl+S saves a PDF elsewhere.

    A barcode scanned, or a SKU typed, while the receipt shows starts the next sale too: the
    dialog closes and the scan goes on in the checkout's scan field, nothing of it lost.
    """

    # The first character of a scan typed while the receipt showed.
    next_scan_started = Signal(str)

    def __init__(self, receipt: Receipt, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(receipt_html(receipt, settings.shop_format), parent)
        self.receipt = receipt
        self._settings = settings
        self.setObjectName("receiptDialog")
        self.setWindowTitle(self.tr("Receipt {0}").format(receipt.number))
        self._build_ui()
        self._keep_pdf()

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Sale complete — {0}").format(self.receipt.number))
        set_role(title, "title")
        summary = named(
            QLabel(change_summary(self.receipt, self._settings.shop_format)), "receiptSummary"
        )
        summary.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1f6f43;")
        text = ReceiptView("receiptText")
        text.show_html(self.html)
        text.fit_height()
        self.done_button = self._add_actions(_ACTIONS, (title, summary), text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        commands = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        if text.isprintable() and text.strip() and not event.modifiers() & commands:
            self.next_scan_started.emit(text)
            self.accept()
            return
        super().keyPressEvent(event)

    def print_document(self) -> Outcome:
        return print_receipt(self, self._settings, self.receipt.number, self.html, self.receipt)

    def save_document(self) -> Outcome | None:
        return save_receipt_as(self, self.receipt.number, self.html)

    def _keep_pdf(self) -> None:
        number = self.receipt.number
        self._keep(
            lambda: keep_pdf(self._settings, number, self.html),
            number,
            "The receipt's PDF could not be saved.",
        )
