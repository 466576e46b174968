"""The SQL behind the owner's sales report: product rollup rows per day or period.

Units, revenue and the breakdowns come from ``daily_product_sales`` (one row per day, product,
category when sold and till) for single days and from ``period_product_sales`` for whole weeks,
months and years, never from the sale lines. Each statement is built once per shape (which
spans, which filters) and read from covering indexes in key order; a product filter reads the
indexes that start with the product. The number of sales per day, and the shop's figures per day
when no product rows are needed, are in ``analytics_days``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    SQLColumnExpression,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.base import Executable

from pos_app.db import tables
from pos_app.domain.periods import Bucket, Span

_DAILY = tables.daily_product_sales
_PERIODS = tables.period_product_sales
_PRODUCTS = tables.products
_CATEGORIES = tables.categories
# Each group of rollup rows is a JSON array of [category id, product id, sales holding it,
# units, revenue, discounts] per row, built by the database: the MariaDB driver decodes rows in
# Python, a JSON array in C, and a bucket's breakdowns decode it only when they are read.
# MariaDB builds it within group_concat_max_len bytes, which each connection raises to 64 MiB
# (``pos_app.db.engine``).


class KeyGroup(NamedTuple):
    """The rollup rows of one day, or of one whole week, month or year (``first``: its first
    day), summed; ``items`` counts a weighed product's lines, not its grams; ``packed`` holds
    the rows themselves as a JSON array."""

    first: date
    sales: int
    items: int
    revenue: int
    discount: int
    packed: str


class ProductTotal(NamedTuple):
    """One product's (and category's) figures over the range, with both names (None where the
    row is gone) and how the product is sold."""

    category_id: int
    product_id: int
    sales: int
    units: int
    revenue: int
    discount: int
    product_name: str | None
    sold_by: str | None
    category_name: str | None


Shape = tuple[str, tuple[Bucket, ...], bool, bool, bool]
_STATEMENTS: dict[tuple[str, Shape], Executable] = {}


def key_groups(
    connection: Connection,
    spans: Sequence[Span],
    product_ids: Sequence[int],
    category_ids: Sequence[int],
    weighed: Iterable[int],
    *,
    packed: bool = True,
) -> list[KeyGroup]:
    """Per day of the daily spans and per period of the others, the matching rollup rows:
    read in key order from a covering index, summed and (with ``packed``) packed by the
    database; unpacked groups carry an empty ``packed``."""
    shape = _shape(connection.dialect.name, spans, product_ids, category_ids, packed)
    statement = _cached("groups", shape, _key_groups_statement)
    params = _span_params(spans, product_ids, category_ids)
    params["weighed"] = sorted(weighed)
    return [KeyGroup(*row) for row in connection.execute(statement, params)]


def product_totals(
    connection: Connection,
    spans: Sequence[Span],
    product_ids: Sequence[int],
    category_ids: Sequence[int],
) -> list[ProductTotal]:
    """Sales, units, revenue and discounts per product and category over the spans, named."""
    shape = _shape(connection.dialect.name, spans, product_ids, category_ids)
    statement = _cached("totals", shape, _product_totals_statement)
    rows = connection.execute(statement, _span_params(spans, product_ids, category_ids))
    return [ProductTotal(*row) for row in rows]


def _shape(
    dialect: str,
    spans: Sequence[Span],
    product_ids: Sequence[int],
    category_ids: Sequence[int],
    packed: bool = False,
) -> Shape:
    kinds = tuple(span.kind for span in spans)
    return (dialect, kinds, bool(product_ids), bool(category_ids), packed)


def _cached(name: str, shape: Shape, build: Callable[[Shape], Executable]) -> Executable:
    """A statement built once per shape (dialect, kinds of spans, which filters), so a report
    pays neither for building it nor, through SQLAlchemy's cache, for compiling it."""
    statement = _STATEMENTS.get((name, shape))
    if statement is None:
        statement = _STATEMENTS[(name, shape)] = build(shape)
    return statement


def _span_params(
    spans: Sequence[Span], product_ids: Sequence[int], category_ids: Sequence[int]
) -> dict[str, Any]:
    params: dict[str, Any] = {"products": list(product_ids), "categories": list(category_ids)}
    for number, span in enumerate(spans):
        params[f"first_{number}"] = span.first
        params[f"last_{number}"] = span.last
    return params


def _span_rows(shape: Shape, number: int) -> tuple[Any, list[ColumnElement[bool]]]:
    """The rollup table a span reads and the conditions picking its rows."""
    _, kinds, products, categories, _ = shape
    kind = kinds[number]
    table = _DAILY if kind is Bucket.DAILY else _PERIODS
    conditions = [
        table.c.local_date >= bindparam(f"first_{number}", type_=Date),
        table.c.local_date <= bindparam(f"last_{number}", type_=Date),
    ]
    if kind is not Bucket.DAILY:
        conditions.insert(0, table.c.period == kind.value)
    if products:
        conditions.append(table.c.product_id.in_(bindparam("products", expanding=True)))
    if categories:
        conditions.append(table.c.category_id.in_(bindparam("categories", expanding=True)))
    return table, conditions


def _key_groups_statement(shape: Shape) -> Executable:
    dialect, packed = shape[0], shape[4]
    aggregate = func.json_group_array if dialect == "sqlite" else func.json_arrayagg
    parts = []
    for number in range(len(shape[1])):
        table, conditions = _span_rows(shape, number)
        weighed = table.c.product_id.in_(bindparam("weighed", expanding=True))
        entries = func.json_array(
            table.c.category_id,
            table.c.product_id,
            table.c.sales_count,
            table.c.units,
            table.c.revenue_cents,
            table.c.discount_cents,
        )
        parts.append(
            select(
                table.c.local_date,
                _sum(table.c.sales_count),
                _sum(case((weighed, table.c.sales_count), else_=table.c.units)),
                _sum(table.c.revenue_cents),
                _sum(table.c.discount_cents),
                aggregate(entries) if packed else literal(""),
            )
            .where(*conditions)
            .group_by(table.c.local_date)
        )
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _product_totals_statement(shape: Shape) -> Executable:
    rows = []
    for number in range(len(shape[1])):
        table, conditions = _span_rows(shape, number)
        rows.append(
            select(
                table.c.category_id,
                table.c.product_id,
                table.c.sales_count,
                table.c.units,
                table.c.revenue_cents,
                table.c.discount_cents,
            ).where(*conditions)
        )
    spans = (rows[0] if len(rows) == 1 else union_all(*rows)).subquery()
    totals = (
        select(
            spans.c.category_id,
            spans.c.product_id,
            _sum(spans.c.sales_count).label("sales"),
            _sum(spans.c.units).label("units"),
            _sum(spans.c.revenue_cents).label("revenue"),
            _sum(spans.c.discount_cents).label("discount"),
        )
        .group_by(spans.c.category_id, spans.c.product_id)
        .subquery()
    )
    products, categories = _PRODUCTS, _CATEGORIES
    return (
        select(*totals.c, products.c.name, products.c.sold_by, categories.c.name)
        .outerjoin(products, products.c.id == totals.c.product_id)
        .outerjoin(categories, categories.c.id == totals.c.category_id)
    )


def _sum(column: SQLColumnExpression[int]) -> ColumnElement[int]:
    return cast(func.sum(column), BigInteger)


__all__ = ["KeyGroup", "ProductTotal", "key_groups", "product_totals"]
