"""Sales read back: a sale with its lines, and the latest sales of every till."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import Product, Sale, SaleItem, User
from pos_app.domain.checks import MAX_ID, is_whole_number
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, ValidationError
from pos_app.services.roles import Role

MAX_RECENT = 200


@dataclass(frozen=True)
class SoldLine:
    product_id: int
    product_name: str
    sku: str
    quantity: int
    unit_price_cents: int
    revenue_cents: int
    original_unit_price_cents: int | None = None
    discount_cents: int = 0
    discount_name: str = ""


@dataclass(frozen=True)
class SaleInfo:
    id: int
    uuid: str
    created_at: datetime
    local_date: date
    till_id: str
    cashier_name: str
    total_cents: int
    items: list[SoldLine]


def items_of(session: Session, sale_ids: list[int]) -> dict[int, list[SoldLine]]:
    rows = session.execute(
        select(SaleItem, Product.name, Product.sku)
        .join(Product, Product.id == SaleItem.product_id)
        .where(SaleItem.sale_id.in_(sale_ids))
        .order_by(SaleItem.sale_id, SaleItem.id)
    )
    items: dict[int, list[SoldLine]] = {}
    for item, name, sku in rows:
        items.setdefault(item.sale_id, []).append(
            SoldLine(
                item.product_id,
                name,
                sku,
                item.quantity,
                item.unit_price_cents,
                item.revenue_cents,
                item.original_unit_price_cents,
                item.discount_cents,
                item.discount_name,
            )
        )
    return items


def _sale_info(sale: Sale, first: str, last: str, items: list[SoldLine]) -> SaleInfo:
    return SaleInfo(
        id=sale.id,
        uuid=sale.uuid,
        created_at=sale.created_at,
        local_date=sale.local_date,
        till_id=sale.till_id,
        cashier_name=f"{first} {last}".strip(),
        total_cents=sale.total_cents,
        items=items,
    )


_SALES_WITH_CASHIER = select(Sale, User.first_name, User.last_name).join(
    User, User.id == Sale.user_id
)


def get_sale(ctx: ServiceContext, actor: UserSession, sale_id: int) -> SaleInfo:
    if not is_whole_number(sale_id) or not 1 <= sale_id <= MAX_ID:
        raise NotFoundError("No such sale.")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up sales")
        row = session.execute(_SALES_WITH_CASHIER.where(Sale.id == sale_id)).first()
        if row is None:
            raise NotFoundError("No such sale.")
        sale, first, last = row
        return _sale_info(sale, first, last, items_of(session, [sale.id]).get(sale.id, []))


def recent_sales(ctx: ServiceContext, actor: UserSession, *, limit: int = 20) -> list[SaleInfo]:
    """The latest sales of every till, newest first."""
    if not is_whole_number(limit) or not 1 <= limit <= MAX_RECENT:
        raise ValidationError(f"Show between 1 and {MAX_RECENT} sales.", field="limit")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up sales")
        rows = session.execute(
            _SALES_WITH_CASHIER.order_by(Sale.created_at.desc(), Sale.id.desc()).limit(limit)
        ).all()
        items = items_of(session, [row[0].id for row in rows]) if rows else {}
        return [_sale_info(sale, first, last, items.get(sale.id, [])) for sale, first, last in rows]


__all__ = ["MAX_RECENT", "SaleInfo", "SoldLine", "get_sale", "items_of", "recent_sales"]
