"""The cash drawer: every opening is written to the audit log and counted on the Z report.

The drawer opens after a sale or refund with cash in it (``record_opening``) and, without a
sale, only for a manager or the owner who gives a reason (``no_sale``). The printer's kick pulse
itself is the hardware's business; these calls only record that the till asked for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import AuditEntry, Shift, User
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, ValidationError
from pos_app.services.roles import Role
from pos_app.services.validation import clean_text

SALE = "sale"
REFUND = "refund"
CAUSES = (SALE, REFUND)
MAX_REASON = 200
MIN_REASON = 3
MAX_REFERENCE = 32


@dataclass(frozen=True)
class NoSale:
    at: datetime
    user_name: str
    reason: str


@dataclass(frozen=True)
class DrawerOpenings:
    count: int
    no_sales: tuple[NoSale, ...]


def record_opening(ctx: ServiceContext, actor: UserSession, cause: str, reference: str) -> None:
    """The drawer opened for a sale or refund (``reference``: its receipt or refund number)."""
    if cause not in CAUSES:
        raise ValidationError("The drawer opens for a sale or a refund.", field="cause")
    number = clean_text(reference, "reference", "reference", max_length=MAX_REFERENCE)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "open the cash drawer")
        shift_id = _open_shift(session, ctx.till_id)
        audit.record(
            session,
            ctx,
            action=audit.DRAWER_OPEN,
            user_id=acting.id,
            subject=_subject(shift_id),
            detail={"cause": cause, "reference": number, "shift_id": shift_id},
        )
        session.commit()


def no_sale(ctx: ServiceContext, actor: UserSession, reason: str) -> NoSale:
    """Open the drawer without a sale: managers and owners only, with a reason, on a shift."""
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "open the drawer without a sale")
        text = clean_text(reason, "reason", "reason", max_length=MAX_REASON, required=False)
        if len(text) < MIN_REASON:
            raise ValidationError(
                "Say why the drawer is opened (change for a note, say).", field="reason"
            )
        shift_id = _open_shift(session, ctx.till_id)
        if shift_id is None:
            raise ConflictError("No shift is open on this till; open one before a no sale.")
        audit.record(
            session,
            ctx,
            action=audit.NO_SALE,
            user_id=acting.id,
            subject=_subject(shift_id),
            detail={"reason": text, "shift_id": shift_id},
        )
        session.commit()
        return NoSale(at=ctx.now(), user_name=acting.full_name, reason=text)


def openings_of_shift(session: Session, shift_id: int) -> DrawerOpenings:
    """The drawer openings recorded while shift ``shift_id`` was open."""
    query = (
        select(AuditEntry, User.first_name, User.last_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(
            AuditEntry.action.in_((audit.DRAWER_OPEN, audit.NO_SALE)),
            AuditEntry.subject == _subject(shift_id),
        )
        .order_by(AuditEntry.created_at, AuditEntry.id)
    )
    count = 0
    no_sales: list[NoSale] = []
    for entry, first, last in session.execute(query):
        count += 1
        if entry.action == audit.NO_SALE:
            name = f"{first or ''} {last or ''}".strip()
            no_sales.append(NoSale(at=entry.created_at, user_name=name, reason=_reason(entry)))
    return DrawerOpenings(count, tuple(no_sales))


def _reason(entry: AuditEntry) -> str:
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        return ""
    return str(detail.get("reason", "")) if isinstance(detail, dict) else ""


def _subject(shift_id: int | None) -> str:
    """Openings are filed under their shift, so the Z report finds exactly its own."""
    return f"shift {shift_id}" if shift_id is not None else "no shift"


def _open_shift(session: Session, till_id: str) -> int | None:
    return session.scalar(select(Shift.id).where(Shift.open_till_id == till_id))


__all__ = [
    "CAUSES",
    "REFUND",
    "SALE",
    "DrawerOpenings",
    "NoSale",
    "no_sale",
    "openings_of_shift",
    "record_opening",
]
