"""The catalogue: categories and products, their codes and prices, and listings.

Look-ups by code, scale label or name are in :mod:`pos_app.services.product_lookup`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, SaleItem, StockMovement
from pos_app.domain.weights import SoldBy, check_sold_by
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
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
from pos_app.services.errors import ConflictError, NotFoundError, ValidationError
from pos_app.services.money import MAX_CENTS
from pos_app.services.product_lookup import sku_owner
from pos_app.services.product_queries import (
    PRODUCT_SORTS,
    ProductInfo,
    ProductPage,
    list_products,
    load_product,
    ordering,
    page_of,
    product_search,
    refine_products,
)
from pos_app.services.roles import Role, UserInfo
from pos_app.services.validation import (
    check_bool,
    check_id,
    check_int,
    clean_text,
    flush_unique,
)

__all__ = [
    "CATEGORY_SORTS",
    "PRODUCT_SORTS",
    "UNSET",
    "CategoryInfo",
    "ProductInfo",
    "ProductPage",
    "create_category",
    "create_product",
    "get_category",
    "get_product",
    "list_categories",
    "list_products",
    "ordering",
    "page_of",
    "product_field_problems",
    "product_search",
    "refine_products",
    "set_category_active",
    "set_product_active",
    "slugify",
    "update_category",
    "update_product",
]

MAX_STOCK = 1_000_000_000
"""The most stock a product can hold: pieces, or grams (1,000 t) of one sold by weight."""
MAX_SCALE_CODE = 999_999


class _Unset(Enum):
    UNSET = "UNSET"


UNSET: Final = _Unset.UNSET


# Products.


def _check_codes_free(
    session: Session,
    sku: str | None,
    barcode: str | None,
    product_id: int | None = None,
    scale_code: int | None = None,
) -> None:
    if sku is not None and sku_owner(session, sku) not in (None, product_id):
        raise ConflictError(f"Another product already has the SKU '{sku}'.", field="sku")
    if barcode is not None:
        owner = session.scalar(select(Product.id).where(Product.barcode == barcode))
        if owner not in (None, product_id):
            raise ConflictError(
                f"Another product already has the barcode {barcode}.", field="barcode"
            )
    if scale_code is not None:
        owner = session.scalar(select(Product.id).where(Product.scale_code == scale_code))
        if owner not in (None, product_id):
            raise ConflictError(
                f"Another product already has the scale code {scale_code}.", field="scale_code"
            )


def _require_category(session: Session, category_id: int) -> None:
    if session.get(Category, category_id) is None:
        raise NotFoundError("No such category.", field="category_id")


def _price(value: object) -> int:
    return check_int(value, "price_cents", "price", minimum=0, maximum=MAX_CENTS)


def _scale_code(value: object) -> int | None:
    """The item code a scale prints on its labels (its PLU); None for no scale code."""
    if value is None:
        return None
    return check_int(value, "scale_code", "scale code", minimum=1, maximum=MAX_SCALE_CODE)


def _check_scale_code_fits(sold_by: str, scale_code: int | None) -> None:
    if scale_code is not None and sold_by != SoldBy.WEIGHT:
        raise ValidationError(
            "Only a product sold by weight has a scale code; clear it or sell by weight.",
            field="scale_code",
        )


def _check_sold_by_can_change(session: Session, product: Product, sold_by: SoldBy) -> None:
    """Stock and sales are counted in pieces or in grams: a product with either keeps its way."""
    if product.sold_by == sold_by:
        return
    stock = session.scalar(select(Inventory.quantity).where(Inventory.product_id == product.id))
    sold = session.scalar(select(SaleItem.id).where(SaleItem.product_id == product.id).limit(1))
    if stock or sold is not None:
        unit = "grams" if product.sold_by == SoldBy.WEIGHT else "pieces"
        raise ConflictError(
            f"{product.name} has stock or sales counted in {unit}; set its stock to zero "
            "and create a new product to sell it the other way.",
            field="sold_by",
        )


def create_product(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    name: str,
    category_id: int,
    sku: str,
    price_cents: int,
    barcode: str | None = None,
    description: str = "",
    initial_stock: int = 0,
    sold_by: str = SoldBy.PIECE,
    scale_code: int | None = None,
) -> ProductInfo:
    """A new product; sold by weight, its price is per kg and ``initial_stock`` is grams."""
    clean_name = clean_text(name, "name", "product name", max_length=MAX_NAME)
    cid = check_id(category_id, "category_id", "category")
    clean_sku = normalize_sku(sku)
    price = _price(price_cents)
    code = normalize_barcode(barcode)
    text = clean_description(description)
    stock = check_int(initial_stock, "initial_stock", "initial stock", minimum=0, maximum=MAX_STOCK)
    how = check_sold_by(sold_by)
    plu = _scale_code(scale_code)
    _check_scale_code_fits(how, plu)
    now = ctx.now()
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "create products")
        _require_category(session, cid)
        _check_codes_free(session, clean_sku, code, scale_code=plu)
        product = Product(
            name=clean_name,
            description=text,
            category_id=cid,
            sku=clean_sku,
            barcode=code,
            price_cents=price,
            sold_by=how.value,
            scale_code=plu,
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
                    user_id=acting.id,
                    created_at=now,
                )
            )
        flush_unique(session)
        audit.record(
            session,
            ctx,
            action=audit.PRODUCT_CREATED,
            user_id=actor.id,
            subject=clean_name,
            detail={"product_id": product.id, **_product_fields(product), "stock": stock},
        )
        info = load_product(session, product.id)
        session.commit()
        return info


def _product_fields(product: Product) -> dict[str, object]:
    return {
        "name": product.name,
        "sku": product.sku,
        "barcode": product.barcode,
        "category_id": product.category_id,
        "price_cents": product.price_cents,
        "sold_by": product.sold_by,
        "scale_code": product.scale_code,
        "description": product.description,
        "is_active": product.is_active,
    }


def _audit_product_change(
    session: Session,
    ctx: ServiceContext,
    actor: UserInfo,
    product: Product,
    before: dict[str, object],
) -> None:
    """One entry with each changed field as [before, after], e.g. a price 349 -> 399."""
    changed = audit.changes(before, _product_fields(product))
    if changed:
        audit.record(
            session,
            ctx,
            action=audit.PRODUCT_CHANGED,
            user_id=actor.id,
            subject=product.name,
            detail={"product_id": product.id, "sku": product.sku, "changes": changed},
        )


def _lock_product(session: Session, product_id: object) -> Product:
    pid = check_id(product_id, "product_id", "product")
    product = session.get(Product, pid, with_for_update=True)
    if product is None:
        raise NotFoundError("No such product.", field="product_id")
    return product


def update_product(
    ctx: ServiceContext,
    actor: UserSession,
    product_id: int,
    *,
    name: str | None = None,
    category_id: int | None = None,
    sku: str | None = None,
    barcode: str | _Unset | None = UNSET,
    price_cents: int | None = None,
    description: str | None = None,
    sold_by: str | None = None,
    scale_code: int | _Unset | None = UNSET,
) -> ProductInfo:
    """Change the given fields; ``barcode=None`` removes the barcode, leaving it out keeps it
    (``scale_code`` likewise). A product with stock or sales keeps how it is sold."""
    how = check_sold_by(sold_by) if sold_by is not None else None
    plu = _scale_code(scale_code) if scale_code is not UNSET else None
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "edit products")
        product = _lock_product(session, product_id)
        before = _product_fields(product)
        if name is not None:
            product.name = clean_text(name, "name", "product name", max_length=MAX_NAME)
        if category_id is not None:
            cid = check_id(category_id, "category_id", "category")
            _require_category(session, cid)
            product.category_id = cid
        new_sku = normalize_sku(sku) if sku is not None else None
        new_code = normalize_barcode(barcode) if barcode is not UNSET else None
        _check_codes_free(session, new_sku, new_code, product.id, plu)
        if how is not None:
            _check_sold_by_can_change(session, product, how)
            product.sold_by = how.value
        if scale_code is not UNSET:
            product.scale_code = plu
        _check_scale_code_fits(product.sold_by, product.scale_code)
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
        _audit_product_change(session, ctx, acting, product, before)
        info = load_product(session, product.id)
        session.commit()
        return info


def set_product_active(
    ctx: ServiceContext, actor: UserSession, product_id: int, active: bool
) -> ProductInfo:
    wanted = check_bool(active, "active")
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "activate or deactivate products")
        product = _lock_product(session, product_id)
        before = _product_fields(product)
        product.is_active = wanted
        product.updated_at = ctx.now()
        flush_unique(session)
        _audit_product_change(session, ctx, acting, product, before)
        info = load_product(session, product.id)
        session.commit()
        return info


def get_product(ctx: ServiceContext, actor: UserSession, product_id: int) -> ProductInfo:
    pid = check_id(product_id, "product_id", "product")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "view products")
        return load_product(session, pid)


def product_field_problems(
    name: object, sku: object, barcode: object, description: object = ""
) -> list[ValidationError]:
    """Every problem of a product's own fields that needs no database, so that a form can
    show them all at once instead of one per Save."""
    checks: tuple[Callable[[], object], ...] = (
        lambda: clean_text(name, "name", "product name", max_length=MAX_NAME),
        lambda: normalize_sku(sku),
        lambda: normalize_barcode(barcode),
        lambda: clean_description(description),
    )
    problems = []
    for check in checks:
        try:
            check()
        except ValidationError as problem:
            problems.append(problem)
    return problems
