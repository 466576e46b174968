"""The promotions the till applies today, read through a per-process cache.

A sale prices with the rules running on the shop's local day; managers change them in
:mod:`pos_app.services.promotions`, which makes this process read them again at once.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Select, or_, select
from sqlalchemy.orm import Session, selectinload

from pos_app.db.engine import Database
from pos_app.db.models import Promotion as PromotionRow
from pos_app.domain.promotions import Promotion, PromotionKind
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role

REFRESH_SECONDS = 10.0


def running_promotions(ctx: ServiceContext, actor: UserSession) -> list[Promotion]:
    """The promotions the till applies today (the shop's local day), as pricing rules.

    Read through the same cache as a sale (see :func:`promotions_for_sale`), so the till shows
    what it will charge and a screen may ask on every new cart without a query each time.
    """
    today = ctx.local_date(ctx.now())
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "sell")
        return promotions_for_sale(ctx, session, today)


def promotions_for_sale(
    ctx: ServiceContext, bind: Session | Connection, today: date
) -> list[Promotion]:
    """Today's promotions for pricing a sale, read at most every ``REFRESH_SECONDS``.

    A sale must not pay a query for rules that change a few times a week: each process keeps
    the rules it read per database and day. Changes made in this process take effect at once;
    those made at another till within ``REFRESH_SECONDS``.
    """
    with _cache_lock:
        cached = _cache.get(ctx.database)
        if cached is not None and cached.day == today and not cached.stale():
            return cached.rules
    if isinstance(bind, Session):
        rules = running_promotions_in(bind, today)
    else:
        with Session(bind) as session:
            rules = running_promotions_in(session, today)
    with _cache_lock:
        _cache[ctx.database] = _Cached(today, time.monotonic(), rules)
    return rules


def forget_cached_promotions(ctx: ServiceContext) -> None:
    """Make the next sale read the promotions again (after a change here, or in tests)."""
    with _cache_lock:
        _cache.pop(ctx.database, None)


@dataclass(frozen=True)
class _Cached:
    day: date
    loaded_at: float
    rules: list[Promotion]

    def stale(self) -> bool:
        return time.monotonic() - self.loaded_at > REFRESH_SECONDS


_cache: weakref.WeakKeyDictionary[Database, _Cached] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


def running_promotions_in(session: Session, today: date) -> list[Promotion]:
    """The same read inside a caller's transaction (a sale prices with what it commits with)."""
    query = with_targets().where(
        PromotionRow.ended_at.is_(None),
        PromotionRow.starts_on <= today,
        or_(PromotionRow.ends_on.is_(None), PromotionRow.ends_on >= today),
    )
    return [rule_of(row) for row in session.scalars(query).all()]


def with_targets() -> Select[PromotionRow]:
    return select(PromotionRow).options(selectinload(PromotionRow.targets))


def rule_of(row: PromotionRow) -> Promotion:
    return Promotion(
        row.id,
        row.name,
        PromotionKind(row.kind),
        row.starts_on,
        row.ends_on,
        frozenset(t.product_id for t in row.targets if t.product_id is not None),
        frozenset(t.category_id for t in row.targets if t.category_id is not None),
        row.percent_bp,
        row.amount_cents,
        row.buy_quantity,
        row.pay_quantity,
        row.price_cents,
    )


__all__ = [
    "REFRESH_SECONDS",
    "forget_cached_promotions",
    "promotions_for_sale",
    "rule_of",
    "running_promotions",
    "running_promotions_in",
    "with_targets",
]
