"""Refund caps: no line returns more than was sold, no card gets back more than it paid."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ConflictError, ValidationError
from pos_app.domain.refunds import (
    RefundLine,
    card_refund_cap,
    check_card_refund,
    check_returnable,
    paid_for,
    refund_line,
    refund_paid_line,
    returnable,
    weighed_refund_line,
)
from pos_app.domain.shop_format import ShopFormat
from pos_app.domain.tax import tax_contained


def test_what_is_left_of_a_line_can_be_returned() -> None:
    assert returnable(5, 2) == 3
    check_returnable("Bread", 5, 2, 3)
    with pytest.raises(ConflictError, match=r"Only 3 of Bread can still be returned; 4 asked\."):
        check_returnable("Bread", 5, 2, 4)


def test_a_refunded_line_returns_its_price_and_the_tax_it_contained() -> None:
    assert refund_line(8, 1, 119, 1900, 2) == RefundLine(8, 1, 2, 238, 38)


@given(st.integers(1, 10_000), st.integers(0, 10**6), st.sampled_from([0, 700, 1900]))
def test_refunding_a_whole_line_in_parts_returns_its_revenue_and_about_its_tax(
    quantity: int, price: int, rate: int
) -> None:
    first = quantity // 2
    parts = [refund_line(1, 1, price, rate, part) for part in (first, quantity - first) if part]
    assert sum(part.amount_cents for part in parts) == price * quantity
    whole_tax = tax_contained(price * quantity, rate)
    assert abs(sum(part.tax_cents for part in parts) - whole_tax) <= len(parts) - 1


def test_a_card_gets_back_at_most_what_it_paid_less_earlier_card_refunds() -> None:
    assert card_refund_cap(1000, 300) == 700
    assert card_refund_cap(1000, 1200) == 0
    check_card_refund(700, 1000, 300)
    with pytest.raises(ValidationError, match=r"^Only €7\.00 can go back to the card") as raised:
        check_card_refund(701, 1000, 300)
    assert raised.value.field == "tender"


def test_a_card_that_got_everything_back_takes_no_more() -> None:
    check_card_refund(0, 1000, 1000)
    with pytest.raises(ValidationError, match=r"^Only €0\.00 can go back"):
        check_card_refund(1, 1000, 1200)


def test_the_card_cap_is_written_in_the_shops_currency_and_language() -> None:
    with pytest.raises(ValidationError) as raised:
        check_card_refund(600, 500, 0, ShopFormat("de_DE", "EUR"))
    assert str(raised.value) == "Only 5,00\xa0€ can go back to the card; refund the rest in cash."
    with pytest.raises(ValidationError, match=r"^Only £5\.00 can go back"):
        check_card_refund(600, 500, 0, ShopFormat("en_GB", "GBP"))


@given(
    st.integers(0, 10**6),
    st.integers(1, 99_999),
    st.lists(st.integers(1, 99_999), min_size=1, max_size=6),
)
def test_refunds_of_a_weighed_line_add_up_to_what_it_cost_and_never_more(
    revenue: int, sold: int, portions: list[int]
) -> None:
    refunded, given_back = 0, 0
    for portion in portions:
        grams = min(portion, sold - refunded)
        if grams <= 0:
            break
        line = weighed_refund_line(1, 2, revenue, 700, sold, refunded, grams)
        assert line.amount_cents >= 0 and line.quantity == grams
        refunded, given_back = refunded + grams, given_back + line.amount_cents
        assert given_back <= revenue
    rest = sold - refunded
    if rest:
        given_back += weighed_refund_line(1, 2, revenue, 700, sold, refunded, rest).amount_cents
    assert given_back == revenue


def test_part_of_a_weighed_line_gives_back_its_share_rounded_half_up() -> None:
    # 0.455 kg sold for 5.87 (a label, say); 0.200 kg back: 5.87 * 200 / 455 = 2.5802...
    line = weighed_refund_line(7, 3, 587, 700, 455, 0, 200)
    assert (line.amount_cents, line.tax_cents) == (258, tax_contained(258, 700))
    assert weighed_refund_line(7, 3, 587, 700, 455, 200, 255).amount_cents == 587 - 258


def test_what_is_left_of_a_weighed_line_is_told_in_kg() -> None:
    with pytest.raises(ConflictError, match=r"Only 0\.255 kg of Gouda .* 0\.300 kg asked"):
        check_returnable("Gouda", 455, 200, 300, "weight")


def test_a_discounted_line_refunds_what_was_paid_per_unit() -> None:
    # Three units for 10.00 after a discount: 3.33, 3.33 and the last one 3.34.
    assert [paid_for(1000, 3, before, 1) for before in range(3)] == [333, 333, 334]
    assert paid_for(1000, 3, 0, 3) == 1000
    line = refund_paid_line(
        9, 4, revenue_cents=1000, quantity_sold=3, refunded_before=1, returning=2, tax_rate_bp=1900
    )
    assert (line.quantity, line.amount_cents, line.tax_cents) == (2, 667, 106)


@given(
    st.integers(0, 10**9),
    st.integers(1, 500).flatmap(
        lambda quantity: st.tuples(
            st.just(quantity), st.lists(st.integers(1, quantity), max_size=20)
        )
    ),
)
def test_refunds_of_a_line_in_any_steps_never_give_back_more_than_was_paid(
    revenue: int, sold: tuple[int, list[int]]
) -> None:
    quantity, steps = sold
    back, before = 0, 0
    for step in steps:
        taking = min(step, quantity - before)
        back += paid_for(revenue, quantity, before, taking)
        before += taking
    assert back <= revenue
    assert back + paid_for(revenue, quantity, before, quantity - before) == revenue
