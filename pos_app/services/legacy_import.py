"""Import the old web shop's database (users, catalogue, stock, sales) in one transaction.

The source is only read. Rows that cannot be imported are skipped with a reason; a second run
adds nothing (users match by e-mail, categories by slug, products by SKU 'LEG-<id>', sales by a
UUID derived from the old id). Lines of one old sale for one product at one unit price merge;
at different prices both stay. Old sales book no movements; each stock is one 'restock'.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, Sale, SaleItem, StockMovement, User
from pos_app.services.access import UserSession, authorize
from pos_app.services.auth import EMAIL_PATTERN
from pos_app.services.catalog import slugify
from pos_app.services.context import ServiceContext
from pos_app.services.legacy_source import Row, Rows, legacy_url, read_legacy
from pos_app.services.money import MAX_CENTS, decimal_to_minor, format_plain, minor_units
from pos_app.services.roles import Role, UserInfo
from pos_app.services.rollups import rebuild_rollups
from pos_app.services.shifts import LEGACY_TILL

_SALE_KEYS = ("uuid", "user_id", "till_id", "created_at", "local_date", "total_cents")
_ITEM_KEYS: tuple[str, ...] = ("sale_id", "product_id", "category_id", "local_date", "quantity")
_ITEM_KEYS += ("unit_price_cents", "revenue_cents")
LEGACY_NAMESPACE = uuid.UUID("4c0b8f5e-2f57-4d6c-9a51-7d3f1e0b6a24")
IMPORT_NOTE = "imported"
SALE_BATCH = 500
MAX_STOCK = 1_000_000_000
COUNTED = ("users", "categories", "products", "stock_movements", "sales", "sale_items")

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SkippedRow:
    table: str
    legacy_id: object
    reason: str


@dataclass(frozen=True)
class ImportSummary:
    imported: dict[str, int]
    skipped: list[SkippedRow]
    warnings: list[str]

    def lines(self, limit: int = 50) -> list[str]:
        """A summary for people: counts, then skipped rows and warnings (at most ``limit`` each)."""
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in self.imported.items())
        out = [f"Imported {counts}."]
        skipped = [f"{row.table} {row.legacy_id}: {row.reason}" for row in self.skipped]
        for title, items in (("Skipped rows", skipped), ("Warnings", self.warnings)):
            if items:
                out.append(f"{title} ({len(items)}):")
                out += ["  " + item for item in items[:limit]]
                out += [f"  ... and {len(items) - limit} more."] if len(items) > limit else []
        return out


class _Skip(Exception):
    """A legacy row that cannot be imported; the message is the reason."""


def legacy_sale_uuid(legacy_id: int) -> str:
    return str(uuid.uuid5(LEGACY_NAMESPACE, f"legacy-sale-{legacy_id}"))


def legacy_cents(value: object, currency: str = "EUR") -> int:
    """An old amount (int, Decimal, float or text) in exact minor units of ``currency``."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise _Skip(f"the amount {value!r} is not a number")
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise _Skip(f"the amount {value!r} is not a number") from None
    places = minor_units(currency)
    if not amount.is_finite() or amount % Decimal(1).scaleb(-places):
        raise _Skip(
            f"the amount {value!r} is not a number or has more than {places} decimals"
            if places
            else f"the amount {value!r} is not a whole number ({currency} has no decimals)"
        )
    minor = decimal_to_minor(amount, currency)
    if not 0 <= minor <= MAX_CENTS:
        raise _Skip(f"the amount {value!r} is negative or too large")
    return minor


def import_legacy(
    ctx: ServiceContext, actor: UserSession, source_url: str, progress: Progress | None = None
) -> ImportSummary:
    """Copy the old shop's users, catalogue, stock and sales into Till, all or nothing."""
    data = read_legacy(legacy_url(source_url))
    with ctx.unit_of_work() as session:
        acting = authorize(session, ctx, actor, Role.OWNER, "import the old web shop's data")
        importer = _Importer(ctx, acting, session)
        importer.run(data, progress)
        rebuild_rollups(session, ctx.timezone, till_id=LEGACY_TILL)
        session.commit()
    return ImportSummary(importer.imported, importer.skipped, importer.warnings)


def _int(value: object) -> int:
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, float | Decimal) and value == int(value):
        return int(value)
    return int(str(value).strip())


def _id(value: object) -> object:
    try:
        return _int(value)
    except (ValueError, TypeError, ArithmeticError):
        return value


def _text(value: object, limit: int) -> str:
    return "" if value is None else str(value).strip()[:limit]


def _flag(value: object) -> bool:
    return value is None or _text(value, 8).lower() in {"1", "true", "t", "yes", "y"}


def _utc(value: object) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


Line = tuple[int, int, int, int]  # product id, category id, quantity, unit price in cents
_BadRow = (ValueError, TypeError, ArithmeticError)


class _Importer:
    def __init__(self, ctx: ServiceContext, actor: UserInfo, session: Session) -> None:
        self.ctx, self.actor, self.session, self.now = ctx, actor, session, ctx.now()
        self.currency = ctx.shop_format.currency
        self.imported = dict.fromkeys(COUNTED, 0)
        self.skipped: list[SkippedRow] = []
        self.warnings: list[str] = []
        self.emails = dict(session.execute(select(User.email, User.id)).all())
        self.slugs = dict(session.execute(select(Category.slug, Category.id)).all())
        legacy = Product.sku.like("LEG-%")
        query = select(Product.sku, Product.id, Product.category_id).where(legacy)
        self.skus = {sku: (pid, cid) for sku, pid, cid in session.execute(query)}
        self.present = set(session.scalars(select(Sale.uuid).where(Sale.till_id == LEGACY_TILL)))
        self.users: dict[object, int] = {}
        self.categories: dict[object, int] = {}
        self.products: dict[object, tuple[int, int]] = {}
        self.stock: dict[object, int] = defaultdict(int)
        self.created: list[tuple[int, Product, object]] = []
        self.lines: dict[object, Rows] = defaultdict(list)
        self.batch: list[tuple[int, int, datetime, list[Line]]] = []
        self.known: dict[str, set[object]] = {}

    def run(self, data: dict[str, Rows], progress: Progress | None) -> None:
        self.known = {name: {_id(row["id"]) for row in rows} for name, rows in data.items()}
        done, total = 0, sum(len(rows) for rows in data.values())
        for table, handle in self._steps():
            for row in data[table]:
                self._guard(table, row, handle)
                done += 1
                if progress is not None and (done % SALE_BATCH == 0 or done == total):
                    progress(done, total)
        self._write_sales()

    def _steps(self) -> Iterator[tuple[str, Callable[[int, Row], None]]]:
        """The tables in order with their row handlers; products and stock are booked between."""
        yield from (("user", self._user), ("category", self._category), ("product", self._product))
        self.session.flush()
        for legacy_id, product, _ in self.created:
            self.products[legacy_id] = (product.id, product.category_id)
        self.imported["products"] += len(self.created)
        yield "inventory", self._inventory
        self._book_stock()
        yield from (("sale_item", self._sale_item), ("sale", self._sale))

    def _guard(self, table: str, row: Row, handle: Callable[[int, Row], None]) -> None:
        try:
            handle(_int(row["id"]), row)
        except (_Skip, *_BadRow) as exc:
            reason = str(exc) if isinstance(exc, _Skip) else f"it could not be read ({exc})"
            self.skipped.append(SkippedRow(table, row.get("id"), reason))

    def _missing(self, table: str, legacy_id: object) -> _Skip:
        state = "was not imported" if legacy_id in self.known[table] else "does not exist"
        return _Skip(f"its {table.replace('_', ' ')} {legacy_id} {state}")

    def _user(self, legacy_id: int, row: Row) -> None:
        email = _text(row["email"], 300).lower()
        if len(email) > 254 or not EMAIL_PATTERN.match(email):
            raise _Skip(f"the e-mail address {email!r} is not valid")
        if email in self.emails:
            self.users[legacy_id] = self.emails[email]
            raise _Skip(f"{email} is already a Till user; their sales go to that account")
        password = _text(row["hashed_password"], 255)
        if not password.startswith("$argon2"):
            self.warnings.append(f"{email} has no argon2 password; set one before they log in.")
        user = User(email=email, role="cashier", failed_logins=0, password_hash=password)
        user.first_name = _text(row["first_name"], 100) or email.split("@")[0][:100]
        user.last_name, user.is_active = _text(row["last_name"], 100), _flag(row["is_active"])
        user.timezone, user.last_login = _text(row["timezone"], 64) or None, _utc(row["last_login"])
        user.created_at = _utc(row["created_at"]) or self.now
        self.session.add(user)
        self.session.flush()
        self.emails[email] = self.users[legacy_id] = user.id
        self.imported["users"] += 1

    def _category(self, legacy_id: int, row: Row) -> None:
        name = _text(row["category_name"], 200)
        if not name:
            raise _Skip("it has no name")
        slug = slugify(_text(row["category_slug"], 200) or name) or f"legacy-{legacy_id}"
        if slug not in self.slugs:
            category = Category(name=name, slug=slug, description="", is_active=True)
            category.created_at = _utc(row["created_at"]) or self.now
            self.session.add(category)
            self.session.flush()
            self.slugs[slug] = category.id
            self.imported["categories"] += 1
        self.categories[legacy_id] = self.slugs[slug]

    def _product(self, legacy_id: int, row: Row) -> None:
        sku = f"LEG-{legacy_id}"
        if sku in self.skus:
            self.products[legacy_id] = self.skus[sku]
            return
        category_id = self.categories.get(_id(row["category_id"]))
        if category_id is None:
            raise self._missing("category", _id(row["category_id"]))
        name = _text(row["product_name"], 200)
        if not name:
            raise _Skip("it has no name")
        cents = legacy_cents(row["price"], self.currency)
        product = Product(name=name, sku=sku, category_id=category_id, price_cents=cents)
        product.description = _text(row["description"], 5000)
        product.is_active, product.barcode = _flag(row["is_active"]), None
        product.created_at, product.updated_at = _utc(row["created_at"]) or self.now, self.now
        self.session.add(product)
        self.created.append((legacy_id, product, row["quantity"]))

    def _inventory(self, legacy_id: int, row: Row) -> None:
        product = _id(row["product_id"])
        if product not in self.products:
            raise self._missing("product", product)
        self.stock[product] += _int(row["quantity"])

    def _book_stock(self) -> None:
        for legacy_id, product, listed in self.created:
            batches = self.stock[legacy_id]
            stock = min(max(batches, 0), MAX_STOCK)
            if _id(listed) != batches or stock != batches:
                self.warnings.append(
                    f"Product {legacy_id} ({product.name}): the product table says {listed} in "
                    f"stock, its inventory rows add up to {batches}; the stock is now {stock}."
                )
            self.session.add(Inventory(product_id=product.id, quantity=stock, updated_at=self.now))
            if stock:
                movement = StockMovement(reason="restock", note=IMPORT_NOTE, user_id=self.actor.id)
                movement.product_id, movement.quantity_change = product.id, stock
                movement.created_at = self.now
                self.session.add(movement)
                self.imported["stock_movements"] += 1

    def _sale_item(self, legacy_id: int, row: Row) -> None:
        if _id(row["sale_id"]) not in self.known["sale"]:
            raise self._missing("sale", _id(row["sale_id"]))
        self.lines[_id(row["sale_id"])].append(row)

    def _sale(self, legacy_id: int, row: Row) -> None:
        if legacy_sale_uuid(legacy_id) in self.present:
            return
        user_id = self.users.get(_id(row["user_id"]))
        if user_id is None:
            raise self._missing("user", _id(row["user_id"]))
        moment = _utc(row["created_at"])
        if moment is None:
            raise _Skip("it has no date")
        items = self._merged_lines(self.lines.get(legacy_id, []))
        if not items:
            raise _Skip("none of its lines could be imported")
        total = sum(quantity * price for _, _, quantity, price in items)
        try:
            old: int | None = legacy_cents(row["total_amount"], self.currency)
        except _Skip:
            old = None
        if old != total:
            was = row["total_amount"] if old is None else format_plain(old, self.currency)
            kept = f"its lines add up to {format_plain(total, self.currency)} (kept)"
            self.warnings.append(f"Sale {legacy_id}: the old total was {was}; {kept}.")
        self.batch.append((legacy_id, user_id, moment, items))
        if len(self.batch) >= SALE_BATCH:
            self._write_sales()

    def _merged_lines(self, rows: Rows) -> list[Line]:
        """A sale's lines; the same product at the same unit price is merged into one line."""
        merged: dict[tuple[int, int], Line] = {}

        def add(_: int, row: Row) -> None:
            product = self.products.get(_id(row["product_id"]))
            if product is None:
                raise self._missing("product", _id(row["product_id"]))
            quantity = _int(row["quantity"])
            if not 0 < quantity <= MAX_STOCK:
                raise _Skip(f"its quantity {quantity} is not a positive count")
            price = legacy_cents(row["price_per_unit"], self.currency)
            earlier = merged.get((product[0], price), (0, 0, 0, 0))[2]
            merged[(product[0], price)] = (*product, earlier + quantity, price)

        for row in rows:
            self._guard("sale_item", row, add)
        return list(merged.values())

    def _write_sales(self) -> None:
        if not self.batch:
            return
        sales, items = list[Row](), list[Row]()
        for legacy_id, user_id, moment, lines in self.batch:
            day, total = self.ctx.local_date(moment), sum(q * price for _, _, q, price in lines)
            sale = (legacy_sale_uuid(legacy_id), user_id, LEGACY_TILL, moment, day, total)
            sales.append(dict(zip(_SALE_KEYS, sale, strict=True)))
        self.session.execute(insert(Sale), sales)
        query = select(Sale.uuid, Sale.id).where(Sale.uuid.in_([sale["uuid"] for sale in sales]))
        ids = dict(self.session.execute(query).all())
        for done, (*_, lines) in zip(sales, self.batch, strict=True):
            for product_id, category_id, quantity, price in lines:
                item = (ids[done["uuid"]], product_id, category_id, done["local_date"], quantity)
                items.append(dict(zip(_ITEM_KEYS, (*item, price, quantity * price), strict=True)))
        self.session.execute(insert(SaleItem), items)
        self.imported["sales"] += len(sales)
        self.imported["sale_items"] += len(items)
        self.batch.clear()
