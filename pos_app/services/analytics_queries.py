"""The SQL behind the owner's sales report: rollup rows per day and exact sale counts.

Units, revenue and the breakdowns come from ``daily_product_sales`` (one row per day, product,
category when sold and till), never from the sale lines. The number of sales needs more care,
because a sale holding two matching products must count once:

- no filter: the sum over ``hourly_sales``;
- one product (with or without a category filter): the product rollup's own ``sales_count``;
- one category and no product: ``daily_category_sales``;
- several products or several categories: ``COUNT(DISTINCT sale_id)`` over the sale lines,
  read from a covering index that starts with the filter column (``ix_sale_items_product_day``,
  ``ix_sale_items_category_day``), so only the matching lines are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    case,
    cast,
    distinct,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from pos_app.db.models import DailyCategorySales, DailyProductSales, HourlySales, SaleItem

# (bucket key, category id, product id, sales holding the product, units, revenue in cents);
# the bucket key is the day for a daily report, otherwise the number of the bucket.
GroupRow = tuple[date | int, int, int, int, int, int]
BUCKET_LABEL = "report_bucket"


def bucket_groups(
    session: Session,
    bounds: Sequence[tuple[date, date]],
    daily: bool,
    product_ids: Sequence[int],
    category_ids: Sequence[int],
) -> Sequence[GroupRow]:
    """Units and revenue per bucket, category and product (summed over days and tills).

    Days fold into buckets in SQL (a CASE over the bucket ends), so a yearly report returns one
    row per product instead of one per product and day.
    """
    model = DailyProductSales
    conditions = [model.local_date >= bounds[0][0], model.local_date <= bounds[-1][1]]
    if product_ids:
        conditions.append(model.product_id.in_(product_ids))
    if category_ids:
        conditions.append(model.category_id.in_(category_ids))
    key: ColumnElement[Any]
    if daily:
        key = model.local_date
    elif len(bounds) == 1:
        key = literal_column("0")
    else:
        key = case(
            *((model.local_date <= last, number) for number, (_, last) in enumerate(bounds)),
            else_=len(bounds) - 1,
        )
    label = literal_column(BUCKET_LABEL)
    statement = (
        select(
            key.label(BUCKET_LABEL),
            model.category_id,
            model.product_id,
            _sum(model.sales_count),
            _sum(model.units),
            _sum(model.revenue_cents),
        )
        .where(*conditions)
        .group_by(label, model.product_id, model.category_id)
    )
    return session.connection().execute(statement).tuples().all()  # type: ignore[return-value]


def _sum(column: ColumnElement[int]) -> ColumnElement[int]:
    return cast(func.sum(column), BigInteger)


def day_sales(
    session: Session,
    start: date,
    end: date,
    product_ids: Sequence[int],
    category_ids: Sequence[int],
) -> dict[date, int] | None:
    """The number of sales per day with at least one line matching the filters; None for one
    product, whose bucket groups carry the exact count already."""
    if len(product_ids) == 1:
        return None
    if not product_ids and not category_ids:
        hourly = HourlySales
        return _per_day(
            session,
            select(hourly.local_date, func.sum(hourly.sales_count))
            .where(hourly.local_date >= start, hourly.local_date <= end)
            .group_by(hourly.local_date),
        )
    if not product_ids and len(category_ids) == 1:
        model = DailyCategorySales
        return _per_day(
            session,
            select(model.local_date, func.sum(model.sales_count))
            .where(
                model.local_date >= start,
                model.local_date <= end,
                model.category_id == category_ids[0],
            )
            .group_by(model.local_date),
        )
    return _distinct_sales(session, start, end, product_ids, category_ids)


def _distinct_sales(
    session: Session,
    start: date,
    end: date,
    product_ids: Sequence[int],
    category_ids: Sequence[int],
) -> dict[date, int]:
    conditions: list[ColumnElement[bool]] = [
        SaleItem.local_date >= start,
        SaleItem.local_date <= end,
    ]
    if product_ids:
        conditions.append(SaleItem.product_id.in_(product_ids))
    if category_ids:
        conditions.append(SaleItem.category_id.in_(category_ids))
    index = "ix_sale_items_product_day" if product_ids else "ix_sale_items_category_day"
    statement = (
        select(SaleItem.local_date, func.count(distinct(SaleItem.sale_id)))
        .where(*conditions)
        .group_by(SaleItem.local_date)
        .with_hint(SaleItem, f"INDEXED BY {index}", "sqlite")
        .with_hint(SaleItem, f"FORCE INDEX ({index})", "mysql")
        .with_hint(SaleItem, f"FORCE INDEX ({index})", "mariadb")
    )
    return _per_day(session, statement)


def _per_day(session: Session, statement: Select[Any]) -> dict[date, int]:
    rows = session.connection().execute(statement)
    return {day: int(count) for day, count in rows}


__all__ = ["GroupRow", "bucket_groups", "day_sales"]
