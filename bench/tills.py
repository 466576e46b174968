"""Sales per second with one till and with several tills sharing one database, ours against raw SQL.

    python bench/tills.py [--purchases 10000] [--tills 8] [--sqlite]

Every run starts from a freshly seeded shop (50 products, 5 of them hot with little stock) and ends
with the consistency check: the oversold count must be 0. The raw rate issues the same statements
(INSERT sale, one conditional UPDATE per line, INSERT sale_items, INSERT stock_movements, COMMIT)
straight through the driver. ``--sqlite`` adds the same runs on a SQLite file. The last line printed
is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

import pymysql  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from pos_app.db.engine import create_engine_for  # noqa: E402
from tests import dbutil  # noqa: E402
from tests.concurrency.tillproc import (  # noqa: E402
    HOT_PREFIX,
    ShopPlan,
    check_database,
    count_sales,
    launch_processes,
    random_cart,
    seed_shop,
    till_command,
)

PLAN = ShopPlan(hot_stock=(1000, 3000), plenty=10_000_000, seed=5)
SHOP_ZONE = ZoneInfo("Europe/Berlin")
SALE_SQL = (
    "INSERT INTO sales (uuid, user_id, till_id, created_at, local_date, total_cents) "
    "VALUES (%s, %s, %s, %s, %s, %s)"
)
TAKE_SQL = (
    "UPDATE inventories SET quantity = quantity - %s, updated_at = %s "
    "WHERE product_id = %s AND quantity >= %s"
)
ITEM_SQL = (
    "INSERT INTO sale_items (sale_id, product_id, category_id, local_date, quantity, "
    "unit_price_cents, revenue_cents) VALUES (%s, %s, %s, %s, %s, %s, %s)"
)
MOVE_SQL = (
    "INSERT INTO stock_movements (product_id, quantity_change, reason, note, user_id, sale_id, "
    "created_at) VALUES (%s, %s, 'sale', '', %s, %s, %s)"
)


@contextmanager
def fresh_shop(backend: str, workdir: Path) -> Iterator[str]:
    if backend == "sqlite":
        template = dbutil.migrated_sqlite_template(workdir)
        url = dbutil.copy_sqlite(template, workdir / f"shop-{uuid.uuid4().hex[:6]}.sqlite3")
        _seed(url)
        yield url
        return
    with dbutil.temporary_mysql_database() as url:
        _seed(url)
        yield url


def _seed(url: str) -> None:
    engine = create_engine_for(url)
    seed_shop(engine, PLAN)
    engine.dispose()


def run(backend: str, kind: str, tills: int, purchases: int, workdir: Path) -> dict[str, Any]:
    each = [purchases // tills + (1 if n < purchases % tills else 0) for n in range(tills)]
    label = f"{kind:>4} {backend:>6} {tills} till(s)"
    print(f"{label}: seeding a fresh shop", flush=True)
    with fresh_shop(backend, workdir) as url:
        engine = create_engine_for(url)
        commands = [
            till_command(url, f"till-{n}", count, 100 + n)
            if kind == "ours"
            else [
                sys.executable,
                __file__,
                "--raw-worker",
                url,
                f"till-{n}",
                str(count),
                str(100 + n),
            ]
            for n, count in enumerate(each, start=1)
        ]
        last = [time.monotonic()]

        def tick() -> None:
            if time.monotonic() - last[0] >= 5:
                last[0] = time.monotonic()
                print(f"{label}: {count_sales(engine)} sales so far", flush=True)

        summaries = launch_processes(commands, timeout=3600, on_tick=tick)
        report = check_database(engine)
        engine.dispose()
    problems = report.problems
    if kind == "raw":
        # The raw statements keep no report roll-ups; only the stock and the sales are compared.
        problems.pop("rollups_not_items", None)
    committed = sum(s["committed"] for s in summaries)
    seconds = max(s["finished"] for s in summaries) - min(s["started"] for s in summaries)
    figures = {
        "backend": backend,
        "kind": kind,
        "tills": tills,
        "purchases": purchases,
        "committed": committed,
        "refused": sum(s["failed"] for s in summaries),
        "retries": sum(s["retries"] for s in summaries),
        "seconds": round(seconds, 2),
        "sales_per_s": round(committed / seconds, 1),
        "oversold": len(report.oversold) + len(report.negative_stock),
        "inconsistencies": sum(len(v) for v in problems.values()),
        "db_sales_match": report.sales == committed,
    }
    print(f"{label}: {figures['sales_per_s']} sales/s, oversold {figures['oversold']}", flush=True)
    return figures


class RawTill:
    """The same writes as the checkout service, issued straight through the DB-API driver."""

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
        cursor.execute("SELECT id, sku, price_cents, category_id FROM products ORDER BY id")
        rows = cursor.fetchall()
        self.prices = {row[0]: (row[2], row[3]) for row in rows}
        self.hot = [row[0] for row in rows if row[1].startswith(HOT_PREFIX)]
        self.shelf = [row[0] for row in rows if not row[1].startswith(HOT_PREFIX)]
        self.committed = self.failed = 0
        self.units: dict[int, int] = {}

    def sql(self, statement: str) -> str:
        return statement.replace("%s", "?") if self.sqlite else statement

    def sell_once(self) -> None:
        wanted: dict[int, int] = {}
        for product_id, quantity in random_cart(self.rng, self.hot, self.shelf):
            wanted[product_id] = wanted.get(product_id, 0) + quantity
        partial = self.rng.random() < 0.2
        now = datetime.now(UTC)
        stamp, day = now.replace(tzinfo=None).isoformat(" "), now.astimezone(SHOP_ZONE).date()
        total = sum(self.prices[p][0] * q for p, q in wanted.items())
        cursor = self.conn.cursor()
        if self.sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        cursor.execute(
            self.sql(SALE_SQL),
            (str(uuid.uuid4()), self.cashier, self.till_id, stamp, day.isoformat(), total),
        )
        sale_id = cursor.lastrowid
        sold = []
        for product_id, quantity in sorted(wanted.items()):
            cursor.execute(self.sql(TAKE_SQL), (quantity, stamp, product_id, quantity))
            if cursor.rowcount == 1:
                sold.append((product_id, quantity))
            elif not partial:
                sold = []
                break
        if not sold:
            self.conn.rollback() if not self.sqlite else cursor.execute("ROLLBACK")
            self.failed += 1
            return
        if len(sold) != len(wanted):
            revenue = sum(self.prices[p][0] * q for p, q in sold)
            cursor.execute(
                self.sql("UPDATE sales SET total_cents = %s WHERE id = %s"), (revenue, sale_id)
            )
        cursor.executemany(
            self.sql(ITEM_SQL),
            [
                (
                    sale_id,
                    p,
                    self.prices[p][1],
                    day.isoformat(),
                    q,
                    self.prices[p][0],
                    q * self.prices[p][0],
                )
                for p, q in sold
            ],
        )
        cursor.executemany(
            self.sql(MOVE_SQL), [(p, -q, self.cashier, sale_id, stamp) for p, q in sold]
        )
        self.conn.commit() if not self.sqlite else cursor.execute("COMMIT")
        self.committed += 1
        for product_id, quantity in sold:
            self.units[product_id] = self.units.get(product_id, 0) + quantity


def raw_worker(url: str, till_id: str, count: int, seed: int) -> None:
    till = RawTill(url, till_id, seed)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.time()
    for _ in range(count):
        till.sell_once()
    summary = {
        "till": till_id,
        "committed": till.committed,
        "failed": till.failed,
        "retries": 0,
        "units": till.units,
        "started": started,
        "finished": time.time(),
    }
    print(json.dumps(summary), flush=True)


def print_table(rows: list[dict[str, Any]], ratio_of: Callable[[dict[str, Any]], float]) -> None:
    print(
        f"{'backend':<8}{'tills':>6}{'ours/s':>10}{'raw/s':>10}{'ours/raw':>10}"
        f"{'sales':>8}{'refused':>9}{'oversold':>10}"
    )
    for row in rows:
        print(
            f"{row['backend']:<8}{row['tills']:>6}{row['ours']:>10.1f}{row['raw']:>10.1f}"
            f"{ratio_of(row):>10.2f}{row['sales']:>8}{row['refused']:>9}{row['oversold']:>10}"
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--raw-worker":
        url, till_id, count, seed = sys.argv[2:6]
        raw_worker(url, till_id, int(count), int(seed))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--purchases", type=int, default=10_000)
    parser.add_argument("--tills", type=int, default=8)
    parser.add_argument("--sqlite", action="store_true", help="also run on a SQLite file")
    args = parser.parse_args()
    if args.purchases < 1 or args.tills < 1:
        parser.error("--purchases and --tills must be at least 1")
    if not dbutil.mysql_reachable():
        print("MariaDB is not reachable at 127.0.0.1:3306 (POS_TEST_MYSQL_* to change).")
        return 1
    backends = ["mysql", "sqlite"] if args.sqlite else ["mysql"]
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="till-bench-") as workdir:
        for backend in backends:
            for tills in sorted({1, args.tills}):
                for kind in ("ours", "raw"):
                    runs.append(run(backend, kind, tills, args.purchases, Path(workdir)))
    rows = []
    for backend in backends:
        for tills in sorted({1, args.tills}):
            ours, raw = (
                next(
                    r
                    for r in runs
                    if r["backend"] == backend and r["tills"] == tills and r["kind"] == kind
                )
                for kind in ("ours", "raw")
            )
            rows.append(
                {
                    "backend": backend,
                    "tills": tills,
                    "ours": ours["sales_per_s"],
                    "raw": raw["sales_per_s"],
                    "ratio": round(ours["sales_per_s"] / raw["sales_per_s"], 3),
                    "sales": ours["committed"],
                    "refused": ours["refused"],
                    "oversold": ours["oversold"] + raw["oversold"],
                }
            )
    print()
    print_table(rows, lambda row: float(row["ratio"]))
    oversold = sum(run["oversold"] for run in runs)
    ok = oversold == 0 and all(r["inconsistencies"] == 0 and r["db_sales_match"] for r in runs)
    print(
        json.dumps(
            {
                "purchases": args.purchases,
                "tills": args.tills,
                "oversold": oversold,
                "consistent": ok,
                "table": rows,
                "runs": runs,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
