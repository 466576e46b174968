"""Products and sale lines as CSV: exports for spreadsheets and an all-or-nothing product import."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, Sale, SaleItem, StockMovement, User
from pos_app.domain.weights import SoldBy, check_sold_by, format_kg, parse_weight
from pos_app.services import audit
from pos_app.services.access import UserSession, authorize
from pos_app.services.barcodes import normalize_barcode, normalize_sku
from pos_app.services.catalog import slugify
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, PosError, ValidationError
from pos_app.services.money import format_plain, parse_money
from pos_app.services.roles import Role, UserInfo
from pos_app.services.tax import parse_tax_rate, plain_rate
from pos_app.services.validation import check_file_path, clean_text

PathOrStream = str | os.PathLike[str] | IO[str]
Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

PRODUCT_COLUMNS = (
    "category", "sku", "barcode", "name", "price", "stock", "tax_rate", "sold_by", "scale_code"
)  # fmt: skip
# Files written before the tax rate, how a product is sold and its scale code were exported
# lack those columns; they still import, and what they leave out stays as stored.
OPTIONAL_COLUMNS = frozenset({"tax_rate", "sold_by", "scale_code"})
MAX_SCALE_CODE = 999_999
SALE_LINE_HEADER = (
    "sale_id,created_at_local,local_date,till,cashier,product_id,"
    "sku,product,category,quantity,unit_price,revenue"
)
SALE_LINE_COLUMNS = tuple(SALE_LINE_HEADER.split(","))
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
IMPORT_CANCELLED = "Import cancelled; nothing was changed."
EXPORT_CANCELLED = "Export cancelled; the file was not written."
MAX_STOCK = 1_000_000_000
CHUNK = 500
AUDIT_LIST_LIMIT = 500  # SKUs named in an import's audit entry; the counts are always complete
_STREAM = {"yield_per": CHUNK}  # rows arrive in chunks: a large export never sits in memory


@dataclass(frozen=True)
class RowError:
    line_number: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line_number}, {self.field}: {self.message}"


@dataclass(frozen=True)
class CsvImportResult:
    created: int = 0
    updated: int = 0
    categories_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _ProductRow:
    line: int
    category: str
    sku: str
    name: str
    price: int
    barcode: str | None
    stock_text: str
    sold_by: SoldBy | None
    scale_code: int | None
    sets_scale_code: bool
    stock: int | None = None
    tax_rate: int | None = None


def escape_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: formula-like values get a leading single quote."""
    if not isinstance(value, str):
        raise ValidationError("A cell must be text.", field="cell")
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    if not isinstance(value, str):
        raise ValidationError("A cell must be text.", field="cell")
    if value.startswith("'") and value[1:].lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


@contextmanager
def _writer(target: PathOrStream) -> Iterator[IO[str]]:
    """A text stream; a path is written to a temporary file renamed into place when complete."""
    if not isinstance(target, str | os.PathLike):
        if not hasattr(target, "write"):
            raise ValidationError("Choose a file to write to.", field="path")
        yield target
        return
    path = Path(check_file_path(target))
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as stream:
            yield stream
        os.replace(partial, path)
    except OSError as exc:
        raise ValidationError(f"Cannot write {path}: {exc.strerror}.", field="path") from None
    finally:
        partial.unlink(missing_ok=True)


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


def export_sale_lines(
    ctx: ServiceContext,
    actor: UserSession,
    start: date,
    end: date,
    path_or_stream: PathOrStream,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Write every sale line whose shop-local day is within start..end; returns the row count.

    A weighed line's quantity is in kg with three decimals and its unit price is per kg."""
    if not all(isinstance(day, date) and not isinstance(day, datetime) for day in (start, end)):
        raise ValidationError("Choose a start and an end date.", field="start")
    if start > end:
        raise ValidationError("The start date must not be after the end date.", field="start")
    in_range = SaleItem.local_date.between(start, end)
    query = (
        select(Sale.id, Sale.created_at, Sale.local_date, Sale.till_id, User.first_name)
        .add_columns(User.last_name, Product.id, Product.sku, Product.name, Category.name)
        .add_columns(SaleItem.quantity, SaleItem.unit_price_cents, SaleItem.revenue_cents)
        .add_columns(Product.sold_by)
        .join_from(SaleItem, Sale, Sale.id == SaleItem.sale_id)
        .join(User, User.id == Sale.user_id)
        .join(Product, Product.id == SaleItem.product_id)
        .join(Category, Category.id == SaleItem.category_id)
        .where(in_range)
        .order_by(Sale.created_at, Sale.id, SaleItem.id)
    )
    written = 0
    with _writer(path_or_stream) as stream, ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "export sales")
        total = session.scalar(select(func.count()).select_from(SaleItem).where(in_range)) or 0
        writer = csv.writer(stream)
        writer.writerow(SALE_LINE_COLUMNS)
        for row in session.execute(query, execution_options=_STREAM):
            writer.writerow(_sale_line_cells(ctx, row))
            written += 1
            if written % CHUNK == 0:
                _checkpoint(written, total, progress, cancel, EXPORT_CANCELLED)
        _checkpoint(written, total, progress, cancel, EXPORT_CANCELLED)
    return written


def _sale_line_cells(ctx: ServiceContext, row: Sequence[Any]) -> list[object]:
    sale, moment, day, till, first, last, pid, sku, name, category, *figures, sold_by = row
    quantity, price, revenue = figures
    if sold_by == SoldBy.WEIGHT:
        quantity = format_kg(quantity)  # kg with three decimals; the unit price is per kg
    local = moment.astimezone(ctx.timezone).strftime("%Y-%m-%d %H:%M:%S")
    cashier = escape_cell(f"{first} {last}".strip())
    names = [escape_cell(text) for text in (sku, name, category)]
    currency = ctx.shop_format.currency
    numbers = [quantity, format_plain(price, currency), format_plain(revenue, currency)]
    return [sale, local, day.isoformat(), escape_cell(till), cashier, pid, *names, *numbers]


def _checkpoint(
    done: int, total: int, progress: Progress | None, cancel: Cancel | None, message: str
) -> None:
    if cancel is not None and cancel():
        raise ValidationError(message)
    if progress is not None:
        progress(done, total)


def _read_records(source: PathOrStream) -> list[tuple[int, list[str]]]:
    """Every non-blank record with the line number it starts on."""
    if isinstance(source, str | os.PathLike):
        try:
            with Path(check_file_path(source)).open(encoding="utf-8-sig", newline="") as stream:
                return _read_records(stream)
        except OSError as exc:
            raise ValidationError(f"Cannot read {source}: {exc.strerror or exc}.") from None
    records: list[tuple[int, list[str]]] = []
    try:
        reader, previous = csv.reader(source, strict=True), 0
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((previous + 1, cells))
            previous = reader.line_num
    except (UnicodeDecodeError, csv.Error, TypeError):
        raise ValidationError("This is not a CSV file in UTF-8; save it as CSV UTF-8.") from None
    if records:
        records[0][1][0] = records[0][1][0].lstrip("\ufeff")
    return records


def _check_header(line: int, header: list[str]) -> tuple[list[str], list[RowError]]:
    columns = [cell.strip().lower() for cell in header]
    expected = ", ".join(PRODUCT_COLUMNS)
    errors = [
        RowError(line, name or "header", f"Unknown column '{name}'; expected {expected}.")
        for name in columns
        if name not in PRODUCT_COLUMNS
    ]
    for name in PRODUCT_COLUMNS:
        if columns.count(name) > 1:
            errors.append(RowError(line, name, f"The column '{name}' appears more than once."))
        elif name not in columns and name not in OPTIONAL_COLUMNS:
            errors.append(RowError(line, name, f"The column '{name}' is missing."))
    return columns, errors


def _parse_stock(text: str, sold_by: str) -> int | None:
    """Pieces as a whole number, or kilograms with up to three decimals when sold by weight."""
    if not text:
        return None
    if sold_by == SoldBy.WEIGHT:
        return parse_weight(text, "stock", allow_zero=True, maximum=MAX_STOCK)
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_STOCK):
        raise ValidationError(f"Enter the stock as a whole number from 0 to {MAX_STOCK:,}.")
    return int(text)


def _parse_scale_code(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_SCALE_CODE):
        raise ValidationError(f"Enter the scale code as a number from 1 to {MAX_SCALE_CODE:,}.")
    return int(text)


def _parsers(currency: str) -> dict[str, Callable[[str], Any]]:
    """Each column's reader; a price is a plain decimal with a dot (machine-readable, the way
    exports write it) and at most the currency's decimals."""
    parsers = dict(_PARSERS)
    parsers["price"] = lambda v: parse_money(v.strip(), "price", currency)
    return parsers


_PARSERS: dict[str, Callable[[str], Any]] = {
    "category": lambda v: clean_text(v, "category", "category", max_length=200),
    "sku": normalize_sku,
    "name": lambda v: clean_text(v, "name", "product name", max_length=200),
    "price": lambda v: parse_money(v.strip(), "price"),
    "barcode": normalize_barcode,
    "stock_text": str.strip,
    "tax_rate": lambda v: parse_tax_rate(v, "tax_rate") if v.strip() else None,
    "sold_by": lambda v: check_sold_by(v) if v.strip() else None,
    "scale_code": _parse_scale_code,
}
_COLUMN_OF = {"stock_text": "stock"}


def _parse_row(
    line: int, columns: list[str], cells: list[str], currency: str = "EUR"
) -> tuple[_ProductRow | None, list[RowError]]:
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        message = f"This row has {len(cells)} fields but the header has {len(columns)}."
        return None, [RowError(line, "row", message)]
    values = {name: unescape_cell(cell) for name, cell in zip(columns, cells, strict=False)}
    clean: dict[str, Any] = {}
    errors: list[RowError] = []
    for name, parse in _parsers(currency).items():
        try:
            clean[name] = parse(values.get(_COLUMN_OF.get(name, name), ""))
        except PosError as exc:
            errors.append(RowError(line, name, exc.message))
    _precheck_stock(line, clean["stock_text"], clean.get("sold_by"), errors)
    if errors:
        return None, errors
    return _ProductRow(line=line, sets_scale_code="scale_code" in columns, **clean), []


def _precheck_stock(line: int, text: str, sold_by: SoldBy | None, errors: list[RowError]) -> None:
    """Report a stock no product could hold with the rest of the file's mistakes; the stock is
    read for good once it is known whether a stored product is sold by weight."""
    whole = text.isascii() and text.isdigit()
    try:
        _parse_stock(text, sold_by or (SoldBy.PIECE if whole else SoldBy.WEIGHT))
    except PosError as exc:
        errors.append(RowError(line, "stock", exc.message))


def _validate(
    records: list[tuple[int, list[str]]], currency: str = "EUR"
) -> tuple[list[_ProductRow], list[RowError]]:
    columns, errors = _check_header(*(records[0] if records else (1, [])))
    if errors:
        return [], errors
    rows: list[_ProductRow] = []
    seen: dict[tuple[str, str], int] = {}
    rates: dict[str, tuple[int, int]] = {}
    for line, cells in records[1:]:
        row, row_errors = _parse_row(line, columns, cells, currency)
        errors += row_errors
        if row is not None and row.tax_rate is not None:
            first_line, rate = rates.setdefault(row.category.lower(), (line, row.tax_rate))
            if rate != row.tax_rate:
                message = (
                    f"{row.category} has the tax rate {plain_rate(rate)} % on line "
                    f"{first_line}; one category has one rate."
                )
                errors.append(RowError(line, "tax_rate", message))
        codes = (
            ("sku", row and row.sku.lower()),
            ("barcode", row and row.barcode),
            ("scale_code", row and row.scale_code and str(row.scale_code)),
        )
        for name, code in codes:
            first = seen.setdefault((name, code), line) if code else line
            if first != line:
                errors.append(RowError(line, name, f"The same {name} is on line {first}."))
        rows += [row] if row else []
    return rows, errors


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


def source_name(source: PathOrStream) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(source).name
    return str(getattr(source, "name", "") or "")


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
