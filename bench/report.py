"""Time the owner's sales report on a large history: rollups against reading every sale line.

    .venv/bin/python bench/report.py [--sales 1000000] [--days 365] [--sqlite] [--mysql]
                                     [--reuse PATH] [--mysql-database NAME] [--runs 7]
                                     [--naive-runs 1] [--bucket-breakdowns]

Seeds each backend with the demo data (bulk inserts, then a rebuild of the rollups) unless
``--reuse`` names a SQLite file that already holds sales (the MariaDB database ``till_bench``,
or the one ``--mysql-database`` names, is then kept and reused as well). For every bucket and
filter it reports the median time of the straightforward report (load every line of the range,
bucket in Python) and of ``analytics.sales_data``, and their ratio. Progress goes to stderr;
the last line of stdout is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argon2 import PasswordHasher
from sqlalchemy import create_engine, func, select, text

from pos_app import bootstrap
from pos_app.cli import ProgressBar
from pos_app.db.engine import COMMAND_READ_TIMEOUT_S, create_database
from pos_app.db.migrate import upgrade_to_head
from pos_app.db.models import DailyProductSales, Product, Sale, SaleItem
from pos_app.services import analytics, demo_data
from pos_app.services.access import UserSession
from pos_app.services.analytics import Bucket, SalesQuery
from pos_app.services.context import ServiceContext
from tests import dbutil

MYSQL_BENCH_DB = "till_bench"
FILTERS = ("none", "product", "category", "2 products", "2 categories")
NAIVE_FILTERS = ("none", "product", "category")


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextmanager
def sqlite_url(reuse: str | None) -> Iterator[str]:
    if reuse:
        yield f"sqlite:///{Path(reuse).resolve()}"
        return
    with tempfile.TemporaryDirectory(prefix="till-report-") as directory:
        yield f"sqlite:///{Path(directory) / 'report.sqlite3'}"


@contextmanager
def mysql_url(reuse: bool, name: str = MYSQL_BENCH_DB) -> Iterator[str]:
    if not dbutil.mysql_reachable():
        raise SystemExit("MariaDB is not reachable at 127.0.0.1:3306.")
    if reuse:
        server = create_engine(dbutil.mysql_url(""))
        with server.begin() as connection:
            connection.execute(text(f"CREATE DATABASE IF NOT EXISTS `{name}`"))
        server.dispose()
        yield dbutil.mysql_url(name)
        return
    with dbutil.temporary_mysql_database(migrate=False) as url:
        yield url


def context_for(url: str) -> ServiceContext:
    # Seeding a million sales and rebuilding their rollups is a command's work, not a till's.
    database = create_database(url, read_timeout_s=COMMAND_READ_TIMEOUT_S)
    upgrade_to_head(database.engine)
    return ServiceContext(
        database=database,
        timezone=ZoneInfo("Europe/Berlin"),
        till_id="bench",
        jwt_secret="bench-secret-" + "x" * 32,
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )


def seed(ctx: ServiceContext, sales: int, days: int) -> dict[str, float]:
    """Seed the demo shop; the seconds of the whole seeding and of the rollup rebuild in it."""
    timings: dict[str, float] = {}
    original = demo_data.rebuild_rollups

    def timed_refresh(*args: Any, **kwargs: Any) -> None:
        started = time.perf_counter()
        original(*args, **kwargs)
        timings["rebuild_s"] = time.perf_counter() - started

    bar = ProgressBar("Writing sales", unit="sales")
    demo_data.rebuild_rollups = timed_refresh  # type: ignore[assignment]
    started = time.perf_counter()
    try:
        demo_data.seed_demo(ctx, sales=sales, days=days, progress=bar)
    finally:
        demo_data.rebuild_rollups = original
    timings["seed_s"] = time.perf_counter() - started
    bar.finish()
    return timings


def naive_report(ctx: ServiceContext, query: SalesQuery) -> list[tuple[int, int, int]]:
    """The straightforward report: every line of the range into Python, bucketed there; a
    weighed line adds one unit to the bucket (its grams only to its product)."""
    bounds = analytics.bucket_bounds(query.start, query.end, query.bucket)
    position = {}
    for number, (first, last) in enumerate(bounds):
        day = first
        while day <= last:
            position[day] = number
            day += timedelta(days=1)
    conditions = [SaleItem.local_date >= query.start, SaleItem.local_date <= query.end]
    if query.product_ids:
        conditions.append(SaleItem.product_id.in_(query.product_ids))
    if query.category_ids:
        conditions.append(SaleItem.category_id.in_(query.category_ids))
    sales: list[set[int]] = [set() for _ in bounds]
    totals = [[0, 0] for _ in bounds]
    by_product: list[dict[int, list[int]]] = [defaultdict(lambda: [0, 0]) for _ in bounds]
    by_category: list[dict[int, list[int]]] = [defaultdict(lambda: [0, 0]) for _ in bounds]
    with ctx.unit_of_work(readonly=True) as session:
        rows = session.execute(
            select(
                SaleItem.local_date,
                SaleItem.sale_id,
                SaleItem.product_id,
                SaleItem.category_id,
                SaleItem.quantity,
                SaleItem.revenue_cents,
                Product.sold_by,
            )
            .join(Product, Product.id == SaleItem.product_id)
            .where(*conditions)
        )
        for day, sale_id, product_id, category_id, quantity, revenue, sold_by in rows:
            number = position[day]
            sales[number].add(sale_id)
            items = 1 if sold_by == "weight" else quantity
            for target, units in ((totals[number], items),
                                  (by_product[number][product_id], quantity),
                                  (by_category[number][category_id], items)):  # fmt: skip
                target[0] += units
                target[1] += revenue
    return [(len(s), units, revenue) for s, (units, revenue) in zip(sales, totals, strict=True)]


def timed_ms(call: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """The median and the first of ``runs`` calls' milliseconds, and what the last returned.

    The first call of a filter can be slower: the report keeps some counts of past days.
    """
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times[0], result


def median_ms(call: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median milliseconds of ``runs`` calls, and what the last call returned."""
    median, _, result = timed_ms(call, runs)
    return median, result


def filter_ids(ctx: ServiceContext) -> dict[str, tuple[tuple[int, ...], tuple[int, ...]]]:
    """(product ids, category ids) per filter: the best-selling products and their categories."""
    with ctx.unit_of_work(readonly=True) as session:
        products = session.execute(
            select(DailyProductSales.product_id, DailyProductSales.category_id)
            .group_by(DailyProductSales.product_id, DailyProductSales.category_id)
            .order_by(func.sum(DailyProductSales.units).desc())
        ).all()
    categories = list(dict.fromkeys(category for _, category in products))
    return {
        "none": ((), ()),
        "product": ((products[0][0],), ()),
        "category": ((), (categories[0],)),
        "2 products": ((products[0][0], products[1][0]), ()),
        "2 categories": ((), tuple(categories[:2])),
    }


def measure(ctx: ServiceContext, backend: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    # Like the app once its window is up (pos_app.ui.app.freeze_loaded_code): the loaded code is
    # kept out of the cyclic collector's full passes, which would otherwise add a pause of
    # 30-100 ms to whichever report happens to trigger one.
    gc.collect()
    gc.freeze()
    with bootstrap.system_session(ctx) as owner:
        return _measure(ctx, owner, backend, args.runs, args.naive_runs, args.bucket_breakdowns)


def _measure(
    ctx: ServiceContext,
    owner: UserSession,
    backend: str,
    runs: int,
    naive_runs: int,
    breakdowns: bool,
) -> list[dict[str, Any]]:
    with ctx.unit_of_work(readonly=True) as session:
        first, last = session.execute(
            select(func.min(Sale.local_date), func.max(Sale.local_date))
        ).one()
    ids = filter_ids(ctx)
    results = []
    for bucket in (Bucket.DAILY, Bucket.WEEKLY, Bucket.MONTHLY, Bucket.YEARLY, Bucket.NONE):
        for name in FILTERS:
            products, categories = ids[name]
            query = SalesQuery(
                first, last, bucket, products, categories, bucket_breakdowns=breakdowns
            )
            ours, first_call, report = timed_ms(
                lambda q=query: analytics.sales_data(ctx, owner, q), runs
            )
            naive = None
            if naive_runs and name in NAIVE_FILTERS:
                expected = [(b.sales, b.units, b.revenue_cents) for b in report.buckets]
                naive, got = median_ms(lambda q=query: naive_report(ctx, q), naive_runs)
                if got != expected:
                    raise SystemExit(f"{backend} {bucket} {name}: the two reports differ.")
            row = {"backend": backend, "bucket": bucket.value, "filter": name,
                   "ours_ms": round(ours, 1), "first_ms": round(first_call, 1),
                   "naive_ms": None if naive is None else round(naive, 1),
                   "ratio": None if naive is None else round(naive / ours, 1)}  # fmt: skip
            log(f"  {backend:8} {bucket.value:8} {name:13} ours {ours:8.1f} ms"
                f"  first {first_call:8.1f} ms"
                + ("" if naive is None else f"  naive {naive:9.1f} ms"))  # fmt: skip
            results.append(row)
    return results


def run_backend(backend: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    ctx = context_for(url)
    with ctx.unit_of_work(readonly=True) as session:
        existing = session.scalar(select(func.count()).select_from(Sale)) or 0
        lines = session.scalar(select(func.count()).select_from(SaleItem)) or 0
    timings: dict[str, float] = {}
    if not existing:
        log(f"Seeding {args.sales:,} sales on {backend} ...")
        timings = seed(ctx, args.sales, args.days)
        with ctx.unit_of_work(readonly=True) as session:
            existing = session.scalar(select(func.count()).select_from(Sale)) or 0
            lines = session.scalar(select(func.count()).select_from(SaleItem)) or 0
    log(f"{backend}: {existing:,} sales, {lines:,} lines; timing the report ...")
    rows = measure(ctx, backend, args)
    ctx.database.dispose()
    return {"backend": backend, "sales": existing, "sale_items": lines,
            **{key: round(value, 1) for key, value in timings.items()}, "rows": rows}  # fmt: skip


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'backend':8} {'bucket':8} {'filter':13} {'ours ms':>9} {'first ms':>9} "
          f"{'naive ms':>10} {'ratio':>8}")  # fmt: skip
    for result in results:
        for row in result["rows"]:
            naive = "" if row["naive_ms"] is None else f"{row['naive_ms']:.1f}"
            ratio = "" if row["ratio"] is None else f"{row['ratio']:.0f}x"
            print(f"{row['backend']:8} {row['bucket']:8} {row['filter']:13} {row['ours_ms']:9.1f} "
                  f"{row['first_ms']:9.1f} {naive:>10} {ratio:>8}")  # fmt: skip
    for result in results:
        seeded = ""
        if "seed_s" in result:
            seeded = f", seeded in {result['seed_s']:.0f} s (rollups {result['rebuild_s']:.1f} s)"
        counts = f"{result['sales']:,} sales, {result['sale_items']:,} lines"
        print(f"{result['backend']}: {counts}{seeded}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--mysql", action="store_true")
    parser.add_argument("--reuse", metavar="PATH", help="keep (and reuse) this SQLite file")
    parser.add_argument(
        "--mysql-database",
        default=MYSQL_BENCH_DB,
        metavar="NAME",
        help=f"the MariaDB database kept with --reuse (default {MYSQL_BENCH_DB})",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--naive-runs", type=int, default=1)
    parser.add_argument(
        "--bucket-breakdowns",
        action="store_true",
        help="ask for each bucket's breakdowns by category and product as well",
    )
    args = parser.parse_args()
    backends = [name for name in ("sqlite", "mysql") if getattr(args, name)] or ["sqlite", "mysql"]
    results = []
    for backend in backends:
        if backend == "sqlite":
            opener = sqlite_url(args.reuse)
        else:
            opener = mysql_url(bool(args.reuse), args.mysql_database)
        with opener as url:
            results.append(run_backend("mariadb" if backend == "mysql" else "sqlite", url, args))
    print_table(results)
    print(json.dumps({"benchmark": "report", "days": args.days, "results": results}))


if __name__ == "__main__":
    main()
