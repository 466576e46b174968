"""Sales and refunds rung before a shift was required (owners): the money on no Z report.

Listed, newest first, for the owner to reconcile by hand; nothing is rewritten.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from pos_app.services import shifts
from pos_app.services.paging import Page, PageRequest
from pos_app.services.receipts import receipt_number
from pos_app.services.shifts import UnshiftedEntry
from pos_app.ui.forms import table_view
from pos_app.ui.models import Column, PagedTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role

PAGE = 50
KINDS = {"sale": "Sale", "refund": "Refund"}


def unshifted_columns(session: UiSession) -> list[Column[UnshiftedEntry]]:

    def signed(row: UnshiftedEntry) -> str:
        amount = session.money(row.total_cents)
        return f"-{amount}" if row.kind == "refund" else amount

    return [
        Column(
            QCoreApplication.translate("shifts.unshifted", "Kind"),
            lambda row: KINDS.get(row.kind, row.kind),
        ),
        Column(
            QCoreApplication.translate("shifts.unshifted", "Receipt"),
            lambda row: receipt_number(row.sale_id),
        ),
        Column(QCoreApplication.translate("shifts.unshifted", "Till"), lambda row: row.till_id),
        Column(
            QCoreApplication.translate("shifts.unshifted", "When"),
            lambda row: session.when(row.created_at),
        ),
        Column(
            QCoreApplication.translate("shifts.unshifted", "Cashier"), lambda row: row.cashier_name
        ),
        Column(QCoreApplication.translate("shifts.unshifted", "Amount"), signed, align_right=True),
    ]


class UnshiftedList(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unshiftedList")
        ctx, user = session.ctx, session.user

        def fetch(offset: int, limit: int, _key: str | None, _desc: bool) -> Page[UnshiftedEntry]:
            return shifts.unshifted_entries(ctx, user, page=PageRequest(offset, limit))

        self.model: PagedTableModel[UnshiftedEntry] = PagedTableModel(
            unshifted_columns(session), fetch, self, page_size=PAGE
        )
        self._build_ui()
        self.model.loaded.connect(self._on_model_loaded)
        self.model.failed.connect(self._on_model_failed)

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Rung with no shift"))
        set_role(title, "title")
        self.count_label = named(QLabel(), "unshiftedCount")
        self.count_label.setWordWrap(True)
        set_role(self.count_label, "muted")
        self.table = table_view("unshiftedTable", self.model, self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.count_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.model.refresh()

    def _on_model_loaded(self) -> None:
        total = self.model.total
        if total == 0:
            self.count_label.setText(self.tr("None: every sale and refund is on a Z report."))
        else:
            self.count_label.setText(
                self.tr(
                    "%Ln sale(s) and refund(s) are on no Z report; reconcile them by hand.",
                    "",
                    total,
                )
            )
        set_role(self.count_label, "muted" if total == 0 else "error")

    def _on_model_failed(self, text: str) -> None:
        self.count_label.setText(text)
        set_role(self.count_label, "error")
