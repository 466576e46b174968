"""Sales per day for the owner's sales report: the shop's or a filter's figures, and exact counts.

Without a product filter and without each bucket's breakdowns, a report reads no product rows at
all: the shop's figures per day come from ``hourly_sales`` and a category filter's from
``daily_category_sales`` (each weighed line one unit in both), a few hundred rows for a year.

The number of sales needs more care, because a sale holding two matching products must count
once:

- no filter: the sum over ``hourly_sales``;
- one product (with or without a category filter): the product rollup's own ``sales_count``;
- one category and no product: ``daily_category_sales``;
- several categories and no product: ``daily_category_sets``, which counts each sale once under
  the set of categories it holds; the distinct set keys of the range are tested in Python (what
  each key stands for is kept once read) and the database sums the matching ones per day;
- several products (with or without a category filter): ``COUNT(DISTINCT sale_id)`` over the
  sale lines, read from a covering index that starts with the product
  (``ix_sale_items_product_day``), so only the matching lines are read. This is the one path
  whose cost grows with the number of sales: over a year of 1,000,000 sales (50 products,
  5 categories) two products take about 0.1 s. The counts are then kept per filter and day
  while the day's shop-wide totals stay the same, so a later report over the same filter (in
  any bucket) only counts the days that changed.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ColumnElement,
    Select,
    distinct,
    func,
    select,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import Pool

from pos_app.db import tables

# Per database and filter (product ids, category ids): per day, the shop-wide totals the count
# was taken under and the count. A database is known by its engine's connection pool, which the
# read-only and the writing sessions share; pools are held weakly, the oldest filters dropped.
DayTotals = tuple[int, int, int]
MAX_CACHED_FILTERS = 64
FilterKey = tuple[tuple[int, ...], tuple[int, ...]]
_DAY_COUNTS: WeakKeyDictionary[Pool, OrderedDict[FilterKey, dict[date, tuple[DayTotals, int]]]] = (
    WeakKeyDictionary()
)
_CACHE_LOCK = threading.Lock()
# Matching category sets named in one IN list; a filter met by more is summed in Python.
MAX_SET_KEYS = 500
# Category sets by key, read once; more than this and they are read again.
MAX_KEPT_SETS = 100_000
_SET_TEXTS: dict[str, list[str]] = {}


class DayFigures(NamedTuple):
    """One day's sales, units (each weighed line one), revenue and discounts."""

    day: date
    sales: int
    items: int
    revenue: int
    discount: int


def day_figures(
    connection: Connection, start: date, end: date, category_ids: Sequence[int]
) -> list[DayFigures]:
    """Per day with sales, the figures of the whole shop (no filter) or of the lines in
    ``category_ids``, with the exact number of sales holding one: no product rows are read."""
    if not category_ids:
        model = tables.hourly_sales.c
        in_range = [model.local_date >= start, model.local_date <= end]
    else:
        model = tables.daily_category_sales.c
        in_range = [
            model.local_date >= start,
            model.local_date <= end,
            model.category_id.in_(category_ids),
        ]
    rows = _day_rows(
        connection,
        select(
            model.local_date,
            func.sum(model.sales_count),
            func.sum(model.units),
            func.sum(model.revenue_cents),
            func.sum(model.discount_cents),
        )
        .where(*in_range)
        .group_by(model.local_date),
    )
    figures = [DayFigures(day, *sums) for day, *sums in rows]
    if len(category_ids) < 2:
        return figures
    # A sale holding lines of two of the categories counts in both categories' rows.
    sales = _category_set_sales(connection, start, end, category_ids)
    return [row._replace(sales=sales.get(row.day, 0)) for row in figures]


def day_sales(
    connection: Connection,
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
        hourly = tables.hourly_sales.c
        return _per_day(
            connection,
            select(hourly.local_date, func.sum(hourly.sales_count))
            .where(hourly.local_date >= start, hourly.local_date <= end)
            .group_by(hourly.local_date),
        )
    if not product_ids and len(category_ids) == 1:
        model = tables.daily_category_sales.c
        return _per_day(
            connection,
            select(model.local_date, func.sum(model.sales_count))
            .where(
                model.local_date >= start,
                model.local_date <= end,
                model.category_id == category_ids[0],
            )
            .group_by(model.local_date),
        )
    if not product_ids:
        return _category_set_sales(connection, start, end, category_ids)
    return _distinct_sales(connection, start, end, product_ids, category_ids)


def _category_set_sales(
    connection: Connection, start: date, end: date, category_ids: Sequence[int]
) -> dict[date, int]:
    """Sales per day holding at least one of ``category_ids``, from the category sets.

    A shop has few distinct sets however many sales it makes, so the distinct set keys are read
    first (a skip over the index by set, whatever the range) and their sets tested here; the
    database then sums the sales of the sets that meet the filter over the range per day, so
    some 365 rows cross the driver for a year instead of one per day, set and till. Past
    ``MAX_SET_KEYS`` matching sets, the rows are summed here instead.
    """
    model = tables.daily_category_sets.c
    in_range = (model.local_date >= start, model.local_date <= end)
    found = connection.execute(select(model.category_set_key).distinct())
    texts = _set_texts(connection, [key for (key,) in found])
    wanted = {str(category_id) for category_id in category_ids}
    keys = sorted(key for key, text_set in texts.items() if not wanted.isdisjoint(text_set))
    if not keys:
        return {}
    if len(keys) <= MAX_SET_KEYS:
        return _per_day(
            connection,
            select(model.local_date, func.sum(model.sales_count))
            .where(*in_range, model.category_set_key.in_(keys))
            .group_by(model.local_date),
        )
    matching = set(keys)
    result: dict[date, int] = {}
    rows = connection.execute(
        select(model.local_date, model.category_set_key, model.sales_count).where(*in_range)
    )
    for day, key, count in rows:
        if key in matching:
            result[day] = result.get(day, 0) + int(count)
    return result


def _set_texts(connection: Connection, keys: Sequence[str]) -> dict[str, list[str]]:
    """The category ids (as text) of each set key. A key is the SHA-256 of its set's text, so
    what a key stands for never changes: sets read once are kept for every later report."""
    with _CACHE_LOCK:
        known = {key: _SET_TEXTS[key] for key in keys if key in _SET_TEXTS}
    missing = [key for key in keys if key not in known]
    for first in range(0, len(missing), MAX_SET_KEYS):
        rows = connection.execute(_set_texts_statement(missing[first : first + MAX_SET_KEYS]))
        read = {key: text_set.split(",") for key, text_set in rows}
        known.update(read)
        with _CACHE_LOCK:
            if len(_SET_TEXTS) + len(read) > MAX_KEPT_SETS:
                _SET_TEXTS.clear()
            _SET_TEXTS.update(read)
    return known


def _set_texts_statement(keys: Sequence[str]) -> Select[str, str]:
    """The text of each set key, read from one row of the key's first day: the first days come
    from the covering index by set (one step per key), each text from the row by primary key,
    instead of reading every row of every key for ``MIN(category_set)``."""
    model = tables.daily_category_sets.c
    first_days = (
        select(model.category_set_key, func.min(model.local_date).label("first_day"))
        .where(model.category_set_key.in_(keys))
        .group_by(model.category_set_key)
        .subquery()
    )
    return select(model.category_set_key, model.category_set).join(
        first_days,
        (model.category_set_key == first_days.c.category_set_key)
        & (model.local_date == first_days.c.first_day),
    )


def _distinct_sales(
    connection: Connection,
    start: date,
    end: date,
    product_ids: Sequence[int],
    category_ids: Sequence[int],
) -> dict[date, int]:
    """Sales per day holding at least one line of ``product_ids`` (within ``category_ids``).

    Counted from the sale lines, then kept per database and filter: a day's lines never change
    once written (sales are never deleted, a refund changes no line's product, category or
    quantity), so a count stays right while the day's shop-wide sales, units and revenue in
    ``hourly_sales`` stay the same. Those are read every time (a few hundred rows for a year);
    only days whose totals moved (today, a late sale, a rebuild or import) are counted again.
    """
    totals = _day_totals(connection, start, end)
    filter_key = (tuple(product_ids), tuple(category_ids))
    result: dict[date, int] = {}
    stale: list[date] = []
    with _CACHE_LOCK:
        known = _DAY_COUNTS.setdefault(_pool_of(connection), OrderedDict())
        counts = known.pop(filter_key, {})
        known[filter_key] = counts
        while len(known) > MAX_CACHED_FILTERS:
            known.popitem(last=False)
        for day, total in totals.items():
            cached = counts.get(day)
            if cached is not None and cached[0] == total:
                result[day] = cached[1]
            else:
                stale.append(day)
    if stale:
        fresh = _count_distinct_sales(connection, stale[0], stale[-1], product_ids, category_ids)
        with _CACHE_LOCK:
            for day, total in totals.items():
                if stale[0] <= day <= stale[-1]:
                    result[day] = fresh.get(day, 0)
                    counts[day] = (total, result[day])
    return {day: count for day, count in result.items() if count}


def forget_day_counts(bind: Engine | Connection) -> None:
    """Drop the kept sale counts of one database: its sale lines were rewritten in bulk."""
    with _CACHE_LOCK:
        _DAY_COUNTS.pop(_pool_of(bind), None)


def _pool_of(bind: Engine | Connection) -> Pool:
    return bind.pool if isinstance(bind, Engine) else bind.engine.pool


def _day_totals(connection: Connection, start: date, end: date) -> dict[date, DayTotals]:
    """The shop-wide sales, units and revenue of each day with sales, from ``hourly_sales``."""
    hourly = tables.hourly_sales.c
    rows = _day_rows(
        connection,
        select(
            hourly.local_date,
            func.sum(hourly.sales_count),
            func.sum(hourly.units),
            func.sum(hourly.revenue_cents),
        )
        .where(hourly.local_date >= start, hourly.local_date <= end)
        .group_by(hourly.local_date),
    )
    rows.sort()
    return {day: (sales, units, revenue) for day, sales, units, revenue in rows}


def _count_distinct_sales(
    connection: Connection,
    start: date,
    end: date,
    product_ids: Sequence[int],
    category_ids: Sequence[int],
) -> dict[date, int]:
    items = tables.sale_items
    conditions: list[ColumnElement[bool]] = [
        items.c.local_date >= start,
        items.c.local_date <= end,
    ]
    if product_ids:
        conditions.append(items.c.product_id.in_(product_ids))
    if category_ids:
        conditions.append(items.c.category_id.in_(category_ids))
    index = "ix_sale_items_product_day"
    statement = (
        select(items.c.local_date, func.count(distinct(items.c.sale_id)))
        .where(*conditions)
        .group_by(items.c.local_date)
        .with_hint(items, f"INDEXED BY {index}", "sqlite")
        .with_hint(items, f"FORCE INDEX ({index})", "mysql")
        .with_hint(items, f"FORCE INDEX ({index})", "mariadb")
    )
    rows = connection.execute(statement)
    return {day: int(count) for day, count in rows}


def _per_day(connection: Connection, statement: Select[date, int]) -> dict[date, int]:
    return {day: count for day, count in _day_rows(connection, statement)}


def _day_rows(connection: Connection, grouped: Select[*tuple[Any, ...]]) -> list[list[Any]]:
    """The rows of ``grouped`` (a day, then whole-number sums), packed by the database into one
    JSON array and unpacked here: the MariaDB driver decodes each row in Python, the array in C.
    """
    rows = grouped.subquery()
    sqlite = connection.dialect.name == "sqlite"
    aggregate = func.json_group_array if sqlite else func.json_arrayagg
    text = connection.execute(select(aggregate(func.json_array(*rows.c)))).scalar()
    unpacked: list[list[Any]] = json.loads(text) if text else []
    for row in unpacked:
        row[0] = date.fromisoformat(row[0])
    return unpacked


__all__ = ["DayFigures", "day_figures", "day_sales", "forget_day_counts"]
