"""One receipt on screen, and the print / PDF actions the till and the Receipts screen share."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTextBrowser, QWidget

from pos_app.config import Settings
from pos_app.services.receipts import Receipt
from pos_app.ui.hardware.devices import current_devices, pdf_only, queued_outcome
from pos_app.ui.printing import (
    RECEIPT_WIDTH_MM,
    Outcome,
    PrintOutcome,
    ask_pdf_path,
    print_html,
    print_outcome,
    receipt_pdf_path,
    save_pdf,
    save_pdf_as,
)
from pos_app.ui.style import named

log = logging.getLogger(__name__)
RECEIPT_CHARS = 46
SHORTEST_HEIGHT = 160


class ReceiptView(QTextBrowser):
    """A receipt as wide as a paper roll (in characters of the current font)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, name)
        self._wanted_height = 0
        self.setOpenLinks(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        width = QFontMetrics(self.font()).averageCharWidth() * RECEIPT_CHARS + 40
        self.setMinimumWidth(width)
        self.setStyleSheet("QTextBrowser { background: #ffffff; }")

    def show_html(self, html: str) -> None:
        self.setHtml(html)

    def fit_height(self, limit: int = 620) -> None:
        """Ask for the receipt's height, up to ``limit`` pixels. Only asked, not required: on a
        short screen the dialog shrinks and the receipt scrolls, its buttons stay in view."""
        document = self.document().clone(self)
        document.setTextWidth(self.minimumWidth() - 24)
        self._wanted_height = min(limit, int(document.size().height()) + 12)
        self.setMinimumHeight(min(self._wanted_height, SHORTEST_HEIGHT))
        self.updateGeometry()
        document.deleteLater()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._wanted_height:
            hint.setHeight(self._wanted_height)
        return hint


def keep_pdf(settings: Settings, number: str, html: str) -> Path:
    """The receipt's PDF in documents/receipts/<number>.pdf (written again if it exists)."""
    return save_pdf(html, receipt_pdf_path(settings, number), page_width_mm=RECEIPT_WIDTH_MM)


def print_receipt(
    parent: QWidget,
    settings: Settings,
    number: str,
    html: str,
    receipt: Receipt | None = None,
    *,
    copy: bool = True,
    pdf_path: Path | None = None,
) -> Outcome:
    """Print without a preview (on the ESC/POS printer when the till has one); when nothing
    printed, make sure the PDF is there and say where: the receipt's in documents/receipts,
    unless ``pdf_path`` names another (a refund slip's)."""
    devices = current_devices()
    if devices is not None and devices.escpos and receipt is not None:
        devices.print_receipt(receipt, copy=copy)
        return queued_outcome(devices)
    if pdf_only(settings):
        outcome = PrintOutcome.NO_PRINTER
    else:
        outcome = print_html(parent, html, preview=False)
    if outcome is PrintOutcome.PRINTED:
        return print_outcome(outcome, None)
    path = pdf_path or receipt_pdf_path(settings, number)
    if not path.is_file():
        try:
            save_pdf(html, path, page_width_mm=RECEIPT_WIDTH_MM)
        except OSError:
            log.exception("could not keep the PDF of %s", number)
            return print_outcome(outcome, None)
    return print_outcome(outcome, path)


def save_receipt_as(parent: QWidget, number: str, html: str) -> Outcome | None:
    """Ask for a file name and save the PDF there; None when the person cancelled."""
    return save_pdf_as(parent, number, html, ask_pdf_path)
