"""Typed SQLAlchemy models: the shop's tables and nothing else.

Money is integer minor units (cents); timestamps are UTC; ``local_date`` columns hold the shop's
local calendar day of a sale, fixed at write time so reports never re-derive it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from pos_app.db.types import (
    BigIntPK,
    NameKey,
    UTCDateTime,
    cents,
    intpk,
    name_key,
    name_key_default,
    name_str,
    utc_timestamp,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("cashier", "manager", "owner")
MOVEMENT_REASONS = ("restock", "sale", "adjustment", "refund")
TENDERS = ("cash", "card")
MAX_TAX_RATE_BP = 10_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Mapped[int]:
    return mapped_column(
        BigIntPK, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
    )


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('cashier', 'manager', 'owner')", name="role_known"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_non_negative"),
    )

    id: Mapped[intpk]
    # Stored lower-cased by the auth service, so uniqueness is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=true())
    timezone: Mapped[str | None] = mapped_column(String(64))
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[utc_timestamp]


class Category(Base):
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint("tax_rate_bp >= 0 AND tax_rate_bp <= 10000", name="tax_rate_in_range"),
        Index("ix_categories_name_key", "name_key", "id"),
    )

    id: Mapped[intpk]
    name: Mapped[name_str]
    # What the name sorts by (``types.name_key``), kept with the name.
    name_key: Mapped[str] = mapped_column(NameKey, nullable=False, default=name_key_default)
    slug: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=true())
    created_at: Mapped[utc_timestamp]
    # Value-added tax contained in the (tax-inclusive) prices, in basis points: 1900 = 19 %.
    tax_rate_bp: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")

    products: Mapped[list[Product]] = relationship(back_populates="category")

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_cents >= 0", name="price_non_negative"),
        Index("ix_products_search", "name", "id", "sku", "barcode"),
        Index("ix_products_name_key", "name_key", "id"),
    )

    id: Mapped[intpk]
    name: Mapped[name_str]
    # What the name sorts by (``types.name_key``), kept with the name; lists sort by it, then id.
    name_key: Mapped[str] = mapped_column(NameKey, nullable=False, default=name_key_default)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category_id: Mapped[int] = fk("categories.id")
    sku: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    barcode: Mapped[str | None] = mapped_column(String(14), unique=True)
    price_cents: Mapped[cents]
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=true())
    created_at: Mapped[utc_timestamp]
    updated_at: Mapped[utc_timestamp]

    category: Mapped[Category] = relationship(back_populates="products")
    inventory: Mapped[Inventory] = relationship(back_populates="product", uselist=False)

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = name_key(name)
        return name


class Inventory(Base):
    __tablename__ = "inventories"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_non_negative"),
        Index("ix_inventories_quantity", "quantity"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(
        BigIntPK, ForeignKey("products.id"), unique=True, nullable=False
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    updated_at: Mapped[utc_timestamp]

    product: Mapped[Product] = relationship(back_populates="inventory")


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (
        CheckConstraint("total_cents >= 0", name="total_non_negative"),
        Index("ix_sales_local_date_total", "local_date", "total_cents"),
    )

    id: Mapped[intpk]
    # Generated by the till before the first commit attempt: a retried commit finds the first one.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    user_id: Mapped[int] = fk("users.id")
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[utc_timestamp]
    local_date: Mapped[date] = mapped_column(Date, nullable=False)
    total_cents: Mapped[cents]
    shift_id: Mapped[int | None] = fk("shifts.id", nullable=True)

    items: Mapped[list[SaleItem]] = relationship(back_populates="sale", order_by="SaleItem.id")


class SaleItem(Base):
    __tablename__ = "sale_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_cents >= 0", name="unit_price_non_negative"),
        CheckConstraint("revenue_cents >= 0", name="revenue_non_negative"),
        CheckConstraint("tax_cents >= 0 AND tax_cents <= revenue_cents", name="tax_in_range"),
        CheckConstraint(
            "refunded_quantity >= 0 AND refunded_quantity <= quantity", name="refunded_in_range"
        ),
        # Covering index for the report queries: date range first, then the filter columns.
        Index(
            "ix_sale_items_report",
            "local_date",
            "category_id",
            "product_id",
            "quantity",
            "revenue_cents",
            "sale_id",
        ),
    )

    id: Mapped[intpk]
    sale_id: Mapped[int] = fk("sales.id")
    product_id: Mapped[int] = fk("products.id")
    # The product's category when it was sold: reports attribute revenue to it, not to today's.
    category_id: Mapped[int] = fk("categories.id")
    local_date: Mapped[date] = mapped_column(Date, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price_cents: Mapped[cents]
    revenue_cents: Mapped[cents]
    # The rate and the tax contained in revenue_cents, fixed when sold.
    tax_rate_bp: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    tax_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")
    # Raised only by a conditional UPDATE, so two tills can never return more than was sold.
    refunded_quantity: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")

    sale: Mapped[Sale] = relationship(back_populates="items")


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = fk("users.id")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    issued_at: Mapped[utc_timestamp]
    expires_at: Mapped[utc_timestamp]
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=false())


class StockMovement(Base):
    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("quantity_change <> 0", name="change_not_zero"),
        CheckConstraint(
            "reason IN ('restock', 'sale', 'adjustment', 'refund')", name="reason_known"
        ),
        Index("ix_stock_movements_product_created", "product_id", "created_at"),
    )

    id: Mapped[intpk]
    product_id: Mapped[int] = mapped_column(BigIntPK, ForeignKey("products.id"), nullable=False)
    quantity_change: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    user_id: Mapped[int | None] = fk("users.id", nullable=True)
    sale_id: Mapped[int | None] = fk("sales.id", nullable=True)
    created_at: Mapped[utc_timestamp]


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


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("float_cents >= 0", name="float_non_negative"),
        CheckConstraint("void_count >= 0 AND void_cents >= 0", name="voids_non_negative"),
        Index("ix_shifts_till_id_opened_at", "till_id", "opened_at"),
    )

    id: Mapped[intpk]
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    # Equal to till_id while the shift is open, NULL once closed: one open shift per till.
    open_till_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    opened_by: Mapped[int] = fk("users.id")
    opened_at: Mapped[utc_timestamp]
    float_cents: Mapped[cents]
    closed_by: Mapped[int | None] = fk("users.id", nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    counted_cents: Mapped[int | None] = mapped_column(BigInteger)
    expected_cash_cents: Mapped[int | None] = mapped_column(BigInteger)
    difference_cents: Mapped[int | None] = mapped_column(BigInteger)
    void_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    void_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")


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


class HeldCart(Base):
    __tablename__ = "held_carts"
    __table_args__ = (Index("ix_held_carts_recalled_at_created_at", "recalled_at", "created_at"),)

    id: Mapped[intpk]
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int] = fk("users.id")
    label: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    lines_json: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[utc_timestamp]
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_by: Mapped[int | None] = fk("users.id", nullable=True)
    recalled_till: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_created_at", "created_at"),
        Index("ix_audit_log_action_created_at", "action", "created_at"),
    )

    id: Mapped[intpk]
    created_at: Mapped[utc_timestamp]
    user_id: Mapped[int | None] = fk("users.id", nullable=True)
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    subject: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False)


__all__ = [
    "MAX_TAX_RATE_BP",
    "MOVEMENT_REASONS",
    "ROLES",
    "TENDERS",
    "AuditEntry",
    "Base",
    "Category",
    "HeldCart",
    "Inventory",
    "Payment",
    "Product",
    "Refund",
    "RefundItem",
    "Sale",
    "SaleItem",
    "Shift",
    "StockMovement",
    "Token",
    "User",
]


class _RollupColumns:
    """Shared by the sales rollups; each table adds its key columns and its primary key."""

    local_date: Mapped[date] = mapped_column(Date)
    till_id: Mapped[str] = mapped_column(String(64))
    sales_count: Mapped[int] = mapped_column(Integer, nullable=False)
    units: Mapped[int] = mapped_column(BigInteger, nullable=False)
    revenue_cents: Mapped[cents]


class HourlySales(_RollupColumns, Base):
    """Sales per shop-local day, local hour and till: kept with each sale, rebuilt from lines."""

    __tablename__ = "hourly_sales"
    __table_args__ = (PrimaryKeyConstraint("local_date", "local_hour", "till_id"),)
    local_hour: Mapped[int] = mapped_column(Integer, autoincrement=False)


class DailyProductSales(_RollupColumns, Base):
    __tablename__ = "daily_product_sales"
    __table_args__ = (PrimaryKeyConstraint("local_date", "product_id", "category_id", "till_id"),)
    product_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


class DailyCategorySales(_RollupColumns, Base):
    __tablename__ = "daily_category_sales"
    __table_args__ = (PrimaryKeyConstraint("local_date", "category_id", "till_id"),)
    category_id: Mapped[int] = mapped_column(BigIntPK, autoincrement=False)  # when sold


# Covering index for exact distinct-sale counts under a filter on several products (several
# categories are answered by daily_category_sets).
Index("ix_sale_items_product_day", SaleItem.product_id, SaleItem.local_date, SaleItem.category_id,
      SaleItem.sale_id)  # fmt: skip

from pos_app.db.rollup_models import DailyCategorySet  # noqa: E402

__all__ += ["DailyCategorySales", "DailyCategorySet", "DailyProductSales", "HourlySales"]
