"""Promotions (managers and owners): the running, planned and past promotions, and their form.

Keyboard: Insert (or Ctrl+N) makes a new promotion, Enter on a row changes it, Ctrl+E ends it.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from pos_app.services import promotions
from pos_app.services.money import ShopFormat
from pos_app.services.promotions import PromotionInfo, PromotionStatus
from pos_app.services.roles import Role
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import button, error_label, table_view
from pos_app.ui.models import Column, RowTableModel
from pos_app.ui.ops import Op
from pos_app.ui.promotions.dialog import PromotionDialog
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.tasks import LatestOnly

PAST = QColor("#eceff3")
RUNNING = QColor("#e6f4ea")


class PromotionColumn(IntEnum):
    NAME = 0
    KIND = 1
    DEAL = 2
    COVERS = 3
    FROM = 4
    UNTIL = 5
    STATUS = 6


def day_text(fmt: ShopFormat, day: date | None) -> str:
    """A day as the shop writes its dates ('12/5/26', '05.12.26'); no end day is 'open'."""
    if day is None:
        return QCoreApplication.translate("promotions.screen", "open")
    return fmt.date(day)


def promotion_columns(fmt: ShopFormat) -> list[Column[PromotionInfo]]:
    return [
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "Name"), lambda p: p.name
        ),
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "Type"), lambda p: p.kind.label
        ),
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "Deal"), lambda p: p.deal
        ),
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "Covers"),
            lambda p: p.covers,
            tooltip=lambda p: "\n".join(t.name for t in p.targets),
        ),
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "From"),
            lambda p: day_text(fmt, p.starts_on),
        ),
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "Until"),
            lambda p: day_text(fmt, p.ends_on),
        ),
        Column[PromotionInfo](
            QCoreApplication.translate("promotions.screen", "Status"), lambda p: p.status.label
        ),
    ]


def row_colour(promotion: PromotionInfo) -> QColor | None:
    if promotion.status is PromotionStatus.RUNNING:
        return RUNNING
    if promotion.status in (PromotionStatus.OVER, PromotionStatus.ENDED):
        return PAST
    return None


class PromotionsScreen(QWidget):
    message = Signal(str, bool)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promotionsScreen")
        self._session = session
        self._allowed = session.may(Role.MANAGER)
        self._latest = LatestOnly(self)
        self.freshness = Freshness(self, Changes(promotions=True, catalog=True), self.refresh)
        self._select_id: int | None = None
        self.promotions = RowTableModel[PromotionInfo](promotion_columns(session.fmt), self)
        self.promotions.set_row_background(row_colour)
        self._build_ui()
        self._connect_signals()
        self._update_buttons()

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Promotions"))
        set_role(title, "title")
        self.new_button = button(
            "newPromotionButton", self.tr("New promotion…"), self.tr("Insert or Ctrl+N")
        )
        self.edit_button = button("editPromotionButton", self.tr("Change…"), self.tr("Enter"))
        self.end_button = button("endPromotionButton", self.tr("End now"), self.tr("Ctrl+E"))
        self.past_field = named(QCheckBox(self.tr("Show past promotions")), "showPastField")
        row = QHBoxLayout()
        for widget in (self.new_button, self.edit_button, self.end_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.past_field)
        self.view = table_view("promotionTable", self.promotions)
        for column, width in (
            (PromotionColumn.NAME, 180),
            (PromotionColumn.KIND, 90),
            (PromotionColumn.DEAL, 130),
            (PromotionColumn.COVERS, 230),
            (PromotionColumn.FROM, 105),
            (PromotionColumn.UNTIL, 105),
        ):
            self.view.setColumnWidth(column, width)
        self.error_label = error_label("promotionsError")
        self.hint_label = named(QLabel(self._hint()), "promotionsHint")
        self.hint_label.setWordWrap(True)
        set_role(self.hint_label, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.hint_label)

    def _hint(self) -> str:
        if not self._allowed:
            return self.tr("Only managers and owners can manage promotions.")
        return self.tr(
            "The till applies running promotions by itself: per line the one saving the customer "
            "most (equal savings: the older promotion); a line is in one promotion at most."
        )

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.end_button.clicked.connect(self._on_end_clicked)
        self.past_field.toggled.connect(self._on_past_toggled)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.activated.connect(self._on_view_activated)
        for key, slot, what in (
            ("Insert", self._on_new_clicked, "New promotion"),
            ("Ctrl+N", self._on_new_clicked, "New promotion"),
            ("Ctrl+E", self._on_end_clicked, "End the chosen promotion now"),
        ):
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._allowed:
            return
        self.freshness.mark_fresh()
        current = self.selected_promotion()
        if current is not None and self._select_id is None:
            self._select_id = current.id
        ctx, actor = self._session.ctx, self._session.user
        past = self.past_field.isChecked()
        self._latest.run(
            lambda: promotions.list_promotions(ctx, actor, include_past=past),
            self._on_loaded,
            self._on_request_failed,
        )

    def _on_loaded(self, rows: list[PromotionInfo]) -> None:
        self.promotions.set_rows(rows)
        wanted, self._select_id = self._select_id, None
        for number, promotion in enumerate(rows):
            if promotion.id == wanted:
                self.view.selectRow(number)
        if rows and self.selected_promotion() is None:
            self.view.selectRow(0)
        self.view.setFocus()
        self._update_buttons()

    # -- helpers ------------------------------------------------------------------------------

    def selected_promotion(self) -> PromotionInfo | None:
        return self.promotions.row_at(self.view.currentIndex())

    def _update_buttons(self) -> None:
        chosen = self.selected_promotion()
        open_one = self._allowed and chosen is not None and chosen.ended_at is None
        self.new_button.setEnabled(self._allowed)
        self.edit_button.setEnabled(open_one)
        self.end_button.setEnabled(open_one)

    def open_dialog(self, promotion: PromotionInfo | None = None) -> PromotionDialog:
        dialog = PromotionDialog(self._session, promotion, self)
        dialog.saved.connect(self._on_saved)
        dialog.finished.connect(lambda _code: self.view.setFocus())
        dialog.open()
        return dialog

    def confirm_end(self, promotion: PromotionInfo) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("End promotion"),
            self.tr("End “{0}” now? The till stops applying it at once.").format(promotion.name),
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- slots --------------------------------------------------------------------------------

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.error_label.hide()
        self._update_buttons()

    def _on_view_activated(self, _index: QModelIndex) -> None:
        self._on_edit_clicked()

    def _on_past_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_new_clicked(self) -> None:
        if self._allowed:
            self.open_dialog()

    def _on_edit_clicked(self) -> None:
        promotion = self.selected_promotion()
        if self._allowed and promotion is not None and promotion.ended_at is None:
            self.open_dialog(promotion)

    def _on_end_clicked(self) -> None:
        promotion = self.selected_promotion()
        if not self._allowed or promotion is None or promotion.ended_at is not None:
            return
        if not self.confirm_end(promotion):
            return
        ctx, actor = self._session.ctx, self._session.user
        Op(
            self,
            op=lambda: promotions.end_promotion(ctx, actor, promotion.id),
            success=self._on_ended,
            changes=Changes(promotions=True),
        ).failure(self._on_request_failed).with_busy(self.end_button).run()

    def _on_saved(self, promotion: PromotionInfo) -> None:
        self.message.emit(
            self.tr("Saved the promotion {0} ({1}).").format(promotion.name, promotion.deal), False
        )
        self._select_id = promotion.id
        self.refresh()

    def _on_ended(self, promotion: PromotionInfo) -> None:
        self.message.emit(self.tr("Ended the promotion {0}.").format(promotion.name), False)
        if self.past_field.isChecked():
            self._select_id = promotion.id
        self.refresh()

    def _on_request_failed(self, error: BaseException) -> None:
        text = describe_error(error)
        self.error_label.setText(text)
        self.error_label.show()
        self._update_buttons()
        self.message.emit(text, True)
