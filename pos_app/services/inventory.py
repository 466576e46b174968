"""Stock on hand: restock, correct, list low stock and show each product's movements.

A count at the shelf, setting the stock to the figure counted, is in
:mod:`pos_app.services.stock_count`.

Stock only changes through one conditional UPDATE whose row count decides, never by reading the
quantity, changing it in Python and writing it back; every change records a StockMovement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    SQLColumnExpression,
    case,
    func,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, StockMovement, User
from pos_app.domain.weights import GRAMS_PER_KG, format_quantity
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.catalog import MAX_STOCK, ordering, page_of, product_search
from pos_app.services.context import ServiceContext, retry_when_busy
from pos_app.services.errors import NotFoundError, OutOfStockError, ValidationError
from pos_app.services.paging import FIRST_PAGE, Page, PageRequest, check_page, check_sort
from pos_app.services.roles import Role, UserInfo
from pos_app.services.validation import (
    check_bool,
    check_id,
    check_int,
    clean_search,
    clean_text,
)

MAX_CHANGE = 1_000_000
"""The largest single restock or correction: pieces, or grams (1,000 kg) when sold by weight."""
MAX_NOTE = 255


@dataclass(frozen=True)
class StockLevel:
    product_id: int
    product_name: str
    sku: str
    barcode: str | None
    category_id: int
    category_name: str
    quantity: int
    updated_at: datetime
    is_active: bool
    sold_by: str = "piece"

    @property
    def is_weighed(self) -> bool:
        """Sold by weight: ``quantity`` is grams."""
        return self.sold_by == "weight"


@dataclass(frozen=True)
class MovementInfo:
    id: int
    product_id: int
    quantity_change: int
    reason: str
    note: str
    user_name: str | None
    sale_id: int | None
    created_at: datetime
    sold_by: str = "piece"


STOCK_SORTS: dict[str, SQLColumnExpression[Any]] = {
    "name": Product.name_key,
    "sku": Product.sku,
    "quantity": Inventory.quantity,
    "category": Category.name_key,
    "updated": Inventory.updated_at,
}


def _stock_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Product.id.label("product_id"),
            Product.name.label("product_name"),
            Product.sku,
            Product.barcode,
            Product.category_id,
            Category.name.label("category_name"),
            Inventory.quantity,
            Inventory.updated_at,
            Product.is_active,
            Product.sold_by,
        )
        .select_from(Inventory)
        .join(Product, Product.id == Inventory.product_id)
        .join(Category, Category.id == Product.category_id)
    )


def load_level(session: Session, product_id: int) -> StockLevel:
    row = session.execute(_stock_query().where(Inventory.product_id == product_id)).first()
    if row is None:
        raise NotFoundError("No such product.", field="product_id")
    return StockLevel(**row._asdict())


def _clean_note(note: object, *, required: bool, label: str = "note") -> str:
    return clean_text(note, "note", label, max_length=MAX_NOTE, required=required)


def _change_stock(
    ctx: ServiceContext,
    session: Session,
    actor: UserInfo,
    product_id: int,
    change: int,
    reason: str,
    note: str,
) -> None:
    """Apply ``change`` in one conditional UPDATE and record the movement, or raise."""
    now = ctx.now()
    result = cast(
        CursorResult[Any],
        session.execute(
            sql_update(Inventory)
            .where(
                Inventory.product_id == product_id,
                Inventory.quantity + change >= 0,
                Inventory.quantity + change <= MAX_STOCK,
            )
            .values(quantity=Inventory.quantity + change, updated_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        _explain_refusal(session, product_id, change)
    # Read after the conditional update, under its row lock: the figure this change produced.
    after = session.scalar(select(Inventory.quantity).where(Inventory.product_id == product_id))
    name = session.scalar(select(Product.name).where(Product.id == product_id)) or ""
    audit.record(
        session,
        ctx,
        action=audit.STOCK_CHANGED,
        user_id=actor.id,
        subject=name,
        detail={
            "product_id": product_id,
            "reason": reason,
            "change": change,
            "before": None if after is None else after - change,
            "after": after,
            "note": note,
        },
    )
    session.add(
        StockMovement(
            product_id=product_id,
            quantity_change=change,
            reason=reason,
            note=note,
            user_id=actor.id,
            created_at=now,
        )
    )
    session.flush()


def _explain_refusal(session: Session, product_id: int, change: int) -> None:
    row = session.execute(
        select(Product.name, Inventory.quantity, Product.sold_by)
        .join(Inventory, Inventory.product_id == Product.id)
        .where(Product.id == product_id)
    ).first()
    if row is None:
        raise NotFoundError("No such product.", field="product_id")
    name, current, sold_by = row
    if change < 0:
        raise OutOfStockError(
            f"Cannot remove {format_quantity(-change, sold_by)} of {name}: only "
            f"{format_quantity(current, sold_by)} in stock.",
            field="change",
        )
    raise ValidationError(
        f"{name} would have more than {format_quantity(MAX_STOCK, sold_by)} in stock "
        f"(now {format_quantity(current, sold_by)}).",
        field="quantity",
    )


@retry_when_busy
def add_stock(
    ctx: ServiceContext, actor: UserSession, product_id: int, quantity: int, note: str = ""
) -> StockLevel:
    """Record a delivery of ``quantity`` units, or grams of a product sold by weight."""
    pid = check_id(product_id, "product_id", "product")
    amount = check_int(quantity, "quantity", "quantity", minimum=1, maximum=MAX_CHANGE)
    clean_note = _clean_note(note, required=False)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "restock products")
        _change_stock(ctx, session, acting, pid, amount, "restock", clean_note)
        level = load_level(session, pid)
        session.commit()
        return level


@retry_when_busy
def adjust_stock(
    ctx: ServiceContext, actor: UserSession, product_id: int, change: int, note: str
) -> StockLevel:
    """Correct the stock by ``change`` pieces or grams (after a count, breakage...); never
    below zero."""
    pid = check_id(product_id, "product_id", "product")
    amount = check_int(change, "change", "change", minimum=-MAX_CHANGE, maximum=MAX_CHANGE)
    if amount == 0:
        raise ValidationError("Enter a change other than zero.", field="change")
    clean_note = _clean_note(note, required=True, label="reason")  # as the form calls it
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "adjust stock")
        _change_stock(ctx, session, acting, pid, amount, "adjustment", clean_note)
        level = load_level(session, pid)
        session.commit()
        return level


def is_low_stock(level: StockLevel, threshold: int) -> bool:
    """The low-stock rule, for a row already read: an active product at or below the threshold.

    The same rule as the SQL of ``low_stock`` and ``list_stock(below=...)``; an inactive
    product is not sold, so it is never low on stock. The threshold counts pieces, or
    kilograms of a product sold by weight.
    """
    limit = threshold * GRAMS_PER_KG if level.is_weighed else threshold
    return level.is_active and level.quantity <= limit


def _low_stock_conditions(threshold: int) -> list[ColumnElement[bool]]:
    limit = case((Product.sold_by == "weight", threshold * GRAMS_PER_KG), else_=threshold)
    return [Product.is_active.is_(True), Inventory.quantity <= limit]


def _threshold(value: object, field: str) -> int:
    return check_int(value, field, "stock threshold", minimum=0, maximum=MAX_STOCK)


def _stock_page(
    ctx: ServiceContext,
    actor: UserSession,
    conditions: Sequence[ColumnElement[bool]],
    query: Select[*tuple[Any, ...]],
    offset: int,
    limit: int,
) -> Page[StockLevel]:
    count = (
        select(func.count())
        .select_from(Inventory)
        .join(Product, Product.id == Inventory.product_id)
        .where(*conditions)
    )
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.MANAGER, "view stock")
        total = session.scalar(count) or 0
        items = [StockLevel(**row._asdict()) for row in session.execute(query)]
    return Page(items=items, total=total, offset=offset, limit=limit)


def list_stock(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    page: PageRequest = FIRST_PAGE,
    sort: str = "name",
    descending: bool = False,
    search: str | None = None,
    category_id: int | None = None,
    below: int | None = None,
) -> Page[StockLevel]:
    """Stock of every product; ``below=N`` keeps the low-stock ones (the rule of ``low_stock``:
    active products with N or fewer units)."""
    offset, limit = check_page(page)
    column = STOCK_SORTS[check_sort(sort, STOCK_SORTS)]
    desc = check_bool(descending, "descending")
    text = clean_search(search)
    conditions: list[ColumnElement[bool]] = []
    if category_id is not None:
        conditions.append(Product.category_id == check_id(category_id, "category_id", "category"))
    if below is not None:
        conditions.extend(_low_stock_conditions(_threshold(below, "below")))
    if text is not None:
        conditions.append(product_search(text))
    # Sort and cut the page on narrow rows first, then join the details of that page only.
    by_inventory = column is STOCK_SORTS["quantity"] or column is STOCK_SORTS["updated"]
    tie = Inventory.id if by_inventory else Product.id
    keys = select(Inventory.product_id.label("id")).join(
        Product, Product.id == Inventory.product_id
    )
    if column is STOCK_SORTS["category"]:
        keys = keys.join(Category, Category.id == Product.category_id)
    rows = page_of(keys.where(*conditions), column, tie, desc, offset, limit)
    query = (
        _stock_query()
        .join(rows, rows.c.id == Inventory.product_id)
        .order_by(*ordering(rows.c.sort_key, rows.c.tie, desc))
    )
    return _stock_page(ctx, actor, conditions, query, offset, limit)


def low_stock(
    ctx: ServiceContext, actor: UserSession, threshold: int, *, page: PageRequest = FIRST_PAGE
) -> Page[StockLevel]:
    """Active products with ``threshold`` or fewer units, the emptiest first."""
    offset, limit = check_page(page)
    conditions = _low_stock_conditions(_threshold(threshold, "threshold"))
    query = (
        _stock_query()
        .where(*conditions)
        .order_by(Inventory.quantity, Product.name_key, Product.id)
        .offset(offset)
        .limit(limit)
    )
    return _stock_page(ctx, actor, conditions, query, offset, limit)


def movement_history(
    ctx: ServiceContext, actor: UserSession, product_id: int, *, page: PageRequest = FIRST_PAGE
) -> Page[MovementInfo]:
    """A product's stock movements, newest first."""
    pid = check_id(product_id, "product_id", "product")
    offset, limit = check_page(page)
    query = (
        select(StockMovement, User.first_name, User.last_name)
        .outerjoin(User, User.id == StockMovement.user_id)
        .where(StockMovement.product_id == pid)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .offset(offset)
        .limit(limit)
    )
    count = select(func.count()).select_from(StockMovement).where(StockMovement.product_id == pid)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.MANAGER, "view stock movements")
        product = session.get(Product, pid)
        if product is None:
            raise NotFoundError("No such product.", field="product_id")
        total = session.scalar(count) or 0
        items = [
            MovementInfo(
                id=movement.id,
                product_id=movement.product_id,
                quantity_change=movement.quantity_change,
                reason=movement.reason,
                note=movement.note,
                user_name=f"{first} {last}".strip() if first is not None else None,
                sale_id=movement.sale_id,
                created_at=movement.created_at,
                sold_by=product.sold_by,
            )
            for movement, first, last in session.execute(query)
        ]
    return Page(items=items, total=total, offset=offset, limit=limit)
