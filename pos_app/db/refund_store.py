"""The SQL of a refund against a receipt: what ``refunds.refund`` reads and writes.

The receipt is locked first, so two tills returning from the same sale take turns. Each line's
``refunded_quantity`` rises by one conditional UPDATE, so no two tills can return more of a line
than was sold, and the stock comes back in product-id order, as sales take it. The rules (what a
line gives back, who approves, the card cap) are the domain's; this module only moves rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from pos_app.db.models import (
    Inventory,
    Payment,
    Product,
    Refund,
    RefundItem,
    Sale,
    SaleItem,
    StockMovement,
    User,
    table_of,
)
from pos_app.domain.tenders import CARD

_SALES, _ITEMS, _PRODUCTS = table_of(Sale), table_of(SaleItem), table_of(Product)
_REFUNDS, _STOCK, _USERS = table_of(Refund), table_of(Inventory), table_of(User)
_PAYMENTS = table_of(Payment)
_LOCK_SALE = select(_SALES.c.id).where(_SALES.c.id == bindparam("sale")).with_for_update()
_REFUND_BY_UUID = select(_REFUNDS.c.id, _REFUNDS.c.sale_id).where(
    _REFUNDS.c.uuid == bindparam("key")
)
_ACTIVE_ROLE = select(_USERS.c.role).where(_USERS.c.id == bindparam("user"), _USERS.c.is_active)
_SALE_LINES = (
    select(
        _ITEMS.c.id,
        _ITEMS.c.product_id,
        _ITEMS.c.quantity,
        _ITEMS.c.refunded_quantity,
        _ITEMS.c.revenue_cents,
        _ITEMS.c.tax_rate_bp,
        _PRODUCTS.c.name,
        _PRODUCTS.c.sold_by,
    )
    .join(_PRODUCTS, _PRODUCTS.c.id == _ITEMS.c.product_id)
    .where(_ITEMS.c.sale_id == bindparam("sale"), _ITEMS.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_ITEMS.c.id)
)
_CARD_PAID = select(func.coalesce(func.sum(_PAYMENTS.c.amount_cents), 0)).where(
    _PAYMENTS.c.sale_id == bindparam("sale"), _PAYMENTS.c.tender == CARD
)
_CARD_REFUNDED = select(func.coalesce(func.sum(_REFUNDS.c.total_cents), 0)).where(
    _REFUNDS.c.sale_id == bindparam("sale"), _REFUNDS.c.tender == CARD
)
# By primary key only (the line was loaded from this sale): a condition on the sale lets MariaDB
# lock through the sale index, whose gap blocks new sales' lines.
_TAKE_BACK = (
    update(_ITEMS)
    .where(
        _ITEMS.c.id == bindparam("item"),
        _ITEMS.c.refunded_quantity + bindparam("n") <= _ITEMS.c.quantity,
    )
    .values(refunded_quantity=_ITEMS.c.refunded_quantity + bindparam("n"))
)
_REFUNDED_SO_FAR = select(_ITEMS.c.refunded_quantity).where(_ITEMS.c.id == bindparam("item"))
_SOLD_AND_RETURNED = (
    select(_ITEMS.c.quantity, _ITEMS.c.refunded_quantity)
    .where(_ITEMS.c.id == bindparam("item"))
    .with_for_update()
)
_RESTOCK = (
    update(_STOCK)
    .where(_STOCK.c.product_id == bindparam("product"))
    .values(
        quantity=_STOCK.c.quantity + bindparam("n"),
        updated_at=bindparam("at", type_=_STOCK.c.updated_at.type),
    )
)
_INSERT_REFUND = insert(_REFUNDS)
_INSERT_ITEMS = insert(table_of(RefundItem))
_INSERT_MOVEMENTS = insert(table_of(StockMovement))
_INSERT_STOCK = insert(_STOCK)


class ReceiptLine(NamedTuple):
    """A line of the receipt as a refund reads it; a weighed line's quantities are grams."""

    id: int
    product_id: int
    quantity: int
    refunded_quantity: int
    revenue_cents: int
    tax_rate_bp: int
    name: str
    sold_by: str


@dataclass(frozen=True)
class ReturnedLine:
    """A quantity of a receipt line going back, and the money and tax it returns."""

    sale_item_id: int
    product_id: int
    quantity: int
    amount_cents: int
    tax_cents: int


@dataclass(frozen=True)
class NewRefund:
    uuid: str
    sale_id: int
    user_id: int
    approved_by_id: int | None
    till_id: str
    shift_id: int
    tender: str
    reason: str
    created_at: datetime
    local_date: date
    lines: Sequence[ReturnedLine]
    note: str

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.lines)


def lock_sale(connection: Connection, sale_id: int) -> bool:
    """Lock the receipt's row until the refund commits; False when there is no such sale."""
    return connection.scalar(_LOCK_SALE, {"sale": sale_id}) is not None


def refund_by_uuid(connection: Connection, refund_uuid: str) -> tuple[int, int] | None:
    """The id and sale id of the refund stored under ``refund_uuid``, if any."""
    row = connection.execute(_REFUND_BY_UUID, {"key": refund_uuid}).first()
    return None if row is None else (int(row[0]), int(row[1]))


def active_role(connection: Connection, user_id: int) -> str | None:
    """The user's role, None when the account does not exist or has been deactivated."""
    return connection.scalar(_ACTIVE_ROLE, {"user": user_id})


def receipt_lines(
    connection: Connection, sale_id: int, item_ids: Iterable[int]
) -> list[ReceiptLine]:
    """The chosen lines of the sale that exist on it, in line order."""
    rows = connection.execute(_SALE_LINES, {"sale": sale_id, "ids": sorted(item_ids)})
    return [ReceiptLine._make(row) for row in rows]


def card_paid_and_refunded(connection: Connection, sale_id: int) -> tuple[int, int]:
    """What the sale's card payments brought in, and what card refunds gave back so far."""
    paid = connection.scalar(_CARD_PAID, {"sale": sale_id})
    returned = connection.scalar(_CARD_REFUNDED, {"sale": sale_id})
    return int(paid or 0), int(returned or 0)


def take_back(connection: Connection, item_id: int, quantity: int) -> bool:
    """Raise the line's refunded quantity by ``quantity`` if that much is still unreturned."""
    return connection.execute(_TAKE_BACK, {"item": item_id, "n": quantity}).rowcount == 1


def refunded_so_far(connection: Connection, item_id: int) -> int:
    return int(connection.scalar(_REFUNDED_SO_FAR, {"item": item_id}) or 0)


def sold_and_returned(connection: Connection, item_id: int) -> tuple[int, int]:
    """The line's quantity sold and returned, locked: why a take-back was refused."""
    sold, returned = connection.execute(_SOLD_AND_RETURNED, {"item": item_id}).one()
    return int(sold), int(returned)


def restock(connection: Connection, product_id: int, quantity: int, at: datetime) -> None:
    """Put returned units back on the shelf (a product without a stock row gets one)."""
    changed = {"product": product_id, "n": quantity, "at": at}
    if connection.execute(_RESTOCK, changed).rowcount == 0:
        connection.execute(
            _INSERT_STOCK, {"product_id": product_id, "quantity": quantity, "updated_at": at}
        )


def insert_refund(connection: Connection, refund: NewRefund) -> int:
    """Write the refund, its lines and a 'refund' stock movement per line; returns its id."""
    inserted = connection.execute(
        _INSERT_REFUND,
        {
            "uuid": refund.uuid,
            "sale_id": refund.sale_id,
            "user_id": refund.user_id,
            "approved_by_id": refund.approved_by_id,
            "till_id": refund.till_id,
            "shift_id": refund.shift_id,
            "tender": refund.tender,
            "reason": refund.reason,
            "created_at": refund.created_at,
            "local_date": refund.local_date,
            "total_cents": refund.total_cents,
            "tax_cents": refund.tax_cents,
        },
    )
    primary_key = inserted.inserted_primary_key
    assert primary_key is not None
    refund_id = int(primary_key[0])
    connection.execute(
        _INSERT_ITEMS,
        [
            {
                "refund_id": refund_id,
                "sale_item_id": line.sale_item_id,
                "product_id": line.product_id,
                "quantity": line.quantity,
                "amount_cents": line.amount_cents,
                "tax_cents": line.tax_cents,
            }
            for line in refund.lines
        ],
    )
    connection.execute(
        _INSERT_MOVEMENTS,
        [
            {
                "product_id": line.product_id,
                "quantity_change": line.quantity,
                "reason": "refund",
                "note": refund.note,
                "user_id": refund.user_id,
                "sale_id": refund.sale_id,
                "created_at": refund.created_at,
            }
            for line in refund.lines
        ],
    )
    return refund_id


__all__ = [
    "NewRefund",
    "ReceiptLine",
    "ReturnedLine",
    "active_role",
    "card_paid_and_refunded",
    "insert_refund",
    "lock_sale",
    "receipt_lines",
    "refund_by_uuid",
    "refunded_so_far",
    "restock",
    "sold_and_returned",
    "take_back",
]
