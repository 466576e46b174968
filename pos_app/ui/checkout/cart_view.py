"""The cart table: a spin box edits quantities; the table never keeps the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSpinBox, QTableView, QWidget

from pos_app.ui.checkout.cart_line import MAX_QUANTITY, Column
from pos_app.ui.checkout.cart_model import CartModel
from pos_app.ui.delegates import Index, SpinBoxDelegate, line_table, step_aside

EDITOR_LIMIT = MAX_QUANTITY * 100


class QuantityDelegate(SpinBoxDelegate):
    def editor_name(self, index: Index) -> str:
        return "quantityEditor"

    def editor_range(self, index: Index) -> tuple[int, int]:
        # Wider than the cart takes, so 0, -1 or 99999 reach the model and are refused with a
        # message instead of being clamped silently by the spin box.
        return -EDITOR_LIMIT, EDITOR_LIMIT

    def prepare(self, editor: QSpinBox) -> None:
        editor.setFrame(False)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QSpinBox):
            editor.setValue(int(index.data(Qt.ItemDataRole.EditRole) or 1))
            editor.selectAll()


# The product's name is what a cashier reads; below this width the SKU column steps aside.
MIN_PRODUCT_WIDTH = 200
SKU_PADDING = 10


class CartView(QTableView):
    def __init__(self, model: CartModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cartTable")
        self.setModel(model)
        self.quantity_delegate = QuantityDelegate(self)
        self.setItemDelegateForColumn(Column.QTY, self.quantity_delegate)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        line_table(self, QAbstractItemView.EditTrigger.DoubleClicked)
        header = self.horizontalHeader()
        header.setSectionResizeMode(Column.PRODUCT, QHeaderView.ResizeMode.Stretch)
        widths = (
            (Column.SKU, 75),
            (Column.QTY, 85),  # '12.345 kg' of a weighed line
            (Column.UNIT_PRICE, 105),  # '€12.90/kg *'
            (Column.DISCOUNT, 80),
            (Column.LINE_TOTAL, 95),
            (Column.STOCK, 70),  # a warning icon and the start of why; the whole reason in its tip
        )
        for column, width in widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            # Never narrower than its title in the till's font and language.
            self.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        # A whole SKU as the shop writes them (three letters, a dash, up to four more).
        sku_text = self.fontMetrics().horizontalAdvance("WWW-W000") + 2 * SKU_PADDING
        self.setColumnWidth(Column.SKU, max(self.columnWidth(Column.SKU), sku_text))
        self._sku_width = self.columnWidth(Column.SKU)  # a hidden column's width reads 0

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._make_room_for_names()

    def _make_room_for_names(self) -> None:
        """Hide the SKU column while showing it would squeeze the product names."""
        others = sum(
            self.columnWidth(column)
            for column in Column
            if column not in (Column.PRODUCT, Column.SKU)
        )
        room = self.viewport().width() - others - MIN_PRODUCT_WIDTH
        step_aside(self, (Column.SKU,), room, lambda _column: self._sku_width)

    def current_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select(self, row: int) -> None:
        if 0 <= row < self.model().rowCount():
            self.selectRow(row)
            self.scrollTo(self.model().index(row, 0))

    def move_selection(self, delta: int) -> None:
        count = self.model().rowCount()
        if not count:
            return
        current = self.current_row()
        start = count if current is None else current
        self.select(max(0, min(count - 1, start + delta)))

    def edit_quantity(self, row: int) -> None:
        index = self.model().index(row, Column.QTY)
        self.setCurrentIndex(index)
        self.edit(index)
