"""What can still be returned, and for how much.

A receipt line can be returned up to the quantity sold less what earlier refunds took back. A
refund of a line is its unit price times the quantity, with the tax recomputed on that amount
and rounded as on a sale. Card refunds go back to the card at most what the sale's card payments
brought in, less card refunds already made; the rest goes back in cash.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.errors import ConflictError, ValidationError
from pos_app.domain.money import format_plain
from pos_app.domain.tax import tax_contained


@dataclass(frozen=True)
class RefundLine:
    """A quantity of one receipt line going back, and the money and tax it returns."""

    sale_item_id: int
    product_id: int
    quantity: int
    amount_cents: int
    tax_cents: int


def returnable(sold: int, refunded: int) -> int:
    """How many units of a line can still be returned."""
    return max(sold - refunded, 0)


def check_returnable(name: str, sold: int, refunded: int, wanted: int) -> None:
    left = returnable(sold, refunded)
    if wanted > left:
        raise ConflictError(
            f"Only {left} of {name} can still be returned; {wanted} asked.", field="lines"
        )


def refund_line(
    sale_item_id: int, product_id: int, unit_price_cents: int, tax_rate_bp: int, quantity: int
) -> RefundLine:
    amount = unit_price_cents * quantity
    return RefundLine(
        sale_item_id, product_id, quantity, amount, tax_contained(amount, tax_rate_bp)
    )


def card_refund_cap(card_paid_cents: int, card_refunded_cents: int) -> int:
    """How much can still go back to the card."""
    return max(card_paid_cents - card_refunded_cents, 0)


def check_card_refund(
    total_cents: int, card_paid_cents: int, card_refunded_cents: int, currency: str = "EUR"
) -> None:
    left = card_refund_cap(card_paid_cents, card_refunded_cents)
    if total_cents > left:
        raise ValidationError(
            f"Only {format_plain(left, currency)} can go back to the card; "
            "refund the rest in cash.",
            field="tender",
        )


__all__ = [
    "RefundLine",
    "card_refund_cap",
    "check_card_refund",
    "check_returnable",
    "refund_line",
    "returnable",
]
