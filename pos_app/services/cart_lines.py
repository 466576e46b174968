"""The lines of a cart as the till sends them, merged per product before anything is read.

A line whose quantity cannot be sold is not an error: it comes back as a :class:`FailedLine`,
like a product out of stock, so the till can mark it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from pos_app.services.errors import ValidationError

MAX_QUANTITY = 10_000
MAX_LINES = 500
REASONS = ("unknown_product", "inactive", "out_of_stock", "bad_quantity")


@dataclass(frozen=True)
class PurchaseLine:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class FailedLine:
    product_id: int
    product_name: str | None
    quantity: int
    reason: str
    message: str


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def merge_lines(lines: object) -> tuple[dict[int, int], list[FailedLine]]:
    """Quantities per product (cart order), and the lines whose quantity cannot be sold."""
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
        if not is_int(line.product_id):
            raise ValidationError("A cart line names no valid product.", field="product_id")
        quantity: object = line.quantity
        if not is_int(quantity) or not 1 <= cast(int, quantity) <= MAX_QUANTITY:
            shown = cast(int, quantity) if is_int(quantity) else 0
            failed.append(bad_quantity(line.product_id, shown))
            continue
        wanted[line.product_id] = wanted.get(line.product_id, 0) + cast(int, quantity)
    for product_id, total in list(wanted.items()):
        if total > MAX_QUANTITY:
            failed.append(bad_quantity(product_id, total))
            del wanted[product_id]
    return wanted, failed


def bad_quantity(product_id: int, quantity: int) -> FailedLine:
    message = f"The quantity must be a whole number from 1 to {MAX_QUANTITY:,}."
    return FailedLine(product_id, None, quantity, "bad_quantity", message)


__all__ = ["MAX_LINES", "MAX_QUANTITY", "REASONS", "FailedLine", "PurchaseLine", "merge_lines"]
