"""Value-added tax contained in tax-inclusive prices.

Rates are basis points (1900 = 19 %) set per category. The tax of a line is rounded half up to the
cent once, on the line's gross; a summary adds the lines' taxes per rate, so the rates on a receipt
always add up to its total exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from pos_app.domain.checks import parse_decimal, plain_number
from pos_app.domain.errors import ValidationError

MAX_TAX_RATE_BP = 10_000
BP_PER_UNIT = 10_000


class Taxed(Protocol):
    @property
    def tax_rate_bp(self) -> int: ...

    @property
    def gross_cents(self) -> int: ...

    @property
    def tax_cents(self) -> int: ...


@dataclass(frozen=True)
class TaxLine:
    tax_rate_bp: int
    gross_cents: int
    tax_cents: int


@dataclass(frozen=True)
class TaxRateTotal:
    rate_bp: int
    gross_cents: int
    tax_cents: int
    net_cents: int


def tax_contained(gross_cents: int, rate_bp: int) -> int:
    """The tax inside a tax-inclusive amount, rounded half up (away from zero) to the cent."""
    if rate_bp < 0:
        raise ValueError("tax rates are not negative")
    numerator = abs(gross_cents) * rate_bp
    denominator = BP_PER_UNIT + rate_bp
    tax = (2 * numerator + denominator) // (2 * denominator)
    return -tax if gross_cents < 0 else tax


def taxed_line(gross_cents: int, rate_bp: int) -> TaxLine:
    return TaxLine(rate_bp, gross_cents, tax_contained(gross_cents, rate_bp))


def tax_summary(lines: Iterable[Taxed]) -> list[TaxRateTotal]:
    """Gross, tax and net per rate (lowest rate first); sums equal the lines' sums exactly."""
    gross: dict[int, int] = {}
    tax: dict[int, int] = {}
    for line in lines:
        gross[line.tax_rate_bp] = gross.get(line.tax_rate_bp, 0) + line.gross_cents
        tax[line.tax_rate_bp] = tax.get(line.tax_rate_bp, 0) + line.tax_cents
    return [
        TaxRateTotal(rate, gross[rate], tax[rate], gross[rate] - tax[rate])
        for rate in sorted(gross)
    ]


def check_rate(value: object, field: str = "tax_rate_bp") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("The tax rate must be a whole number of basis points.", field=field)
    if not 0 <= value <= MAX_TAX_RATE_BP:
        raise ValidationError("The tax rate must be between 0 % and 100 %.", field=field)
    return value


def parse_tax_rate(text: object, field: str = "tax_rate") -> int:
    """'19', '7.5 %', '19,0' -> basis points (1900, 750, 1900)."""
    if not isinstance(text, str | int) or isinstance(text, bool):
        raise ValidationError("Enter a tax rate such as 19 or 7.5.", field=field)
    cleaned = plain_number(text).strip().rstrip("%").strip().replace(",", ".")
    percent = parse_decimal(cleaned, field, "Enter a tax rate such as 19 or 7.5.")
    basis_points = percent * 100
    if basis_points != basis_points.to_integral_value():
        raise ValidationError("Use at most two decimals for the tax rate.", field=field)
    return check_rate(int(basis_points), field)


def format_rate(rate_bp: int) -> str:
    """1900 -> '19 %', 750 -> '7.5 %'."""
    return f"{(Decimal(rate_bp) / 100).normalize():f} %"


__all__ = [
    "BP_PER_UNIT",
    "MAX_TAX_RATE_BP",
    "TaxLine",
    "TaxRateTotal",
    "Taxed",
    "check_rate",
    "format_rate",
    "parse_tax_rate",
    "tax_contained",
    "tax_summary",
    "taxed_line",
]
