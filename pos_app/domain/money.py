"""Money at the edges: parse what a person typed into cents, format cents for people and CSV."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from pos_app.domain.checks import parse_decimal, plain_number
from pos_app.domain.errors import ValidationError

MAX_CENTS = 10**11  # a billion currency units: more than any till will see in one line
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF "}


def parse_money(text: object, field: str = "price") -> int:
    """'12.5', '12,50', '€ 12.50' -> 1250. Rejects negatives, more than two decimals, garbage."""
    if isinstance(text, bool) or not isinstance(text, str | int | Decimal):
        raise ValidationError("Enter an amount such as 12.50.", field=field)
    cleaned = plain_number(text).strip().replace(" ", "")
    for symbol in ("€", "$", "£", "¥"):
        cleaned = cleaned.replace(symbol, "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    amount = parse_decimal(cleaned, field, "Enter an amount such as 12.50.")
    if amount < 0:
        raise ValidationError("The amount cannot be negative.", field=field)
    if amount * 100 > MAX_CENTS:
        raise ValidationError("The amount is too large.", field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("Use at most two decimals.", field=field)
    return int(amount * 100)


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_plain(cents: int) -> str:
    """1250 -> '12.50' (CSV, reports)."""
    return f"{cents_to_decimal(cents):.2f}"


def format_money(cents: int, currency: str = "EUR") -> str:
    """1234567 -> '€12,345.67' for labels and receipts."""
    sign = "-" if cents < 0 else ""
    amount = cents_to_decimal(abs(cents))
    symbol = _SYMBOLS.get(currency.upper(), currency.upper() + " ")
    return f"{sign}{symbol}{amount:,.2f}"


__all__ = ["MAX_CENTS", "cents_to_decimal", "format_money", "format_plain", "parse_money"]
