"""Tables that fit their width without a sideways scroll bar.

One column (a name, a note) takes the width that is left; the others are as wide as their usual
value, and the ones that matter least step aside (are hidden) while showing them would squeeze the
wide column below its minimum. A text too long for its cell ends in "…"; the models give the whole
text as the cell's tooltip where it can be long.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

from pos_app.ui.delegates import step_aside
from pos_app.ui.forms import CELL_PADDING, size_columns

REMEASURE = (QEvent.Type.Show, QEvent.Type.FontChange, QEvent.Type.StyleChange)
# Samples for ``samples``: a late moment of a two-digit day and month, the widest date and time
# the shop's format writes; and an amount as wide as a till's usual largest.
WIDEST_MOMENT = datetime(2026, 12, 22, 22, 48, 58, tzinfo=UTC)
WIDE_AMOUNT_CENTS = 99_999


class ColumnFit(QObject):
    """Keeps ``view``'s columns inside its width as the view is resized.

    ``samples`` gives each other column its usual widest value; ``minimum`` is a text the
    ``stretch`` column shows whole at the least; ``spare`` columns are shown first to last while
    they fit beside that minimum, so the last one steps aside first.
    """

    def __init__(
        self,
        view: QTableView,
        *,
        stretch: int,
        minimum: str,
        samples: Mapping[int, str],
        spare: Sequence[int] = (),
    ) -> None:
        super().__init__(view)
        self.setObjectName(f"{view.objectName()}Fit")
        self._view = view
        self._stretch = stretch
        self._minimum_text = minimum
        self._samples = dict(samples)
        self._spare = tuple(spare)
        self._widths: dict[int, int] = {}
        self._shown = False
        self.minimum = 0
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        for column in samples:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self._measure()
        view.installEventFilter(self)
        view.viewport().installEventFilter(self)

    def _measure(self) -> None:
        """Each column's width in the fonts the view and its header have now."""
        view = self._view
        view.horizontalHeader().ensurePolished()  # its bold font is the style sheet's
        shown = [column for column in self._spare if not view.isColumnHidden(column)]
        for column in self._spare:
            view.setColumnHidden(column, False)
        size_columns(view, self._samples)
        # A hidden column's width reads 0, so each is remembered while all are shown.
        self._widths = {column: view.columnWidth(column) for column in self._samples}
        for column in set(self._spare) - set(shown):
            view.setColumnHidden(column, True)
        self.minimum = max(
            view.fontMetrics().horizontalAdvance(self._minimum_text) + CELL_PADDING,
            view.horizontalHeader().sectionSizeHint(self._stretch),
        )

    @property
    def needed(self) -> int:
        """The width the columns that never step aside take, the stretching one at its least."""
        kept = sum(width for column, width in self._widths.items() if column not in self._spare)
        return kept + self.minimum

    @property
    def wanted(self) -> int:
        """The width every column takes, the stretching one at its least."""
        return sum(self._widths.values()) + self.minimum

    def fit(self) -> None:
        room = self._view.viewport().width() - self.needed
        step_aside(self._view, self._spare, room, self._widths.__getitem__)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._view and kind in REMEASURE:
            if kind == QEvent.Type.Show and self._shown:
                return False  # shown again: the widths a person chose stay
            # Shown in the window's style, or in another font: the widths change with them.
            self._shown = self._shown or kind == QEvent.Type.Show
            self._measure()
            self.fit()
        elif watched is not self._view and kind == QEvent.Type.Resize:
            self.fit()
        return False


__all__ = ["WIDEST_MOMENT", "WIDE_AMOUNT_CENTS", "ColumnFit"]
