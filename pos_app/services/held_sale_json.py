"""How a held cart's lines, discounts and approver are kept as JSON in its row.

Carts held before discounts existed are a bare list of lines; they are still read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pos_app.domain.discounts import Discount, DiscountKind


@dataclass(frozen=True)
class HeldLine:
    """A line to hold: a product, a quantity and, when the price was overridden, that price;
    the line's own discount (with whoever approved it) when it has one."""

    product_id: int
    quantity: int
    price_override_cents: int | None = None
    discount: Discount | None = None
    override_approver_id: int | None = None
    label_price_cents: int | None = None


def approved_by_of(text: str) -> int | None:
    try:
        stored = json.loads(text)
    except ValueError:
        return None
    found = stored.get("approved_by") if isinstance(stored, dict) else None
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def held_line_json(line: HeldLine) -> dict[str, object]:
    item: dict[str, object] = {
        "product_id": line.product_id,
        "quantity": line.quantity,
        "price_override_cents": line.price_override_cents,
        "discount": discount_json(line.discount),
        "override_approver_id": line.override_approver_id,
    }
    if line.label_price_cents is not None:
        item["label_price_cents"] = line.label_price_cents
    return item


def discount_json(discount: Discount | None) -> dict[str, object] | None:
    if discount is None:
        return None
    return {
        "kind": discount.kind.value,
        "value": discount.value,
        "reason": discount.reason,
        "approver_id": discount.approver_id,
    }


def _discount_of(item: object) -> Discount | None:
    if not isinstance(item, dict):
        return None
    kind = DiscountKind(item["kind"])
    return Discount(kind, int(item["value"]), str(item["reason"]), item.get("approver_id"))


def held_lines_of(text: str) -> tuple[list[HeldLine], Discount | None]:
    """The lines and the cart's discount; carts held before discounts are a bare list."""
    stored = json.loads(text)
    items, cart = (stored, None) if isinstance(stored, list) else (stored["lines"], stored)
    lines = [
        HeldLine(
            item["product_id"],
            item["quantity"],
            item.get("price_override_cents"),
            _discount_of(item.get("discount")),
            item.get("override_approver_id"),
            item.get("label_price_cents"),
        )
        for item in items
    ]
    return lines, None if cart is None else _discount_of(cart.get("cart_discount"))


__all__ = ["HeldLine", "approved_by_of", "discount_json", "held_line_json", "held_lines_of"]
