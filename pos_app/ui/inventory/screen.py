"""Inventory: stock levels with low stock highlighted, restocking, adjustments, movement history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import catalog, inventory
from pos_app.services.catalog import ProductInfo
from pos_app.services.inventory import MovementInfo, StockLevel
from pos_app.services.paging import Page, PageRequest
from pos_app.services.roles import Role
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.forms import (
    button,
    down_goes_to_list,
    enable_sql_sorting,
    table_view,
)
from pos_app.ui.hardware.devices import current_devices
from pos_app.ui.hardware.labels import LabelsDialog
from pos_app.ui.inventory.columns import (
    StockColumn,
    fit_movement_columns,
    fit_stock_columns,
    movement_columns,
    stock_columns,
)
from pos_app.ui.inventory.dialogs import AdjustDialog
from pos_app.ui.inventory.restock import RestockPanel
from pos_app.ui.models import Fetch, PagedTableModel
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.style import set_role

LOW_STOCK = QColor("#fde8d7")
MAX_THRESHOLD = 100_000


class InventoryScreen(QWidget):
    """Stock for managers and owners; ``message`` reports results to the status bar."""

    message = Signal(str, bool)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inventoryScreen")
        self._session = session
        self.restocked_ids: list[int] = []
        self.labels_dialog: LabelsDialog | None = None
        self._can_edit = session.may(Role.MANAGER)
        self._search = ""
        self._threshold = session.settings.low_stock_threshold
        self._low_only = False
        self._select_product_id: int | None = None
        self.stock = PagedTableModel[StockLevel](
            stock_columns(session.when, session.fmt), self._stock_fetch(), self, sort_key="name"
        )
        self.stock.set_row_background(self._low_stock_background)
        self.movements = PagedTableModel[MovementInfo](
            movement_columns(session.when, session.fmt), self._movement_fetch(None), self
        )
        self._build_ui()
        self._connect_signals()
        self._update_buttons()
        self.freshness = Freshness(self, Changes(catalog=True, stock=True), self.refresh)

    # -- building -----------------------------------------------------------------------------

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Inventory"))
        set_role(title, "title")
        self.filter_field = QLineEdit()
        self.filter_field.setObjectName("stockFilter")
        self.setFocusProxy(self.filter_field)
        self.filter_field.setPlaceholderText(self.tr("Filter by name, SKU or barcode  (Ctrl+F)"))
        self.filter_field.setClearButtonEnabled(True)
        self.threshold_field = QSpinBox()
        self.threshold_field.setObjectName("lowStockThreshold")
        self.threshold_field.setRange(0, MAX_THRESHOLD)
        self.threshold_field.setValue(self._threshold)
        self.threshold_field.setToolTip(
            self.tr(
                "Rows at or below this quantity (kg for products sold by weight) are highlighted"
            )
        )
        self.low_only_box = QCheckBox(self.tr("Low stock only"))
        self.low_only_box.setObjectName("lowStockOnly")
        self.adjust_button = button(
            "adjustButton", self.tr("Adjust…"), self.tr("Correct the selected product")
        )
        row = QHBoxLayout()
        row.addWidget(self.filter_field, 1)
        row.addWidget(QLabel(self.tr("Low stock at or below")))
        row.addWidget(self.threshold_field)
        row.addWidget(self.low_only_box)
        row.addWidget(self.adjust_button)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self._build_tables())
        self.restock_panel = RestockPanel(self._session)
        self.restock_panel.setEnabled(self._can_edit)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        side_layout.addWidget(self.restock_panel)
        self.restock_labels_button = button(
            "restockLabelsButton",
            self.tr("Labels for restocked…"),
            self.tr("Shelf labels of the restocked products"),
        )
        self.restock_labels_button.setEnabled(False)
        side_layout.addWidget(self.restock_labels_button)
        side_layout.addStretch(1)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([960, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)

    def _build_tables(self) -> QWidget:
        self.stock_view = table_view("stockTable", self.stock)
        enable_sql_sorting(self.stock_view, StockColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.stock_fit = fit_stock_columns(self.stock_view, self._session.when)
        self.count_label = QLabel()
        self.count_label.setObjectName("stockCount")
        set_role(self.count_label, "muted")
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.stock_view)
        upper_layout.addWidget(self.count_label)
        self.history_box = QGroupBox(self.tr("Movements"))
        self.history_box.setObjectName("historyBox")
        self.movement_view = table_view("movementTable", self.movements)
        self.movement_fit = fit_movement_columns(self.movement_view, self._session.when)
        history_layout = QVBoxLayout(self.history_box)
        history_layout.addWidget(self.movement_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(self.history_box)
        splitter.setSizes([460, 240])
        return splitter

    def _connect_signals(self) -> None:
        self.filter_field.textChanged.connect(self._on_filter_text_changed)
        down_goes_to_list(self.filter_field, self.stock_view)
        self.threshold_field.valueChanged.connect(self._on_threshold_value_changed)
        self.low_only_box.toggled.connect(self._on_low_only_toggled)
        self.stock.loaded.connect(self._on_stock_loaded)
        self.stock.failed.connect(self._on_load_failed)
        self.movements.failed.connect(self._on_load_failed)
        self.stock_view.selectionModel().selectionChanged.connect(self._on_stock_selection_changed)
        self.stock_view.activated.connect(self._on_adjust_clicked)
        self.adjust_button.clicked.connect(self._on_adjust_clicked)
        self.restock_panel.restocked.connect(self._on_stock_restocked)
        self.restock_labels_button.clicked.connect(self._on_restock_labels_clicked)
        for keys, slot, what in (
            ("Ctrl+F", self._on_filter_shortcut_activated, "Filter the stock list"),
            ("Ctrl+R", self._on_restock_shortcut_activated, "Restock: to the code field"),
            ("Ctrl+J", self._on_adjust_clicked, "Adjust the chosen product's stock"),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)
            shortcut.activated.connect(slot)

    # -- queries ------------------------------------------------------------------------------

    def _stock_fetch(self) -> Fetch[StockLevel]:
        ctx, actor = self._session.ctx, self._session.user
        search = self._search or None
        below = self._threshold if self._low_only else None

        def fetch(offset: int, limit: int, sort: str | None, descending: bool) -> Page[StockLevel]:
            return inventory.list_stock(
                ctx,
                actor,
                page=PageRequest(offset, limit),
                sort=sort or "name",
                descending=descending,
                search=search,
                below=below,
            )

        return fetch

    def _movement_fetch(self, product_id: int | None) -> Fetch[MovementInfo]:
        ctx, actor = self._session.ctx, self._session.user

        def fetch(offset: int, limit: int, _sort: str | None, _desc: bool) -> Page[MovementInfo]:
            if product_id is None:
                return Page(items=[], total=0, offset=offset, limit=limit)
            return inventory.movement_history(
                ctx, actor, product_id, page=PageRequest(offset, limit)
            )

        return fetch

    def refresh(self) -> None:
        self.freshness.mark_fresh()
        product = self.selected_level()
        if product is not None and self._select_product_id is None:
            self._select_product_id = product.product_id
        self.stock.set_filter(self._stock_fetch())

    # -- helpers ------------------------------------------------------------------------------

    @property
    def threshold(self) -> int:
        return self._threshold

    def selected_level(self) -> StockLevel | None:
        return self.stock.row_at(self.stock_view.currentIndex())

    def is_low(self, level: StockLevel) -> bool:
        return inventory.is_low_stock(level, self._threshold)

    def _low_stock_background(self, level: StockLevel) -> QColor | None:
        return LOW_STOCK if self.is_low(level) else None

    def _update_buttons(self) -> None:
        self.adjust_button.setEnabled(self._can_edit and self.selected_level() is not None)

    def open_adjust_dialog(self, level: StockLevel) -> AdjustDialog:
        dialog = AdjustDialog(self._session, level, self)
        dialog.saved.connect(self._on_stock_adjusted)
        dialog.open()
        return dialog

    def _select_product(self, product_id: int) -> bool:
        for number, row in enumerate(self.stock.rows()):
            if row.product_id == product_id:
                self.stock_view.selectRow(number)
                self.stock_view.scrollTo(self.stock.index(number, 0))
                return True
        return False

    # -- slots --------------------------------------------------------------------------------

    def _on_filter_text_changed(self, text: str) -> None:
        self._search = text.strip()
        self.stock.set_filter(self._stock_fetch())

    def _on_filter_shortcut_activated(self) -> None:
        self.filter_field.setFocus()
        self.filter_field.selectAll()

    def _on_restock_shortcut_activated(self) -> None:
        self.restock_panel.focus_code()

    def _on_threshold_value_changed(self, value: int) -> None:
        self._threshold = value
        self.stock.set_row_background(self._low_stock_background)
        if self._low_only:
            self.stock.set_filter(self._stock_fetch())
        self._update_count()

    def _on_low_only_toggled(self, checked: bool) -> None:
        self._low_only = checked
        self.stock.set_filter(self._stock_fetch())

    def _on_stock_loaded(self) -> None:
        self._update_count()
        selected = self._select_product_id
        self._select_product_id = None
        if selected is None or not self._select_product(selected):
            self.movements.clear()
            self.history_box.setTitle(self.tr("Movements"))
        self._update_buttons()

    def _update_count(self) -> None:
        shown, total = self.stock.rowCount(), self.stock.total
        low = sum(1 for level in self.stock.rows() if self.is_low(level))
        count = self._session.fmt.number
        text = (
            self.tr("%Ln product(s)", "", total)
            if shown >= total
            else self.tr("{0} of {1} loaded").format(count(shown), count(total))
        )
        self.count_label.setText(
            self.tr("{0} · {1} at or below {2} shown").format(
                text, count(low), count(self._threshold)
            )
        )

    def _stock_text(self, level: StockLevel) -> str:
        return self._session.fmt.quantity(level.quantity, level.sold_by)

    def _on_load_failed(self, text: str) -> None:
        self.message.emit(text, True)

    def _on_stock_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        level = self.selected_level()
        self._update_buttons()
        if level is None:
            self.movements.clear()
            self.history_box.setTitle(self.tr("Movements"))
            return
        self.history_box.setTitle(self.tr("Movements of {0}").format(level.product_name))
        self.movements.set_filter(self._movement_fetch(level.product_id))
        if self._can_edit:
            self.restock_panel.set_product(level)

    def _on_adjust_clicked(self, *_args: Any) -> None:
        level = self.selected_level()
        if self._can_edit and level is not None:
            self.open_adjust_dialog(level)

    def _on_stock_restocked(self, level: StockLevel) -> None:
        self.message.emit(
            self.tr("{0}: now {1} in stock.").format(level.product_name, self._stock_text(level)),
            False,
        )
        if level.product_id not in self.restocked_ids:
            self.restocked_ids.append(level.product_id)
        self.restock_labels_button.setEnabled(True)
        self.restock_labels_button.setText(
            self.tr("Labels for restocked ({0})…").format(len(self.restocked_ids))
        )
        self._select_product_id = level.product_id
        self.stock.set_filter(self._stock_fetch())

    def _on_restock_labels_clicked(self) -> None:
        """Shelf labels for every product restocked since the screen opened."""
        ctx, user, ids = self._session.ctx, self._session.user, list(self.restocked_ids)
        Op(
            self,
            op=lambda: [catalog.get_product(ctx, user, product_id) for product_id in ids],
            success=self._on_restock_products_loaded,
        ).with_busy(self.restock_labels_button).run()

    def _on_restock_products_loaded(self, products: list[ProductInfo]) -> None:
        if self.labels_dialog is not None:
            self.labels_dialog.deleteLater()
        self.labels_dialog = LabelsDialog(self._session, products, current_devices(), self)
        self.labels_dialog.open()

    def _on_stock_adjusted(self, level: StockLevel) -> None:
        self.message.emit(
            self.tr("Adjusted {0}: now {1} in stock.").format(
                level.product_name, self._stock_text(level)
            ),
            False,
        )
        self._select_product_id = level.product_id
        self.stock.set_filter(self._stock_fetch())
