"""Shifts: one open shift per till, its float, and the drawer count at close.

A shift row's ``open_till_id`` equals its till while the shift is open and is NULL once closed;
the column is unique, so the database itself refuses a second open shift on the same till.
A shift's Z report is summed up by shift_figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from pos_app.db.models import Refund, Sale, Shift, User
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError, PermissionDeniedError
from pos_app.services.money import MAX_CENTS
from pos_app.services.paging import Page, PageRequest, check_page
from pos_app.services.roles import Role, UserInfo
from pos_app.services.shift_figures import ZReport, build_z_report, cash_figures
from pos_app.services.validation import check_id, check_int, clean_text

MAX_TILL_ID = 64  # the width of every till_id column

SHIFTS_PAGE = PageRequest(limit=50)
"""The newest 50 shifts: a few weeks of a shop's days."""


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    till_id: str
    opened_by_id: int
    opened_by_name: str
    opened_at: datetime
    float_cents: int
    closed_by_id: int | None
    closed_by_name: str | None
    closed_at: datetime | None
    counted_cents: int | None
    expected_cash_cents: int | None
    difference_cents: int | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class UnshiftedEntry:
    """A sale or refund stored with no shift (rung before shifts were required): on no Z report."""

    kind: str  # "sale" or "refund"
    id: int
    sale_id: int
    till_id: str
    created_at: datetime
    cashier_name: str
    total_cents: int


# Sales brought in by the legacy import never had shifts; they are not to be reconciled.
LEGACY_TILL = "legacy"

_Opener = aliased(User)
_Closer = aliased(User)


def _shift_query() -> Any:
    return (
        select(Shift, _Opener.first_name, _Opener.last_name, _Closer.first_name, _Closer.last_name)
        .join(_Opener, _Opener.id == Shift.opened_by)
        .outerjoin(_Closer, _Closer.id == Shift.closed_by)
    )


def _info(row: Any) -> ShiftInfo:
    shift, open_first, open_last, close_first, close_last = row
    closer = f"{close_first} {close_last}".strip() if close_first is not None else None
    return ShiftInfo(
        id=shift.id,
        till_id=shift.till_id,
        opened_by_id=shift.opened_by,
        opened_by_name=f"{open_first} {open_last}".strip(),
        opened_at=shift.opened_at,
        float_cents=shift.float_cents,
        closed_by_id=shift.closed_by,
        closed_by_name=closer,
        closed_at=shift.closed_at,
        counted_cents=shift.counted_cents,
        expected_cash_cents=shift.expected_cash_cents,
        difference_cents=shift.difference_cents,
    )


def _load(session: Session, shift_id: int) -> ShiftInfo:
    row = session.execute(
        _shift_query().where(Shift.id == shift_id).execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFoundError("No such shift.")
    return _info(row)


def open_shift_id(session: Session, till_id: str) -> int | None:
    """The id of the till's open shift; a shared lock keeps it open until the caller commits."""
    return session.scalar(
        select(Shift.id).where(Shift.open_till_id == till_id).with_for_update(read=True)
    )


def open_shift(ctx: ServiceContext, actor: UserSession, float_cents: int) -> ShiftInfo:
    """Start a shift on this till with the cash float counted into the drawer."""
    float_ = check_int(float_cents, "float_cents", "float", minimum=0, maximum=MAX_CENTS)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "open a shift")
        shift = Shift(
            till_id=ctx.till_id,
            open_till_id=ctx.till_id,
            opened_by=acting.id,
            opened_at=ctx.now(),
            float_cents=float_,
            void_count=0,
            void_cents=0,
        )
        session.add(shift)
        try:
            session.flush()
        except IntegrityError:
            raise ConflictError("This till already has an open shift; close it first.") from None
        audit.record(
            session,
            ctx,
            action=audit.SHIFT_OPEN,
            user_id=acting.id,
            subject=f"shift {shift.id}",
            detail={"shift_id": shift.id, "float_cents": float_},
        )
        info = _load(session, shift.id)
        session.commit()
        return info


def current_shift(ctx: ServiceContext, actor: UserSession) -> ShiftInfo | None:
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "see the shift")
        row = session.execute(_shift_query().where(Shift.open_till_id == ctx.till_id)).first()
        return _info(row) if row is not None else None


def close_shift(ctx: ServiceContext, actor: UserSession, counted_cents: int) -> ZReport:
    """Close this till's shift with the cash counted in the drawer; returns its Z report."""
    counted = check_int(
        counted_cents, "counted_cents", "counted cash", minimum=0, maximum=MAX_CENTS
    )
    now = ctx.now()
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "close a shift")
        shift = session.scalar(
            select(Shift).where(Shift.open_till_id == ctx.till_id).with_for_update()
        )
        if shift is None:
            raise ConflictError("No shift is open on this till.")
        _check_may_handle(acting, shift.opened_by, "close a shift someone else opened")
        closing = cast(
            CursorResult[Any],
            session.execute(
                update(Shift)
                .where(Shift.id == shift.id, Shift.open_till_id.is_not(None))
                .values(open_till_id=None, closed_by=acting.id, closed_at=now)
                .execution_options(synchronize_session=False)
            ),
        )
        if closing.rowcount != 1:
            raise ConflictError("This shift was closed at the same time on another screen.")
        expected = cash_figures(session, shift.id, shift.float_cents)["expected"]
        session.execute(
            update(Shift)
            .where(Shift.id == shift.id)
            .values(
                counted_cents=counted,
                expected_cash_cents=expected,
                difference_cents=counted - expected,
            )
            .execution_options(synchronize_session=False)
        )
        audit.record(
            session,
            ctx,
            action=audit.SHIFT_CLOSE,
            user_id=acting.id,
            subject=f"shift {shift.id}",
            detail={
                "shift_id": shift.id,
                "counted_cents": counted,
                "expected_cash_cents": expected,
                "difference_cents": counted - expected,
            },
        )
        report = build_z_report(session, _load(session, shift.id))
        session.commit()
        return report


def z_report(ctx: ServiceContext, actor: UserSession, shift_id: int) -> ZReport:
    """The figures of a shift: final once closed, up to now while it is open."""
    clean_id = check_id(shift_id, "shift_id", "shift")
    with ctx.unit_of_work(readonly=True) as session:
        acting = authorize(session, ctx, actor, Role.CASHIER, "see a Z report")
        opened_by = session.scalar(select(Shift.opened_by).where(Shift.id == clean_id))
        if opened_by is None:
            raise NotFoundError("No such shift.")
        _check_may_handle(acting, opened_by, "see the Z report of someone else's shift")
        return build_z_report(session, _load(session, clean_id))


def list_shifts(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    till_id: str | None = None,
    page: PageRequest = SHIFTS_PAGE,
) -> Page[ShiftInfo]:
    """Shifts newest first, to reopen past Z reports."""
    offset, limit = check_page(page)
    query = _shift_query()
    count = select(func.count()).select_from(Shift)
    if till_id is not None:
        till_id = clean_text(till_id, "till_id", "till", max_length=MAX_TILL_ID)
        query = query.where(Shift.till_id == till_id)
        count = count.where(Shift.till_id == till_id)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.MANAGER, "list shifts")
        total = session.scalar(count) or 0
        rows = session.execute(
            query.order_by(Shift.opened_at.desc(), Shift.id.desc()).offset(offset).limit(limit)
        ).all()
        return Page([_info(row) for row in rows], total, offset, limit)


def unshifted_entries(
    ctx: ServiceContext, actor: UserSession, *, page: PageRequest = SHIFTS_PAGE
) -> Page[UnshiftedEntry]:
    """Sales and refunds that belong to no shift, newest first, for the owner to reconcile.

    Nothing is rewritten: the list tells the owner which money is on no Z report.
    """
    offset, limit = check_page(page)
    name = User.first_name + " " + User.last_name
    sales = (
        select(
            literal("sale").label("kind"),
            Sale.id.label("id"),
            Sale.id.label("sale_id"),
            Sale.till_id,
            Sale.created_at,
            name.label("cashier"),
            Sale.total_cents,
        )
        .join(User, User.id == Sale.user_id)
        .where(Sale.shift_id.is_(None), Sale.till_id != LEGACY_TILL)
    )
    refunds = (
        select(
            literal("refund").label("kind"),
            Refund.id.label("id"),
            Refund.sale_id,
            Refund.till_id,
            Refund.created_at,
            name.label("cashier"),
            Refund.total_cents,
        )
        .join(User, User.id == Refund.user_id)
        .where(Refund.shift_id.is_(None))
    )
    both = union_all(sales, refunds).subquery()
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "see sales rung with no shift")
        total = session.scalar(select(func.count()).select_from(both)) or 0
        rows = session.execute(
            select(both)
            .order_by(both.c.created_at.desc(), both.c.kind, both.c.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        entries = [
            UnshiftedEntry(
                str(r.kind), r.id, r.sale_id, r.till_id, r.created_at, r.cashier, r.total_cents
            )
            for r in rows
        ]
        return Page(entries, total, offset, limit)


def _check_may_handle(actor: UserInfo, opened_by: int, action: str) -> None:
    if opened_by != actor.id and not actor.role.allows(Role.MANAGER):
        raise PermissionDeniedError(f"Only managers and owners can {action}.")


__all__ = [
    "ShiftInfo",
    "UnshiftedEntry",
    "close_shift",
    "current_shift",
    "list_shifts",
    "open_shift",
    "open_shift_id",
    "unshifted_entries",
    "z_report",
]
