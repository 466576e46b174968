"""The refunds screen's right side: the receipt being refunded from, or the slip just paid."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.ui.documents import receipt_html
from pos_app.ui.receipts.view import ReceiptView
from pos_app.ui.refunds.slip import slip_html
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.translation import QT_TRANSLATE_NOOP

EMPTY = QT_TRANSLATE_NOOP("RefundPreview", "Scan a receipt to refund from it.")


class RefundPreview(QWidget):
    """A title over the receipt or the refund slip; a slip stays while its receipt is read again."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._slip_shown_for: int | None = None
        self.title = named(QLabel(), "refundPreviewTitle")
        set_role(self.title, "muted")
        self.view = ReceiptView("refundPreview")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)  # as on the rest of the screen
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)

    def show_receipt(self, receipt: Receipt | None) -> None:
        """Show the receipt, unless the slip of a refund from it is showing."""
        keep_slip = receipt is not None and receipt.sale_id == self._slip_shown_for
        self._slip_shown_for = None
        if keep_slip:
            return
        if receipt is None:
            self.title.setText(self.tr("Receipt"))
            self.view.show_html(f"<p align='center'>{self.tr(EMPTY)}</p>")
        else:
            self.title.setText(self.tr("Receipt {0}").format(receipt.number))
            self.view.show_html(receipt_html(receipt, self._session.fmt))

    def show_slip(self, refund: RefundInfo) -> None:
        """The slip stays on the right while the receipt is read again."""
        self._slip_shown_for = refund.sale_id
        self.title.setText(self.tr("Refund slip {0}").format(refund.number))
        self.view.show_html(slip_html(self._session, refund))
