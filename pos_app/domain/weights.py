"""Goods sold by weight: grams as whole numbers, a price per kilogram, and one rounding rule.

A product is sold per piece or by weight. The quantity of a weighed product is always a whole
number of grams (kilograms with three decimals), never a float; its price is per kilogram. A
weighed line costs::

    price per kg (cents) * grams / 1000, rounded half up to the cent

computed on integers, so 0.455 kg at 12.90 €/kg is 586.95 cents, charged as 5.87. That is the one
rule for every weighed amount: the cart, the receipt, the stored sale and a refund of part of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from babel.numbers import format_decimal

from pos_app.domain.checks import is_whole_number
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import DEFAULT_LOCALE, format_money

GRAMS_PER_KG = 1000
MAX_GRAMS = 999_999
"""The heaviest weight of one line or one stock change typed at once: 999.999 kg."""
TIMES = "\N{MULTIPLICATION SIGN}"
BAD_WEIGHT = "Enter a weight such as 0.455 (kg) or 455 g."
_WEIGHT_TEXT = re.compile(r"^(?P<number>[+-]?[0-9]*[.,]?[0-9]*)\s*(?P<unit>kg|g)?$", re.IGNORECASE)


class SoldBy(StrEnum):
    """How a product is counted: whole pieces, or grams at a price per kilogram."""

    PIECE = "piece"
    WEIGHT = "weight"


def check_sold_by(value: object, field: str = "sold_by") -> SoldBy:
    """'piece' or 'weight' (any case, surrounding spaces allowed) as a :class:`SoldBy`."""
    if isinstance(value, str):
        try:
            return SoldBy(value.strip().lower())
        except ValueError:
            pass
    raise ValidationError("Choose whether the product is sold per piece or by weight.", field=field)


def is_weighed(sold_by: str) -> bool:
    return sold_by == SoldBy.WEIGHT


def parse_weight(
    text: object,
    field: str = "weight",
    *,
    signed: bool = False,
    allow_zero: bool = False,
    maximum: int = MAX_GRAMS,
) -> int:
    """What a person typed as grams: '0.455', '0,455 kg' and '455 g' are all 455.

    A number without a unit is in kilograms (the unit a scale and a price per kg use); grams
    must be whole and kilograms have at most three decimals. With ``signed`` a leading minus is
    allowed (a stock correction); the weight must be above zero unless ``allow_zero`` (a stock
    count), and at most ``maximum`` grams either way.
    """
    if not isinstance(text, str):
        raise ValidationError(BAD_WEIGHT, field=field)
    match = _WEIGHT_TEXT.match(text.strip())
    if match is None or not any(char.isdigit() for char in match["number"]):
        raise ValidationError(BAD_WEIGHT, field=field)
    try:
        amount = Decimal(match["number"].replace(",", "."))
    except InvalidOperation:
        raise ValidationError(BAD_WEIGHT, field=field) from None
    in_grams = (match["unit"] or "kg").lower() == "g"
    grams = amount if in_grams else amount * GRAMS_PER_KG
    if grams != grams.to_integral_value():
        message = (
            "Enter whole grams, or kilograms with up to three decimals."
            if in_grams
            else "Weigh to the gram: kilograms have at most three decimals."
        )
        raise ValidationError(message, field=field)
    return _in_range(int(grams), field, signed, allow_zero, maximum)


def _in_range(grams: int, field: str, signed: bool, allow_zero: bool, maximum: int) -> int:
    if grams < 0 and not signed:
        raise ValidationError("The weight cannot be negative.", field=field)
    if grams == 0 and not allow_zero:
        raise ValidationError("The weight must be more than zero.", field=field)
    if abs(grams) > maximum:
        raise ValidationError(f"A weight can be at most {format_kg(maximum)} kg.", field=field)
    return grams


def check_grams(value: object, field: str = "quantity") -> int:
    """A weight handed to a service: whole grams from 1 to :data:`MAX_GRAMS`."""
    if not is_whole_number(value) or not 1 <= value <= MAX_GRAMS:
        raise ValidationError(
            f"The weight must be whole grams from 1 g to {format_kg(MAX_GRAMS)} kg.", field=field
        )
    return value


def line_amount_cents(price_per_kg_cents: int, grams: int) -> int:
    """Price per kg * grams / 1000, rounded half up (away from zero) to the cent."""
    product = abs(price_per_kg_cents * grams)
    amount = (2 * product + GRAMS_PER_KG) // (2 * GRAMS_PER_KG)
    return -amount if price_per_kg_cents * grams < 0 else amount


def grams_for_price(price_cents: int, price_per_kg_cents: int, field: str = "barcode") -> int:
    """The weight a price buys at a price per kg, rounded half up to the gram.

    For a scale label that carries only the price: the price stays what the customer pays,
    this weight is what leaves the stock.
    """
    if price_per_kg_cents <= 0:
        raise ValidationError(
            "This product has no price per kg, so the label's weight cannot be told.", field=field
        )
    if price_cents <= 0:
        raise ValidationError("The label carries no price.", field=field)
    numerator = price_cents * GRAMS_PER_KG
    grams = (2 * numerator + price_per_kg_cents) // (2 * price_per_kg_cents)
    return max(grams, 1)


@dataclass(frozen=True)
class LabelTotal:
    """What the scale's price labels of one product in a sale add up to: their printed prices
    and the grams those prices bought."""

    price_cents: int
    grams: int

    def plus(self, price_cents: int, grams: int) -> LabelTotal:
        return LabelTotal(self.price_cents + price_cents, self.grams + grams)


def weighed_amount_cents(
    price_per_kg_cents: int, grams: int, labels: LabelTotal | None = None
) -> int:
    """What ``grams`` of a weighed product cost: the labels' prices for the grams they cover,
    and the one rounding rule of :func:`line_amount_cents` for the grams weighed at the till."""
    if labels is None:
        return line_amount_cents(price_per_kg_cents, grams)
    return labels.price_cents + line_amount_cents(price_per_kg_cents, grams - labels.grams)


def format_kg(grams: int) -> str:
    """455 -> '0.455' (kilograms with three decimals: CSV, input fields)."""
    sign = "-" if grams < 0 else ""
    kilos, rest = divmod(abs(grams), GRAMS_PER_KG)
    return f"{sign}{kilos}.{rest:03d}"


def format_weight(grams: int, locale: str = DEFAULT_LOCALE) -> str:
    """455 -> '0.455 kg' (en_US) or '0,455 kg' (de_DE): kilograms with three decimals."""
    kilos = Decimal(grams).scaleb(-3)
    return f"{format_decimal(kilos, format='#,##0.000', locale=locale)} kg"


def format_price_per_kg(
    price_per_kg_cents: int, currency: str = "EUR", locale: str = DEFAULT_LOCALE
) -> str:
    """1290 -> '€12.90/kg' (en_US) or '12,90 €/kg' (de_DE)."""
    return f"{format_money(price_per_kg_cents, currency, locale)}/kg"


def format_weighed_line(
    grams: int, price_per_kg_cents: int, currency: str = "EUR", locale: str = DEFAULT_LOCALE
) -> str:
    """455 g at 1290 -> '0.455 kg x €12.90/kg' (cart, receipt), with a real times sign."""
    weight = format_weight(grams, locale)
    return f"{weight} {TIMES} {format_price_per_kg(price_per_kg_cents, currency, locale)}"


def format_quantity(quantity: int, sold_by: str, locale: str = DEFAULT_LOCALE) -> str:
    """A quantity as people read it: '1,200' pieces, or '0.455 kg' of a weighed product
    ('1.200' and '0,455 kg' in de_DE)."""
    if is_weighed(sold_by):
        return format_weight(quantity, locale)
    return str(format_decimal(quantity, format="#,##0", locale=locale))


__all__ = [
    "BAD_WEIGHT",
    "GRAMS_PER_KG",
    "MAX_GRAMS",
    "TIMES",
    "LabelTotal",
    "SoldBy",
    "check_grams",
    "check_sold_by",
    "format_kg",
    "format_price_per_kg",
    "format_quantity",
    "format_weighed_line",
    "format_weight",
    "grams_for_price",
    "is_weighed",
    "line_amount_cents",
    "parse_weight",
    "weighed_amount_cents",
]
