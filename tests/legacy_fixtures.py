"""Databases shaped like the old web shop's, with the untidy rows a real one holds.

The rows include orphans (a product of a missing category, stock and lines of missing products,
a sale of a missing user), one product twice in a sale, prices stored as integers, decimals and
text, several inventory batches per product and argon2 password hashes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import (
    DECIMAL,
    Boolean,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    text,
)

from tests import dbutil

ALICE_PASSWORD = "alice-legacy-pass"
BOB_PASSWORD = "bob-legacy-pass"
TILL_OWNER_EMAIL = "owner@shop.test"

# What importing the rows below into a Till that only has its owner must give.
EXPECTED_IMPORTED = {
    "users": 2,
    "categories": 3,
    "products": 4,
    "stock_movements": 3,
    "sales": 4,
    "sale_items": 6,
}
EXPECTED_REVENUE_CENTS = 750 + 287 + 140 + 300
EXPECTED_STOCK = {"LEG-1": 15, "LEG-2": 8, "LEG-3": 20, "LEG-6": 0}
EXPECTED_PRICES = {"LEG-1": 200, "LEG-2": 99, "LEG-3": 150, "LEG-6": 35}
# Old sale id -> (shop-local day in Europe/Berlin, total in cents, number of lines)
EXPECTED_SALES = {
    1: (date(2026, 1, 16), 750, 2),
    2: (date(2026, 7, 2), 287, 2),
    4: (date(2026, 3, 10), 140, 1),
    5: (date(2026, 3, 29), 300, 1),
}
EXPECTED_SKIPS = {
    ("user", 3): "already a Till user",
    ("user", 4): "not valid",
    ("product", 4): "its category 99 does not exist",
    ("product", 5): "negative",
    ("inventory", 7): "its product 77 does not exist",
    ("inventory", 8): "its product 4 was not imported",
    ("sale_item", 7): "its product 4 was not imported",
    ("sale_item", 10): "its product 99 does not exist",
    ("sale_item", 11): "its sale 77 does not exist",
    ("sale_item", 12): "quantity 0",
    ("sale", 3): "its user 42 does not exist",
    ("sale", 6): "none of its lines",
}
EXPECTED_WARNINGS = ("Water", "Sale 2:", "Sale 4:")

metadata = MetaData()
Table(
    "user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("first_name", String(100)),
    Column("last_name", String(100)),
    Column("email", String(255)),
    Column("hashed_password", String(255)),
    Column("is_active", Boolean),
    Column("timezone", String(64)),
    Column("last_login", DateTime),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)
Table(
    "category",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("category_name", String(100)),
    Column("category_slug", String(100)),
    Column("created_at", DateTime),
)
Table(
    "product",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_name", String(200)),
    Column("description", Text),
    Column("category_id", Integer),
    Column("price", DECIMAL(10, 2)),
    Column("quantity", Integer),
    Column("is_active", Boolean),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)
Table(
    "inventory",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("product_id", Integer),
    Column("quantity", Integer),
    Column("created_at", DateTime),
    Column("updated_at", DateTime),
)
Table(
    "sale",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer),
    Column("total_amount", DECIMAL(10, 2)),
    Column("created_at", DateTime),
)
Table(
    "sale_item",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sale_id", Integer),
    Column("product_id", Integer),
    Column("quantity", Integer),
    Column("price_per_unit", DECIMAL(10, 2)),
)


@cache
def password_hash(password: str) -> str:
    return PasswordHasher().hash(password)


def _rows() -> dict[str, list[tuple[object, ...]]]:
    """Raw values: prices as int, as '0.99' text, as Decimal-looking text; times naive UTC."""
    return {
        "user": [
            (1, "Alice", "Adams", "alice@legacy.test", password_hash(ALICE_PASSWORD), 1,
             "Europe/Berlin", "2026-01-10 08:00:00", "2025-06-01 09:00:00", None),
            (2, "Bob", "Brown", "Bob@Legacy.test", password_hash(BOB_PASSWORD), 0,
             None, None, "2025-06-02 09:00:00", None),
            (3, "Olga", "Old", TILL_OWNER_EMAIL.upper(), password_hash("x"), 1,
             None, None, "2025-06-03 09:00:00", None),
            (4, "No", "Mail", "not-an-email", password_hash("x"), 1,
             None, None, "2025-06-04 09:00:00", None),
        ],
        "category": [
            (1, "Drinks", "drinks", "2025-06-01 10:00:00"),
            (2, "Snacks", "snacks", "2025-06-01 10:00:00"),
            (3, "Fruit", "fruit", "2025-06-01 10:00:00"),
        ],
        "product": [
            (1, "Cola", "Cold and sweet", 1, 2, 15, 1, "2025-06-01 11:00:00", None),
            (2, "Water", None, 1, "0.99", 7, 1, "2025-06-01 11:00:00", None),
            (3, "Crisps", "Salted", 2, "1.50", 20, 1, "2025-06-01 11:00:00", None),
            (4, "Ghost", "", 99, "3.00", 2, 1, "2025-06-01 11:00:00", None),
            (5, "Broken", "", 3, "-1.00", 1, 1, "2025-06-01 11:00:00", None),
            (6, "Apple", "", 3, "0.35", 0, 0, "2025-06-01 11:00:00", None),
        ],
        "inventory": [
            (1, 1, 10, None, None),
            (2, 1, 5, None, None),
            (3, 2, 4, None, None),
            (4, 2, 4, None, None),
            (5, 3, 12, None, None),
            (6, 3, 8, None, None),
            (7, 77, 3, None, None),
            (8, 4, 2, None, None),
        ],
        "sale": [
            (1, 1, "7.50", "2026-01-15 23:30:00"),
            (2, 1, "3.00", "2026-07-01 22:30:00"),
            (3, 42, "1.00", "2026-02-01 10:00:00"),
            (4, 2, "4.40", "2026-03-10 10:00:00"),
            (5, 3, 3, "2026-03-28 23:30:00"),
            (6, 1, "1.00", "2026-04-01 12:00:00"),
        ],
        "sale_item": [
            (1, 1, 1, 1, 2),
            (2, 1, 1, 2, "2.00"),
            (3, 1, 3, 1, "1.50"),
            (4, 2, 2, 2, "0.99"),
            (5, 2, 2, 1, "0.89"),
            (6, 3, 1, 1, "1.00"),
            (7, 4, 4, 1, "3.00"),
            (8, 4, 6, 4, "0.35"),
            (9, 5, 3, 2, "1.50"),
            (10, 6, 99, 1, "1.00"),
            (11, 77, 1, 1, "2.00"),
            (12, 5, 1, 0, "2.00"),
        ],
    }  # fmt: skip


def populate(connection: Connection, omit: Sequence[str] = ()) -> None:
    """Create the old tables (all but ``omit``) and fill them with the rows above."""
    tables = [table for table in metadata.sorted_tables if table.name not in omit]
    metadata.create_all(connection, tables=tables)
    rows = _rows()
    for table in tables:
        quote = connection.dialect.identifier_preparer.quote
        columns = [column.name for column in table.columns]
        names = ", ".join(quote(column) for column in columns)
        marks = ", ".join(f":{column}" for column in columns)
        statement = text(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})")
        connection.execute(
            statement, [dict(zip(columns, row, strict=True)) for row in rows[table.name]]
        )


def build_legacy_sqlite(path: Path, omit: Sequence[str] = ()) -> Path:
    """A SQLite file holding the old shop's tables; returns its path."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        populate(connection, omit)
    engine.dispose()
    return path


@contextmanager
def legacy_mysql_database(omit: Sequence[str] = ()) -> Iterator[str]:
    """A temporary MariaDB database holding the old shop's tables; yields its URL."""
    with dbutil.temporary_mysql_database(migrate=False) as url:
        engine = create_engine(url)
        with engine.begin() as connection:
            populate(connection, omit)
        engine.dispose()
        yield url
