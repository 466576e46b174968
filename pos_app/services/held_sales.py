"""Held sales: park a cart, serve the next customer, recall it later at any till.

A held cart keeps its changed prices and discounts, and the ids of whoever the till said approved
them. When the till parks the cart with the signed approval it holds for them (still valid), the
service checks it and records its approver; the recall then carries that approval over to whoever
recalls the cart, as a fresh signed approval, if the approver is still an active manager or owner.
Without one (none was needed or given, or it had run out), the sale of a recalled cart asks for
an approval again where it needs it.

A held cart is recalled exactly once, even when two tills press recall at the same moment: the
recall is a conditional UPDATE on ``recalled_at IS NULL`` and the row count decides. A line of a
product sold by weight holds its grams and, from a scale's price label, the label's price.

A held cart is listed at what it will cost once recalled (see
:mod:`pos_app.services.held_sale_pricing`); its lines are kept as JSON in its row (see
:mod:`pos_app.services.held_sale_json`).
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import HeldCart as HeldCartRow
from pos_app.db.models import Product, User
from pos_app.db.sale_state import cart_products
from pos_app.domain.approvals import can_approve
from pos_app.domain.discounts import Discount, make_discount
from pos_app.domain.promotions import Promotion
from pos_app.domain.weights import MAX_GRAMS
from pos_app.services import audit
from pos_app.services.access import (
    PRICE_APPROVAL,
    ApprovalToken,
    UserSession,
    approval_subject,
    authorize,
)
from pos_app.services.auth import signed_approval
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError, ValidationError
from pos_app.services.held_sale_json import (
    HeldLine,
    approved_by_of,
    discount_json,
    held_line_json,
    held_lines_of,
)
from pos_app.services.held_sale_pricing import (
    HeldLineInfo,
    held_line_info,
    price_held_cart,
    today_promotions,
)
from pos_app.services.money import MAX_CENTS
from pos_app.services.roles import Role, UserInfo
from pos_app.services.validation import check_id, check_int, clean_text

MAX_LINES = 500
MAX_QUANTITY = 10_000
MAX_LABEL = 100
MAX_LISTED = 200


@dataclass(frozen=True)
class HeldCart:
    """A parked cart; ``total_cents`` is what it costs once recalled (today's prices and
    promotions, its changed prices and discounts), ``saved_cents`` what that saves against the
    list prices."""

    id: int
    uuid: str
    till_id: str
    user_id: int
    cashier_name: str
    label: str
    created_at: datetime
    lines: list[HeldLineInfo]
    recalled_at: datetime | None = None
    recalled_till: str | None = None
    cart_discount: Discount | None = None
    # The approval of the cart's changed prices and discounts, carried over at recall.
    approval: ApprovalToken | None = None
    total_cents: int = 0
    saved_cents: int = 0


def hold_cart(
    ctx: ServiceContext,
    actor: UserSession,
    lines: Sequence[Any],
    label: str = "",
    *,
    hold_uuid: str | None = None,
    cart_discount: Discount | None = None,
    approval: ApprovalToken | None = None,
) -> HeldCart:
    """Park the cart. ``lines`` are HeldLine, or any line with product_id and quantity.

    Discounts (the lines' and ``cart_discount``) are kept as they were given. ``approval`` is
    the signed approval of the cart's changed prices and discounts, if the till holds one: when
    it is valid for ``actor``, its approver is recorded and the recall carries it over; an
    approval that ran out is not, and the sale asks again at Pay.
    """
    clean = [clean_line(line) for line in _sequence(lines)]
    whole_cart = None if cart_discount is None else clean_discount(cart_discount)
    clean_label = clean_text(label, "label", "label", max_length=MAX_LABEL, required=False)
    key = _clean_uuid(hold_uuid)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "hold sales")
        approved_by = approval_subject(ctx, approval, acting, PRICE_APPROVAL)
        rows = session.execute(
            select(Product.id, Product.sold_by).where(Product.id.in_(_ids(clean)))
        )
        known: dict[int, str] = {product_id: sold_by for product_id, sold_by in rows}
        if missing := [line.product_id for line in clean if line.product_id not in known]:
            raise ValidationError(f"Product {missing[0]} does not exist.", field="lines")
        for line in clean:
            check_unit(line, known[line.product_id])
        row = HeldCartRow(
            uuid=key,
            till_id=ctx.till_id,
            user_id=acting.id,
            label=clean_label,
            lines_json=json.dumps(
                {
                    "lines": [held_line_json(line) for line in clean],
                    "cart_discount": discount_json(whole_cart),
                    "approved_by": approved_by,
                }
            ),
            created_at=ctx.now(),
        )
        session.add(row)
        try:
            session.flush()
        except IntegrityError:
            session.rollback()
            existing = session.scalar(select(HeldCartRow.id).where(HeldCartRow.uuid == key))
            if existing is None:
                raise
            return _load(ctx, session, existing)
        info = _load(ctx, session, row.id)
        session.commit()
        return info


def list_held(ctx: ServiceContext, actor: UserSession) -> list[HeldCart]:
    """Carts held at any till and not yet recalled, oldest first."""
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "see held sales")
        ids = session.scalars(
            select(HeldCartRow.id)
            .where(HeldCartRow.recalled_at.is_(None))
            .order_by(HeldCartRow.created_at, HeldCartRow.id)
            .limit(MAX_LISTED)
        ).all()
        promotions = today_promotions(ctx, session)
        return [_load(ctx, session, held_id, promotions) for held_id in ids]


def recall(ctx: ServiceContext, actor: UserSession, held_id: int) -> HeldCart:
    """Take a held cart back into this till; a second recall anywhere is a ConflictError."""
    clean_id = check_id(held_id, "held_id", "held sale")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "recall held sales")
        result = cast(
            CursorResult[Any],
            session.execute(
                update(HeldCartRow)
                .where(HeldCartRow.id == clean_id, HeldCartRow.recalled_at.is_(None))
                .values(recalled_at=ctx.now(), recalled_by=acting.id, recalled_till=ctx.till_id)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            exists = session.scalar(select(HeldCartRow.id).where(HeldCartRow.id == clean_id))
            if exists is None:
                raise NotFoundError("No such held sale.")
            raise ConflictError("This held sale was already recalled.")
        info = _load(ctx, session, clean_id)
        approval = _carried_approval(ctx, session, acting, info)
        session.commit()
        return replace(info, approval=approval)


def _carried_approval(
    ctx: ServiceContext, session: Session, acting: UserInfo, held: HeldCart
) -> ApprovalToken | None:
    """The approval recorded when the cart was parked, signed again for whoever recalls it,
    if its approver is still an active manager or owner."""
    row = session.scalar(select(HeldCartRow.lines_json).where(HeldCartRow.id == held.id))
    approved_by = approved_by_of(row or "")
    if approved_by is None:
        return None
    approver = session.get(User, approved_by)
    if approver is None or not approver.is_active or not can_approve(Role(approver.role)):
        return None
    approval = signed_approval(ctx, approver, acting, PRICE_APPROVAL, ctx.now())
    audit.record(
        session,
        ctx,
        action=audit.APPROVAL,
        user_id=approver.id,
        subject=f"held sale #{held.id} recalled",
        detail={
            "approved": "changed prices and discounts of a recalled held sale",
            "action": PRICE_APPROVAL,
            "held_id": held.id,
            "for_user_id": acting.id,
            "for_user": acting.full_name,
            "approved_by": approval.approver.full_name,
        },
    )
    return approval


def _sequence(lines: object) -> Sequence[object]:
    if isinstance(lines, str | bytes) or not isinstance(lines, Sequence):
        raise ValidationError("The cart must be a list of lines.", field="lines")
    if not lines:
        raise ValidationError("The cart is empty; there is nothing to hold.", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"A cart can have at most {MAX_LINES} lines.", field="lines")
    return lines


def clean_line(line: object) -> HeldLine:
    if not hasattr(line, "product_id") or not hasattr(line, "quantity"):
        raise ValidationError("Each cart line needs a product and a quantity.", field="lines")
    override = getattr(line, "price_override_cents", None)
    label = getattr(line, "label_price_cents", None)
    discount = getattr(line, "discount", None)
    approver = getattr(line, "override_approver_id", None)
    return HeldLine(
        product_id=check_id(line.product_id, "product_id", "product"),
        quantity=check_int(line.quantity, "quantity", "quantity", minimum=1, maximum=MAX_GRAMS),
        price_override_cents=None
        if override is None
        else check_int(override, "price", "price", minimum=0, maximum=MAX_CENTS),
        discount=None if discount is None else clean_discount(discount),
        override_approver_id=None
        if override is None or approver is None
        else check_id(approver, "override_approver", "approver"),
        label_price_cents=None
        if label is None
        else check_int(label, "label_price", "label price", minimum=1, maximum=MAX_CENTS),
    )


def check_unit(line: HeldLine, sold_by: str) -> None:
    """Pieces up to MAX_QUANTITY; grams and a label's price only for a product sold by weight."""
    line = clean_line(line)  # a no-op for a line already cleaned; this is also called alone
    if sold_by == "weight":
        return
    if line.quantity > MAX_QUANTITY:
        raise ValidationError(
            f"The quantity must be between 1 and {MAX_QUANTITY:,}.", field="quantity"
        )
    if line.label_price_cents is not None:
        raise ValidationError("Only a weighed line has a scale label's price.", field="lines")


def clean_discount(raw: object) -> Discount:
    if not isinstance(raw, Discount):
        raise ValidationError("A discount needs a kind, a value and a reason.", field="discount")
    checked = make_discount(raw.kind, raw.value, raw.reason)
    if raw.approver_id is None:
        return checked
    return checked.approved_by(check_id(raw.approver_id, "discount_approver", "approver"))


def _clean_uuid(raw: object) -> str:
    if raw is None:
        return str(uuidlib.uuid4())
    if not isinstance(raw, str) or len(raw) > 64:
        raise ValidationError("The held sale id is not valid.", field="hold_uuid")
    try:
        return str(uuidlib.UUID(raw.strip()))
    except ValueError:
        raise ValidationError("The held sale id is not valid.", field="hold_uuid") from None


def _ids(lines: list[HeldLine]) -> list[int]:
    return sorted({line.product_id for line in lines})


def _load(
    ctx: ServiceContext,
    session: Session,
    held_id: int,
    promotions: Sequence[Promotion] | None = None,
) -> HeldCart:
    """The held cart priced with ``promotions`` (by default today's)."""
    row = session.execute(
        select(HeldCartRow, User.first_name, User.last_name)
        .join(User, User.id == HeldCartRow.user_id)
        .where(HeldCartRow.id == held_id)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFoundError("No such held sale.")
    held, first, last = row
    lines, cart_discount = held_lines_of(held.lines_json)
    products = cart_products(session.connection(), _ids(lines))
    infos = [
        held_line_info(line, products[line.product_id])
        for line in lines
        if line.product_id in products
    ]
    running = today_promotions(ctx, session) if promotions is None else promotions
    priced = price_held_cart(infos, cart_discount, products, running)
    return HeldCart(
        id=held.id,
        uuid=held.uuid,
        till_id=held.till_id,
        user_id=held.user_id,
        cashier_name=f"{first} {last}".strip(),
        label=held.label,
        created_at=held.created_at,
        lines=infos,
        recalled_at=held.recalled_at,
        recalled_till=held.recalled_till,
        cart_discount=cart_discount,
        total_cents=priced.total_cents,
        saved_cents=priced.saved_cents,
    )


__all__ = [
    "HeldCart",
    "hold_cart",
    "list_held",
    "recall",
]
