"""Choose the products and categories a promotion covers: search on the left, chosen on the right.

Typing searches categories and active products by name (in the background); Enter or a double
click on a result adds it, Delete on a chosen entry removes it, so the picker works without a
mouse.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from pos_app.services import catalog, product_lookup
from pos_app.services.paging import PageRequest
from pos_app.services.promotions import TargetInfo
from pos_app.ui.errors import describe_error
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.tasks import LatestOnly

SEARCH_DELAY_MS = 200
RESULT_LIMIT = 30
DATA = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Found:
    """The answer of one search: categories first, then products."""

    categories: list[TargetInfo]
    products: list[TargetInfo]


class TargetPicker(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetPicker")
        self._session = session
        self._latest = LatestOnly(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.search_field = named(QLineEdit(), "targetSearchField")
        self.search_field.setPlaceholderText(self.tr("Find a product or category…"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMaxLength(100)
        self.results = named(QListWidget(), "targetResults")
        self.chosen = named(QListWidget(), "chosenTargets")
        for widget in (self.results, self.chosen):
            widget.setMinimumHeight(110)
            widget.setMaximumHeight(150)
        self.add_button = named(QPushButton(self.tr("Add →")), "addTargetButton")
        self.remove_button = named(QPushButton(self.tr("Remove")), "removeTargetButton")
        self.status_label = named(QLabel(), "targetSearchStatus")
        set_role(self.status_label, "muted")
        chosen_title = QLabel(self.tr("Covered by the promotion"))
        set_role(chosen_title, "muted")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.search_field, 0, 0)
        grid.addWidget(chosen_title, 0, 1)
        grid.addWidget(self.results, 1, 0)
        grid.addWidget(self.chosen, 1, 1)
        grid.addWidget(self.add_button, 2, 0)
        grid.addWidget(self.remove_button, 2, 1)
        grid.addWidget(self.status_label, 3, 0, 1, 2)

    def _connect_signals(self) -> None:
        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.search_field.returnPressed.connect(self._on_search_field_return_pressed)
        self._timer.timeout.connect(self.search_now)
        self.results.itemActivated.connect(self._on_result_activated)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.chosen.installEventFilter(self)

    # -- what is chosen -----------------------------------------------------------------------

    def set_targets(self, targets: tuple[TargetInfo, ...]) -> None:
        self.chosen.clear()
        for target in targets:
            self._add(target)

    def targets(self) -> list[TargetInfo]:
        return [self.chosen.item(row).data(DATA) for row in range(self.chosen.count())]

    def product_ids(self) -> frozenset[int]:
        return frozenset(t.product_id for t in self.targets() if t.product_id is not None)

    def category_ids(self) -> frozenset[int]:
        return frozenset(t.category_id for t in self.targets() if t.category_id is not None)

    def _add(self, target: TargetInfo) -> None:
        if any(_same(target, chosen) for chosen in self.targets()):
            return
        item = QListWidgetItem(target.name)
        item.setData(DATA, target)
        self.chosen.addItem(item)

    # -- searching ----------------------------------------------------------------------------

    def search_now(self) -> None:
        self._timer.stop()
        text = self.search_field.text().strip()
        if not text:
            self._latest.cancel()
            self.results.clear()
            self.status_label.clear()
            return
        ctx, actor = self._session.ctx, self._session.user

        def search() -> Found:
            categories = catalog.list_categories(
                ctx,
                actor,
                search=text,
                page=PageRequest(limit=RESULT_LIMIT),
                include_inactive=False,
            ).items
            products = product_lookup.suggest_products(ctx, actor, text, limit=RESULT_LIMIT)
            return Found(
                [TargetInfo(None, c.id, f"{c.name} (category)") for c in categories],
                [TargetInfo(p.id, None, p.name) for p in products],
            )

        self._latest.run(search, self._on_search_done, self._on_search_failed)

    def _on_search_done(self, found: Found) -> None:
        self.results.clear()
        for target in [*found.categories, *found.products]:
            item = QListWidgetItem(target.name)
            item.setData(DATA, target)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)
            self.status_label.setText(
                self.tr("Enter or double click adds; Delete removes a chosen one.")
            )
        else:
            self.status_label.setText(self.tr("Nothing found by that name."))

    def _on_search_failed(self, error: BaseException) -> None:
        self.status_label.setText(describe_error(error))

    # -- slots --------------------------------------------------------------------------------

    def _on_search_field_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_search_field_return_pressed(self) -> None:
        if self._timer.isActive() or not self.results.count():
            self.search_now()
            return
        self._on_add_clicked()

    def _on_result_activated(self, item: QListWidgetItem) -> None:
        self._add(item.data(DATA))

    def _on_add_clicked(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._add(item.data(DATA))

    def _on_remove_clicked(self) -> None:
        row = self.chosen.currentRow()
        if row >= 0:
            self.chosen.takeItem(row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.chosen
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            self._on_remove_clicked()
            return True
        return super().eventFilter(watched, event)


def _same(one: TargetInfo, other: TargetInfo) -> bool:
    return (one.product_id, one.category_id) == (other.product_id, other.category_id)
