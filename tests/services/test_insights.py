from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from pos_app.db.models import Product
from pos_app.services import checkout, insights
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.insights import Ranking
from pos_app.services.roles import Role
from tests.conftest import FakeClock
from tests.services.test_analytics import make_owner, make_user, seed_products

# Monday 9 March 2026; Berlin is UTC+1 until the end of March.
MONDAY = date(2026, 3, 9)
WEEK = (MONDAY, date(2026, 3, 15))


def sell_at(
    ctx: ServiceContext,
    clock: FakeClock,
    owner: UserSession,
    moment: datetime,
    *lines: tuple[int, int],
) -> checkout.PurchaseResult:
    clock.now = moment
    result = checkout.purchase(ctx, owner, [checkout.PurchaseLine(p, n) for p, n in lines])
    assert result.committed
    return result


@pytest.fixture
def shop(ctx: ServiceContext, clock: FakeClock) -> tuple[UserSession, list[Product]]:
    """Four products; A sells many cheap units, B few dear ones, C one unit, D nothing."""
    owner = make_owner(ctx)
    products = seed_products(ctx, categories=2, per_category=2)
    with ctx.unit_of_work() as session:
        for product, price in zip(products, (100, 2000, 500, 300), strict=True):
            session.execute(
                update(Product).where(Product.id == product.id).values(price_cents=price)
            )
        session.commit()
    a, b, c, _d = (product.id for product in products)
    sell_at(ctx, clock, owner, datetime(2026, 3, 9, 8, 15, tzinfo=UTC), (a, 10), (b, 1))
    sell_at(ctx, clock, owner, datetime(2026, 3, 9, 16, 59, tzinfo=UTC), (a, 5))
    sell_at(ctx, clock, owner, datetime(2026, 3, 14, 9, 30, tzinfo=UTC), (b, 2), (c, 1))
    return owner, products


def test_top_sellers_rank_by_units_or_by_revenue(
    ctx: ServiceContext, shop: tuple[UserSession, list[Product]]
) -> None:
    owner, products = shop
    a, b, c, _d = (product.id for product in products)
    by_units = insights.top_sellers(ctx, owner, *WEEK)
    assert [(row.product_id, row.sales, row.units, row.revenue_cents) for row in by_units] == [
        (a, 2, 15, 1500),
        (b, 2, 3, 6000),
        (c, 1, 1, 500),
    ]
    by_revenue = insights.top_sellers(ctx, owner, *WEEK, by="revenue", limit=2)
    assert [row.product_id for row in by_revenue] == [b, a]
    assert by_revenue[0].name == "Product 0-1" and by_revenue[0].category_name == "Category 0"
    assert insights.top_sellers(ctx, owner, MONDAY, MONDAY, by=Ranking.REVENUE)[0].units == 1


def test_slow_movers_start_with_active_products_that_sold_nothing(
    ctx: ServiceContext, shop: tuple[UserSession, list[Product]]
) -> None:
    owner, products = shop
    a, b, c, d = (product.id for product in products)
    slow = insights.slow_movers(ctx, owner, *WEEK)
    assert [(row.product_id, row.units) for row in slow] == [(d, 0), (c, 1), (b, 3), (a, 15)]
    with ctx.unit_of_work() as session:
        session.execute(update(Product).where(Product.id == d).values(is_active=False))
        session.commit()
    slow = insights.slow_movers(ctx, owner, *WEEK, by="revenue", limit=2)
    assert [(row.product_id, row.revenue_cents) for row in slow] == [(c, 500), (a, 1500)]


def test_the_average_sale_is_revenue_per_sale_rounded_half_up(
    ctx: ServiceContext, shop: tuple[UserSession, list[Product]]
) -> None:
    owner, _products = shop
    average = insights.average_sale(ctx, owner, *WEEK)
    assert (average.sales, average.units, average.revenue_cents) == (3, 19, 8000)
    assert average.average_cents == 2667
    empty = insights.average_sale(ctx, owner, date(2026, 1, 1), date(2026, 1, 31))
    assert (empty.sales, empty.average_cents) == (0, 0)


def test_sales_by_hour_use_the_shop_local_hour(
    ctx: ServiceContext, shop: tuple[UserSession, list[Product]]
) -> None:
    owner, _products = shop
    hours = insights.sales_by_hour(ctx, owner, *WEEK)
    assert [row.hour for row in hours] == list(range(24))
    busy = {row.hour: (row.sales, row.units, row.revenue_cents) for row in hours if row.sales}
    assert busy == {9: (1, 11, 3000), 17: (1, 5, 500), 10: (1, 3, 4500)}


def test_sales_by_weekday_count_the_days_of_each_weekday_in_the_range(
    ctx: ServiceContext, shop: tuple[UserSession, list[Product]]
) -> None:
    owner, _products = shop
    days = insights.sales_by_weekday(ctx, owner, MONDAY, date(2026, 3, 24))
    assert [row.name for row in days][:2] == ["Monday", "Tuesday"]
    assert [row.days for row in days] == [3, 3, 2, 2, 2, 2, 2]
    assert (days[0].sales, days[0].revenue_cents) == (2, 3500)
    assert (days[5].sales, days[5].units) == (1, 3)
    assert sum(row.sales for row in days) == 3


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda ctx, o: insights.top_sellers(ctx, o, WEEK[1], WEEK[0]), "start"),
        (lambda ctx, o: insights.top_sellers(ctx, o, *WEEK, by="profit"), "by"),
        (lambda ctx, o: insights.slow_movers(ctx, o, *WEEK, limit=0), "limit"),
        (lambda ctx, o: insights.slow_movers(ctx, o, *WEEK, limit=True), "limit"),
        (lambda ctx, o: insights.average_sale(ctx, o, "2026-03-01", WEEK[1]), "start"),
        (lambda ctx, o: insights.sales_by_hour(ctx, o, WEEK[0], datetime(2026, 3, 2)), "end"),
        (lambda ctx, o: insights.sales_by_weekday(ctx, o, date(1900, 1, 1), WEEK[1]), "end"),
    ],
)
def test_malformed_requests_are_validation_errors(
    ctx: ServiceContext, call: object, field: str
) -> None:
    owner = make_owner(ctx)
    with pytest.raises(ValidationError) as error:
        call(ctx, owner)  # type: ignore[operator]
    assert error.value.field == field


@pytest.mark.parametrize("role", [Role.CASHIER, Role.MANAGER])
def test_only_the_owner_sees_insights(ctx: ServiceContext, role: Role) -> None:
    user = make_user(ctx, make_owner(ctx), role)
    for call in (
        insights.top_sellers,
        insights.slow_movers,
        insights.average_sale,
        insights.sales_by_hour,
        insights.sales_by_weekday,
    ):
        with pytest.raises(PermissionDeniedError):
            call(ctx, user, *WEEK)
