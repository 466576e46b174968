"""Sales reports for the owner: totals per day, week, month or year, with breakdowns.

Figures come from the sales rollups (see ``pos_app.services.rollups``), kept in the same
transaction as each sale. The range is cut into whole years, months or weeks and single days
(``pos_app.domain.periods.cover``), each read from its rollup, so a year by month reads a dozen
rows per product whatever the number of sales; the database sums each day or period, and Python
adds those sums into the requested buckets. Each bucket's own breakdowns by category and product
(not the report's, which always come) are read only when the query asks for them: a daily report
over a year holds one row per day and product, and without them a report with no product filter
reads a few hundred rows of shop or category totals instead. The database packs those rows, and
a bucket unpacks them only when they are read (``pos_app.services.analytics_breakdowns``). Exact
sale counts under a filter are explained in ``pos_app.services.analytics_days``. Only the
optional list of sale lines reads ``sale_items``.

A sale's local day is fixed when it is written, so a daylight-saving day (23 or 25 hours) is
simply one day here. Categories are the ones recorded when each line was sold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import ColumnElement, Connection, select

from pos_app.db import tables
from pos_app.domain.checks import is_id
from pos_app.domain.periods import (
    MAX_YEARS,
    Bucket,
    bucket_bounds,
    bucket_locator,
    check_range,
    clean_bucket,
    cover,
)
from pos_app.services.access import UserSession, authorize
from pos_app.services.analytics_breakdowns import (
    Breakdown,
    PackedGroups,
    breakdown,
    overall_figures,
    report_names,
)
from pos_app.services.analytics_days import DayFigures, day_figures, day_sales
from pos_app.services.analytics_queries import KeyGroup, key_groups, product_totals
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
    # Each bucket's own breakdowns by category and product (BucketRow.by_category, by_product).
    bucket_breakdowns: bool = False


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
    """One bucket's figures; its breakdowns by category and product, when the query asked for
    them, are built when first read (a daily report over a year would otherwise build tens of
    thousands nobody looks at)."""

    start: date
    end: date
    sales: int
    units: int
    revenue_cents: int
    lines: list[ReportLine] = field(default_factory=list)
    discount_cents: int = 0
    groups: PackedGroups | None = field(default=None, repr=False, compare=False)

    @property
    def gross_cents(self) -> int:
        """Sales before promotions and discounts; ``revenue_cents`` is the net after them."""
        return self.revenue_cents + self.discount_cents

    @cached_property
    def by_category(self) -> list[Breakdown]:
        return self._groups().by_category()

    @cached_property
    def by_product(self) -> list[Breakdown]:
        return self._groups().by_product()

    def _groups(self) -> PackedGroups:
        if self.groups is None:
            raise ValidationError(
                "This report was made without each period's breakdowns; run it again asking "
                "for them.",
                field="bucket_breakdowns",
            )
        return self.groups


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
    if not isinstance(query.bucket_breakdowns, bool):
        raise ValidationError(
            "Choose whether to break each period down.", field="bucket_breakdowns"
        )
    return SalesQuery(
        start=query.start,
        end=query.end,
        bucket=clean_bucket(query.bucket),
        product_ids=_clean_ids(query.product_ids, "product_ids", "product"),
        category_ids=_clean_ids(query.category_ids, "category_ids", "category"),
        include_lines=query.include_lines,
        bucket_breakdowns=query.bucket_breakdowns,
    )


def _filters(query: SalesQuery) -> list[ColumnElement[bool]]:
    lines = tables.sale_items.c
    conditions = [lines.local_date >= query.start, lines.local_date <= query.end]
    if query.product_ids:
        conditions.append(lines.product_id.in_(query.product_ids))
    if query.category_ids:
        conditions.append(lines.category_id.in_(query.category_ids))
    return conditions


class _Totals:
    """Sales, units, revenue and discounts of one bucket, and its packed rollup rows."""

    __slots__ = ("discount", "packed", "revenue", "sales", "units")

    def __init__(self) -> None:
        self.sales = self.units = self.revenue = self.discount = 0
        self.packed: list[str] = []

    def add(self, group: KeyGroup, count: bool) -> None:
        if count:
            self.sales += group.sales
        self.units += group.items
        self.revenue += group.revenue
        self.discount += group.discount
        if group.packed:
            self.packed.append(group.packed)

    def add_day(self, figures: DayFigures) -> None:
        self.sales += figures.sales
        self.units += figures.items
        self.revenue += figures.revenue
        self.discount += figures.discount


def sales_data(ctx: ServiceContext, actor: UserSession, query: SalesQuery) -> SalesReport:
    """Sales, units and revenue per bucket, by category and product, for the owner."""
    clean = validate_query(query)
    return _sales_report(ctx, actor, clean)


def _sales_report(ctx: ServiceContext, actor: UserSession, clean: SalesQuery) -> SalesReport:
    bounds = bucket_bounds(clean.start, clean.end, clean.bucket)
    index_of = bucket_locator(clean.start, clean.bucket, [first for first, _ in bounds])
    buckets = [_Totals() for _ in bounds]
    product_ids, category_ids = clean.product_ids, clean.category_ids
    with ctx.connection(readonly=True) as connection:
        authorize(connection, ctx, actor, Role.OWNER, "see sales reports")
        whole = cover(clean.start, clean.end, Bucket.NONE)
        overall = product_totals(connection, whole, product_ids, category_ids)
        weighed = frozenset(row.product_id for row in overall if row.sold_by == "weight")
        category_figures, product_figures = overall_figures(overall, weighed)
        category_names, product_names = report_names(overall)
        if product_ids or clean.bucket_breakdowns:
            _add_product_rows(connection, clean, buckets, index_of, weighed)
        else:
            for figures in day_figures(connection, clean.start, clean.end, category_ids):
                buckets[index_of(figures.day)].add_day(figures)
        lines = _lines(connection, clean, _filters(clean), index_of) if clean.include_lines else {}
    breakdowns = clean.bucket_breakdowns
    rows = [
        BucketRow(
            start=first,
            end=last,
            sales=totals.sales,
            units=totals.units,
            revenue_cents=totals.revenue,
            lines=lines.get(number, []),
            discount_cents=totals.discount,
            groups=(
                PackedGroups(totals.packed, category_names, product_names, weighed)
                if breakdowns
                else None
            ),
        )
        for number, ((first, last), totals) in enumerate(zip(bounds, buckets, strict=True))
    ]
    return SalesReport(
        query=clean,
        buckets=rows,
        sales=sum(totals.sales for totals in buckets),
        units=sum(totals.units for totals in buckets),
        revenue_cents=sum(totals.revenue for totals in buckets),
        by_category=breakdown(category_figures, category_names),
        by_product=breakdown(product_figures, product_names, weighed),
        discount_cents=sum(totals.discount for totals in buckets),
    )


def _add_product_rows(
    connection: Connection,
    query: SalesQuery,
    buckets: list[_Totals],
    index_of: Callable[[date], int],
    weighed: frozenset[int],
) -> None:
    """Add the matching product rollup rows of each day or period into the buckets, packed when
    the query asks for each bucket's breakdowns, and the exact sales per bucket."""
    products, categories = query.product_ids, query.category_ids
    spans = cover(query.start, query.end, query.bucket)
    per_day = day_sales(connection, query.start, query.end, products, categories)
    packed = query.bucket_breakdowns
    for group in key_groups(connection, spans, products, categories, weighed, packed=packed):
        buckets[index_of(group.first)].add(group, per_day is None)
    for day, count in (per_day or {}).items():
        buckets[index_of(day)].sales += count


def _lines(
    connection: Connection,
    query: SalesQuery,
    conditions: list[ColumnElement[bool]],
    index_of: Callable[[date], int],
) -> dict[int, list[ReportLine]]:
    item, sales, products = tables.sale_items.c, tables.sales, tables.products
    rows = connection.execute(
        select(
            item.local_date,
            item.sale_id,
            sales.c.created_at,
            item.product_id,
            products.c.name,
            item.quantity,
            item.revenue_cents,
            products.c.sold_by,
        )
        .join(sales, sales.c.id == item.sale_id)
        .join(products, products.c.id == item.product_id)
        .where(*conditions)
        .order_by(sales.c.created_at, item.sale_id, item.id)
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
