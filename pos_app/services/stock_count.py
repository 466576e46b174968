"""A count at the shelf: set a product's stock to the figure counted, approved by a manager."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from pos_app.db.models import Inventory, StockMovement, User
from pos_app.services import audit
from pos_app.services.access import (
    STOCK_COUNT_APPROVAL,
    ApprovalToken,
    UserSession,
    approval_claims,
    authorize,
    check_approver,
)
from pos_app.services.catalog import MAX_STOCK
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from pos_app.services.inventory import MAX_NOTE, StockLevel, load_level
from pos_app.services.roles import Role, UserInfo
from pos_app.services.validation import check_id, check_int, clean_text


def count_stock(
    ctx: ServiceContext,
    actor: UserSession,
    product_id: int,
    counted: int,
    reason: str,
    *,
    approver: ApprovalToken | None = None,
) -> StockLevel:
    """Set the stock to what was counted on the shelf (an 'adjustment' movement of the difference).

    A manager or owner counts on their own; at a cashier's till ``approver`` is the manager or
    owner who approved the count there (an ``auth.approve`` token). The count, the figures before
    and after, the reason and the approver go into the audit log.
    """
    pid = check_id(product_id, "product_id", "product")
    figure = check_int(counted, "counted", "counted stock", minimum=0, maximum=MAX_STOCK)
    why = clean_text(reason, "reason", "reason", max_length=MAX_NOTE, required=True)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "count stock")
        approved_by: UserInfo | None = None
        if approver is not None:
            approver_id = approval_claims(ctx, approver, acting, STOCK_COUNT_APPROVAL)
            approved_by = check_approver(
                session.get(User, approver_id), acting, "a manager must approve the count"
            )
            if approved_by.id == acting.id:
                raise PermissionDeniedError("Another manager or the owner must approve the count.")
        elif not acting.role.allows(Role.MANAGER):
            raise PermissionDeniedError("A manager or the owner must approve a stock count.")
        before = session.scalar(
            select(Inventory.quantity).where(Inventory.product_id == pid).with_for_update()
        )
        if before is None:
            raise NotFoundError("No such product.", field="product_id")
        if figure != before:
            # A count that confirms the stock moves nothing; the audit entry still records it.
            _set_counted(ctx, session, pid, before, figure)
            note = f"Counted {figure} at till {ctx.till_id}: {why}"
            session.add(
                StockMovement(
                    product_id=pid,
                    quantity_change=figure - before,
                    reason="adjustment",
                    note=note[:MAX_NOTE],
                    user_id=acting.id,
                    created_at=ctx.now(),
                )
            )
        level = load_level(session, pid)
        audit.record(
            session,
            ctx,
            action=audit.STOCK_COUNTED,
            user_id=acting.id,
            subject=level.product_name,
            detail={
                "product_id": pid,
                "before": before,
                "counted": figure,
                "change": figure - before,
                "reason": why,
                "approved_by_id": approved_by.id if approved_by is not None else None,
                "approved_by": approved_by.full_name if approved_by is not None else None,
            },
        )
        session.commit()
        return level


def _set_counted(
    ctx: ServiceContext, session: Session, product_id: int, before: int, counted: int
) -> None:
    # Compare and set: the row is locked, and the figure it was counted against must still hold.
    result = cast(
        CursorResult[Any],
        session.execute(
            sql_update(Inventory)
            .where(Inventory.product_id == product_id, Inventory.quantity == before)
            .values(quantity=counted, updated_at=ctx.now())
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise ConflictError("The stock changed while it was counted; count it again.")
