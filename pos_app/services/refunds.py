"""Refunds against a receipt: a reversing entry, never an edit or a deletion of the sale.

Each line raises ``sale_items.refunded_quantity`` with one conditional UPDATE, so no two tills can
return more of a line than was sold (the SQL is :mod:`pos_app.db.refund_store`'s). A line gives
back what the customer paid for it and the card at most what it paid (see
:mod:`pos_app.domain.refunds`); the stock comes back with a 'refund' movement. Refunds above the
shop's threshold need a manager's (or owner's) approval (see :mod:`pos_app.domain.approvals`).
Every refund keeps the reason the cashier gave; its slip and its audit entry show it.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db import refund_store
from pos_app.db.models import TENDERS
from pos_app.db.refund_store import NewRefund, ReceiptLine, ReturnedLine
from pos_app.domain.approvals import Staff, refund_approver
from pos_app.domain.refunds import (
    check_card_refund,
    check_reason,
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

    item: ReceiptLine
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
    reason: str,
    refund_uuid: str,
    approver: ApprovalToken | None = None,
    tender: str = "cash",
) -> RefundInfo:
    """Return ``(sale_item_id, quantity)`` lines of a sale for ``reason`` (why they came back);
    a retried uuid returns the first.

    Over the threshold a cashier needs ``approver``: an ``auth.approve`` token of a manager."""
    clean_sale = check_id(sale_id, "sale_id", "receipt")
    clean_reason = check_reason(reason)
    key = _clean_uuid(refund_uuid)
    if tender not in TENDERS:
        raise ValidationError("Refund in cash or to the card.", field="tender")
    quantities = _merge(lines)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "refund sales")
        found = refund_store.lock_sale(session.connection(), clean_sale)
        # Looked up once the receipt is locked, so a till that sent the same refund while this
        # one waited for the lock has its refund seen here.
        stored = _stored(session, key, clean_sale)
        if stored is not None:
            return stored
        if not found:
            raise NotFoundError(f"There is no receipt {receipt_number(clean_sale)}.")
        wanted = _load_lines(session, clean_sale, quantities)
        total = sum(line.amount_cents for line in wanted)
        approved_by = _approval(ctx, session, acting, approver, total)
        if tender == CARD:
            paid, returned = refund_store.card_paid_and_refunded(session.connection(), clean_sale)
            check_card_refund(total, paid, returned, ctx.shop_format)
        try:
            slip = _Slip(key, tender, clean_reason, approved_by)
            info = _write(ctx, session, acting, clean_sale, slip, wanted)
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
        raise ValidationError(f"A refund can have at most {MAX_LINES:,} lines.", field="lines")
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
    found = refund_store.refund_by_uuid(session.connection(), key)
    if found is None:
        return None
    if found[1] != sale_id:
        raise ConflictError("This refund id was already used for another receipt.")
    return next(info for info in refunds_of(session, [sale_id])[sale_id] if info.uuid == key)


def _refund_stored(session: Session, key: str) -> bool:
    return refund_store.refund_by_uuid(session.connection(), key) is not None


def _load_lines(session: Session, sale_id: int, quantities: dict[int, int]) -> list[_Wanted]:
    lines = refund_store.receipt_lines(session.connection(), sale_id, quantities)
    if len(lines) != len(quantities):
        raise ValidationError(
            f"A chosen line is not on receipt {receipt_number(sale_id)}.", field="lines"
        )
    return [
        _Wanted(line, line.name, quantities[line.id], line.refunded_quantity, line.sold_by)
        for line in lines
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
        role = refund_store.active_role(session.connection(), approver_id)
        named = Staff(approver_id, None if role is None else Role(role))
    return refund_approver(
        Staff(actor.id, actor.role),
        named,
        total_cents=total,
        threshold_cents=ctx.refund_approval_cents,
        shop=ctx.shop_format,
    )


@dataclass(frozen=True)
class _Slip:
    """What a refund records besides its lines."""

    key: str
    tender: str
    reason: str
    approved_by: int | None


def _write(
    ctx: ServiceContext,
    session: Session,
    actor: UserInfo,
    sale_id: int,
    slip: _Slip,
    wanted: list[_Wanted],
) -> RefundInfo:
    now = ctx.now()
    wanted = [_take_back(session, line, ctx.locale) for line in wanted]
    connection = session.connection()
    # Stock rows in product id order, as purchases take them: refunds and sales of the same
    # products, whatever the order of the receipts' lines, never wait for each other in a ring.
    for line in sorted(wanted, key=lambda wanted_line: wanted_line.item.product_id):
        refund_store.restock(connection, line.item.product_id, line.quantity, now)
    refund = NewRefund(
        uuid=slip.key,
        sale_id=sale_id,
        user_id=actor.id,
        approved_by_id=slip.approved_by,
        till_id=ctx.till_id,
        shift_id=_open_shift(session, ctx.till_id),
        tender=slip.tender,
        reason=slip.reason,
        created_at=now,
        local_date=ctx.local_date(now),
        lines=[
            ReturnedLine(
                line.item.id, line.item.product_id, line.quantity, line.amount_cents, line.tax_cents
            )
            for line in wanted
        ],
        note=f"Refund {receipt_number(sale_id)}",
    )
    refund_store.insert_refund(connection, refund)
    audit.record(
        session,
        ctx,
        action=audit.REFUND,
        user_id=actor.id,
        subject=receipt_number(sale_id),
        detail={
            "sale_id": sale_id,
            "refund_uuid": slip.key,
            "total_cents": refund.total_cents,
            "tender": slip.tender,
            "reason": slip.reason,
            "approved_by_id": slip.approved_by,
            "lines": [[line.item.id, line.quantity] for line in wanted],
        },
    )
    session.flush()
    return next(info for info in refunds_of(session, [sale_id])[sale_id] if info.uuid == slip.key)


def _open_shift(session: Session, till_id: str) -> int:
    shift_id = open_shift_id(session, till_id)
    if shift_id is None:
        raise NoOpenShiftError(NO_SHIFT_TO_REFUND)
    return shift_id


def _take_back(session: Session, line: _Wanted, locale: str) -> _Wanted:
    """Raise the line's refunded quantity in one conditional UPDATE; a weighed line learns
    how much of it had gone back before, under the row's lock, for its exact share."""
    connection = session.connection()
    if refund_store.take_back(connection, line.item.id, line.quantity):
        if line.sold_by != "weight":
            return line
        after = refund_store.refunded_so_far(connection, line.item.id)
        return replace(line, refunded_before=after - line.quantity)
    sold, returned = refund_store.sold_and_returned(connection, line.item.id)
    check_returnable(line.name, sold, returned, line.quantity, line.sold_by, locale)
    raise ConflictError(f"{line.name} cannot be returned any more.", field="lines")


def sale_refunds(ctx: ServiceContext, actor: UserSession, sale_id: int) -> list[RefundInfo]:
    clean_sale = check_id(sale_id, "sale_id", "receipt")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up refunds")
        return refunds_of(session, [clean_sale]).get(clean_sale, [])


__all__ = ["MAX_QUANTITY", "new_refund_uuid", "refund", "sale_refunds"]
