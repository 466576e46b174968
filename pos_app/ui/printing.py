"""Printing and PDF files for receipts, refunds and Z reports.

Documents are HTML rendered by ``QTextDocument``. ``save_pdf`` always works (no printer needed);
``print_html`` sends a document to the default printer and, when the till has none, returns
``PrintOutcome.NO_PRINTER`` at once so the caller can tell the cashier and point to the PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from pos_app.config import Settings
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translated

log = logging.getLogger(__name__)

PDF_DPI = 300
RECEIPT_WIDTH_MM = 80.0
RECEIPT_MARGIN_MM = 4.0
MM_PER_INCH = 25.4


Outcome = tuple[str, bool]
"""A sentence for the cashier and whether all went well."""


class PrintOutcome(StrEnum):
    PRINTED = "printed"
    CANCELLED = "cancelled"
    NO_PRINTER = "no_printer"
    FAILED = "failed"

    @property
    def message(self) -> str:
        return translated("Printing", _MESSAGES[self])


_MESSAGES = {
    PrintOutcome.PRINTED: QT_TRANSLATE_NOOP("Printing", "Sent to the printer."),
    PrintOutcome.CANCELLED: QT_TRANSLATE_NOOP("Printing", "Printing was cancelled."),
    PrintOutcome.NO_PRINTER: QT_TRANSLATE_NOOP("Printing", "No printer is connected to this till."),
    PrintOutcome.FAILED: QT_TRANSLATE_NOOP("Printing", "The printer reported an error."),
}


def documents_dir(settings: Settings) -> Path:
    """Where receipts/ and zreports/ PDFs are kept."""
    return settings.data_dir / "documents"


def receipt_pdf_path(settings: Settings, number: str) -> Path:
    return documents_dir(settings) / "receipts" / f"{number}.pdf"


def refund_pdf_path(settings: Settings, number: str) -> Path:
    return documents_dir(settings) / "refunds" / f"{number}.pdf"


def _document(html: str) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(html)
    return document


def save_pdf(html: str, path: Path, *, page_width_mm: float | None = None) -> Path:
    """Write ``html`` as a PDF (folders created). A4 pages, or one roll page this many mm wide."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setCreator("Till")
    document = _document(html)
    if page_width_mm is None:
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        document.print_(writer)
    else:
        _paint_roll(document, writer, page_width_mm)
    if not path.is_file():
        raise OSError(f"could not write {path}")
    return path


def _paint_roll(document: QTextDocument, writer: QPdfWriter, width_mm: float) -> None:
    """One page as tall as the document, like a receipt printer's paper roll."""
    document.documentLayout().setPaintDevice(writer)
    document.setDocumentMargin(0)
    dots_per_mm = PDF_DPI / MM_PER_INCH
    content_mm = width_mm - 2 * RECEIPT_MARGIN_MM
    document.setTextWidth(content_mm * dots_per_mm)
    height_mm = document.size().height() / dots_per_mm + 2 * RECEIPT_MARGIN_MM
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QSizeF(width_mm, height_mm), QPageSize.Unit.Millimeter, "Receipt roll"),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    painter = QPainter(writer)
    try:
        margin = RECEIPT_MARGIN_MM * dots_per_mm
        painter.translate(margin, margin)
        document.drawContents(painter)
    finally:
        painter.end()


def default_printer() -> QPrinter | None:
    """The till's default printer (or its only one); None when no printer is installed."""
    printers = QPrinterInfo.availablePrinters()
    if not printers:
        return None
    info = QPrinterInfo.defaultPrinter()
    if info.isNull():
        info = printers[0]
    return QPrinter(info, QPrinter.PrinterMode.HighResolution)


def print_html(parent: QWidget, html: str, *, preview: bool = True) -> PrintOutcome:
    """Print on the default printer, after a preview when ``preview``; never waits for a printer."""
    printer = default_printer()
    if printer is None:
        return PrintOutcome.NO_PRINTER
    document = _document(html)
    if preview:
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setObjectName("printPreview")
        dialog.paintRequested.connect(document.print_)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        if not accepted:
            return PrintOutcome.CANCELLED
    else:
        document.print_(printer)
    if printer.printerState() == QPrinter.PrinterState.Error:
        log.warning("printer %s reported an error", printer.printerName())
        return PrintOutcome.FAILED
    return PrintOutcome.PRINTED


def outcome_message(outcome: PrintOutcome, pdf_path: Path | None) -> str:
    """One sentence for the cashier; when nothing was printed it names the PDF kept instead."""
    if outcome is PrintOutcome.PRINTED or pdf_path is None:
        return outcome.message
    return QCoreApplication.translate("Printing", "{0} A PDF copy is kept at {1}.").format(
        outcome.message, pdf_path
    )


def print_outcome(outcome: PrintOutcome, kept_pdf: Path | None) -> Outcome:
    """What printing did; when nothing printed, the PDF kept instead (None: it could not be)."""
    if outcome is PrintOutcome.PRINTED:
        return outcome_message(outcome, None), True
    if kept_pdf is None:
        sentence = QCoreApplication.translate("Printing", "{0} The PDF could not be saved either.")
        return sentence.format(outcome.message), False
    return outcome_message(outcome, kept_pdf), False


def ask_pdf_path(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to save a PDF (tests replace this); None when cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Save as PDF", str(suggested), "PDF files (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def save_pdf_as(
    parent: QWidget, name: str, html: str, ask: Callable[[QWidget, Path], Path | None]
) -> Outcome | None:
    """Ask (with ``ask``) where to save ``name``.pdf and write it there; None when cancelled."""
    path = ask(parent, Path.home() / f"{name}.pdf")
    if path is None:
        return None
    try:
        save_pdf(html, path, page_width_mm=RECEIPT_WIDTH_MM)
    except OSError:
        log.exception("could not save %s", path)
        return f"The PDF could not be saved to {path}.", False
    return f"Saved {path}.", True


__all__ = [
    "RECEIPT_WIDTH_MM",
    "Outcome",
    "PrintOutcome",
    "ask_pdf_path",
    "default_printer",
    "documents_dir",
    "outcome_message",
    "print_html",
    "print_outcome",
    "receipt_pdf_path",
    "refund_pdf_path",
    "save_pdf",
    "save_pdf_as",
]
