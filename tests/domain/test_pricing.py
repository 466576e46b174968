"""Pricing a sale: one line shape from cart to receipt, totals and tax exact in cents."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.cart import MAX_QUANTITY
from pos_app.domain.errors import ValidationError
from pos_app.domain.pricing import (
    ProductPrice,
    changed_prices,
    price_sale,
    priced_line,
)
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
