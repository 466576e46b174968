"""Finding receipts: the receipts of one shop day, or the one with a number, each summed up with
what has been paid back against it so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.db.models import Refund, Sale, User
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.receipts import full_name, parse_receipt_number, receipt_number
from pos_app.services.roles import Role

MAX_FOUND = 200
_DAY = date


@dataclass(frozen=True)
class ReceiptSummary:
    number: str
    sale_id: int
    created_at: datetime
    local_time: datetime
    till_id: str
    cashier_name: str
    total_cents: int
    refunded_cents: int = 0


def find_receipts(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    date: date | None = None,
    number: str | int | None = None,
    limit: int = 100,
) -> list[ReceiptSummary]:
    """Receipts of one shop day, or the one with a number; newest first (latest when neither)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_FOUND:
        raise ValidationError(f"Show between 1 and {MAX_FOUND} receipts.", field="limit")
    query: Any = select(Sale, User.first_name, User.last_name).join(User, User.id == Sale.user_id)
    if number is not None:
        query = query.where(Sale.id == parse_receipt_number(number))
    if date is not None:
        if isinstance(date, datetime) or not isinstance(date, _DAY):
            raise ValidationError("Choose a date.", field="date")
        query = query.where(Sale.local_date == date)
    query = query.order_by(Sale.created_at.desc(), Sale.id.desc()).limit(limit)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up receipts")
        found = session.execute(query).all()
        refunded = _refunded(session, [sale.id for sale, _first, _last in found])
        return [
            ReceiptSummary(
                number=receipt_number(sale.id),
                sale_id=sale.id,
                created_at=sale.created_at,
                local_time=sale.created_at.astimezone(ctx.timezone),
                till_id=sale.till_id,
                cashier_name=full_name(first, last),
                total_cents=sale.total_cents,
                refunded_cents=refunded.get(sale.id, 0),
            )
            for sale, first, last in found
        ]


def _refunded(session: Session, sale_ids: Sequence[int]) -> dict[int, int]:
    """How much of each sale has been paid back so far."""
    if not sale_ids:
        return {}
    rows = session.execute(
        select(Refund.sale_id, func.sum(Refund.total_cents))
        .where(Refund.sale_id.in_(sale_ids))
        .group_by(Refund.sale_id)
    )
    return {sale_id: int(total) for sale_id, total in rows}


__all__ = ["ReceiptSummary", "find_receipts"]
