"""The receipt's lines with a spin box per returnable line, capped at what may still go back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSpinBox,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from pos_app.services.receipts import ReceiptLine
from pos_app.ui.delegates import Index, SpinBoxDelegate, line_table, step_aside
from pos_app.ui.refunds.lines_model import Column, RefundLinesModel

SHOWN_FIRST = (Column.REFUND, Column.AMOUNT, Column.RETURNABLE)
# Columns that step aside, first to last, when the product's name would be squeezed; the receipt
# beside the table shows the same figures.
STEP_ASIDE = (Column.SKU, Column.RETURNED, Column.SOLD, Column.UNIT_PRICE)
MIN_PRODUCT_WIDTH = 170


class RefundQuantityDelegate(SpinBoxDelegate):
    """A spin box from 0 to the line's returnable quantity; every step updates the model."""

    def editor_name(self, index: Index) -> str:
        return f"refundQuantity{index.row()}"

    def editor_range(self, index: Index) -> tuple[int, int]:
        line = index.data(Qt.ItemDataRole.UserRole)
        return 0, line.returnable_quantity if isinstance(line, ReceiptLine) else 0

    def prepare(self, editor: QSpinBox) -> None:
        editor.setKeyboardTracking(False)
        editor.valueChanged.connect(lambda _value: self.commitData.emit(editor))

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        line = index.data(Qt.ItemDataRole.UserRole)
        if isinstance(editor, QSpinBox) and isinstance(line, ReceiptLine) and line.is_weighed:
            editor.setSuffix(" g")  # a weighed line goes back by the gram, up to what is left
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QSpinBox):
            value = int(index.data(Qt.ItemDataRole.EditRole) or 0)
            if editor.value() != value:
                editor.blockSignals(True)
                editor.setValue(value)
                editor.blockSignals(False)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        editor.setGeometry(option.rect.adjusted(2, 2, -2, -2))


class RefundLinesView(QTableView):
    def __init__(self, model: RefundLinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundLines")
        self.setModel(model)
        self._model = model
        self.quantity_delegate = RefundQuantityDelegate(self)
        self.setItemDelegateForColumn(Column.REFUND, self.quantity_delegate)
        line_table(self, QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(Column.PRODUCT, QHeaderView.ResizeMode.Stretch)
        for column in Column:
            if column not in (Column.PRODUCT, Column.REFUND):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.REFUND, QHeaderView.ResizeMode.Fixed)
        # Room for the spin box, and never narrower than the column's title in the shop's language.
        self.setColumnWidth(Column.REFUND, max(90, header.sectionSizeHint(Column.REFUND)))
        # What comes back and for how much right after the product: on a 1024-pixel till screen
        # the receipt beside the table leaves room for about five columns.
        for visual, column in enumerate(SHOWN_FIRST, 1):
            header.moveSection(header.visualIndex(column), visual)
        model.modelReset.connect(self._on_model_reset)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Hide the spare columns, last of STEP_ASIDE first, while the product's name lacks room."""
        kept = [column for column in Column if column not in (Column.PRODUCT, *STEP_ASIDE)]
        room = self.viewport().width() - MIN_PRODUCT_WIDTH
        room -= sum(self._column_width(column) for column in kept)
        step_aside(self, tuple(reversed(STEP_ASIDE)), room, lambda c: self._column_width(Column(c)))
        # The spin boxes follow their column when one beside it steps aside or comes back.
        self.updateGeometries()
        self.updateEditorGeometries()

    def _column_width(self, column: Column) -> int:
        header = self.horizontalHeader()
        if column == Column.REFUND:
            return self.columnWidth(column)
        # From the title itself: a hidden section's size hint is 0, which would show it again.
        title = header.sectionSizeFromContents(column).width()
        return max(title, self.sizeHintForColumn(column))

    def spin_box(self, row: int) -> QSpinBox | None:
        """The spin box of ``row`` (None for a line with nothing left to return)."""
        editor = self.indexWidget(self._model.index(row, Column.REFUND))
        return editor if isinstance(editor, QSpinBox) else None

    def _on_model_reset(self) -> None:
        self._fit_columns()
        for row in range(self._model.rowCount()):
            index = self._model.index(row, Column.REFUND)
            if self._model.flags(index) & Qt.ItemFlag.ItemIsEditable:
                self.openPersistentEditor(index)
