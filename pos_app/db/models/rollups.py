"""Sales rollups: kept in the same transaction as each sale, rebuilt from the sale lines.
Their tables, and what each holds, are in ``pos_app.db.tables``."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Mapped

from pos_app.db import tables
from pos_app.db.models.base import Base
from pos_app.db.tables import CATEGORY_SET_KEY_LENGTH, MEASURE_COLUMNS, PRODUCT_KEYS


class _RollupColumns:
    """Shared by the sales rollups; each table adds its key columns."""

    local_date: Mapped[date]
    till_id: Mapped[str]
    sales_count: Mapped[int]
    units: Mapped[int]
    revenue_cents: Mapped[int]
    discount_cents: Mapped[int]


class HourlySales(_RollupColumns, Base):
    """Sales per shop-local day, local hour and till: kept with each sale, rebuilt from lines."""

    __table__ = tables.hourly_sales
    local_hour: Mapped[int]


class DailyProductSales(_RollupColumns, Base):
    __table__ = tables.daily_product_sales
    product_id: Mapped[int]
    category_id: Mapped[int]  # when sold


class PeriodProductSales(_RollupColumns, Base):
    """The product rollup summed over whole weeks, months and years."""

    __table__ = tables.period_product_sales
    period: Mapped[str]
    product_id: Mapped[int]
    category_id: Mapped[int]  # when sold


class DailyCategorySales(_RollupColumns, Base):
    __table__ = tables.daily_category_sales
    category_id: Mapped[int]  # when sold


class DailyCategorySet(Base):
    """Sales per shop-local day, till and set of categories (when sold) the sale holds."""

    __table__ = tables.daily_category_sets

    local_date: Mapped[date]
    category_set_key: Mapped[str]
    till_id: Mapped[str]
    category_set: Mapped[str]
    sales_count: Mapped[int]


__all__ = [
    "CATEGORY_SET_KEY_LENGTH",
    "MEASURE_COLUMNS",
    "PRODUCT_KEYS",
    "DailyCategorySales",
    "DailyCategorySet",
    "DailyProductSales",
    "HourlySales",
    "PeriodProductSales",
]
