from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pos_app.db.models import Category, SaleItem
from pos_app.services import audit, auth, catalog, receipts, tax
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from pos_app.services.tax import TaxLine, tax_contained, tax_summary, taxed_line
from tests.services.shop_day import DRINKS_BP, FOOD_BP, PASSWORD, make_shop, sell

RATES = st.sampled_from([0, 500, 700, 1000, 1900, 2000, 2500, 10_000])


def test_tax_contained_in_an_inclusive_price_is_rounded_half_up_to_the_cent() -> None:
    assert tax_contained(119, 1900) == 19
    assert tax_contained(100, 1900) == 16  # 15.97
    assert tax_contained(107, 700) == 7
    assert tax_contained(1, 10_000) == 1  # exactly 0.5 rounds up
    assert tax_contained(3, 10_000) == 2  # 1.5 rounds up
    assert tax_contained(999, 0) == 0
    assert tax_contained(-119, 1900) == -19


def test_rates_parse_from_percent_text_and_format_back() -> None:
    assert tax.parse_tax_rate("19") == 1900
    assert tax.parse_tax_rate(" 7,5 % ") == 750
    assert tax.parse_tax_rate(0) == 0
    assert tax.format_rate(1900) == "19 %"
    assert tax.format_rate(750) == "7.5 %"
    for bad in ("abc", "101", "-1", "7.555", "NaN", None, True):
        with pytest.raises(ValidationError):
            tax.parse_tax_rate(bad)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**7), RATES), max_size=40))
def test_a_summary_adds_up_to_the_basket_exactly(basket: list[tuple[int, int]]) -> None:
    lines = [taxed_line(gross, rate) for gross, rate in basket]
    summary = tax_summary(lines)
    assert sum(row.gross_cents for row in summary) == sum(gross for gross, _ in basket)
    assert [row.rate_bp for row in summary] == sorted({rate for _, rate in basket})
    for row in summary:
        own = [line for line in lines if line.tax_rate_bp == row.rate_bp]
        assert row.tax_cents == sum(line.tax_cents for line in own)
        assert row.net_cents + row.tax_cents == row.gross_cents
        assert 0 <= row.tax_cents <= row.gross_cents


def test_an_empty_basket_has_an_empty_summary() -> None:
    assert tax_summary([]) == []
    assert tax_summary([TaxLine(1900, 0, 0)]) == [tax.TaxRateTotal(1900, 0, 0, 0)]


def test_sale_lines_store_the_rate_and_the_tax_they_contain(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 3), (shop.wine, 1)])
    with ctx.unit_of_work(readonly=True) as session:
        items = session.scalars(select(SaleItem).where(SaleItem.sale_id == sale_id)).all()
        stored = {item.product_id: (item.tax_rate_bp, item.tax_cents) for item in items}
    assert stored[shop.bread.id] == (FOOD_BP, tax_contained(3 * 249, FOOD_BP))
    assert stored[shop.wine.id] == (DRINKS_BP, tax_contained(1250, DRINKS_BP))


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(basket=st.lists(st.tuples(st.integers(0, 3), st.integers(1, 7)), min_size=1, max_size=6))
def test_a_receipts_tax_per_rate_adds_up_to_its_total(
    ctx: ServiceContext, basket: list[tuple[int, int]]
) -> None:
    if auth.count_users(ctx) == 0:
        make_shop(ctx, stock=10_000)
    owner = auth.login(ctx, "owner@shop.test", PASSWORD).session
    products = catalog.list_products(ctx, owner, sort="id").items
    sale_id = sell(ctx, owner, [(products[index], quantity) for index, quantity in basket])
    receipt = receipts.get_receipt(ctx, owner, sale_id)
    assert sum(row.gross_cents for row in receipt.tax) == receipt.total_cents
    for row in receipt.tax:
        own = [line for line in receipt.lines if line.tax_rate_bp == row.rate_bp]
        assert row.tax_cents == sum(line.tax_cents for line in own)
        assert row.net_cents + row.tax_cents == row.gross_cents


def test_only_managers_set_rates_and_the_change_is_audited(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    with pytest.raises(PermissionDeniedError):
        tax.set_category_tax_rate(ctx, shop.cashier, shop.food, 1000)
    changed = tax.set_category_tax_rate(ctx, shop.manager, shop.food, 1000)
    assert changed.tax_rate_bp == 1000
    entries = audit.list_audit(ctx, shop.owner, action="tax_rate_changed").items
    assert entries[0].detail == {
        "category_id": shop.food,
        "old_rate_bp": FOOD_BP,
        "new_rate_bp": 1000,
    }
    assert entries[0].user_id == shop.manager.id


@pytest.mark.parametrize("bad", [-1, 10_001, 19.0, "1900", None, True, 2**70])
def test_a_rate_outside_zero_to_one_hundred_percent_is_refused(
    ctx: ServiceContext, bad: object
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError) as error:
        tax.set_category_tax_rate(ctx, shop.manager, shop.food, bad)  # type: ignore[arg-type]
    assert error.value.field == "tax_rate_bp"


def test_an_unknown_category_is_not_found(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    with pytest.raises(NotFoundError):
        tax.set_category_tax_rate(ctx, shop.manager, 999_999, 700)
    with pytest.raises(ValidationError):
        tax.set_category_tax_rate(ctx, shop.manager, "1; DROP TABLE x", 700)  # type: ignore[arg-type]


def test_a_new_rate_leaves_past_sales_at_the_rate_they_were_sold_at(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.wine, 1)])
    tax.set_category_tax_rate(ctx, shop.owner, shop.drinks, 2500)
    later = sell(ctx, shop.cashier, [(shop.wine, 1)])
    before = receipts.get_receipt(ctx, shop.cashier, sale_id)
    after = receipts.get_receipt(ctx, shop.cashier, later)
    assert before.lines[0].tax_rate_bp == DRINKS_BP
    assert after.lines[0].tax_rate_bp == 2500
    rates = {rate.name: rate.tax_rate_bp for rate in tax.list_tax_rates(ctx, shop.cashier)}
    assert rates == {"Drinks": 2500, "Food": FOOD_BP}


def test_a_new_category_gets_the_shop_default_rate(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    shop_ctx = replace(ctx, default_tax_bp=1900)
    created = catalog.create_category(shop_ctx, shop.owner, name="Toys")
    with ctx.unit_of_work(readonly=True) as session:
        assert session.get(Category, created.id).tax_rate_bp == 1900  # type: ignore[union-attr]


def test_a_category_created_without_a_rate_stores_zero_by_default(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    created = catalog.create_category(ctx, shop.owner, name="Toys")
    with ctx.unit_of_work(readonly=True) as session:
        assert session.scalar(select(Category.tax_rate_bp).where(Category.id == created.id)) == 0
