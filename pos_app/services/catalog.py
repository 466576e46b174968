"""The catalogue: categories and products, their codes and prices, listings and look-ups."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, Subquery, func, or_, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, StockMovement
from pos_app.services.barcodes import normalize_barcode, normalize_sku
from pos_app.services.categories import (
    CATEGORY_SORTS,
    MAX_NAME,
    CategoryInfo,
    clean_description,
    create_category,
    get_category,
    list_categories,
    set_category_active,
    slugify,
    update_category,
)
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, NotFoundError
from pos_app.services.money import MAX_CENTS
from pos_app.services.paging import Page, check_paging, check_sort
from pos_app.services.roles import Role, UserInfo, require_role
from pos_app.services.validation import (
    MAX_SEARCH,
    check_bool,
    check_id,
    check_int,
    clean_search,
    clean_text,
    flush_unique,
)

__all__ = [
    "CATEGORY_SORTS",
    "PRODUCT_SORTS",
    "UNSET",
    "CategoryInfo",
    "ProductInfo",
    "create_category",
    "create_product",
    "find_product",
    "get_category",
    "get_product",
    "list_categories",
    "list_products",
    "product_search",
    "set_category_active",
    "set_product_active",
    "slugify",
    "suggest_products",
    "update_category",
    "update_product",
]

MAX_STOCK = 1_000_000_000
MAX_SUGGESTIONS = 50


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET


@dataclass(frozen=True)
class ProductInfo:
    id: int
    name: str
    description: str
    category_id: int
    category_name: str
    sku: str
    barcode: str | None
    price_cents: int
    is_active: bool
    quantity: int


_STOCK = func.coalesce(Inventory.quantity, 0)
PRODUCT_SORTS: dict[str, SQLColumnExpression[Any]] = {
    "id": Product.id,
    "name": Product.name,
    "sku": Product.sku,
    "barcode": Product.barcode,
    "price": Product.price_cents,
    "category": Category.name,
    "stock": Inventory.quantity,
    "active": Product.is_active,
}


# Products.


def _product_query() -> Select[*tuple[Any, ...]]:
    return (
        select(
            Product.id,
            Product.name,
            Product.description,
            Product.category_id,
            Category.name.label("category_name"),
            Product.sku,
            Product.barcode,
            Product.price_cents,
            Product.is_active,
            _STOCK.label("quantity"),
        )
        .join(Category, Category.id == Product.category_id)
        .outerjoin(Inventory, Inventory.product_id == Product.id)
    )


def _load_product(session: Session, product_id: int) -> ProductInfo:
    row = session.execute(_product_query().where(Product.id == product_id)).first()
    if row is None:
        raise NotFoundError("No such product.", field="product_id")
    return ProductInfo(**row._asdict())


def _sku_owner(session: Session, sku: str) -> int | None:
    """The product using ``sku`` in any case; the index serves it as typed, upper or lower."""
    variants = {sku, sku.upper(), sku.lower()}
    found = session.scalar(select(Product.id).where(Product.sku.in_(variants)).limit(1))
    if found is None:
        found = session.scalar(select(Product.id).where(func.lower(Product.sku) == sku.lower()))
    return found


def _check_codes_free(
    session: Session, sku: str | None, barcode: str | None, product_id: int | None = None
) -> None:
    if sku is not None and _sku_owner(session, sku) not in (None, product_id):
        raise ConflictError(f"Another product already has the SKU '{sku}'.", field="sku")
    if barcode is not None:
        owner = session.scalar(select(Product.id).where(Product.barcode == barcode))
        if owner not in (None, product_id):
            raise ConflictError(
                f"Another product already has the barcode {barcode}.", field="barcode"
            )


def _require_category(session: Session, category_id: int) -> None:
    if session.get(Category, category_id) is None:
        raise NotFoundError("No such category.", field="category_id")


def _price(value: object) -> int:
    return check_int(value, "price_cents", "price", minimum=0, maximum=MAX_CENTS)


def create_product(
    ctx: ServiceContext,
    actor: UserInfo,
    *,
    name: str,
    category_id: int,
    sku: str,
    price_cents: int,
    barcode: str | None = None,
    description: str = "",
    initial_stock: int = 0,
) -> ProductInfo:
    require_role(actor, Role.MANAGER, "create products")
    clean_name = clean_text(name, "name", "product name", max_length=MAX_NAME)
    cid = check_id(category_id, "category_id", "category")
    clean_sku = normalize_sku(sku)
    price = _price(price_cents)
    code = normalize_barcode(barcode)
    text = clean_description(description)
    stock = check_int(initial_stock, "initial_stock", "initial stock", minimum=0, maximum=MAX_STOCK)
    now = ctx.now()
    with ctx.unit_of_work() as session:
        _require_category(session, cid)
        _check_codes_free(session, clean_sku, code)
        product = Product(
            name=clean_name,
            description=text,
            category_id=cid,
            sku=clean_sku,
            barcode=code,
            price_cents=price,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        session.add(product)
        flush_unique(session)
        session.add(Inventory(product_id=product.id, quantity=stock, updated_at=now))
        if stock > 0:
            session.add(
                StockMovement(
                    product_id=product.id,
                    quantity_change=stock,
                    reason="restock",
                    note="Initial stock",
                    user_id=actor.id,
                    created_at=now,
                )
            )
        flush_unique(session)
        info = _load_product(session, product.id)
        session.commit()
        return info


def _lock_product(session: Session, product_id: object) -> Product:
    pid = check_id(product_id, "product_id", "product")
    product = session.get(Product, pid, with_for_update=True)
    if product is None:
        raise NotFoundError("No such product.", field="product_id")
    return product


def update_product(
    ctx: ServiceContext,
    actor: UserInfo,
    product_id: int,
    *,
    name: str | None = None,
    category_id: int | None = None,
    sku: str | None = None,
    barcode: str | _Unset | None = UNSET,
    price_cents: int | None = None,
    description: str | None = None,
) -> ProductInfo:
    """Change the given fields; ``barcode=None`` removes the barcode, leaving it out keeps it."""
    require_role(actor, Role.MANAGER, "edit products")
    with ctx.unit_of_work() as session:
        product = _lock_product(session, product_id)
        if name is not None:
            product.name = clean_text(name, "name", "product name", max_length=MAX_NAME)
        if category_id is not None:
            cid = check_id(category_id, "category_id", "category")
            _require_category(session, cid)
            product.category_id = cid
        new_sku = normalize_sku(sku) if sku is not None else None
        new_code = normalize_barcode(barcode) if barcode is not UNSET else None
        _check_codes_free(session, new_sku, new_code, product.id)
        if new_sku is not None:
            product.sku = new_sku
        if barcode is not UNSET:
            product.barcode = new_code
        if price_cents is not None:
            product.price_cents = _price(price_cents)
        if description is not None:
            product.description = clean_description(description)
        product.updated_at = ctx.now()
        flush_unique(session)
        info = _load_product(session, product.id)
        session.commit()
        return info


def set_product_active(
    ctx: ServiceContext, actor: UserInfo, product_id: int, active: bool
) -> ProductInfo:
    require_role(actor, Role.MANAGER, "activate or deactivate products")
    wanted = check_bool(active, "active")
    with ctx.unit_of_work() as session:
        product = _lock_product(session, product_id)
        product.is_active = wanted
        product.updated_at = ctx.now()
        flush_unique(session)
        info = _load_product(session, product.id)
        session.commit()
        return info


def get_product(ctx: ServiceContext, actor: UserInfo, product_id: int) -> ProductInfo:
    require_role(actor, Role.CASHIER, "view products")
    pid = check_id(product_id, "product_id", "product")
    with ctx.unit_of_work(readonly=True) as session:
        return _load_product(session, pid)


def product_search(text: str) -> ColumnElement[bool]:
    """Name contains ``text`` (any case), or the SKU or barcode starts with it."""
    return or_(
        Product.name.icontains(text, autoescape=True),
        Product.sku.istartswith(text, autoescape=True),
        Product.barcode.startswith(text, autoescape=True),
    )


def list_products(
    ctx: ServiceContext,
    actor: UserInfo,
    *,
    offset: int = 0,
    limit: int = 100,
    sort: str = "name",
    descending: bool = False,
    category_id: int | None = None,
    search: str | None = None,
    include_inactive: bool = True,
) -> Page[ProductInfo]:
    require_role(actor, Role.CASHIER, "view products")
    offset, limit = check_paging(offset, limit)
    column = PRODUCT_SORTS[check_sort(sort, PRODUCT_SORTS)]
    desc = check_bool(descending, "descending")
    text = clean_search(search)
    conditions: list[ColumnElement[bool]] = []
    if category_id is not None:
        conditions.append(Product.category_id == check_id(category_id, "category_id", "category"))
    if not check_bool(include_inactive, "include_inactive"):
        conditions.append(Product.is_active.is_(True))
    if text is not None:
        conditions.append(product_search(text))
    # The page's ids come from a narrow sorted query that an index can serve; only those rows
    # are then joined to their category and stock, so deep pages stay fast on big catalogues.
    key, tie = column, Product.id
    keys = select(Product.id.label("id"))
    if column is PRODUCT_SORTS["stock"]:
        key, tie = Inventory.quantity, Inventory.id
        keys = select(Inventory.product_id.label("id")).join(
            Product, Product.id == Inventory.product_id
        )
    elif column is PRODUCT_SORTS["category"]:
        keys = keys.join(Category, Category.id == Product.category_id)
    page = page_of(keys.where(*conditions), key, tie, desc, offset, limit)
    query = (
        _product_query()
        .join(page, page.c.id == Product.id)
        .order_by(*ordering(page.c.sort_key, page.c.tie, desc))
    )
    with ctx.unit_of_work(readonly=True) as session:
        total = session.scalar(select(func.count()).select_from(Product).where(*conditions)) or 0
        items = [ProductInfo(**row._asdict()) for row in session.execute(query)]
    return Page(items=items, total=total, offset=offset, limit=limit)


def ordering(
    key: SQLColumnExpression[Any], tie: SQLColumnExpression[Any], descending: bool
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    if descending:
        return key.desc(), tie.desc()
    return key.asc(), tie.asc()


def page_of(
    keys: Select[*tuple[Any, ...]],
    key: SQLColumnExpression[Any],
    tie: SQLColumnExpression[Any],
    descending: bool,
    offset: int,
    limit: int,
) -> Subquery:
    """One page of ``keys`` (selecting an ``id``) as ``(id, sort_key, tie)`` rows to join to."""
    return (
        keys.add_columns(key.label("sort_key"), tie.label("tie"))
        .order_by(*ordering(key, tie, descending))
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )


def find_product(ctx: ServiceContext, actor: UserInfo, code: str) -> ProductInfo:
    """The product with this exact barcode (EAN-13 or UPC-A) or SKU (any case)."""
    require_role(actor, Role.CASHIER, "look up products")
    text = clean_text(code, "code", "barcode or SKU", max_length=MAX_SEARCH)
    with ctx.unit_of_work(readonly=True) as session:
        found: int | None = None
        if text.isascii() and text.isdigit() and len(text) in (12, 13):
            barcode = text if len(text) == 13 else "0" + text
            found = session.scalar(select(Product.id).where(Product.barcode == barcode))
        if found is None and len(text) <= 64:
            found = _sku_owner(session, text)
        if found is None:
            raise NotFoundError(f"No product has the barcode or SKU '{text}'.", field="code")
        return _load_product(session, found)


def suggest_products(
    ctx: ServiceContext, actor: UserInfo, text: str, limit: int = 10
) -> list[ProductInfo]:
    """Active products whose name contains ``text``, by name, for type-ahead."""
    require_role(actor, Role.CASHIER, "look up products")
    wanted = clean_search(text)
    count = check_int(limit, "limit", "number of suggestions", minimum=1, maximum=MAX_SUGGESTIONS)
    if wanted is None:
        return []
    query = (
        _product_query()
        .where(Product.is_active.is_(True), Product.name.icontains(wanted, autoescape=True))
        .order_by(Product.name, Product.id)
        .limit(count)
    )
    with ctx.unit_of_work(readonly=True) as session:
        return [ProductInfo(**row._asdict()) for row in session.execute(query)]
