from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import column, delete, insert, table, text

from pos_app.db.models import Category, Inventory, Product, Sale, SaleItem
from pos_app.services import analytics, analytics_days, auth, checkout
from pos_app.services.access import UserSession
from pos_app.services.analytics import Bucket, SalesQuery, bucket_bounds
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.roles import Role
from pos_app.services.rollups import rebuild_rollups
from tests.conftest import FakeClock
from tests.factories import open_till, signed_in

PASSWORD = "correct horse battery"
BERLIN = ZoneInfo("Europe/Berlin")
# Two 60-day windows around the 2026 daylight-saving changes (29 March and 25 October).
WINDOWS = (date(2026, 3, 1), date(2026, 9, 27))
WINDOW_DAYS = 60


class Row(NamedTuple):
    sale_id: int
    created_at: datetime
    local_date: date
    product_id: int
    category_id: int
    quantity: int
    revenue_cents: int


def make_owner(ctx: ServiceContext) -> UserSession:
    """The first account; it opens a shift on the till so it can sell."""
    owner = signed_in(
        ctx,
        auth.register_user(
            ctx,
            None,
            email="owner@shop.test",
            password=PASSWORD,
            first_name="Olga",
            last_name="Owner",
        ),
        PASSWORD,
    )
    open_till(ctx, owner)
    return owner


def make_user(ctx: ServiceContext, owner: UserSession, role: Role) -> UserSession:
    return signed_in(
        ctx,
        auth.register_user(
            ctx,
            owner,
            email=f"{role.value}@shop.test",
            password=PASSWORD,
            first_name=role.label,
            last_name="Person",
            role=role,
        ),
        PASSWORD,
    )


def seed_products(ctx: ServiceContext, categories: int = 3, per_category: int = 2) -> list[Product]:
    """Categories and products with ample stock; returns detached products."""
    now = ctx.now()
    with ctx.unit_of_work() as session:
        products = []
        for c in range(categories):
            category = Category(
                name=f"Category {c}", slug=f"cat-{c}", description="", created_at=now
            )
            session.add(category)
            session.flush()
            for p in range(per_category):
                product = Product(
                    name=f"Product {c}-{p}",
                    description="",
                    category_id=category.id,
                    sku=f"SKU-{c}-{p}",
                    price_cents=100 + 37 * p + 11 * c,
                    created_at=now,
                    updated_at=now,
                )
                session.add(product)
                session.flush()
                session.add(Inventory(product_id=product.id, quantity=1000, updated_at=now))
                products.append(product)
        session.commit()
        return products


class OldProduct(NamedTuple):
    id: int
    category_id: int
    price_cents: int


def seed_products_at_an_old_revision(
    ctx: ServiceContext, categories: int = 2, per_category: int = 2
) -> list[OldProduct]:
    """Like ``seed_products``, for a database migrated only part of the way: plain inserts of
    the columns every revision has, so columns added later (and their defaults) stay out."""
    now = ctx.now().replace(tzinfo=None)
    category_table = table(
        "categories", column("name"), column("slug"), column("description"), column("created_at")
    )
    product_table = table(
        "products", column("name"), column("description"), column("category_id"), column("sku"),
        column("price_cents"), column("created_at"), column("updated_at"),
    )  # fmt: skip
    stock_table = table(
        "inventories", column("product_id"), column("quantity"), column("updated_at")
    )
    made: list[OldProduct] = []
    with ctx.unit_of_work() as session:
        for c in range(categories):
            session.execute(
                insert(category_table).values(
                    name=f"Category {c}", slug=f"cat-{c}", description="", created_at=now
                )
            )
            category_id = session.scalar(text("SELECT max(id) FROM categories"))
            for p in range(per_category):
                price = 100 + 37 * p + 11 * c
                session.execute(
                    insert(product_table).values(
                        name=f"Product {c}-{p}", description="", category_id=category_id,
                        sku=f"SKU-{c}-{p}", price_cents=price, created_at=now, updated_at=now,
                    )
                )  # fmt: skip
                product_id = session.scalar(text("SELECT max(id) FROM products"))
                session.execute(
                    insert(stock_table).values(product_id=product_id, quantity=1000, updated_at=now)
                )
                made.append(OldProduct(int(product_id), int(category_id), price))
        session.commit()
    return made


def store_history(ctx: ServiceContext, user_id: int, rows: list[Row]) -> None:
    """Replace every sale by ``rows`` (one Sale per distinct sale_id), written in bulk like the
    demo data and the legacy import: Core inserts, then a rebuild of the rollups."""
    with ctx.unit_of_work() as session:
        session.execute(delete(SaleItem))
        session.execute(delete(Sale))
        sales: dict[int, dict[str, object]] = {}
        for row in rows:
            sale = sales.setdefault(
                row.sale_id,
                {
                    "id": row.sale_id,
                    "uuid": f"00000000-0000-0000-0000-{row.sale_id:012d}",
                    "user_id": user_id,
                    "till_id": "till-1",
                    "created_at": row.created_at,
                    "local_date": row.local_date,
                    "total_cents": 0,
                },
            )
            sale["total_cents"] = int(str(sale["total_cents"])) + row.revenue_cents
        if sales:
            session.execute(insert(Sale), list(sales.values()))
            session.execute(
                insert(SaleItem),
                [
                    {
                        "sale_id": row.sale_id,
                        "product_id": row.product_id,
                        "category_id": row.category_id,
                        "local_date": row.local_date,
                        "quantity": row.quantity,
                        "unit_price_cents": row.revenue_cents // row.quantity,
                        "revenue_cents": row.revenue_cents,
                    }
                    for row in rows
                ],
            )
        rebuild_rollups(session, ctx.timezone)
        session.commit()


@st.composite
def histories(draw: st.DrawFn, products: list[tuple[int, int]]) -> list[Row]:
    window = draw(st.sampled_from(WINDOWS))
    base = datetime.combine(window, datetime.min.time(), BERLIN).astimezone(UTC)
    rows: list[Row] = []
    for sale_id in range(1, draw(st.integers(0, 30)) + 1):
        minute = draw(st.integers(0, WINDOW_DAYS * 24 * 60))
        created_at = base + timedelta(minutes=minute, seconds=draw(st.integers(0, 59)))
        chosen = draw(st.lists(st.sampled_from(products), min_size=1, max_size=3, unique=True))
        for product_id, category_id in chosen:
            quantity = draw(st.integers(1, 5))
            revenue = quantity * draw(st.integers(0, 5000))
            local = created_at.astimezone(BERLIN).date()
            rows.append(Row(sale_id, created_at, local, product_id, category_id, quantity, revenue))
    return rows


def period_key(day: date, bucket: Bucket) -> object:
    if bucket is Bucket.DAILY:
        return day
    if bucket is Bucket.WEEKLY:
        return day.isocalendar()[:2]
    if bucket is Bucket.MONTHLY:
        return (day.year, day.month)
    if bucket is Bucket.YEARLY:
        return day.year
    return None


def reference(rows: list[Row], query: SalesQuery) -> list[tuple[date, date, int, int, int]]:
    """Plain loops: walk every day of the range, cut where the period changes, sum the rows."""
    buckets: list[list[date]] = []
    day = query.start
    while day <= query.end:
        if buckets and period_key(buckets[-1][0], query.bucket) == period_key(day, query.bucket):
            buckets[-1].append(day)
        else:
            buckets.append([day])
        day += timedelta(days=1)
    result = []
    for days in buckets:
        sales, units, revenue = set(), 0, 0
        for row in rows:
            if not days[0] <= row.local_date <= days[-1]:
                continue
            if query.product_ids and row.product_id not in query.product_ids:
                continue
            if query.category_ids and row.category_id not in query.category_ids:
                continue
            sales.add(row.sale_id)
            units += row.quantity
            revenue += row.revenue_cents
        result.append((days[0], days[-1], len(sales), units, revenue))
    return result


def reference_by(rows: list[Row], query: SalesQuery, attribute: str) -> dict[int, tuple[int, int]]:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if not query.start <= row.local_date <= query.end:
            continue
        if query.product_ids and row.product_id not in query.product_ids:
            continue
        if query.category_ids and row.category_id not in query.category_ids:
            continue
        totals[getattr(row, attribute)][0] += row.quantity
        totals[getattr(row, attribute)][1] += row.revenue_cents
    return {key: (units, revenue) for key, (units, revenue) in totals.items()}


def test_sales_data_matches_a_plain_computation_on_random_histories(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    products = [(p.id, p.category_id) for p in seed_products(ctx)]
    product_ids = [p for p, _ in products]
    category_ids = sorted({c for _, c in products})

    @settings(max_examples=25, deadline=None)
    @given(
        rows=histories(products),
        start_offset=st.integers(-3, 63),
        length=st.integers(0, 70),
        window=st.sampled_from(WINDOWS),
        bucket=st.sampled_from(list(Bucket)),
        product_filter=st.lists(st.sampled_from(product_ids), max_size=3, unique=True),
        category_filter=st.lists(st.sampled_from(category_ids), max_size=2, unique=True),
        breakdowns=st.booleans(),
    )
    def check(
        rows: list[Row],
        start_offset: int,
        length: int,
        window: date,
        bucket: Bucket,
        product_filter: list[int],
        category_filter: list[int],
        breakdowns: bool,
    ) -> None:
        store_history(ctx, owner.id, rows)
        start = window + timedelta(days=start_offset)
        query = SalesQuery(
            start,
            start + timedelta(days=length),
            bucket,
            tuple(product_filter),
            tuple(category_filter),
            include_lines=True,
            bucket_breakdowns=breakdowns,
        )
        report = analytics.sales_data(ctx, owner, query)
        got = [(b.start, b.end, b.sales, b.units, b.revenue_cents) for b in report.buckets]
        assert got == reference(rows, query)
        assert report.sales == sum(b.sales for b in report.buckets)
        assert report.units == sum(b.units for b in report.buckets)
        assert report.revenue_cents == sum(b.revenue_cents for b in report.buckets)
        by_product = {b.id: (b.units, b.revenue_cents) for b in report.by_product}
        assert by_product == reference_by(rows, query, "product_id")
        by_category = {b.id: (b.units, b.revenue_cents) for b in report.by_category}
        assert by_category == reference_by(rows, query, "category_id")
        for row in report.buckets:
            if breakdowns:
                assert sum(b.revenue_cents for b in row.by_product) == row.revenue_cents
                assert sum(b.units for b in row.by_category) == row.units
            assert sum(line.revenue_cents for line in row.lines) == row.revenue_cents
            assert all(
                row.start <= line.created_at.astimezone(BERLIN).date() <= row.end
                for line in row.lines
            )

    check()


@pytest.mark.parametrize(
    ("local", "day"),
    [
        (datetime(2026, 3, 29, 0, 30), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 23, 30), date(2026, 3, 29)),
        (datetime(2026, 10, 25, 0, 30), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 59), date(2026, 10, 25)),
        (datetime(2026, 10, 24, 23, 59), date(2026, 10, 24)),
    ],
)
def test_a_sale_near_midnight_on_a_daylight_saving_day_counts_for_the_shop_day(
    ctx: ServiceContext, clock: FakeClock, local: datetime, day: date
) -> None:
    owner = make_owner(ctx)
    product = seed_products(ctx, 1, 1)[0]
    clock.now = local.replace(tzinfo=BERLIN).astimezone(UTC)
    sale = checkout.purchase(ctx, owner, [checkout.PurchaseLine(product.id, 2)])
    assert sale.committed
    report = analytics.sales_data(
        ctx, owner, SalesQuery(day - timedelta(days=1), day + timedelta(days=1))
    )
    assert [(b.start, b.sales, b.revenue_cents) for b in report.buckets] == [
        (day - timedelta(days=1), 0, 0),
        (day, 1, sale.total_cents),
        (day + timedelta(days=1), 0, 0),
    ]
    weekly = analytics.sales_data(ctx, owner, SalesQuery(day, day, Bucket.WEEKLY))
    assert [(b.start, b.end, b.units) for b in weekly.buckets] == [(day, day, 2)]


def test_weeks_start_on_monday_and_the_first_and_last_buckets_are_clipped() -> None:
    # 2026-03-25 is a Wednesday; the DST week runs Monday 23 to Sunday 29 March.
    assert bucket_bounds(date(2026, 3, 25), date(2026, 4, 7), Bucket.WEEKLY) == [
        (date(2026, 3, 25), date(2026, 3, 29)),
        (date(2026, 3, 30), date(2026, 4, 5)),
        (date(2026, 4, 6), date(2026, 4, 7)),
    ]
    assert bucket_bounds(date(2026, 1, 15), date(2026, 3, 2), Bucket.MONTHLY) == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 2)),
    ]
    assert bucket_bounds(date(2025, 12, 31), date(2027, 1, 1), Bucket.YEARLY) == [
        (date(2025, 12, 31), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 1)),
    ]
    assert bucket_bounds(date(2026, 3, 1), date(2026, 5, 1), Bucket.NONE) == [
        (date(2026, 3, 1), date(2026, 5, 1))
    ]
    assert len(bucket_bounds(date(2026, 3, 1), date(2026, 3, 31), Bucket.DAILY)) == 31


def test_empty_buckets_are_reported_with_zeros(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    report = analytics.sales_data(
        ctx, owner, SalesQuery(date(2026, 3, 1), date(2026, 4, 30), Bucket.MONTHLY)
    )
    assert [(b.start, b.sales, b.units, b.revenue_cents) for b in report.buckets] == [
        (date(2026, 3, 1), 0, 0, 0),
        (date(2026, 4, 1), 0, 0, 0),
    ]
    assert report.by_product == [] and report.sales == 0


def test_breakdowns_carry_the_names_and_sort_by_revenue(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 2, 1)
    moment = datetime(2026, 3, 10, 12, tzinfo=UTC)
    day = moment.astimezone(BERLIN).date()
    rows = [
        Row(1, moment, day, products[0].id, products[0].category_id, 1, 100),
        Row(2, moment, day, products[1].id, products[1].category_id, 2, 900),
    ]
    store_history(ctx, owner.id, rows)
    report = analytics.sales_data(ctx, owner, SalesQuery(day, day, Bucket.NONE))
    assert [(b.name, b.units, b.revenue_cents) for b in report.by_product] == [
        ("Product 1-0", 2, 900),
        ("Product 0-0", 1, 100),
    ]
    assert [b.name for b in report.by_category] == ["Category 1", "Category 0"]
    with pytest.raises(ValidationError) as raised:
        _ = report.buckets[0].by_product
    assert raised.value.field == "bucket_breakdowns"
    query = SalesQuery(day, day, Bucket.NONE, bucket_breakdowns=True)
    [bucket] = analytics.sales_data(ctx, owner, query).buckets
    assert [(b.name, b.units) for b in bucket.by_product] == [
        ("Product 1-0", 2),
        ("Product 0-0", 1),
    ]
    assert report.buckets[0].lines == []


def test_a_sale_with_lines_in_two_filtered_categories_counts_once(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 3, 2)
    clock.now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    day = clock.now.astimezone(BERLIN).date()
    for cart in ((0, 1, 2), (3,), (4, 5)):  # categories {0, 1}, {1} and {2} (not filtered)
        lines = [checkout.PurchaseLine(products[i].id, 1) for i in cart]
        assert checkout.purchase(ctx, owner, lines).committed
    filtered = (products[0].category_id, products[2].category_id)
    query = SalesQuery(day, day, Bucket.DAILY, category_ids=filtered)
    for _ in range(2):
        report = analytics.sales_data(ctx, owner, query)
        assert report.sales == 2 and [b.sales for b in report.buckets] == [2]
        assert report.units == 4
        with ctx.unit_of_work() as session:
            rebuild_rollups(session, ctx.timezone)
            session.commit()


def test_a_reversed_or_malformed_range_is_a_validation_error(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    with pytest.raises(ValidationError) as error:
        analytics.sales_data(ctx, owner, SalesQuery(date(2026, 3, 2), date(2026, 3, 1)))
    assert error.value.field == "start"
    bad_queries = [
        SalesQuery(datetime(2026, 3, 1), date(2026, 3, 2)),
        SalesQuery("2026-03-01", date(2026, 3, 2)),  # type: ignore[arg-type]
        SalesQuery(date(1970, 1, 1), date(2026, 1, 1)),
        SalesQuery(date(2026, 3, 1), date(2026, 3, 2), "hourly"),  # type: ignore[arg-type]
        SalesQuery(date(2026, 3, 1), date(2026, 3, 2), product_ids=("1 OR 1=1",)),  # type: ignore[arg-type]
        SalesQuery(date(2026, 3, 1), date(2026, 3, 2), category_ids=(True,)),
        SalesQuery(date(2026, 3, 1), date(2026, 3, 2), category_ids=(2**80,)),
    ]
    for query in bad_queries:
        with pytest.raises(ValidationError):
            analytics.sales_data(ctx, owner, query)


def test_too_many_lines_ask_for_a_shorter_range(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_owner(ctx)
    product = seed_products(ctx, 1, 1)[0]
    moment = datetime(2026, 3, 10, 12, tzinfo=UTC)
    day = moment.astimezone(BERLIN).date()
    rows = [Row(n, moment, day, product.id, product.category_id, 1, 100) for n in (1, 2, 3)]
    store_history(ctx, owner.id, rows)
    monkeypatch.setattr(analytics, "MAX_LINES", 2)
    with pytest.raises(ValidationError, match="shorter range"):
        analytics.sales_data(ctx, owner, SalesQuery(day, day, include_lines=True))
    assert analytics.sales_data(ctx, owner, SalesQuery(day, day)).sales == 3


@pytest.mark.parametrize("role", [Role.CASHIER, Role.MANAGER])
def test_only_the_owner_sees_sales_reports(ctx: ServiceContext, role: Role) -> None:
    owner = make_owner(ctx)
    user = make_user(ctx, owner, role)
    with pytest.raises(PermissionDeniedError):
        analytics.sales_data(ctx, user, SalesQuery(date(2026, 3, 1), date(2026, 3, 2)))


def test_kept_counts_of_several_products_follow_new_and_late_sales_and_rebuilds(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 2, 2)
    first, second = datetime(2026, 3, 10, 12, tzinfo=UTC), datetime(2026, 3, 11, 12, tzinfo=UTC)
    days = [moment.astimezone(BERLIN).date() for moment in (first, second)]
    wanted = (products[0].id, products[2].id)
    query = SalesQuery(days[0], days[1], Bucket.DAILY, product_ids=wanted)

    def sell(moment: datetime, *indexes: int) -> None:
        clock.now = moment
        lines = [checkout.PurchaseLine(products[i].id, 1) for i in indexes]
        assert checkout.purchase(ctx, owner, lines).committed

    def daily_sales() -> list[int]:
        return [b.sales for b in analytics.sales_data(ctx, owner, query).buckets]

    sell(first, 0, 2)
    sell(first, 1)
    assert daily_sales() == [1, 0]
    sell(second, 0)
    sell(second, 3)
    assert daily_sales() == [1, 1]
    sell(first, 2, 3)  # a till whose clock lags writes to a day already counted
    assert daily_sales() == [2, 1]
    weekly = analytics.sales_data(ctx, owner, SalesQuery(days[0], days[1], Bucket.WEEKLY, wanted))
    assert [b.sales for b in weekly.buckets] == [3]
    with ctx.unit_of_work() as session:
        rebuild_rollups(session, ctx.timezone)
        session.commit()
    assert daily_sales() == [2, 1]


def test_sales_in_several_categories_are_the_same_past_the_set_list_limit(
    ctx: ServiceContext, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 3, 1)
    clock.now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    day = clock.now.astimezone(BERLIN).date()
    for cart in ((0,), (0, 1), (1, 2), (2,), (0, 1, 2)):
        lines = [checkout.PurchaseLine(products[i].id, 1) for i in cart]
        assert checkout.purchase(ctx, owner, lines).committed
    query = SalesQuery(
        day, day, Bucket.DAILY, category_ids=(products[0].category_id, products[1].category_id)
    )
    assert analytics.sales_data(ctx, owner, query).sales == 4
    monkeypatch.setattr(analytics_days, "MAX_SET_KEYS", 1)
    assert analytics.sales_data(ctx, owner, query).sales == 4


def test_kept_counts_are_dropped_when_the_sale_lines_are_rewritten(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 2, 2)
    moment = datetime(2026, 3, 10, 12, tzinfo=UTC)
    day = moment.astimezone(BERLIN).date()
    query = SalesQuery(day, day, Bucket.DAILY, product_ids=(products[0].id, products[1].id))

    def one_sale_of(product: Product) -> list[Row]:
        return [Row(1, moment, day, product.id, product.category_id, 2, 300)]

    store_history(ctx, owner.id, one_sale_of(products[0]))
    assert analytics.sales_data(ctx, owner, query).sales == 1
    # The same day's totals (one sale, two units, 3.00) from a product outside the filter.
    store_history(ctx, owner.id, one_sale_of(products[2]))
    assert analytics.sales_data(ctx, owner, query).sales == 0
