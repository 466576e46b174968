"""Remember each table's column widths and order between runs (QSettings, per objectName)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QTableView, QWidget

GROUP = "columns"


def _named_tables(root: QWidget) -> list[QTableView]:
    return [table for table in root.findChildren(QTableView) if table.objectName()]


def _key(table: QTableView) -> str:
    # The column count is part of the key: widths saved when the table had other columns
    # (an older version) are not applied to it, where they would hide or squeeze new columns.
    model = table.model()
    columns = model.columnCount() if model is not None else 0
    return f"{GROUP}/{table.objectName()}/{columns}"


def save_column_state(root: QWidget) -> None:
    settings = QSettings()
    for table in _named_tables(root):
        settings.setValue(_key(table), table.horizontalHeader().saveState())


def restore_column_state(root: QWidget) -> None:
    """Apply saved widths; a table whose columns changed since keeps its defaults."""
    settings = QSettings()
    for table in _named_tables(root):
        state = settings.value(_key(table))
        if isinstance(state, QByteArray) and table.model() is not None:
            table.horizontalHeader().restoreState(state)
