"""Past shifts of every till (managers and owners), newest first; any Z report can be reopened."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from pos_app.services import shifts
from pos_app.services.paging import Page, PageRequest
from pos_app.services.shifts import ShiftInfo
from pos_app.ui.column_fit import WIDE_AMOUNT_CENTS, WIDEST_MOMENT, ColumnFit
from pos_app.ui.forms import table_view
from pos_app.ui.models import Column, PagedTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, named, set_role

SHORT = QColor("#fbe3e1")
OVER = QColor("#fff4d6")
PAGE = 50


class ShiftColumn(IntEnum):
    ID = 0
    TILL = 1
    OPENED = 2
    BY = 3
    CLOSED = 4
    FLOAT = 5
    EXPECTED = 6
    COUNTED = 7
    DIFFERENCE = 8


def shift_columns(session: UiSession) -> list[Column[ShiftInfo]]:

    def when(moment: datetime | None) -> str:
        return session.when(moment) if moment else "open"

    def money(cents: int | None) -> str:
        return session.money(cents) if cents is not None else ""

    def signed(cents: int | None) -> str:
        if cents is None:
            return ""
        return ("+" if cents > 0 else "") + session.money(cents)

    return [
        Column(
            QCoreApplication.translate("shifts.history", "Shift"),
            lambda row: row.id,
            align_right=True,
        ),
        Column(QCoreApplication.translate("shifts.history", "Till"), lambda row: row.till_id),
        Column(
            QCoreApplication.translate("shifts.history", "Opened"), lambda row: when(row.opened_at)
        ),
        Column(QCoreApplication.translate("shifts.history", "By"), lambda row: row.opened_by_name),
        Column(
            QCoreApplication.translate("shifts.history", "Closed"), lambda row: when(row.closed_at)
        ),
        Column(
            QCoreApplication.translate("shifts.history", "Float"),
            lambda row: money(row.float_cents),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("shifts.history", "Expected"),
            lambda row: money(row.expected_cash_cents),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("shifts.history", "Counted"),
            lambda row: money(row.counted_cents),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("shifts.history", "Difference"),
            lambda row: signed(row.difference_cents),
            align_right=True,
        ),
    ]


def fit_shift_columns(view: QTableView, session: UiSession) -> ColumnFit:
    """Who opened the shift takes what is left; the float, the expected and the counted cash,
    the till, the shift's number, then when it closed step aside when narrow (beside the open
    shift's report, which is as wide as a paper roll): when it opened and the difference are what
    a manager looks for, and the Z report shows the rest."""
    when, money = session.when(WIDEST_MOMENT), session.money(WIDE_AMOUNT_CENTS)
    return ColumnFit(
        view,
        stretch=ShiftColumn.BY,
        minimum="Cara Stone",
        samples={
            ShiftColumn.ID: "12345",
            ShiftColumn.TILL: "till-12",
            ShiftColumn.OPENED: when,
            ShiftColumn.CLOSED: when,
            ShiftColumn.FLOAT: money,
            ShiftColumn.EXPECTED: money,
            ShiftColumn.COUNTED: money,
            ShiftColumn.DIFFERENCE: "+" + money,
        },
        spare=(
            ShiftColumn.CLOSED,
            ShiftColumn.ID,
            ShiftColumn.TILL,
            ShiftColumn.COUNTED,
            ShiftColumn.EXPECTED,
            ShiftColumn.FLOAT,
        ),
    )


def difference_colour(row: ShiftInfo) -> QColor | None:
    if not row.difference_cents:
        return None
    return SHORT if row.difference_cents < 0 else OVER


class ShiftHistory(QWidget):
    """Emits ``report_requested(shift_id)`` on Enter, double click or the button."""

    report_requested = Signal(int)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftHistory")
        self._session = session
        ctx, user = session.ctx, session.user

        def fetch(offset: int, limit: int, _key: str | None, _desc: bool) -> Page[ShiftInfo]:
            return shifts.list_shifts(ctx, user, page=PageRequest(offset, limit))

        self.model: PagedTableModel[ShiftInfo] = PagedTableModel(
            shift_columns(session), fetch, self, page_size=PAGE
        )
        self.model.set_row_background(difference_colour)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Past shifts"))
        set_role(title, "title")
        self.count_label = named(QLabel(), "shiftHistoryCount")
        set_role(self.count_label, "muted")
        self.table = table_view("shiftHistoryTable", self.model, self)
        self.column_fit = fit_shift_columns(self.table, self._session)
        self.show_button = named(
            QPushButton(icon("receipt"), self.tr("Show Z report  Enter")), "shiftShowReport"
        )
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def _connect_signals(self) -> None:
        self.show_button.clicked.connect(self._on_show_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.failed.connect(self._on_model_failed)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table, self._on_show_clicked)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.setWhatsThis(self.tr("Show the Z report of the chosen shift"))

    def refresh(self) -> None:
        self.model.refresh()

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def selected(self) -> ShiftInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def _on_show_clicked(self) -> None:
        shift = self.selected()
        if shift is not None:
            self.report_requested.emit(shift.id)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        shift = self.model.row_at(index)
        if shift is not None:
            self.report_requested.emit(shift.id)

    def _on_model_loaded(self) -> None:
        self.count_label.setText(self.tr("%Ln shift(s)", "", self.model.total))
        self.show_button.setEnabled(self.model.rowCount() > 0)
        set_role(self.count_label, "muted")

    def _on_model_failed(self, text: str) -> None:
        self.count_label.setText(text)
        set_role(self.count_label, "error")
