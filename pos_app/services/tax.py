"""Value-added tax contained in tax-inclusive prices.

Rates are basis points (1900 = 19 %) set per category. The tax of a line is rounded half up to the
cent once, on the line's gross; a summary adds the lines' taxes per rate, so the rates on a receipt
always add up to its total exactly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import MAX_TAX_RATE_BP, Category, Product
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, ValidationError
from pos_app.services.roles import Role
from pos_app.services.validation import check_id

BP_PER_UNIT = 10_000


class Taxed(Protocol):
    @property
    def tax_rate_bp(self) -> int: ...

    @property
    def gross_cents(self) -> int: ...

    @property
    def tax_cents(self) -> int: ...


@dataclass(frozen=True)
class TaxLine:
    tax_rate_bp: int
    gross_cents: int
    tax_cents: int


@dataclass(frozen=True)
class TaxRateTotal:
    rate_bp: int
    gross_cents: int
    tax_cents: int
    net_cents: int


@dataclass(frozen=True)
class CategoryTax:
    category_id: int
    name: str
    tax_rate_bp: int


def tax_contained(gross_cents: int, rate_bp: int) -> int:
    """The tax inside a tax-inclusive amount, rounded half up (away from zero) to the cent."""
    if rate_bp < 0:
        raise ValueError("tax rates are not negative")
    numerator = abs(gross_cents) * rate_bp
    denominator = BP_PER_UNIT + rate_bp
    tax = (2 * numerator + denominator) // (2 * denominator)
    return -tax if gross_cents < 0 else tax


def taxed_line(gross_cents: int, rate_bp: int) -> TaxLine:
    return TaxLine(rate_bp, gross_cents, tax_contained(gross_cents, rate_bp))


def tax_summary(lines: Iterable[Taxed]) -> list[TaxRateTotal]:
    """Gross, tax and net per rate (lowest rate first); sums equal the lines' sums exactly."""
    gross: dict[int, int] = {}
    tax: dict[int, int] = {}
    for line in lines:
        gross[line.tax_rate_bp] = gross.get(line.tax_rate_bp, 0) + line.gross_cents
        tax[line.tax_rate_bp] = tax.get(line.tax_rate_bp, 0) + line.tax_cents
    return [
        TaxRateTotal(rate, gross[rate], tax[rate], gross[rate] - tax[rate])
        for rate in sorted(gross)
    ]


def check_rate(value: object, field: str = "tax_rate_bp") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("The tax rate must be a whole number of basis points.", field=field)
    if not 0 <= value <= MAX_TAX_RATE_BP:
        raise ValidationError("The tax rate must be between 0 % and 100 %.", field=field)
    return value


def parse_tax_rate(text: object, field: str = "tax_rate") -> int:
    """'19', '7.5 %', '19,0' -> basis points (1900, 750, 1900)."""
    if not isinstance(text, str | int) or isinstance(text, bool):
        raise ValidationError("Enter a tax rate such as 19 or 7.5.", field=field)
    cleaned = str(text).strip().rstrip("%").strip().replace(",", ".")
    try:
        percent = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError("Enter a tax rate such as 19 or 7.5.", field=field) from None
    if not percent.is_finite():
        raise ValidationError("Enter a tax rate such as 19 or 7.5.", field=field)
    basis_points = percent * 100
    if basis_points != basis_points.to_integral_value():
        raise ValidationError("Use at most two decimals for the tax rate.", field=field)
    return check_rate(int(basis_points), field)


def format_rate(rate_bp: int) -> str:
    """1900 -> '19 %', 750 -> '7.5 %'."""
    return f"{(Decimal(rate_bp) / 100).normalize():f} %"


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
                Category.name, Category.id
            )
        )
        return [CategoryTax(category_id, name, rate) for category_id, name, rate in rows]


__all__ = [
    "CategoryTax",
    "TaxLine",
    "TaxRateTotal",
    "Taxed",
    "check_rate",
    "format_rate",
    "list_tax_rates",
    "parse_tax_rate",
    "product_rates",
    "set_category_tax_rate",
    "tax_contained",
    "tax_summary",
    "taxed_line",
]
