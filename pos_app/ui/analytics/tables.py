"""Report tables (buckets, breakdowns) and the CSV export of the buckets."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from pos_app.services.analytics import BucketRow, SalesReport
from pos_app.services.analytics_breakdowns import Breakdown
from pos_app.services.money import ShopFormat, format_plain
from pos_app.ui.models import Column
from pos_app.ui.translation import number, weight_text

Money = Callable[[int], str]
CSV_HEADER = ("start", "end", "sales", "units", "revenue", "discounts", "gross")


class BucketColumn(IntEnum):
    START = 0
    END = 1
    SALES = 2
    UNITS = 3
    REVENUE = 4
    AVERAGE = 5
    DISCOUNTS = 6
    GROSS = 7


class BreakdownColumn(IntEnum):
    NAME = 0
    UNITS = 1
    REVENUE = 2
    SHARE = 3


def average(revenue_cents: int, sales: int) -> int:
    """Revenue per sale rounded half up, the rounding of ``insights.average_sale``."""
    return (2 * revenue_cents + sales) // (2 * sales) if sales else 0


def bucket_columns(shop: ShopFormat) -> list[Column[BucketRow]]:
    money = shop.money
    return [
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Start"), lambda b: shop.date(b.start)
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "End"), lambda b: shop.date(b.end)
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Sales"),
            lambda b: number(b.sales),
            align_right=True,
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Units"),
            lambda b: number(b.units),
            align_right=True,
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Revenue"),
            lambda b: money(b.revenue_cents),
            align_right=True,
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Per sale"),
            lambda b: money(average(b.revenue_cents, b.sales)),
            align_right=True,
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Discounts"),
            lambda b: money(b.discount_cents),
            align_right=True,
        ),
        Column[BucketRow](
            QCoreApplication.translate("analytics.tables", "Gross"),
            lambda b: money(b.gross_cents),
            align_right=True,
        ),
    ]


def breakdown_units(row: Breakdown) -> str:
    """'12' pieces, or '3.455 kg' of a product sold by weight."""
    return weight_text(row.units) if row.weighed else number(row.units)


def breakdown_columns(money: Money, total: Callable[[], int]) -> list[Column[Breakdown]]:
    def share(row: Breakdown) -> str:
        whole = total()
        return f"{100 * row.revenue_cents / whole:.1f} %" if whole else ""

    return [
        Column[Breakdown](QCoreApplication.translate("analytics.tables", "Name"), lambda b: b.name),
        Column[Breakdown](
            QCoreApplication.translate("analytics.tables", "Units"),
            breakdown_units,
            align_right=True,
        ),
        Column[Breakdown](
            QCoreApplication.translate("analytics.tables", "Revenue"),
            lambda b: money(b.revenue_cents),
            align_right=True,
        ),
        Column[Breakdown](
            QCoreApplication.translate("analytics.tables", "Share"), share, align_right=True
        ),
    ]


def write_buckets_csv(
    report: SalesReport, path: Path, about: Sequence[str] = (), currency: str = "EUR"
) -> None:
    """One row per bucket; money as plain decimals with a dot and the currency's decimals
    (12.50, 1250 for yen), dates as ISO. ``about``
    lines (what the report covers) come first, each as a ``#`` comment line."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        for line in about:
            handle.write(f"# {line}\n")
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for bucket in report.buckets:
            writer.writerow(
                (
                    bucket.start.isoformat(),
                    bucket.end.isoformat(),
                    bucket.sales,
                    bucket.units,
                    format_plain(bucket.revenue_cents, currency),
                    format_plain(bucket.discount_cents, currency),
                    format_plain(bucket.gross_cents, currency),
                )
            )
