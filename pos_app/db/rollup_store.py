"""A sale counted into the rollups, in the sale's own transaction: one statement per table, sent
with the sale's own statements (see :mod:`pos_app.db.statement_batch`).

What the rollup tables hold is told in :mod:`pos_app.services.rollups`, which also rebuilds
them from the sale lines. Each table is keyed per till, so two tills selling the same product
never update the same row, and each sale's rows are written in key order, so they cannot
deadlock either.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Table

from pos_app.db.models import (
    Base,
    DailyCategorySales,
    DailyCategorySet,
    DailyProductSales,
    HourlySales,
    PeriodProductSales,
    table_of,
)
from pos_app.db.statement_batch import StatementBatch
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


# Each rollup table with the measures it keeps, in the order a sale writes them.
_TABLES: dict[type[Base], tuple[Table, tuple[str, ...]]] = {
    model: (table_of(model), tuple(name for name in MEASURES if name in table_of(model).c))
    for model in (
        HourlySales,
        DailyProductSales,
        DailyCategorySales,
        DailyCategorySet,
        PeriodProductSales,
    )
}


def add_lines_to_rollups(
    batch: StatementBatch,
    *,
    till_id: str,
    created_at: datetime,
    local_date: date,
    timezone: ZoneInfo,
    lines: Iterable[RollupLine],
) -> None:
    """Count one sale, made at ``created_at`` on ``till_id``, into the rollups: add one statement
    per table to ``batch``, each writing its rows in key order."""
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
    hour = created_at.astimezone(timezone).hour
    units = sum(counts[0] for counts in categories.values())
    revenue = sum(counts[1] for counts in categories.values())
    discount = sum(counts[2] for counts in categories.values())
    by_product = sorted(products.items())
    writes: tuple[tuple[type[Base], list[dict[str, Any]]], ...] = (
        (
            HourlySales,
            [_counts(local_date, till_id, (units, revenue, discount), local_hour=hour)],
        ),
        (
            DailyProductSales,
            [
                _counts(local_date, till_id, counts, product_id=product, category_id=category)
                for (product, category), counts in by_product
            ],
        ),
        (
            DailyCategorySales,
            [
                _counts(local_date, till_id, counts, category_id=category)
                for category, counts in sorted(categories.items())
            ],
        ),
        (
            DailyCategorySet,
            [
                {
                    "local_date": local_date,
                    "till_id": till_id,
                    "sales_count": 1,
                    **category_set_row(category_set(categories)),
                }
            ],
        ),
        (
            PeriodProductSales,
            [
                _counts(
                    first_day,
                    till_id,
                    counts,
                    period=period.value,
                    product_id=product,
                    category_id=category,
                )
                for period, first_day in (
                    (period, period_start(local_date, period)) for period in ROLLUP_PERIODS
                )
                for (product, category), counts in by_product
            ],
        ),
    )
    for model, rows in writes:
        table, measures = _TABLES[model]
        add_to_counters(batch, table, rows, measures)


def _counts(local_date: date, till_id: str, counts: Sequence[int], **key: object) -> dict[str, Any]:
    """A rollup row of one sale: its key, then units, revenue and discount."""
    return {
        "local_date": local_date,
        "till_id": till_id,
        **key,
        "sales_count": 1,
        "units": counts[0],
        "revenue_cents": counts[1],
        "discount_cents": counts[2],
    }


__all__ = [
    "MEASURES",
    "RollupLine",
    "add_lines_to_rollups",
    "category_set",
    "category_set_key",
    "category_set_row",
]
