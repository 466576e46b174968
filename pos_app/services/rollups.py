"""Sales rollups: per-day totals the owner's reports read instead of millions of sale lines.

Four tables, all keyed per till, so two tills selling the same product never update the same
row (each sale's rows are written in key order, so they cannot deadlock either):

- ``hourly_sales`` (local day, local hour, till): sales, units, revenue, discounts. Daily totals
  are the sum of a day's hours; the hour also answers "when do we sell" without touching the
  sales table. Every table but the category sets also sums the discounts (revenue + discounts is
  the gross before promotions and discounts).
- ``daily_product_sales`` (local day, product, category when sold, till): distinct sales holding
  the product, units, revenue. All lines of a product in one sale carry the same category, so
  summed over categories and tills ``sales_count`` is exact for one product.
- ``daily_category_sales`` (local day, category when sold, till): sales with at least one line of
  that category, units, revenue.
- ``daily_category_sets`` (local day, set of categories when sold, till): sales holding exactly
  that set of categories, written as the sorted distinct ids joined by commas (``"2,5,7"``).
  Each sale counts in one row, so the sales holding any of several categories are the sum over
  the sets that meet them, without reading the sale lines.
- ``period_product_sales`` (week, month or year, its first day, product, category, till): the
  product rollup summed over whole shop-local periods, so a report over a year reads a dozen
  rows per product instead of 365. Every row equals the sum of its period's daily rows: a sale
  adds to both in one transaction, and a rebuild recomputes the periods from the daily rows.

Units of a product sold by weight are grams in ``daily_product_sales`` (its kilograms sold); in
``hourly_sales`` and ``daily_category_sales``, which add different products together, each of
its lines counts as one unit, as a weighed line is one item on the receipt.

Categories are the ones recorded on the sale line (``sale_items.category_id``), so moving a
product to another category later does not rewrite history. Revenue is gross: refunds are
reported by the refund screens and do not change these figures.

Checkout calls :func:`add_lines_to_rollups` (in :mod:`pos_app.db.rollup_store`) in the sale's own
transaction, so the rollups commit
with the sale or not at all. Bulk writers (demo data, legacy import) insert sale lines directly
and then call :func:`rebuild_rollups`, which recomputes a date range (or one till) from the lines
with ``INSERT ... SELECT ... GROUP BY`` (the category sets: each sale's categories are read
in sale order and folded in Python); rebuilding twice gives the same rows. A rebuild deletes
its rows before it reads any line: on MariaDB the delete's locks make a concurrent sale wait and
then add on top of the rebuilt rows, so nothing is counted twice or lost; the tills do wait
for the rebuild to commit (a year of 1,000,000 sales: seconds on SQLite, under a minute on
MariaDB), so bulk writes belong outside opening hours.

The local hour is not stored on the sale. A rebuild groups sales by UTC quarter hour in SQL and
maps each quarter hour to the shop's local hour in Python: every zone's offset and every
daylight-saving change falls on a quarter hour, so the mapping is exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    case,
    cast,
    delete,
    distinct,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session

from pos_app.db.models import (
    DailyCategorySales,
    DailyCategorySet,
    DailyProductSales,
    HourlySales,
    PeriodProductSales,
    Product,
    Sale,
    SaleItem,
)
from pos_app.db.rollup_store import (
    MEASURES,
    RollupLine,
    add_lines_to_rollups,
    category_set,
    category_set_key,
    category_set_row,
)
from pos_app.domain.periods import ROLLUP_PERIODS, period_end, period_start
from pos_app.services.access import UserSession, authorize
from pos_app.services.analytics_days import forget_day_counts
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.services.validation import check_date

QUARTER_HOUR_S = 900
INSERT_CHUNK = 2000
CATEGORY_SET_BATCH = 10_000
RollupModel = type[
    HourlySales | DailyProductSales | DailyCategorySales | DailyCategorySet | PeriodProductSales
]
ROLLUP_MODELS: tuple[RollupModel, ...] = (
    HourlySales,
    DailyProductSales,
    DailyCategorySales,
    DailyCategorySet,
    PeriodProductSales,
)
PRODUCT_KEYS = ("product_id", "category_id", "till_id")
# The first day of the week (from Monday), month or year holding a daily row's ``local_date``.
_PERIOD_START_SQL = {
    "sqlite": {
        "weekly": "date(local_date, '-' || ((CAST(strftime('%w', local_date) AS INTEGER) + 6) % 7)"
        " || ' days')",
        "monthly": "date(local_date, 'start of month')",
        "yearly": "date(local_date, 'start of year')",
    },
    "mysql": {
        "weekly": "DATE_SUB(local_date, INTERVAL WEEKDAY(local_date) DAY)",
        "monthly": "DATE_SUB(local_date, INTERVAL DAYOFMONTH(local_date) - 1 DAY)",
        "yearly": "MAKEDATE(YEAR(local_date), 1)",
    },
}
Key = tuple[object, ...]


# A sale line's units where different products are added together (see the module's text).
LINE_ITEMS = case((Product.sold_by == "weight", 1), else_=SaleItem.quantity)


def rebuild_rollups(
    session: Session,
    timezone: ZoneInfo,
    start: date | None = None,
    end: date | None = None,
    *,
    till_id: str | None = None,
    models: Sequence[RollupModel] = ROLLUP_MODELS,
) -> None:
    """Recompute the rollups of the local days ``start``..``end`` (open ends: all) from the sale
    lines, for every till or only ``till_id``; ``models`` limits it to some of the tables (a
    migration rebuilds only the tables that exist at its revision). The caller commits."""
    forget_day_counts(session.get_bind())
    for model in models:
        if model is not PeriodProductSales:
            session.execute(delete(model).where(*_rollup_filter(model, start, end, till_id)))
    lines = _line_filter(start, end, till_id)
    sales_count = func.count(distinct(SaleItem.sale_id))
    revenue = func.sum(SaleItem.revenue_cents)
    discount = func.sum(SaleItem.discount_cents)
    by_product = (SaleItem.local_date, SaleItem.product_id, SaleItem.category_id, Sale.till_id)
    by_category = (SaleItem.local_date, SaleItem.category_id, Sale.till_id)
    for model, keys in ((DailyProductSales, by_product), (DailyCategorySales, by_category)):
        if model not in models:
            continue
        source = (
            select(*keys, sales_count, _units(model), revenue, discount)
            .join(Sale, Sale.id == SaleItem.sale_id)
            .where(*lines)
            .group_by(*keys)
        )
        if model is DailyCategorySales:
            source = source.join(Product, Product.id == SaleItem.product_id)
        names = [*(column.key for column in keys), *MEASURES]
        session.execute(insert(model).from_select(names, source))
    if HourlySales in models:
        _rebuild_hourly(session, timezone, lines)
    if DailyCategorySet in models:
        _rebuild_category_sets(session, lines)
    if PeriodProductSales in models:
        _rebuild_periods(session, start, end, till_id)


def refresh_rollups(
    ctx: ServiceContext, actor: UserSession, start: date | None = None, end: date | None = None
) -> None:
    """Rebuild the rollups of a date range in a transaction of its own, for bulk writers."""
    if start is not None:
        check_date(start, "start")
    if end is not None:
        check_date(end, "end")
    with ctx.unit_of_work() as session:
        authorize(session, ctx, actor, Role.OWNER, "rebuild the report totals")
        rebuild_rollups(session, ctx.timezone, start, end)
        session.commit()


def _rebuild_periods(
    session: Session, start: date | None, end: date | None, till_id: str | None
) -> None:
    """Recompute every week, month and year touching ``start``..``end`` from the daily rows,
    whole: the daily rows outside the range are current already."""
    dialect = "sqlite" if session.get_bind().dialect.name == "sqlite" else "mysql"
    daily, periods = DailyProductSales, PeriodProductSales
    measures = [func.sum(daily.__table__.c[name]) for name in MEASURES]
    for period in ROLLUP_PERIODS:
        first = None if start is None else period_start(start, period)
        last = None if end is None else period_end(end, period)
        stale = _rollup_filter(periods, first, end, till_id)
        session.execute(delete(periods).where(periods.period == period.value, *stale))
        begins = literal_column(_PERIOD_START_SQL[dialect][period.value], Date)
        source = (
            select(literal(period.value), begins, *(daily.__table__.c[n] for n in PRODUCT_KEYS))
            .add_columns(*measures)
            .where(*_rollup_filter(daily, first, last, till_id))
            .group_by(begins, *(daily.__table__.c[n] for n in PRODUCT_KEYS))
        )
        names = ["period", "local_date", *PRODUCT_KEYS, *MEASURES]
        session.execute(insert(periods).from_select(names, source))


def _rollup_filter(
    model: RollupModel,
    start: date | None,
    end: date | None,
    till_id: str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(model.local_date >= start)
    if end is not None:
        conditions.append(model.local_date <= end)
    if till_id is not None:
        conditions.append(model.till_id == till_id)
    return conditions


def _units(model: RollupModel) -> ColumnElement[Any]:
    """Grams of a weighed product on its own row; one per weighed line where products mix."""
    return func.sum(SaleItem.quantity if model is DailyProductSales else LINE_ITEMS)


def _line_filter(
    start: date | None, end: date | None, till_id: str | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if start is not None:
        conditions.append(SaleItem.local_date >= start)
    if end is not None:
        conditions.append(SaleItem.local_date <= end)
    if till_id is not None:
        conditions.append(Sale.till_id == till_id)
    return conditions


def quarter_hour(session: Session) -> ColumnElement[int]:
    """The number of the UTC quarter hour since 1970 in which a sale was made, in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", Sale.created_at), Integer) // QUARTER_HOUR_S
    epoch = literal(datetime(1970, 1, 1))
    return func.timestampdiff(text("MINUTE"), epoch, Sale.created_at) // 15


def local_hours(timezone: ZoneInfo, quarters: Iterable[int]) -> dict[int, int]:
    """The shop's local hour for each UTC quarter-hour number."""
    return {
        quarter: datetime.fromtimestamp(quarter * QUARTER_HOUR_S, UTC).astimezone(timezone).hour
        for quarter in set(quarters)
    }


def _rebuild_hourly(session: Session, timezone: ZoneInfo, lines: list[ColumnElement[bool]]) -> None:
    quarter = quarter_hour(session).label("quarter")
    rows = session.execute(
        select(
            SaleItem.local_date,
            Sale.till_id,
            quarter,
            func.count(distinct(SaleItem.sale_id)),
            func.sum(LINE_ITEMS),
            func.sum(SaleItem.revenue_cents),
            func.sum(SaleItem.discount_cents),
        )
        .join(Sale, Sale.id == SaleItem.sale_id)
        .join(Product, Product.id == SaleItem.product_id)
        .where(*lines)
        .group_by(SaleItem.local_date, Sale.till_id, quarter)
    ).all()
    hours = local_hours(timezone, (int(row[2]) for row in rows))
    totals: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for day, till, number, count, units, revenue, discount in rows:
        counts = totals[(day, hours[int(number)], till)]
        counts[0] += int(count)
        counts[1] += int(units)
        counts[2] += int(revenue)
        counts[3] += int(discount)
    names = ("local_date", "local_hour", "till_id", *MEASURES)
    values = [dict(zip(names, (*key, *counts), strict=True)) for key, counts in totals.items()]
    for first in range(0, len(values), INSERT_CHUNK):
        session.execute(insert(HourlySales), values[first : first + INSERT_CHUNK])


def _rebuild_category_sets(session: Session, lines: list[ColumnElement[bool]]) -> None:
    """Count each sale once under the set of its lines' categories: the lines come in sale
    order, a few thousand at a time, and each sale's categories are folded in Python."""
    rows = session.execute(
        select(SaleItem.sale_id, SaleItem.local_date, Sale.till_id, SaleItem.category_id)
        .join(Sale, Sale.id == SaleItem.sale_id)
        .where(*lines)
        .order_by(SaleItem.sale_id)
        .execution_options(yield_per=CATEGORY_SET_BATCH)
    )
    totals: dict[tuple[date, str, str], int] = defaultdict(int)
    current: int | None = None
    day, till, categories = date.min, "", set[int]()
    for sale_id, line_day, line_till, category_id in rows:
        if sale_id != current:
            if current is not None:
                totals[(day, category_set(categories), till)] += 1
            current, day, till, categories = sale_id, line_day, line_till, set()
        categories.add(category_id)
    if current is not None:
        totals[(day, category_set(categories), till)] += 1
    values = [
        {"local_date": key[0], **category_set_row(key[1]), "till_id": key[2], "sales_count": count}
        for key, count in sorted(totals.items())
    ]
    for first in range(0, len(values), INSERT_CHUNK):
        session.execute(insert(DailyCategorySet), values[first : first + INSERT_CHUNK])


__all__ = [
    "ROLLUP_MODELS",
    "RollupLine",
    "RollupModel",
    "add_lines_to_rollups",
    "category_set",
    "category_set_key",
    "local_hours",
    "quarter_hour",
    "rebuild_rollups",
    "refresh_rollups",
]
