from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pos_app.db.models import Inventory, Payment, Product, Sale, SaleItem, StockMovement, User
from pos_app.domain.weights import line_amount_cents
from pos_app.services import auth, demo_catalog, demo_data, promotions, shifts, till_promotions
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError, ConflictError, ValidationError
from pos_app.services.paging import PageRequest
from pos_app.services.roles import Role
from pos_app.services.tax import tax_contained


def gtin_check_digit(first12: str) -> int:
    return (10 - sum(int(d) * (1, 3)[i % 2] for i, d in enumerate(first12)) % 10) % 10


def test_a_fresh_database_gets_a_catalog_accounts_and_the_requested_sales(
    ctx: ServiceContext,
) -> None:
    calls: list[tuple[int, int]] = []
    summary = demo_data.seed_demo(
        ctx, sales=400, days=60, progress=lambda d, t: calls.append((d, t))
    )
    assert (summary.categories, summary.users, summary.sales) == (5, 3, 400)
    assert 45 <= summary.products <= 60
    assert 400 <= summary.sale_items <= 6 * 400
    assert calls[0] == (0, 400)
    assert calls[-1] == (400, 400)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    for email, password, *_rest, role in demo_catalog.DEMO_USERS:
        assert auth.login(ctx, email, password).user.role is Role(role)


def test_barcodes_are_valid_ean13_and_skus_unique(ctx: ServiceContext) -> None:
    demo_data.seed_demo(ctx, sales=0)
    with ctx.unit_of_work(readonly=True) as session:
        rows = session.execute(select(Product.barcode, Product.sku)).all()
    barcodes = [barcode for barcode, _ in rows]
    assert all(b is not None and len(b) == 13 and b.isdigit() for b in barcodes)
    assert all(int(b[12]) == gtin_check_digit(b[:12]) for b in barcodes if b)
    assert len(set(barcodes)) == len(barcodes)
    assert len({sku for _, sku in rows}) == len(rows)


def test_a_few_products_are_low_on_stock_and_every_stock_is_explained(
    ctx: ServiceContext,
) -> None:
    demo_data.seed_demo(ctx, sales=50, days=10)
    with ctx.unit_of_work(readonly=True) as session:
        stock = dict(session.execute(select(Inventory.product_id, Inventory.quantity)).all())
        moved = dict(
            session.execute(
                select(StockMovement.product_id, func.sum(StockMovement.quantity_change))
                .where(StockMovement.reason == "restock")
                .group_by(StockMovement.product_id)
            ).all()
        )
        products = session.scalar(select(func.count()).select_from(Product))
    assert len(stock) == products
    assert 3 <= sum(1 for quantity in stock.values() if quantity <= 5) <= 10
    assert all(moved.get(pid, 0) == quantity for pid, quantity in stock.items())


def test_each_sale_total_is_the_sum_of_its_lines_and_dates_are_the_shop_day(
    ctx: ServiceContext,
) -> None:
    demo_data.seed_demo(ctx, sales=300, days=45)
    with ctx.unit_of_work(readonly=True) as session:
        sales = session.execute(
            select(Sale.id, Sale.created_at, Sale.local_date, Sale.total_cents)
        ).all()
        sums = dict(
            session.execute(
                select(SaleItem.sale_id, func.sum(SaleItem.revenue_cents)).group_by(
                    SaleItem.sale_id
                )
            ).all()
        )
        mismatched_items = session.scalar(
            select(func.count())
            .select_from(SaleItem)
            .join(Sale, Sale.id == SaleItem.sale_id)
            .join(Product, Product.id == SaleItem.product_id)
            .where(
                (SaleItem.local_date != Sale.local_date)
                | (SaleItem.category_id != Product.category_id)
                | (
                    (Product.sold_by == "piece")
                    & (SaleItem.revenue_cents != SaleItem.quantity * SaleItem.unit_price_cents)
                )
            )
        )
        weighed = session.execute(
            select(SaleItem.quantity, SaleItem.unit_price_cents, SaleItem.revenue_cents)
            .join(Product, Product.id == SaleItem.product_id)
            .where(Product.sold_by == "weight")
        ).all()
    assert len(sales) == 300
    assert mismatched_items == 0
    assert weighed, "some lines of the history are weighed"
    for grams, per_kg, revenue in weighed:
        assert grams >= 150 and grams % 5 == 0
        assert revenue == line_amount_cents(per_kg, grams)
    now = ctx.now()
    first_day = ctx.local_date(now) - timedelta(days=44)
    for sale_id, created_at, local_date, total in sales:
        assert total == sums[sale_id]
        assert local_date == ctx.local_date(created_at)
        assert first_day <= local_date and created_at <= now
        assert 7 <= created_at.astimezone(ctx.timezone).hour < 21


def test_every_sale_is_paid_in_full_and_lines_carry_their_tax(ctx: ServiceContext) -> None:
    demo_data.seed_demo(ctx, sales=200, days=20)
    with ctx.unit_of_work(readonly=True) as session:
        totals = dict(session.execute(select(Sale.id, Sale.total_cents)).all())
        payments = session.execute(
            select(Payment.sale_id, Payment.tender, Payment.amount_cents, Payment.tendered_cents,
                   Payment.change_cents)
        ).all()  # fmt: skip
        lines = session.execute(
            select(SaleItem.revenue_cents, SaleItem.tax_rate_bp, SaleItem.tax_cents)
        ).all()
    assert {sale_id: amount for sale_id, _, amount, _, _ in payments} == totals
    assert {tender for _, tender, *_ in payments} == {"cash", "card"}
    assert all(given == amount + change for _, _, amount, given, change in payments)
    assert {rate for _, rate, _ in lines} == {700, 1900}
    assert all(tax == tax_contained(revenue, rate) for revenue, rate, tax in lines)


def test_sales_follow_the_week_with_saturday_the_busiest_day(ctx: ServiceContext) -> None:
    demo_data.seed_demo(ctx, sales=3000, days=70)
    with ctx.unit_of_work(readonly=True) as session:
        days = session.scalars(select(Sale.local_date)).all()
    per_weekday = Counter(day.weekday() for day in days)
    assert per_weekday.most_common(1)[0][0] == 5
    assert per_weekday[5] > 1.2 * per_weekday[0]


def test_a_database_with_sales_is_refused_unless_only_sales_are_asked_for(
    ctx: ServiceContext,
) -> None:
    demo_data.seed_demo(ctx, sales=20, days=5)
    owner = auth.login(ctx, "owner@till.example", "owner-pass-1").session
    with pytest.raises(ConflictError):
        demo_data.seed_demo(ctx, owner, sales=20, days=5)
    summary = demo_data.seed_demo(ctx, owner, sales=30, days=5, sales_only=True)
    assert (summary.users, summary.products, summary.sales) == (0, 0, 30)
    with ctx.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Sale)) == 50
        assert session.scalar(select(func.count(func.distinct(Sale.uuid)))) == 50


def test_existing_accounts_are_kept_and_record_the_sales(ctx: ServiceContext) -> None:
    owner = auth.register_user(
        ctx, None, email="boss@shop.test", password="long enough", first_name="B", last_name="S"
    )
    with pytest.raises(AuthenticationError):
        demo_data.seed_demo(ctx, sales=25, days=3)
    session = auth.login(ctx, "boss@shop.test", "long enough").session
    summary = demo_data.seed_demo(ctx, session, sales=25, days=3)
    assert summary.users == 0 and summary.products > 0
    with ctx.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1
        assert set(session.scalars(select(Sale.user_id))) == {owner.id}


@pytest.mark.parametrize(
    ("sales", "days"), [(-1, 10), (10, 0), ("10", 10), (True, 10), (10, 10**9)]
)
def test_bad_counts_are_validation_errors(ctx: ServiceContext, sales: object, days: object) -> None:
    with pytest.raises(ValidationError):
        demo_data.seed_demo(ctx, sales=sales, days=days)  # type: ignore[arg-type]


def test_a_few_products_are_sold_by_weight_with_scale_codes_and_stock_in_grams(
    ctx: ServiceContext,
) -> None:
    demo_data.seed_demo(ctx, sales=0)
    with ctx.unit_of_work(readonly=True) as session:
        rows = session.execute(
            select(Product.name, Product.price_cents, Product.scale_code, Inventory.quantity)
            .join(Inventory, Inventory.product_id == Product.id)
            .where(Product.sold_by == "weight")
            .order_by(Product.scale_code)
        ).all()
    assert [tuple(row) for row in rows][:2] == [
        ("Gouda, aged", 1290, 1001, 5250),
        ("Emmental", 1890, 1002, 3400),
    ]
    assert len(rows) == len(demo_catalog.WEIGHED_PRODUCTS)


def test_each_demo_day_is_one_closed_shift_whose_z_report_matches_the_drawer(
    ctx: ServiceContext,
) -> None:
    demo_data.seed_demo(ctx, sales=200, days=20)
    owner = auth.login(ctx, "owner@till.example", "owner-pass-1").session
    assert shifts.unshifted_entries(ctx, owner).total == 0
    page = shifts.list_shifts(ctx, owner, page=PageRequest(limit=100))
    with ctx.unit_of_work(readonly=True) as session:
        days = session.scalar(select(func.count(func.distinct(Sale.local_date))))
    assert page.total == days and not any(shift.is_open for shift in page.items)
    reports = [shifts.z_report(ctx, owner, shift.id) for shift in page.items]
    assert sum(report.sales_count for report in reports) == 200
    assert all(report.difference_cents == 0 for report in reports)


def test_the_demo_shop_runs_a_price_cut_and_a_multi_buy(ctx: ServiceContext) -> None:
    demo_data.seed_demo(ctx, sales=0)
    manager = auth.login(ctx, "manager@till.example", "manager-pass-1").session
    running = promotions.list_promotions(ctx, manager, include_past=False)
    assert sorted((p.name, p.deal, p.covers) for p in running) == [
        ("Bakery week", "10 % off", "Bakery (category)"),
        ("Cola 3 for 2", "3 for 2", "Cola 0.5 l"),
    ]
    assert len(till_promotions.running_promotions(ctx, manager)) == 2
