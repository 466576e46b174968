"""Money at the edges: what a person typed becomes minor units, minor units become text.

An amount is an integer count of the currency's minor unit: cents for EUR, yen for JPY (no minor
unit), fils for KWD (three decimals). How many decimals a currency has comes from the Unicode
CLDR data through Babel, never from a constant in the code.

Two forms of text:

* *plain*: a decimal with a dot and exactly the currency's decimals (``12.50``, ``1250``,
  ``1.250``), for CSV and anything a machine reads back;
* *shop*: how the shop's locale writes money (``€12,345.67`` in en_US, ``12.345,67 €`` in
  de_DE), for labels, receipts and reports. :func:`parse_money` reads back everything
  :func:`format_money` shows.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.core import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_precision,
    get_currency_symbol,
    parse_decimal,
)

from pos_app.domain.checks import MAX_NUMBER_TEXT, is_text, plain_number
from pos_app.domain.errors import ValidationError

MAX_CENTS = 10**11  # minor units: more than any till will see in one line, in any currency
DEFAULT_LOCALE = "en_US"
_COMMON_SYMBOLS = ("€", "$", "£", "¥", "￥")
_INVISIBLE = re.compile(r"[\s\u200e\u200f\u061c\u00a0\u202f]")
_MINUS_SIGNS = ("-", "\u2212")
# Typed with one separator and no more decimals than the currency has: a decimal point whatever
# the locale (a German cashier typing 2.49 means 2,49; 1.250 stays a German thousand).
_ONE_SEPARATOR = re.compile(r"^(\d+)[.,](\d+)$")


@lru_cache(maxsize=64)
def minor_units(currency: str) -> int:
    """How many decimals the currency has: 2 for EUR, 0 for JPY, 3 for KWD."""
    return int(get_currency_precision(currency.upper()))


def _unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def minor_to_decimal(amount: int, currency: str = "EUR") -> Decimal:
    """1250 EUR -> Decimal('12.50'); 1250 JPY -> Decimal('1250'); 1250 KWD -> Decimal('1.250')."""
    return Decimal(amount).scaleb(-minor_units(currency))


def decimal_to_minor(value: Decimal, currency: str = "EUR") -> int:
    """An exact amount in major units as minor units; the caller has checked the decimals."""
    return int(value.scaleb(minor_units(currency)))


def format_plain(amount: int, currency: str = "EUR") -> str:
    """1250 -> '12.50' (EUR), '1250' (JPY), '1.250' (KWD): CSV and other machine-read text."""
    return f"{minor_to_decimal(amount, currency):f}"


@lru_cache(maxsize=32)
def checked_locale(name: str) -> str:
    """The locale's canonical name (``de_DE``); ValueError for a name CLDR does not know."""
    try:
        return str(Locale.parse(name.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"'{name}' is not a known locale (use a name such as 'de_DE').") from exc


def format_money(amount: int, currency: str = "EUR", locale: str = DEFAULT_LOCALE) -> str:
    """1234567 EUR -> '€12,345.67' (en_US) or '12.345,67 €' (de_DE): labels and receipts."""
    code = currency.upper()
    return str(format_currency(minor_to_decimal(amount, code), code, locale=locale))


def example_amount(currency: str = "EUR", locale: str = DEFAULT_LOCALE) -> str:
    """12.50 written as the shop writes it: '12.50', '12,50', '12' for yen, '12.500' for dinars."""
    places = minor_units(currency)
    pattern = "0." + "0" * places if places else "0"
    return str(format_decimal(Decimal("12.5"), format=pattern, locale=locale))


def parse_money(
    text: object, field: str = "price", currency: str = "EUR", locale: str = DEFAULT_LOCALE
) -> int:
    """What a person typed (or what :func:`format_money` showed) as minor units.

    '12.5', '€ 12.50' -> 1250 in en_US; '12,50 €' and '1.234,50' in de_DE. Rejects negatives,
    more decimals than the currency has, and anything that is not an amount.
    """
    _check_currency_and_locale(currency, locale)
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise _not_an_amount(field, currency, locale)
    if isinstance(text, int):
        text = plain_number(text)
    value = _read_decimal(text, field, currency, locale) if isinstance(text, str) else Decimal(text)
    if not value.is_finite():
        raise _not_an_amount(field, currency, locale)
    if value < 0:
        raise ValidationError("The amount cannot be negative.", field=field)
    if value > minor_to_decimal(MAX_CENTS, currency):
        raise ValidationError("The amount is too large.", field=field)
    places = minor_units(currency)
    if value != value.quantize(_unit(currency)):
        if places == 0:
            raise ValidationError(
                "This currency has no decimals: enter a whole amount.", field=field
            )
        raise ValidationError(f"Use at most {places} decimals.", field=field)
    return decimal_to_minor(value, currency)


def _check_currency_and_locale(currency: object, locale: object) -> None:
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isascii():
        raise ValidationError("Choose a three-letter currency code such as EUR.", field="currency")
    if not currency.isalpha():
        raise ValidationError("Choose a three-letter currency code such as EUR.", field="currency")
    if not isinstance(locale, str) or not is_text(locale) or len(locale) > MAX_NUMBER_TEXT:
        raise ValidationError("Choose a locale such as de_DE.", field="locale")
    try:
        checked_locale(locale)
    except ValueError:
        raise ValidationError("Choose a locale such as de_DE.", field="locale") from None


def _read_decimal(text: str, field: str, currency: str, locale: str) -> Decimal:
    if not is_text(text) or len(text) > MAX_NUMBER_TEXT:
        raise _not_an_amount(field, currency, locale)
    cleaned = _without_symbols(text, currency, locale)
    if "e" in cleaned.lower():  # no exponents: '1e999999999' is not an amount a till takes
        raise _not_an_amount(field, currency, locale)
    negative = cleaned.startswith(_MINUS_SIGNS)
    if negative:
        cleaned = cleaned[1:]
    if not cleaned or not cleaned[0].isdigit():
        raise _not_an_amount(field, currency, locale)
    value = _locale_decimal(cleaned, currency, locale)
    if value is None:
        raise _not_an_amount(field, currency, locale)
    return -value if negative else value


def _without_symbols(text: str, currency: str, locale: str) -> str:
    code = currency.upper()
    cleaned = _INVISIBLE.sub("", text)
    for symbol in (str(get_currency_symbol(code, locale=locale)), code, *_COMMON_SYMBOLS):
        cleaned = cleaned.replace(_INVISIBLE.sub("", symbol), "")
    return cleaned


def _locale_decimal(cleaned: str, currency: str, locale: str) -> Decimal | None:
    try:
        return Decimal(parse_decimal(cleaned, locale=locale, strict=True))
    except (NumberFormatError, InvalidOperation):
        pass
    match = _ONE_SEPARATOR.match(cleaned)
    if match and len(match.group(2)) <= max(minor_units(currency), 2):
        return Decimal(f"{match.group(1)}.{match.group(2)}")
    return None


def _not_an_amount(field: str, currency: str, locale: str) -> ValidationError:
    return ValidationError(
        f"Enter an amount such as {example_amount(currency, locale)}.", field=field
    )


__all__ = [
    "DEFAULT_LOCALE",
    "MAX_CENTS",
    "checked_locale",
    "decimal_to_minor",
    "example_amount",
    "format_money",
    "format_plain",
    "minor_to_decimal",
    "minor_units",
    "parse_money",
]
