"""The scan field and the name suggestions under it.

The field keeps the keyboard: a scanner types a code and Enter within milliseconds, so Enter is
never delayed. Typing letters asks for suggestions (debounced, newest answer only); the arrow keys
move through them without the field losing focus.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from pos_app.services.catalog import ProductInfo

# "3*code", "0*code", "-2 * code": digits (a sign allowed), a star, then the code.
_QUANTITY_PREFIX = re.compile(r"^\s*([-+]?\d{1,9})\s*\*\s*(\S.*)$")

SUGGEST_DELAY_MS = 60
"""Longer than between two keystrokes of a scanner (a few ms), shorter than a person notices."""
MIN_SUGGEST_CHARS = 2
MAX_VISIBLE_SUGGESTIONS = 8


class ScanField(QLineEdit):
    """A line edit that reports navigation keys instead of swallowing them."""

    moved = Signal(int)
    escaped = Signal()
    delete_on_empty = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.moved.emit(-1 if key == Qt.Key.Key_Up else 1)
            return
        if key == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        if key == Qt.Key.Key_Delete and not self.text():
            self.delete_on_empty.emit()
            return
        super().keyPressEvent(event)


class SuggestionPopup(QListWidget):
    """A list floating under the scan field; it never takes the focus."""

    picked = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("scanSuggestions")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setUniformItemSizes(True)
        self.hide()
        self.itemClicked.connect(self._on_item_clicked)

    def show_products(
        self, products: list[ProductInfo], anchor: QWidget, describe: Callable[[ProductInfo], str]
    ) -> None:
        self.clear()
        if not products:
            self.hide()
            return
        for product in products:
            item = QListWidgetItem(describe(product))
            item.setData(Qt.ItemDataRole.UserRole, product)
            self.addItem(item)
        self.setCurrentRow(-1)
        self._place_under(anchor)
        self.show()
        self.raise_()

    def _place_under(self, anchor: QWidget) -> None:
        parent = self.parentWidget()
        top_left = anchor.mapTo(parent, QPoint(0, anchor.height())) if parent else QPoint()
        rows = min(self.count(), MAX_VISIBLE_SUGGESTIONS)
        row_height = max(self.sizeHintForRow(0), 24)
        self.setGeometry(top_left.x(), top_left.y() + 2, anchor.width(), rows * row_height + 6)

    def move_selection(self, delta: int) -> None:
        if not self.count():
            return
        row = self.currentRow()
        row = (0 if delta > 0 else self.count() - 1) if row < 0 else (row + delta) % self.count()
        self.setCurrentRow(row)

    def chosen(self) -> ProductInfo | None:
        """The product the person moved to with the arrow keys, if any."""
        item = self.currentItem()
        if not self.isVisible() or item is None or self.currentRow() < 0:
            return None
        product: ProductInfo = item.data(Qt.ItemDataRole.UserRole)
        return product

    def _on_item_clicked(self, item: QListWidgetItem) -> None:
        self.picked.emit(item.data(Qt.ItemDataRole.UserRole))


class SuggestTimer(QTimer):
    """Waits for a pause in typing before asking for suggestions."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setSingleShot(True)
        self.setInterval(SUGGEST_DELAY_MS)


def wants_suggestions(text: str) -> bool:
    """Names have letters; codes from a scanner are digits (SKUs may mix, Enter wins)."""
    stripped = text.strip()
    return len(stripped) >= MIN_SUGGEST_CHARS and any(ch.isalpha() for ch in stripped)


def split_quantity(text: str) -> tuple[int, str]:
    """'3*4006381333931' -> (3, code): a quantity typed before the code.

    The quantity comes back as typed (0, -1, 99999 too): the caller refuses it with a message.
    """
    found = _QUANTITY_PREFIX.match(text)
    if found is None:
        return 1, text
    return int(found.group(1)), found.group(2).strip()
