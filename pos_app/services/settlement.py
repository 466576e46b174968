"""What a purchase adds once its lines are priced: tax, the till's shift, payments, overrides.

Called by ``checkout.purchase`` inside its transaction, so a sale, its payments and the audit
entries for overridden prices commit together or not at all. A purchase given no payments is
taken as paid in exact cash, the till's most common case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.db.models import Sale, SaleItem
from pos_app.services import audit
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.money import MAX_CENTS
from pos_app.services.payments import (
    CASH,
    PaymentIn,
    change_due,
    payments_of,
    record_payments,
    validate_payments,
)
from pos_app.services.receipts import receipt_number
from pos_app.services.roles import UserInfo
from pos_app.services.shifts import open_shift_id
from pos_app.services.tax import apply_sale_tax
from pos_app.services.validation import check_id, check_int

MAX_OVERRIDES = 500


@dataclass(frozen=True)
class Override:
    product_id: int
    product_name: str
    quantity: int
    list_price_cents: int
    price_cents: int


@dataclass(frozen=True)
class Settlement:
    shift_id: int | None
    tax_cents: int
    change_cents: int


def clean_overrides(raw: object) -> dict[int, int]:
    """Unit prices by product id, as typed by the cashier; checked before anything is written."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError("Price overrides map products to prices.", field="price_overrides")
    if len(raw) > MAX_OVERRIDES:
        raise ValidationError("Too many price overrides.", field="price_overrides")
    return {
        check_id(product_id, "price_overrides", "product"): check_int(
            price, "price_overrides", "price", minimum=0, maximum=MAX_CENTS
        )
        for product_id, price in raw.items()
    }


def check_overrides_in_cart(overrides: Mapping[int, int], cart: Sequence[int]) -> None:
    if stray := sorted(set(overrides) - set(cart)):
        raise ValidationError(
            f"Product {stray[0]} has a price override but is not in the cart.",
            field="price_overrides",
        )


def settle_sale(
    session: Session,
    ctx: ServiceContext,
    actor: UserInfo,
    sale: Sale,
    payments: Sequence[PaymentIn],
    overrides: Sequence[Override] = (),
) -> Settlement:
    """Tax the sale's lines, put it on the open shift, record its payments and overrides."""
    paid = list(payments) if payments else []
    if not paid and sale.total_cents > 0:
        paid = [PaymentIn(CASH, sale.total_cents)]
    lines = validate_payments(sale.total_cents, paid)
    sale.shift_id = open_shift_id(session, ctx.till_id)
    session.flush()
    tax = apply_sale_tax(session, sale.id)
    record_payments(session, sale.id, lines, sale.created_at)
    for override in overrides:
        if override.price_cents == override.list_price_cents:
            continue
        audit.record(
            session,
            ctx,
            action=audit.PRICE_OVERRIDE,
            user_id=actor.id,
            subject=override.product_name,
            detail={
                "sale_id": sale.id,
                "receipt": receipt_number(sale.id),
                "product_id": override.product_id,
                "quantity": override.quantity,
                "old_price_cents": override.list_price_cents,
                "new_price_cents": override.price_cents,
            },
        )
    return Settlement(sale.shift_id, tax, change_due(lines))


def settled_amounts(session: Session, sale_id: int) -> tuple[int, int]:
    """The tax contained in a stored sale and the change it gave."""
    tax = session.scalar(
        select(func.coalesce(func.sum(SaleItem.tax_cents), 0)).where(SaleItem.sale_id == sale_id)
    )
    return int(tax or 0), change_due(payments_of(session, [sale_id]).get(sale_id, []))


__all__ = [
    "Override",
    "Settlement",
    "check_overrides_in_cart",
    "clean_overrides",
    "settle_sale",
    "settled_amounts",
]
