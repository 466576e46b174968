"""Money as integer cents: what a person types becomes cents, cents become labels and CSV."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS, format_money, format_plain, parse_money

CENTS = st.integers(0, MAX_CENTS)


@given(CENTS)
def test_plain_format_parses_back_to_the_same_cents(cents: int) -> None:
    assert parse_money(format_plain(cents)) == cents


@given(CENTS)
def test_a_label_with_its_symbol_and_no_thousands_separator_parses_back(cents: int) -> None:
    assert parse_money(format_money(cents).replace(",", "")) == cents


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("12.5", 1250), ("12,50", 1250), ("€ 12.50", 1250), ("0", 0), (7, 700), (Decimal("0.01"), 1)],
)
def test_amounts_typed_in_the_usual_ways_are_read_as_cents(typed: object, cents: int) -> None:
    assert parse_money(typed) == cents


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "The amount cannot be negative."),
        ("1.001", "Use at most two decimals."),
        ("abc", "Enter an amount such as 12.50."),
        ("NaN", "Enter an amount such as 12.50."),
        (True, "Enter an amount such as 12.50."),
        (1.5, "Enter an amount such as 12.50."),
        (str(MAX_CENTS // 100 + 1), "The amount is too large."),
    ],
)
def test_bad_amounts_are_refused_with_a_sentence_naming_the_field(
    typed: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as raised:
        parse_money(typed, field="amount")
    assert raised.value.field == "amount"


def test_labels_carry_the_currency_symbol_sign_and_thousands() -> None:
    assert format_money(1234567) == "€12,345.67"
    assert format_money(-5, "usd") == "-$0.05"
    assert format_money(100, "SEK") == "SEK 1.00"
    assert format_plain(-1250) == "-12.50"
