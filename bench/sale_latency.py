"""How long one 5-line sale takes to commit through the service layer, one till, per backend.

    python bench/sale_latency.py [--sales 500] [--no-mysql]

Each backend gets a freshly seeded shop (the one ``bench/tills.py`` sells from); one till logs
in, opens its shift and sells ``--sales`` carts of 5 different shelf products (always in stock)
through ``checkout.purchase``, timing each call from the till's side: the session check, the
read, the stock, the sale's rows and the commit. The first sales warm the connection pool and
the statement cache and are not counted. Prints p50/p95/p99 per backend; the last line printed
is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from tills import fresh_shop, latency_percentiles  # noqa: E402

from pos_app.services import checkout  # noqa: E402
from tests import dbutil  # noqa: E402
from tests.concurrency.tillproc import Till  # noqa: E402

LINES = 5
WARM_UP = 20


def sale_latencies(url: str, sales: int) -> list[float]:
    """Milliseconds each 5-line sale took to commit, warm-up left out."""
    till = Till(url, "till-latency", seed=7)
    rng = random.Random(7)
    latencies: list[float] = []
    try:
        for number in range(WARM_UP + sales):
            cart = [
                checkout.PurchaseLine(product_id=product_id, quantity=rng.randint(1, 3))
                for product_id in rng.sample(till.shelf, LINES)
            ]
            began = time.perf_counter()
            result = checkout.purchase(till.ctx, till.cashier, cart)
            took = (time.perf_counter() - began) * 1000
            if not result.committed or len(result.sold) != LINES:
                raise RuntimeError(f"a {LINES}-line sale did not commit: {result.failed}")
            if number >= WARM_UP:
                latencies.append(took)
    finally:
        till.ctx.database.dispose()
    return latencies


def run(backend: str, sales: int, workdir: Path) -> dict[str, Any]:
    with fresh_shop(backend, workdir) as url:
        latencies = sale_latencies(url, sales)
    figures = {"backend": backend, "sales": sales, "lines": LINES}
    figures |= latency_percentiles(latencies)
    print(
        f"{backend:>6}: one {LINES}-line sale p50/p95/p99 "
        f"{figures['p50_ms']}/{figures['p95_ms']}/{figures['p99_ms']} ms over {sales} sales",
        flush=True,
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=500)
    parser.add_argument("--no-mysql", action="store_true", help="SQLite only")
    args = parser.parse_args()
    if args.sales < 1:
        parser.error("--sales must be at least 1")
    backends = ["sqlite"]
    if not args.no_mysql:
        if not dbutil.mysql_reachable():
            print("MariaDB is not reachable at 127.0.0.1:3306 (POS_TEST_MYSQL_* to change).")
            return 1
        backends.append("mysql")
    with tempfile.TemporaryDirectory(prefix="till-latency-") as workdir:
        runs = [run(backend, args.sales, Path(workdir)) for backend in backends]
    print(json.dumps({"lines": LINES, "sales": args.sales, "runs": runs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
