"""Remember each table's column widths and order between runs (QSettings, per objectName)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QTableView, QWidget

GROUP = "columns"


def _named_tables(root: QWidget) -> list[QTableView]:
    return [table for table in root.findChildren(QTableView) if table.objectName()]


def save_column_state(root: QWidget) -> None:
    settings = QSettings()
    for table in _named_tables(root):
        settings.setValue(f"{GROUP}/{table.objectName()}", table.horizontalHeader().saveState())


def restore_column_state(root: QWidget) -> None:
    """Apply saved widths; a table whose columns changed since keeps its defaults."""
    settings = QSettings()
    for table in _named_tables(root):
        state = settings.value(f"{GROUP}/{table.objectName()}")
        if isinstance(state, QByteArray) and table.model() is not None:
            table.horizontalHeader().restoreState(state)
