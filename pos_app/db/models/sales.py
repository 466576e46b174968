"""Sales, their lines and payments, and the refunds against them (sales and their lines are
declared in ``pos_app.db.tables``).

Money is integer minor units (cents); timestamps are UTC; ``local_date`` columns hold the shop's
local calendar day of a sale, fixed at write time so reports never re-derive it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos_app.db import tables
from pos_app.db.models.base import Base, cents, fk, intpk, utc_timestamp
from pos_app.domain.tenders import TENDERS


class Sale(Base):
    __table__ = tables.sales

    id: Mapped[int]
    uuid: Mapped[str]
    user_id: Mapped[int]
    till_id: Mapped[str]
    created_at: Mapped[datetime]
    local_date: Mapped[date]
    total_cents: Mapped[int]
    shift_id: Mapped[int | None]

    items: Mapped[list[SaleItem]] = relationship(back_populates="sale", order_by="SaleItem.id")


class SaleItem(Base):
    __table__ = tables.sale_items

    id: Mapped[int]
    sale_id: Mapped[int]
    product_id: Mapped[int]
    category_id: Mapped[int]
    local_date: Mapped[date]
    quantity: Mapped[int]
    unit_price_cents: Mapped[int]
    revenue_cents: Mapped[int]
    tax_rate_bp: Mapped[int]
    tax_cents: Mapped[int]
    refunded_quantity: Mapped[int]
    original_unit_price_cents: Mapped[int | None]
    discount_cents: Mapped[int]
    discount_name: Mapped[str]
    promotion_id: Mapped[int | None]

    sale: Mapped[Sale] = relationship(back_populates="items")


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("tender IN ('cash', 'card')", name="tender_known"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("change_cents >= 0", name="change_non_negative"),
        CheckConstraint("tendered_cents = amount_cents + change_cents", name="change_balances"),
    )

    id: Mapped[intpk]
    sale_id: Mapped[int] = fk("sales.id")
    tender: Mapped[str] = mapped_column(String(8), nullable=False)
    amount_cents: Mapped[cents]
    tendered_cents: Mapped[cents]
    change_cents: Mapped[cents]
    created_at: Mapped[utc_timestamp]


class Refund(Base):
    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("tender IN ('cash', 'card')", name="tender_known"),
        CheckConstraint("total_cents >= 0", name="total_non_negative"),
        CheckConstraint("tax_cents >= 0", name="tax_non_negative"),
    )

    id: Mapped[intpk]
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    sale_id: Mapped[int] = fk("sales.id")
    user_id: Mapped[int] = fk("users.id")
    approved_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    shift_id: Mapped[int | None] = fk("shifts.id", nullable=True)
    tender: Mapped[str] = mapped_column(String(8), nullable=False)
    created_at: Mapped[utc_timestamp]
    local_date: Mapped[date] = mapped_column(Date, nullable=False, index=True)
    total_cents: Mapped[cents]
    tax_cents: Mapped[cents]
    # Why the goods came back; refunds made before reasons were asked for have ''.
    reason: Mapped[str] = mapped_column(String(120), nullable=False, server_default="")


class RefundItem(Base):
    __tablename__ = "refund_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_cents >= 0", name="amount_non_negative"),
        CheckConstraint("tax_cents >= 0 AND tax_cents <= amount_cents", name="tax_in_range"),
    )

    id: Mapped[intpk]
    refund_id: Mapped[int] = fk("refunds.id")
    sale_item_id: Mapped[int] = fk("sale_items.id")
    product_id: Mapped[int] = fk("products.id")
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_cents: Mapped[cents]
    tax_cents: Mapped[cents]


__all__ = ["TENDERS", "Payment", "Refund", "RefundItem", "Sale", "SaleItem"]
