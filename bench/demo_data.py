"""Time the demo-data generator: N sales with their lines on a fresh SQLite or MariaDB database.

    .venv/bin/python bench/demo_data.py [--sales 100000] [--days 365] [--mysql]

Prints the figures, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argon2 import PasswordHasher

from pos_app.cli import ProgressBar
from pos_app.db.engine import create_database
from pos_app.db.migrate import upgrade_to_head
from pos_app.services import demo_data
from pos_app.services.context import ServiceContext
from tests import dbutil


@contextmanager
def database_url(mysql: bool) -> Iterator[str]:
    if mysql:
        if not dbutil.mysql_reachable():
            raise SystemExit("MariaDB is not reachable at 127.0.0.1:3306.")
        with dbutil.temporary_mysql_database(migrate=False) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="till-bench-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--mysql", action="store_true", help="use a temporary MariaDB database")
    args = parser.parse_args()
    with database_url(args.mysql) as url:
        database = create_database(url)
        upgrade_to_head(database.engine)
        ctx = ServiceContext(
            database=database,
            timezone=ZoneInfo("Europe/Berlin"),
            till_id="bench",
            jwt_secret="bench-secret-" + "x" * 32,
            password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
        )
        bar = ProgressBar("Writing sales", unit="sales")
        started = time.perf_counter()
        summary = demo_data.seed_demo(ctx, sales=args.sales, days=args.days, progress=bar)
        seconds = time.perf_counter() - started
        bar.finish()
        database.dispose()
    rows = summary.sales + summary.sale_items
    backend = "mariadb" if args.mysql else "sqlite"
    print(f"backend          {backend}")
    print(f"sales            {summary.sales:,}")
    print(f"sale lines       {summary.sale_items:,}")
    print(f"seconds          {seconds:.2f}")
    print(f"rows per second  {rows / seconds:,.0f}")
    result = {
        "benchmark": "demo_data",
        "backend": backend,
        "sales": summary.sales,
        "sale_items": summary.sale_items,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "sales_per_second": round(summary.sales / seconds),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
