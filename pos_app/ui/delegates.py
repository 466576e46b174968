"""Item delegates and set-up shared by the editable line tables (cart, refund lines)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex


class SpinBoxDelegate(QStyledItemDelegate):
    """A right-aligned spin box that writes its value to the model's EditRole.

    Subclasses name the editor, give its range and may adjust it in ``prepare``.
    """

    def editor_name(self, index: Index) -> str:
        raise NotImplementedError

    def editor_range(self, index: Index) -> tuple[int, int]:
        raise NotImplementedError

    def prepare(self, editor: QSpinBox) -> None:
        """Adjust a new editor; nothing by default."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QSpinBox(parent)
        editor.setObjectName(self.editor_name(index))
        editor.setRange(*self.editor_range(index))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.prepare(editor)
        return editor

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


def line_table(view: QTableView, edit_triggers: QAbstractItemView.EditTrigger) -> None:
    """Whole-row single selection, tall rows without grid or row numbers."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(edit_triggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(38)


def step_aside(
    view: QTableView, spare: Sequence[int], room: int, width_of: Callable[[int], int]
) -> None:
    """Show the ``spare`` columns, first to last, while they fit in ``room`` pixels; the rest
    step aside (are hidden) so the column a cashier reads keeps its width.

    ``width_of`` gives a column's width even while it is hidden (Qt reports 0 for those).
    """
    for column in spare:
        width = width_of(column)
        shown = width <= room
        if view.isColumnHidden(column) == shown:
            view.setColumnHidden(column, not shown)
            if shown:
                view.setColumnWidth(column, width)
        room = room - width if shown else -1


__all__ = ["Index", "SpinBoxDelegate", "line_table", "step_aside"]
