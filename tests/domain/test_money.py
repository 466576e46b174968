"""Money as integer minor units: what a person types becomes minor units, minor units become
labels and CSV, in the currency's own decimals and the shop's locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.money import (
    MAX_CENTS,
    format_money,
    format_plain,
    minor_to_decimal,
    minor_units,
    parse_money,
)
from pos_app.domain.shop_format import ShopFormat

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
        ("1.001", "Use at most 2 decimals."),
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
    assert format_money(100, "SEK") == "SEK1.00"
    assert format_plain(-1250) == "-12.50"


CURRENCIES = ("EUR", "USD", "JPY", "KWD", "BHD", "CHF", "GBP")
LOCALES = ("en_US", "de_DE", "de_CH", "fr_FR", "ja_JP", "ar_KW", "en_GB", "it_CH", "hi_IN")


@given(st.integers(-MAX_CENTS, MAX_CENTS), st.sampled_from(CURRENCIES), st.sampled_from(LOCALES))
def test_what_is_shown_parses_back_to_the_same_amount(
    amount: int, currency: str, locale: str
) -> None:
    shop = ShopFormat(locale, currency)
    shown = shop.money(abs(amount))
    assert shop.parse_money(shown) == abs(amount)
    assert shop.parse_money(shop.amount(abs(amount))) == abs(amount)


@given(st.integers(0, MAX_CENTS), st.sampled_from(CURRENCIES))
def test_the_plain_form_parses_back_in_any_currency(amount: int, currency: str) -> None:
    assert parse_money(format_plain(amount, currency), "price", currency) == amount


@pytest.mark.parametrize(
    ("currency", "places", "plain"),
    [("EUR", 2, "12.50"), ("JPY", 0, "1250"), ("KWD", 3, "1.250"), ("BHD", 3, "1.250")],
)
def test_the_minor_unit_comes_from_the_currency(currency: str, places: int, plain: str) -> None:
    assert minor_units(currency) == places
    assert format_plain(1250, currency) == plain
    assert minor_to_decimal(1250, currency) == Decimal(plain)


@pytest.mark.parametrize(
    ("locale", "currency", "shown"),
    [
        ("en_US", "EUR", "€12,345.67"),
        ("de_DE", "EUR", "12.345,67\xa0€"),
        ("en_US", "JPY", "¥1,234,567"),
        ("ja_JP", "JPY", "￥1,234,567"),
        ("en_US", "KWD", "KWD1,234.567"),
        ("de_CH", "CHF", "CHF\xa012'345.67"),
    ],
)
def test_money_is_written_the_way_the_locale_writes_it(
    locale: str, currency: str, shown: str
) -> None:
    assert ShopFormat(locale, currency).money(1234567) == shown


@pytest.mark.parametrize(
    ("locale", "typed", "cents"),
    [
        ("de_DE", "12,50", 1250),
        ("de_DE", "1.234,50 €", 123450),
        ("de_DE", "2.49", 249),  # one dot and two decimals: a decimal point, not a thousand
        ("de_DE", "1.250", 125000),  # a German thousand
        ("fr_FR", "1\u202f234,50", 123450),
        ("en_US", "1,234.50", 123450),
    ],
)
def test_amounts_typed_the_locales_way_are_read(locale: str, typed: str, cents: int) -> None:
    assert ShopFormat(locale, "EUR").parse_money(typed) == cents


@pytest.mark.parametrize(
    ("currency", "locale", "typed", "message"),
    [
        ("JPY", "ja_JP", "12.5", "This currency has no decimals: enter a whole amount."),
        ("KWD", "en_US", "1.2345", "Use at most 3 decimals."),
        ("EUR", "de_DE", "abc", "Enter an amount such as 12,50."),
        ("JPY", "en_US", "abc", "Enter an amount such as 12."),
        ("EUR", "en_US", "1,2,3", "Enter an amount such as 12.50."),
    ],
)
def test_bad_amounts_name_the_currency_s_rules(
    currency: str, locale: str, typed: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        ShopFormat(locale, currency).parse_money(typed, "amount")


def test_notes_and_whole_amounts_follow_the_currency() -> None:
    assert ShopFormat("en_US", "EUR").notes()[2] == 2000
    assert ShopFormat("en_US", "JPY").notes() == (1000, 5000, 10000)
    assert ShopFormat("de_DE", "EUR").whole_money(2000) == "20\xa0€"
    assert ShopFormat("en_US", "EUR").whole_money(2050) == "€20.50"
    assert ShopFormat("en_US", "KWD").whole_money(20000) == "KWD20"
