"""A line or a cart voided before payment, counted on the Z report at what the sale would have
charged for it.

The till sends the cart as it holds it (before a line's removal): its lines with their changed
prices, scale labels and discounts, and the cart's discount. The service prices it as a sale
prices it (today's promotions, then the discounts), so the voids on the Z report are the amounts
the customer would have paid, whatever a screen added up or a caller claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from pos_app.db.sale_state import CartProduct, cart_products
from pos_app.domain.discounts import Discount
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.held_sale_pricing import (
    HeldLineInfo,
    held_line_info,
    price_held_cart,
    today_promotions,
)
from pos_app.services.held_sales import check_unit, clean_discount, clean_line
from pos_app.services.roles import Role
from pos_app.services.validation import check_id, check_items, clean_text


def void_cart(
    ctx: ServiceContext,
    actor: UserSession,
    lines: Sequence[Any],
    cart_discount: Discount | None = None,
    *,
    reason: str = "",
) -> int:
    """Record a whole cart removed before payment and count it on the till's open shift.

    ``lines`` are HeldLine, or any line with a product_id and quantity (and, as a HeldLine has
    them, a changed price, a scale label's price and a discount). The entry keeps every line.
    Returns the amount counted: the cart after its promotions and discounts.
    """
    clean = _clean_lines(lines)
    whole_cart = None if cart_discount is None else clean_discount(cart_discount)
    why = clean_text(reason, "reason", "reason", max_length=audit.MAX_REASON, required=False)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "void sales")
        products = _products_of(session.connection(), clean)
        infos = [held_line_info(line, products[line.product_id]) for line in clean]
        priced = price_held_cart(infos, whole_cart, products, today_promotions(ctx, session))
        detail = _detail(infos, priced.total_cents, priced.discount_cents, why)
        audit.record_counted_void(session, ctx, acting.id, "cart", detail)
        session.commit()
    return priced.total_cents


def void_line(
    ctx: ServiceContext,
    actor: UserSession,
    lines: Sequence[Any],
    product_id: int,
    cart_discount: Discount | None = None,
    *,
    reason: str = "",
) -> int:
    """Record a line removed before payment and count it on the till's open shift.

    ``lines`` are the cart as it was before the removal (as for :func:`void_cart`) and
    ``product_id`` the removed line's product. Returns the amount counted: what that line cost
    in the cart, after its promotion and the discounts.
    """
    clean = _clean_lines(lines)
    removed = check_id(product_id, "product_id", "product")
    if removed not in {line.product_id for line in clean}:
        raise ValidationError("The voided line is not in the cart.", field="product_id")
    whole_cart = None if cart_discount is None else clean_discount(cart_discount)
    why = clean_text(reason, "reason", "reason", max_length=audit.MAX_REASON, required=False)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "void sales")
        products = _products_of(session.connection(), clean)
        infos = [held_line_info(line, products[line.product_id]) for line in clean]
        priced = price_held_cart(infos, whole_cart, products, today_promotions(ctx, session))
        line = next(line for line in priced.lines if line.product_id == removed)
        info = next(info for info in infos if info.product_id == removed)
        detail: dict[str, object] = {
            "amount_cents": line.revenue_cents,
            "product_id": removed,
            "reason": why,
        }
        if 1 <= info.quantity <= audit.MAX_VOID_QUANTITY:
            detail["quantity"] = info.quantity
        audit.record_counted_void(session, ctx, acting.id, "line", detail)
        session.commit()
    return line.revenue_cents


def _clean_lines(lines: object) -> list[HeldLine]:
    checked = check_items(lines, "lines", "voided lines", max_items=audit.MAX_VOID_LINES)
    if not checked:
        raise ValidationError("The cart is empty; there is nothing to void.", field="lines")
    return [clean_line(line) for line in checked]


def _products_of(connection: Connection, lines: list[HeldLine]) -> dict[int, CartProduct]:
    products = cart_products(connection, (line.product_id for line in lines))
    if missing := [line.product_id for line in lines if line.product_id not in products]:
        raise ValidationError(f"Product {missing[0]} does not exist.", field="lines")
    for line in lines:
        check_unit(line, products[line.product_id].sold_by)
    return products


def _detail(
    infos: list[HeldLineInfo], amount: int, discount: int, reason: str
) -> dict[str, object]:
    detail: dict[str, object] = {
        "amount_cents": amount,
        "reason": reason,
        "lines": [
            {
                "product_id": info.product_id,
                "quantity": info.quantity,
                "unit_price_cents": info.unit_price_cents,
            }
            for info in infos
        ],
    }
    if discount:
        detail["discount_cents"] = discount
    items = sum(info.items for info in infos)
    if 1 <= items <= audit.MAX_VOID_QUANTITY:
        detail["quantity"] = items
    return detail


__all__ = ["void_cart", "void_line"]
