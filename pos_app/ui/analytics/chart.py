"""Revenue as bars (left axis, currency) and the number of sales as a line (right axis).

A standalone matplotlib Figure in a FigureCanvasQTAgg; pyplot is never used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from pos_app.services.analytics import Bucket, SalesReport
from pos_app.services.money import ShopFormat
from pos_app.ui.translation import QT_TRANSLATE_NOOP, number, translated

SALES_POINT = QT_TRANSLATE_NOOP("SalesChart", "{0} sales")

Money = Callable[[int], str]

BAR_COLOUR = "#2f6fb0"
LINE_COLOUR = "#d9822b"
TEXT_COLOUR = "#1d2733"
GRID_COLOUR = "#e6eaef"
BUCKET_NAMES = {
    Bucket.DAILY: QT_TRANSLATE_NOOP("Bucket", "per day"),
    Bucket.WEEKLY: QT_TRANSLATE_NOOP("Bucket", "per week"),
    Bucket.MONTHLY: QT_TRANSLATE_NOOP("Bucket", "per month"),
    Bucket.YEARLY: QT_TRANSLATE_NOOP("Bucket", "per year"),
    Bucket.NONE: QT_TRANSLATE_NOOP("Bucket", "whole range"),
}


# CLDR date patterns, written in the shop's locale ("Dec 2026", "Dez. 2026").
CALENDAR_LABELS = {Bucket.MONTHLY: "MMM y", Bucket.YEARLY: "y", Bucket.NONE: "d MMM y"}
MAX_LABELS = 12
FEW_BUCKETS = 6

_DATE2NUM: Callable[[list[date]], Sequence[float]] = date2num


def day_numbers(days: list[date]) -> list[float]:
    """Dates as matplotlib's day numbers, so bars can sit in the middle of their bucket."""
    return [float(number) for number in _DATE2NUM(days)]


def whole_units(shop: ShopFormat) -> FuncFormatter:
    """Axis labels in the shop's currency without decimals: €1,200, 1.200 €."""

    def label(value: float, _position: float) -> str:
        return shop.whole_money(round(value) * 10**shop.minor_units)

    return FuncFormatter(label)


class SalesChart(QWidget):
    """The chart of one report; ``export_png`` saves exactly what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("salesChart")
        self.figure = Figure(figsize=(8, 3.6), dpi=100, layout="constrained")
        self.figure.set_facecolor("#ffffff")
        self.canvas = FigureCanvasQTAgg(self.figure)  # type: ignore[no-untyped-call]
        self.canvas.setObjectName("salesCanvas")
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumHeight(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        self.revenue_axes = self.figure.add_subplot()
        self.sales_axes = self.revenue_axes.twinx()
        self.show_message(self.tr("No report yet."))

    def _reset(self) -> None:
        self.revenue_axes.clear()
        self.sales_axes.clear()
        for legend in list(self.figure.legends):
            legend.remove()
        # clearing a twin resets its side; the number of sales belongs on the right
        self.sales_axes.yaxis.tick_right()
        self.sales_axes.yaxis.set_label_position("right")
        for axes in (self.revenue_axes, self.sales_axes):
            axes.tick_params(colors=TEXT_COLOUR, labelsize=9)
            for side, spine in axes.spines.items():
                spine.set_visible(side != "top")

    def show_message(self, text: str) -> None:
        """An empty chart with one sentence in the middle (no data, an error)."""
        self._reset()
        self.revenue_axes.set_xticks([])
        self.revenue_axes.set_yticks([])
        self.sales_axes.set_yticks([])
        for axes in (self.revenue_axes, self.sales_axes):
            for spine in axes.spines.values():
                spine.set_visible(False)
        self.revenue_axes.text(
            0.5, 0.5, text, ha="center", va="center", color="#5c6b7a", fontsize=11,
            transform=self.revenue_axes.transAxes,
        )  # fmt: skip
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def show_report(self, report: SalesReport, shop: ShopFormat, filters: str = "") -> None:
        """Bars and line of ``report``; the title states the range, the bucket and ``filters``
        (so an exported picture says what it shows)."""
        if not report.buckets:
            self.show_message(self.tr("No days in this range."))
            return
        self._reset()
        buckets = report.buckets
        days = [(b.end - b.start).days + 1 for b in buckets]
        starts = day_numbers([b.start for b in buckets])
        centres = [start + n / 2 for start, n in zip(starts, days, strict=True)]
        widths = [max(0.6, n * 0.8) for n in days]
        revenue = [b.revenue_cents / 10**shop.minor_units for b in buckets]
        sales = [b.sales for b in buckets]
        axes, right = self.revenue_axes, self.sales_axes
        axes.bar(
            centres, revenue, width=widths, color=BAR_COLOUR, alpha=0.85, label=self.tr("Revenue")
        )
        right.plot(centres, sales, color=LINE_COLOUR, marker="o", markersize=3.5,
                   linewidth=1.8, label=self.tr("Sales"))  # fmt: skip
        if len(buckets) <= FEW_BUCKETS:
            self._label_sales(centres, sales)
        axes.set_ylabel("Revenue", color=BAR_COLOUR)
        right.set_ylabel("Number of sales", color=LINE_COLOUR)
        axes.yaxis.set_major_formatter(whole_units(shop))
        right.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        right.set_ylim(bottom=0, top=max(1, max(sales)) * 1.15)
        axes.grid(axis="y", color=GRID_COLOUR)
        axes.set_axisbelow(True)
        self._set_time_axis(report, centres, shop)
        first, last = day_numbers([buckets[0].start, buckets[-1].end + timedelta(days=1)])
        axes.set_xlim(first - days[0] * 0.1, last + days[-1] * 0.1)
        handles = axes.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
        # Outside the axes, above them on the right: the legend never covers a bar.
        self.figure.legend(
            handles=handles, loc="outside upper right", frameon=False, fontsize=9, ncols=2
        )
        query = report.query
        span = f"{shop.date(query.start)} \u2013 {shop.date(query.end)}"
        title = f"{span}, {translated('Bucket', BUCKET_NAMES[query.bucket])}"
        if filters:
            title += f"\n{filters}"
        axes.set_title(title, fontsize=10, color=TEXT_COLOUR, loc="left")
        self.canvas.draw_idle()  # type: ignore[no-untyped-call]

    def _set_time_axis(self, report: SalesReport, centres: list[float], shop: ShopFormat) -> None:
        """Days and weeks on a date axis; months and years one label under each bar, so a
        year's bar is labelled with its year, not with the months it spans."""
        axes, bucket = self.revenue_axes, report.query.bucket
        label_format = CALENDAR_LABELS.get(bucket)
        if label_format is None:
            locator = AutoDateLocator(minticks=3, maxticks=10)  # type: ignore[no-untyped-call]
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
            return
        step = max(1, math.ceil(len(centres) / MAX_LABELS))
        labels = [shop.pattern(b.start, label_format) for b in report.buckets]
        axes.set_xticks(centres[::step], labels[::step])

    def _label_sales(self, centres: list[float], sales: list[int]) -> None:
        """With few buckets each sales point says its number, so a lone dot is not a riddle."""
        for x, count in zip(centres, sales, strict=True):
            self.sales_axes.annotate(
                translated("SalesChart", SALES_POINT).format(number(count)),
                (x, count), textcoords="offset points", xytext=(0, 7),
                ha="center", fontsize=9, color=LINE_COLOUR,
            )  # fmt: skip

    def bar_count(self) -> int:
        return len(self.revenue_axes.patches)

    def export_png(self, path: str | Path) -> None:
        self.figure.savefig(str(path), format="png", dpi=150, facecolor="#ffffff")
