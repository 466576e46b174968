"""Promotions: managers create, change and end them, and see them listed.

The rules a promotion must satisfy, and how the till applies them, live in
:mod:`pos_app.domain.promotions`; the checks of what a manager enters in
:mod:`pos_app.services.promotion_drafts`, and the read of the ones running today in
:mod:`pos_app.services.till_promotions`. Here a promotion is stored with the products and
categories it covers, each change is written to the audit log in the same transaction, and
nothing is ever deleted: ending a promotion stamps the moment, so past sales keep a name to point
at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Product, PromotionTarget
from pos_app.db.models import Promotion as PromotionRow
from pos_app.domain.promotions import Promotion, PromotionKind, describe_deal
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError, ValidationError
from pos_app.services.promotion_drafts import (
    PromotionDraft,
    check_targets_exist,
    checked_promotion,
)
from pos_app.services.roles import Role, UserInfo
from pos_app.services.till_promotions import forget_cached_promotions, rule_of, with_targets
from pos_app.services.validation import check_bool, check_id

MAX_LISTED = 1000


class PromotionStatus(StrEnum):
    """In the order a list shows them."""

    RUNNING = "running"
    SCHEDULED = "scheduled"
    OVER = "over"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class TargetInfo:
    """A product or category a promotion covers, with its name for lists."""

    product_id: int | None
    category_id: int | None
    name: str


@dataclass(frozen=True)
class PromotionInfo:
    id: int
    name: str
    kind: PromotionKind
    starts_on: date
    ends_on: date | None
    percent_bp: int | None
    amount_cents: int | None
    buy_quantity: int | None
    pay_quantity: int | None
    price_cents: int | None
    ended_at: datetime | None
    status: PromotionStatus
    targets: tuple[TargetInfo, ...] = field(default=())

    @property
    def product_ids(self) -> frozenset[int]:
        return frozenset(t.product_id for t in self.targets if t.product_id is not None)

    @property
    def category_ids(self) -> frozenset[int]:
        return frozenset(t.category_id for t in self.targets if t.category_id is not None)

    @property
    def deal(self) -> str:
        return describe_deal(self.rule())

    @property
    def covers(self) -> str:
        """'Bread, Rolls (+3 more)' for a list."""
        names = [target.name for target in self.targets]
        shown = ", ".join(names[:3])
        return shown + (f" (+{len(names) - 3} more)" if len(names) > 3 else "")

    def rule(self) -> Promotion:
        """The promotion as the till's pricing applies it."""
        return Promotion(
            self.id,
            self.name,
            self.kind,
            self.starts_on,
            self.ends_on,
            self.product_ids,
            self.category_ids,
            self.percent_bp,
            self.amount_cents,
            self.buy_quantity,
            self.pay_quantity,
            self.price_cents,
        )

    def draft(self) -> PromotionDraft:
        """The promotion as a form shows it for a change."""
        return PromotionDraft(
            self.name,
            self.kind,
            self.starts_on,
            self.ends_on,
            self.product_ids,
            self.category_ids,
            self.percent_bp,
            self.amount_cents,
            self.buy_quantity,
            self.pay_quantity,
            self.price_cents,
        )


def create_promotion(
    ctx: ServiceContext, actor: UserSession, draft: PromotionDraft
) -> PromotionInfo:
    rule = checked_promotion(draft)
    today = ctx.local_date(ctx.now())
    _check_not_past(rule, today)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "create promotions")
        check_targets_exist(session, rule)
        now = ctx.now()
        row = PromotionRow(created_by=acting.id, created_at=now, updated_at=now)
        _write(row, rule)
        session.add(row)
        session.flush()
        _record(session, ctx, acting, audit.PROMOTION_CREATED, row)
        info = _load(session, row.id, today)
        session.commit()
    forget_cached_promotions(ctx)
    return info


def update_promotion(
    ctx: ServiceContext, actor: UserSession, promotion_id: int, draft: PromotionDraft
) -> PromotionInfo:
    rule = checked_promotion(draft)
    _check_not_past(rule, ctx.local_date(ctx.now()))
    pid = check_id(promotion_id, "promotion_id", "promotion")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "change promotions")
        row = _lock(session, pid)
        if row.ended_at is not None:
            raise ConflictError(
                "This promotion has been ended; create a new one instead.", field="promotion_id"
            )
        check_targets_exist(session, rule)
        _write(row, rule)
        row.updated_at = ctx.now()
        session.flush()
        _record(session, ctx, acting, audit.PROMOTION_CHANGED, row)
        info = _load(session, row.id, ctx.local_date(ctx.now()))
        session.commit()
    forget_cached_promotions(ctx)
    return info


def end_promotion(ctx: ServiceContext, actor: UserSession, promotion_id: int) -> PromotionInfo:
    """Stop a promotion now; the till no longer applies it from the next price on."""
    pid = check_id(promotion_id, "promotion_id", "promotion")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "end promotions")
        row = _lock(session, pid)
        if row.ended_at is not None:
            raise ConflictError("This promotion has already been ended.", field="promotion_id")
        row.ended_at = row.updated_at = ctx.now()
        session.flush()
        _record(session, ctx, acting, audit.PROMOTION_ENDED, row)
        info = _load(session, row.id, ctx.local_date(ctx.now()))
        session.commit()
    forget_cached_promotions(ctx)
    return info


def get_promotion(ctx: ServiceContext, actor: UserSession, promotion_id: int) -> PromotionInfo:
    pid = check_id(promotion_id, "promotion_id", "promotion")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "view promotions")
        return _load(session, pid, ctx.local_date(ctx.now()))


def list_promotions(
    ctx: ServiceContext, actor: UserSession, *, include_past: bool = True
) -> list[PromotionInfo]:
    """Running first, then scheduled, then past ones; newest first within each."""
    past = check_bool(include_past, "include_past")
    today = ctx.local_date(ctx.now())
    query = with_targets().order_by(PromotionRow.starts_on.desc(), PromotionRow.id.desc())
    if not past:
        query = query.where(
            PromotionRow.ended_at.is_(None),
            or_(PromotionRow.ends_on.is_(None), PromotionRow.ends_on >= today),
        )
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "view promotions")
        rows = session.scalars(query.limit(MAX_LISTED)).all()
        infos = [_info(session, row, today) for row in rows]
    order = list(PromotionStatus)
    return sorted(infos, key=lambda info: order.index(_list_rank(info.status)))


def _list_rank(status: PromotionStatus) -> PromotionStatus:
    # An ended promotion sorts with the ones that are over.
    return PromotionStatus.OVER if status is PromotionStatus.ENDED else status


def _check_not_past(rule: Promotion, today: date) -> None:
    if rule.ends_on is not None and rule.ends_on < today:
        raise ValidationError("The last day has already passed.", field="ends_on")


def _write(row: PromotionRow, rule: Promotion) -> None:
    row.name = rule.name
    row.kind = rule.kind.value if isinstance(rule.kind, PromotionKind) else str(rule.kind)
    row.starts_on = rule.starts_on
    row.ends_on = rule.ends_on
    uses_percent = rule.kind == PromotionKind.PRICE_CUT
    uses_group = rule.kind == PromotionKind.MULTI_BUY
    row.percent_bp = rule.percent_bp if uses_percent else None
    row.amount_cents = rule.amount_cents if uses_percent else None
    row.buy_quantity = rule.buy_quantity if uses_group else None
    row.pay_quantity = rule.pay_quantity if uses_group else None
    row.price_cents = None if uses_percent else rule.price_cents
    wanted = {(pid, None) for pid in rule.product_ids} | {(None, cid) for cid in rule.category_ids}
    kept = [t for t in row.targets if (t.product_id, t.category_id) in wanted]
    have = {(t.product_id, t.category_id) for t in kept}
    added = [
        PromotionTarget(product_id=pid, category_id=cid)
        for pid, cid in sorted(wanted - have, key=_target_order)
    ]
    row.targets = kept + added


def _target_order(pair: tuple[int | None, int | None]) -> tuple[int, int]:
    product_id, category_id = pair
    return (0, product_id) if product_id is not None else (1, category_id or 0)


def _lock(session: Session, promotion_id: int) -> PromotionRow:
    row = session.get(PromotionRow, promotion_id, with_for_update=True)
    if row is None:
        raise NotFoundError("No such promotion.", field="promotion_id")
    return row


def _load(session: Session, promotion_id: int, today: date) -> PromotionInfo:
    row = session.scalar(with_targets().where(PromotionRow.id == promotion_id))
    if row is None:
        raise NotFoundError("No such promotion.", field="promotion_id")
    return _info(session, row, today)


def _info(session: Session, row: PromotionRow, today: date) -> PromotionInfo:
    return PromotionInfo(
        row.id,
        row.name,
        PromotionKind(row.kind),
        row.starts_on,
        row.ends_on,
        row.percent_bp,
        row.amount_cents,
        row.buy_quantity,
        row.pay_quantity,
        row.price_cents,
        row.ended_at,
        _status(row, today),
        tuple(_target_infos(session, row.targets)),
    )


def _target_infos(session: Session, targets: Iterable[PromotionTarget]) -> list[TargetInfo]:
    listed = list(targets)
    product_ids = [t.product_id for t in listed if t.product_id is not None]
    category_ids = [t.category_id for t in listed if t.category_id is not None]
    products = _names(session, Product, product_ids)
    categories = _names(session, Category, category_ids)
    infos = [TargetInfo(pid, None, products.get(pid, f"#{pid}")) for pid in sorted(product_ids)]
    infos += [
        TargetInfo(None, cid, categories.get(cid, f"#{cid}") + " (category)")
        for cid in sorted(category_ids)
    ]
    return infos


def _names(
    session: Session, model: type[Product] | type[Category], ids: list[int]
) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return {row.id: row.name for row in rows}


def _status(row: PromotionRow, today: date) -> PromotionStatus:
    if row.ended_at is not None:
        return PromotionStatus.ENDED
    if today < row.starts_on:
        return PromotionStatus.SCHEDULED
    if row.ends_on is not None and row.ends_on < today:
        return PromotionStatus.OVER
    return PromotionStatus.RUNNING


def _record(
    session: Session, ctx: ServiceContext, actor: UserInfo, action: str, row: PromotionRow
) -> None:
    detail: dict[str, object] = {
        "promotion_id": row.id,
        "kind": row.kind,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": None if row.ends_on is None else row.ends_on.isoformat(),
        "deal": describe_deal(rule_of(row)),
        "product_ids": sorted(t.product_id for t in row.targets if t.product_id is not None),
        "category_ids": sorted(t.category_id for t in row.targets if t.category_id is not None),
    }
    audit.record(session, ctx, action=action, user_id=actor.id, subject=row.name, detail=detail)


__all__ = [
    "MAX_LISTED",
    "PromotionInfo",
    "PromotionStatus",
    "TargetInfo",
    "create_promotion",
    "end_promotion",
    "get_promotion",
    "list_promotions",
]
