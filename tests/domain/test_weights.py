"""Goods sold by weight: whole grams, a price per kg, one half-up rounding to the cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS
from pos_app.domain.weights import (
    MAX_GRAMS,
    TIMES,
    LabelTotal,
    SoldBy,
    check_grams,
    check_sold_by,
    format_kg,
    format_quantity,
    format_weighed_line,
    format_weight,
    grams_for_price,
    line_amount_cents,
    parse_weight,
    weighed_amount_cents,
)

GRAMS = st.integers(1, MAX_GRAMS)
PRICES = st.integers(0, 10**7)


@pytest.mark.parametrize(
    ("typed", "grams"),
    [
        ("0.455", 455),
        ("0,455", 455),
        ("0.455 kg", 455),
        ("0.455KG", 455),
        ("455 g", 455),
        ("455g", 455),
        ("1", 1000),
        (".5", 500),
        ("2.5 kg", 2500),
        ("  12 g ", 12),
        ("999.999", MAX_GRAMS),
    ],
)
def test_typed_weights_become_whole_grams(typed: str, grams: int) -> None:
    assert parse_weight(typed) == grams


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a weight such as 0.455"),
        ("abc", "Enter a weight such as 0.455"),
        ("kg", "Enter a weight such as 0.455"),
        ("1.2.3", "Enter a weight such as 0.455"),
        ("0.4555", "at most three decimals"),
        ("12.5 g", "whole grams"),
        ("0", "more than zero"),
        ("0 g", "more than zero"),
        ("-0.5", "cannot be negative"),
        ("1000", "at most 999.999 kg"),
        ("1000.001", "at most 999.999 kg"),
        ("5 lb", "Enter a weight such as 0.455"),
    ],
)
def test_bad_weights_are_refused_with_a_clear_sentence(typed: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        parse_weight(typed, "weight")
    assert raised.value.field == "weight"


def test_a_stock_correction_may_take_weight_away() -> None:
    assert parse_weight("-1.250", signed=True) == -1250
    assert parse_weight("-20 g", signed=True) == -20
    with pytest.raises(ValidationError, match="more than zero"):
        parse_weight("-0", signed=True)


def test_a_stock_count_may_be_zero_and_larger_than_one_weighing() -> None:
    assert parse_weight("0", allow_zero=True, maximum=10**9) == 0
    assert parse_weight("12500.5", allow_zero=True, maximum=10**9) == 12_500_500
    with pytest.raises(ValidationError, match=r"at most 1\.000 kg"):
        parse_weight("1.001", maximum=1000)


def test_a_weight_from_anything_but_text_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse_weight(0.455)


@given(GRAMS)
def test_kilograms_with_three_decimals_parse_back_to_the_same_grams(grams: int) -> None:
    assert parse_weight(format_kg(grams)) == grams
    assert parse_weight(format_weight(grams)) == grams
    assert parse_weight(f"{grams} g") == grams


@given(PRICES, GRAMS)
def test_a_line_costs_price_per_kg_times_kg_rounded_half_up(price: int, grams: int) -> None:
    exact = Decimal(price) * Decimal(grams) / 1000
    assert line_amount_cents(price, grams) == int(exact.quantize(Decimal(1), ROUND_HALF_UP))


@given(PRICES, GRAMS)
def test_a_refund_of_a_line_is_the_sale_line_with_its_sign_turned(price: int, grams: int) -> None:
    assert line_amount_cents(price, -grams) == -line_amount_cents(price, grams)


def test_the_rounding_rule_on_known_lines() -> None:
    assert line_amount_cents(1290, 455) == 587  # 586.95 -> 587
    assert line_amount_cents(1000, 1) == 1  # 1.0
    assert line_amount_cents(100, 5) == 1  # 0.5 -> 1 (half up)
    assert line_amount_cents(100, 4) == 0  # 0.4 -> 0
    assert line_amount_cents(1999, 333) == 666  # 665.667
    assert line_amount_cents(MAX_CENTS + 1, MAX_GRAMS) == 99_999_900_001_000


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_the_weight_a_price_buys_costs_that_price_within_half_a_gram(
    price: int, per_kg: int
) -> None:
    grams = grams_for_price(price, per_kg)
    assert grams >= 1
    assert abs(Decimal(grams) - Decimal(price) * 1000 / per_kg) <= Decimal("0.5") or grams == 1


def test_a_label_price_needs_a_price_per_kg() -> None:
    assert grams_for_price(587, 1290) == 455
    with pytest.raises(ValidationError, match="no price per kg"):
        grams_for_price(587, 0)


def test_formatting_for_the_cart_and_the_receipt() -> None:
    assert format_weighed_line(455, 1290) == f"0.455 kg {TIMES} €12.90/kg"
    assert format_weighed_line(1500, 399, "USD") == f"1.500 kg {TIMES} $3.99/kg"
    assert format_weighed_line(2, 100, "CHF") == f"0.002 kg {TIMES} CHF1.00/kg"
    german = format_weighed_line(455, 1290, "EUR", "de_DE")
    assert german == f"0,455 kg {TIMES} 12,90\xa0€/kg"
    assert format_weight(1234567, "de_DE") == "1.234,567 kg"
    assert format_kg(-1250) == "-1.250"
    assert format_quantity(455, SoldBy.WEIGHT) == "0.455 kg"
    assert format_quantity(1200, SoldBy.PIECE) == "1,200"


def test_sold_by_is_piece_or_weight() -> None:
    assert check_sold_by(" Weight ") is SoldBy.WEIGHT
    assert check_sold_by("piece") is SoldBy.PIECE
    for bad in ["kg", "", None, 1]:
        with pytest.raises(ValidationError) as raised:
            check_sold_by(bad)
        assert raised.value.field == "sold_by"


@pytest.mark.parametrize("bad", [0, -1, MAX_GRAMS + 1, True, 1.5, "455"])
def test_a_service_takes_whole_grams_only(bad: object) -> None:
    with pytest.raises(ValidationError):
        check_grams(bad)
    assert check_grams(455) == 455


def test_labels_cost_their_price_and_the_rest_of_the_weight_is_priced_by_the_rule() -> None:
    assert weighed_amount_cents(1290, 455) == 587
    assert weighed_amount_cents(1290, 455, LabelTotal(590, 455)) == 590
    assert weighed_amount_cents(1290, 755, LabelTotal(590, 455)) == 590 + 387
    assert LabelTotal(590, 455).plus(100, 80) == LabelTotal(690, 535)
