"""Finding products by what a cashier scans or types: a code, a scale label or part of a name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pos_app.db.models import Product
from pos_app.domain.scale_labels import read_scale_label
from pos_app.domain.weights import grams_for_price
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, ValidationError
from pos_app.services.product_queries import (
    ProductInfo,
    load_product,
    name_contains,
    product_query,
    rare_candidates,
)
from pos_app.services.roles import Role
from pos_app.services.validation import MAX_SEARCH, check_int, clean_search, clean_text

MAX_SUGGESTIONS = 50


def sku_owner(session: Session, sku: str) -> int | None:
    """The product using ``sku`` in any case; the index serves it as typed, upper or lower."""
    variants = {sku, sku.upper(), sku.lower()}
    found = session.scalar(select(Product.id).where(Product.sku.in_(variants)).limit(1))
    if found is None:
        found = session.scalar(select(Product.id).where(func.lower(Product.sku) == sku.lower()))
    return found


def find_product(ctx: ServiceContext, actor: UserSession, code: str) -> ProductInfo:
    """The product with this exact barcode (EAN-13 or UPC-A), SKU (any case) or scale code."""
    text = clean_text(code, "code", "barcode or SKU", max_length=MAX_SEARCH)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up products")
        if text.isascii() and text.isdigit() and len(text) in (12, 13):
            barcode = text if len(text) == 13 else "0" + text
            # The usual scan: the whole row in one statement.
            row = session.execute(product_query().where(Product.barcode == barcode)).first()
            if row is not None:
                return ProductInfo(**row._asdict())
        return load_product(session, _product_by_code(session, text))


def _by_barcode(session: Session, text: str) -> int | None:
    if text.isascii() and text.isdigit() and len(text) in (12, 13):
        barcode = text if len(text) == 13 else "0" + text
        return session.scalar(select(Product.id).where(Product.barcode == barcode))
    return None


def _product_by_code(session: Session, text: str) -> int:
    found = _by_barcode(session, text)
    if found is None and len(text) <= 64:
        found = sku_owner(session, text)
    if found is None and text.isascii() and text.isdigit() and len(text) <= 6:
        found = session.scalar(select(Product.id).where(Product.scale_code == int(text)))
    if found is None:
        raise NotFoundError(f"No product has the barcode or SKU '{text}'.", field="code")
    return found


@dataclass(frozen=True)
class Scan:
    """What a scanned or typed code sells: a product, and what a scale label said of it.

    ``grams`` is the label's weight, or the weight its price buys at the price per kg; the
    ``label_price_cents`` of a price label is what the customer pays for the line. Both are None
    for an ordinary code: the till asks for the weight of a product sold by weight.
    """

    product: ProductInfo
    grams: int | None = None
    label_price_cents: int | None = None


def scan_code(ctx: ServiceContext, actor: UserSession, code: str) -> Scan:
    """A scale label (read by the shop's layout), or else the product's barcode, SKU or scale
    code. A product whose own barcode looks like a label is found by that barcode first."""
    text = clean_text(code, "code", "barcode or SKU", max_length=MAX_SEARCH)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up products")
        found = _by_barcode(session, text)
        label = None if found is not None else read_scale_label(text, ctx.scale_label_layout)
        if label is None:
            return Scan(load_product(session, found or _product_by_code(session, text)))
        owner = session.scalar(select(Product.id).where(Product.scale_code == label.item_code))
        if owner is None:
            raise NotFoundError(
                f"No product has the scale code {label.item_code} (label {text}).", field="code"
            )
        product = load_product(session, owner)
    if not product.is_weighed:
        raise ValidationError(f"{product.name} is not sold by weight.", field="code")
    if label.price_cents is not None:
        grams = grams_for_price(label.price_cents, product.price_cents, "code")
        return Scan(product, grams, label.price_cents)
    if not label.grams:
        raise ValidationError("The scale label shows no weight; weigh it again.", field="code")
    return Scan(product, label.grams)


def suggest_products(
    ctx: ServiceContext, actor: UserSession, text: str, limit: int = 10
) -> list[ProductInfo]:
    """Active products whose name contains ``text``, by name, for type-ahead."""
    wanted = clean_search(text)
    count = check_int(limit, "limit", "number of suggestions", minimum=1, maximum=MAX_SUGGESTIONS)
    if wanted is None:
        return []
    conditions = [Product.is_active.is_(True), name_contains(wanted)]
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up products")
        candidates = rare_candidates(session, wanted)
        if candidates is not None:
            conditions.append(Product.id.in_(candidates))
        query = (
            product_query().where(*conditions).order_by(Product.name_key, Product.id).limit(count)
        )
        return [ProductInfo(**row._asdict()) for row in session.execute(query)]


def find_product_or_only_match(ctx: ServiceContext, actor: UserSession, text: str) -> ProductInfo:
    """The product with this barcode or SKU; else the one active product whose name contains
    ``text``. When several names match, the error says so and asks to pick one."""
    try:
        return find_product(ctx, actor, text)
    except NotFoundError:
        matches = suggest_products(ctx, actor, text, limit=2)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise
    raise NotFoundError(
        f"Several products match '{str(text).strip()}': pick one from the list "
        "(arrow keys, then Enter).",
        field="code",
    )


def scan_or_only_match(ctx: ServiceContext, actor: UserSession, text: str) -> Scan:
    """What the till's code field found: a scale label or a code (:func:`scan_code`), else the
    one active product whose name contains ``text`` (:func:`find_product_or_only_match`)."""
    try:
        return scan_code(ctx, actor, text)
    except NotFoundError as not_found:
        if not_found.field != "code" or "scale code" in not_found.message:
            raise
    return Scan(find_product_or_only_match(ctx, actor, text))
