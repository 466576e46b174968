"""One till as an OS process, plus the shop it sells from and the checks run afterwards.

``python -m tests.concurrency.tillproc URL TILL_ID N SEED [--wait-go] [--no-service-retry]`` makes
N random purchases (N <= 0: until killed) and prints a JSON summary. ``--wait-go`` prints ``ready``
after set-up and sells once a line arrives on stdin, so a parent can start every till at the same
moment. ``--no-service-retry`` lets every deadlock or "database is locked" reach the till (and its
``busy`` count) instead of being retried inside the service.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, func, insert, select

from pos_app.db.engine import create_database
from pos_app.db.models import (
    Base,
    Category,
    Inventory,
    Product,
    Sale,
    SaleItem,
    StockMovement,
    User,
)
from pos_app.services import context
from pos_app.services.context import ServiceContext
from pos_app.services.errors import DatabaseBusyError, DatabaseUnavailableError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
HOT_PREFIX = "HOT-"
MAX_RETRIES = 20
CASHIER_PASSWORD = "till-cashier-1"
# Cheap hashing: the till processes log in once each, all at the same moment.
_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@dataclass(frozen=True)
class ShopPlan:
    products: int = 50
    hot: int = 5
    hot_stock: tuple[int, int] = (20, 50)
    plenty: int = 100_000
    seed: int = 1


@dataclass
class Consistency:
    """What the database says after the tills stopped; every list empty means consistent."""

    sales: int = 0
    items: int = 0
    units_sold: dict[int, int] = field(default_factory=dict)
    sales_by_till: dict[str, int] = field(default_factory=dict)
    negative_stock: list[int] = field(default_factory=list)
    oversold: list[int] = field(default_factory=list)
    stock_not_movements: list[int] = field(default_factory=list)
    empty_sales: list[int] = field(default_factory=list)
    wrong_totals: list[int] = field(default_factory=list)
    items_without_movement: list[tuple[int | None, int, int]] = field(default_factory=list)
    movements_without_item: list[tuple[int | None, int, int]] = field(default_factory=list)
    rollups_not_items: list[tuple[str, int]] = field(default_factory=list)

    @property
    def problems(self) -> dict[str, list[Any]]:
        names = (
            "negative_stock",
            "oversold",
            "stock_not_movements",
            "empty_sales",
            "wrong_totals",
            "items_without_movement",
            "movements_without_item",
            "rollups_not_items",
        )
        return {name: getattr(self, name) for name in names if getattr(self, name)}


def seed_shop(engine: Engine, plan: ShopPlan = ShopPlan()) -> dict[int, int]:
    """A cashier, two categories and ``plan.products`` products; returns units received per id."""
    rng = random.Random(plan.seed)
    now = datetime.now(UTC)
    received: dict[int, int] = {}
    with engine.begin() as connection:
        connection.execute(
            insert(User).values(
                email="cashier@till.test",
                first_name="Cara",
                last_name="Cashier",
                password_hash=_HASHER.hash(CASHIER_PASSWORD),
                role="cashier",
                is_active=True,
                failed_logins=0,
                created_at=now,
            )
        )
        cashier_id = connection.scalar(select(User.id).where(User.role == "cashier"))
        category_ids = []
        for slug in ("hot", "shelf"):
            connection.execute(
                insert(Category).values(
                    name=slug.title(), slug=slug, description="", created_at=now
                )
            )
            category_ids.append(connection.scalar(select(Category.id).where(Category.slug == slug)))
        for index in range(plan.products):
            hot = index < plan.hot
            sku = f"{HOT_PREFIX if hot else 'SKU-'}{index:04d}"
            connection.execute(
                insert(Product).values(
                    name=f"Product {index}",
                    description="",
                    category_id=category_ids[0 if hot else 1],
                    sku=sku,
                    price_cents=rng.randint(50, 5000),
                    is_active=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            product_id = connection.scalar(select(Product.id).where(Product.sku == sku))
            assert product_id is not None
            stock = rng.randint(*plan.hot_stock) if hot else plan.plenty
            received[product_id] = stock
            connection.execute(
                insert(Inventory).values(product_id=product_id, quantity=stock, updated_at=now)
            )
            connection.execute(
                insert(StockMovement).values(
                    product_id=product_id,
                    quantity_change=stock,
                    reason="restock",
                    note="opening stock",
                    user_id=cashier_id,
                    created_at=now,
                )
            )
    return received


def check_database(engine: Engine) -> Consistency:
    report = Consistency()
    with engine.connect() as connection:
        stock = dict(connection.execute(select(Inventory.product_id, Inventory.quantity)).all())
        movements = connection.execute(
            select(
                StockMovement.product_id,
                StockMovement.quantity_change,
                StockMovement.reason,
                StockMovement.sale_id,
            )
        ).all()
        items = connection.execute(
            select(SaleItem.sale_id, SaleItem.product_id, SaleItem.quantity, SaleItem.revenue_cents)
        ).all()
        sales = connection.execute(select(Sale.id, Sale.total_cents, Sale.till_id)).all()
    received: Counter[int] = Counter()
    net: Counter[int] = Counter()
    sold: Counter[int] = Counter()
    moved_out: Counter[tuple[int | None, int, int]] = Counter()
    for product_id, change, reason, sale_id in movements:
        net[product_id] += change
        if reason == "restock":
            received[product_id] += change
        elif reason == "sale":
            moved_out[(sale_id, product_id, -change)] += 1
    item_keys: Counter[tuple[int | None, int, int]] = Counter()
    revenue: Counter[int] = Counter()
    for sale_id, product_id, quantity, revenue_cents in items:
        sold[product_id] += quantity
        item_keys[(sale_id, product_id, quantity)] += 1
        revenue[sale_id] += revenue_cents
    report.sales, report.items = len(sales), len(items)
    report.units_sold = dict(sold)
    report.sales_by_till = dict(Counter(till for _, _, till in sales))
    for product_id, quantity in stock.items():
        if quantity < 0:
            report.negative_stock.append(product_id)
        if sold[product_id] + quantity != received[product_id]:
            report.oversold.append(product_id)
        if quantity != net[product_id]:
            report.stock_not_movements.append(product_id)
    for sale_id, total, _ in sales:
        if sale_id not in revenue:
            report.empty_sales.append(sale_id)
        elif revenue[sale_id] != total:
            report.wrong_totals.append(sale_id)
    report.rollups_not_items = _rollup_mismatches(engine)
    report.items_without_movement = sorted((item_keys - moved_out).elements())
    report.movements_without_item = sorted((moved_out - item_keys).elements())
    return report


def _rollup_mismatches(engine: Engine) -> list[tuple[str, int]]:
    rollup = Base.metadata.tables.get("daily_product_sales")
    if rollup is None:
        return []
    by_items = (
        select(Sale.till_id, SaleItem.product_id, func.sum(SaleItem.quantity),
               func.sum(SaleItem.revenue_cents))
        .join(Sale, Sale.id == SaleItem.sale_id)
        .group_by(Sale.till_id, SaleItem.product_id)
    )  # fmt: skip
    by_rollup = select(
        rollup.c.till_id, rollup.c.product_id, func.sum(rollup.c.units),
        func.sum(rollup.c.revenue_cents),
    ).group_by(rollup.c.till_id, rollup.c.product_id)  # fmt: skip
    with engine.connect() as connection:
        items = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in connection.execute(by_items)}
        kept = {(r[0], r[1]): (int(r[2]), int(r[3])) for r in connection.execute(by_rollup)}
        years = _yearly_sums(connection)
    mismatched = {key for key in items.keys() | kept.keys() if items.get(key) != kept.get(key)}
    if years is not None:  # each product's years add up to its days
        mismatched |= {key for key in years.keys() | kept.keys() if years.get(key) != kept.get(key)}
    return sorted(mismatched)


def _yearly_sums(connection: Connection) -> dict[tuple[str, int], tuple[int, int]] | None:
    periods = Base.metadata.tables.get("period_product_sales")
    if periods is None:
        return None
    rows = connection.execute(
        select(periods.c.till_id, periods.c.product_id, func.sum(periods.c.units),
               func.sum(periods.c.revenue_cents))
        .where(periods.c.period == "yearly")
        .group_by(periods.c.till_id, periods.c.product_id)
    )  # fmt: skip
    return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows}


def count_sales(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Sale)) or 0


def random_cart(rng: random.Random, hot: list[int], shelf: list[int]) -> list[tuple[int, int]]:
    """1-4 lines of 1-3 units; about a third of the lines take a hot product."""
    lines = []
    for _ in range(rng.randint(1, 4)):
        pool = hot if hot and rng.random() < 0.3 else shelf
        lines.append((rng.choice(pool), rng.randint(1, 3)))
    return lines


class Till:
    """A till process's state: its context, the cashier, the products it may sell."""

    def __init__(self, url: str, till_id: str, seed: int) -> None:
        from pos_app.services import auth
        from tests.factories import open_till

        self.rng = random.Random(seed)
        self.ctx = ServiceContext(
            database=create_database(url),
            timezone=ZoneInfo("Europe/Berlin"),
            till_id=till_id,
            jwt_secret="till-process-secret-" + "x" * 32,
            password_hasher=_HASHER,
        )
        engine = self.ctx.database.engine
        with engine.connect() as connection:
            email = connection.scalar(
                select(User.email).where(User.role == "cashier").order_by(User.id).limit(1)
            )
            rows = connection.execute(select(Product.id, Product.sku).order_by(Product.id)).all()
        assert email is not None, "the shop has no cashier"
        self.cashier = auth.login(self.ctx, email, CASHIER_PASSWORD).session
        open_till(self.ctx, self.cashier)
        self.hot = [pid for pid, sku in rows if sku.startswith(HOT_PREFIX)]
        self.shelf = [pid for pid, sku in rows if not sku.startswith(HOT_PREFIX)]
        self.committed = 0
        self.failed = 0
        self.retries = 0
        self.busy = 0
        self.cpu_s = 0.0
        self.latencies_ms: list[float] = []
        self.units: Counter[int] = Counter()

    def sell_once(self) -> None:
        from pos_app.services import checkout

        cart = [
            checkout.PurchaseLine(product_id=p, quantity=q)
            for p, q in random_cart(self.rng, self.hot, self.shelf)
        ]
        partial = self.rng.random() < 0.2
        sale_uuid = str(uuid.uuid4())
        began = time.perf_counter()
        for attempt in range(MAX_RETRIES):
            try:
                result = checkout.purchase(
                    self.ctx, self.cashier, cart, sale_uuid=sale_uuid, partial=partial
                )
                break
            except DatabaseUnavailableError as exc:
                # A deadlock victim or a dropped connection: the same uuid makes the retry safe.
                self.retries += 1
                self.busy += isinstance(exc, DatabaseBusyError)
                time.sleep(0.005 * (attempt + 1))
        else:
            raise RuntimeError(f"purchase {sale_uuid} failed {MAX_RETRIES} times")
        self.latencies_ms.append((time.perf_counter() - began) * 1000)
        if not result.committed:
            self.failed += 1
            return
        self.committed += 1
        for line in result.sold:
            self.units[line.product_id] += line.quantity

    def summary(self, started: float, finished: float) -> dict[str, Any]:
        return {
            "till": self.ctx.till_id,
            "committed": self.committed,
            "failed": self.failed,
            "retries": self.retries,
            "busy": self.busy,
            "cpu_s": self.cpu_s,
            "units": {str(k): v for k, v in sorted(self.units.items())},
            "latencies_ms": [round(ms, 3) for ms in self.latencies_ms],
            "started": started,
            "finished": finished,
        }


def till_command(url: str, till_id: str, purchases: int, seed: int, *options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "tests.concurrency.tillproc",
        url,
        till_id,
        str(purchases),
        str(seed),
        "--wait-go",
        *options,
    ]


def launch_tills(
    url: str, tills: int, purchases_each: int, seed: int, *, timeout: float = 600
) -> list[dict[str, Any]]:
    """Start ``tills`` till processes together and return their summaries."""
    commands = [
        till_command(url, f"till-{n}", purchases_each, seed * 1000 + n) for n in range(1, tills + 1)
    ]
    return launch_processes(commands, timeout=timeout)


def launch_processes(
    commands: list[list[str]],
    *,
    timeout: float = 600,
    on_tick: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Start processes speaking the ready/go protocol together; return their JSON summaries."""
    processes = [
        subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            line = process.stdout.readline()
            if line.strip() != "ready":
                _, err = process.communicate(timeout=timeout)
                raise RuntimeError(f"till did not start: {line}{err}")
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        # Read every till's output while it runs: a summary longer than the pipe's buffer (the
        # latencies of thousands of sales) would otherwise block the till on its last write.
        outputs = [_Output(process) for process in processes]
        deadline = time.monotonic() + timeout
        while any(p.poll() is None for p in processes):
            if time.monotonic() > deadline:
                raise TimeoutError("the tills did not finish in time")
            time.sleep(1 if on_tick is not None else 0.05)
            if on_tick is not None:
                on_tick()
        return [output.summary(timeout) for output in outputs]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


class _Output:
    """A till's stdout and stderr, read to their end on a thread of their own."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        self._result: tuple[str, str] = ("", "")
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        self._result = self._process.communicate()

    def summary(self, timeout: float) -> dict[str, Any]:
        self._thread.join(timeout)
        out, err = self._result
        if self._process.returncode != 0:
            raise RuntimeError(f"till exited with {self._process.returncode}:\n{err}")
        summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
        return summary


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    url, till_id, count, seed = args[0], args[1], int(args[2]), int(args[3])
    if "--no-service-retry" in argv:
        context.BUSY_ATTEMPTS = 1
    till = Till(url, till_id, seed)
    if "--wait-go" in argv:
        print("ready", flush=True)
        sys.stdin.readline()
    started, cpu_started = time.time(), time.process_time()
    done = 0
    while count <= 0 or done < count:
        till.sell_once()
        done += 1
    finished = time.time()
    till.cpu_s = time.process_time() - cpu_started
    till.ctx.database.dispose()
    print(json.dumps(till.summary(started, finished)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
