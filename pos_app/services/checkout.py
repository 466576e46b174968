"""Selling at the till: one purchase is one transaction; stock is taken by conditional updates."""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pos_app.db.models import Inventory, Product, Sale, SaleItem, StockMovement, User
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.payments import PaymentIn
from pos_app.services.roles import Role, UserInfo, require_role
from pos_app.services.rollups import add_sale_to_rollups
from pos_app.services.sales import SaleInfo, SoldLine, get_sale, items_of, recent_sales
from pos_app.services.settlement import (
    Override,
    check_overrides_in_cart,
    clean_overrides,
    settle_sale,
    settled_amounts,
)

MAX_QUANTITY = 10_000
MAX_LINES = 500
MAX_ID = 2**63 - 1
REASONS = ("unknown_product", "inactive", "out_of_stock", "bad_quantity")


@dataclass(frozen=True)
class PurchaseLine:
    product_id: int
    quantity: int


@dataclass(frozen=True)
class FailedLine:
    product_id: int
    product_name: str | None
    quantity: int
    reason: str
    message: str


@dataclass(frozen=True)
class PurchaseResult:
    committed: bool
    sale_id: int | None
    sale_uuid: str
    created_at: datetime | None
    total_cents: int
    sold: list[SoldLine]
    failed: list[FailedLine]
    tax_cents: int = 0
    change_cents: int = 0


@dataclass(frozen=True)
class _Cart:
    wanted: dict[int, int]
    failed: list[FailedLine]
    overrides: dict[int, int]
    payments: Sequence[PaymentIn]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def new_sale_uuid() -> str:
    """A fresh id for the next sale; the till keeps it until that sale is committed."""
    return str(uuidlib.uuid4())


def purchase(
    ctx: ServiceContext,
    actor: UserInfo,
    lines: Sequence[PurchaseLine],
    *,
    sale_uuid: str | None = None,
    partial: bool = False,
    payments: Sequence[PaymentIn] = (),
    price_overrides: Mapping[int, int] | None = None,
) -> PurchaseResult:
    """Sell the cart. By default all lines sell or none; ``partial=True`` sells what it can.

    ``payments`` must add up to the total (none: exact cash); ``price_overrides`` maps product
    ids to the unit price charged instead of the list price, each override audited.
    """
    require_role(actor, Role.CASHIER, "sell products")
    key = _clean_uuid(sale_uuid)
    if not isinstance(partial, bool):
        raise ValidationError("Choose whether to sell only what is in stock.", field="partial")
    wanted, failed = _merge_lines(lines)
    overrides = clean_overrides(price_overrides)
    check_overrides_in_cart(overrides, [*wanted, *(line.product_id for line in failed)])
    with ctx.unit_of_work() as session:
        stored = _find_sale(session, key)
        if stored is not None:
            return stored
        _check_still_active(session, actor)
        cart = _Cart(wanted, failed, overrides, payments)
        try:
            return _sell(ctx, session, actor, key, cart, partial)
        except IntegrityError:
            # The same sale committed by a concurrent retry in the meantime: return that one.
            session.rollback()
            stored = _find_sale(session, key)
            if stored is None:
                raise
            return stored


def _clean_uuid(raw: object) -> str:
    if raw is None:
        return new_sale_uuid()
    if not isinstance(raw, str) or len(raw) > 64:
        raise ValidationError("The sale id is not valid.", field="sale_uuid")
    try:
        return str(uuidlib.UUID(raw.strip()))
    except ValueError:
        raise ValidationError("The sale id is not valid.", field="sale_uuid") from None


def _merge_lines(lines: object) -> tuple[dict[int, int], list[FailedLine]]:
    """Quantities per product (cart order), and the lines whose quantity cannot be sold."""
    if isinstance(lines, str | bytes) or not isinstance(lines, Sequence):
        raise ValidationError("The cart must be a list of lines.", field="lines")
    if not lines:
        raise ValidationError("The cart is empty; add a product first.", field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationError(f"A sale can have at most {MAX_LINES} lines.", field="lines")
    wanted: dict[int, int] = {}
    failed: list[FailedLine] = []
    for line in lines:
        if not isinstance(line, PurchaseLine):
            raise ValidationError("Each cart line needs a product and a quantity.", field="lines")
        if not _is_int(line.product_id):
            raise ValidationError("A cart line names no valid product.", field="product_id")
        quantity: object = line.quantity
        if not _is_int(quantity) or not 1 <= cast(int, quantity) <= MAX_QUANTITY:
            shown = cast(int, quantity) if _is_int(quantity) else 0
            failed.append(_bad_quantity(line.product_id, shown))
            continue
        wanted[line.product_id] = wanted.get(line.product_id, 0) + cast(int, quantity)
    for product_id, total in list(wanted.items()):
        if total > MAX_QUANTITY:
            failed.append(_bad_quantity(product_id, total))
            del wanted[product_id]
    return wanted, failed


def _bad_quantity(product_id: int, quantity: int) -> FailedLine:
    message = f"The quantity must be a whole number from 1 to {MAX_QUANTITY:,}."
    return FailedLine(product_id, None, quantity, "bad_quantity", message)


def _check_still_active(session: Session, actor: UserInfo) -> None:
    active = session.scalar(select(User.is_active).where(User.id == actor.id))
    if not active:
        raise PermissionDeniedError("This account has been deactivated; it cannot sell.")


def _sell(
    ctx: ServiceContext,
    session: Session,
    actor: UserInfo,
    key: str,
    cart: _Cart,
    partial: bool,
) -> PurchaseResult:
    wanted, failed = cart.wanted, cart.failed
    products = _load_products(session, [*wanted, *(line.product_id for line in failed)])
    failed = [replace(line, product_name=_name_of(products, line.product_id)) for line in failed]
    sellable: list[tuple[Product, int]] = []
    for product_id, quantity in wanted.items():
        product = products.get(product_id)
        if product is None:
            message = "This product does not exist (any more)."
            failed.append(FailedLine(product_id, None, quantity, "unknown_product", message))
        elif not product.is_active:
            message = f"{product.name} is no longer sold."
            failed.append(FailedLine(product_id, product.name, quantity, "inactive", message))
        else:
            sellable.append((product, quantity))
    if failed and not partial:
        return _not_committed(key, failed)
    now = ctx.now()
    sale = Sale(
        uuid=key,
        user_id=actor.id,
        till_id=ctx.till_id,
        created_at=now,
        local_date=ctx.local_date(now),
        total_cents=0,
    )
    session.add(sale)
    session.flush()
    taken: set[int] = set()
    # A fixed order of row locks keeps two tills selling the same products from deadlocking.
    for product, quantity in sorted(sellable, key=lambda item: item[0].id):
        if _take_stock(session, product.id, quantity, now):
            taken.add(product.id)
        else:
            failed.append(_out_of_stock(session, product, quantity))
    sold = [
        _sold_line(product, quantity, cart.overrides.get(product.id))
        for product, quantity in sellable
        if product.id in taken
    ]
    if not sold or (failed and not partial):
        session.rollback()
        return _not_committed(key, failed)
    _record_items(session, sale, sold, products, actor, now)
    sale.total_cents = sum(line.revenue_cents for line in sold)
    changed = [
        Override(
            line.product_id,
            line.product_name,
            line.quantity,
            products[line.product_id].price_cents,
            line.unit_price_cents,
        )
        for line in sold
        if line.product_id in cart.overrides
    ]
    settled = settle_sale(session, ctx, actor, sale, cart.payments, changed)
    add_sale_to_rollups(session, sale.id, ctx.timezone)
    session.commit()
    return PurchaseResult(
        True,
        sale.id,
        key,
        now,
        sale.total_cents,
        sold,
        failed,
        settled.tax_cents,
        settled.change_cents,
    )


def _load_products(session: Session, ids: list[int]) -> dict[int, Product]:
    valid = sorted({product_id for product_id in ids if 1 <= product_id <= MAX_ID})
    if not valid:
        return {}
    rows = session.scalars(select(Product).where(Product.id.in_(valid)))
    return {product.id: product for product in rows}


def _name_of(products: dict[int, Product], product_id: int) -> str | None:
    product = products.get(product_id)
    return product.name if product is not None else None


def _not_committed(key: str, failed: list[FailedLine]) -> PurchaseResult:
    return PurchaseResult(False, None, key, None, 0, [], failed)


def _take_stock(session: Session, product_id: int, quantity: int, now: datetime) -> bool:
    # "quantity - n >= 0" rather than "quantity >= n": MySQL cannot range-scan the quantity index
    # for it, so it locks the one row found by product_id instead of gaps other tills also need.
    statement = (
        update(Inventory)
        .where(Inventory.product_id == product_id, Inventory.quantity - quantity >= 0)
        .values(quantity=Inventory.quantity - quantity, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    return result.rowcount == 1


def _out_of_stock(session: Session, product: Product, quantity: int) -> FailedLine:
    left = session.scalar(select(Inventory.quantity).where(Inventory.product_id == product.id))
    left = left or 0
    if left == 0:
        message = f"{product.name} is out of stock."
    else:
        message = f"Only {left} of {product.name} left in stock; {quantity} wanted."
    return FailedLine(product.id, product.name, quantity, "out_of_stock", message)


def _sold_line(product: Product, quantity: int, override: int | None) -> SoldLine:
    price = product.price_cents if override is None else override
    return SoldLine(
        product_id=product.id,
        product_name=product.name,
        sku=product.sku,
        quantity=quantity,
        unit_price_cents=price,
        revenue_cents=quantity * price,
    )


def _record_items(
    session: Session,
    sale: Sale,
    sold: list[SoldLine],
    products: dict[int, Product],
    actor: UserInfo,
    now: datetime,
) -> None:
    for line in sold:
        session.add(
            SaleItem(
                sale_id=sale.id,
                product_id=line.product_id,
                category_id=products[line.product_id].category_id,
                local_date=sale.local_date,
                quantity=line.quantity,
                unit_price_cents=line.unit_price_cents,
                revenue_cents=line.revenue_cents,
            )
        )
        session.add(
            StockMovement(
                product_id=line.product_id,
                quantity_change=-line.quantity,
                reason="sale",
                note="",
                user_id=actor.id,
                sale_id=sale.id,
                created_at=now,
            )
        )


def _find_sale(session: Session, key: str) -> PurchaseResult | None:
    sale = session.scalar(select(Sale).where(Sale.uuid == key))
    if sale is None:
        return None
    items = items_of(session, [sale.id]).get(sale.id, [])
    tax, change = settled_amounts(session, sale.id)
    return PurchaseResult(
        True, sale.id, sale.uuid, sale.created_at, sale.total_cents, items, [], tax, change
    )


__all__ = [
    "MAX_QUANTITY",
    "REASONS",
    "FailedLine",
    "PurchaseLine",
    "PurchaseResult",
    "SaleInfo",
    "SoldLine",
    "get_sale",
    "new_sale_uuid",
    "purchase",
    "recent_sales",
]
