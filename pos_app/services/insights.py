"""More for the owner: best and slowest sellers, average sale, and when the shop sells.

Everything is read from the sales rollups (``pos_app.services.rollups``), so each call reads a
few thousand rows whatever the number of sales. Hours are the shop's local hours, kept per sale
in ``hourly_sales``; weekdays come from the shop-local day. Products rank by the figure asked
for, then by the other figure, then by id, so the order is the same on every backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, DailyProductSales, HourlySales, Product
from pos_app.domain.periods import check_range, weekday_counts
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.roles import Role

MAX_RANKED = 1000
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Ranking(StrEnum):
    UNITS = "units"
    REVENUE = "revenue"


@dataclass(frozen=True)
class ProductSales:
    product_id: int
    name: str
    sku: str
    category_name: str
    is_active: bool
    sales: int
    units: int
    revenue_cents: int


@dataclass(frozen=True)
class SaleAverage:
    sales: int
    units: int
    revenue_cents: int
    average_cents: int  # revenue per sale, rounded half up; 0 without sales


@dataclass(frozen=True)
class HourSales:
    hour: int  # 0..23, shop-local
    sales: int
    units: int
    revenue_cents: int


@dataclass(frozen=True)
class WeekdaySales:
    weekday: int  # 0 = Monday
    name: str
    days: int  # how many of this weekday the range holds
    sales: int
    units: int
    revenue_cents: int


def _clean_ranking(by: object, limit: object) -> tuple[Ranking, int]:
    if not isinstance(by, str) or by not in {member.value for member in Ranking}:
        raise ValidationError("Rank products by units or by revenue.", field="by")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_RANKED:
        raise ValidationError(f"Show between 1 and {MAX_RANKED} products.", field="limit")
    return Ranking(by), limit


def _product_totals(start: date, end: date) -> Any:
    rollup = DailyProductSales
    return (
        select(
            rollup.product_id,
            cast(func.sum(rollup.sales_count), BigInteger).label("sales"),
            cast(func.sum(rollup.units), BigInteger).label("units"),
            cast(func.sum(rollup.revenue_cents), BigInteger).label("revenue"),
        )
        .where(rollup.local_date >= start, rollup.local_date <= end)
        .group_by(rollup.product_id)
        .subquery()
    )


def _ranked(
    session: Session, start: date, end: date, by: Ranking, limit: int, *, slowest: bool
) -> list[ProductSales]:
    totals = _product_totals(start, end)
    figures = [func.coalesce(totals.c[name], 0) for name in ("sales", "units", "revenue")]
    first, second = (figures[1], figures[2]) if by is Ranking.UNITS else (figures[2], figures[1])
    statement: Select[Any] = select(
        Product.id, Product.name, Product.sku, Category.name, Product.is_active, *figures
    ).join(Category, Category.id == Product.category_id)
    if slowest:
        statement = statement.outerjoin(totals, totals.c.product_id == Product.id)
        statement = statement.where(Product.is_active.is_(True))
        statement = statement.order_by(first, second, Product.id)
    else:
        statement = statement.join(totals, totals.c.product_id == Product.id)
        statement = statement.order_by(first.desc(), second.desc(), Product.id)
    rows = session.execute(statement.limit(limit))
    return [
        ProductSales(pid, name, sku, category, bool(active), int(sales), int(units), int(revenue))
        for pid, name, sku, category, active, sales, units, revenue in rows
    ]


def top_sellers(
    ctx: ServiceContext,
    actor: UserSession,
    start: date,
    end: date,
    *,
    by: Ranking | str = Ranking.UNITS,
    limit: int = 10,
) -> list[ProductSales]:
    """The products that sold most from ``start`` to ``end``, by units or by revenue."""
    check_range(start, end)
    ranking, count = _clean_ranking(by, limit)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see the best sellers")
        return _ranked(session, start, end, ranking, count, slowest=False)


def slow_movers(
    ctx: ServiceContext,
    actor: UserSession,
    start: date,
    end: date,
    *,
    by: Ranking | str = Ranking.UNITS,
    limit: int = 10,
) -> list[ProductSales]:
    """The active products that sold least (none at all first) from ``start`` to ``end``."""
    check_range(start, end)
    ranking, count = _clean_ranking(by, limit)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see the slow movers")
        return _ranked(session, start, end, ranking, count, slowest=True)


def _hourly(session: Session, start: date, end: date, *keys: Any) -> Sequence[tuple[Any, ...]]:
    rollup = HourlySales
    statement = select(
        *keys,
        cast(func.sum(rollup.sales_count), BigInteger),
        cast(func.sum(rollup.units), BigInteger),
        cast(func.sum(rollup.revenue_cents), BigInteger),
    ).where(rollup.local_date >= start, rollup.local_date <= end)
    if keys:
        statement = statement.group_by(*keys)
    return [tuple(row) for row in session.execute(statement)]


def average_sale(ctx: ServiceContext, actor: UserSession, start: date, end: date) -> SaleAverage:
    """The number of sales, their units and revenue, and the revenue per sale."""
    check_range(start, end)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see the average sale")
        sales, units, revenue = (int(value or 0) for value in _hourly(session, start, end)[0])
    average = (2 * revenue + sales) // (2 * sales) if sales else 0
    return SaleAverage(sales, units, revenue, average)


def sales_by_hour(
    ctx: ServiceContext, actor: UserSession, start: date, end: date
) -> list[HourSales]:
    """Sales, units and revenue per shop-local hour of the day: 24 rows, empty hours as zeros."""
    check_range(start, end)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see sales by hour")
        found = {
            int(hour): (int(sales), int(units), int(revenue))
            for hour, sales, units, revenue in _hourly(session, start, end, HourlySales.local_hour)
        }
    return [HourSales(hour, *found.get(hour, (0, 0, 0))) for hour in range(24)]


def sales_by_weekday(
    ctx: ServiceContext, actor: UserSession, start: date, end: date
) -> list[WeekdaySales]:
    """Sales, units and revenue per day of the week (Monday first), with how many such days
    the range holds, so a screen can show the average day."""
    check_range(start, end)
    totals = [[0, 0, 0] for _ in WEEKDAYS]
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see sales by weekday")
        for day, *figures in _hourly(session, start, end, HourlySales.local_date):
            for position, value in enumerate(figures):
                totals[day.weekday()][position] += int(value)
    days = weekday_counts(start, end)
    return [
        WeekdaySales(weekday, WEEKDAYS[weekday], days[weekday], *totals[weekday])
        for weekday in range(7)
    ]


__all__ = [
    "MAX_RANKED",
    "HourSales",
    "ProductSales",
    "Ranking",
    "SaleAverage",
    "WeekdaySales",
    "average_sale",
    "sales_by_hour",
    "sales_by_weekday",
    "slow_movers",
    "top_sellers",
]
