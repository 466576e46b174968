from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from pos_app.db import tables
from pos_app.db.engine import Database, create_engine_for
from pos_app.db.migrate import alembic_config, upgrade_to_head
from pos_app.db.models import (
    DailyCategorySales,
    DailyCategorySet,
    DailyProductSales,
    HourlySales,
    Inventory,
    Product,
    Sale,
    SaleItem,
)
from pos_app.domain.periods import Bucket, period_start
from pos_app.services import analytics, checkout, receipts, refunds
from pos_app.services.context import ServiceContext
from pos_app.services.refunds import new_refund_uuid
from pos_app.services.rollups import (
    MEASURES,
    ROLLUP_MODELS,
    category_set_key,
    local_hours,
    rebuild_rollups,
)
from tests.conftest import FakeClock
from tests.factories import open_till
from tests.services.test_analytics import (
    make_owner,
    seed_products,
    seed_products_at_an_old_revision,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Starts a few days before the 2026 autumn daylight-saving change (25 October, 03:00 -> 02:00).
AUTUMN = datetime(2026, 10, 22, 6, tzinfo=UTC)

Snapshot = dict[str, list[tuple[object, ...]]]


def snapshot(ctx: ServiceContext) -> Snapshot:
    """Every rollup row, in key order: the key columns, then sales, units, revenue and
    discounts (those the table has)."""
    with ctx.unit_of_work(readonly=True) as session:
        result: Snapshot = {}
        for model in ROLLUP_MODELS:
            table = model.__table__
            keys = list(table.primary_key.columns)
            measures = [table.c[name] for name in MEASURES if name in table.c]
            rows = session.execute(select(*keys, *measures).order_by(*keys)).all()
            result[table.name] = [tuple(row) for row in rows]
        return result


def period_sums_of_days(ctx: ServiceContext) -> list[tuple[object, ...]]:
    """What ``period_product_sales`` must hold: the daily product rows summed in Python per
    week (from Monday), month and year, in the table's key order."""
    sums: dict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    with ctx.unit_of_work(readonly=True) as session:
        rows = session.execute(
            select(
                DailyProductSales.local_date,
                DailyProductSales.product_id,
                DailyProductSales.category_id,
                DailyProductSales.till_id,
                DailyProductSales.sales_count,
                DailyProductSales.units,
                DailyProductSales.revenue_cents,
                DailyProductSales.discount_cents,
            )
        ).all()
    for day, product, category, till, *measures in rows:
        for period in (Bucket.WEEKLY, Bucket.MONTHLY, Bucket.YEARLY):
            key = (period.value, period_start(day, period), product, category, till)
            for place, value in enumerate(measures):
                sums[key][place] += value
    return [(*key, *values) for key, values in sorted(sums.items())]


def rebuild(ctx: ServiceContext, start: date | None = None, end: date | None = None) -> None:
    with ctx.unit_of_work() as session:
        rebuild_rollups(session, ctx.timezone, start, end)
        session.commit()


cart_lines = st.lists(st.tuples(st.integers(0, 5), st.integers(1, 4)), min_size=1, max_size=5)


def test_rollups_kept_by_checkout_equal_a_full_rebuild_after_random_purchases(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, categories=3, per_category=2)
    with ctx.unit_of_work() as session:
        session.execute(update(Inventory).values(quantity=1_000_000))
        session.commit()
    other_till = replace(ctx, till_id="till-2")
    open_till(other_till, owner)
    clock.now = AUTUMN

    @settings(max_examples=30, deadline=None)
    @given(
        steps=st.lists(
            st.tuples(cart_lines, st.integers(0, 600), st.booleans(), st.booleans()),
            min_size=1,
            max_size=6,
        )
    )
    def check(steps: list[tuple[list[tuple[int, int]], int, bool, bool]]) -> None:
        for lines, minutes, second_till, move_product in steps:
            clock.advance(minutes=minutes)
            if move_product:
                moved = products[lines[0][0]]
                with ctx.unit_of_work() as session:
                    session.execute(
                        update(Product)
                        .where(Product.id == moved.id)
                        .values(category_id=products[(lines[0][0] + 2) % 6].category_id)
                    )
                    session.commit()
            cart = [checkout.PurchaseLine(products[i].id, n) for i, n in lines]
            till = other_till if second_till else ctx
            assert checkout.purchase(till, owner, cart).committed
        kept = snapshot(ctx)
        assert sum(row[-1] for row in kept["daily_category_sets"]) == sum(
            row[3] for row in kept["hourly_sales"]
        )
        assert kept["period_product_sales"] == period_sums_of_days(ctx)
        rebuild(ctx)
        assert snapshot(ctx) == kept

    check()


def test_a_sale_counts_once_under_the_sorted_set_of_its_categories(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, categories=3, per_category=2)
    clock.now = AUTUMN
    first, second = products[4], products[1]  # categories in descending order on the receipt
    cart = [checkout.PurchaseLine(p.id, 1) for p in (first, second, products[5])]
    assert checkout.purchase(ctx, owner, cart).committed
    assert checkout.purchase(ctx, owner, [checkout.PurchaseLine(second.id, 2)]).committed
    low, high = sorted((first.category_id, second.category_id))
    expected = [
        (AUTUMN.date(), category_set_key(f"{low},{high}"), "till-1", 1),
        (AUTUMN.date(), category_set_key(str(second.category_id)), "till-1", 1),
    ]
    assert snapshot(ctx)["daily_category_sets"] == sorted(expected)
    assert set_texts(ctx) == {f"{low},{high}", str(second.category_id)}
    rebuild(ctx)
    assert snapshot(ctx)["daily_category_sets"] == sorted(expected)


def set_texts(ctx: ServiceContext) -> set[str]:
    with ctx.unit_of_work(readonly=True) as session:
        return set(session.scalars(select(DailyCategorySet.category_set)))


def test_a_sale_over_300_categories_is_stored_counted_and_found_by_category(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, categories=300, per_category=1)
    clock.now = AUTUMN
    cart = [checkout.PurchaseLine(p.id, 1) for p in products]
    result = checkout.purchase(ctx, owner, cart)
    assert result.committed and len(result.sold) == 300
    categories = sorted(p.category_id for p in products)
    text = ",".join(map(str, categories))
    assert len(text) > 255
    assert set_texts(ctx) == {text}
    assert snapshot(ctx)["daily_category_sets"] == [
        (AUTUMN.date(), category_set_key(text), "till-1", 1)
    ]
    kept = snapshot(ctx)
    rebuild(ctx)
    assert snapshot(ctx) == kept and set_texts(ctx) == {text}
    for wanted in ([categories[-1]], [categories[0], categories[150]]):
        query = analytics.SalesQuery(
            AUTUMN.date(), AUTUMN.date(), analytics.Bucket.NONE, category_ids=tuple(wanted)
        )
        assert analytics.sales_data(ctx, owner, query).sales == 1


def test_rebuilding_twice_gives_the_same_rows_and_a_range_rebuild_only_that_range(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 2, 2)
    clock.now = AUTUMN
    for day in range(6):
        for product in products[: day % 4 + 1]:
            checkout.purchase(ctx, owner, [checkout.PurchaseLine(product.id, day + 1)])
        clock.advance(days=1)
    kept = snapshot(ctx)
    rebuild(ctx)
    rebuild(ctx)
    assert snapshot(ctx) == kept
    inside, outside = date(2026, 10, 24), date(2026, 10, 22)
    with ctx.unit_of_work() as session:
        for model in (HourlySales, DailyProductSales, DailyCategorySales):
            session.execute(update(model).values(units=model.units + 1000))
        session.execute(
            update(DailyCategorySet).values(sales_count=DailyCategorySet.sales_count + 1000)
        )
        session.commit()
    rebuild(ctx, inside, inside)
    for name, rows in snapshot(ctx).items():
        if name == tables.period_product_sales.name:
            # The periods holding the rebuilt day are summed again from their days, the raised
            # units of the days around it included; the other periods are left alone.
            sums = period_sums_of_days(ctx)
            for row, summed, original in zip(rows, sums, kept[name], strict=True):
                touched = row[1] == period_start(inside, Bucket(row[0]))
                assert row == (summed if touched else original)
            continue
        assert {row[0] for row in rows} >= {inside, outside}
        for row, original in zip(rows, kept[name], strict=True):
            if name == tables.daily_category_sets.name:
                raised = (*original[:-1], original[-1] + 1000)
            else:
                # ... units, revenue, discounts: the units were raised.
                raised = (*original[:-3], original[-3] + 1000, *original[-2:])
            assert row == (original if row[0] == inside else raised)


def test_the_hour_is_the_shop_hour_even_on_the_night_the_clocks_go_back(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    product = seed_products(ctx, 1, 1)[0]
    # 02:30 happens twice on 25 October 2026 in Berlin: 00:30 UTC (summer) and 01:30 UTC.
    for moment in (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 22, 59, tzinfo=UTC),
    ):
        clock.now = moment
        assert checkout.purchase(ctx, owner, [checkout.PurchaseLine(product.id, 1)]).committed
    expected = [
        (date(2026, 10, 25), 2, "till-1", 2, 2, 2 * product.price_cents, 0),
        (date(2026, 10, 25), 23, "till-1", 1, 1, product.price_cents, 0),
    ]
    assert snapshot(ctx)["hourly_sales"] == expected
    rebuild(ctx)
    assert snapshot(ctx)["hourly_sales"] == expected


def test_quarter_hours_map_to_local_hours_in_zones_with_half_hour_offsets() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    moment = datetime(2026, 3, 10, 4, 45, tzinfo=UTC)  # 10:15 in Kolkata
    quarter = int(moment.timestamp()) // 900
    assert local_hours(kolkata, [quarter, quarter - 1, quarter - 2]) == {
        quarter: 10,
        quarter - 1: 10,
        quarter - 2: 9,
    }


def test_weeks_months_and_years_are_the_sums_of_their_days_across_a_clock_change_and_a_refund(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    products = seed_products(ctx, 2, 2)
    first = datetime(2026, 10, 24, 21, 30, tzinfo=UTC)  # 23:30 in Berlin, summer time
    sold = []
    for hours in (0, 1, 2, 3, 24, 24 * 7, 24 * 40):  # over the night the clocks go back
        clock.now = first + timedelta(hours=hours)
        cart = [checkout.PurchaseLine(p.id, 1 + hours % 3) for p in products[: hours % 4 + 1]]
        sale_id = checkout.purchase(ctx, owner, cart).sale_id
        assert sale_id is not None
        sold.append(sale_id)
    kept = snapshot(ctx)["period_product_sales"]
    assert kept == period_sums_of_days(ctx)
    weeks = {row[1] for row in kept if row[0] == "weekly"}
    assert weeks == {date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 30)}
    assert {row[1] for row in kept if row[0] == "yearly"} == {date(2026, 1, 1)}

    line = receipts.get_receipt(ctx, owner, sold[2]).lines[0]
    refunds.refund(
        ctx,
        owner,
        sold[2],
        [(line.sale_item_id, 1)],
        reason="Damaged",
        refund_uuid=new_refund_uuid(),
    )

    assert snapshot(ctx)["period_product_sales"] == kept == period_sums_of_days(ctx)
    rebuild(ctx)
    assert snapshot(ctx)["period_product_sales"] == kept


def test_a_sale_that_does_not_commit_leaves_the_rollups_alone(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    product = seed_products(ctx, 1, 1)[0]
    result = checkout.purchase(ctx, owner, [checkout.PurchaseLine(product.id, 5000)])
    assert not result.committed
    assert snapshot(ctx) == {model.__table__.name: [] for model in ROLLUP_MODELS}


def test_the_migration_fills_the_rollups_of_sales_made_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    monkeypatch.setenv("POS_TIMEZONE", "Europe/Berlin")
    engine = create_engine_for(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")
    database = Database(engine)
    ctx = ServiceContext(database, BERLIN, "till-1", "x" * 40, clock=clock)
    owner = make_owner(ctx)
    product = seed_products_at_an_old_revision(ctx, 1, 1)[0]
    with ctx.unit_of_work() as session:
        session.execute(
            insert(Sale),
            [{"id": 1, "uuid": "00000000-0000-0000-0000-000000000001", "user_id": owner.id,
              "till_id": "till-1", "created_at": AUTUMN, "local_date": AUTUMN.date(),
              "total_cents": 300}],
        )  # fmt: skip
        session.execute(
            insert(SaleItem),
            [{"sale_id": 1, "product_id": product.id, "category_id": product.category_id,
              "local_date": AUTUMN.date(), "quantity": 3, "unit_price_cents": 100,
              "revenue_cents": 300}],
        )  # fmt: skip
        session.commit()
    upgrade_to_head(engine)
    assert snapshot(ctx)["hourly_sales"] == [(AUTUMN.date(), 8, "till-1", 1, 3, 300, 0)]
    kept = snapshot(ctx)
    rebuild(ctx)
    assert snapshot(ctx) == kept
    engine.dispose()
