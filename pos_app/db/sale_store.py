"""The SQL of a sale at the till, written for speed: what ``checkout.purchase`` writes.

Once a purchase has read what it needs (see :mod:`pos_app.db.sale_state`), it takes the stock
with one conditional update per line in product-id order, then writes the priced sale with one
statement per table and no read-backs, all added to one statement batch. The rules (prices,
tax, approvals, tenders) are the domain's; this module moves rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

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
from pos_app.domain.pricing import PricedLine
from pos_app.domain.tenders import PaymentLine

MAX_DISCOUNT_NAME = 255

_USERS, _SHIFTS, _SALES = table_of(User), table_of(Shift), table_of(Sale)
_PRODUCTS, _CATEGORIES, _STOCK = table_of(Product), table_of(Category), table_of(Inventory)
_ITEMS, _TOKENS = table_of(SaleItem), table_of(Token)


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
    "NewSale",
    "StockTaken",
    "add_payments",
    "add_sale",
    "add_stock_takes",
    "sale_id_of",
    "stock_taken",
    "tax_of_sale",
]
