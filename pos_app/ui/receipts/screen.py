"""Past receipts: find one by number (scan or type 'R00000123') or list a day's, view, reprint.

Enter in the number field looks the receipt up; the date picker lists that shop day's receipts,
newest first. The selected receipt (or a refund slip found by its number) shows on the right; F5
reprints it (marked COPY) and Ctrl+S saves it as a PDF. Without a printer its PDF is kept and
the path shown.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QDate, QItemSelection, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import receipt_search, receipts
from pos_app.services.receipt_search import ReceiptSummary
from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.column_fit import WIDE_AMOUNT_CENTS, WIDEST_MOMENT, ColumnFit
from pos_app.ui.documents import receipt_html, refund_html
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import add_shortcuts, receipt_number_edit, table_view
from pos_app.ui.models import Column, RowTableModel
from pos_app.ui.printing import refund_pdf_path
from pos_app.ui.receipts.view import ReceiptView, print_receipt, save_receipt_as
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, named, set_role
from pos_app.ui.tasks import LatestOnly
from pos_app.ui.translation import day_entry_format

DAY_LIMIT = 200


class SummaryColumn(IntEnum):
    RECEIPT = 0
    TIME = 1
    TILL = 2
    CASHIER = 3
    TOTAL = 4
    REFUNDED = 5


def summary_columns(session: UiSession) -> list[Column[ReceiptSummary]]:
    return [
        Column(QCoreApplication.translate("receipts.screen", "Receipt"), lambda row: row.number),
        Column(
            QCoreApplication.translate("receipts.screen", "Time"),
            lambda row: session.fmt.time(row.local_time),
        ),
        Column(QCoreApplication.translate("receipts.screen", "Till"), lambda row: row.till_id),
        Column(
            QCoreApplication.translate("receipts.screen", "Cashier"), lambda row: row.cashier_name
        ),
        Column(
            QCoreApplication.translate("receipts.screen", "Total"),
            lambda row: session.money(row.total_cents),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("receipts.screen", "Refunded"),
            lambda row: refunded_text(session, row),
            align_right=True,
        ),
    ]


def refunded_text(session: UiSession, row: ReceiptSummary) -> str:
    """Empty for a receipt nothing was paid back on; 'all' or the amount otherwise."""
    if not row.refunded_cents:
        return ""
    if row.refunded_cents >= row.total_cents:
        return QCoreApplication.translate("receipts.screen", "all")
    return session.money(row.refunded_cents)


def fit_summary_columns(view: QTableView, session: UiSession) -> ColumnFit:
    """The cashier's name takes what is left; the till, then what was refunded, step aside when
    narrow (the receipt beside the list shows both)."""
    money = session.money(WIDE_AMOUNT_CENTS)
    return ColumnFit(
        view,
        stretch=SummaryColumn.CASHIER,
        minimum="Cara Stone",
        samples={
            SummaryColumn.RECEIPT: "R00012345",
            SummaryColumn.TIME: session.fmt.time(WIDEST_MOMENT.replace(tzinfo=None)),
            SummaryColumn.TILL: "till-12",
            SummaryColumn.TOTAL: money,
            SummaryColumn.REFUNDED: money,
        },
        spare=(SummaryColumn.REFUNDED, SummaryColumn.TILL),
    )


def summary_of(receipt: Receipt) -> ReceiptSummary:
    return ReceiptSummary(
        number=receipt.number,
        sale_id=receipt.sale_id,
        created_at=receipt.created_at,
        local_time=receipt.local_time,
        till_id=receipt.till_id,
        cashier_name=receipt.cashier_name,
        total_cents=receipt.total_cents,
        refunded_cents=receipt.refunded_cents,
    )


class ReceiptsScreen(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.freshness = Freshness(self, Changes(sales=True, refunds=True), self.refresh)
        self.setObjectName("receiptsScreen")
        self._session = session
        self._list = LatestOnly(self)
        self._detail = LatestOnly(self)
        self.receipt: Receipt | None = None
        self.refund: RefundInfo | None = None
        self.model: RowTableModel[ReceiptSummary] = RowTableModel(summary_columns(session), self)
        self._build_ui()
        self._connect_signals()
        self._on_receipt_shown(None)

    # layout

    def _build_ui(self) -> None:
        self.number_edit = receipt_number_edit(
            "receiptNumber",
            self.tr("Scan or type a receipt or refund slip number, e.g. R00000123"),
        )
        self.setFocusProxy(self.number_edit)
        self.find_button = named(QPushButton(self.tr("Find  Enter")), "receiptFind")
        self.date_edit = named(QDateEdit(), "receiptDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat(f"ddd {day_entry_format()}")
        self.date_edit.setDate(self._today())
        self.day_button = named(QPushButton(self.tr("Show day")), "receiptShowDay")
        self.message_label = named(QLabel(), "receiptsMessage")
        self.message_label.setWordWrap(True)
        self.table = table_view("receiptsTable", self.model, self)
        self.column_fit = fit_summary_columns(self.table, self._session)
        self.preview = ReceiptView("receiptPreview")
        self.print_button = named(
            QPushButton(icon("print"), self.tr("Reprint  F5")), "receiptReprint"
        )
        self.save_button = named(
            QPushButton(icon("pdf"), self.tr("Save PDF…  Ctrl+S")), "receiptSave"
        )

        search = QHBoxLayout()
        search.addWidget(self.number_edit, 2)
        search.addWidget(self.find_button)
        search.addSpacing(20)
        search.addWidget(QLabel(self.tr("Day")))
        search.addWidget(self.date_edit)
        search.addWidget(self.day_button)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        body = QHBoxLayout()
        body.setSpacing(14)
        body.addWidget(self.table, 1)
        body.addLayout(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(8)
        layout.addLayout(search)
        layout.addWidget(self.message_label)
        layout.addLayout(body, 1)

    def _connect_signals(self) -> None:
        self.number_edit.returnPressed.connect(self._on_find_clicked)
        self.find_button.clicked.connect(self._on_find_clicked)
        self.day_button.clicked.connect(self._on_day_clicked)
        self.date_edit.dateChanged.connect(self._on_day_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        add_shortcuts(
            self, ((Qt.Key.Key_F5, self._on_print_clicked), ("Ctrl+S", self._on_save_clicked))
        )

    # public

    def refresh(self) -> None:
        """List the chosen day afresh and put the cursor in the number field."""
        self.freshness.mark_fresh()
        self.show_day(self.chosen_day())
        self.number_edit.setFocus()

    def look_up(self, number: str) -> None:
        self.number_edit.setText(number)
        self._on_find_clicked()

    def show_day(self, day: date) -> None:
        if self.chosen_day() != day:
            self.date_edit.setDate(QDate(day.year, day.month, day.day))  # lists via dateChanged
            return
        ctx, user = self._session.ctx, self._session.user
        self._list.run(
            lambda: receipt_search.find_receipts(ctx, user, date=day, limit=DAY_LIMIT),
            lambda rows: self._on_day_loaded(day, rows),
            self._on_failed,
        )

    def chosen_day(self) -> date:
        value = self.date_edit.date()
        return date(value.year(), value.month(), value.day())

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        set_role(self.message_label, "error" if error else "info")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.number_edit.setFocus()

    # finding

    def _today(self) -> QDate:
        today = self._session.ctx.local_date(self._session.ctx.now())
        return QDate(today.year, today.month, today.day)

    def _on_find_clicked(self) -> None:
        text = self.number_edit.text().strip()
        if not text:
            self.show_message(self.tr("Scan or type a receipt number first."), error=True)
            return
        ctx, user, settings = self._session.ctx, self._session.user, self._session.settings
        if receipts.is_refund_number(text):
            self._list.run(
                lambda: receipts.get_refund(ctx, user, text), self._on_refund_found, self._on_failed
            )
            return
        self._list.run(
            lambda: receipts.get_receipt(
                ctx, user, text, shop_name=settings.shop_name, shop_address=settings.shop_address
            ),
            self._on_number_found,
            self._on_failed,
        )

    def _on_refund_found(self, refund: RefundInfo) -> None:
        """A refund slip on the right; its receipt's number stays at hand in the message."""
        self._detail.cancel()
        self.model.set_rows([])
        self._on_receipt_shown(None)
        self.refund = refund
        self.preview.show_html(self._slip_html(refund))
        self._enable_output(True)
        self.number_edit.selectAll()
        paid = self._session.money(refund.total_cents)
        message = self.tr("Refund slip {0}: {1} paid back against receipt {2}.").format(
            refund.number, paid, refund.receipt_number
        )
        if refund.reason:
            message += " " + self.tr("Reason: {0}").format(refund.reason)
        self.show_message(message)

    def _on_number_found(self, receipt: Receipt) -> None:
        self._detail.cancel()
        self._on_receipt_shown(receipt)
        self.model.set_rows([summary_of(receipt)])
        self.table.selectRow(0)
        self.number_edit.selectAll()
        day = self._session.fmt.date_time(receipt.local_time)
        self.show_message(self.tr("Receipt {0} from {1}.").format(receipt.number, day))

    def _on_day_clicked(self, *_args: object) -> None:
        self.show_day(self.chosen_day())

    def _on_day_loaded(self, day: date, rows: list[ReceiptSummary]) -> None:
        self.model.set_rows(rows)
        label = self._session.fmt.long_date(day)
        if not rows:
            self._on_receipt_shown(None)
            self.show_message(self.tr("No receipts on {0}.").format(label))
            return
        if len(rows) == DAY_LIMIT:
            found = self.tr("%Ln receipt(s) on {0} (the latest ones).", "", len(rows))
        else:
            found = self.tr("%Ln receipt(s) on {0}.", "", len(rows))
        self.show_message(found.format(label))
        self.table.selectRow(0)

    def _on_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0]) if rows else None
        if summary is None or (self.receipt and self.receipt.sale_id == summary.sale_id):
            return
        ctx, user, settings = self._session.ctx, self._session.user, self._session.settings
        self._detail.run(
            lambda: receipts.get_receipt(
                ctx,
                user,
                summary.sale_id,
                shop_name=settings.shop_name,
                shop_address=settings.shop_address,
            ),
            self._on_detail_loaded,
            self._on_failed,
        )

    def _on_detail_loaded(self, receipt: Receipt) -> None:
        self._on_receipt_shown(receipt)

    def _on_failed(self, error: BaseException) -> None:
        self.show_message(describe_error(error), error=True)

    def _slip_html(self, refund: RefundInfo, *, copy: bool = False) -> str:
        settings = self._session.settings
        return refund_html(
            refund,
            settings.shop_format,
            shop_name=settings.shop_name,
            shop_address=settings.shop_address,
            timezone=settings.timezone,
            copy=copy,
        )

    def _on_receipt_shown(self, receipt: Receipt | None) -> None:
        self.receipt, self.refund = receipt, None
        if receipt is None:
            choose = self.tr("Choose a receipt.")
            self.preview.show_html(f"<p align='center'>{choose}</p>")
        else:
            self.preview.show_html(receipt_html(receipt, self._session.fmt))
        self._enable_output(receipt is not None)

    def _enable_output(self, enabled: bool) -> None:
        self.print_button.setEnabled(enabled)
        self.save_button.setEnabled(enabled)

    # output

    def _shown_copy(self) -> tuple[str, str] | None:
        """The number and the page (marked COPY) of the receipt or refund slip shown."""
        if self.receipt is not None:
            return self.receipt.number, receipt_html(self.receipt, self._session.fmt, copy=True)
        if self.refund is not None:
            return self.refund.number, self._slip_html(self.refund, copy=True)
        return None

    def _on_print_clicked(self) -> None:
        shown = self._shown_copy()
        if shown is None:
            return
        number, html = shown
        settings = self._session.settings
        # A slip's PDF stays with the refund slips, where the refund first kept it. A slip goes
        # through the page printer: the ESC/POS queue's refund slip also opens the drawer.
        pdf_path = refund_pdf_path(settings, number) if self.refund is not None else None
        text, ok = print_receipt(self, settings, number, html, self.receipt, pdf_path=pdf_path)
        self.show_message(text, error=not ok)

    def _on_save_clicked(self) -> None:
        shown = self._shown_copy()
        if shown is None:
            return
        outcome = save_receipt_as(self, *shown)
        if outcome is not None:
            self.show_message(outcome[0], error=not outcome[1])
