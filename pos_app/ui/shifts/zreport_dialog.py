"""A Z report on screen, kept as documents/zreports/Z<shift>.pdf, printable and savable elsewhere.

A closed shift's report is written to its PDF as soon as the dialog opens (again when a past
report is reopened), so a till without a printer keeps every Z report.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from pos_app.config import Settings
from pos_app.services.shift_figures import ZReport
from pos_app.ui.document_dialog import ActionNames, DocumentDialog
from pos_app.ui.documents import zreport_html
from pos_app.ui.hardware.devices import current_devices, pdf_only, queued_outcome
from pos_app.ui.printing import (
    RECEIPT_WIDTH_MM,
    Outcome,
    PrintOutcome,
    ask_pdf_path,
    documents_dir,
    outcome_message,
    print_html,
    save_pdf,
    save_pdf_as,
)
from pos_app.ui.receipts.view import ReceiptView
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.translation import QT_TRANSLATE_NOOP, translated

_ACTIONS = ActionNames(
    status="zreportStatus",
    print="zreportPrint",
    save="zreportSave",
    done="zreportClose",
    done_text=QT_TRANSLATE_NOOP("DocumentDialog", "Close  Enter"),
)


def zreport_name(shift_id: int) -> str:
    return f"Z{shift_id:08d}"


def zreport_pdf_path(settings: Settings, shift_id: int) -> Path:
    return documents_dir(settings) / "zreports" / f"{zreport_name(shift_id)}.pdf"


def report_html(session: UiSession, report: ZReport) -> str:
    settings = session.settings
    return zreport_html(
        report, settings.shop_format, shop_name=settings.shop_name, timezone=settings.timezone
    )


def difference_text(session: UiSession, report: ZReport) -> str:
    """Whether the counted drawer was short, over or right; the cash expected while open."""
    difference = report.difference_cents
    if difference is None:
        expected = session.money(report.expected_cash_cents)
        return translated(
            "ZReport",
            QT_TRANSLATE_NOOP("ZReport", "The shift is still open; cash expected so far {0}."),
        ).format(expected)
    if difference == 0:
        return QCoreApplication.translate("ZReport", "The drawer matches the expected cash.")
    amount = session.money(abs(difference))
    if difference < 0:
        return QCoreApplication.translate("ZReport", "The drawer is short by {0}.").format(amount)
    return QCoreApplication.translate("ZReport", "The drawer is over by {0}.").format(amount)


class ZReportDialog(DocumentDialog):
    """F5 prints, Ctrl+S saves the PDF elsewhere, Enter or Escape closes."""

    def __init__(self, session: UiSession, report: ZReport, parent: QWidget | None = None) -> None:
        super().__init__(report_html(session, report), parent)
        self.report = report
        self._session = session
        self.setObjectName("zreportDialog")
        self.setWindowTitle(self.tr("Z report — shift {0}").format(report.shift.id))
        self._build_ui()
        if not report.shift.is_open:
            self._keep_pdf()

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Z report — shift {0}").format(self.report.shift.id))
        set_role(title, "title")
        self.summary_label = named(
            QLabel(difference_text(self._session, self.report)), "zreportSummary"
        )
        difference = self.report.difference_cents or 0
        colour = "#1f6f43" if difference == 0 else "#b3261e"
        self.summary_label.setStyleSheet(f"font-size: 14pt; font-weight: bold; color: {colour};")
        text = ReceiptView("zreportText")
        text.show_html(self.html)
        text.fit_height(640)
        self.close_button = self._add_actions(_ACTIONS, (title, self.summary_label), text)

    def print_document(self) -> Outcome:
        devices = current_devices()
        if devices is not None and devices.escpos:
            devices.print_zreport(self.report)
            return queued_outcome(devices)
        if pdf_only(self._session.settings):
            return outcome_message(PrintOutcome.NO_PRINTER, self.pdf_path), False
        outcome = print_html(self, self.html, preview=True)
        return outcome_message(outcome, self.pdf_path), outcome is PrintOutcome.PRINTED

    def save_document(self) -> Outcome | None:
        return save_pdf_as(self, zreport_name(self.report.shift.id), self.html, ask_pdf_path)

    def _keep_pdf(self) -> None:
        shift_id = self.report.shift.id
        target = zreport_pdf_path(self._session.settings, shift_id)
        self._keep(
            lambda: save_pdf(self.html, target, page_width_mm=RECEIPT_WIDTH_MM),
            f"shift {shift_id}",
            "The Z report's PDF could not be saved.",
        )
