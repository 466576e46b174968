"""Sales per second with one till and with several tills sharing one database, ours against raw SQL.

    python bench/tills.py [--purchases 10000] [--tills 8] [--sqlite]

Every run starts from a freshly seeded shop (50 products, 5 of them hot with little stock) and ends
with the consistency check: the oversold count must be 0 and the rollups must match the sale lines.
The raw rate issues the same statements as ``checkout.purchase`` (see ``STATEMENTS``) straight
through the driver. Each run also gives the latency of one sale (p50/p95/p99, as the till sees it)
and the till processes' own CPU time per purchase, the figure least moved by a busy machine.
``--sqlite`` adds the same runs on a SQLite file. The last line printed is one JSON object with
every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from pos_app.db.engine import create_engine_for  # noqa: E402
from tests import dbutil  # noqa: E402
from tests.concurrency.tillproc import (  # noqa: E402
    ShopPlan,
    check_database,
    count_sales,
    launch_processes,
    seed_shop,
    till_command,
)

PLAN = ShopPlan(hot_stock=(1000, 3000), plenty=10_000_000, seed=5)
STATEMENTS = """\
Per sale, both sides issue the same statements, in this order:
  1 SELECT      cashier still active, sale already stored under the uuid, the till's open shift
                (LOCK IN SHARE MODE), the cart's products with their category's tax rate (ours
                also reads the session's token row, as one text)
  n UPDATE      inventories, one conditional update per line in product order ("quantity - n >= 0");
                a refused line adds a SELECT of the stock left (for the cashier's message)
  1 INSERT      sales, with its shift and total
  1 INSERT      sale_items, all lines in one statement, with each line's tax
  1 INSERT      stock_movements, one 'sale' movement per line, one statement
  1 INSERT      payments (exact cash)
  5 INSERT ... ON DUPLICATE KEY UPDATE   hourly_sales, daily_product_sales, daily_category_sales,
                daily_category_sets, period_product_sales (its week, month and year)
  COMMIT        (a refused all-or-nothing sale rolls back instead)
On MariaDB the UPDATEs, INSERTs and the COMMIT go as one compound statement (BEGIN NOT ATOMIC),
the writes only if every update took its stock. Ours, for a cart whose products this till has
read before in the session, sends no SELECT first: the compound statement starts by checking,
under the same shared locks, that the SELECT would give exactly what it gave last time, so such a
sale is one round trip (raw always reads first: two).
ours: checkout.purchase through SQLAlchemy (plus the service's validation; the pool pings a
      connection only after it sat idle for a second); raw: the same statements straight
      through PyMySQL (or sqlite3)."""


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
        # The till processes' own CPU per purchase: the Python side, hardly moved by the load.
        "till_cpu_ms": round(1000 * sum(s["cpu_s"] for s in summaries) / purchases, 3),
        **latency_percentiles([ms for s in summaries for ms in s.get("latencies_ms", [])]),
    }
    print(
        f"{label}: {figures['sales_per_s']} sales/s, oversold {figures['oversold']}, "
        f"one sale p50/p95/p99 {figures['p50_ms']}/{figures['p95_ms']}/{figures['p99_ms']} ms, "
        f"till CPU {figures['till_cpu_ms']} ms a purchase",
        flush=True,
    )
    return figures


def latency_percentiles(latencies_ms: list[float]) -> dict[str, float | None]:
    """p50/p95/p99 of one sale as the caller sees it (retries included); None when not measured."""
    ordered = sorted(latencies_ms)
    if not ordered:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    return {
        f"p{pct}_ms": round(ordered[min(len(ordered) - 1, len(ordered) * pct // 100)], 2)
        for pct in (50, 95, 99)
    }


def print_table(rows: list[dict[str, Any]], ratio_of: Callable[[dict[str, Any]], float]) -> None:
    print(
        f"{'backend':<8}{'tills':>6}{'ours/s':>10}{'raw/s':>10}{'ours/raw':>10}"
        f"{'sales':>8}{'refused':>9}{'oversold':>10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'cpu ours':>10}{'cpu raw':>9}"
    )
    for row in rows:
        print(
            f"{row['backend']:<8}{row['tills']:>6}{row['ours']:>10.1f}{row['raw']:>10.1f}"
            f"{ratio_of(row):>10.2f}{row['sales']:>8}{row['refused']:>9}{row['oversold']:>10}"
            f"{row['p50_ms']:>8}{row['p95_ms']:>8}{row['p99_ms']:>8}"
            f"{row['cpu_ours_ms']:>10}{row['cpu_raw_ms']:>9}"
        )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--raw-worker":
        from raw_till import raw_worker

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
                    "p50_ms": ours["p50_ms"],
                    "p95_ms": ours["p95_ms"],
                    "p99_ms": ours["p99_ms"],
                    "cpu_ours_ms": ours["till_cpu_ms"],
                    "cpu_raw_ms": raw["till_cpu_ms"],
                }
            )
    print()
    print(STATEMENTS)
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
