"""Receipts: everything printed for a sale, and the refunds made against it.

A receipt number is derived from the sale id: 'R' and the id padded to eight digits (R00000042).
Sale ids are unique across every till sharing the database, so numbers never clash, need no
sequence of their own and survive a retried commit unchanged. Refunds are numbered alike with 'F'.
Finding a day's receipts, or one by its number, is in receipt_search.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pos_app.db.models import Product, Refund, RefundItem, Sale, SaleItem, User
from pos_app.domain.checks import MAX_ID, check_id
from pos_app.domain.refunds import paid_for, weighed_refund_line
from pos_app.domain.weights import line_amount_cents
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, ValidationError
from pos_app.services.payments import PaymentLine, change_due, payments_of
from pos_app.services.roles import Role
from pos_app.services.tax import TaxRateTotal, tax_summary

_NUMBER = re.compile(r"^\s*[Rr]?\s*0*(\d{1,19})\s*$")
_REFUND_NUMBER = re.compile(r"^\s*[Ff]\s*0*(\d{1,19})\s*$")


@dataclass(frozen=True)
class ReceiptLine:
    sale_item_id: int
    product_id: int
    product_name: str
    sku: str
    quantity: int
    unit_price_cents: int
    gross_cents: int
    tax_rate_bp: int
    tax_cents: int
    refunded_quantity: int
    original_unit_price_cents: int | None = None
    discount_cents: int = 0
    discount_name: str = ""
    sold_by: str = "piece"

    @property
    def returnable_quantity(self) -> int:
        """Pieces, or grams of a weighed line, that can still be returned."""
        return self.quantity - self.refunded_quantity

    @property
    def is_weighed(self) -> bool:
        """Sold by weight: quantities are grams, the unit price is per kg."""
        return self.sold_by == "weight"

    def refund_cents(self, quantity: int) -> int:
        """What ``quantity`` more units (grams of a weighed line) give back: the price paid for
        them after discounts."""
        taking = max(min(quantity, self.returnable_quantity), 0)
        if self.is_weighed:
            return weighed_refund_line(
                self.sale_item_id,
                self.product_id,
                self.gross_cents,
                self.tax_rate_bp,
                self.quantity,
                self.refunded_quantity,
                taking,
            ).amount_cents
        return paid_for(self.gross_cents, self.quantity, self.refunded_quantity, taking)

    @property
    def list_price_cents(self) -> int:
        """The list price when sold (the unit price on lines sold before discounts existed)."""
        if self.original_unit_price_cents is None:
            return self.unit_price_cents
        return self.original_unit_price_cents

    @property
    def saved_cents(self) -> int:
        """What the customer saved on this line against the list price."""
        if not self.is_weighed:
            return max(self.quantity * self.list_price_cents - self.gross_cents, 0)
        if self.list_price_cents == self.unit_price_cents:
            return self.discount_cents  # its scale labels' prices are the list price
        return max(line_amount_cents(self.list_price_cents, self.quantity) - self.gross_cents, 0)


@dataclass(frozen=True)
class RefundLine:
    sale_item_id: int
    product_id: int
    product_name: str
    quantity: int
    amount_cents: int
    tax_rate_bp: int
    tax_cents: int
    sold_by: str = "piece"

    @property
    def gross_cents(self) -> int:
        return self.amount_cents

    @property
    def is_weighed(self) -> bool:
        return self.sold_by == "weight"


@dataclass(frozen=True)
class RefundInfo:
    id: int
    number: str
    uuid: str
    sale_id: int
    receipt_number: str
    created_at: datetime
    till_id: str
    cashier_name: str
    approved_by_name: str | None
    tender: str
    total_cents: int
    tax_cents: int
    lines: list[RefundLine]
    reason: str = ""
    """Why the goods came back ('' on refunds made before reasons were asked for)."""


@dataclass(frozen=True)
class Receipt:
    number: str
    sale_id: int
    sale_uuid: str
    shop_name: str
    shop_address: str
    till_id: str
    cashier_name: str
    created_at: datetime
    local_time: datetime
    lines: list[ReceiptLine]
    total_cents: int
    tax: list[TaxRateTotal]
    payments: list[PaymentLine]
    change_cents: int
    refunds: list[RefundInfo]

    @property
    def refunded_cents(self) -> int:
        return sum(refund.total_cents for refund in self.refunds)

    @property
    def discount_cents(self) -> int:
        return sum(line.discount_cents for line in self.lines)

    @property
    def saved_cents(self) -> int:
        """What the customer saved against list prices: promotions, discounts, lower prices."""
        return sum(line.saved_cents for line in self.lines)


def receipt_number(sale_id: int) -> str:
    check_id(sale_id, "sale_id", "sale")
    return f"R{sale_id:08d}"


def refund_number(refund_id: int) -> str:
    check_id(refund_id, "refund_id", "refund")
    return f"F{refund_id:08d}"


def parse_receipt_number(value: object) -> int:
    """'R00000042', 'r42', '42' or 42 -> the sale id 42."""
    if isinstance(value, int) and not isinstance(value, bool):
        sale_id = value
    elif isinstance(value, str) and (match := _NUMBER.match(value)):
        sale_id = int(match.group(1))
    else:
        raise ValidationError("Enter a receipt number such as R00000042.", field="number")
    if not 1 <= sale_id <= MAX_ID:
        raise ValidationError("Enter a receipt number such as R00000042.", field="number")
    return sale_id


def is_refund_number(text: object) -> bool:
    """'F00000012' (a refund slip's number), as opposed to a receipt's."""
    return isinstance(text, str) and _REFUND_NUMBER.match(text) is not None


def get_refund(ctx: ServiceContext, actor: UserSession, number: str) -> RefundInfo:
    """A refund slip by its number ('F00000012'), with its lines and its receipt's number."""
    match = _REFUND_NUMBER.match(number) if isinstance(number, str) else None
    refund_id = int(match.group(1)) if match else 0
    if not 1 <= refund_id <= MAX_ID:
        raise ValidationError("Enter a refund number such as F00000012.", field="number")
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up refund slips")
        sale_id = session.scalar(select(Refund.sale_id).where(Refund.id == refund_id))
        if sale_id is None:
            raise NotFoundError(f"There is no refund slip {refund_number(refund_id)}.")
        return next(r for r in refunds_of(session, [sale_id])[sale_id] if r.id == refund_id)


def full_name(first: str | None, last: str | None) -> str:
    """A person's first and last name as printed, either of them possibly missing."""
    return f"{first or ''} {last or ''}".strip()


def get_receipt(
    ctx: ServiceContext,
    actor: UserSession,
    receipt: str | int,
    *,
    shop_name: str = "",
    shop_address: str = "",
) -> Receipt:
    """A sale's receipt by number ('R00000042') or sale id, with its refunds so far."""
    sale_id = parse_receipt_number(receipt)
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "look up receipts")
        row = session.execute(
            select(Sale, User.first_name, User.last_name)
            .join(User, User.id == Sale.user_id)
            .where(Sale.id == sale_id)
        ).first()
        if row is None:
            raise NotFoundError(f"There is no receipt {receipt_number(sale_id)}.")
        sale, first, last = row
        lines = receipt_lines(session, sale.id)
        payments = payments_of(session, [sale.id]).get(sale.id, [])
        return Receipt(
            number=receipt_number(sale.id),
            sale_id=sale.id,
            sale_uuid=sale.uuid,
            shop_name=shop_name,
            shop_address=shop_address,
            till_id=sale.till_id,
            cashier_name=full_name(first, last),
            created_at=sale.created_at,
            local_time=sale.created_at.astimezone(ctx.timezone),
            lines=lines,
            total_cents=sale.total_cents,
            tax=tax_summary(lines),
            payments=payments,
            change_cents=change_due(payments),
            refunds=refunds_of(session, [sale.id]).get(sale.id, []),
        )


def receipt_lines(session: Session, sale_id: int) -> list[ReceiptLine]:
    rows = session.execute(
        select(SaleItem, Product.name, Product.sku, Product.sold_by)
        .join(Product, Product.id == SaleItem.product_id)
        .where(SaleItem.sale_id == sale_id)
        .order_by(SaleItem.id)
        .execution_options(populate_existing=True)
    )
    return [
        ReceiptLine(
            sale_item_id=item.id,
            product_id=item.product_id,
            product_name=name,
            sku=sku,
            quantity=item.quantity,
            unit_price_cents=item.unit_price_cents,
            gross_cents=item.revenue_cents,
            tax_rate_bp=item.tax_rate_bp,
            tax_cents=item.tax_cents,
            refunded_quantity=item.refunded_quantity,
            original_unit_price_cents=item.original_unit_price_cents,
            discount_cents=item.discount_cents,
            discount_name=item.discount_name,
            sold_by=sold_by,
        )
        for item, name, sku, sold_by in rows
    ]


def refunds_of(session: Session, sale_ids: Sequence[int]) -> dict[int, list[RefundInfo]]:
    """Refunds against each sale, oldest first."""
    if not sale_ids:
        return {}
    cashier = aliased(User)
    approver = aliased(User)
    rows = session.execute(
        select(
            Refund,
            cashier.first_name,
            cashier.last_name,
            approver.first_name,
            approver.last_name,
        )
        .join(cashier, cashier.id == Refund.user_id)
        .outerjoin(approver, approver.id == Refund.approved_by_id)
        .where(Refund.sale_id.in_(sale_ids))
        .order_by(Refund.id)
    ).all()
    lines = _refund_lines(session, [row[0].id for row in rows])
    found: dict[int, list[RefundInfo]] = {}
    for refund, first, last, approver_first, approver_last in rows:
        approved = full_name(approver_first, approver_last) if approver_first is not None else None
        found.setdefault(refund.sale_id, []).append(
            RefundInfo(
                id=refund.id,
                number=refund_number(refund.id),
                uuid=refund.uuid,
                sale_id=refund.sale_id,
                receipt_number=receipt_number(refund.sale_id),
                created_at=refund.created_at,
                till_id=refund.till_id,
                cashier_name=full_name(first, last),
                approved_by_name=approved,
                tender=refund.tender,
                total_cents=refund.total_cents,
                tax_cents=refund.tax_cents,
                lines=lines.get(refund.id, []),
                reason=refund.reason,
            )
        )
    return found


def _refund_lines(session: Session, refund_ids: list[int]) -> dict[int, list[RefundLine]]:
    if not refund_ids:
        return {}
    rows = session.execute(
        select(RefundItem, Product.name, SaleItem.tax_rate_bp, Product.sold_by)
        .join(Product, Product.id == RefundItem.product_id)
        .join(SaleItem, SaleItem.id == RefundItem.sale_item_id)
        .where(RefundItem.refund_id.in_(refund_ids))
        .order_by(RefundItem.id)
    )
    found: dict[int, list[RefundLine]] = {}
    for item, name, rate, sold_by in rows:
        found.setdefault(item.refund_id, []).append(
            RefundLine(
                item.sale_item_id,
                item.product_id,
                name,
                item.quantity,
                item.amount_cents,
                rate,
                item.tax_cents,
                sold_by,
            )
        )
    return found


__all__ = [
    "Receipt",
    "ReceiptLine",
    "RefundInfo",
    "RefundLine",
    "full_name",
    "get_receipt",
    "get_refund",
    "is_refund_number",
    "parse_receipt_number",
    "receipt_lines",
    "receipt_number",
    "refund_number",
    "refunds_of",
]
