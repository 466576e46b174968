"""GUI benchmark over 100,000 products in a temporary SQLite database (and MariaDB).

Measures: scan-to-cart-line time (find_product + cart model insert; and the same through the
checkout screen's background path), opening the catalog screen and filter-as-you-type (on SQLite
and, when it is reachable, on a temporary MariaDB database), cold start to a shown login window
(a fresh interpreter running what ``pos-app`` runs), and the resident memory of a process showing
the main window with every screen.

Usage: .venv/bin/python bench/gui.py [--products 100000] [--scans 500] [--no-mysql]
The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.gui_catalog import catalog_figures, product_names  # noqa: E402
from pos_app import bootstrap  # noqa: E402
from pos_app.config import Settings, load_settings  # noqa: E402
from pos_app.db.models import Inventory, Product  # noqa: E402
from pos_app.db.search_terms import add_search_terms  # noqa: E402
from pos_app.db.types import utcnow  # noqa: E402
from pos_app.services import auth, catalog, product_lookup, shifts  # noqa: E402
from pos_app.services.access import UserSession  # noqa: E402
from pos_app.services.barcodes import ean13_check_digit  # noqa: E402
from pos_app.services.context import ServiceContext  # noqa: E402

EMAIL, PASSWORD = "owner@bench.example", "owner-pass-1"
CHUNK = 5_000

# Runs in a fresh interpreter: ``pos-app run`` (settings, display check, connect, schema check,
# demo-data check, log file, application, login window); the event loop returns at once.
COLD_START = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.update({env!r})
from PySide6.QtWidgets import QApplication
def shown(app):
    app.processEvents()
    if not any(w.isVisible() and w.objectName() == "loginDialog" for w in app.topLevelWidgets()):
        raise SystemExit("no login window")
    return 0
QApplication.exec = shown
from pos_app.cli.app import main
raise SystemExit(main(["run"]))
"""

# Runs in a fresh interpreter: the main window of an owner, every screen refreshed once.
MAIN_WINDOW = """
import resource, sys, time
sys.path.insert(0, {root!r})
from pos_app.config import load_settings
from pos_app import bootstrap
from pos_app.services import auth
from pos_app.ui.app import create_application
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
settings = load_settings({env!r})
ctx = bootstrap.open_context(settings, migrate=False)
app = create_application()
result = auth.login(ctx, {email!r}, {password!r})
window = MainWindow(UiSession(ctx, settings, result.session), settings)
window.resize(1280, 800)
window.show()
for key in list(window.screens):
    window.show_screen(key)
    deadline = time.monotonic() + 30
    while (pending_tasks() or time.monotonic() < deadline - 29.7) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def make_shop(
    data_dir: Path, products: int, database_url: str | None = None
) -> tuple[dict[str, str], Settings, ServiceContext]:
    env = {
        "POS_DATA_DIR": str(data_dir),
        "POS_DOTENV": str(data_dir / "none.env"),
        "POS_TIMEZONE": "Europe/Berlin",
        "POS_TILL_ID": "bench",
        "POS_IDLE_LOCK_MINUTES": "0",
    }
    if database_url:
        env["POS_DATABASE_URL"] = database_url
    settings = load_settings(env)
    ctx = bootstrap.open_context(settings)
    auth.register_user(
        ctx, None, email=EMAIL, password=PASSWORD, first_name="Bench", last_name="Owner"
    )
    owner = auth.login(ctx, EMAIL, PASSWORD).session
    category = catalog.create_category(ctx, owner, name="Everything")
    bulk_products(ctx, category.id, products)
    shifts.open_shift(ctx, owner, 0)  # the till sells only inside an open shift
    return env, settings, ctx


def bulk_products(ctx: ServiceContext, category_id: int, count: int) -> None:
    now = utcnow()
    names = product_names(count)
    with ctx.unit_of_work() as session:
        for start in range(0, count, CHUNK):
            rows = [
                {
                    "id": n + 1,
                    "name": next(names),
                    "description": "",
                    "category_id": category_id,
                    "sku": f"SKU-{n:06d}",
                    "barcode": code_for(n),
                    "price_cents": 50 + n % 5000,
                    "is_active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(start, min(count, start + CHUNK))
            ]
            session.execute(insert(Product), rows)
            add_search_terms(session, [(r["id"], r["name"], r["sku"], r["barcode"]) for r in rows])
            session.execute(
                insert(Inventory),
                [{"product_id": row["id"], "quantity": 1000, "updated_at": now} for row in rows],
            )
        session.commit()


def code_for(n: int) -> str:
    first12 = f"20{n:010d}"
    return first12 + ean13_check_digit(first12)


def timed(op: Callable[[], object]) -> float:
    start = time.perf_counter()
    op()
    return (time.perf_counter() - start) * 1000


def scan_direct(ctx: ServiceContext, user: UserSession, codes: list[str]) -> list[float]:
    from pos_app.ui.checkout.cart_model import CartModel

    model = CartModel(lambda cents: f"{cents / 100:.2f}")
    return [
        timed(lambda c=code: model.add_product(product_lookup.find_product(ctx, user, c)))
        for code in codes
    ]


def scan_through_screen(ctx: ServiceContext, settings: Settings, codes: list[str]) -> list[float]:
    """Enter in the scan field until the line is in the cart, background thread included."""
    from PySide6.QtWidgets import QApplication

    from pos_app.ui.app import create_application
    from pos_app.ui.checkout import CheckoutScreen
    from pos_app.ui.session import UiSession

    app = create_application()
    result = auth.login(ctx, EMAIL, PASSWORD)
    screen = CheckoutScreen(UiSession(ctx, settings, result.session))
    screen.show()
    samples = []
    for code in codes:
        rows = screen.cart_model.rowCount()
        start = time.perf_counter()
        screen.scan(code)
        while screen.busy:
            QApplication.processEvents()
        samples.append((time.perf_counter() - start) * 1000)
        if screen.cart_model.rowCount() != rows + 1:
            raise SystemExit(f"scanning {code} did not add a line")
    # The cart left behind would be offered back when the main window starts: take it away.
    screen.cart_keeper.flush()
    screen.cart_keeper.path.unlink(missing_ok=True)
    screen.close()
    app.processEvents()
    return samples


def run_child(script: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"child process failed:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout.strip()


def mysql_catalog_figures(products: int) -> dict[str, float]:
    """The catalog figures on a temporary MariaDB database; none when it is not reachable."""
    from tests.dbutil import mysql_reachable, temporary_mysql_database

    if not mysql_reachable():
        print("MariaDB is not reachable: no MariaDB figures")
        return {}
    with (
        tempfile.TemporaryDirectory(prefix="till-bench-mysql-") as tmp,
        temporary_mysql_database(migrate=False) as url,
    ):
        started = time.perf_counter()
        _, settings, ctx = make_shop(Path(tmp), products, url)
        print(f"[mariadb] seeded {products:,} products in {time.perf_counter() - started:.1f} s")
        try:
            result = auth.login(ctx, EMAIL, PASSWORD)
            return catalog_figures(ctx, settings, result.session, "mariadb")
        finally:
            ctx.database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=500)
    parser.add_argument("--no-mysql", action="store_true", help="SQLite figures only")
    args = parser.parse_args()
    figures: dict[str, float] = {"products": args.products}
    with tempfile.TemporaryDirectory(prefix="till-bench-") as tmp:
        started = time.perf_counter()
        env, settings, ctx = make_shop(Path(tmp), args.products)
        print(f"seeded {args.products:,} products in {time.perf_counter() - started:.1f} s")
        result = auth.login(ctx, EMAIL, PASSWORD)
        picks = random.Random(7).sample(range(args.products), min(args.scans, args.products))
        kinds = {
            "barcode": [code_for(n) for n in picks],
            "sku": [f"SKU-{n:06d}" for n in picks],
            "sku_lower": [f"sku-{n:06d}" for n in picks[: max(1, len(picks) // 5)]],
        }
        direct = {kind: scan_direct(ctx, result.session, codes) for kind, codes in kinds.items()}
        screen = scan_through_screen(ctx, settings, kinds["barcode"][: max(1, len(picks) // 2)])
        figures |= catalog_figures(ctx, settings, result.session, "sqlite")
        ctx.database.dispose()
        cold = sorted(run_child(COLD_START.format(root=str(ROOT), env=env))[0] for _ in range(5))
        main_script = MAIN_WINDOW.format(root=str(ROOT), env=env, email=EMAIL, password=PASSWORD)
        _, maxrss_kb = run_child(main_script)
    if not args.no_mysql:
        figures |= mysql_catalog_figures(args.products)
    for kind, samples in direct.items():
        figures[f"scan_{kind}_p50_ms"] = round(statistics.median(samples), 2)
        figures[f"scan_{kind}_p95_ms"] = round(percentile(samples, 0.95), 2)
        print(
            f"scan to cart line by {kind:9} (find_product + insert): "
            f"p50 {figures[f'scan_{kind}_p50_ms']} ms, p95 {figures[f'scan_{kind}_p95_ms']} ms "
            f"({len(samples)} scans)"
        )
    figures["scan_screen_p50_ms"] = round(statistics.median(screen), 2)
    figures["scan_screen_p95_ms"] = round(percentile(screen, 0.95), 2)
    figures["cold_start_login_s"] = round(statistics.median(cold), 3)
    figures["main_window_maxrss_mb"] = round(int(maxrss_kb.splitlines()[-1]) / 1024, 1)
    print(
        f"scan to cart line through the checkout screen (barcodes, background thread): "
        f"p50 {figures['scan_screen_p50_ms']} ms, p95 {figures['scan_screen_p95_ms']} ms "
        f"({len(screen)} scans)"
    )
    print(
        f"cold start to login window (pos-app run, fresh interpreter): "
        f"{figures['cold_start_login_s']} s (median of 5; all: "
        + ", ".join(f"{c:.3f}" for c in cold)
        + ")"
    )
    print(f"main window resident memory (max RSS): {figures['main_window_maxrss_mb']} MB")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
