"""Products as CSV: an export for spreadsheets and an all-or-nothing import."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from itertools import count

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, SaleItem, StockMovement
from pos_app.domain.weights import SoldBy, format_kg
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.catalog import slugify
from pos_app.services.context import ServiceContext
from pos_app.services.csv_files import (
    _STREAM,
    CHUNK,
    Cancel,
    PathOrStream,
    Progress,
    RowError,
    _checkpoint,
    _read_records,
    _writer,
    escape_cell,
    source_name,
)
from pos_app.services.errors import ConflictError, PosError
from pos_app.services.money import format_plain
from pos_app.services.product_csv_rows import PRODUCT_COLUMNS, _parse_stock, _ProductRow, _validate
from pos_app.services.roles import Role, UserInfo
from pos_app.services.tax import plain_rate

IMPORT_CANCELLED = "Import cancelled; nothing was changed."
AUDIT_LIST_LIMIT = 500  # SKUs named in an import's audit entry; the counts are always complete


@dataclass(frozen=True)
class CsvImportResult:
    created: int = 0
    updated: int = 0
    categories_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def export_products(ctx: ServiceContext, actor: UserSession, path_or_stream: PathOrStream) -> int:
    """Write every product as category,sku,barcode,name,price,stock,tax_rate,sold_by,scale_code;
    returns the count.

    The tax rate is the category's, in per cent ('19', '7.5'). A product sold by weight has its
    price per kg and its stock in kg.
    """
    query = (
        select(Category.name, Product.sku, Product.barcode, Product.name, Product.price_cents)
        .add_columns(func.coalesce(Inventory.quantity, 0), Category.tax_rate_bp)
        .add_columns(Product.sold_by, Product.scale_code)
        .join(Category, Category.id == Product.category_id)
        .outerjoin(Inventory, Inventory.product_id == Product.id)
        .order_by(Category.name_key, Category.id, Product.name_key, Product.id)
    )
    written, currency = 0, ctx.shop_format.currency
    with _writer(path_or_stream) as stream, ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.MANAGER, "export products")
        writer = csv.writer(stream)
        writer.writerow(PRODUCT_COLUMNS)
        for category, sku, code, name, price, stock, rate, sold_by, plu in session.execute(
            query, execution_options=_STREAM
        ):
            texts = map(escape_cell, (category, sku, code or "", name))
            amount = format_kg(stock) if sold_by == SoldBy.WEIGHT else stock
            cells = [format_plain(price, currency), amount, plain_rate(rate), sold_by, plu or ""]
            writer.writerow([*texts, *cells])
            written += 1
    return written


def import_products(
    ctx: ServiceContext,
    actor: UserSession,
    stream_or_path: PathOrStream,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> CsvImportResult:
    """Check every row, then create or update all products in one transaction, or none."""
    rows, errors = _validate(_read_records(stream_or_path), ctx.shop_format.currency)
    if errors:
        return CsvImportResult(errors=errors)
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.MANAGER, "import products")
        existing, errors = _existing_products(session, rows)
        if not errors:
            rows, errors = _with_stock(session, rows, existing)
        if errors:
            return CsvImportResult(errors=errors)
        for row in rows:  # codes changing hands are released first, so products can swap them
            product = existing.get(row.sku.lower())
            if product is not None and product.barcode != row.barcode:
                product.barcode = None
            if product is not None and row.sets_scale_code and product.scale_code != row.scale_code:
                product.scale_code = None
        session.flush()
        writer = _ProductWriter(ctx, acting, session)
        for done, row in enumerate(rows, start=1):
            writer.write(row, existing.get(row.sku.lower()))
            if done % CHUNK == 0:
                _checkpoint(done, len(rows), progress, cancel, IMPORT_CANCELLED)
        _checkpoint(len(rows), len(rows), progress, cancel, IMPORT_CANCELLED)
        writer.record_import(source_name(stream_or_path))
        session.commit()
    return CsvImportResult(writer.created, writer.updated, writer.categories_created)


def _existing_products(session: Session, rows: list[_ProductRow]) -> _Existing:
    """The file's products already stored (by lower-cased SKU, locked) and barcode clashes."""
    wanted = {row.sku.lower() for row in rows}
    skus = sorted(wanted)
    codes = {row.barcode: row.line for row in rows if row.barcode is not None}
    barcodes, found, errors = list(codes), dict[str, Product](), list[RowError]()
    for start in range(0, max(len(skus), len(barcodes)), CHUNK):
        query = select(Product).where(func.lower(Product.sku).in_(skus[start : start + CHUNK]))
        found.update((p.sku.lower(), p) for p in session.scalars(query.with_for_update()))
        query = select(Product).where(Product.barcode.in_(barcodes[start : start + CHUNK]))
        for owner in session.scalars(query):
            if owner.sku.lower() not in wanted:
                message = f"The barcode {owner.barcode} already belongs to the product {owner.sku}."
                errors.append(RowError(codes[str(owner.barcode)], "barcode", message))
    errors += _scale_code_clashes(session, rows, wanted)
    return found, sorted(errors, key=lambda error: error.line_number)


def _scale_code_clashes(
    session: Session, rows: list[_ProductRow], wanted: set[str]
) -> list[RowError]:
    """Scale codes of the file that belong to a product the file does not name."""
    codes = {row.scale_code: row.line for row in rows if row.scale_code is not None}
    plus = list(codes)
    errors: list[RowError] = []
    for start in range(0, len(plus), CHUNK):
        query = select(Product).where(Product.scale_code.in_(plus[start : start + CHUNK]))
        for owner in session.scalars(query):
            if owner.sku.lower() not in wanted:
                message = f"The scale code {owner.scale_code} already belongs to {owner.sku}."
                errors.append(RowError(codes[int(owner.scale_code or 0)], "scale_code", message))
    return errors


def _with_stock(
    session: Session, rows: list[_ProductRow], existing: dict[str, Product]
) -> tuple[list[_ProductRow], list[RowError]]:
    """Each row's stock read in its product's unit (pieces, or kg of one sold by weight); a
    product with stock or sales keeps how it is sold."""
    done: list[_ProductRow] = []
    errors: list[RowError] = []
    for row in rows:
        product = existing.get(row.sku.lower())
        stored = SoldBy(product.sold_by) if product is not None else None
        sold_by = row.sold_by or stored or SoldBy.PIECE
        if product is not None and stored != sold_by and _has_stock_or_sales(session, product):
            unit = "grams" if stored == SoldBy.WEIGHT else "pieces"
            message = f"{product.sku} has stock or sales counted in {unit}; it keeps its way."
            errors.append(RowError(row.line, "sold_by", message))
            continue
        if sold_by != SoldBy.WEIGHT and row.scale_code is not None:
            message = "Only a product sold by weight has a scale code."
            errors.append(RowError(row.line, "scale_code", message))
            continue
        try:
            stock = _parse_stock(row.stock_text, sold_by)
        except PosError as exc:
            errors.append(RowError(row.line, "stock", exc.message))
            continue
        done.append(replace(row, sold_by=sold_by, stock=stock))
    return done, errors


def _has_stock_or_sales(session: Session, product: Product) -> bool:
    stock = session.scalar(select(Inventory.quantity).where(Inventory.product_id == product.id))
    sold = session.scalar(select(SaleItem.id).where(SaleItem.product_id == product.id).limit(1))
    return bool(stock) or sold is not None


_Existing = tuple[dict[str, Product], list[RowError]]


def _csv_fields(product: Product) -> dict[str, object]:
    return {
        "name": product.name,
        "price_cents": product.price_cents,
        "category_id": product.category_id,
        "barcode": product.barcode,
        "sold_by": product.sold_by,
        "scale_code": product.scale_code,
    }


class _ProductWriter:
    """Applies validated rows inside the caller's transaction."""

    def __init__(self, ctx: ServiceContext, actor: UserInfo, session: Session) -> None:
        self.ctx, self.actor, self.session, self.now = ctx, actor, session, ctx.now()
        self.categories: dict[str, int] = {}
        self.created = self.updated = self.categories_created = 0
        self.created_skus: list[str] = []
        self.changed: list[dict[str, object]] = []
        self.stock_set: list[dict[str, object]] = []

    def write(self, row: _ProductRow, product: Product | None) -> None:
        category_id = self._category(row.category, row.tax_rate)
        is_new = product is None
        before = {} if product is None else _csv_fields(product)
        if product is None:
            product = Product(sku=row.sku, description="", is_active=True, created_at=self.now)
            self.session.add(product)
        product.name, product.price_cents, product.category_id = row.name, row.price, category_id
        product.updated_at = self.now
        product.barcode = row.barcode
        product.sold_by = (row.sold_by or SoldBy.PIECE).value
        if row.sets_scale_code:
            product.scale_code = row.scale_code
        self.session.flush()
        if is_new:
            self.created_skus.append(product.sku)
        elif changed := audit.changes(before, _csv_fields(product)):
            self.changed.append({"sku": product.sku, "changes": changed})
        self.created, self.updated = self.created + is_new, self.updated + (not is_new)
        if is_new or row.stock is not None:
            self._set_stock(product.id, row.stock or 0, is_new, product.sku)

    def record_import(self, source: str) -> None:
        """One audit entry for the import: the counts, the new SKUs and each edit's before/after."""
        audit.record(
            self.session,
            self.ctx,
            action=audit.CSV_IMPORT,
            user_id=self.actor.id,
            subject=source or "products CSV",
            detail={
                "created": self.created,
                "updated": self.updated,
                "categories_created": self.categories_created,
                "created_skus": self.created_skus[:AUDIT_LIST_LIMIT],
                "changed": self.changed[:AUDIT_LIST_LIMIT],
                "stock_set": self.stock_set[:AUDIT_LIST_LIMIT],
                "listed_up_to": AUDIT_LIST_LIMIT,
            },
        )

    def _category(self, name: str, rate: int | None) -> int:
        key = name.lower()
        if key not in self.categories:
            same = or_(Category.name == name, func.lower(Category.name) == key)
            query = select(Category).where(same).order_by(Category.id).with_for_update()
            found = self.session.scalars(query).first()
            if found is None:
                self.categories[key] = self._new_category(name, rate)
            else:
                self.categories[key] = found.id
                if rate is not None and rate != found.tax_rate_bp:
                    self._change_rate(found, rate)
        return self.categories[key]

    def _change_rate(self, category: Category, rate: int) -> None:
        """The file's rate for an existing category: it applies from now on, audited."""
        audit.record(
            self.session,
            self.ctx,
            action=audit.TAX_RATE_CHANGED,
            user_id=self.actor.id,
            subject=category.name,
            detail={
                "category_id": category.id,
                "old_rate_bp": category.tax_rate_bp,
                "new_rate_bp": rate,
                "source": "CSV import",
            },
        )
        category.tax_rate_bp = rate

    def _new_category(self, name: str, rate: int | None) -> int:
        slug = base = slugify(name)[:180] or "category"
        for suffix in count(2):
            if self.session.scalar(select(Category.id).where(Category.slug == slug)) is None:
                break
            slug = f"{base}-{suffix}"
        tax_rate = self.ctx.default_tax_bp if rate is None else rate
        category = Category(
            name=name, slug=slug, description="", is_active=True, tax_rate_bp=tax_rate
        )
        category.created_at = self.now
        self.session.add(category)
        self.session.flush()
        self.categories_created += 1
        audit.record(
            self.session,
            self.ctx,
            action=audit.CATEGORY_CREATED,
            user_id=self.actor.id,
            subject=name,
            detail={
                "category_id": category.id,
                "slug": slug,
                "tax_rate_bp": tax_rate,
                "source": "CSV import",
            },
        )
        return category.id

    def _set_stock(self, product_id: int, target: int, is_new: bool, sku: str) -> None:
        query = select(Inventory.quantity).where(Inventory.product_id == product_id)
        current = None if is_new else self.session.scalar(query.with_for_update())
        if current is None:
            self.session.add(Inventory(product_id=product_id, quantity=target, updated_at=self.now))
            self._movement(product_id, target, "restock", "CSV import")
        elif change := target - current:
            result = self.session.execute(
                update(Inventory)
                .where(Inventory.product_id == product_id, Inventory.quantity + change >= 0)
                .values(quantity=Inventory.quantity + change, updated_at=self.now)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise ConflictError("The stock changed during the import; nothing was changed.")
            self._movement(product_id, change, "adjustment", f"CSV import: stock set to {target}")
            self.stock_set.append({"sku": sku, "before": current, "after": target})

    def _movement(self, product_id: int, change: int, reason: str, note: str) -> None:
        who = {"user_id": self.actor.id, "created_at": self.now}
        if change:
            movement = StockMovement(product_id=product_id, quantity_change=change, **who)
            movement.reason, movement.note = reason, note
            self.session.add(movement)
