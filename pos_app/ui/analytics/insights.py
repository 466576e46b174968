"""Insight tabs for the chosen dates: best and slowest sellers, sales by hour and by weekday.

Each tab loads in the background when it is first shown for a range; a newer range replaces an
answer still on its way. The category and product filters do not apply to these figures.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import insights
from pos_app.services.insights import HourSales, ProductSales, Ranking, WeekdaySales
from pos_app.ui.analytics.insight_chart import BarChart
from pos_app.ui.analytics.insight_tables import (
    RankedProduct,
    hour_columns,
    ranked,
    ranked_columns,
    sales_per_day,
    weekday_columns,
)
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import table_view
from pos_app.ui.models import RowTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.style import set_role
from pos_app.ui.tasks import LatestOnly

Range = tuple[date, date]
LIMITS = (10, 25, 50)
FILTER_NOTE = "Whole shop for the dates above; the category and product filters do not apply."
RANKINGS = (("Units", Ranking.UNITS), ("Revenue", Ranking.REVENUE))


class InsightTab(QWidget):
    """A tab that loads its figures for a date range, once per range, when asked."""

    loaded = Signal(object, object)  # (start, end), result
    failed = Signal(str)
    model: RowTableModel[Any]

    def __init__(self, session: UiSession, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._session = session
        self._latest = LatestOnly(self)
        self._range: Range | None = None
        self._loaded_range: Range | None = None
        self._loading = False
        self.status_label = QLabel(FILTER_NOTE)
        self.status_label.setObjectName(f"{name}Note")
        self.status_label.setWordWrap(True)
        set_role(self.status_label, "muted")

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def loaded_range(self) -> Range | None:
        return self._loaded_range

    def set_range(self, start: date, end: date) -> None:
        """Remember the dates; an answer for other dates still on its way is dropped."""
        if (start, end) == self._range:
            return
        self._range = (start, end)
        self._latest.cancel()
        self._loading = False

    def invalidate(self) -> None:
        """Load again the next time the tab is shown (the sales changed)."""
        self._latest.cancel()
        self._loading = False
        self._loaded_range = None

    def ensure_loaded(self) -> None:
        if self._range is not None and self._range != self._loaded_range and not self._loading:
            self.reload()

    def reload(self) -> None:
        if self._range is None:
            return
        ctx, actor = self._session.ctx, self._session.user
        start, end = requested = self._range
        op = self._operation(ctx, actor, start, end)
        self._loading = True
        self._latest.run(
            op,
            lambda result: self._on_query_loaded(requested, result),
            self._on_query_failed,
        )

    def _operation(self, ctx: Any, actor: Any, start: date, end: date) -> Callable[[], Any]:
        raise NotImplementedError

    def _show(self, result: Any) -> None:
        raise NotImplementedError

    def _on_query_loaded(self, requested: Range, result: Any) -> None:
        self._loading = False
        self._loaded_range = requested
        self.status_label.setText(FILTER_NOTE)
        self._show(result)
        self.loaded.emit(requested, result)

    def _on_query_failed(self, error: BaseException) -> None:
        self._loading = False
        text = describe_error(error)
        self.status_label.setText(text)
        self.failed.emit(text)


def combo(name: str, items: tuple[tuple[str, object], ...]) -> QComboBox:
    widget = QComboBox()
    widget.setObjectName(name)
    for text, value in items:
        widget.addItem(text, value)
    return widget


class RankedTab(InsightTab):
    """Top sellers or slow movers, ranked by units or revenue, 10/25/50 of them."""

    def __init__(self, session: UiSession, name: str, *, slowest: bool) -> None:
        super().__init__(session, name)
        self._slowest = slowest
        self.model = RowTableModel[RankedProduct](ranked_columns(session.money), self)
        self.ranking_combo = combo(f"{name}Ranking", RANKINGS)
        self.limit_combo = combo(f"{name}Limit", tuple((str(n), n) for n in LIMITS))
        self.table = table_view(f"{name}Table", self.model)
        self.table.horizontalHeader().setStretchLastSection(False)
        for column, width in enumerate((44, 280, 120, 150, 90, 90, 120)):
            self.table.setColumnWidth(column, width)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Rank by")))
        controls.addWidget(self.ranking_combo)
        controls.addSpacing(8)
        controls.addWidget(QLabel(self.tr("Show")))
        controls.addWidget(self.limit_combo)
        controls.addSpacing(12)
        controls.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        self.ranking_combo.currentIndexChanged.connect(self._on_ranking_changed)
        self.limit_combo.currentIndexChanged.connect(self._on_limit_changed)

    def ranking(self) -> Ranking:
        return Ranking(self.ranking_combo.currentData())

    def limit(self) -> int:
        return int(self.limit_combo.currentData())

    def _operation(self, ctx: Any, actor: Any, start: date, end: date) -> Callable[[], Any]:
        query = insights.slow_movers if self._slowest else insights.top_sellers
        by, limit = self.ranking(), self.limit()
        return lambda: query(ctx, actor, start, end, by=by, limit=limit)

    def _show(self, result: list[ProductSales]) -> None:
        self.model.set_rows(ranked(result))

    def _on_ranking_changed(self, _index: int) -> None:
        self.reload()

    def _on_limit_changed(self, _index: int) -> None:
        self.reload()


class ChartTab(InsightTab):
    """A bar chart above a table."""

    def __init__(self, session: UiSession, name: str, model: RowTableModel[Any]) -> None:
        super().__init__(session, name)
        self.model = model
        model.setParent(self)
        self.chart = BarChart(f"{name}Chart")
        self.table = table_view(f"{name}Table", model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(model.columnCount()):
            self.table.setColumnWidth(column, max(130, header.sectionSizeHint(column) + 16))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setSizes([250, 250])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)


class HourTab(ChartTab):
    def __init__(self, session: UiSession) -> None:
        super().__init__(session, "byHour", RowTableModel[HourSales](hour_columns(session.money)))

    def _operation(self, ctx: Any, actor: Any, start: date, end: date) -> Callable[[], Any]:
        return lambda: insights.sales_by_hour(ctx, actor, start, end)

    def _show(self, result: list[HourSales]) -> None:
        self.model.set_rows(result)
        if not any(row.sales for row in result):
            self.chart.show_message(self.tr("No sales in this range."))
            return
        self.chart.show_bars(
            [f"{row.hour:02d}" for row in result],
            [row.sales for row in result],
            title=self.tr("Sales per hour of the day (shop time)"),
            ylabel="Sales",
            label_every=2,
        )


class WeekdayTab(ChartTab):
    def __init__(self, session: UiSession) -> None:
        model = RowTableModel[WeekdaySales](weekday_columns(session.money))
        super().__init__(session, "byWeekday", model)

    def _operation(self, ctx: Any, actor: Any, start: date, end: date) -> Callable[[], Any]:
        return lambda: insights.sales_by_weekday(ctx, actor, start, end)

    def _show(self, result: list[WeekdaySales]) -> None:
        self.model.set_rows(result)
        if not any(row.sales for row in result):
            self.chart.show_message(self.tr("No sales in this range."))
            return
        self.chart.show_bars(
            [row.name[:3] for row in result],
            [sales_per_day(row) for row in result],
            title=self.tr("Average number of sales per weekday"),
            ylabel="Sales per day",
            integer=False,
        )


class InsightTabs(QObject):
    """Adds the insight tabs to ``tabs`` and loads the shown one for the current range.

    The filtered report's chart above stays where it is while an insight tab is shown, so the
    tab row never moves; each insight tab says that it ignores the filters.
    """

    failed = Signal(str)

    def __init__(
        self,
        session: UiSession,
        tabs: QTabWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tabs = tabs
        self.top_sellers = RankedTab(session, "topSellers", slowest=False)
        self.slow_movers = RankedTab(session, "slowMovers", slowest=True)
        self.by_hour = HourTab(session)
        self.by_weekday = WeekdayTab(session)
        self.all: tuple[InsightTab, ...] = (
            self.top_sellers,
            self.slow_movers,
            self.by_hour,
            self.by_weekday,
        )
        titles = (
            self.tr("Top sellers"),
            self.tr("Slow movers"),
            self.tr("By hour"),
            self.tr("By weekday"),
        )
        for tab, title in zip(self.all, titles, strict=True):
            tabs.addTab(tab, title)
            tab.failed.connect(self.failed.emit)
        tabs.currentChanged.connect(self._on_tabs_current_changed)

    def set_range(self, start: date, end: date) -> None:
        for tab in self.all:
            tab.set_range(start, end)
        self._load_current()

    def invalidate(self) -> None:
        for tab in self.all:
            tab.invalidate()

    def show_tab(self, tab: InsightTab) -> None:
        self._tabs.setCurrentWidget(tab)

    def _load_current(self) -> None:
        current = self._tabs.currentWidget()
        if isinstance(current, InsightTab):
            current.ensure_loaded()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._load_current()
