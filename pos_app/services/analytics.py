"""Sales reports for the owner: totals per day, week, month or year, with breakdowns.

Figures come from the sales rollups (see ``pos_app.services.rollups``), kept in the same
transaction as each sale: the database returns one row per shop-local day, product and category
(a few thousand rows for a year, whatever the number of sales), and Python folds those day rows
into the requested buckets. Exact sale counts under a filter are explained in
``pos_app.services.analytics_queries``. Only the optional list of sale lines reads ``sale_items``.

A sale's local day is fixed when it is written, so a daylight-saving day (23 or 25 hours) is
simply one day here. Categories are the ones recorded when each line was sold.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Product, Sale, SaleItem
from pos_app.services.access import UserSession, authorize
from pos_app.services.analytics_queries import BucketGroups, bucket_groups, day_sales
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.roles import Role

MAX_YEARS = 50
MAX_LINES = 10_000
MAX_FILTER_IDS = 1000
MAX_ID = 2**63 - 1


class Bucket(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


@dataclass(frozen=True)
class SalesQuery:
    start: date
    end: date
    bucket: Bucket = Bucket.DAILY
    product_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    include_lines: bool = False


class Breakdown(NamedTuple):
    """Units and revenue of one category or product; a daily report makes tens of thousands."""

    id: int
    name: str
    units: int
    revenue_cents: int


@dataclass(frozen=True)
class ReportLine:
    sale_id: int
    created_at: datetime
    product_id: int
    product_name: str
    quantity: int
    revenue_cents: int


@dataclass(frozen=True)
class BucketRow:
    start: date
    end: date
    sales: int
    units: int
    revenue_cents: int
    by_category: list[Breakdown] = field(default_factory=list)
    by_product: list[Breakdown] = field(default_factory=list)
    lines: list[ReportLine] = field(default_factory=list)


@dataclass(frozen=True)
class SalesReport:
    query: SalesQuery
    buckets: list[BucketRow]
    sales: int
    units: int
    revenue_cents: int
    by_category: list[Breakdown]
    by_product: list[Breakdown]


def _period_end(day: date, bucket: Bucket) -> date:
    """The last day of the calendar period (week, month, year) that contains ``day``."""
    if bucket is Bucket.DAILY:
        return day
    if bucket is Bucket.WEEKLY:
        try:
            return day + timedelta(days=6 - day.weekday())
        except OverflowError:
            return date.max
    if bucket is Bucket.MONTHLY:
        if day.month == 12:
            return date(day.year, 12, 31)
        return date(day.year, day.month + 1, 1) - timedelta(days=1)
    return date(day.year, 12, 31)


def bucket_bounds(start: date, end: date, bucket: Bucket | str) -> list[tuple[date, date]]:
    """The (first, last) day of each bucket from ``start`` to ``end``, both clipped to the range."""
    kind = _clean_bucket(bucket)
    check_range(start, end)
    if kind is Bucket.NONE:
        return [(start, end)]
    bounds: list[tuple[date, date]] = []
    cursor = start
    while True:
        last = min(_period_end(cursor, kind), end)
        bounds.append((cursor, last))
        if last >= end:
            return bounds
        cursor = last + timedelta(days=1)


def _clean_bucket(raw: object) -> Bucket:
    if isinstance(raw, str) and raw in {member.value for member in Bucket}:
        return Bucket(raw)
    names = ", ".join(member.value for member in Bucket)
    raise ValidationError(f"Group the report by one of: {names}.", field="bucket")


def check_range(start: object, end: object) -> None:
    """ValidationError unless ``start``..``end`` is a valid report range of calendar dates."""
    for value, name in ((start, "start"), (end, "end")):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValidationError("Choose a calendar date.", field=name)
    assert isinstance(start, date) and isinstance(end, date)
    if start > end:
        raise ValidationError("The first day must not be after the last day.", field="start")
    if start.year + MAX_YEARS <= date.max.year:
        day = 28 if (start.month, start.day) == (2, 29) else start.day
        if end > date(start.year + MAX_YEARS, start.month, day):
            raise ValidationError(
                f"A report covers at most {MAX_YEARS} years; choose a shorter range.",
                field="end",
            )


def _clean_ids(raw: object, name: str, label: str) -> tuple[int, ...]:
    if not isinstance(raw, tuple | list):
        raise ValidationError(f"The {label} filter must be a list of ids.", field=name)
    if len(raw) > MAX_FILTER_IDS:
        raise ValidationError(f"Filter on at most {MAX_FILTER_IDS} {label}s.", field=name)
    for value in raw:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
            raise ValidationError(f"The {label} filter holds an invalid id.", field=name)
    return tuple(sorted(set(raw)))


def validate_query(query: object) -> SalesQuery:
    """A checked copy of the query (ids deduplicated); ValidationError for anything malformed."""
    if not isinstance(query, SalesQuery):
        raise ValidationError("The report query is malformed.")
    check_range(query.start, query.end)
    if not isinstance(query.include_lines, bool):
        raise ValidationError("Choose whether to list the sale lines.", field="include_lines")
    return SalesQuery(
        start=query.start,
        end=query.end,
        bucket=_clean_bucket(query.bucket),
        product_ids=_clean_ids(query.product_ids, "product_ids", "product"),
        category_ids=_clean_ids(query.category_ids, "category_ids", "category"),
        include_lines=query.include_lines,
    )


def _filters(query: SalesQuery) -> list[ColumnElement[bool]]:
    conditions = [SaleItem.local_date >= query.start, SaleItem.local_date <= query.end]
    if query.product_ids:
        conditions.append(SaleItem.product_id.in_(query.product_ids))
    if query.category_ids:
        conditions.append(SaleItem.category_id.in_(query.category_ids))
    return conditions


class _Totals:
    """Sales, units and revenue of one bucket (or the whole report), by category and product."""

    __slots__ = ("categories", "products", "revenue", "sales", "units")

    def __init__(self) -> None:
        self.sales = self.units = self.revenue = 0
        self.categories: dict[int, list[int]] = {}
        self.products: dict[int, list[int]] = {}


def _fold(groups: BucketGroups, buckets: list[_Totals], overall: _Totals, count: bool) -> None:
    """Add each group to its bucket, then each bucket to the overall totals (the hot loop)."""
    for number, entries in groups:
        bucket = buckets[number]
        products, categories = bucket.products, bucket.categories
        for category_id, product_id, sales, units, revenue in entries:
            if count:
                bucket.sales += sales
            bucket.units += units
            bucket.revenue += revenue
            found = products.get(product_id)
            if found is None:
                products[product_id] = [units, revenue]
            else:
                found[0] += units
                found[1] += revenue
            found = categories.get(category_id)
            if found is None:
                categories[category_id] = [units, revenue]
            else:
                found[0] += units
                found[1] += revenue
    for bucket in buckets:
        overall.units += bucket.units
        overall.revenue += bucket.revenue
        for key, (units, revenue) in bucket.products.items():
            _add(overall.products, key, units, revenue)
        for key, (units, revenue) in bucket.categories.items():
            _add(overall.categories, key, units, revenue)


def _add(totals: dict[int, list[int]], key: int, units: int, revenue: int) -> None:
    found = totals.get(key)
    if found is None:
        totals[key] = [units, revenue]
    else:
        found[0] += units
        found[1] += revenue


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold the cyclic collector while a report allocates tens of thousands of acyclic rows,
    which would otherwise trigger full collections costing more than the report itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sales_data(ctx: ServiceContext, actor: UserSession, query: SalesQuery) -> SalesReport:
    """Sales, units and revenue per bucket, by category and product, for the owner."""
    clean = validate_query(query)
    with _collector_paused():
        return _sales_report(ctx, actor, clean)


def _sales_report(ctx: ServiceContext, actor: UserSession, clean: SalesQuery) -> SalesReport:
    bounds = bucket_bounds(clean.start, clean.end, clean.bucket)
    index_of = _bucket_index(clean, [first for first, _ in bounds])
    buckets = [_Totals() for _ in bounds]
    overall = _Totals()
    products, categories = clean.product_ids, clean.category_ids
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see sales reports")
        groups = bucket_groups(session, bounds, clean.bucket.value, products, categories)
        per_day = day_sales(session, clean.start, clean.end, products, categories)
        _fold(groups, buckets, overall, count=per_day is None)
        for day, count in (per_day or {}).items():
            buckets[index_of(day)].sales += count
        overall.sales = sum(totals.sales for totals in buckets)
        category_names = _names(session, Category, overall.categories)
        product_names = _names(session, Product, overall.products)
        lines = _lines(session, clean, _filters(clean), index_of) if clean.include_lines else {}
    rows = [
        BucketRow(
            start=first,
            end=last,
            sales=totals.sales,
            units=totals.units,
            revenue_cents=totals.revenue,
            by_category=_breakdown(totals.categories, category_names),
            by_product=_breakdown(totals.products, product_names),
            lines=lines.get(number, []),
        )
        for number, ((first, last), totals) in enumerate(zip(bounds, buckets, strict=True))
    ]
    return SalesReport(
        query=clean,
        buckets=rows,
        sales=overall.sales,
        units=overall.units,
        revenue_cents=overall.revenue,
        by_category=_breakdown(overall.categories, category_names),
        by_product=_breakdown(overall.products, product_names),
    )


def _bucket_index(query: SalesQuery, starts: list[date]) -> Callable[[date], int]:
    """A function from a day inside the range to the number of its bucket."""
    positions = {first: number for number, first in enumerate(starts)}
    kind = query.bucket

    known: dict[date, int] = {}

    def position(day: date) -> int:
        if kind is Bucket.NONE:
            return 0
        if kind is Bucket.DAILY:
            first = day
        elif kind is Bucket.WEEKLY:
            first = day - timedelta(days=day.weekday())
        elif kind is Bucket.MONTHLY:
            first = day.replace(day=1)
        else:
            first = day.replace(month=1, day=1)
        return positions[max(first, query.start)]

    def index_of(day: date) -> int:
        found = known.get(day)
        if found is None:
            found = known[day] = position(day)
        return found

    return index_of


def _names(
    session: Session, model: type[Category] | type[Product], ids: Iterable[int]
) -> dict[int, tuple[str, str]]:
    """(name, case-folded name) per id; an id without a row is shown as '#id'."""
    wanted = sorted(ids)
    found: dict[int, str] = {}
    if wanted:
        rows = session.execute(select(model.id, model.name).where(model.id.in_(wanted)))
        found = {key: name for key, name in rows}
    return {key: (name, name.casefold()) for key in wanted for name in [found.get(key, f"#{key}")]}


def _breakdown(totals: dict[int, list[int]], names: dict[int, tuple[str, str]]) -> list[Breakdown]:
    """Rows by revenue (highest first), then name and id; ``names`` maps id to (name, sort key)."""
    order = sorted(totals.items(), key=lambda item: (-item[1][1], names[item[0]][1], item[0]))
    return [Breakdown(key, names[key][0], units, revenue) for key, (units, revenue) in order]


def _lines(
    session: Session,
    query: SalesQuery,
    conditions: list[ColumnElement[bool]],
    index_of: Callable[[date], int],
) -> dict[int, list[ReportLine]]:
    rows = session.execute(
        select(
            SaleItem.local_date,
            SaleItem.sale_id,
            Sale.created_at,
            SaleItem.product_id,
            Product.name,
            SaleItem.quantity,
            SaleItem.revenue_cents,
        )
        .join(Sale, Sale.id == SaleItem.sale_id)
        .join(Product, Product.id == SaleItem.product_id)
        .where(*conditions)
        .order_by(Sale.created_at, SaleItem.sale_id, SaleItem.id)
        .limit(MAX_LINES + 1)
    ).all()
    if len(rows) > MAX_LINES:
        raise ValidationError(
            f"More than {MAX_LINES:,} sale lines in this range; choose a shorter range or "
            "turn off the line list.",
            field="start",
        )
    lines: dict[int, list[ReportLine]] = defaultdict(list)
    for day, sale_id, created_at, product_id, name, quantity, revenue in rows:
        lines[index_of(day)].append(
            ReportLine(sale_id, created_at, product_id, name, quantity, revenue)
        )
    return lines


__all__ = [
    "MAX_LINES",
    "Breakdown",
    "Bucket",
    "BucketRow",
    "ReportLine",
    "SalesQuery",
    "SalesReport",
    "bucket_bounds",
    "check_range",
    "sales_data",
    "validate_query",
]
