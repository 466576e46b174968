"""Pricing a sale: one line shape from cart to receipt, totals and tax exact in cents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart import MAX_QUANTITY
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.errors import ValidationError
from pos_app.domain.pricing import (
    DiscountSource,
    ProductPrice,
    changed_prices,
    price_sale,
    priced_line,
)
from pos_app.domain.promotions import Promotion, PromotionKind
from pos_app.domain.tax import tax_contained

BREAD = ProductPrice(1, 10, 250, 700)
WINE = ProductPrice(2, 20, 1199, 1900)
PRODUCTS = {BREAD.product_id: BREAD, WINE.product_id: WINE}


def test_a_line_charges_the_list_price_and_contains_its_categorys_tax() -> None:
    sale = price_sale({1: 3, 2: 1}, PRODUCTS)
    bread, wine = sale.lines
    assert (bread.unit_price_cents, bread.revenue_cents, bread.tax_cents) == (250, 750, 49)
    assert (wine.category_id, wine.revenue_cents, wine.tax_cents) == (20, 1199, 191)
    assert sale.total_cents == 1949
    assert sale.tax_cents == 240
    assert sale.net_cents == 1709
    assert sale.item_count == 4


def test_a_changed_price_replaces_the_list_price_on_its_line_only() -> None:
    sale = price_sale({1: 2, 2: 1}, PRODUCTS, {2: 999})
    assert [line.unit_price_cents for line in sale.lines] == [250, 999]
    assert sale.total_cents == 500 + 999


def test_an_override_for_a_product_not_in_the_cart_is_refused() -> None:
    with pytest.raises(ValidationError, match="Product 2 has a price override") as raised:
        price_sale({1: 1}, PRODUCTS, {2: 100})
    assert raised.value.field == "price_overrides"


def test_a_product_without_a_price_cannot_be_sold() -> None:
    with pytest.raises(ValidationError, match="Product 3 has no price"):
        price_sale({3: 1}, PRODUCTS)


def test_only_prices_that_differ_from_the_list_count_as_changed() -> None:
    assert changed_prices({1: 250, 2: 999, 7: 5}, {1: 250, 2: 1199}) == {2: (1199, 999)}


PRODUCT = st.builds(
    ProductPrice,
    product_id=st.integers(1, 10**6),
    category_id=st.integers(1, 50),
    list_price_cents=st.integers(0, 10**7),
    tax_rate_bp=st.sampled_from([0, 500, 700, 1900, 2500]),
)


@given(st.lists(st.tuples(PRODUCT, st.integers(1, MAX_QUANTITY)), max_size=30))
def test_totals_tax_and_rates_of_a_sale_add_up_exactly(
    picked: list[tuple[ProductPrice, int]],
) -> None:
    products = {product.product_id: product for product, _ in picked}
    quantities = {product.product_id: quantity for product, quantity in picked}
    sale = price_sale(quantities, products)
    for line in sale.lines:
        assert line.revenue_cents == line.quantity * line.unit_price_cents
        assert line.tax_cents == tax_contained(line.revenue_cents, line.tax_rate_bp)
    by_rate = sale.tax_by_rate()
    assert sum(rate.gross_cents for rate in by_rate) == sale.total_cents
    assert sum(rate.tax_cents for rate in by_rate) == sale.tax_cents
    assert sum(rate.net_cents for rate in by_rate) == sale.net_cents
    assert sale.total_cents == sum(
        quantities[key] * products[key].list_price_cents for key in quantities
    )


def test_a_priced_line_is_its_own_gross_for_tax_summaries() -> None:
    line = priced_line(5, 1, 2, 119, 1900)
    assert (line.gross_cents, line.tax_cents, line.net_cents) == (238, 38, 200)


BREAD_CUT = Promotion(
    1, "Bread week", PromotionKind.PRICE_CUT, date(2026, 1, 1), product_ids=frozenset({1}),
    percent_bp=2000,
)  # fmt: skip


def test_a_promotion_shows_on_its_line_with_the_list_price_and_the_saving() -> None:
    sale = price_sale({1: 3, 2: 1}, PRODUCTS, promotions=[BREAD_CUT])
    bread, wine = sale.lines
    assert (bread.original_unit_price_cents, bread.unit_price_cents) == (250, 250)
    assert (bread.discount_cents, bread.revenue_cents, bread.tax_cents) == (150, 600, 39)
    assert bread.discount_name == "Bread week" and bread.promotion_id == 1
    assert wine.discounts == ()
    assert (sale.undiscounted_cents, sale.discount_cents, sale.total_cents) == (1949, 150, 1799)
    assert sale.saved_cents == 150


def test_a_line_with_a_changed_price_is_in_no_promotion() -> None:
    sale = price_sale({1: 3}, PRODUCTS, {1: 200}, promotions=[BREAD_CUT])
    (bread,) = sale.lines
    assert bread.discounts == () and bread.revenue_cents == 600
    assert bread.saved_cents == 150


def test_a_line_discount_applies_after_the_promotion() -> None:
    ten = Discount(DiscountKind.PERCENT, 1000, "Dented")
    sale = price_sale({1: 3}, PRODUCTS, promotions=[BREAD_CUT], line_discounts={1: ten})
    (bread,) = sale.lines
    assert [(d.source, d.cents) for d in bread.discounts] == [
        (DiscountSource.PROMOTION, 150),
        (DiscountSource.LINE, 60),
    ]
    assert bread.revenue_cents == 540
    assert bread.discount_name == "Bread week; Dented"
    assert sale.manual_share_bp == 1000


def test_a_cart_discount_is_shared_over_the_lines_to_the_cent() -> None:
    three = Discount(DiscountKind.AMOUNT, 100, "Staff")
    sale = price_sale({1: 1, 2: 1}, PRODUCTS, cart_discount=three)
    assert [line.discount_cents for line in sale.lines] == [17, 83]
    assert sale.total_cents == 1449 - 100
    assert sale.manual_share_bp == 691  # 1.00 of 14.49, rounded up


def test_a_discount_for_a_product_not_in_the_cart_is_refused() -> None:
    ten = Discount(DiscountKind.PERCENT, 1000, "x")
    with pytest.raises(ValidationError, match="Product 2 has a discount") as raised:
        price_sale({1: 1}, PRODUCTS, line_discounts={2: ten})
    assert raised.value.field == "line_discounts"


def _promotion(draw: st.DrawFn, promotion_id: int, product_ids: list[int]) -> Promotion:
    kind = draw(st.sampled_from(list(PromotionKind)))
    products = frozenset(draw(st.lists(st.sampled_from(product_ids), min_size=1, max_size=4)))
    base = Promotion(promotion_id, f"Promo {promotion_id}", kind, date(2026, 1, 1), products)
    if kind is PromotionKind.PRICE_CUT:
        if draw(st.booleans()):
            return replace(base, percent_bp=draw(st.integers(1, 10_000)))
        return replace(base, amount_cents=draw(st.integers(1, 10**6)))
    if kind is PromotionKind.BUNDLE:
        return replace(base, price_cents=draw(st.integers(0, 10**6)))
    buy = draw(st.integers(2, 6))
    if draw(st.booleans()):
        return replace(base, buy_quantity=buy, pay_quantity=draw(st.integers(1, buy - 1)))
    return replace(base, buy_quantity=buy, price_cents=draw(st.integers(0, 10**6)))


def _discount(draw: st.DrawFn) -> Discount:
    if draw(st.booleans()):
        return Discount(DiscountKind.PERCENT, draw(st.integers(1, 10_000)), "percent")
    return Discount(DiscountKind.AMOUNT, draw(st.integers(1, 10**6)), "amount")


Cart = tuple[dict[int, int], dict[int, ProductPrice], dict[str, Any]]


@st.composite
def discounted_carts(draw: st.DrawFn) -> Cart:
    picked = draw(
        st.lists(
            st.tuples(PRODUCT, st.integers(1, 50)),
            min_size=1,
            max_size=12,
            unique_by=lambda pair: pair[0].product_id,
        )
    )
    products = {product.product_id: product for product, _ in picked}
    quantities = {product.product_id: quantity for product, quantity in picked}
    ids = list(quantities)
    overrides = {
        product_id: draw(st.integers(0, 10**6))
        for product_id in draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
    }
    extras = {
        "overrides": overrides,
        "promotions": [_promotion(draw, n, ids) for n in range(1, draw(st.integers(0, 5)) + 1)],
        "line_discounts": {
            product_id: _discount(draw)
            for product_id in draw(st.lists(st.sampled_from(ids), max_size=4, unique=True))
        },
        "cart_discount": _discount(draw) if draw(st.booleans()) else None,
    }
    return quantities, products, extras


@given(discounted_carts())
def test_a_discounted_sale_adds_up_to_the_cent_and_no_line_goes_below_zero(
    cart: Cart,
) -> None:
    quantities, products, extras = cart
    sale = price_sale(
        quantities,
        products,
        extras["overrides"],
        promotions=extras["promotions"],
        line_discounts=extras["line_discounts"],
        cart_discount=extras["cart_discount"],
    )
    assert sale.total_cents == sum(line.revenue_cents for line in sale.lines)
    assert sale.total_cents == sale.undiscounted_cents - sale.discount_cents
    for line in sale.lines:
        assert line.revenue_cents >= 0
        assert 0 <= line.discount_cents <= line.undiscounted_cents
        assert all(discount.cents >= 0 for discount in line.discounts)
        assert line.tax_cents == tax_contained(line.revenue_cents, line.tax_rate_bp)
        promotions = [d for d in line.discounts if d.source is DiscountSource.PROMOTION]
        assert len(promotions) <= 1
        if line.product_id in extras["overrides"]:
            assert not promotions
    by_rate = sale.tax_by_rate()
    assert sum(rate.tax_cents for rate in by_rate) == sale.tax_cents
    for rate in by_rate:
        assert rate.tax_cents == sum(
            line.tax_cents for line in sale.lines if line.tax_rate_bp == rate.rate_bp
        )
    again = price_sale(
        dict(quantities),
        dict(products),
        dict(extras["overrides"]),
        promotions=list(reversed(extras["promotions"])),
        line_discounts=dict(extras["line_discounts"]),
        cart_discount=extras["cart_discount"],
    )
    assert again == sale
