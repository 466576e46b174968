"""The lines of a receipt to refund: sold, already returned, returnable, and how many go back now.

Only the "Refund" column is editable, from 0 to the line's returnable quantity; anything else is
refused, so the screen can never ask for more than may still be returned. A weighed line is
sold, returned and refunded in grams (shown in kg); its amount is its share of what it cost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from pos_app.services.receipts import ReceiptLine
from pos_app.ui.models import LEFT, RIGHT
from pos_app.ui.translation import QT_TRANSLATE_NOOP, number, translated, weight_text

Index = QModelIndex | QPersistentModelIndex
DONE_FOREGROUND = QColor("#8a96a3")


class Column(IntEnum):
    PRODUCT = 0
    SKU = 1
    UNIT_PRICE = 2
    SOLD = 3
    RETURNED = 4
    RETURNABLE = 5
    REFUND = 6
    AMOUNT = 7

    @property
    def title(self) -> str:
        return translated("RefundColumn", _TITLES[self])


_TITLES = {
    Column.PRODUCT: QT_TRANSLATE_NOOP("RefundColumn", "Product"),
    Column.SKU: QT_TRANSLATE_NOOP("RefundColumn", "SKU"),
    Column.UNIT_PRICE: QT_TRANSLATE_NOOP("RefundColumn", "Paid per unit"),
    Column.SOLD: QT_TRANSLATE_NOOP("RefundColumn", "Sold"),
    Column.RETURNED: QT_TRANSLATE_NOOP("RefundColumn", "Returned"),
    Column.RETURNABLE: QT_TRANSLATE_NOOP("RefundColumn", "Returnable"),
    Column.REFUND: QT_TRANSLATE_NOOP("RefundColumn", "Refund"),
    Column.AMOUNT: QT_TRANSLATE_NOOP("RefundColumn", "Amount"),
}
_NUMERIC = frozenset(set(Column) - {Column.PRODUCT, Column.SKU})


class RefundLinesModel(QAbstractTableModel):
    """One row per receipt line; ``chosen`` holds the quantity to refund of each row."""

    total_changed = Signal(int)

    def __init__(self, money: Callable[[int], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._money = money
        self._lines: list[ReceiptLine] = []
        self._chosen: list[int] = []

    # -- Qt interface -------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self._valid(index):
            return None
        row, column = index.row(), Column(index.column())
        line = self._lines[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.EditRole and column is Column.REFUND:
            return self._chosen[row]
        if role == Qt.ItemDataRole.UserRole:
            return line
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in _NUMERIC else LEFT
        if role == Qt.ItemDataRole.ForegroundRole and line.returnable_quantity == 0:
            return QBrush(DONE_FOREGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and line.returnable_quantity == 0:
            return "Everything of this line has been returned already."
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._valid(index):
            return False
        if index.column() != Column.REFUND:
            return False
        return self.set_quantity(index.row(), value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return Column(section).title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if Column(section) in _NUMERIC else LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.REFUND and self._lines[index.row()].returnable_quantity > 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # -- lines --------------------------------------------------------------------------------

    def set_lines(self, lines: Sequence[ReceiptLine]) -> None:
        self.beginResetModel()
        self._lines = list(lines)
        self._chosen = [0] * len(self._lines)
        self.endResetModel()
        self.total_changed.emit(0)

    def lines(self) -> list[ReceiptLine]:
        return list(self._lines)

    def line(self, row: int) -> ReceiptLine | None:
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def quantity(self, row: int) -> int:
        return self._chosen[row] if 0 <= row < len(self._chosen) else 0

    def set_quantity(self, row: int, value: object) -> bool:
        """Refund ``value`` of row ``row``; refused (False) outside 0..returnable."""
        if not 0 <= row < len(self._lines):
            return False
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if not 0 <= value <= self._lines[row].returnable_quantity:
            return False
        if value != self._chosen[row]:
            self._chosen[row] = value
            self.dataChanged.emit(self.index(row, Column.REFUND), self.index(row, Column.AMOUNT))
            self.total_changed.emit(self.total_cents())
        return True

    def choose_all(self) -> None:
        """Put every returnable unit on the refund."""
        for row, line in enumerate(self._lines):
            self.set_quantity(row, line.returnable_quantity)

    def clear_choice(self) -> None:
        for row in range(len(self._lines)):
            self.set_quantity(row, 0)

    def chosen_lines(self) -> list[tuple[int, int]]:
        """``(sale_item_id, quantity)`` of every row with something to refund."""
        return [
            (line.sale_item_id, quantity)
            for line, quantity in zip(self._lines, self._chosen, strict=True)
            if quantity > 0
        ]

    def total_cents(self) -> int:
        return sum(
            line.refund_cents(quantity)
            for line, quantity in zip(self._lines, self._chosen, strict=True)
        )

    def _unit_price(self, line: ReceiptLine) -> str:
        """What one piece was paid after discounts; a weighed line's price per kg."""
        if line.is_weighed:
            return self._money(line.unit_price_cents) + "/kg"
        return self._money(line.refund_cents(1) or line.unit_price_cents)

    def _text(self, row: int, column: Column) -> str:
        line = self._lines[row]
        quantity = self._chosen[row]
        amount = _shown_amount(line)
        values = {
            Column.PRODUCT: line.product_name,
            Column.SKU: line.sku,
            Column.UNIT_PRICE: self._unit_price(line),
            Column.SOLD: amount(line.quantity),
            Column.RETURNED: amount(line.refunded_quantity) if line.refunded_quantity else "",
            Column.RETURNABLE: amount(line.returnable_quantity),
            Column.REFUND: amount(quantity) if line.returnable_quantity else "",
            Column.AMOUNT: self._money(line.refund_cents(quantity)) if quantity else "",
        }
        return values[column]

    def _valid(self, index: Index) -> bool:
        return (
            index.isValid()
            and not index.parent().isValid()
            and 0 <= index.row() < len(self._lines)
            and 0 <= index.column() < len(Column)
        )


def _shown_amount(line: ReceiptLine) -> Callable[[int], str]:
    return weight_text if line.is_weighed else number
