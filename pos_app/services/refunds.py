"""Refunds against a receipt: a reversing entry, never an edit or a deletion of the sale.

Each line raises ``sale_items.refunded_quantity`` with one conditional UPDATE, so no two tills can
return more of a line than was sold. A line's refund is its unit price times the quantity, with the
tax recomputed on that amount and rounded as on a sale. The stock comes back with a 'refund'
movement. Refunds above the shop's threshold need a manager's (or owner's) approval.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import (
    TENDERS,
    Inventory,
    Payment,
    Product,
    Refund,
    RefundItem,
    Sale,
    SaleItem,
    StockMovement,
    User,
)
from pos_app.domain.approvals import Staff, refund_approver
from pos_app.domain.refunds import (
    check_card_refund,
    check_returnable,
    paid_for,
    weighed_refund_line,
)
from pos_app.domain.weights import MAX_GRAMS
from pos_app.services import audit
from pos_app.services.access import (
    REFUND_APPROVAL,
    ApprovalToken,
    UserSession,
    approval_claims,
    authorize,
)
from pos_app.services.context import ServiceContext, retry_when_busy
from pos_app.services.errors import (
    ConflictError,
    NoOpenShiftError,
    NotFoundError,
    ValidationError,
)
from pos_app.services.payments import CARD
from pos_app.services.receipts import RefundInfo, receipt_number, refunds_of
from pos_app.services.roles import Role, UserInfo
from pos_app.services.shifts import open_shift_id
from pos_app.services.tax import tax_contained
from pos_app.services.validation import check_id

MAX_LINES = 500
MAX_QUANTITY = 10_000
"""The most pieces of one line a refund takes back; of a weighed line, grams up to MAX_GRAMS."""
NO_SHIFT_TO_REFUND = "Open a shift on this till before refunding."


@dataclass(frozen=True)
class _Wanted:
    """A quantity of a receipt line going back; a weighed line's ``quantity`` is grams, and
    ``refunded_before`` the grams of it returned before this refund."""

    item: SaleItem
    name: str
    quantity: int
    refunded_before: int
    sold_by: str = "piece"

    @property
    def amount_cents(self) -> int:
        """What the customer paid for these units (a weighed line: grams), after the line's
        promotion and discounts."""
        item = self.item
        # More than is left is refused when the line is written; until then count what is left.
        taking = min(self.quantity, max(item.quantity - self.refunded_before, 0))
        if self.sold_by == "weight":
            return weighed_refund_line(
                item.id,
                item.product_id,
                item.revenue_cents,
                item.tax_rate_bp,
                item.quantity,
                self.refunded_before,
                taking,
            ).amount_cents
        return paid_for(item.revenue_cents, item.quantity, self.refunded_before, taking)

    @property
    def tax_cents(self) -> int:
        return tax_contained(self.amount_cents, self.item.tax_rate_bp)


def new_refund_uuid() -> str:
    return str(uuidlib.uuid4())


@retry_when_busy
def refund(
    ctx: ServiceContext,
    actor: UserSession,
    sale_id: int,
    lines: Sequence[tuple[int, int]],
    *,
    refund_uuid: str,
    approver: ApprovalToken | None = None,
    tender: str = "cash",
) -> RefundInfo:
    """Return ``(sale_item_id, quantity)`` lines of a sale; a retried uuid returns the first.

    Over the threshold a cashier needs ``approver``: an ``auth.approve`` token of a manager."""
    clean_sale = check_id(sale_id, "sale_id", "receipt")
    key = _clean_uuid(refund_uuid)
    if tender not in TENDERS:
        raise ValidationError("Refund in cash or to the card.", field="tender")
    quantities = _merge(lines)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "refund sales")
        sale = session.scalar(select(Sale).where(Sale.id == clean_sale).with_for_update())
        # Looked up once the receipt is locked, so a till that sent the same refund while this
        # one waited for the lock has its refund seen here.
        stored = _stored(session, key, clean_sale)
        if stored is not None:
            return stored
        if sale is None:
            raise NotFoundError(f"There is no receipt {receipt_number(clean_sale)}.")
        wanted = _load_lines(session, sale, quantities)
        total = sum(line.amount_cents for line in wanted)
        approved_by = _approval(ctx, session, acting, approver, total)
        if tender == CARD:
            _check_card(ctx, session, sale.id, total)
        try:
            info = _write(ctx, session, acting, sale, key, tender, wanted, approved_by)
        except (IntegrityError, ConflictError):
            # Nothing left to return may mean this very refund was committed by another till.
            session.rollback()
            stored = _stored(session, key, clean_sale)
            if stored is None:
                raise
            return stored
        ctx.commit(session, stored=lambda fresh: _refund_stored(fresh, key))
        return info


def _clean_uuid(raw: object) -> str:
    if not isinstance(raw, str) or len(raw) > 64:
        raise ValidationError("The refund id is not valid.", field="refund_uuid")
    try:
        return str(uuidlib.UUID(raw.strip()))
    except ValueError:
        raise ValidationError("The refund id is not valid.", field="refund_uuid") from None


def _merge(lines: object) -> dict[int, int]:
    if isinstance(lines, str | bytes) or not isinstance(lines, Sequence):
        raise ValidationError("Choose the lines to refund.", field="lines")
    if not lines:
        raise ValidationError("Choose at least one line to refund.", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"A refund can have at most {MAX_LINES} lines.", field="lines")
    merged: dict[int, int] = {}
    for line in lines:
        if not isinstance(line, tuple | list) or len(line) != 2:
            raise ValidationError("Each refund line needs a line and a quantity.", field="lines")
        item_id = check_id(line[0], "lines", "receipt line")
        quantity = line[1]
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ValidationError("The quantity must be a whole number.", field="quantity")
        if not 1 <= quantity <= MAX_GRAMS:
            raise ValidationError(
                f"The quantity must be from 1 to {MAX_GRAMS:,}.", field="quantity"
            )
        merged[item_id] = merged.get(item_id, 0) + quantity
    return merged


def _stored(session: Session, key: str, sale_id: int) -> RefundInfo | None:
    found = session.scalar(select(Refund.sale_id).where(Refund.uuid == key))
    if found is None:
        return None
    if found != sale_id:
        raise ConflictError("This refund id was already used for another receipt.")
    return next(info for info in refunds_of(session, [sale_id])[sale_id] if info.uuid == key)


def _refund_stored(session: Session, key: str) -> bool:
    return session.scalar(select(Refund.id).where(Refund.uuid == key)) is not None


def _load_lines(session: Session, sale: Sale, quantities: dict[int, int]) -> list[_Wanted]:
    rows = session.execute(
        select(SaleItem, Product.name, Product.sold_by)
        .join(Product, Product.id == SaleItem.product_id)
        .where(SaleItem.sale_id == sale.id, SaleItem.id.in_(sorted(quantities)))
        .order_by(SaleItem.id)
    ).all()
    if len(rows) != len(quantities):
        raise ValidationError(
            f"A chosen line is not on receipt {receipt_number(sale.id)}.", field="lines"
        )
    return [
        _Wanted(item, name, quantities[item.id], item.refunded_quantity, sold_by)
        for item, name, sold_by in rows
    ]


def _approval(
    ctx: ServiceContext,
    session: Session,
    actor: UserInfo,
    approver: ApprovalToken | None,
    total: int,
) -> int | None:
    named = None
    if approver is not None:
        approver_id = approval_claims(ctx, approver, actor, REFUND_APPROVAL)
        stored = session.get(User, approver_id)
        active = stored is not None and stored.is_active
        named = Staff(approver_id, Role(stored.role) if stored is not None and active else None)
    return refund_approver(
        Staff(actor.id, actor.role),
        named,
        total_cents=total,
        threshold_cents=ctx.refund_approval_cents,
        shop=ctx.shop_format,
    )


def _check_card(ctx: ServiceContext, session: Session, sale_id: int, total: int) -> None:
    paid = session.scalar(
        select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
            Payment.sale_id == sale_id, Payment.tender == CARD
        )
    )
    returned = session.scalar(
        select(func.coalesce(func.sum(Refund.total_cents), 0)).where(
            Refund.sale_id == sale_id, Refund.tender == CARD
        )
    )
    check_card_refund(total, int(paid or 0), int(returned or 0), ctx.shop_format)


def _write(
    ctx: ServiceContext,
    session: Session,
    actor: UserInfo,
    sale: Sale,
    key: str,
    tender: str,
    wanted: list[_Wanted],
    approved_by: int | None,
) -> RefundInfo:
    now = ctx.now()
    wanted = [_take_back(session, line) for line in wanted]
    # Stock rows in product id order, as purchases take them: refunds and sales of the same
    # products, whatever the order of the receipts' lines, never wait for each other in a ring.
    for line in sorted(wanted, key=lambda wanted_line: wanted_line.item.product_id):
        _restock(session, line.item.product_id, line.quantity, now)
    record = Refund(
        uuid=key,
        sale_id=sale.id,
        user_id=actor.id,
        approved_by_id=approved_by,
        till_id=ctx.till_id,
        shift_id=_open_shift(session, ctx.till_id),
        tender=tender,
        created_at=now,
        local_date=ctx.local_date(now),
        total_cents=sum(line.amount_cents for line in wanted),
        tax_cents=sum(line.tax_cents for line in wanted),
    )
    session.add(record)
    session.flush()
    note = f"Refund {receipt_number(sale.id)}"
    for line in wanted:
        session.add(
            RefundItem(
                refund_id=record.id,
                sale_item_id=line.item.id,
                product_id=line.item.product_id,
                quantity=line.quantity,
                amount_cents=line.amount_cents,
                tax_cents=line.tax_cents,
            )
        )
        session.add(
            StockMovement(
                product_id=line.item.product_id,
                quantity_change=line.quantity,
                reason="refund",
                note=note,
                user_id=actor.id,
                sale_id=sale.id,
                created_at=now,
            )
        )
    audit.record(
        session,
        ctx,
        action=audit.REFUND,
        user_id=actor.id,
        subject=receipt_number(sale.id),
        detail={
            "sale_id": sale.id,
            "refund_uuid": key,
            "total_cents": record.total_cents,
            "tender": tender,
            "approved_by_id": approved_by,
            "lines": [[line.item.id, line.quantity] for line in wanted],
        },
    )
    session.flush()
    return next(info for info in refunds_of(session, [sale.id])[sale.id] if info.uuid == key)


def _open_shift(session: Session, till_id: str) -> int:
    shift_id = open_shift_id(session, till_id)
    if shift_id is None:
        raise NoOpenShiftError(NO_SHIFT_TO_REFUND)
    return shift_id


def _take_back(session: Session, line: _Wanted) -> _Wanted:
    """Raise the line's refunded quantity in one conditional UPDATE; a weighed line learns
    how much of it had gone back before, under the row's lock, for its exact share."""
    result = cast(
        CursorResult[Any],
        session.execute(
            # By primary key only (the line was loaded from this sale): a condition on the sale
            # lets MariaDB lock through the sale index, whose gap blocks new sales' lines.
            update(SaleItem)
            .where(
                SaleItem.id == line.item.id,
                SaleItem.refunded_quantity + line.quantity <= SaleItem.quantity,
            )
            .values(refunded_quantity=SaleItem.refunded_quantity + line.quantity)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount == 1:
        if line.sold_by != "weight":
            return line
        after = session.scalar(
            select(SaleItem.refunded_quantity).where(SaleItem.id == line.item.id)
        )
        return replace(line, refunded_before=int(after or 0) - line.quantity)
    sold, returned = session.execute(
        select(SaleItem.quantity, SaleItem.refunded_quantity)
        .where(SaleItem.id == line.item.id)
        .with_for_update()
    ).one()
    check_returnable(line.name, sold, returned, line.quantity, line.sold_by)
    raise ConflictError(f"{line.name} cannot be returned any more.", field="lines")


def _restock(session: Session, product_id: int, quantity: int, now: datetime) -> None:
    result = cast(
        CursorResult[Any],
        session.execute(
            update(Inventory)
            .where(Inventory.product_id == product_id)
            .values(quantity=Inventory.quantity + quantity, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount == 0:
        session.add(Inventory(product_id=product_id, quantity=quantity, updated_at=now))


def sale_refunds(ctx: ServiceContext, actor: UserSession, sale_id: int) -> list[RefundInfo]:
    clean_sale = check_id(sale_id, "sale_id", "receipt")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up refunds")
        return refunds_of(session, [clean_sale]).get(clean_sale, [])


__all__ = ["MAX_QUANTITY", "new_refund_uuid", "refund", "sale_refunds"]
