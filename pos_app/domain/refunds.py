"""What can still be returned, and for how much.

A receipt line can be returned up to the quantity sold less what earlier refunds took back. A
refund of a line gives back what the customer paid for those units: the line's revenue (after its
promotion and discounts) shared over its units, with the tax recomputed on that amount and
rounded as on a sale; a line of a product sold by weight gives back its grams' share of that
revenue (see :func:`weighed_refund_line`). Shares are cumulative, so returning every unit, in one
refund or several, gives back exactly the line's revenue. Card refunds go back to the card at
most what the sale's card payments brought in, less card refunds already made; the rest goes
back in cash. Every refund says why the goods came back: a short reason, printed on its slip.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pos_app.domain.checks import is_text
from pos_app.domain.errors import ConflictError, ValidationError
from pos_app.domain.money import DEFAULT_LOCALE
from pos_app.domain.shop_format import DEFAULT_FORMAT, ShopFormat
from pos_app.domain.tax import tax_contained
from pos_app.domain.weights import format_quantity

MAX_REASON = 120
"""The longest reason a refund keeps; one or two lines on a receipt printer."""
_NOT_IN_A_REASON = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


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
    name: str,
    sold: int,
    refunded: int,
    wanted: int,
    sold_by: str = "piece",
    locale: str = DEFAULT_LOCALE,
) -> None:
    """Refuses more than is left of a line, the quantities written in the shop's ``locale``."""
    left = returnable(sold, refunded)
    if wanted > left:
        shown_left = format_quantity(left, sold_by, locale)
        shown_wanted = format_quantity(wanted, sold_by, locale)
        raise ConflictError(
            f"Only {shown_left} of {name} can still be returned; {shown_wanted} asked.",
            field="lines",
        )


def check_reason(value: object) -> str:
    """Why the goods came back: required text of at most MAX_REASON characters, without
    control or invisible formatting characters (a right-to-left override would print the
    slip's words backwards, a control character would drive the receipt printer)."""
    if not is_text(value):
        raise ValidationError("The reason for the refund must be text.", field="reason")
    text = value.strip()
    if not text:
        raise ValidationError("Choose or type the reason for the refund.", field="reason")
    if len(text) > MAX_REASON:
        raise ValidationError(
            f"The reason for the refund is too long ({MAX_REASON} characters at most).",
            field="reason",
        )
    if any(unicodedata.category(char) in _NOT_IN_A_REASON for char in text):
        raise ValidationError(
            "The reason for the refund contains characters that are not allowed.", field="reason"
        )
    return text


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


def paid_for(revenue_cents: int, quantity: int, refunded_before: int, returning: int) -> int:
    """What ``returning`` units of a line cost the customer, after ``refunded_before`` went back.

    The first n units of a line are worth ``revenue * n // quantity``; a refund takes the
    difference between two such marks, so the cents left over by rounding go back with the last
    unit and all refunds of a line add up to its revenue to the cent.
    """
    if quantity <= 0 or not 0 <= refunded_before <= refunded_before + returning <= quantity:
        raise ValueError("refunded units out of range")
    return (revenue_cents * (refunded_before + returning)) // quantity - (
        revenue_cents * refunded_before
    ) // quantity


def refund_paid_line(
    sale_item_id: int,
    product_id: int,
    *,
    revenue_cents: int,
    quantity_sold: int,
    refunded_before: int,
    returning: int,
    tax_rate_bp: int,
) -> RefundLine:
    """A refund of ``returning`` units at the price actually paid for them."""
    amount = paid_for(revenue_cents, quantity_sold, refunded_before, returning)
    return RefundLine(
        sale_item_id, product_id, returning, amount, tax_contained(amount, tax_rate_bp)
    )


def card_refund_cap(card_paid_cents: int, card_refunded_cents: int) -> int:
    """How much can still go back to the card."""
    return max(card_paid_cents - card_refunded_cents, 0)


def check_card_refund(
    total_cents: int,
    card_paid_cents: int,
    card_refunded_cents: int,
    shop: ShopFormat = DEFAULT_FORMAT,
) -> None:
    """Refuse a card refund of more than can still go back to the card; ``shop`` writes it."""
    left = card_refund_cap(card_paid_cents, card_refunded_cents)
    if total_cents > left:
        raise ValidationError(
            f"Only {shop.money(left)} can go back to the card; refund the rest in cash.",
            field="tender",
        )


__all__ = [
    "RefundLine",
    "card_refund_cap",
    "check_card_refund",
    "check_returnable",
    "paid_for",
    "refund_line",
    "refund_paid_line",
    "returnable",
    "weighed_refund_line",
]
