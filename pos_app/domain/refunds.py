"""What can still be returned, and for how much.

A receipt line can be returned up to the quantity sold less what earlier refunds took back. A
refund of a line is its unit price times the quantity, with the tax recomputed on that amount
and rounded as on a sale; a line of a product sold by weight gives back its share of what was
paid for it (see :func:`weighed_refund_line`). Card refunds go back to the card at most what
the sale's card payments brought in, less card refunds already made; the rest goes back in cash.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.errors import ConflictError, ValidationError
from pos_app.domain.money import format_plain
from pos_app.domain.tax import tax_contained
from pos_app.domain.weights import format_quantity


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


def check_returnable(
    name: str, sold: int, refunded: int, wanted: int, sold_by: str = "piece"
) -> None:
    left = returnable(sold, refunded)
    if wanted > left:
        shown_left, shown_wanted = format_quantity(left, sold_by), format_quantity(wanted, sold_by)
        raise ConflictError(
            f"Only {shown_left} of {name} can still be returned; {shown_wanted} asked.",
            field="lines",
        )


def refund_line(
    sale_item_id: int, product_id: int, unit_price_cents: int, tax_rate_bp: int, quantity: int
) -> RefundLine:
    amount = unit_price_cents * quantity
    return RefundLine(
        sale_item_id, product_id, quantity, amount, tax_contained(amount, tax_rate_bp)
    )


def weighed_refund_line(
    sale_item_id: int,
    product_id: int,
    revenue_cents: int,
    tax_rate_bp: int,
    sold_grams: int,
    refunded_grams: int,
    grams: int,
) -> RefundLine:
    """``grams`` of a weighed line going back: their share of what the line cost.

    The share of the first g grams returned is revenue * g / sold, rounded half up; a refund
    gives the share of everything returned so far less the share already given back, so the
    refunds of a line add up to exactly what it cost once all of it is back (a price label's
    amount included) and never to more.
    """
    before = _share(revenue_cents, sold_grams, refunded_grams)
    amount = _share(revenue_cents, sold_grams, refunded_grams + grams) - before
    return RefundLine(sale_item_id, product_id, grams, amount, tax_contained(amount, tax_rate_bp))


def _share(revenue_cents: int, sold_grams: int, grams: int) -> int:
    return (2 * revenue_cents * grams + sold_grams) // (2 * sold_grams)


def card_refund_cap(card_paid_cents: int, card_refunded_cents: int) -> int:
    """How much can still go back to the card."""
    return max(card_paid_cents - card_refunded_cents, 0)


def check_card_refund(total_cents: int, card_paid_cents: int, card_refunded_cents: int) -> None:
    left = card_refund_cap(card_paid_cents, card_refunded_cents)
    if total_cents > left:
        raise ValidationError(
            f"Only {format_plain(left)} can go back to the card; refund the rest in cash.",
            field="tender",
        )


__all__ = [
    "RefundLine",
    "card_refund_cap",
    "check_card_refund",
    "check_returnable",
    "refund_line",
    "returnable",
    "weighed_refund_line",
]
