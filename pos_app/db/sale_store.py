"""The SQL of a sale at the till, written for speed: what ``checkout.purchase`` reads and writes.

A purchase reads everything it needs in one statement (its session's token row and the cashier's
current account, the till's open shift, a sale already stored under the same id, the approver of
changed prices, the products with their tax rates), takes the stock with one conditional update
per line in product-id order, then writes the priced sale with one statement per table and no
read-backs. The rules (prices, tax, approvals, tenders) are the domain's; this module moves rows.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from pos_app.db.fixed_sql import FixedSQL, insert_into
from pos_app.db.models import (
    Category,
    Inventory,
    Payment,
    Product,
    Sale,
    SaleItem,
    Shift,
    StockMovement,
    Token,
    User,
    table_of,
)
from pos_app.db.statement_batch import NEW_ID, BatchResult, StatementBatch
from pos_app.domain.checks import MAX_ID
from pos_app.domain.pricing import PricedLine, ProductPrice
from pos_app.domain.tenders import PaymentLine

MAX_DISCOUNT_NAME = 255

_USERS, _SHIFTS, _SALES = table_of(User), table_of(Shift), table_of(Sale)
_PRODUCTS, _CATEGORIES, _STOCK = table_of(Product), table_of(Category), table_of(Inventory)
_ITEMS, _TOKENS = table_of(SaleItem), table_of(Token)


# One row per product found (one row with no product when none is), each carrying the session's
# token row (revoked, expiry and account, as one text) and the cashier's account as it is now
# (the one the session names), the id of a sale already stored under this uuid, the till's open
# shift and, when the sale names one, the approver's role (when active) and name. The shared
# locks keep the cashier's account and that shift open, and the prices and tax rates fixed,
# until the sale commits; a lock clause does not reach into subqueries, so the token, sale and
# approver lookups take none. SQLite needs no lock clause: its sale transaction holds the write
# lock from its first statement. Each row is two JSON arrays, the sale's state and the product:
# PyMySQL decodes every result column's description in Python, which for the 23 columns cost
# more than the whole read.
_CART_STATE = """\
SELECT
  JSON_ARRAY(
    (SELECT {token} FROM tokens WHERE token_hash = :token_hash),
    users.email, users.first_name, users.last_name, users.role, users.is_active,
    users.timezone, users.last_login, users.created_at,
    (SELECT id FROM sales WHERE uuid = :key),
    (SELECT id FROM shifts WHERE open_till_id = :till{lock}),
    {approver}
  ),
  JSON_ARRAY(
    products.id, products.name, products.sku, products.price_cents, products.category_id,
    products.is_active, categories.tax_rate_bp, products.sold_by
  )
FROM users
LEFT OUTER JOIN products ON products.id IN ({product_ids})
LEFT OUTER JOIN categories ON categories.id = products.category_id
WHERE users.id = :user{lock}"""
_APPROVER = """\
(SELECT role FROM users AS approver WHERE approver.id = :approver AND approver.is_active = 1),
    (SELECT {approver_name} FROM users AS approver WHERE approver.id = :approver)"""
_CART_STATE_DIALECTS = {
    "mysql": {
        "lock": " LOCK IN SHARE MODE",
        "token": "CONCAT_WS('|', revoked, expires_at, user_id)",
        "approver_name": "CONCAT(approver.first_name, ' ', approver.last_name)",
    },
    "sqlite": {
        "lock": "",
        "token": "revoked || '|' || expires_at || '|' || user_id",
        "approver_name": "approver.first_name || ' ' || approver.last_name",
    },
}
_MAX_CACHED_CARTS = 64


@functools.lru_cache(maxsize=_MAX_CACHED_CARTS)
def _cart_state(products: int, approver: bool) -> FixedSQL:
    """The sale's one read for a cart of ``products`` distinct products, with or without an
    approver to look up (most sales have none)."""
    names = ", ".join(f":product_{n}" for n in range(products)) or "NULL"
    texts = {}
    for family, parts in _CART_STATE_DIALECTS.items():
        looked_up = _APPROVER.format(**parts) if approver else "NULL, NULL"
        texts[family] = _CART_STATE.format(product_ids=names, approver=looked_up, **parts)
    return FixedSQL(texts)


# The same products without the sale's locks: to price a cart that is not being sold.
_CART_PRODUCT_COLUMNS = (
    _PRODUCTS.c.id,
    _PRODUCTS.c.name,
    _PRODUCTS.c.sku,
    _PRODUCTS.c.price_cents,
    _PRODUCTS.c.category_id,
    _PRODUCTS.c.is_active,
    _CATEGORIES.c.tax_rate_bp,
    _PRODUCTS.c.sold_by,
)
_PRODUCTS_TO_PRICE = (
    select(*_CART_PRODUCT_COLUMNS)
    .select_from(_PRODUCTS.outerjoin(_CATEGORIES, _CATEGORIES.c.id == _PRODUCTS.c.category_id))
    .where(_PRODUCTS.c.id.in_(bindparam("ids", expanding=True)))
)
# "quantity - n >= 0" rather than "quantity >= n": MySQL cannot range-scan the quantity index
# for it, so it locks the one row found by product_id instead of gaps other tills also need.
_TAKE_STOCK = FixedSQL(
    "UPDATE inventories SET quantity = quantity - :n, updated_at = :at "
    "WHERE product_id = :product AND quantity - :n >= 0",
    binds={"at": _STOCK.c.updated_at.type},
)
_STOCK_LEFT = FixedSQL("SELECT quantity FROM inventories WHERE product_id = :product")
_SALE_BY_UUID = select(_SALES.c.id).where(_SALES.c.uuid == bindparam("key"))
_TAX_OF_SALE = select(func.coalesce(func.sum(_ITEMS.c.tax_cents), 0)).where(
    _ITEMS.c.sale_id == bindparam("sale")
)
_SALE_COLUMNS = (
    "uuid",
    "user_id",
    "till_id",
    "created_at",
    "local_date",
    "total_cents",
    "shift_id",
)
_ITEM_COLUMNS = (
    "sale_id",
    "product_id",
    "category_id",
    "local_date",
    "quantity",
    "unit_price_cents",
    "revenue_cents",
    "tax_rate_bp",
    "tax_cents",
    "refunded_quantity",
    "original_unit_price_cents",
    "discount_cents",
    "discount_name",
    "promotion_id",
)
_MOVEMENT_COLUMNS = (
    "product_id",
    "quantity_change",
    "reason",
    "note",
    "user_id",
    "sale_id",
    "created_at",
)
_PAYMENT_COLUMNS = (
    "sale_id",
    "tender",
    "amount_cents",
    "tendered_cents",
    "change_cents",
    "created_at",
)
_INSERT_SALE = insert_into(_SALES, _SALE_COLUMNS)
_INSERT_ITEMS = insert_into(_ITEMS, _ITEM_COLUMNS)
_INSERT_MOVEMENTS = insert_into(table_of(StockMovement), _MOVEMENT_COLUMNS)
_INSERT_PAYMENTS = insert_into(table_of(Payment), _PAYMENT_COLUMNS)


class CartProduct(NamedTuple):
    """A product of the cart as the sale reads it, with its category's tax rate."""

    id: int
    name: str
    sku: str
    price_cents: int
    category_id: int
    is_active: bool
    tax_rate_bp: int
    sold_by: str

    @property
    def is_weighed(self) -> bool:
        return self.sold_by == "weight"

    def pricing(self) -> ProductPrice:
        """What the domain's pricing needs of the product."""
        return ProductPrice(
            self.id, self.category_id, self.price_cents, self.tax_rate_bp, self.sold_by
        )


@dataclass(frozen=True)
class SaleState:
    """What a sale needs to know before it takes stock, read under shared locks.

    ``session`` holds the session check's columns (see ``_SESSION_COLUMNS``), None when the token
    or the account it names is not found.
    """

    session: tuple[Any, ...] | None
    stored_sale: bool
    shift_id: int | None
    approver: tuple[str, str] | None  # role and name of an active approver
    products: dict[int, CartProduct]

    @property
    def list_prices(self) -> dict[int, int]:
        return {product.id: product.price_cents for product in self.products.values()}


@dataclass(frozen=True)
class StockTaken:
    """The products whose stock a sale took, and for each refused one the stock left."""

    taken: set[int]
    left: dict[int, int]


@dataclass(frozen=True)
class NewSale:
    """A priced sale whose stock is taken, ready to be written."""

    uuid: str
    till_id: str
    created_at: datetime
    local_date: date
    shift_id: int | None
    lines: Sequence[PricedLine]

    @property
    def total_cents(self) -> int:
        return sum(line.revenue_cents for line in self.lines)


def read_sale_state(
    connection: Connection,
    *,
    token_hash: str,
    user_id: int,
    approver_id: int | None,
    sale_uuid: str,
    till_id: str,
    product_ids: Iterable[int],
) -> SaleState:
    """The session's token row and the cashier's account (``user_id``, the one the session
    names), the sale's id, the till's shift, the approver and the products: one read."""
    valid = sorted({product_id for product_id in product_ids if 1 <= product_id <= MAX_ID})
    parameters: dict[str, object] = {
        "token_hash": token_hash,
        "key": sale_uuid,
        "till": till_id,
        "user": user_id,
        "approver": approver_id,
    }
    parameters.update((f"product_{n}", product_id) for n, product_id in enumerate(valid))
    session: tuple[Any, ...] | None = None
    stored_sale = False
    shift_id: int | None = None
    approver: tuple[str, str] | None = None
    products: dict[int, CartProduct] = {}
    read = _cart_state(len(valid), approver_id is not None)
    rows: Sequence[Sequence[str]] = read.execute(connection, parameters).all()
    if rows:  # every row carries the same state; each its own product
        state = json.loads(rows[0][0])
        if state[0] is not None:  # the session's token row
            session = _session_columns(state[0].split("|"), state[1:9])
        stored_sale, shift_id = state[9] is not None, state[10]
        if state[11] is not None:
            approver = (str(state[11]), str(state[12] or ""))
    for _state_text, product_text in rows:
        product = json.loads(product_text)
        if product[0] is not None:
            product[5] = bool(product[5])
            products[product[0]] = CartProduct._make(product)
    return SaleState(session, stored_sale, shift_id, approver, products)


def _session_columns(token: list[str], account: list[Any]) -> tuple[Any, ...]:
    """The session check's columns as their types read them (flags and UTC timestamps), in the
    order ``access`` reads them: the token row's revoked, expiry and account, then the account's."""
    revoked, expires_at, user_id = token
    email, first, last, role, active, zone, last_login, created = account
    return (
        revoked not in {"0", ""},
        _utc(expires_at),
        int(user_id),
        email,
        first,
        last,
        role,
        bool(active),
        zone,
        None if last_login is None else _utc(last_login),
        _utc(created),
    )


def _utc(text: str) -> datetime:
    """A stored timestamp (naive UTC, as JSON text on either database) as an aware one."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def cart_products(connection: Connection, product_ids: Iterable[int]) -> dict[int, CartProduct]:
    """The products as a sale reads them (with their tax rates), for pricing a cart that is not
    being sold; products that do not exist are left out."""
    valid = sorted({product_id for product_id in product_ids if 1 <= product_id <= MAX_ID})
    if not valid:
        return {}
    return {
        row[0]: CartProduct._make(row)
        for row in connection.execute(_PRODUCTS_TO_PRICE, {"ids": valid})
    }


def add_stock_takes(
    batch: StatementBatch, wanted: Sequence[tuple[int, int]], at: datetime
) -> list[int]:
    """Add taking ``(product id, quantity)`` from stock, each only if that much is there, in
    product-id order; returns the counted steps, one per product in that order."""
    # A fixed order of row locks keeps two tills selling the same products from deadlocking.
    return [
        batch.add(_TAKE_STOCK, {"product": product_id, "n": quantity, "at": at}, count_rows=True)
        for product_id, quantity in sorted(wanted)
    ]


def stock_taken(
    connection: Connection,
    wanted: Sequence[tuple[int, int]],
    steps: Sequence[int],
    ran: BatchResult,
) -> StockTaken:
    """What the stock takes of ``add_stock_takes`` did: the row count of each conditional
    update decides, and a refused line reads the stock left, for the cashier's message."""
    taken: set[int] = set()
    left: dict[int, int] = {}
    for (product_id, _quantity), step in zip(sorted(wanted), steps, strict=True):
        if ran.rowcounts[step] == 1:
            taken.add(product_id)
        else:
            stock = _STOCK_LEFT.execute(connection, {"product": product_id}).scalar()
            left[product_id] = stock or 0
    return StockTaken(taken, left)


def add_sale(batch: StatementBatch, sale: NewSale, user_id: int) -> None:
    """Add the sale row with its shift and total (the batch's new id), its lines with their tax
    and discounts, and a 'sale' stock movement per line: one statement per table."""
    batch.add(
        _INSERT_SALE,
        {
            "uuid": sale.uuid,
            "user_id": user_id,
            "till_id": sale.till_id,
            "created_at": sale.created_at,
            "local_date": sale.local_date,
            "total_cents": sale.total_cents,
            "shift_id": sale.shift_id,
        },
        new_id=True,
    )
    batch.add(_INSERT_ITEMS, [_item_row(sale, line) for line in sale.lines])
    batch.add(
        _INSERT_MOVEMENTS,
        [
            {
                "product_id": line.product_id,
                "quantity_change": -line.quantity,
                "reason": "sale",
                "note": "",
                "user_id": user_id,
                "sale_id": NEW_ID,
                "created_at": sale.created_at,
            }
            for line in sale.lines
        ],
    )


def _item_row(sale: NewSale, line: PricedLine) -> dict[str, object]:
    return {
        "sale_id": NEW_ID,
        "product_id": line.product_id,
        "category_id": line.category_id,
        "local_date": sale.local_date,
        "quantity": line.quantity,
        "unit_price_cents": line.unit_price_cents,
        "revenue_cents": line.revenue_cents,
        "tax_rate_bp": line.tax_rate_bp,
        "tax_cents": line.tax_cents,
        "refunded_quantity": 0,
        "original_unit_price_cents": line.original_unit_price_cents,
        "discount_cents": line.discount_cents,
        "discount_name": line.discount_name[:MAX_DISCOUNT_NAME],
        "promotion_id": line.promotion_id,
    }


def add_payments(batch: StatementBatch, lines: Iterable[PaymentLine], at: datetime) -> None:
    """Add the new sale's validated payments, in one statement."""
    rows = [
        {
            "sale_id": NEW_ID,
            "tender": line.tender,
            "amount_cents": line.amount_cents,
            "tendered_cents": line.tendered_cents,
            "change_cents": line.change_cents,
            "created_at": at,
        }
        for line in lines
    ]
    if rows:
        batch.add(_INSERT_PAYMENTS, rows)


def sale_id_of(connection: Connection, sale_uuid: str) -> int | None:
    """The id of the sale stored under ``sale_uuid``, if any."""
    return connection.scalar(_SALE_BY_UUID, {"key": sale_uuid})


def tax_of_sale(connection: Connection, sale_id: int) -> int:
    """The tax contained in a stored sale's lines."""
    return int(connection.scalar(_TAX_OF_SALE, {"sale": sale_id}) or 0)


__all__ = [
    "CartProduct",
    "NewSale",
    "SaleState",
    "StockTaken",
    "add_payments",
    "add_sale",
    "add_stock_takes",
    "cart_products",
    "read_sale_state",
    "sale_id_of",
    "stock_taken",
    "tax_of_sale",
]
