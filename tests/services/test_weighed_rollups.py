"""Rollups of weighed lines: grams on the product's row, one unit per line where products mix."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from pos_app.db.models import DailyCategorySales, DailyProductSales, HourlySales, Sale, SaleItem
from pos_app.db.statement_batch import StatementBatch
from pos_app.services import analytics, catalog, insights
from pos_app.services.access import UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.rollups import RollupLine, add_lines_to_rollups
from tests.factories import make_category, make_staff
from tests.services.test_rollups import rebuild, snapshot


def sell_cheese_and_rolls(ctx: ServiceContext) -> tuple[ProductInfo, ProductInfo, UserSession]:
    """Two sales: 0.455 kg of cheese and 3 rolls, then 1.200 kg of cheese."""
    staff = make_staff(ctx)
    deli = make_category(ctx, staff.manager, "Deli")
    cheese = catalog.create_product(
        ctx, staff.manager, name="Gouda", category_id=deli.id, sku="GOUDA", price_cents=1290,
        sold_by="weight", initial_stock=10_000,
    )  # fmt: skip
    roll = catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45,
        initial_stock=100,
    )  # fmt: skip
    sold = [
        [
            RollupLine(cheese.id, deli.id, 455, 587, weighed=True),
            RollupLine(roll.id, deli.id, 3, 135),
        ],
        [RollupLine(cheese.id, deli.id, 1200, 1548, weighed=True)],
    ]
    for number, lines in enumerate(sold, start=1):
        moment = ctx.now() + timedelta(minutes=number)
        with ctx.unit_of_work() as session:
            sale_id = session.execute(
                insert(Sale).values(
                    uuid=f"00000000-0000-0000-0000-{number:012d}", user_id=staff.cashier.id,
                    till_id="till-1", created_at=moment, local_date=ctx.local_date(moment),
                    total_cents=sum(line.revenue_cents for line in lines),
                )
            ).inserted_primary_key[0]  # fmt: skip
            session.execute(
                insert(SaleItem),
                [
                    {"sale_id": sale_id, "product_id": line.product_id, "category_id": deli.id,
                     "local_date": ctx.local_date(moment), "quantity": line.quantity,
                     "unit_price_cents": 1290 if line.weighed else 45,
                     "revenue_cents": line.revenue_cents}
                    for line in lines
                ],
            )  # fmt: skip
            batch = StatementBatch()
            add_lines_to_rollups(
                batch, till_id="till-1", created_at=moment,
                local_date=ctx.local_date(moment), timezone=ctx.timezone, lines=lines,
            )  # fmt: skip
            batch.run(session.connection())
            session.commit()
    return cheese, roll, staff.owner


def test_weighed_lines_count_grams_per_product_and_one_item_elsewhere(
    ctx: ServiceContext,
) -> None:
    cheese, roll, _owner = sell_cheese_and_rolls(ctx)
    kept = snapshot(ctx)
    with ctx.unit_of_work(readonly=True) as session:
        by_product = dict(
            session.execute(select(DailyProductSales.product_id, DailyProductSales.units)).all()
        )
        category_units = session.scalar(select(DailyCategorySales.units))
        hourly_units = sorted(session.scalars(select(HourlySales.units)))
    assert by_product == {cheese.id: 1655, roll.id: 3}
    assert category_units == 1 + 3 + 1
    assert sum(hourly_units) == 5
    rebuild(ctx)
    assert snapshot(ctx) == kept


def test_reports_show_kilograms_of_a_weighed_product_and_count_its_lines_as_units(
    ctx: ServiceContext,
) -> None:
    cheese, roll, owner = sell_cheese_and_rolls(ctx)
    day = ctx.local_date(ctx.now())
    report = analytics.sales_data(ctx, owner, analytics.SalesQuery(day, day))
    assert (report.sales, report.units, report.revenue_cents) == (2, 5, 587 + 135 + 1548)
    by_product = {row.id: row for row in report.by_product}
    assert (by_product[cheese.id].units, by_product[cheese.id].weighed) == (1655, True)
    assert (by_product[roll.id].units, by_product[roll.id].weighed) == (3, False)
    assert [row.units for row in report.by_category] == [5]
    top = insights.top_sellers(ctx, owner, day, day, by="units")
    assert [(p.product_id, p.units, p.weighed, p.items) for p in top] == [
        (roll.id, 3, False, 3),
        (cheese.id, 1655, True, 2),
    ]


def test_every_report_path_counts_a_weighed_line_as_one_unit(ctx: ServiceContext) -> None:
    cheese, roll, owner = sell_cheese_and_rolls(ctx)
    day = ctx.local_date(ctx.now())
    deli = cheese.category_id
    filters = [((), ()), ((), (deli,)), ((), (deli, deli + 1)), ((cheese.id, roll.id), ())]
    for products, categories in filters:
        for breakdowns in (False, True):
            query = analytics.SalesQuery(
                day, day, analytics.Bucket.DAILY, products, categories, bucket_breakdowns=breakdowns
            )
            [bucket] = analytics.sales_data(ctx, owner, query).buckets
            assert (bucket.sales, bucket.units, bucket.revenue_cents) == (2, 5, 587 + 135 + 1548)
