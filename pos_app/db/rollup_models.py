"""Rollup models that do not fit in :mod:`pos_app.db.models`; that module imports this one, so
``Base.metadata`` always holds them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models import Base

CATEGORY_SET_KEY_LENGTH = 64
# No length limit that a sale could reach: a sale over every category of a large catalogue
# still has its set stored (MEDIUMTEXT on MariaDB holds 16 MB; TEXT would stop at 64 kB).
CategorySetText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


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


__all__ = ["CATEGORY_SET_KEY_LENGTH", "CategorySetText", "DailyCategorySet"]
