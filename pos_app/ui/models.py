"""Qt table models over the dataclass rows services return.

``PagedTableModel`` shows one page at a time: the first page on (re)load, the next ones when the
view scrolls to the end (``canFetchMore``/``fetchMore``). Sorting and filtering happen in SQL: a
header click re-queries with the column's sort key, a new filter restarts from offset 0, and an
answer that a newer request has overtaken is dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from pos_app.services.paging import Page
from pos_app.ui.errors import describe_error
from pos_app.ui.tasks import LatestOnly

T = TypeVar("T")
PAGE_SIZE = 200

Fetch = Callable[[int, int, str | None, bool], Page[T]]
"""``fetch(offset, limit, sort_key, descending) -> Page``; runs off the UI thread."""

AnyIndex = QModelIndex | QPersistentModelIndex

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
USER = int(Qt.ItemDataRole.UserRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
ROW_ROLES = frozenset({DISPLAY, USER, ALIGNMENT, TOOLTIP, BACKGROUND})
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: its header, how a row shows in it, and the SQL sort key (None: not sortable)."""

    title: str
    getter: Callable[[T], object]
    align_right: bool = False
    sort_key: str | None = None
    tooltip: Callable[[T], str] | None = None


def display_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of dataclass rows; UserRole returns the row itself."""

    loaded = Signal()

    def __init__(self, columns: Sequence[Column[T]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._background: Callable[[T], QColor | None] | None = None

    # -- Qt interface -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each repaint: the cheap tests first.
        if role not in ROW_ROLES:
            return None
        number, column_number = index.row(), index.column()
        if not (0 <= number < len(self._rows) and 0 <= column_number < len(self._columns)):
            return None
        row = self._rows[number]
        column = self._columns[column_number]
        if role == DISPLAY:
            return display_text(column.getter(row))
        if role == USER:
            return row
        if role == ALIGNMENT:
            return RIGHT if column.align_right else LEFT
        if role == TOOLTIP:
            return None if column.tooltip is None else column.tooltip(row)
        return None if self._background is None else self._background(row)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column.align_right else LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        number, column_number = index.row(), index.column()
        if 0 <= number < len(self._rows) and 0 <= column_number < len(self._columns):
            return ROW_FLAGS
        return Qt.ItemFlag.NoItemFlags

    # -- rows ---------------------------------------------------------------------------------

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, index: AnyIndex | int) -> T | None:
        number = index if isinstance(index, int) else (index.row() if index.isValid() else -1)
        return self._rows[number] if 0 <= number < len(self._rows) else None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()
        self.loaded.emit()

    def replace_where(self, match: Callable[[T], bool], item: T) -> bool:
        """Put ``item`` in place of the first row ``match`` accepts; False when none does."""
        for number, row in enumerate(self._rows):
            if match(row):
                self._rows[number] = item
                last = self.index(number, len(self._columns) - 1)
                self.dataChanged.emit(self.index(number, 0), last)
                return True
        return False

    def set_row_background(self, background: Callable[[T], QColor | None] | None) -> None:
        """Colour whole rows (low stock, inactive); repaints what is shown."""
        self._background = background
        if self._rows:
            last = self.index(len(self._rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole])


class PagedTableModel(RowTableModel[T]):
    """Rows fetched page by page in the background; sorted and filtered by the database."""

    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self,
        columns: Sequence[Column[T]],
        fetch: Fetch[T],
        parent: QObject | None = None,
        *,
        sort_key: str | None = None,
        descending: bool = False,
        page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(columns, parent)
        self._fetch = fetch
        self._sort_key = sort_key
        self._descending = descending
        self._page_size = page_size
        self._total = 0
        self._has_more = False
        self._loading = False
        self._last_page: Page[T] | None = None
        self._latest = LatestOnly(self)

    @property
    def total(self) -> int:
        """How many rows the query matches (not how many are loaded)."""
        return self._total

    @property
    def last_page(self) -> Page[T] | None:
        """The page delivered last (None after ``clear``)."""
        return self._last_page

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def sort_key(self) -> str | None:
        return self._sort_key

    def set_filter(self, fetch: Fetch[T] | None = None) -> None:
        """Start over from offset 0 with a new query (``fetch`` bakes the filter in) or the same."""
        if fetch is not None:
            self._fetch = fetch
        self._request(0, replace=True)

    def refresh(self) -> None:
        self.set_filter(None)

    def clear(self) -> None:
        """Show nothing and forget any answer still on its way."""
        self._latest.cancel()
        self._total, self._has_more, self._last_page = 0, False, None
        self._set_loading(False)
        self.set_rows([])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        key = self._columns[column].sort_key
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._sort_key and descending == self._descending:
            return
        self._sort_key, self._descending = key, descending
        self._request(0, replace=True)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._request(len(self._rows), replace=False)

    def _request(self, offset: int, *, replace: bool) -> None:
        fetch, limit = self._fetch, self._page_size
        key, descending = self._sort_key, self._descending
        self._set_loading(True)
        self._latest.run(
            lambda: fetch(offset, limit, key, descending),
            lambda page: self._on_page_loaded(page, replace),
            self._on_page_failed,
        )

    def _on_page_loaded(self, page: Page[T], replace: bool) -> None:
        self._last_page = page
        self._total = page.total
        self._has_more = page.has_more
        if replace:
            self.beginResetModel()
            self._rows = list(page.items)
            self.endResetModel()
        elif page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self.endInsertRows()
        self._set_loading(False)
        self.loaded.emit()

    def _on_page_failed(self, error: BaseException) -> None:
        self._has_more = False
        self._set_loading(False)
        self.failed.emit(describe_error(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.busy_changed.emit(loading)
