"""The analytics screen: chart and tables of seeded sales, filters, exports, stale queries."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos_app.services.analytics import Bucket
from pos_app.services.context import ServiceContext
from pos_app.services.demo_data import seed_demo
from pos_app.services.money import ShopFormat
from pos_app.services.roles import Role
from pos_app.ui.analytics import AnalyticsScreen
from pos_app.ui.analytics.screen import months_back, to_qdate
from pos_app.ui.analytics.tables import BucketColumn
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def open_screen(
    qtbot: Any, ui_ctx: ServiceContext, session_for: Callable[[Role], UiSession]
) -> Iterator[Callable[[UiSession], AnalyticsScreen]]:
    """Seed 30 days of sales, open a screen and wait for its first report."""
    seed_demo(ui_ctx, session_for(Role.OWNER).user, sales=240, days=30)
    screens: list[AnalyticsScreen] = []

    def make(session: UiSession) -> AnalyticsScreen:
        screen = AnalyticsScreen(session)
        qtbot.addWidget(screen)
        screens.append(screen)
        screen.refresh()
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
        return screen

    yield make
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    screens.clear()


@pytest.fixture
def screen(
    open_screen: Callable[[UiSession], AnalyticsScreen], session_for: SessionFor
) -> AnalyticsScreen:
    return open_screen(session_for(Role.OWNER))


def settle(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)


def test_seeded_sales_show_bars_a_sales_line_and_one_row_per_day(
    screen: AnalyticsScreen,
) -> None:
    report = screen.report
    assert report is not None and report.sales == 240
    assert report.query.bucket is Bucket.DAILY
    assert report.query.end - report.query.start == timedelta(days=29)
    assert screen.buckets.rowCount() == 30
    assert screen.chart.bar_count() == 30
    assert all(patch.get_height() >= 0 for patch in screen.chart.revenue_axes.patches)
    assert len(screen.chart.sales_axes.get_lines()) == 1
    first = screen.buckets.index(0, BucketColumn.START)
    assert screen.buckets.data(first) == ShopFormat().date(report.query.start)
    revenue = screen.buckets.data(screen.buckets.index(0, BucketColumn.REVENUE))
    assert revenue.startswith("€")
    assert f"{report.sales:,}" in screen.summary_label.text()
    assert not screen.busy_bar.isVisibleTo(screen)


def test_exports_write_a_png_and_a_csv_with_plain_money(
    screen: AnalyticsScreen, tmp_path: Path
) -> None:
    png, table = tmp_path / "chart.png", tmp_path / "table.csv"
    screen.export_png(png)
    screen.export_csv(table)
    assert png.read_bytes().startswith(b"\x89PNG")
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(line for line in handle if not line.startswith("#")))
    assert rows[0] == ["start", "end", "sales", "units", "revenue", "discounts", "gross"]
    assert len(rows) == 31
    assert all(re.fullmatch(r"\d+\.\d\d", row[4]) for row in rows[1:])
    assert sum(int(row[2]) for row in rows[1:]) == 240


def test_weekly_buckets_and_quick_ranges_requery(qtbot: Any, screen: AnalyticsScreen) -> None:
    screen.bucket_combo.setCurrentIndex(screen.bucket_combo.findData(Bucket.WEEKLY.value))
    settle(qtbot)
    assert screen.report is not None and screen.report.query.bucket is Bucket.WEEKLY
    assert 5 <= screen.buckets.rowCount() <= 6
    screen.range_buttons["last12"].click()
    settle(qtbot)
    today = screen.today()
    assert screen.report.query.start == months_back(today, 11)
    assert screen.report.query.bucket is Bucket.MONTHLY
    assert screen.buckets.rowCount() == 12
    screen.range_buttons["year"].click()
    settle(qtbot)
    assert screen.report.query.start == date(today.year, 1, 1)
    screen.range_buttons["month"].click()
    settle(qtbot)
    assert screen.report.query.start == today.replace(day=1)
    assert screen.buckets.rowCount() == today.day


def test_a_category_filter_limits_the_breakdown(qtbot: Any, screen: AnalyticsScreen) -> None:
    everything = screen.report
    assert everything is not None
    screen.filters.check_category("Snacks")
    settle(qtbot)
    report = screen.report
    assert report is not None and len(report.query.category_ids) == 1
    assert [row.name for row in screen.categories.rows()] == ["Snacks"]
    assert {row.name for row in screen.products.rows()} <= {
        "Crisps, sea salt",
        "Milk chocolate bar",
    }
    assert report.revenue_cents < everything.revenue_cents
    assert "1 category" in screen.summary_label.text()
    screen.filters.clear_button.click()
    settle(qtbot)
    assert screen.report is not None and screen.report.revenue_cents == everything.revenue_cents


def test_a_product_filter_found_by_search(qtbot: Any, screen: AnalyticsScreen) -> None:
    screen.filters.product_search.setText("cola 3")
    qtbot.waitUntil(lambda: screen.filters.product_list.count() == 1, timeout=5000)
    screen.filters.check_product("Cola 330 ml")
    settle(qtbot)
    assert [row.name for row in screen.products.rows()] in (["Cola 330 ml"], [])
    screen.filters.product_search.setText("water")
    qtbot.waitUntil(lambda: screen.filters.product_list.count() == 2, timeout=5000)
    assert screen.filters.product_ids() == screen.report.query.product_ids  # type: ignore[union-attr]


def test_a_newer_query_replaces_one_still_running(qtbot: Any, screen: AnalyticsScreen) -> None:
    delivered: list[Any] = []
    screen.report_ready.connect(delivered.append)
    screen.bucket_combo.setCurrentIndex(screen.bucket_combo.findData(Bucket.WEEKLY.value))
    assert screen.busy and screen.busy_bar.isVisibleTo(screen)
    screen.bucket_combo.setCurrentIndex(screen.bucket_combo.findData(Bucket.MONTHLY.value))
    settle(qtbot)
    assert [report.query.bucket for report in delivered] == [Bucket.MONTHLY]
    assert not screen.busy


def test_a_start_after_the_end_is_explained(qtbot: Any, screen: AnalyticsScreen) -> None:
    with qtbot.waitSignal(screen.message, timeout=5000) as blocker:
        screen.from_field.setDate(to_qdate(screen.today() + timedelta(days=3)))
    text, is_error = blocker.args
    assert is_error and text
    settle(qtbot)


def test_only_owners_can_use_analytics(
    open_screen: Callable[[UiSession], AnalyticsScreen], session_for: SessionFor
) -> None:
    screen = open_screen(session_for(Role.MANAGER))
    assert not screen.isEnabled()
    assert screen.report is None


def test_report_models_keep_the_rules_of_qt_models(
    qtmodeltester: Any, screen: AnalyticsScreen
) -> None:
    qtmodeltester.check(screen.buckets)
    qtmodeltester.check(screen.categories)
    qtmodeltester.check(screen.products)
