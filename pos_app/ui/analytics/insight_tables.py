"""Columns of the insight tables: ranked products, sales per hour and per weekday."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QCoreApplication

from pos_app.services.insights import HourSales, ProductSales, WeekdaySales
from pos_app.ui.analytics.tables import average
from pos_app.ui.models import Column
from pos_app.ui.translation import decimal, number, weight_text

Money = Callable[[int], str]


class RankedColumn(IntEnum):
    RANK = 0
    PRODUCT = 1
    SKU = 2
    CATEGORY = 3
    SALES = 4
    UNITS = 5
    REVENUE = 6


class HourColumn(IntEnum):
    HOUR = 0
    SALES = 1
    UNITS = 2
    REVENUE = 3
    AVERAGE = 4


class WeekdayColumn(IntEnum):
    WEEKDAY = 0
    DAYS = 1
    SALES = 2
    UNITS = 3
    REVENUE = 4
    SALES_PER_DAY = 5
    REVENUE_PER_DAY = 6


@dataclass(frozen=True)
class RankedProduct:
    """A product with its place in the ranking (1 = first)."""

    rank: int
    product: ProductSales


def ranked(products: Sequence[ProductSales]) -> list[RankedProduct]:
    return [RankedProduct(number, product) for number, product in enumerate(products, 1)]


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00\u2013{(hour + 1) % 24:02d}:00"


def ranked_units(row: RankedProduct) -> str:
    """Pieces, or kilograms ('3.455 kg') of a product sold by weight."""
    product = row.product
    return weight_text(product.units) if product.weighed else number(product.units)


def ranked_columns(money: Money) -> list[Column[RankedProduct]]:
    def product_name(row: RankedProduct) -> str:
        product = row.product
        return product.name if product.is_active else f"{product.name} (inactive)"

    return [
        Column[RankedProduct]("#", lambda r: r.rank, align_right=True),
        Column[RankedProduct](
            QCoreApplication.translate("analytics.insight_tables", "Product"), product_name
        ),
        Column[RankedProduct](
            QCoreApplication.translate("analytics.insight_tables", "SKU"), lambda r: r.product.sku
        ),
        Column[RankedProduct](
            QCoreApplication.translate("analytics.insight_tables", "Category"),
            lambda r: r.product.category_name,
        ),
        Column[RankedProduct](
            QCoreApplication.translate("analytics.insight_tables", "Sales"),
            lambda r: number(r.product.sales),
            align_right=True,
        ),
        Column[RankedProduct](
            QCoreApplication.translate("analytics.insight_tables", "Units"),
            ranked_units,
            align_right=True,
        ),
        Column[RankedProduct](
            QCoreApplication.translate("analytics.insight_tables", "Revenue"),
            lambda r: money(r.product.revenue_cents),
            align_right=True,
        ),
    ]


def hour_columns(money: Money) -> list[Column[HourSales]]:
    return [
        Column[HourSales](
            QCoreApplication.translate("analytics.insight_tables", "Hour"),
            lambda h: hour_label(h.hour),
        ),
        Column[HourSales](
            QCoreApplication.translate("analytics.insight_tables", "Sales"),
            lambda h: number(h.sales),
            align_right=True,
        ),
        Column[HourSales](
            QCoreApplication.translate("analytics.insight_tables", "Units"),
            lambda h: number(h.units),
            align_right=True,
        ),
        Column[HourSales](
            QCoreApplication.translate("analytics.insight_tables", "Revenue"),
            lambda h: money(h.revenue_cents),
            align_right=True,
        ),
        Column[HourSales](
            QCoreApplication.translate("analytics.insight_tables", "Average sale"),
            lambda h: money(average(h.revenue_cents, h.sales)),
            align_right=True,
        ),
    ]


def sales_per_day(row: WeekdaySales) -> float:
    return row.sales / row.days if row.days else 0.0


def weekday_columns(money: Money) -> list[Column[WeekdaySales]]:
    return [
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Weekday"), lambda w: w.name
        ),
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Days"),
            lambda w: number(w.days),
            align_right=True,
        ),
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Sales"),
            lambda w: number(w.sales),
            align_right=True,
        ),
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Units"),
            lambda w: number(w.units),
            align_right=True,
        ),
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Revenue"),
            lambda w: money(w.revenue_cents),
            align_right=True,
        ),
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Sales per day"),
            lambda w: decimal(sales_per_day(w)),
            align_right=True,
        ),
        Column[WeekdaySales](
            QCoreApplication.translate("analytics.insight_tables", "Revenue per day"),
            lambda w: money(average(w.revenue_cents, w.days)),
            align_right=True,
        ),
    ]
