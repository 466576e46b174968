"""``pos-app print-test``: print a test receipt (and kick the drawer) to check the set-up."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from pos_app.cli.common import Commands, fail

if TYPE_CHECKING:
    from pos_app.config import Settings

TIMEOUT_S = 3.0


def register(commands: Commands) -> None:
    test = commands.add_parser(
        "print-test", help="print a test receipt on the ESC/POS printer (and open the drawer)"
    )
    test.add_argument(
        "--printer",
        metavar="URL",
        help="the printer to test instead of POS_RECEIPT_PRINTER, e.g. tcp://192.168.1.50:9100",
    )
    test.add_argument("--drawer", action="store_true", help="also kick the cash drawer open")
    test.set_defaults(handler=print_test_command)


def print_test_command(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here so that 'pos-app --help' stays free of the database library.
    from pos_app.hardware.escpos_output import PrinterFault, PrintJob, send_job
    from pos_app.hardware.setup import printer_target, slip_layout
    from pos_app.services.receipt_text import printer_test_slip

    try:
        target = printer_target(settings, args.printer)
    except ValueError as exc:
        return fail(f"--printer: {exc}" if args.printer else f"POS_RECEIPT_PRINTER: {exc}")
    if not target.is_escpos:
        return fail(
            f"The receipt printer is set to '{target.kind}'; print-test needs an ESC/POS "
            "printer (set POS_RECEIPT_PRINTER or pass --printer tcp://HOST:9100)"
        )
    layout = slip_layout(settings)
    slip = printer_test_slip(layout, target.describe(), datetime.now(settings.timezone))
    try:
        send_job(target, PrintJob(1, "printer test", slip, kick=args.drawer), TIMEOUT_S)
    except PrinterFault as fault:
        return fail(fault.message)
    drawer = " and the drawer was kicked" if args.drawer else ""
    print(f"Test receipt sent to {target.describe()} ({layout.columns} columns){drawer}.")
    return 0
