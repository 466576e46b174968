"""A sale counted into the rollups, in the sale's own transaction: one statement per table.

What the rollup tables hold is told in :mod:`pos_app.services.rollups`, which also rebuilds
them from the sale lines. Each table is keyed per till, so two tills selling the same product
never update the same row, and each sale's rows are written in key order, so they cannot
deadlock either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from pos_app.db.models import (
    DailyCategorySales,
    DailyCategorySet,
    DailyProductSales,
    HourlySales,
    PeriodProductSales,
    table_of,
)
from pos_app.db.upsert import add_to_counters
from pos_app.domain.periods import ROLLUP_PERIODS, period_start

MEASURES = ("sales_count", "units", "revenue_cents", "discount_cents")


def category_set(category_ids: Iterable[int]) -> str:
    """The canonical text of a set of category ids: sorted, distinct, joined by commas."""
    return ",".join(str(category_id) for category_id in sorted(set(category_ids)))


def category_set_key(text: str) -> str:
    """The fixed-length key of a category set's text: its SHA-256 in hex."""
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def category_set_row(text: str) -> dict[str, str]:
    return {"category_set": text, "category_set_key": category_set_key(text)}


class RollupLine(NamedTuple):
    """One sale line as the rollups count it: the category is the one recorded when sold."""

    product_id: int
    category_id: int
    quantity: int
    revenue_cents: int
    discount_cents: int = 0
    weighed: bool = False

    @property
    def items(self) -> int:
        """What the line adds to units across products: its pieces, or one weighed line."""
        return 1 if self.weighed else self.quantity


def add_lines_to_rollups(
    connection: Connection,
    *,
    till_id: str,
    created_at: datetime,
    local_date: date,
    timezone: ZoneInfo,
    lines: Iterable[RollupLine],
) -> None:
    """Count one sale, made at ``created_at`` on ``till_id``, into the rollups: one statement
    per table, each writing its rows in key order."""
    products: dict[tuple[int, int], list[int]] = {}
    categories: dict[int, list[int]] = {}
    for line in lines:
        counts = products.setdefault((line.product_id, line.category_id), [0, 0, 0])
        counts[0] += line.quantity
        counts[1] += line.revenue_cents
        counts[2] += line.discount_cents
        counts = categories.setdefault(line.category_id, [0, 0, 0])
        counts[0] += line.items
        counts[1] += line.revenue_cents
        counts[2] += line.discount_cents
    if not products:
        return
    key = {"local_date": local_date, "till_id": till_id, "sales_count": 1}
    hour = created_at.astimezone(timezone).hour
    units = sum(counts[0] for counts in categories.values())
    revenue = sum(counts[1] for counts in categories.values())
    discount = sum(counts[2] for counts in categories.values())
    sale = {"units": units, "revenue_cents": revenue, "discount_cents": discount}
    product_rows = [
        {
            **key,
            "product_id": product,
            "category_id": category,
            "units": u,
            "revenue_cents": r,
            "discount_cents": d,
        }
        for (product, category), (u, r, d) in sorted(products.items())
    ]
    writes = (
        (HourlySales, [{**key, "local_hour": hour, **sale}]),
        (DailyProductSales, product_rows),
        (
            DailyCategorySales,
            [
                {
                    **key,
                    "category_id": category,
                    "units": u,
                    "revenue_cents": r,
                    "discount_cents": d,
                }
                for category, (u, r, d) in sorted(categories.items())
            ],
        ),
        (DailyCategorySet, [{**key, **category_set_row(category_set(categories))}]),
        (
            PeriodProductSales,
            [
                {**row, "period": period.value, "local_date": period_start(local_date, period)}
                for period in ROLLUP_PERIODS
                for row in product_rows
            ],
        ),
    )
    for model, rows in writes:
        table = table_of(model)
        add_to_counters(connection, table, rows, [name for name in MEASURES if name in table.c])


__all__ = [
    "MEASURES",
    "RollupLine",
    "add_lines_to_rollups",
    "category_set",
    "category_set_key",
    "category_set_row",
]
