"""The tables that are also read and written without the ORM, declared as Core tables.

A command-line report checks its session, reads the rollups and ends its session with Core
statements, and importing the ORM and declaring the mapped classes would cost it more than the
report itself. So these tables are declared here, once, on the one ``metadata``; the models in
``pos_app.db.models`` map them (``__table__``) and declare the other tables themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    false,
    true,
)

from pos_app.db.types import BigIntPK, MediumText, NameKey, UTCDateTime, name_key_default

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)

CATEGORY_SET_KEY_LENGTH = 64
MEASURE_COLUMNS = ("sales_count", "units", "revenue_cents", "discount_cents")
PRODUCT_KEYS = ("product_id", "category_id", "till_id")
_DAY_BY_PRODUCT = ("local_date", "category_id", "till_id", *MEASURE_COLUMNS)  # after the product


def _id() -> Column[int]:
    return Column("id", BigIntPK, primary_key=True, autoincrement=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> Column[int]:
    return Column(name, BigIntPK, ForeignKey(target), nullable=nullable, index=True)


def _cents(name: str) -> Column[int]:
    return Column(name, BigInteger, nullable=False)


def _timestamp(name: str, *, nullable: bool = False) -> Column[Any]:
    return Column(name, UTCDateTime(), nullable=nullable)


def _name() -> Column[str]:
    return Column("name", String(200), nullable=False)


def _name_key() -> Column[str]:
    """What the name sorts by (``types.name_key``), kept with the name."""
    return Column("name_key", NameKey, nullable=False, default=name_key_default, server_default="")


# People who use the till and their sessions.
users = Table(
    "users",
    metadata,
    _id(),
    # Stored lower-cased by the auth service, so uniqueness is case-insensitive on every backend.
    Column("email", String(254), unique=True, nullable=False),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("timezone", String(64)),
    _timestamp("last_login", nullable=True),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    _timestamp("locked_until", nullable=True),
    _timestamp("created_at"),
    CheckConstraint("role IN ('cashier', 'manager', 'owner')", name="role_known"),
    CheckConstraint("failed_logins >= 0", name="failed_logins_non_negative"),
)

tokens = Table(
    "tokens",
    metadata,
    _id(),
    _fk("user_id", "users.id"),
    Column("token_hash", String(64), unique=True, nullable=False),
    _timestamp("issued_at"),
    _timestamp("expires_at"),
    Column("revoked", Boolean, nullable=False, server_default=false()),
)

# The audit log: append-only, rows are inserted, never updated or deleted.
audit_log = Table(
    "audit_log",
    metadata,
    _id(),
    _timestamp("created_at"),
    _fk("user_id", "users.id", nullable=True),
    Column("till_id", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", String(255), nullable=False, default=""),
    Column("detail", Text, nullable=False),
    Index("ix_audit_log_created_at", "created_at"),
    Index("ix_audit_log_action_created_at", "action", "created_at"),
)

# A till's shifts: every sale and refund on one Z report.
shifts = Table(
    "shifts",
    metadata,
    _id(),
    Column("till_id", String(64), nullable=False),
    # Equal to till_id while the shift is open, NULL once closed: one open shift per till.
    Column("open_till_id", String(64), unique=True),
    _fk("opened_by", "users.id"),
    _timestamp("opened_at"),
    _cents("float_cents"),
    _fk("closed_by", "users.id", nullable=True),
    _timestamp("closed_at", nullable=True),
    Column("counted_cents", BigInteger),
    Column("expected_cash_cents", BigInteger),
    Column("difference_cents", BigInteger),
    Column("void_count", Integer, nullable=False, server_default="0"),
    Column("void_cents", BigInteger, nullable=False, server_default="0"),
    CheckConstraint("float_cents >= 0", name="float_non_negative"),
    CheckConstraint("void_count >= 0 AND void_cents >= 0", name="voids_non_negative"),
    Index("ix_shifts_till_id_opened_at", "till_id", "opened_at"),
)

# What the shop sells.
categories = Table(
    "categories",
    metadata,
    _id(),
    _name(),
    _name_key(),
    Column("slug", String(200), unique=True, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    _timestamp("created_at"),
    # Value-added tax contained in the (tax-inclusive) prices, in basis points: 1900 = 19 %.
    Column("tax_rate_bp", Integer, nullable=False, server_default="0"),
    CheckConstraint("tax_rate_bp >= 0 AND tax_rate_bp <= 10000", name="tax_rate_in_range"),
    Index("ix_categories_name_key", "name_key", "id"),
)

products = Table(
    "products",
    metadata,
    _id(),
    _name(),
    _name_key(),  # lists sort by it, then id
    Column("description", Text, nullable=False, default=""),
    _fk("category_id", "categories.id"),
    Column("sku", String(64), unique=True, nullable=False),
    Column("barcode", String(14), unique=True),
    # Per piece, or per kilogram when the product is sold by weight.
    _cents("price_cents"),
    # 'piece', or 'weight': then quantities (stock, sale lines) are grams.
    Column("sold_by", String(8), nullable=False, server_default="piece"),
    # The item code (PLU) the shop's scale prints on its labels.
    Column("scale_code", Integer),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    _timestamp("created_at"),
    _timestamp("updated_at"),
    CheckConstraint("price_cents >= 0", name="price_non_negative"),
    CheckConstraint("sold_by IN ('piece', 'weight')", name="sold_by_known"),
    CheckConstraint(
        "scale_code IS NULL OR (scale_code >= 1 AND scale_code <= 999999)",
        name="scale_code_in_range",
    ),
    # Name order first, then what a search tests: a search walks it in order (0009).
    Index("ix_products_search", "name_key", "id", "name", "sku", "barcode"),
    Index("ix_products_scale_code", "scale_code", unique=True),
)

# Sales and their lines. Money is integer minor units (cents); timestamps are UTC;
# ``local_date`` is the shop's local calendar day of a sale, fixed at write time.
sales = Table(
    "sales",
    metadata,
    _id(),
    # Generated by the till before the first commit attempt: a retried commit finds the first one.
    Column("uuid", String(36), unique=True, nullable=False),
    _fk("user_id", "users.id"),
    Column("till_id", String(64), nullable=False),
    _timestamp("created_at"),
    Column("local_date", Date, nullable=False),
    _cents("total_cents"),
    _fk("shift_id", "shifts.id", nullable=True),
    CheckConstraint("total_cents >= 0", name="total_non_negative"),
    Index("ix_sales_local_date_total", "local_date", "total_cents"),
)

sale_items = Table(
    "sale_items",
    metadata,
    _id(),
    _fk("sale_id", "sales.id"),
    _fk("product_id", "products.id"),
    # The product's category when it was sold: reports attribute revenue to it, not to today's.
    _fk("category_id", "categories.id"),
    Column("local_date", Date, nullable=False),
    Column("quantity", Integer, nullable=False),
    _cents("unit_price_cents"),
    _cents("revenue_cents"),
    # The rate and the tax contained in revenue_cents, fixed when sold.
    Column("tax_rate_bp", Integer, nullable=False, server_default="0"),
    Column("tax_cents", BigInteger, nullable=False, server_default="0"),
    # Raised only by a conditional UPDATE, so two tills can never return more than was sold.
    Column("refunded_quantity", Integer, nullable=False, server_default="0"),
    # The list price when sold (None on lines sold before discounts existed: the unit price),
    # what promotions and discounts took off the line, and their names for receipts.
    Column("original_unit_price_cents", BigInteger),
    Column("discount_cents", BigInteger, nullable=False, server_default="0"),
    Column("discount_name", String(255), nullable=False, server_default=""),
    # No foreign key and no index: promotions are never deleted, and every sale line would pay
    # for keeping an index current.
    Column("promotion_id", BigInteger),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("unit_price_cents >= 0", name="unit_price_non_negative"),
    CheckConstraint("revenue_cents >= 0", name="revenue_non_negative"),
    CheckConstraint("discount_cents >= 0", name="discount_non_negative"),
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
    # Covering index for exact distinct-sale counts under a filter on several products (several
    # categories are answered by daily_category_sets).
    Index("ix_sale_items_product_day", "product_id", "local_date", "category_id", "sale_id"),
)


# Sales rollups: kept in the same transaction as each sale, rebuilt from the sale lines.
def _rollup_columns() -> list[Column[Any]]:
    """Shared by the sales rollups; each table adds its key columns and its primary key."""
    return [
        Column("local_date", Date, nullable=False),
        Column("till_id", String(64), nullable=False),
        Column("sales_count", Integer, nullable=False),
        Column("units", BigInteger, nullable=False),
        _cents("revenue_cents"),
        # What promotions and discounts took off: revenue + discount is the gross before them.
        Column("discount_cents", BigInteger, nullable=False, server_default="0"),
    ]


def _key(name: str) -> Column[int]:
    return Column(name, BigIntPK, nullable=False, autoincrement=False)


# Sales per shop-local day, local hour and till.
hourly_sales = Table(
    "hourly_sales",
    metadata,
    *_rollup_columns(),
    Column("local_hour", Integer, nullable=False, autoincrement=False),
    PrimaryKeyConstraint("local_date", "local_hour", "till_id"),
    # Covering: a report sums its days' sales from the index alone.
    Index("ix_hourly_sales_report", "local_date", "local_hour", "till_id", *MEASURE_COLUMNS),
)

daily_product_sales = Table(
    "daily_product_sales",
    metadata,
    *_rollup_columns(),
    _key("product_id"),
    _key("category_id"),  # when sold
    PrimaryKeyConstraint("local_date", "product_id", "category_id", "till_id"),
    # Covering indexes: a report reads its days in order without touching the table, and a
    # product filter reads only that product's days.
    Index("ix_daily_product_sales_report", "local_date", *PRODUCT_KEYS, *MEASURE_COLUMNS),
    Index("ix_daily_product_sales_product", "product_id", *_DAY_BY_PRODUCT),
)

# The product rollup summed over whole shop-local weeks (ISO, from Monday), calendar months and
# years: ``period`` is 'weekly', 'monthly' or 'yearly' and ``local_date`` the period's first
# day. Each row is the sum of the ``daily_product_sales`` rows of its period, so a report over a
# year reads a few rows per product instead of 365. Stored without SQLite's rowid, so the rows
# lie in key order like InnoDB's.
period_product_sales = Table(
    "period_product_sales",
    metadata,
    *_rollup_columns(),
    Column("period", String(8), nullable=False),
    _key("product_id"),
    _key("category_id"),  # when sold
    PrimaryKeyConstraint("period", "local_date", "product_id", "category_id", "till_id"),
    Index("ix_period_product_sales_product", "product_id", "period", *_DAY_BY_PRODUCT),
    sqlite_with_rowid=False,
)

daily_category_sales = Table(
    "daily_category_sales",
    metadata,
    *_rollup_columns(),
    _key("category_id"),  # when sold
    PrimaryKeyConstraint("local_date", "category_id", "till_id"),
)

# Sales per shop-local day, till and set of categories (when sold) the sale holds.
# ``category_set`` is the canonical text of a sale's distinct category ids, sorted ascending and
# joined by commas (``"2,5,7"``), of any length; ``category_set_key`` is the SHA-256 of that text
# in hex, a fixed-length key for the primary key. Each sale counts in exactly one row, so the
# sales of a day holding any of several categories are the sum over the sets meeting them.
daily_category_sets = Table(
    "daily_category_sets",
    metadata,
    Column("local_date", Date, nullable=False),
    Column("category_set_key", String(CATEGORY_SET_KEY_LENGTH), nullable=False),
    Column("till_id", String(64), nullable=False),
    # No length limit that a sale could reach: a sale over every category of a large catalogue
    # still has its set stored.
    Column("category_set", MediumText(), nullable=False),
    Column("sales_count", Integer, nullable=False),
    PrimaryKeyConstraint("local_date", "category_set_key", "till_id"),
    # Covering, by set: the distinct sets are a skip over the index, and a report sums the
    # sales of the matching sets over its days in the index alone.
    Index("ix_daily_category_sets_set", "category_set_key", "local_date", "till_id", "sales_count"),
)

__all__ = [
    "CATEGORY_SET_KEY_LENGTH",
    "MEASURE_COLUMNS",
    "NAMING_CONVENTION",
    "PRODUCT_KEYS",
    "audit_log",
    "categories",
    "daily_category_sales",
    "daily_category_sets",
    "daily_product_sales",
    "hourly_sales",
    "metadata",
    "period_product_sales",
    "products",
    "sale_items",
    "sales",
    "shifts",
    "tokens",
    "users",
]
