"""Analytics an owner can read and trust: a yearly axis for yearly buckets, a legend that
never covers a bar, typed dates, exports that say what they show, a chart that stays put."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pos_app.services.analytics import Bucket
from pos_app.services.money import ShopFormat
from pos_app.ui.analytics import AnalyticsScreen
from tests.ui.test_analytics import open_screen, screen, settle

__all__ = ["open_screen", "screen"]  # fixtures


def tick_labels(screen: AnalyticsScreen) -> list[str]:
    return [label.get_text() for label in screen.chart.revenue_axes.get_xticklabels()]


def test_yearly_buckets_are_drawn_on_a_yearly_axis(qtbot: Any, screen: AnalyticsScreen) -> None:
    today = screen.today()
    screen.set_range(date(today.year - 2, 1, 1), today, Bucket.YEARLY)
    screen.run_query()
    settle(qtbot)
    report = screen.report
    assert report is not None and len(report.buckets) == 3
    assert tick_labels(screen) == [str(today.year - 2), str(today.year - 1), str(today.year)]
    assert screen.chart.bar_count() == 3
    labels = [text.get_text() for text in screen.chart.sales_axes.texts]
    assert labels == [f"{bucket.sales:,} sales" for bucket in report.buckets]


def test_the_legend_never_covers_a_bar(qtbot: Any, screen: AnalyticsScreen) -> None:
    screen.resize(1000, 640)
    screen.show()
    qtbot.waitExposed(screen)
    for bucket in (Bucket.DAILY, Bucket.WEEKLY, Bucket.YEARLY):
        screen.bucket_combo.setCurrentIndex(screen.bucket_combo.findData(bucket.value))
        settle(qtbot)
        chart = screen.chart
        chart.canvas.draw()
        (legend,) = chart.figure.legends
        box = legend.get_window_extent()
        for bar in chart.revenue_axes.patches:
            assert not box.overlaps(bar.get_window_extent()), bucket


def test_a_typed_date_is_taken(qtbot: Any, screen: AnalyticsScreen) -> None:
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    field = screen.from_field
    field.setFocus()
    field.setCurrentSection(field.Section.YearSection)
    start = screen.today().replace(day=1)
    qtbot.keyClicks(QApplication.focusWidget(), start.isoformat())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settle(qtbot)
    assert screen.report is not None and screen.report.query.start == start


def test_exports_state_the_range_the_bucket_and_the_filters(
    qtbot: Any, screen: AnalyticsScreen, tmp_path: Path
) -> None:
    screen.filters.check_category("Snacks")
    settle(qtbot)
    report = screen.report
    assert report is not None
    table = tmp_path / "table.csv"
    screen.export_csv(table)
    head = table.read_text(encoding="utf-8").splitlines()[:4]
    assert head == [
        f"# Sales from {report.query.start.isoformat()} to {report.query.end.isoformat()}",
        "# Bucket: per day",
        "# Filters: categories: Snacks; products: all",
        "start,end,sales,units,revenue,discounts,gross",
    ]
    title = screen.chart.revenue_axes.get_title(loc="left")
    assert ShopFormat().date(report.query.start) in title and "per day" in title
    assert "categories: Snacks; products: all" in title  # the PNG is the figure


def test_the_chart_and_the_tab_row_keep_their_place_when_switching_tabs(
    qtbot: Any, screen: AnalyticsScreen
) -> None:
    screen.resize(1000, 640)
    screen.show()
    qtbot.waitExposed(screen)
    tab_bar = screen.tabs.tabBar()

    def places() -> tuple[Any, Any]:
        QApplication.processEvents()
        return screen.chart.geometry(), tab_bar.mapTo(screen, tab_bar.rect().topLeft())

    before = places()
    for index in range(1, screen.tabs.count()):
        screen.tabs.setCurrentIndex(index)
        settle(qtbot)
        assert places() == before, screen.tabs.tabText(index)
