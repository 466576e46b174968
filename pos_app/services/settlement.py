"""What a purchase writes once its lines are priced: the sale on the till's shift, its taxed
lines and stock movements, payments, overrides and rollups.

Called by ``checkout.purchase`` inside its transaction, so a sale, its payments and the audit
entries for overridden prices commit together or not at all. A changed price needs a manager or
the owner: a cashier's sale names an active one as approver, and each entry records both. A
purchase given no payments is taken as paid in exact cash, the till's most common case.
:func:`add_sale_writes` adds what a sale whose lines, tax and total are known up front writes
to a statement batch (see :mod:`pos_app.db.sale_store`); who may approve what is
:mod:`pos_app.domain.approvals`' to say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from pos_app.db.rollup_store import RollupLine, add_lines_to_rollups
from pos_app.db.sale_store import NewSale, add_payments, add_sale, tax_of_sale
from pos_app.db.statement_batch import StatementBatch
from pos_app.domain.approvals import (
    DiscountLimits,
    Staff,
    discount_approver,
    price_approver,
    prices_need_approval,
)
from pos_app.domain.discounts import Discount, make_discount
from pos_app.domain.pricing import DiscountSource, PricedLine, priced_line
from pos_app.domain.tenders import PaymentLine
from pos_app.services import audit
from pos_app.services.access import APPROVAL_ENDED, PRICE_APPROVAL, ApprovalToken, approval_claims
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.money import MAX_CENTS
from pos_app.services.payments import (
    CASH,
    PaymentIn,
    change_due,
    payments_of,
    validate_payments,
)
from pos_app.services.receipts import receipt_number
from pos_app.services.roles import Role, UserInfo
from pos_app.services.validation import check_id, check_int

MAX_OVERRIDES = 500
_MANUAL = (DiscountSource.LINE, DiscountSource.CART)


@dataclass(frozen=True)
class Override:
    product_id: int
    product_name: str
    quantity: int
    list_price_cents: int
    price_cents: int


@dataclass(frozen=True)
class Approval:
    """The manager or owner who let the cart's changed prices through."""

    user_id: int
    name: str


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


def clean_line_discounts(raw: object, cart: Sequence[int]) -> dict[int, Discount]:
    """Each line's own discount by product id, checked; every product must be in the cart."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError("Line discounts map products to discounts.", field="line_discounts")
    if len(raw) > MAX_OVERRIDES:
        raise ValidationError("Too many line discounts.", field="line_discounts")
    cleaned = {
        check_id(product_id, "line_discounts", "product"): clean_discount(discount)
        for product_id, discount in raw.items()
    }
    if stray := sorted(set(cleaned) - set(cart)):
        raise ValidationError(
            f"Product {stray[0]} has a discount but is not in the cart.", field="line_discounts"
        )
    return cleaned


def clean_cart_discount(raw: object) -> Discount | None:
    return None if raw is None else clean_discount(raw)


def clean_discount(raw: object) -> Discount:
    """A discount as typed at the till, checked again: kind, value in range, a reason."""
    if not isinstance(raw, Discount):
        raise ValidationError("A discount needs a kind, a value and a reason.", field="discount")
    return make_discount(raw.kind, raw.value, raw.reason)


def clean_approver(raw: object) -> ApprovalToken | None:
    """An approval token from ``auth.approve``; anything else (a ``UserInfo``) proves nothing."""
    if raw is None:
        return None
    if not isinstance(raw, ApprovalToken):
        raise PermissionDeniedError(APPROVAL_ENDED, field="override_approver")
    return raw


def approve_overrides(
    ctx: ServiceContext,
    actor: UserInfo,
    approver: ApprovalToken | None,
    overrides: Mapping[int, int],
    list_prices: Mapping[int, int],
    stored: tuple[str, str] | None,
) -> Approval | None:
    """Who approves the cart's changed prices; None when no price differs from the list price.

    ``stored`` is the approver's role and name as the database has them (read in the sale's
    transaction), None when that account does not exist or has been deactivated. ``approver``
    must be signed for ``actor`` and still valid; the rules are the domain's.
    """
    if not prices_need_approval(overrides, list_prices):
        return None
    named = None
    if approver is not None:
        named = _staff(approval_claims(ctx, approver, actor, PRICE_APPROVAL), stored)
    approved_by = price_approver(
        Staff(actor.id, actor.role), named, overrides=overrides, list_prices=list_prices
    )
    return _approval(actor, approved_by, stored)


def approve_discounts(
    actor: UserInfo,
    approver_id: int | None,
    share_bp: int,
    stored: tuple[str, str] | None,
    limits: DiscountLimits,
) -> Approval | None:
    """Who approves the cart's manual discounts, the largest giving away ``share_bp``; None
    when there are none or the cashier's own limit covers them.

    ``approver_id`` comes from the sale's approval token (already checked: signed for this
    cashier, still valid); ``stored`` is that approver's role and name as the database has them
    now (None: the account is gone or deactivated), as for a changed price.
    """
    if share_bp <= 0:
        return None
    named = None if approver_id is None else _staff(approver_id, stored)
    approved_by = discount_approver(
        Staff(actor.id, actor.role), named, share_bp=share_bp, limits=limits
    )
    return _approval(actor, approved_by, stored)


def _staff(user_id: int, stored: tuple[str, str] | None) -> Staff:
    return Staff(user_id, None if stored is None else Role(stored[0]))


def _approval(
    actor: UserInfo, approved_by: int | None, stored: tuple[str, str] | None
) -> Approval | None:
    if approved_by is None:
        return None
    if approved_by == actor.id or stored is None:
        return Approval(actor.id, actor.full_name)
    return Approval(approved_by, stored[1].strip())


def _audit_overrides(
    session: Session,
    ctx: ServiceContext,
    actor: UserInfo,
    sale_id: int,
    overrides: Sequence[Override],
    approval: Approval | None,
) -> None:
    approved: dict[str, object] = {}
    if approval is not None:
        approved = {"approved_by_id": approval.user_id, "approved_by": approval.name}
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
                "sale_id": sale_id,
                "receipt": receipt_number(sale_id),
                "product_id": override.product_id,
                "quantity": override.quantity,
                "old_price_cents": override.list_price_cents,
                "new_price_cents": override.price_cents,
                **approved,
            },
        )


def _audit_discounts(
    session: Session,
    ctx: ServiceContext,
    actor: UserInfo,
    sale_id: int,
    sale: NewSale,
    approval: Approval | None,
) -> None:
    """One entry per manual discount: a line's own, or the cart's with its share per line."""
    approved: dict[str, object] = {}
    if approval is not None:
        approved = {"approved_by_id": approval.user_id, "approved_by": approval.name}
    receipt = {"sale_id": sale_id, "receipt": receipt_number(sale_id)}
    cart_total = 0
    cart_reason = ""
    for line in sale.lines:
        for discount in line.discounts:
            if discount.source is DiscountSource.LINE:
                audit.record(
                    session,
                    ctx,
                    action=audit.DISCOUNT,
                    user_id=actor.id,
                    subject=discount.name,
                    detail={
                        **receipt,
                        "product_id": line.product_id,
                        "quantity": line.quantity,
                        "amount_cents": discount.cents,
                        **approved,
                    },
                )
            elif discount.source is DiscountSource.CART:
                cart_total += discount.cents
                cart_reason = discount.name
    if cart_reason:
        audit.record(
            session,
            ctx,
            action=audit.DISCOUNT,
            user_id=actor.id,
            subject=cart_reason,
            detail={**receipt, "cart": True, "amount_cents": cart_total, **approved},
        )


def is_audited(overrides: Sequence[Override], sale: NewSale) -> bool:
    """Whether the sale has a changed price or a manual discount, each of which is audited."""
    return any(o.price_cents != o.list_price_cents for o in overrides) or any(
        discount.source in _MANUAL for line in sale.lines for discount in line.discounts
    )


def settled_amounts(session: Session, sale_id: int) -> tuple[int, int]:
    """The tax contained in a stored sale and the change it gave."""
    tax = tax_of_sale(session.connection(), sale_id)
    return tax, change_due(payments_of(session, [sale_id]).get(sale_id, []))


def sale_tenders(
    ctx: ServiceContext, sale: NewSale, payments: Sequence[PaymentIn]
) -> list[PaymentLine]:
    """The sale's payments checked against its total; none given is exact cash."""
    total = sale.total_cents
    paid = list(payments) if payments else []
    if not paid and total > 0:
        paid = [PaymentIn(CASH, total)]
    return validate_payments(total, paid, ctx.shop_format.currency)


def add_sale_writes(
    batch: StatementBatch,
    ctx: ServiceContext,
    actor: UserInfo,
    sale: NewSale,
    tenders: Sequence[PaymentLine],
) -> None:
    """Add what a priced sale writes: the sale row with its shift and total (the batch's new
    id), its lines with their tax and discounts, a 'sale' stock movement per line, the payments
    and the rollups; one statement per table."""
    add_sale(batch, sale, actor.id)
    add_payments(batch, tenders, sale.created_at)
    add_lines_to_rollups(
        batch,
        till_id=sale.till_id,
        created_at=sale.created_at,
        local_date=sale.local_date,
        timezone=ctx.timezone,
        lines=[
            RollupLine(
                line.product_id,
                line.category_id,
                line.quantity,
                line.revenue_cents,
                line.discount_cents,
                line.weighed,
            )
            for line in sale.lines
        ],
    )


def audit_sale(
    connection: Connection,
    ctx: ServiceContext,
    actor: UserInfo,
    sale_id: int,
    sale: NewSale,
    overrides: Sequence[Override] = (),
    *,
    approval: Approval | None = None,
    discount_approval: Approval | None = None,
) -> None:
    """Audit a written sale's changed prices (``approval`` names who approved them) and manual
    discounts (``discount_approval``), in the sale's transaction."""
    if not is_audited(overrides, sale):
        return
    # Audit entries are ORM rows: a session joins the sale's transaction to add them.
    with Session(connection) as session:
        _audit_overrides(session, ctx, actor, sale_id, overrides, approval)
        _audit_discounts(session, ctx, actor, sale_id, sale, discount_approval)
        session.flush()


def settlement_of(sale: NewSale, tenders: Sequence[PaymentLine]) -> Settlement:
    """What a written sale settled: its shift, the tax it contains and the change given."""
    tax = sum(line.tax_cents for line in sale.lines)
    return Settlement(sale.shift_id, tax, change_due(tenders))


__all__ = [
    "Approval",
    "NewSale",
    "Override",
    "PricedLine",
    "Settlement",
    "add_sale_writes",
    "approve_discounts",
    "approve_overrides",
    "audit_sale",
    "check_overrides_in_cart",
    "clean_approver",
    "clean_cart_discount",
    "clean_discount",
    "clean_line_discounts",
    "clean_overrides",
    "is_audited",
    "priced_line",
    "sale_tenders",
    "settled_amounts",
    "settlement_of",
]
