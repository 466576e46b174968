"""One receipt on screen, and the print / PDF actions the till and the Receipts screen share."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTextBrowser, QWidget

from pos_app.config import Settings
from pos_app.ui.printing import (
    RECEIPT_WIDTH_MM,
    PrintOutcome,
    ask_pdf_path,
    outcome_message,
    print_html,
    receipt_pdf_path,
    save_pdf,
)
from pos_app.ui.style import named

log = logging.getLogger(__name__)
RECEIPT_CHARS = 46


class ReceiptView(QTextBrowser):
    """A receipt as wide as a paper roll (in characters of the current font)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, name)
        self.setOpenLinks(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        width = QFontMetrics(self.font()).averageCharWidth() * RECEIPT_CHARS + 40
        self.setMinimumWidth(width)
        self.setStyleSheet("QTextBrowser { background: #ffffff; }")

    def show_html(self, html: str) -> None:
        self.setHtml(html)

    def fit_height(self, limit: int = 620) -> None:
        """Grow to the receipt's height, scrolling beyond ``limit`` pixels."""
        document = self.document().clone(self)
        document.setTextWidth(self.minimumWidth() - 24)
        self.setMinimumHeight(min(limit, int(document.size().height()) + 12))
        document.deleteLater()


def keep_pdf(settings: Settings, number: str, html: str) -> Path:
    """The receipt's PDF in documents/receipts/<number>.pdf (written again if it exists)."""
    return save_pdf(html, receipt_pdf_path(settings, number), page_width_mm=RECEIPT_WIDTH_MM)


Outcome = tuple[str, bool]
"""A sentence for the cashier and whether all went well."""


def print_receipt(parent: QWidget, settings: Settings, number: str, html: str) -> Outcome:
    """Print without a preview; when nothing printed, make sure the PDF is there and say where."""
    outcome = print_html(parent, html, preview=False)
    if outcome is PrintOutcome.PRINTED:
        return outcome_message(outcome, None), True
    path = receipt_pdf_path(settings, number)
    if not path.is_file():
        try:
            keep_pdf(settings, number, html)
        except OSError:
            log.exception("could not keep the PDF of %s", number)
            return f"{outcome.message} The PDF could not be saved either.", False
    return outcome_message(outcome, path), False


def save_receipt_as(parent: QWidget, number: str, html: str) -> Outcome | None:
    """Ask for a file name and save the PDF there; None when the person cancelled."""
    path = ask_pdf_path(parent, Path.home() / f"{number}.pdf")
    if path is None:
        return None
    try:
        save_pdf(html, path, page_width_mm=RECEIPT_WIDTH_MM)
    except OSError:
        log.exception("could not save %s", path)
        return f"The PDF could not be saved to {path}.", False
    return f"Saved {path}.", True
