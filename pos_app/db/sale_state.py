"""What a sale reads before it takes stock, in one statement: see :func:`read_sale_state`.

A purchase reads everything it needs at once: its session's token row and the cashier's current
account, the till's open shift, a sale already stored under the same id, the approver of changed
prices, the products with their tax rates. The till remembers what it read (the two JSON texts
of each row); the next sale of the same products by the same session may then send, instead of
the read, a check that the database still holds exactly that (:func:`add_state_check`), in the
same round trip as its writes.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from pos_app.db.fixed_sql import FixedSQL
from pos_app.db.models import Category, Product, table_of
from pos_app.db.statement_batch import StatementBatch
from pos_app.domain.checks import MAX_ID
from pos_app.domain.pricing import ProductPrice

_PRODUCTS, _CATEGORIES = table_of(Product), table_of(Category)


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
_STATE_JSON = """\
JSON_ARRAY(
    (SELECT {token} FROM tokens WHERE token_hash = :token_hash),
    users.email, users.first_name, users.last_name, users.role, users.is_active,
    users.timezone, users.last_login, users.created_at,
    (SELECT id FROM sales WHERE uuid = :key),
    (SELECT id FROM shifts WHERE open_till_id = :till{lock}),
    {approver}
  )"""
_PRODUCT_JSON = """\
JSON_ARRAY(
    products.id, products.name, products.sku, products.price_cents, products.category_id,
    products.is_active, categories.tax_rate_bp, products.sold_by
  )"""
_CART_ROWS = """\
FROM users
LEFT OUTER JOIN products ON products.id IN ({product_ids})
LEFT OUTER JOIN categories ON categories.id = products.category_id
WHERE users.id = :user{lock}"""
_CART_STATE = f"SELECT\n  {_STATE_JSON},\n  {_PRODUCT_JSON}\n{_CART_ROWS}"
# The check that the rows are still exactly as read: as many rows, each the same two texts,
# compared byte for byte (MariaDB compares text without regard to case or accents by default).
_CART_CHECK = f"""\
SELECT COUNT(*) = :rows AND COALESCE(MIN(
  {_STATE_JSON} = :state{{exact}}
  AND {_PRODUCT_JSON} = (CASE products.id {{expected}} END){{exact}}
), 0)
{_CART_ROWS}"""
_APPROVER = """\
(SELECT role FROM users AS approver WHERE approver.id = :approver AND approver.is_active = 1),
    (SELECT {approver_name} FROM users AS approver WHERE approver.id = :approver)"""
_CART_STATE_DIALECTS = {
    "mysql": {
        "lock": " LOCK IN SHARE MODE",
        "exact": " COLLATE utf8mb4_bin",
        "token": "CONCAT_WS('|', revoked, expires_at, user_id)",
        "approver_name": "CONCAT(approver.first_name, ' ', approver.last_name)",
    },
    "sqlite": {
        "lock": "",
        "exact": "",
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


@functools.lru_cache(maxsize=_MAX_CACHED_CARTS)
def _cart_check(products: int) -> FixedSQL:
    """The check that a sale without an approver would read the same texts as before, for a
    cart of ``products`` distinct products: 1 when it would."""
    names = ", ".join(f":product_{n}" for n in range(products))
    expected = " ".join(f"WHEN :product_{n} THEN :expected_{n}" for n in range(products))
    return FixedSQL(
        {
            family: _CART_CHECK.format(
                **parts, expected=expected, product_ids=names, approver="NULL, NULL"
            )
            for family, parts in _CART_STATE_DIALECTS.items()
        }
    )


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
class ReadTexts:
    """A sale's read as the database wrote it: the state's text and each product's."""

    state: str
    products: Mapping[int, str]


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
    # The texts as read, which a later sale of these products in this session may check instead
    # of reading them; None where they cannot serve (a stored sale, an approver, no session).
    read_as: ReadTexts | None = None

    @property
    def list_prices(self) -> dict[int, int]:
        return {product.id: product.price_cents for product in self.products.values()}


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
    read = _cart_state(len(valid), approver_id is not None)
    rows: Sequence[Sequence[str]] = read.execute(connection, parameters).all()
    if not rows:  # the account is gone
        return SaleState(None, False, None, None, {})
    texts = ReadTexts(rows[0][0], {_product_id(text): text for _state, text in rows})
    state = state_as_read(texts)
    if approver_id is None and not state.stored_sale and state.session is not None:
        return replace(state, read_as=texts)
    return state


def state_as_read(texts: ReadTexts) -> SaleState:
    """The sale's state from the texts of its read (every row carries the same state text)."""
    state = json.loads(texts.state)
    session = None
    if state[0] is not None:  # the session's token row
        session = _session_columns(state[0].split("|"), state[1:9])
    approver = None
    if state[11] is not None:
        approver = (str(state[11]), str(state[12] or ""))
    products: dict[int, CartProduct] = {}
    for text in texts.products.values():
        product = json.loads(text)
        if product[0] is not None:
            product[5] = bool(product[5])
            products[product[0]] = CartProduct._make(product)
    return SaleState(session, state[9] is not None, state[10], approver, products)


def _product_id(text: str) -> int:
    """The product id a product text starts with (0 for the row of no product)."""
    return int(json.loads(text)[0] or 0)


def add_state_check(
    batch: StatementBatch,
    texts: ReadTexts,
    *,
    token_hash: str,
    user_id: int,
    sale_uuid: str,
    till_id: str,
) -> int:
    """Add the check that the sale's read would give ``texts`` again, with no sale stored under
    ``sale_uuid`` yet, taking the read's shared locks; the texts must be of a read without an
    approver (``SaleState.read_as``). Returns the check's step."""
    products = sorted(texts.products.items())
    parameters: dict[str, object] = {
        "token_hash": token_hash,
        "key": sale_uuid,
        "till": till_id,
        "user": user_id,
        "rows": len(products),
        "state": texts.state,
    }
    for n, (product_id, text) in enumerate(products):
        parameters[f"product_{n}"] = product_id
        parameters[f"expected_{n}"] = text
    return batch.add_check(_cart_check(len(products)), parameters)


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


__all__ = [
    "CartProduct",
    "ReadTexts",
    "SaleState",
    "add_state_check",
    "cart_products",
    "read_sale_state",
    "state_as_read",
]
