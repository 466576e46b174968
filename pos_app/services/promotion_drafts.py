"""What a manager enters for a promotion, and the checks it must pass before it is stored.

The rules themselves live in :mod:`pos_app.domain.promotions`; here the form's draft is turned
into a checked rule and the products and categories it names are looked up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Product
from pos_app.domain.promotions import MAX_TARGETS, Promotion, PromotionKind, check_promotion
from pos_app.services.errors import NotFoundError, ValidationError


@dataclass(frozen=True)
class PromotionDraft:
    """What a manager enters for a promotion; which numbers count depends on ``kind``."""

    name: str
    kind: PromotionKind
    starts_on: date
    ends_on: date | None = None
    product_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()
    percent_bp: int | None = None
    amount_cents: int | None = None
    buy_quantity: int | None = None
    pay_quantity: int | None = None
    price_cents: int | None = None


def checked_promotion(draft: object) -> Promotion:
    """The draft as a checked rule; a ``ValidationError`` names the field to fix."""
    if not isinstance(draft, PromotionDraft):
        raise ValidationError("Fill in the promotion form.", field="name")
    for name in ("product_ids", "category_ids"):
        value = getattr(draft, name)
        if not isinstance(value, frozenset | set | tuple | list):
            raise ValidationError("Choose products or categories from the list.", field=name)
        if len(value) > MAX_TARGETS:
            raise ValidationError(
                f"A promotion can name at most {MAX_TARGETS} products and categories.",
                field=name,
            )
    return check_promotion(
        Promotion(
            0,
            draft.name,
            draft.kind,
            draft.starts_on,
            draft.ends_on,
            frozenset(draft.product_ids),
            frozenset(draft.category_ids),
            draft.percent_bp,
            draft.amount_cents,
            draft.buy_quantity,
            draft.pay_quantity,
            draft.price_cents,
        )
    )


def check_targets_exist(session: Session, rule: Promotion) -> None:
    _check_exist(session, Product, rule.product_ids, "product_ids", "products")
    _check_exist(session, Category, rule.category_ids, "category_ids", "categories")


def _check_exist(
    session: Session,
    model: type[Product] | type[Category],
    ids: frozenset[int],
    field_name: str,
    label: str,
) -> None:
    if not ids:
        return
    found = set(session.scalars(select(model.id).where(model.id.in_(sorted(ids)))))
    if missing := sorted(ids - found):
        raise NotFoundError(
            f"Some chosen {label} no longer exist (id {missing[0]}); choose again.",
            field=field_name,
        )


__all__ = ["PromotionDraft", "check_targets_exist", "checked_promotion"]
