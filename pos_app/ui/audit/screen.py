"""The audit log (owner): who did what at which till, newest first, filtered and paged lazily.

Filters: the action, the user, and a range of shop days (either end may be "Any"). Each change
queries again from the top; scrolling to the end fetches the next page. The selected entry's
details show in the panel beside the table, or below it when the window is too narrow for both.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QItemSelection, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import audit, users
from pos_app.services.audit import AuditEvent
from pos_app.services.paging import Page, PageRequest
from pos_app.services.roles import UserInfo
from pos_app.ui.audit.columns import action_label, audit_columns, detail_html, fit_audit_columns
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import table_view
from pos_app.ui.models import Fetch, PagedTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.tasks import run_in_background
from pos_app.ui.translation import QT_TRANSLATE_NOOP, day_entry_format

PAGE = 100
DETAIL_WIDTH = 300
DETAIL_HEIGHT = 200
SIDE_ROOM = 40  # the screen's margins and the splitter's handle
ANY_DAY = QDate(2000, 1, 1)
NOTHING_CHOSEN = QT_TRANSLATE_NOOP("AuditScreen", "Choose an entry to see everything about it.")


def _day(edit: QDateEdit) -> date | None:
    value = edit.date()
    if value == edit.minimumDate():
        return None
    return date(value.year(), value.month(), value.day())


class AuditScreen(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.freshness = Freshness(self, Changes.everything(), self.refresh)
        self.setObjectName("auditScreen")
        self._session = session
        self._users_loaded = False
        self.model: PagedTableModel[AuditEvent] = PagedTableModel(
            audit_columns(session), self._fetcher(), self, page_size=PAGE
        )
        self._build_ui()
        self._connect_signals()

    # layout

    def _nothing_chosen(self) -> str:
        return f"<p style='color:#5c6b7a;'>{self.tr(NOTHING_CHOSEN)}</p>"

    def _build_ui(self) -> None:
        self.action_combo = named(QComboBox(), "auditAction")
        self.action_combo.addItem(self.tr("All actions"), None)
        for action in audit.ACTIONS:
            self.action_combo.addItem(action_label(action), action)
        self.user_combo = named(QComboBox(), "auditUser")
        self.user_combo.addItem(self.tr("All users"), None)
        self.user_combo.setMinimumWidth(180)
        for combo in (self.action_combo, self.user_combo):
            # As wide as a short name, not as the longest entry, so the filters fit 1024 pixels.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self.from_edit = self._date_edit("auditFrom")
        self.to_edit = self._date_edit("auditTo")
        self.clear_button = named(QPushButton(self.tr("Clear filters")), "auditClear")
        self.refresh_button = named(QPushButton(self.tr("Refresh  F5")), "auditRefresh")
        self.refresh_button.setShortcut(Qt.Key.Key_F5)
        self.count_label = named(QLabel(), "auditCount")
        self.count_label.setWordWrap(True)
        set_role(self.count_label, "muted")
        self.table = table_view("auditTable", self.model, self)
        self.table_fit = fit_audit_columns(self.table, self._session)
        self.detail = named(QTextBrowser(), "auditDetail")
        self.detail.setMinimumSize(DETAIL_WIDTH // 2, DETAIL_HEIGHT // 2)
        self.detail.setHtml(self._nothing_chosen())
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("Action"), self.action_combo),
            (self.tr("User"), self.user_combo),
            (self.tr("From"), self.from_edit),
            (self.tr("To"), self.to_edit),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addStretch(1)
        # The buttons share a row with the count, so the filters fit a 1024-pixel screen.
        counted = QHBoxLayout()
        counted.addWidget(self.count_label, 1)
        counted.addWidget(self.clear_button)
        counted.addWidget(self.refresh_button)
        self.splitter = named(QSplitter(Qt.Orientation.Vertical), "auditSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addLayout(counted)
        layout.addWidget(self.splitter, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_detail()

    def _place_detail(self) -> None:
        """The detail pane beside the table when every column fits beside it, else below it."""
        beside = self.width() >= self.table_fit.wanted + DETAIL_WIDTH + SIDE_ROOM
        wanted = Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical
        if self.splitter.orientation() == wanted:
            return
        self.splitter.setOrientation(wanted)
        whole = self.splitter.width() if beside else self.splitter.height()
        pane = DETAIL_WIDTH if beside else DETAIL_HEIGHT
        self.splitter.setSizes([max(whole - pane, pane), pane])

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = named(QDateEdit(), name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(day_entry_format())
        edit.setMinimumDate(ANY_DAY)
        edit.setSpecialValueText(QCoreApplication.translate("AuditScreen", "Any"))
        edit.setDate(ANY_DAY)
        edit.setMinimumWidth(120)
        return edit

    def _connect_signals(self) -> None:
        self.action_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.user_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.from_edit.dateChanged.connect(self._on_filter_changed)
        self.to_edit.dateChanged.connect(self._on_filter_changed)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.failed.connect(self._on_model_failed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    # public

    def refresh(self) -> None:
        """Read the users for the filter (once) and the entries afresh."""
        self.freshness.mark_fresh()
        if not self._users_loaded:
            ctx, user = self._session.ctx, self._session.user
            run_in_background(
                self, lambda: users.list_users(ctx, user), self._on_users_loaded, self._on_failed
            )
        self._query()

    def set_action(self, action: str | None) -> None:
        self.action_combo.setCurrentIndex(max(0, self.action_combo.findData(action)))

    def set_user(self, user_id: int | None) -> None:
        self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(user_id)))

    def set_days(self, start: date | None, end: date | None) -> None:
        for edit, day in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day) if day else ANY_DAY)
            edit.blockSignals(False)
        self._on_filter_changed()

    def selected(self) -> AuditEvent | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    # querying

    def _fetcher(
        self,
        action: str | None = None,
        user_id: int | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Fetch[AuditEvent]:
        ctx, user = self._session.ctx, self._session.user

        def fetch(offset: int, limit: int, _key: str | None, _desc: bool) -> Page[AuditEvent]:
            return audit.list_audit(
                ctx,
                user,
                action=action,
                user_id=user_id,
                start=start,
                end=end,
                page=PageRequest(offset, limit),
            )

        return fetch

    def _query(self) -> None:
        start, end = _day(self.from_edit), _day(self.to_edit)
        if start is not None and end is not None and start > end:
            self.model.clear()
            self._show_count("The first day is after the last one.", error=True)
            return
        action = self.action_combo.currentData()
        user_id = self.user_combo.currentData()
        self.model.set_filter(self._fetcher(action, user_id, start, end))

    def _on_filter_changed(self, *_args: object) -> None:
        self._query()

    def _on_clear_clicked(self) -> None:
        for widget in (self.action_combo, self.user_combo, self.from_edit, self.to_edit):
            widget.blockSignals(True)
        self.action_combo.setCurrentIndex(0)
        self.user_combo.setCurrentIndex(0)
        self.from_edit.setDate(ANY_DAY)
        self.to_edit.setDate(ANY_DAY)
        for widget in (self.action_combo, self.user_combo, self.from_edit, self.to_edit):
            widget.blockSignals(False)
        self._query()

    def _on_users_loaded(self, people: list[UserInfo]) -> None:
        self._users_loaded = True
        chosen = self.user_combo.currentData()
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        self.user_combo.addItem(self.tr("All users"), None)
        for person in sorted(people, key=lambda p: p.full_name.casefold()):
            suffix = "" if person.is_active else " (inactive)"
            self.user_combo.addItem(f"{person.full_name}{suffix}", person.id)
        self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(chosen)))
        self.user_combo.blockSignals(False)

    def _on_model_loaded(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if shown < total:
            count = self.tr("{0} entries, {1} loaded — scroll for more.").format(total, shown)
        elif total == 1:
            count = self.tr("1 entry.")
        else:
            count = self.tr("{0} entries.").format(total)
        self._show_count(count)
        if self.selected() is None:
            self.detail.setHtml(self._nothing_chosen())

    def _on_model_failed(self, text: str) -> None:
        self._show_count(text, error=True)

    def _on_failed(self, error: BaseException) -> None:
        self._show_count(describe_error(error), error=True)

    def _show_count(self, text: str, *, error: bool = False) -> None:
        self.count_label.setText(text)
        set_role(self.count_label, "error" if error else "muted")

    def _on_selection_changed(self, _selected: QItemSelection, _old: QItemSelection) -> None:
        event = self.selected()
        self.detail.setHtml(detail_html(event, self._session) if event else self._nothing_chosen())
