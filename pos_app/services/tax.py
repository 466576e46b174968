"""Tax rates of categories: read and changed by managers. The arithmetic is in
:mod:`pos_app.domain.tax`, re-exported here for callers that know it by its service name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Product
from pos_app.domain.tax import (
    BP_PER_UNIT,
    MAX_TAX_RATE_BP,
    Taxed,
    TaxLine,
    TaxRateTotal,
    check_rate,
    format_rate,
    parse_tax_rate,
    tax_contained,
    tax_summary,
    taxed_line,
)
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError
from pos_app.services.roles import Role
from pos_app.services.validation import check_id


@dataclass(frozen=True)
class CategoryTax:
    category_id: int
    name: str
    tax_rate_bp: int


def plain_rate(rate_bp: int) -> str:
    """1900 -> '19', 750 -> '7.5': the rate as typed into a field or a CSV cell."""
    check_rate(rate_bp)
    return format_rate(rate_bp).removesuffix(" %")


def product_rates(session: Session, product_ids: Iterable[int]) -> dict[int, int]:
    """The current tax rate of each product, from its category."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Product.id, Category.tax_rate_bp)
        .join(Category, Category.id == Product.category_id)
        .where(Product.id.in_(ids))
    )
    return {product_id: rate for product_id, rate in rows}


def set_category_tax_rate(
    ctx: ServiceContext, actor: UserSession, category_id: int, rate_bp: int
) -> CategoryTax:
    """Change a category's rate; sales already made keep the rate they were sold at."""
    clean_id = check_id(category_id, "category_id", "category")
    rate = check_rate(rate_bp)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "change tax rates")
        category = session.get(Category, clean_id, with_for_update=True)
        if category is None:
            raise NotFoundError("No such category.")
        old = category.tax_rate_bp
        category.tax_rate_bp = rate
        audit.record(
            session,
            ctx,
            action=audit.TAX_RATE_CHANGED,
            user_id=acting.id,
            subject=category.name,
            detail={"category_id": category.id, "old_rate_bp": old, "new_rate_bp": rate},
        )
        info = CategoryTax(category.id, category.name, rate)
        session.commit()
        return info


def list_tax_rates(ctx: ServiceContext, actor: UserSession) -> list[CategoryTax]:
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "see tax rates")
        rows = session.execute(
            select(Category.id, Category.name, Category.tax_rate_bp).order_by(
                Category.name_key, Category.id
            )
        )
        return [CategoryTax(category_id, name, rate) for category_id, name, rate in rows]


__all__ = [
    "BP_PER_UNIT",
    "MAX_TAX_RATE_BP",
    "CategoryTax",
    "TaxLine",
    "TaxRateTotal",
    "Taxed",
    "check_rate",
    "format_rate",
    "list_tax_rates",
    "parse_tax_rate",
    "plain_rate",
    "product_rates",
    "set_category_tax_rate",
    "tax_contained",
    "tax_summary",
    "taxed_line",
]
