"""Render the till's windows offscreen over demo data and save them as docs/*.png.

Usage: .venv/bin/python scripts/screenshots.py [--out docs] [--days 90] [--sales 6000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from pos_app import bootstrap
from pos_app.config import load_settings
from pos_app.services import auth, catalog, demo_data
from pos_app.services.paging import PageRequest
from pos_app.ui.app import create_application
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.receipts import ReceiptsScreen
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from scripts.shop_day_shots import shoot_shop_day

WINDOW_SIZE = (1280, 800)


def settle(
    app: QApplication, until: Callable[[], bool] = lambda: True, timeout: float = 15
) -> None:
    """Let background work finish and the widgets repaint."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if until() and pending_tasks() == 0:
            break
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def save(widget: QWidget, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--sales", type=int, default=6000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="till-shots-") as tmp:
        return shoot(Path(tmp), args.out, args.days, args.sales)


def shoot(data_dir: Path, out: Path, days: int, sales: int) -> int:
    env = {
        "POS_DATA_DIR": str(data_dir),
        "POS_DOTENV": str(data_dir / "none.env"),
        "POS_TIMEZONE": "Europe/Berlin",
        "POS_TILL_ID": "till-1",
        "POS_SHOP_NAME": "Corner Shop",
        "POS_SHOP_ADDRESS": "1 Market Street, Springfield",
    }
    settings = load_settings(env)
    ctx = bootstrap.open_context(settings)
    print(f"seeding {sales} demo sales over {days} days…")
    demo_data.seed_demo(ctx, sales=sales, days=days)
    app = create_application()

    login = LoginDialog(ctx, settings, email="cashier@till.example")
    login.show()
    settle(app)
    save(login, out, "login")

    result = auth.login(ctx, "owner@till.example", "owner-pass-1")
    session = UiSession(ctx, settings, result.session)
    window = MainWindow(session, settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    listed = catalog.list_products(
        ctx, session.user, page=PageRequest(limit=60), include_inactive=False
    ).items
    products = [product for product in listed if product.quantity >= 5]
    for product, quantity in zip(products[::9], (2, 1, 3, 1), strict=False):
        checkout.scan(f"{quantity}*{product.sku}")
        settle(app, lambda: not checkout.busy)
    settle(app)
    save(window, out, "checkout")

    for key in ("catalog", "inventory", "analytics", "users"):
        window.show_screen(key)
        settle(app)
        save(window, out, key)

    window.show_screen("analytics")
    tabs = window.findChild(QTabWidget, "reportTabs")
    assert tabs is not None
    tabs.setCurrentIndex(tabs.count() - 1)  # sales by weekday
    settle(app, lambda: not getattr(tabs.currentWidget(), "loading", False))
    settle(app)
    save(window, out, "insights")
    tabs.setCurrentIndex(0)

    window.show_screen("checkout")
    settle(app)
    checkout.pay_button.click()
    pay = checkout.pay_dialog
    assert pay is not None
    pay.split_button.click()
    pay.set_card_amount(500)
    pay.set_tendered(1000)
    settle(app)
    save(pay, out, "pay")
    pay.confirm_button.click()
    settle(app, lambda: checkout.receipt_dialog is not None)
    receipt = checkout.receipt_dialog
    if receipt is None:
        raise SystemExit(
            f"the sale failed: {pay.error_label.text() or checkout.message_label.text()}"
        )
    settle(app)
    save(receipt, out, "receipt")
    receipt.accept()

    window.show_screen("receipts")
    receipts_screen = window.screens["receipts"]
    assert isinstance(receipts_screen, ReceiptsScreen)
    settle(app, lambda: receipts_screen.receipt is not None)
    save(window, out, "receipts")
    shoot_shop_day(app, window, ctx, out, settle, save)
    window.show_screen("checkout")

    window.lock()
    settle(app)
    assert window.lock_dialog is not None
    save(window.lock_dialog, out, "lock")
    window.idle_watcher.stop()
    window.close()
    ctx.database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
