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

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Product, Sale, SaleItem
from pos_app.domain.checks import is_id
from pos_app.domain.periods import (
    MAX_YEARS,
    Bucket,
    bucket_bounds,
    bucket_locator,
    check_range,
    clean_bucket,
)
from pos_app.services.access import UserSession, authorize
from pos_app.services.analytics_queries import BucketGroups, bucket_groups, day_sales
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.roles import Role

MAX_LINES = 10_000
MAX_FILTER_IDS = 1000


@dataclass(frozen=True)
class SalesQuery:
    start: date
    end: date
    bucket: Bucket = Bucket.DAILY
    product_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    include_lines: bool = False


class Breakdown(NamedTuple):
    """Units and revenue of one category or product; a daily report makes tens of thousands.

    The units of a ``weighed`` product are grams; a category's or a bucket's units count each
    line of a weighed product as one, like the receipt does.
    """

    id: int
    name: str
    units: int
    revenue_cents: int
    weighed: bool = False


@dataclass(frozen=True)
class ReportLine:
    sale_id: int
    created_at: datetime
    product_id: int
    product_name: str
    quantity: int
    revenue_cents: int
    weighed: bool = False


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
    discount_cents: int = 0

    @property
    def gross_cents(self) -> int:
        """Sales before promotions and discounts; ``revenue_cents`` is the net after them."""
        return self.revenue_cents + self.discount_cents


@dataclass(frozen=True)
class SalesReport:
    query: SalesQuery
    buckets: list[BucketRow]
    sales: int
    units: int
    revenue_cents: int
    by_category: list[Breakdown]
    by_product: list[Breakdown]
    discount_cents: int = 0

    @property
    def gross_cents(self) -> int:
        return self.revenue_cents + self.discount_cents


def _clean_ids(raw: object, name: str, label: str) -> tuple[int, ...]:
    if not isinstance(raw, tuple | list):
        raise ValidationError(f"The {label} filter must be a list of ids.", field=name)
    if len(raw) > MAX_FILTER_IDS:
        raise ValidationError(f"Filter on at most {MAX_FILTER_IDS} {label}s.", field=name)
    for value in raw:
        if not is_id(value):
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
        bucket=clean_bucket(query.bucket),
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


class _Figures:
    """Units and revenue per id, kept in two dicts of plain ints: the cyclic collector does not
    track those, so tens of thousands of entries cost it nothing while the UI runs."""

    __slots__ = ("revenue", "units")

    def __init__(self) -> None:
        self.units: dict[int, int] = {}
        self.revenue: dict[int, int] = {}

    def add_all(self, other: _Figures) -> None:
        units, revenue = self.units, self.revenue
        for key, value in other.units.items():
            units[key] = units.get(key, 0) + value
        for key, value in other.revenue.items():
            revenue[key] = revenue.get(key, 0) + value


class _Totals:
    """Sales, units and revenue of one bucket (or the whole report), by category and product."""

    __slots__ = ("categories", "discount", "products", "revenue", "sales", "units")

    def __init__(self) -> None:
        self.sales = self.units = self.revenue = self.discount = 0
        self.categories = _Figures()
        self.products = _Figures()


def _fold(
    groups: BucketGroups,
    buckets: list[_Totals],
    overall: _Totals,
    count: bool,
    weighed: frozenset[int],
) -> None:
    """Add each group to its bucket, then each bucket to the overall totals (the hot loop).

    A weighed product's units are its grams on its own row; elsewhere its lines count, one per
    sale holding it (a sale has one line per product).
    """
    for number, packed in groups:
        bucket = buckets[number]
        product_units, product_revenue = bucket.products.units, bucket.products.revenue
        category_units, category_revenue = bucket.categories.units, bucket.categories.revenue
        for category_id, product_id, sales, units, revenue, discount in json.loads(packed):
            if count:
                bucket.sales += sales
            items = sales if product_id in weighed else units
            bucket.units += items
            bucket.revenue += revenue
            bucket.discount += discount
            product_units[product_id] = product_units.get(product_id, 0) + units
            product_revenue[product_id] = product_revenue.get(product_id, 0) + revenue
            category_units[category_id] = category_units.get(category_id, 0) + items
            category_revenue[category_id] = category_revenue.get(category_id, 0) + revenue
    for bucket in buckets:
        overall.units += bucket.units
        overall.revenue += bucket.revenue
        overall.discount += bucket.discount
        overall.products.add_all(bucket.products)
        overall.categories.add_all(bucket.categories)


def sales_data(ctx: ServiceContext, actor: UserSession, query: SalesQuery) -> SalesReport:
    """Sales, units and revenue per bucket, by category and product, for the owner."""
    clean = validate_query(query)
    return _sales_report(ctx, actor, clean)


def _sales_report(ctx: ServiceContext, actor: UserSession, clean: SalesQuery) -> SalesReport:
    bounds = bucket_bounds(clean.start, clean.end, clean.bucket)
    index_of = bucket_locator(clean.start, clean.bucket, [first for first, _ in bounds])
    buckets = [_Totals() for _ in bounds]
    overall = _Totals()
    products, categories = clean.product_ids, clean.category_ids
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see sales reports")
        groups = bucket_groups(session, bounds, clean.bucket.value, products, categories)
        per_day = day_sales(session, clean.start, clean.end, products, categories)
        weighed = frozenset(session.scalars(select(Product.id).where(Product.sold_by == "weight")))
        _fold(groups, buckets, overall, per_day is None, weighed)
        for day, count in (per_day or {}).items():
            buckets[index_of(day)].sales += count
        overall.sales = sum(totals.sales for totals in buckets)
        category_names = _names(session, Category, overall.categories.units)
        product_names = _names(session, Product, overall.products.units)
        lines = _lines(session, clean, _filters(clean), index_of) if clean.include_lines else {}
    rows = [
        BucketRow(
            start=first,
            end=last,
            sales=totals.sales,
            units=totals.units,
            revenue_cents=totals.revenue,
            by_category=_breakdown(totals.categories, category_names),
            by_product=_breakdown(totals.products, product_names, weighed),
            lines=lines.get(number, []),
            discount_cents=totals.discount,
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
        by_product=_breakdown(overall.products, product_names, weighed),
        discount_cents=overall.discount,
    )


class _Names(NamedTuple):
    """Names per id, and each id's place when sorted by case-folded name, then id."""

    name: dict[int, str]
    rank: dict[int, int]


def _names(session: Session, model: type[Category] | type[Product], ids: Iterable[int]) -> _Names:
    """The names of ``ids``; an id without a row is shown as '#id'."""
    wanted = sorted(ids)
    found: dict[int, str] = {}
    if wanted:
        rows = session.execute(select(model.id, model.name).where(model.id.in_(wanted)))
        found = {key: name for key, name in rows}
    name = {key: found.get(key, f"#{key}") for key in wanted}
    ordered = sorted(wanted, key=lambda key: (name[key].casefold(), key))
    return _Names(name, {key: place for place, key in enumerate(ordered)})


def _breakdown(
    figures: _Figures, names: _Names, weighed: frozenset[int] = frozenset()
) -> list[Breakdown]:
    """Rows by revenue (highest first), then name and id.

    A daily report makes tens of thousands of rows, so both sorts use keys the interpreter
    runs in C: by name first, then a stable sort by revenue, highest first.
    """
    units, revenue, name = figures.units, figures.revenue, names.name
    rows = [
        Breakdown(key, name[key], units[key], revenue[key], key in weighed)
        for key in sorted(revenue, key=names.rank.__getitem__)
    ]
    rows.sort(key=_REVENUE, reverse=True)
    return rows


_REVENUE = itemgetter(3)


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
            Product.sold_by,
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
    for day, sale_id, created_at, product_id, name, quantity, revenue, sold_by in rows:
        lines[index_of(day)].append(
            ReportLine(
                sale_id, created_at, product_id, name, quantity, revenue, sold_by == "weight"
            )
        )
    return lines


__all__ = [
    "MAX_LINES",
    "MAX_YEARS",
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
