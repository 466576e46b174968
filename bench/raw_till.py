"""The raw side of ``bench/tills.py``: a till issuing the checkout's statements through the driver.

``python bench/tills.py --raw-worker URL TILL_ID N SEED`` runs one; it speaks the same ready/go
protocol as the till processes and prints the same JSON summary.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
import time
import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pymysql
from sqlalchemy.engine import make_url

from pos_app.domain.periods import ROLLUP_PERIODS, period_start
from pos_app.services.rollups import category_set, category_set_key
from pos_app.services.tax import tax_contained
from tests.concurrency.tillproc import HOT_PREFIX, random_cart

SHOP_ZONE = ZoneInfo("Europe/Berlin")
NEW_SALE = object()  # the sale's id, as a variable of a compound statement
INSERT_ROW = re.compile(r"^(INSERT\b.*?\bVALUES\s*)(\([^()]*\))(.*)$", re.DOTALL)
STATE_SQL = (
    "SELECT u.is_active, (SELECT s.id FROM sales s WHERE s.uuid = %s), "
    "(SELECT sh.id FROM shifts sh WHERE sh.open_till_id = %s{lock}), "
    "p.id, p.name, p.sku, p.price_cents, p.category_id, p.is_active, c.tax_rate_bp "
    "FROM users u LEFT OUTER JOIN products p ON p.id IN ({ids}) "
    "LEFT OUTER JOIN categories c ON c.id = p.category_id WHERE u.id = %s{lock}"
)
TAKE_SQL = (
    "UPDATE inventories SET quantity = quantity - %s, updated_at = %s "
    "WHERE product_id = %s AND quantity - %s >= 0"
)
LEFT_SQL = "SELECT quantity FROM inventories WHERE product_id = %s"
SALE_SQL = (
    "INSERT INTO sales (uuid, user_id, till_id, created_at, local_date, total_cents, shift_id) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
ITEM_SQL = (
    "INSERT INTO sale_items (sale_id, product_id, category_id, local_date, quantity, "
    "unit_price_cents, revenue_cents, tax_rate_bp, tax_cents, refunded_quantity) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 0)"
)
MOVE_SQL = (
    "INSERT INTO stock_movements (product_id, quantity_change, reason, note, user_id, sale_id, "
    "created_at) VALUES (%s, %s, 'sale', '', %s, %s, %s)"
)
PAY_SQL = (
    "INSERT INTO payments (sale_id, tender, amount_cents, tendered_cents, change_cents, "
    "created_at) VALUES (%s, 'cash', %s, %s, 0, %s)"
)
MEASURES = ("sales_count", "units", "revenue_cents", "discount_cents")
ROLLUP_KEYS = {
    "hourly_sales": ("local_date", "local_hour", "till_id"),
    "daily_product_sales": ("local_date", "product_id", "category_id", "till_id"),
    "daily_category_sales": ("local_date", "category_id", "till_id"),
    # Keyed by the SHA-256 of the set's text, as the service writes it (the text has no index).
    "daily_category_sets": ("local_date", "category_set_key", "till_id"),
    "period_product_sales": ("period", "local_date", "product_id", "category_id", "till_id"),
}
ROLLUP_TEXT = {"daily_category_sets": ("category_set",)}
ROLLUP_MEASURES = {table: MEASURES for table in ROLLUP_KEYS} | {
    "daily_category_sets": ("sales_count",)
}


def upsert_sql(table: str, sqlite: bool) -> str:
    """INSERT a rollup row, or add its measures to the row with the same key."""
    keys, measures = ROLLUP_KEYS[table], ROLLUP_MEASURES[table]
    columns = (*keys, *ROLLUP_TEXT.get(table, ()), *measures)
    if sqlite:
        added = ", ".join(f"{m} = {m} + excluded.{m}" for m in measures)
        tail = f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}"
    else:
        tail = " ON DUPLICATE KEY UPDATE " + ", ".join(f"{m} = {m} + VALUES({m})" for m in measures)
    placeholders = ", ".join(["?" if sqlite else "%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}){tail}"


class RawTill:
    """The same statements as the checkout service, issued straight through the DB-API driver."""

    def __init__(self, url: str, till_id: str, seed: int) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            self.conn: Any = sqlite3.connect(parsed.database or "", isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout=15000")
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        else:
            self.conn = pymysql.connect(
                host=parsed.host,
                port=parsed.port or 3306,
                user=parsed.username,
                password=parsed.password or "",
                database=parsed.database,
                charset="utf8mb4",
            )
        self.till_id, self.rng = till_id, random.Random(seed)
        cursor = self.conn.cursor()
        cursor.execute("SELECT id FROM users WHERE role = 'cashier' ORDER BY id LIMIT 1")
        self.cashier = cursor.fetchone()[0]
        cursor.execute("SELECT id, sku FROM products ORDER BY id")
        rows = cursor.fetchall()
        self.hot = [row[0] for row in rows if row[1].startswith(HOT_PREFIX)]
        self.shelf = [row[0] for row in rows if not row[1].startswith(HOT_PREFIX)]
        self.committed = self.failed = 0
        self.units: dict[int, int] = {}
        self.upserts = {table: upsert_sql(table, self.sqlite) for table in ROLLUP_KEYS}
        self.blocks = not self.sqlite and "mariadb" in self.conn.get_server_info().lower()
        self.counted: list[int] = []

    def sql(self, statement: str) -> str:
        return statement.replace("%s", "?") if self.sqlite else statement

    def sell_once(self) -> None:
        wanted: dict[int, int] = {}
        for product_id, quantity in random_cart(self.rng, self.hot, self.shelf):
            wanted[product_id] = wanted.get(product_id, 0) + quantity
        partial = self.rng.random() < 0.2
        key = str(uuid.uuid4())
        cursor = self.conn.cursor()
        if self.sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        ids = sorted(wanted)
        state = STATE_SQL.format(
            lock="" if self.sqlite else " LOCK IN SHARE MODE", ids=", ".join(["%s"] * len(ids))
        )
        cursor.execute(self.sql(state), (key, self.till_id, *ids, self.cashier))
        rows = cursor.fetchall()
        assert rows[0][0] and rows[0][1] is None, "inactive cashier or a reused uuid"
        shift_id = rows[0][2]
        products = {row[3]: row[3:] for row in rows if row[3] is not None and row[8]}
        now = datetime.now(UTC)
        stamp, day = now.replace(tzinfo=None).isoformat(" "), now.astimezone(SHOP_ZONE).date()
        hour = now.astimezone(SHOP_ZONE).hour
        if self.blocks and self.sell_in_one_block(
            cursor, wanted, products, (key, shift_id, stamp, day, hour)
        ):
            return
        sold, refused = [], 0
        counted = iter(self.counted)
        for product_id, quantity in sorted(wanted.items()):
            if self.blocks:  # the block took what it could: its row counts say what
                taken = next(counted) == 1
            else:
                cursor.execute(self.sql(TAKE_SQL), (quantity, stamp, product_id, quantity))
                taken = cursor.rowcount == 1
            if taken:
                sold.append((product_id, quantity))
            else:
                cursor.execute(self.sql(LEFT_SQL), (product_id,))
                cursor.fetchall()
                refused += 1
        if not sold or (refused and not partial):
            self.conn.rollback() if not self.sqlite else cursor.execute("ROLLBACK")
            self.failed += 1
            return
        self.write_sale(cursor, sold, products, (key, shift_id, stamp, day, hour))
        self.conn.commit() if not self.sqlite else cursor.execute("COMMIT")
        self.committed += 1
        for product_id, quantity in sold:
            self.units[product_id] = self.units.get(product_id, 0) + quantity

    def sell_in_one_block(
        self,
        cursor: Any,
        wanted: dict[int, int],
        products: dict[int, Any],
        sale: tuple[Any, ...],
    ) -> bool:
        """MariaDB: the stock takes and, if all succeed, the sale's writes and its COMMIT, as
        one compound statement (as the service sends them). False: a line was refused."""
        stamp = sale[2]
        ordered = sorted(wanted.items())
        block = BlockWriter()
        for number, (product_id, quantity) in enumerate(ordered):
            block.add(
                f"{TAKE_SQL}; SET rows_{number} = ROW_COUNT();",
                (quantity, stamp, product_id, quantity),
            )
        block.guard(len(ordered))
        self.write_sale(block, ordered, products, sale)
        cursor.execute(*block.statement(len(ordered)))
        answer = cursor.fetchone()
        while cursor.nextset():
            pass
        self.counted = list(answer[1:])
        if answer[0] is None:
            return False
        self.committed += 1
        for product_id, quantity in ordered:
            self.units[product_id] = self.units.get(product_id, 0) + quantity
        return True

    def write_sale(
        self,
        cursor: Any,
        sold: list[tuple[int, int]],
        products: dict[int, Any],
        sale: tuple[Any, ...],
    ) -> None:
        key, shift_id, stamp, day, hour = sale
        lines = []
        for product_id, quantity in sold:
            _, _, _, price, category_id, _, rate = products[product_id]
            revenue = quantity * price
            tax = tax_contained(revenue, rate)
            lines.append((product_id, category_id, quantity, price, revenue, rate, tax))
        total = sum(line[4] for line in lines)
        cursor.execute(
            self.sql(SALE_SQL),
            (key, self.cashier, self.till_id, stamp, day.isoformat(), total, shift_id),
        )
        sale_id = cursor.lastrowid
        cursor.executemany(
            self.sql(ITEM_SQL),
            [
                (sale_id, p, c, day.isoformat(), q, u, r, rate, t)
                for p, c, q, u, r, rate, t in lines
            ],
        )
        cursor.executemany(
            self.sql(MOVE_SQL), [(p, -q, self.cashier, sale_id, stamp) for p, _, q, *_ in lines]
        )
        cursor.execute(self.sql(PAY_SQL), (sale_id, total, total, stamp))
        self.add_to_rollups(cursor, day.isoformat(), hour, lines)

    def add_to_rollups(
        self, cursor: Any, day: str, hour: int, lines: list[tuple[int, ...]]
    ) -> None:
        by_product: dict[tuple[int, int], list[int]] = {}
        by_category: dict[int, list[int]] = {}
        for product_id, category_id, quantity, _, revenue, _, _ in lines:
            for counts in (
                by_product.setdefault((product_id, category_id), [0, 0]),
                by_category.setdefault(category_id, [0, 0]),
            ):
                counts[0] += quantity
                counts[1] += revenue
        units, revenue = sum(line[2] for line in lines), sum(line[4] for line in lines)
        till = self.till_id
        cursor.execute(self.upserts["hourly_sales"], (day, hour, till, 1, units, revenue, 0))
        cursor.executemany(
            self.upserts["daily_product_sales"],
            [(day, p, c, till, 1, u, r, 0) for (p, c), (u, r) in sorted(by_product.items())],
        )
        cursor.executemany(
            self.upserts["daily_category_sales"],
            [(day, c, till, 1, u, r, 0) for c, (u, r) in sorted(by_category.items())],
        )
        text = category_set(by_category)
        sets = (day, category_set_key(text), till, text, 1)
        cursor.execute(self.upserts["daily_category_sets"], sets)
        first_days = [
            (period.value, period_start(date.fromisoformat(day), period).isoformat())
            for period in ROLLUP_PERIODS
        ]
        cursor.executemany(
            self.upserts["period_product_sales"],
            [
                (period, first, p, c, till, 1, u, r, 0)
                for period, first in first_days
                for (p, c), (u, r) in sorted(by_product.items())
            ],
        )


class BlockWriter:
    """Statements collected into one MariaDB compound statement, in the order given; the sale's
    id is a variable of the block (``NEW_SALE`` where a statement takes it)."""

    def __init__(self) -> None:
        self.body: list[str] = []
        self.values: list[Any] = []
        self.lastrowid: Any = NEW_SALE

    def add(self, text: str, values: tuple[Any, ...]) -> None:
        self.body.append(text)
        self.values.extend(values)

    def guard(self, counted: int) -> None:
        taken = " AND ".join(f"rows_{n} = 1" for n in range(counted))
        self.body.append(f"IF {taken} THEN")

    def execute(self, sql: str, values: tuple[Any, ...]) -> None:
        self.executemany(sql, [values])
        if sql.startswith("INSERT INTO sales "):
            self.body.append("SET sale = LAST_INSERT_ID();")

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        match = INSERT_ROW.match(sql)
        assert match is not None, sql
        head, row, tail = match.groups()
        texts = []
        for values in rows:
            pieces = row.split("%s")
            text = pieces[0]
            for value, piece in zip(values, pieces[1:], strict=True):
                text += ("sale" if value is NEW_SALE else "%s") + piece
                if value is not NEW_SALE:
                    self.values.append(value)
            texts.append(text)
        self.body.append(head + ", ".join(texts) + tail + ";")

    def statement(self, counted: int) -> tuple[str, tuple[Any, ...]]:
        declared = ["DECLARE sale BIGINT DEFAULT NULL;"] + [
            f"DECLARE rows_{n} BIGINT DEFAULT NULL;" for n in range(counted)
        ]
        answer = ", ".join(["sale", *(f"rows_{n}" for n in range(counted))])
        text = "\n".join(
            [
                "BEGIN NOT ATOMIC",
                *declared,
                *self.body,
                "COMMIT;",
                "END IF;",
                f"SELECT {answer};",
                "END",
            ]
        )
        return text, tuple(self.values)


def raw_worker(url: str, till_id: str, count: int, seed: int) -> None:
    till = RawTill(url, till_id, seed)
    print("ready", flush=True)
    sys.stdin.readline()
    started, cpu_started = time.time(), time.process_time()
    for _ in range(count):
        till.sell_once()
    summary = {
        "cpu_s": time.process_time() - cpu_started,
        "till": till_id,
        "committed": till.committed,
        "failed": till.failed,
        "retries": 0,
        "units": till.units,
        "started": started,
        "finished": time.time(),
    }
    print(json.dumps(summary), flush=True)
