"""The audit log: who did what at which till. Rows are appended, never changed or removed.

``record`` writes an entry inside the caller's transaction, so the entry and the change it
describes commit together or not at all; there is no way to write an entry for whoever a caller
names. Voids are recorded here as well and counted on the till's open shift.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, func, insert, select, update

from pos_app.db.tables import audit_log, shifts, users
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext, Transaction
from pos_app.services.errors import ValidationError
from pos_app.services.paging import FIRST_PAGE, Page, PageRequest, check_page
from pos_app.services.roles import Role
from pos_app.services.validation import check_id

LOGIN = "login"
LOGIN_FAILED = "login_failed"
VOID_LINE = "void_line"
VOID_CART = "void_cart"
PRICE_OVERRIDE = "price_override"
REFUND = "refund"
SHIFT_OPEN = "shift_open"
SHIFT_CLOSE = "shift_close"
USER_CREATED = "user_created"
ROLE_CHANGED = "role_changed"
USER_ACTIVE_CHANGED = "user_active_changed"
PASSWORD_RESET = "password_reset"
TAX_RATE_CHANGED = "tax_rate_changed"
STOCK_COUNTED = "stock_counted"
STOCK_CHANGED = "stock_changed"
CATEGORY_CREATED = "category_created"
CATEGORY_CHANGED = "category_changed"
PRODUCT_CREATED = "product_created"
PRODUCT_CHANGED = "product_changed"
CSV_IMPORT = "csv_import"
LOGOUT = "logout"
APPROVAL = "approval"
DRAWER_OPEN = "drawer_open"
NO_SALE = "no_sale"
DISCOUNT = "discount"
PROMOTION_CREATED = "promotion_created"
PROMOTION_CHANGED = "promotion_changed"
PROMOTION_ENDED = "promotion_ended"
ACTIONS = (
    LOGIN,
    LOGIN_FAILED,
    VOID_LINE,
    VOID_CART,
    PRICE_OVERRIDE,
    REFUND,
    SHIFT_OPEN,
    SHIFT_CLOSE,
    USER_CREATED,
    ROLE_CHANGED,
    USER_ACTIVE_CHANGED,
    PASSWORD_RESET,
    TAX_RATE_CHANGED,
    STOCK_COUNTED,
    STOCK_CHANGED,
    CATEGORY_CREATED,
    CATEGORY_CHANGED,
    PRODUCT_CREATED,
    PRODUCT_CHANGED,
    CSV_IMPORT,
    LOGOUT,
    APPROVAL,
    DRAWER_OPEN,
    NO_SALE,
    DISCOUNT,
    PROMOTION_CREATED,
    PROMOTION_CHANGED,
    PROMOTION_ENDED,
)
MAX_VOID_LINES = 500
MAX_SUBJECT = 255
MAX_REASON = 200
MAX_VOID_QUANTITY = 10_000


@dataclass(frozen=True)
class AuditEvent:
    id: int
    created_at: datetime
    user_id: int | None
    user_name: str | None
    till_id: str
    action: str
    subject: str
    detail: dict[str, Any]


def record(
    session: Transaction,
    ctx: ServiceContext,
    *,
    action: str,
    user_id: int | None,
    subject: str = "",
    detail: Mapping[str, object] | None = None,
) -> None:
    """Add an entry to the caller's transaction; it commits with the caller's change."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.execute(
        insert(audit_log).values(
            created_at=ctx.now(),
            user_id=user_id,
            till_id=ctx.till_id,
            action=action,
            subject=subject[:MAX_SUBJECT],
            detail=json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False, default=str),
        )
    )


def changes(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, object]:
    """``{"field": [old, new]}`` for every field whose value differs (an edit's before/after)."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def record_counted_void(
    session: Transaction, ctx: ServiceContext, user_id: int, kind: str, detail: dict[str, object]
) -> None:
    """Log a void whose ``detail["amount_cents"]`` is checked, and count it on the till's open
    shift, in the caller's transaction."""
    action = VOID_LINE if kind == "line" else VOID_CART
    amount = detail["amount_cents"]
    record(session, ctx, action=action, user_id=user_id, subject=kind, detail=detail)
    session.execute(
        update(shifts)
        .where(shifts.c.open_till_id == ctx.till_id)
        .values(void_count=shifts.c.void_count + 1, void_cents=shifts.c.void_cents + amount)
    )


def list_audit(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    action: str | None = None,
    user_id: int | None = None,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    page: PageRequest = FIRST_PAGE,
) -> Page[AuditEvent]:
    """Entries newest first. Dates are the shop's days, both inclusive; datetimes are instants."""
    offset, limit = check_page(page)
    query: Any = select(audit_log, users.c.first_name, users.c.last_name).outerjoin(
        users, users.c.id == audit_log.c.user_id
    )
    if action is not None:
        if action not in ACTIONS:
            raise ValidationError("Choose one of the listed actions.", field="action")
        query = query.where(audit_log.c.action == action)
    if user_id is not None:
        query = query.where(audit_log.c.user_id == check_id(user_id, "user_id", "user"))
    if start is not None:
        query = query.where(audit_log.c.created_at >= _instant(ctx, start, "start", False))
    if end is not None:
        query = query.where(audit_log.c.created_at < _instant(ctx, end, "end", True))
    with ctx.connection(readonly=True) as connection:
        authorize(connection, ctx, actor, Role.OWNER, "read the audit log")
        total = connection.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = connection.execute(_newest_first(query).offset(offset).limit(limit)).all()
        items = [_event(row) for row in rows]
    return Page(items=items, total=total, offset=offset, limit=limit)


def _newest_first(query: Any) -> Any:
    return query.order_by(audit_log.c.created_at.desc(), audit_log.c.id.desc())


def _instant(ctx: ServiceContext, value: object, field: str, is_end: bool) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError("Give the time with its time zone.", field=field)
        return value.astimezone(UTC) + (timedelta(microseconds=1) if is_end else timedelta())
    if isinstance(value, date):
        day = value + timedelta(days=1) if is_end else value
        return datetime.combine(day, time(), tzinfo=ctx.timezone).astimezone(UTC)
    raise ValidationError("Choose a date.", field=field)


def _event(entry: Row[Any]) -> AuditEvent:
    """An entry from a row of ``audit_log`` and its user's first and last name."""
    first, last = entry.first_name, entry.last_name
    try:
        detail = json.loads(entry.detail)
    except ValueError:
        detail = {"raw": entry.detail}
    name = f"{first} {last}".strip() if first is not None else None
    return AuditEvent(
        id=entry.id,
        created_at=entry.created_at,
        user_id=entry.user_id,
        user_name=name,
        till_id=entry.till_id,
        action=entry.action,
        subject=entry.subject,
        detail=detail if isinstance(detail, dict) else {"value": detail},
    )


__all__ = [
    "ACTIONS",
    "AuditEvent",
    "list_audit",
    "record",
    "record_counted_void",
]
