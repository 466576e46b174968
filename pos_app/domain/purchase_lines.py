"""A cart as the till sends it to a sale: a list of :class:`PurchaseLine`.

:func:`merge_lines` merges it per product, and a line whose quantity cannot be sold is not an
error: it comes back as a :class:`FailedLine`, like a product out of stock, so the till can mark
it. :func:`label_prices` adds the scale labels' prices and their grams up per product.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from pos_app.domain.checks import is_whole_number
from pos_app.domain.errors import ValidationError
from pos_app.domain.money import MAX_CENTS
from pos_app.domain.weights import MAX_GRAMS, LabelTotal, format_quantity

MAX_QUANTITY = 10_000
MAX_LINES = 500
REASONS = ("unknown_product", "inactive", "out_of_stock", "bad_quantity")


@dataclass(frozen=True)
class PurchaseLine:
    """Pieces of a product, or grams of one sold by weight (with its label's price, if any)."""

    product_id: int
    quantity: int
    label_price_cents: int | None = None


@dataclass(frozen=True)
class FailedLine:
    product_id: int
    product_name: str | None
    quantity: int
    reason: str
    message: str


def merge_lines(
    lines: object, limit: int = MAX_QUANTITY
) -> tuple[dict[int, int], list[FailedLine]]:
    """Quantities per product (cart order), and the lines whose quantity cannot be sold.

    ``limit`` is the largest quantity of one product: :data:`MAX_QUANTITY` pieces, or
    :data:`WEIGHED_LIMIT` when the cart may hold grams (the pieces are then checked once the
    products are known, with :func:`too_many_pieces`).
    """
    if not is_whole_number(limit) or not 1 <= limit <= WEIGHED_LIMIT:
        raise ValidationError("The limit of a cart line is not a valid quantity.", field="limit")
    if isinstance(lines, str | bytes) or not isinstance(lines, Sequence):
        raise ValidationError("The cart must be a list of lines.", field="lines")
    if not lines:
        raise ValidationError("The cart is empty; add a product first.", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"A sale can have at most {MAX_LINES} lines.", field="lines")
    wanted: dict[int, int] = {}
    failed: list[FailedLine] = []
    for line in lines:
        if not isinstance(line, PurchaseLine):
            raise ValidationError("Each cart line needs a product and a quantity.", field="lines")
        if not is_whole_number(line.product_id):
            raise ValidationError("A cart line names no valid product.", field="product_id")
        quantity: object = line.quantity
        if not is_whole_number(quantity) or not 1 <= quantity <= limit:
            shown = quantity if is_whole_number(quantity) else 0
            failed.append(bad_quantity(line.product_id, shown))
            continue
        wanted[line.product_id] = wanted.get(line.product_id, 0) + quantity
    for product_id, total in list(wanted.items()):
        if total > limit:
            failed.append(bad_quantity(product_id, total))
            del wanted[product_id]
    return wanted, failed


WEIGHED_LIMIT = MAX_GRAMS
"""The most grams of one weighed product in one sale (999.999 kg)."""


def too_many_pieces(product_id: int, quantity: int, weighed: bool) -> FailedLine | None:
    """The failed line of a product sold per piece asked in more than :data:`MAX_QUANTITY`."""
    if weighed or quantity <= MAX_QUANTITY:
        return None
    return bad_quantity(product_id, quantity)


def unsellable_quantity(
    product_id: int, name: str, quantity: int, weighed: bool, labels: LabelTotal | None
) -> FailedLine | None:
    """Pieces over the piece limit, or scale labels on what they cannot price."""
    if refused := too_many_pieces(product_id, quantity, weighed):
        return replace(refused, product_name=name)
    if labels is None or (weighed and labels.grams <= quantity):
        return None
    message = f"The scale labels of {name} do not fit the line; scan them again."
    return replace(bad_quantity(product_id, quantity), product_name=name, message=message)


def out_of_stock(product_id: int, name: str, quantity: int, left: int, sold_by: str) -> FailedLine:
    """The failed line of ``quantity`` wanted with ``left`` in stock, in the product's units."""
    if left == 0:
        message = f"{name} is out of stock."
    else:
        shown_left = format_quantity(left, sold_by)
        wanted = format_quantity(quantity, sold_by)
        message = f"Only {shown_left} of {name} left in stock; {wanted} wanted."
    return FailedLine(product_id, name, quantity, "out_of_stock", message)


def label_prices(lines: Sequence[PurchaseLine]) -> dict[int, LabelTotal]:
    """The scale labels' prices and grams per product, added up; products without a label are
    absent. Call it on lines :func:`merge_lines` accepted."""
    totals: dict[int, LabelTotal] = {}
    for line in lines:
        price: object = line.label_price_cents
        if price is None:
            continue
        if not is_whole_number(price) or not 1 <= price <= MAX_CENTS:
            raise ValidationError("A scale label's price is not valid.", field="lines")
        total = totals.get(line.product_id, LabelTotal(0, 0))
        totals[line.product_id] = total.plus(price, line.quantity)
    return totals


def bad_quantity(product_id: int, quantity: int) -> FailedLine:
    message = f"The quantity must be a whole number from 1 to {MAX_QUANTITY:,}."
    return FailedLine(product_id, None, quantity, "bad_quantity", message)


__all__ = [
    "MAX_LINES",
    "MAX_QUANTITY",
    "REASONS",
    "WEIGHED_LIMIT",
    "FailedLine",
    "PurchaseLine",
    "bad_quantity",
    "label_prices",
    "merge_lines",
    "too_many_pieces",
]
