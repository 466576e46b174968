"""Render the customer display and a sheet of shelf labels from a small demo shop into docs/.

Usage: .venv/bin/python scripts/hardware_shots.py [--out docs]

The label sheet is written as a PDF by the same code the Catalog uses; its first page is turned
into a PNG with Ghostscript (``gs``) when it is installed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos_app import bootstrap
from pos_app.config import load_settings
from pos_app.services import auth, catalog, demo_data, shifts
from pos_app.services.label_layout import shelf_labels
from pos_app.services.paging import PageRequest
from pos_app.ui.app import create_application
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.hardware.labels import render_label_sheet
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from scripts.screenshots import save, settle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="till-hw-shots-") as tmp:
        return shoot(Path(tmp), args.out)


def shoot(data_dir: Path, out: Path) -> int:
    env = {
        "POS_DATA_DIR": str(data_dir),
        "POS_DOTENV": str(data_dir / "none.env"),
        "POS_TIMEZONE": "Europe/Berlin",
        "POS_SHOP_NAME": "Corner Shop",
        "POS_RECEIPT_PRINTER": "pdf",
    }
    settings = load_settings(env)
    ctx = bootstrap.open_context(settings)
    demo_data.seed_demo(ctx, sales=0, days=1)
    app = create_application()
    result = auth.login(ctx, "owner@till.example", "owner-pass-1")
    session = UiSession(ctx, settings, result.user, result.token)
    shifts.open_shift(ctx, session.user, 10_000)
    window = MainWindow(session, settings)
    window.resize(1024, 768)
    window.show()
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    listed = catalog.list_products(
        ctx, session.user, page=PageRequest(limit=60), include_inactive=False
    ).items
    products = [product for product in listed if product.quantity >= 5 and product.barcode]
    window.till.customer_display_action.trigger()
    display = window.till.customer_display
    assert display is not None
    display.resize(800, 480)
    for product, quantity in zip(products[::7], (2, 1, 3, 1), strict=False):
        checkout.scan(f"{quantity}*{product.sku}")
        settle(app, lambda: not checkout.busy)
    settle(app)
    save(display, out, "customer_display")
    checkout.pay_button.click()
    pay = checkout.pay_dialog
    assert pay is not None
    pay.set_tendered(2000)
    pay.confirm_button.click()
    settle(app, lambda: checkout.receipt_dialog is not None)
    save(display, out, "customer_display_paid")
    if checkout.receipt_dialog is not None:
        checkout.receipt_dialog.accept()

    labels = shelf_labels([(product, 2) for product in products[:12]], settings.currency)
    pdf = data_dir / "labels.pdf"
    render_label_sheet(labels, pdf)
    png = out / "labels.png"
    gs = shutil.which("gs")
    if gs is None:
        print("gs is not installed: the label sheet stays a PDF", file=sys.stderr)
    else:
        subprocess.run(
            [
                gs,
                "-q",
                "-dSAFER",
                "-dBATCH",
                "-dNOPAUSE",
                "-sDEVICE=png16m",
                "-r80",
                "-dFirstPage=1",
                "-dLastPage=1",
                f"-sOutputFile={png}",
                str(pdf),
            ],
            check=True,
        )
        print(f"wrote {png}")
    window.till.customer_display_action.trigger()
    window.idle_watcher.stop()
    window.close()
    ctx.database.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
