"""Insight tabs of the analytics screen: rankings, hours, weekdays, sale line export."""

from __future__ import annotations

import csv
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.services import analytics, catalog, insights, sale_line_csv
from pos_app.services.analytics import SalesQuery
from pos_app.services.context import ServiceContext
from pos_app.services.demo_data import seed_demo
from pos_app.services.errors import ValidationError
from pos_app.services.roles import Role
from pos_app.ui.analytics import AnalyticsScreen, sale_lines
from pos_app.ui.analytics.insight_tables import HourColumn, RankedColumn, WeekdayColumn
from pos_app.ui.analytics.insights import FILTER_NOTE, RankedTab
from pos_app.ui.models import RIGHT
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]
UNSOLD = "Never sold pickles"


def settle(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)


@pytest.fixture
def screen(
    qtbot: Any, ui_ctx: ServiceContext, session_for: SessionFor
) -> Iterator[AnalyticsScreen]:
    """30 days of seeded sales, one product that never sold, and a screen with its report."""
    session = session_for(Role.OWNER)
    seed_demo(ui_ctx, session.user, sales=240, days=30)
    category = catalog.list_categories(ui_ctx, session.user).items[0]
    catalog.create_product(
        ui_ctx, session.user, name=UNSOLD, category_id=category.id, sku="PICKLE-1", price_cents=350
    )
    widget = AnalyticsScreen(session)
    qtbot.addWidget(widget)
    widget.refresh()
    settle(qtbot)
    yield widget
    settle(qtbot)


def show(qtbot: Any, screen: AnalyticsScreen, tab: Any) -> None:
    screen.insights.show_tab(tab)
    settle(qtbot)


def owner_args(screen: AnalyticsScreen) -> tuple[Any, ...]:
    start, end = screen._dates()
    return screen._session.ctx, screen._session.user, start, end


def ids(tab: RankedTab) -> list[int]:
    return [row.product.product_id for row in tab.model.rows()]


def test_insight_tabs_load_only_when_first_shown(qtbot: Any, screen: AnalyticsScreen) -> None:
    tabs = [screen.tabs.tabText(n) for n in range(screen.tabs.count())]
    assert tabs[3:] == ["Top sellers", "Slow movers", "By hour", "By weekday"]
    assert all(tab.loaded_range is None for tab in screen.insights.all)
    show(qtbot, screen, screen.insights.by_hour)
    assert screen.insights.by_hour.loaded_range == screen._dates()
    assert screen.insights.top_sellers.loaded_range is None
    assert screen.insights.by_hour.status_label.text() == FILTER_NOTE
    assert screen.chart.isVisibleTo(screen), "the chart keeps its place"
    screen.tabs.setCurrentIndex(0)
    assert screen.chart.isVisibleTo(screen)


def test_top_sellers_follow_the_service_by_units_and_by_revenue(
    qtbot: Any, screen: AnalyticsScreen
) -> None:
    tab = screen.insights.top_sellers
    show(qtbot, screen, tab)
    expected = insights.top_sellers(*owner_args(screen), by="units", limit=10)
    assert ids(tab) == [row.product_id for row in expected] and expected
    first = tab.model.index(0, RankedColumn.RANK)
    assert tab.model.data(first) == "1"
    units = tab.model.index(0, RankedColumn.UNITS)
    assert tab.model.data(units) == f"{expected[0].units:,}"
    assert tab.model.data(units, Qt.ItemDataRole.TextAlignmentRole) == RIGHT
    revenue = tab.model.data(tab.model.index(0, RankedColumn.REVENUE))
    assert revenue == screen._session.money(expected[0].revenue_cents)
    tab.ranking_combo.setCurrentIndex(tab.ranking_combo.findData("revenue"))
    settle(qtbot)
    by_revenue = insights.top_sellers(*owner_args(screen), by="revenue", limit=10)
    assert ids(tab) == [row.product_id for row in by_revenue]
    assert [row.revenue_cents for row in by_revenue] == sorted(
        (row.revenue_cents for row in by_revenue), reverse=True
    )
    tab.limit_combo.setCurrentIndex(tab.limit_combo.findData(25))
    settle(qtbot)
    assert ids(tab) == [
        row.product_id for row in insights.top_sellers(*owner_args(screen), by="revenue", limit=25)
    ]


def test_slow_movers_start_with_a_product_that_never_sold(
    qtbot: Any, screen: AnalyticsScreen
) -> None:
    tab = screen.insights.slow_movers
    show(qtbot, screen, tab)
    expected = insights.slow_movers(*owner_args(screen), by="units", limit=10)
    assert ids(tab) == [row.product_id for row in expected]
    unsold = [row.product for row in tab.model.rows() if row.product.name == UNSOLD]
    assert unsold and unsold[0].units == 0 and unsold[0].sales == 0
    assert tab.model.rows()[0].product.units == 0
    name = tab.model.index(0, RankedColumn.PRODUCT)
    assert tab.model.data(name)


def test_sales_by_hour_show_24_bars_and_24_rows(qtbot: Any, screen: AnalyticsScreen) -> None:
    tab = screen.insights.by_hour
    show(qtbot, screen, tab)
    expected = insights.sales_by_hour(*owner_args(screen))
    assert tab.chart.bar_count() == 24
    assert tab.chart.bar_heights() == [float(row.sales) for row in expected]
    assert tab.model.rowCount() == 24
    assert tab.model.data(tab.model.index(9, HourColumn.HOUR)) == "09:00\u201310:00"
    assert screen.report is not None
    assert sum(row.sales for row in tab.model.rows()) == screen.report.sales


def test_sales_by_weekday_show_seven_rows_monday_first(qtbot: Any, screen: AnalyticsScreen) -> None:
    tab = screen.insights.by_weekday
    show(qtbot, screen, tab)
    assert tab.model.rowCount() == 7
    assert tab.chart.bar_count() == 7
    names = [tab.model.data(tab.model.index(n, WeekdayColumn.WEEKDAY)) for n in range(7)]
    assert names[0] == "Monday" and names[-1] == "Sunday"
    assert sum(row.days for row in tab.model.rows()) == 30
    row = tab.model.rows()[0]
    per_day = tab.model.data(tab.model.index(0, WeekdayColumn.SALES_PER_DAY))
    assert per_day == f"{row.sales / row.days:,.1f}"


def test_the_average_sale_in_the_summary_matches_the_insights(screen: AnalyticsScreen) -> None:
    average = insights.average_sale(*owner_args(screen))
    assert screen.report is not None and average.sales == screen.report.sales
    assert f"Average sale <b>{screen._session.money(average.average_cents)}</b>" in (
        screen.summary_label.text()
    )


def test_filters_do_not_change_the_insights(qtbot: Any, screen: AnalyticsScreen) -> None:
    tab = screen.insights.top_sellers
    show(qtbot, screen, tab)
    before = ids(tab)
    screen.filters.check_category("Snacks")
    settle(qtbot)
    assert ids(tab) == before


def test_a_newer_range_replaces_an_older_one_still_running(
    qtbot: Any, screen: AnalyticsScreen
) -> None:
    tab = screen.insights.top_sellers
    show(qtbot, screen, tab)
    delivered: list[Any] = []
    tab.loaded.connect(lambda dates, _rows: delivered.append(dates))
    today = screen.today()
    older, newer = (today - timedelta(days=6), today), (today - timedelta(days=13), today)
    screen.set_range(*older)
    screen.run_query()
    assert tab.loading
    screen.set_range(*newer)
    screen.run_query()
    settle(qtbot)
    assert delivered == [newer]
    assert tab.loaded_range == newer
    expected = insights.top_sellers(screen._session.ctx, screen._session.user, *newer)
    assert ids(tab) == [row.product_id for row in expected]


def test_export_sale_lines_writes_one_row_per_sold_line(
    qtbot: Any, screen: AnalyticsScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "lines.csv"
    asked: list[str] = []

    def ask(_parent: Any, default_name: str) -> str:
        asked.append(default_name)
        return str(target)

    monkeypatch.setattr(sale_lines, "ask_save_path", ask)
    start, end = screen._dates()
    with qtbot.waitSignal(screen.message, timeout=10_000) as blocker:
        screen.sale_lines.button.click()
    settle(qtbot)
    assert asked == [f"sales-{start.isoformat()}-{end.isoformat()}.csv"]
    text, is_error = blocker.args
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    report = analytics.sales_data(
        screen._session.ctx, screen._session.user, SalesQuery(start, end, include_lines=True)
    )
    lines = sum(len(bucket.lines) for bucket in report.buckets)
    assert not is_error and text == f"Exported {lines:,} lines to {target}"
    assert tuple(rows[0]) == sale_line_csv.SALE_LINE_COLUMNS
    assert len(rows) == lines + 1
    assert all(start.isoformat() <= row[2] <= end.isoformat() for row in rows[1:])
    assert screen.sale_lines.button.isEnabled()


def test_a_cancelled_file_dialog_exports_nothing(
    qtbot: Any, screen: AnalyticsScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sale_lines, "ask_save_path", lambda _parent, _name: "")
    screen.sale_lines.button.click()
    assert not screen.sale_lines.running and pending_tasks() == 0


def test_insight_models_keep_the_rules_of_qt_models(
    qtbot: Any, qtmodeltester: Any, screen: AnalyticsScreen
) -> None:
    for tab in screen.insights.all:
        show(qtbot, screen, tab)
        qtmodeltester.check(tab.model)


def test_cancel_in_the_progress_dialog_stops_the_export(
    qtbot: Any, screen: AnalyticsScreen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "lines.csv"
    started = threading.Event()

    def slow_export(*_args: Any, progress: Any, cancel: Any, **_kwargs: Any) -> int:
        started.set()
        progress(0, 1000)
        deadline = time.monotonic() + 5
        while not cancel() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise ValidationError(sale_line_csv.EXPORT_CANCELLED)

    monkeypatch.setattr(sale_lines, "ask_save_path", lambda _parent, _name: str(target))
    monkeypatch.setattr(sale_lines.sale_line_csv, "export_sale_lines", slow_export)
    screen.sale_lines.button.click()
    assert screen.sale_lines.running and not screen.sale_lines.button.isEnabled()
    assert started.wait(5)
    dialog = screen.sale_lines.dialog
    assert dialog is not None
    with qtbot.waitSignal(screen.message, timeout=10_000) as blocker:
        dialog.cancel_button.click()
    settle(qtbot)
    assert blocker.args == [sale_line_csv.EXPORT_CANCELLED, True]
    assert not target.exists() and screen.sale_lines.button.isEnabled()
