"""Moving data in and out: ``import-legacy``, ``products export|import`` and ``sales export``.

Imports run in one transaction: Ctrl+C (or a bad row) leaves the database as it was.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pos_app.cli.common import PROG, Commands, csv_path, day, fail, service_context
from pos_app.cli.progress import CtrlC, ProgressBar

if TYPE_CHECKING:
    from pos_app.config import Settings

LEGACY_CANCELLED = "Import cancelled; nothing was imported."


def register(commands: Commands) -> None:
    legacy = commands.add_parser(
        "import-legacy", help="import users, catalogue, stock and sales from the old web shop"
    )
    legacy.add_argument(
        "source",
        metavar="SOURCE",
        help="the old database: a SQLite file, or a URL such as mysql://user:password@host/shop",
    )
    legacy.set_defaults(handler=import_legacy_command)

    products = commands.add_parser("products", help="the product list as CSV")
    actions = products.add_subparsers(title="products commands", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write category,sku,barcode,name,price,stock,tax_rate,sold_by,scale_code for every "
        "product",
    )
    export.add_argument("file", type=csv_path, metavar="FILE.csv")
    export.set_defaults(handler=products_export_command)
    load = actions.add_parser(
        "import", help="create or update products from a CSV file: every row or none"
    )
    load.add_argument("file", type=csv_path, metavar="FILE.csv")
    load.set_defaults(handler=products_import_command)

    sales = commands.add_parser("sales", help="sale lines as CSV")
    sale_actions = sales.add_subparsers(title="sales commands", metavar="ACTION", required=True)
    lines = sale_actions.add_parser("export", help="write every sale line of a date range")
    lines.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    lines.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    lines.add_argument("file", type=csv_path, metavar="FILE.csv")
    lines.set_defaults(handler=sales_export_command)


def import_legacy_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app import bootstrap
    from pos_app.services import legacy_import

    bar = ProgressBar("Importing", unit="rows")
    with service_context(settings) as ctx, bootstrap.system_session(ctx) as owner:
        try:
            with CtrlC(LEGACY_CANCELLED) as ctrl_c:
                summary = legacy_import.import_legacy(
                    ctx, owner, args.source, progress=ctrl_c.watch(bar)
                )
        finally:
            bar.finish()
    for line in summary.lines():
        print(line)
    return 0


def products_export_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app import bootstrap
    from pos_app.services import product_csv

    with service_context(settings) as ctx, bootstrap.system_session(ctx) as owner:
        written = product_csv.export_products(ctx, owner, args.file)
    print(f"Exported {written:,} products to {args.file}.")
    return 0


def products_import_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app import bootstrap
    from pos_app.services import product_csv
    from pos_app.services.errors import PosError

    bar = ProgressBar("Importing", unit="products")
    with service_context(settings) as ctx, bootstrap.system_session(ctx) as owner:
        try:
            with CtrlC(product_csv.IMPORT_CANCELLED) as ctrl_c:
                try:
                    result = product_csv.import_products(
                        ctx, owner, args.file, progress=ctrl_c.watch(bar), cancel=ctrl_c
                    )
                except PosError:
                    ctrl_c.check()
                    raise
                if not result.ok:
                    ctrl_c.check()
        finally:
            bar.finish()
    if not result.ok:
        for error in result.errors:
            print(
                f"{PROG}: line {error.line_number}, {error.field}: {error.message}", file=sys.stderr
            )
        problems = f"{len(result.errors)} problem{'s' if len(result.errors) != 1 else ''}"
        return fail(f"Nothing was imported; fix the {problems} above and import {args.file} again")
    print(
        f"Imported {args.file}: {result.created:,} products created, {result.updated:,} updated, "
        f"{result.categories_created:,} new categories."
    )
    return 0


def sales_export_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app import bootstrap
    from pos_app.services import sale_line_csv
    from pos_app.services.errors import PosError

    bar = ProgressBar("Exporting", unit="lines")
    with service_context(settings) as ctx, bootstrap.system_session(ctx) as owner:
        try:
            with CtrlC(sale_line_csv.EXPORT_CANCELLED) as ctrl_c:
                try:
                    written = sale_line_csv.export_sale_lines(
                        ctx, owner, args.start, args.end, args.file,
                        progress=ctrl_c.watch(bar), cancel=ctrl_c,
                    )  # fmt: skip
                except PosError:
                    ctrl_c.check()
                    raise
        finally:
            bar.finish()
    print(f"Exported {written:,} sale lines from {args.start} to {args.end} to {args.file}.")
    return 0
