"""Sales rollups: kept in the same transaction as each sale, rebuilt from the sale lines."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models.base import Base
from pos_app.db.types import BigIntPK, cents

CATEGORY_SET_KEY_LENGTH = 64
# No length limit that a sale could reach: a sale over every category of a large catalogue
# still has its set stored (MEDIUMTEXT on MariaDB holds 16 MB; TEXT would stop at 64 kB).
CategorySetText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


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
    __table_args__ = (PrimaryKeyConstraint("local_date", "local_hour", "till_id"),)
    local_hour: Mapped[int] = mapped_column(Integer, autoincrement=False)


class DailyProductSales(_RollupColumns, Base):
    __tablename__ = "daily_product_sales"
    __table_args__ = (PrimaryKeyConstraint("local_date", "product_id", "category_id", "till_id"),)
    product_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


class DailyCategorySales(_RollupColumns, Base):
    __tablename__ = "daily_category_sales"
    __table_args__ = (PrimaryKeyConstraint("local_date", "category_id", "till_id"),)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


class DailyCategorySet(Base):
    """Sales per shop-local day, till and set of categories (when sold) the sale holds.

    ``category_set`` is the canonical text of a sale's distinct category ids, sorted ascending
    and joined by commas (``"2,5,7"``), of any length; ``category_set_key`` is the SHA-256 of
    that text in hex, a fixed-length key for the primary key. Each sale counts in exactly one
    row, so the sales of a day holding any of several categories are the sum over the sets
    meeting them.
    """

    __tablename__ = "daily_category_sets"
    __table_args__ = (PrimaryKeyConstraint("local_date", "category_set_key", "till_id"),)

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
]
