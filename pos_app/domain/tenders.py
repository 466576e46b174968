"""Tenders: cash and card, split allowed; what is applied equals the sale total exactly.

A cash payment records what the customer handed over and the change given back; a card payment
is charged exactly, so it can never be more than what is still owed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS, format_plain

CASH = "cash"
CARD = "card"
TENDERS = (CASH, CARD)
MAX_PAYMENTS = 10


@dataclass(frozen=True)
class PaymentIn:
    tender: str
    amount_cents: int
    tendered_cents: int | None = None


@dataclass(frozen=True)
class PaymentLine:
    tender: str
    amount_cents: int
    tendered_cents: int
    change_cents: int


def _cents(value: object, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"The {label} must be a whole number of cents.", field=field)
    if not 0 <= value <= MAX_CENTS:
        raise ValidationError(f"The {label} is out of range.", field=field)
    return value


def validate_payments(
    total_cents: int, payments: Sequence[PaymentIn], currency: str = "EUR"
) -> list[PaymentLine]:
    """The payments as applied, with change; ValidationError naming the field if they misfit.

    Amounts in the messages are written in ``currency``'s decimals."""
    total = _cents(total_cents, "total", "total")
    if isinstance(payments, str | bytes) or not isinstance(payments, Sequence):
        raise ValidationError("The payments must be a list.", field="payments")
    if len(payments) > MAX_PAYMENTS:
        raise ValidationError(f"Use at most {MAX_PAYMENTS} payments.", field="payments")
    if total > 0 and not payments:
        raise ValidationError("Take a payment for this sale.", field="payments")
    lines = [_line(payment, currency) for payment in payments]
    card = sum(line.amount_cents for line in lines if line.tender == CARD)
    if card > total:
        raise ValidationError(
            f"A card payment cannot be more than the {format_plain(total, currency)} owed.",
            field="amount",
        )
    applied = sum(line.amount_cents for line in lines)
    if applied != total:
        raise ValidationError(
            f"The payments add up to {format_plain(applied, currency)} but the sale is "
            f"{format_plain(total, currency)}.",
            field="amount",
        )
    return lines


def _line(payment: object, currency: str) -> PaymentLine:
    if not isinstance(payment, PaymentIn):
        raise ValidationError("Each payment needs a tender and an amount.", field="payments")
    if payment.tender not in TENDERS:
        raise ValidationError("Pay by cash or card.", field="tender")
    amount = _cents(payment.amount_cents, "amount", "amount")
    if amount == 0:
        raise ValidationError("A payment must be more than zero.", field="amount")
    if payment.tender == CARD:
        if payment.tendered_cents not in (None, amount):
            raise ValidationError("A card is charged the exact amount.", field="tendered")
        return PaymentLine(CARD, amount, amount, 0)
    tendered = amount
    if payment.tendered_cents is not None:
        tendered = _cents(payment.tendered_cents, "tendered", "amount handed over")
    if tendered < amount:
        raise ValidationError(
            f"{format_plain(tendered, currency)} handed over is less than the "
            f"{format_plain(amount, currency)} due "
            "in cash.",
            field="tendered",
        )
    return PaymentLine(CASH, amount, tendered, tendered - amount)


def change_due(lines: Iterable[PaymentLine]) -> int:
    return sum(line.change_cents for line in lines)


__all__ = [
    "CARD",
    "CASH",
    "MAX_PAYMENTS",
    "TENDERS",
    "PaymentIn",
    "PaymentLine",
    "change_due",
    "validate_payments",
]
