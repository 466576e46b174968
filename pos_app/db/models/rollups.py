"""Sales rollups: kept in the same transaction as each sale, rebuilt from the sale lines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models.base import Base
from pos_app.db.types import BigIntPK, cents

CATEGORY_SET_KEY_LENGTH = 64
# No length limit that a sale could reach: a sale over every category of a large catalogue
# still has its set stored (MEDIUMTEXT on MariaDB holds 16 MB; TEXT would stop at 64 kB).
CategorySetText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


MEASURE_COLUMNS = ("sales_count", "units", "revenue_cents", "discount_cents")


class _RollupColumns:
    """Shared by the sales rollups; each table adds its key columns and its primary key."""

    local_date: Mapped[date] = mapped_column(Date)
    till_id: Mapped[str] = mapped_column(String(64))
    sales_count: Mapped[int] = mapped_column(Integer, nullable=False)
    units: Mapped[int] = mapped_column(BigInteger, nullable=False)
    revenue_cents: Mapped[cents]
    # What promotions and discounts took off: revenue + discount is the gross before them.
    discount_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")


class HourlySales(_RollupColumns, Base):
    """Sales per shop-local day, local hour and till: kept with each sale, rebuilt from lines."""

    __tablename__ = "hourly_sales"
    __table_args__ = (
        PrimaryKeyConstraint("local_date", "local_hour", "till_id"),
        # Covering: a report sums its days' sales from the index alone.
        Index("ix_hourly_sales_report", "local_date", "local_hour", "till_id", *MEASURE_COLUMNS),
    )
    local_hour: Mapped[int] = mapped_column(Integer, autoincrement=False)


PRODUCT_KEYS = ("product_id", "category_id", "till_id")
_DAY_BY_PRODUCT = ("local_date", "category_id", "till_id", *MEASURE_COLUMNS)  # after the product


class DailyProductSales(_RollupColumns, Base):
    __tablename__ = "daily_product_sales"
    __table_args__ = (
        PrimaryKeyConstraint("local_date", "product_id", "category_id", "till_id"),
        # Covering indexes: a report reads its days in order without touching the table, and a
        # product filter reads only that product's days.
        Index("ix_daily_product_sales_report", "local_date", *PRODUCT_KEYS, *MEASURE_COLUMNS),
        Index("ix_daily_product_sales_product", "product_id", *_DAY_BY_PRODUCT),
    )
    product_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


class PeriodProductSales(_RollupColumns, Base):
    """The product rollup summed over whole shop-local weeks (ISO, from Monday), calendar months
    and years: ``period`` is 'weekly', 'monthly' or 'yearly' and ``local_date`` the period's
    first day. Each row is the sum of the ``daily_product_sales`` rows of its period, so a report
    over a year reads a few rows per product instead of 365. Stored without SQLite's rowid, so
    the rows lie in key order like InnoDB's."""

    __tablename__ = "period_product_sales"
    __table_args__ = (
        PrimaryKeyConstraint("period", "local_date", "product_id", "category_id", "till_id"),
        Index("ix_period_product_sales_product", "product_id", "period", *_DAY_BY_PRODUCT),
        {"sqlite_with_rowid": False},
    )
    period: Mapped[str] = mapped_column(String(8))
    product_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


class DailyCategorySales(_RollupColumns, Base):
    __tablename__ = "daily_category_sales"
    __table_args__ = (PrimaryKeyConstraint("local_date", "category_id", "till_id"),)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


_SET_KEY = ("local_date", "category_set_key", "till_id")
_BY_SET = ("category_set_key", "local_date", "till_id", "sales_count")


class DailyCategorySet(Base):
    """Sales per shop-local day, till and set of categories (when sold) the sale holds.

    ``category_set`` is the canonical text of a sale's distinct category ids, sorted ascending
    and joined by commas (``"2,5,7"``), of any length; ``category_set_key`` is the SHA-256 of
    that text in hex, a fixed-length key for the primary key. Each sale counts in exactly one
    row, so the sales of a day holding any of several categories are the sum over the sets
    meeting them.
    """

    __tablename__ = "daily_category_sets"
    __table_args__ = (
        PrimaryKeyConstraint(*_SET_KEY),
        # Covering, by set: the distinct sets are a skip over the index, and a report sums the
        # sales of the matching sets over its days in the index alone.
        Index("ix_daily_category_sets_set", *_BY_SET),
    )

    local_date: Mapped[date] = mapped_column(Date)
    category_set_key: Mapped[str] = mapped_column(String(CATEGORY_SET_KEY_LENGTH))
    till_id: Mapped[str] = mapped_column(String(64))
    category_set: Mapped[str] = mapped_column(CategorySetText, nullable=False)
    sales_count: Mapped[int] = mapped_column(Integer, nullable=False)


__all__ = [
    "CATEGORY_SET_KEY_LENGTH",
    "DailyCategorySales",
    "DailyCategorySet",
    "DailyProductSales",
    "HourlySales",
    "PeriodProductSales",
]
