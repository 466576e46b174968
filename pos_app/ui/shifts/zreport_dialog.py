"""A Z report on screen, kept as documents/zreports/Z<shift>.pdf, printable and savable elsewhere.

A closed shift's report is written to its PDF as soon as the dialog opens (again when a past
report is reopened), so a till without a printer keeps every Z report.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.config import Settings
from pos_app.services.shifts import ZReport
from pos_app.ui.documents import zreport_html
from pos_app.ui.printing import (
    RECEIPT_WIDTH_MM,
    PrintOutcome,
    ask_pdf_path,
    documents_dir,
    outcome_message,
    print_html,
    save_pdf,
)
from pos_app.ui.receipts.view import ReceiptView
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, mark_primary, named, set_role

log = logging.getLogger(__name__)


def zreport_name(shift_id: int) -> str:
    return f"Z{shift_id:08d}"


def zreport_pdf_path(settings: Settings, shift_id: int) -> Path:
    return documents_dir(settings) / "zreports" / f"{zreport_name(shift_id)}.pdf"


def report_html(session: UiSession, report: ZReport) -> str:
    settings = session.settings
    return zreport_html(
        report, settings.currency, shop_name=settings.shop_name, timezone=settings.timezone
    )


def difference_text(session: UiSession, report: ZReport) -> str:
    """Whether the counted drawer was short, over or right; the cash expected while open."""
    difference = report.difference_cents
    if difference is None:
        expected = session.money(report.expected_cash_cents)
        return f"The shift is still open; cash expected so far {expected}."
    if difference == 0:
        return "The drawer matches the expected cash."
    word = "short" if difference < 0 else "over"
    return f"The drawer is {word} by {session.money(abs(difference))}."


class ZReportDialog(QDialog):
    """F5 prints, Ctrl+S saves the PDF elsewhere, Enter or Escape closes."""

    def __init__(self, session: UiSession, report: ZReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self._session = session
        self.html = report_html(session, report)
        self.pdf_path: Path | None = None
        self.setObjectName("zreportDialog")
        self.setWindowTitle(f"Z report — shift {report.shift.id}")
        self._build_ui()
        self._connect_signals()
        if not report.shift.is_open:
            self._keep_pdf()

    def _build_ui(self) -> None:
        title = QLabel(f"Z report — shift {self.report.shift.id}")
        set_role(title, "title")
        self.summary_label = named(
            QLabel(difference_text(self._session, self.report)), "zreportSummary"
        )
        difference = self.report.difference_cents or 0
        colour = "#1f6f43" if difference == 0 else "#b3261e"
        self.summary_label.setStyleSheet(f"font-size: 14pt; font-weight: bold; color: {colour};")
        self.text = ReceiptView("zreportText")
        self.text.show_html(self.html)
        self.text.fit_height(640)
        self.status_label = named(QLabel(), "zreportStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = named(QPushButton(icon("print"), "Print  F5"), "zreportPrint")
        self.save_button = named(QPushButton(icon("pdf"), "Save PDF…  Ctrl+S"), "zreportSave")
        self.close_button = named(QPushButton("Close  Enter"), "zreportClose")
        for button in (self.print_button, self.save_button):
            button.setAutoDefault(False)
        self.close_button.setDefault(True)
        mark_primary(self.close_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 20, 20, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.close_button.clicked.connect(self.accept)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self._on_print_clicked)
        QShortcut(QKeySequence("Ctrl+S"), self, self._on_save_clicked)

    def plain_text(self) -> str:
        return self.text.toPlainText()

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status_label.setText(text)
        set_role(self.status_label, "error" if error else "muted")

    def _keep_pdf(self) -> None:
        target = zreport_pdf_path(self._session.settings, self.report.shift.id)
        try:
            self.pdf_path = save_pdf(self.html, target, page_width_mm=RECEIPT_WIDTH_MM)
        except OSError:
            log.exception("could not keep the PDF of shift %s", self.report.shift.id)
            self.show_status("The Z report's PDF could not be saved.", error=True)
            return
        self.show_status(f"Saved as {self.pdf_path}")

    def _on_print_clicked(self) -> None:
        outcome = print_html(self, self.html, preview=True)
        self.show_status(
            outcome_message(outcome, self.pdf_path), error=outcome is not PrintOutcome.PRINTED
        )
        self.close_button.setFocus()

    def _on_save_clicked(self) -> None:
        name = f"{zreport_name(self.report.shift.id)}.pdf"
        path = ask_pdf_path(self, Path.home() / name)
        if path is None:
            return
        try:
            save_pdf(self.html, path, page_width_mm=RECEIPT_WIDTH_MM)
        except OSError:
            log.exception("could not save %s", path)
            self.show_status(f"The PDF could not be saved to {path}.", error=True)
            return
        self.show_status(f"Saved {path}.")
