"""Pricing a cart again after each change gives what pricing the whole cart gives."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.domain.cart import Cart
from pos_app.domain.cart_pricing import CartPricer
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.pricing import ProductPrice
from pos_app.domain.promotions import Promotion, PromotionKind

PRODUCTS = {
    product_id: ProductPrice(product_id, product_id % 3, 100 + 37 * product_id, 1900)
    for product_id in range(1, 9)
}
DAY = date(2026, 1, 1)
PROMOTIONS = [
    Promotion(1, "Category cut", PromotionKind.PRICE_CUT, DAY, category_ids=frozenset({1}),
              percent_bp=1500),
    Promotion(2, "3 for 2", PromotionKind.MULTI_BUY, DAY, product_ids=frozenset({2, 6}),
              buy_quantity=3, pay_quantity=2),
    Promotion(3, "Lunch", PromotionKind.BUNDLE, DAY, product_ids=frozenset({3, 5}),
              price_cents=300),
]  # fmt: skip

changes = st.lists(
    st.tuples(
        st.sampled_from(["add", "quantity", "price", "discount", "remove", "cart"]),
        st.integers(1, 8),
        st.integers(1, 6),
    ),
    min_size=1,
    max_size=25,
)


def change(cart: Cart, what: str, product_id: int, amount: int) -> None:
    if what == "add" or product_id not in cart:
        cart.add(product_id, amount)
    elif what == "quantity":
        cart.set_quantity(product_id, amount)
    elif what == "price":
        cart.override_price(product_id, 50 * amount, list_price_cents=100)
    elif what == "discount":
        cart.discount_line(product_id, Discount(DiscountKind.PERCENT, 500 * amount, "Dented"))
    elif what == "remove":
        cart.remove(product_id)
    else:
        cart.discount_cart(
            None if amount > 4 else Discount(DiscountKind.AMOUNT, 30 * amount, "Staff")
        )


@settings(max_examples=150)
@given(changes, st.booleans())
def test_each_price_after_a_change_is_the_whole_carts_price(
    steps: list[tuple[str, int, int]], with_promotions: bool
) -> None:
    promotions = PROMOTIONS if with_promotions else []
    cart, pricer = Cart(), CartPricer()
    for what, product_id, amount in steps:
        change(cart, what, product_id, amount)
        assert pricer.price(cart, PRODUCTS, promotions) == cart.price(PRODUCTS, promotions)


def test_a_line_no_change_touched_is_not_worked_out_again() -> None:
    cart, pricer = Cart(), CartPricer()
    cart.add(1)
    first = pricer.price(cart, PRODUCTS, []).lines[0]
    cart.add(2)
    assert pricer.price(cart, PRODUCTS, []).lines[0] is first
