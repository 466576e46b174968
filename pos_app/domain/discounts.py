"""Manual discounts: on one line or on the whole cart, a percentage or an amount, with a reason.

A percentage is in basis points (1000 = 10 %) and is rounded half up to the cent on the amount it
applies to; an amount never takes more than that amount. A cart discount is shared over the lines
in proportion to what each still costs, by largest remainder (ties go to the earlier line), so the
lines always add up to the cart's total to the cent and no line goes below zero.

How much a person may give away on their own is a limit per role (see
:mod:`pos_app.domain.approvals`), in basis points of what the line or cart cost before the discount.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pos_app.domain.checks import clean_text, is_whole_number
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS, format_plain
from pos_app.domain.tax import BP_PER_UNIT

MAX_REASON = 120


class DiscountKind(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Discount:
    """A manual discount as the cashier entered it; ``approver_id`` once someone approved it."""

    kind: DiscountKind
    value: int
    reason: str
    approver_id: int | None = None

    def off(self, amount_cents: int) -> int:
        """What this discount takes off ``amount_cents`` (never more than the amount)."""
        if self.kind is DiscountKind.PERCENT:
            return min(percent_of(amount_cents, self.value), amount_cents)
        return min(self.value, amount_cents)

    def share_bp(self, amount_cents: int) -> int:
        """The part of ``amount_cents`` given away, in basis points rounded up."""
        if self.kind is DiscountKind.PERCENT:
            return self.value
        if amount_cents <= 0:
            return 0 if self.value == 0 else BP_PER_UNIT
        taken = min(self.value, amount_cents)
        return -(-taken * BP_PER_UNIT // amount_cents)

    def label(self) -> str:
        """'10 %' or '2.50' for lists and receipts."""
        if self.kind is DiscountKind.PERCENT:
            return format_percent(self.value)
        return format_plain(self.value)

    def approved_by(self, approver_id: int | None) -> Discount:
        return replace(self, approver_id=approver_id)


def percent_of(amount_cents: int, rate_bp: int) -> int:
    """``rate_bp`` of an amount, rounded half up to the cent."""
    return (2 * amount_cents * rate_bp + BP_PER_UNIT) // (2 * BP_PER_UNIT)


def format_percent(rate_bp: int) -> str:
    """1000 -> '10 %', 1250 -> '12.5 %'."""
    return f"{(Decimal(rate_bp) / 100).normalize():f} %"


def make_discount(kind: object, value: object, reason: object) -> Discount:
    """A checked discount: a percentage from 0.01 % to 100 % or an amount above zero."""
    if kind not in tuple(DiscountKind):
        raise ValidationError("Choose a percentage or an amount.", field="kind")
    clean_kind = DiscountKind(str(kind))
    if not is_whole_number(value):
        raise ValidationError("The discount must be a whole number.", field="value")
    if clean_kind is DiscountKind.PERCENT and not 1 <= value <= BP_PER_UNIT:
        raise ValidationError("A percentage must be above 0 % and at most 100 %.", field="value")
    if clean_kind is DiscountKind.AMOUNT and not 1 <= value <= MAX_CENTS:
        raise ValidationError("Enter an amount above 0.00.", field="value")
    text = clean_text(reason, "reason", "reason for the discount", max_length=MAX_REASON)
    return Discount(clean_kind, value, text)


def parse_percent(text: object, field: str = "value") -> int:
    """'10', '12.5 %', '7,5' -> basis points (1000, 1250, 750)."""
    if not isinstance(text, str):
        raise ValidationError("Enter a percentage such as 10 or 12.5.", field=field)
    cleaned = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        percent = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError("Enter a percentage such as 10 or 12.5.", field=field) from None
    if not percent.is_finite():
        raise ValidationError("Enter a percentage such as 10 or 12.5.", field=field)
    basis_points = percent * 100
    if basis_points != basis_points.to_integral_value():
        raise ValidationError("Use at most two decimals for a percentage.", field=field)
    if not 0 < basis_points <= BP_PER_UNIT:
        raise ValidationError("A percentage must be above 0 % and at most 100 %.", field=field)
    return int(basis_points)


def allocate(total_cents: int, weights: Sequence[int]) -> list[int]:
    """Share ``total_cents`` over ``weights`` in proportion, by largest remainder.

    Each share is at most its weight when the total is at most the sum of the weights; the
    shares always add up to the total; equal remainders go to the earlier weight.
    """
    whole = sum(weights)
    if whole <= 0:
        if total_cents:
            raise ValueError("nothing to share an amount over")
        return [0 for _ in weights]
    shares = [total_cents * weight // whole for weight in weights]
    left = total_cents - sum(shares)
    by_remainder = sorted(
        range(len(weights)), key=lambda index: (-(total_cents * weights[index] % whole), index)
    )
    for index in by_remainder[:left]:
        shares[index] += 1
    return shares


__all__ = [
    "MAX_REASON",
    "Discount",
    "DiscountKind",
    "allocate",
    "format_percent",
    "make_discount",
    "parse_percent",
    "percent_of",
]
