"""The ``pos-app`` command: start the till, manage the database, seed demo data, print reports.

Commands that need an account act as the first active owner of the database (the person at
this machine's keyboard is trusted, as with any local administration tool), except
``create-user``, which needs the credentials of a manager or owner once the first account exists.
"""

from __future__ import annotations

import argparse
import csv
import ctypes
import getpass
import os
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import NoReturn, TextIO

from sqlalchemy.exc import SQLAlchemyError

from pos_app import bootstrap
from pos_app.config import ConfigError, Settings, ensure_data_dir, load_settings
from pos_app.services import auth, demo_data
from pos_app.services.errors import PosError
from pos_app.services.money import format_plain

PROG = "pos-app"
LOG_FILE = "pos-app.log"
BUCKETS = ("daily", "weekly", "monthly", "yearly", "none")
# Libraries Qt's xcb platform plugin loads, and the Debian packages that ship them.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
}

Handler = Callable[[argparse.Namespace, Settings], int]


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help').\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    handler: Handler = getattr(args, "handler", run_command)
    settings: Settings | None = None
    try:
        settings = load_settings()
        return handler(args, settings)
    except demo_data.HasSalesError:
        return fail(f"The database already has sales; run '{PROG} demo-data --add' to add more")
    except (ConfigError, PosError) as exc:
        return fail(str(exc))
    except SQLAlchemyError as exc:
        return fail(f"The database reported an error: {_first_line(exc)}.")
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        where = _log_unexpected(settings, exc)
        return fail(f"Unexpected error ({type(exc).__name__}: {exc}); details in {where}.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Till: a point-of-sale and store-management app.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    run = commands.add_parser("run", help="start the till (default): migrate, seed, open the GUI")
    run.set_defaults(handler=run_command)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    db_commands.add_parser(
        "upgrade", help="upgrade the schema to the newest revision"
    ).set_defaults(handler=db_upgrade)
    db_commands.add_parser("current", help="show the schema revision").set_defaults(
        handler=db_current
    )

    demo = commands.add_parser("demo-data", help="fill the database with a demo shop")
    demo.add_argument("--sales", type=_count, default=demo_data.DEFAULT_SALES, metavar="N")
    demo.add_argument("--days", type=_count, default=demo_data.DEFAULT_DAYS, metavar="D")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--add", action="store_true", help="add sales to a database that already has some"
    )
    demo.set_defaults(handler=demo_command)

    user = commands.add_parser("create-user", help="create an account")
    user.add_argument("--email", required=True)
    user.add_argument("--first-name", required=True)
    user.add_argument("--last-name", required=True)
    user.add_argument("--role", choices=("cashier", "manager", "owner"), default="cashier")
    user.add_argument("--password", help="the new account's password (prompted when omitted)")
    user.add_argument("--as-email", help="e-mail of the manager or owner creating the account")
    user.add_argument("--as-password", help="that manager's or owner's password")
    user.set_defaults(handler=create_user_command)

    report = commands.add_parser("report", help="sales per day, week, month or year")
    report.add_argument("--from", dest="start", type=_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=_date, required=True, metavar="YYYY-MM-DD")
    report.add_argument("--bucket", choices=BUCKETS, default="daily")
    report.add_argument("--category", type=int, action="append", default=[], metavar="ID")
    report.add_argument("--product", type=int, action="append", default=[], metavar="ID")
    report.add_argument("--format", choices=("table", "csv"), default="table")
    report.set_defaults(handler=report_command)
    return parser


def fail(message: str) -> int:
    sentence = message.strip()
    if not sentence.endswith((".", "?", "!")):
        sentence += "."
    print(f"{PROG}: {sentence}", file=sys.stderr)
    return 1


def run_command(_args: argparse.Namespace, settings: Settings) -> int:
    problem = display_problem(os.environ)
    if problem:
        return fail(problem)
    ctx = bootstrap.open_context(settings)
    bar = ProgressBar("Preparing the demo shop", unit="sales")
    summary = bootstrap.ensure_demo_data(ctx, progress=bar)
    bar.finish()
    if summary is not None:
        print("Demo shop ready: log in as owner@till.example / owner-pass-1.", file=sys.stderr)
    try:
        from pos_app.ui.app import run_gui
    except ImportError as exc:
        ctx.database.dispose()
        return fail(f"The graphical interface cannot be loaded ({exc})")
    try:
        return run_gui(settings, ctx)
    finally:
        ctx.database.dispose()


def display_problem(env: Mapping[str, str]) -> str | None:
    """Why Qt would abort on this machine before showing a window, or None."""
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "There is no display to show the window on; run 'xvfb-run pos-app' on a "
            "headless machine, or set QT_QPA_PLATFORM=offscreen"
        )
    missing = [package for lib, package in XCB_LIBRARIES.items() if not _loadable(lib)]
    if missing:
        return (
            "Qt cannot load its 'xcb' platform plugin because system libraries are missing; "
            f"install them with: sudo apt-get install {' '.join(missing)}"
        )
    return None


def _loadable(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    database = bootstrap.connect(settings)
    try:
        before, head = bootstrap.revisions(database)
        bootstrap.upgrade(settings, database)
        after, _ = bootstrap.revisions(database)
    finally:
        database.dispose()
    if before == after:
        print(f"The database is already at the newest revision ({after}).")
    else:
        print(f"Upgraded the database from {before or 'empty'} to {after} (newest: {head}).")
    return 0


def db_current(_args: argparse.Namespace, settings: Settings) -> int:
    database = bootstrap.connect(settings)
    try:
        current, head = bootstrap.revisions(database)
    finally:
        database.dispose()
    if current == head:
        print(f"{current} (newest)")
        return 0
    print(f"{current or 'empty'} (newest is {head}; run '{PROG} db upgrade')")
    return 0


def demo_command(args: argparse.Namespace, settings: Settings) -> int:
    ctx = bootstrap.open_context(settings)
    started = time.perf_counter()
    bar = ProgressBar("Writing sales", unit="sales")
    try:
        summary = demo_data.seed_demo(
            ctx, sales=args.sales, days=args.days, seed=args.seed, sales_only=args.add,
            progress=bar,
        )  # fmt: skip
    finally:
        bar.finish()
        ctx.database.dispose()
    seconds = time.perf_counter() - started
    print(
        f"Added {summary.users} users, {summary.categories} categories, "
        f"{summary.products} products, {summary.sales:,} sales with {summary.sale_items:,} "
        f"lines in {seconds:.1f} s."
    )
    return 0


def create_user_command(args: argparse.Namespace, settings: Settings) -> int:
    ctx = bootstrap.open_context(settings)
    try:
        actor = None
        if auth.count_users(ctx):
            if not args.as_email or not args.as_password:
                return fail(
                    "Creating an account needs --as-email and --as-password of a manager or owner"
                )
            actor = auth.verify_credentials(ctx, args.as_email, args.as_password)
        password = args.password if args.password is not None else _ask_password()
        user = auth.register_user(
            ctx, actor, email=args.email, password=password, first_name=args.first_name,
            last_name=args.last_name, role=args.role,
        )  # fmt: skip
    finally:
        ctx.database.dispose()
    print(f"Created {user.role.label.lower()} account {user.email} (id {user.id}).")
    return 0


def _ask_password() -> str:
    first = getpass.getpass("Password for the new account: ")
    if getpass.getpass("Repeat the password: ") != first:
        raise ConfigError("--password: the two passwords typed do not match.")
    return first


def report_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app.services import analytics

    ctx = bootstrap.open_context(settings)
    try:
        query = analytics.SalesQuery(
            start=args.start, end=args.end, bucket=analytics.Bucket(args.bucket),
            product_ids=tuple(args.product), category_ids=tuple(args.category),
        )  # fmt: skip
        report = analytics.sales_data(ctx, bootstrap.system_owner(ctx), query)
    finally:
        ctx.database.dispose()
    rows = [
        [row.start.isoformat(), row.end.isoformat(), str(row.sales), str(row.units),
         format_plain(row.revenue_cents)]
        for row in report.buckets
    ]  # fmt: skip
    if args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(REPORT_HEADER)
        writer.writerows(rows)
        return 0
    total = ["Total", "", str(report.sales), str(report.units), format_plain(report.revenue_cents)]
    print_table(sys.stdout, REPORT_HEADER, rows, total)
    return 0


REPORT_HEADER = ["start", "end", "sales", "units", "revenue"]


def print_table(
    out: TextIO, header: list[str], rows: list[list[str]], total: list[str] | None = None
) -> None:
    """Left-aligned first columns (dates), right-aligned numbers, a rule above the total."""
    everything = [header, *rows, *([total] if total else [])]
    widths = [max(len(row[i]) for row in everything) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    out.write(line(header) + "\n")
    for row in rows:
        out.write(line(row) + "\n")
    if total:
        out.write("-" * len(line(header)) + "\n")
        out.write(line(total) + "\n")


class ProgressBar:
    """A one-line text bar on stderr, redrawn in place: percent done and rows per second."""

    WIDTH = 30

    def __init__(self, label: str, *, unit: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self.drawn_at = 0.0
        self.shown = False
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if self.shown and done < total and now - self.drawn_at < 0.2:
            return
        self.drawn_at = now
        self.shown = True
        fraction = done / total if total else 1.0
        filled = int(fraction * self.WIDTH)
        rate = done / max(now - self.started, 1e-6)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        text = (
            f"{self.label} [{bar}] {fraction:6.1%}  {done:,}/{total:,} {self.unit}"
            f"  {rate:,.0f} {self.unit}/s"
        )
        # Pad over the tail of a longer previous line: the line is redrawn in place.
        self.stream.write("\r" + text.ljust(self.width))
        self.width = len(text)
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def _count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{raw}' is negative")
    return value


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a date such as 2025-03-31") from None


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(error).__name__])[0].rstrip(".")


def _log_unexpected(settings: Settings | None, error: BaseException) -> str:
    text = "".join(traceback.format_exception(error))
    try:
        directory = ensure_data_dir(settings) if settings else None
        if directory is None:
            raise OSError("no data directory")
        path = directory / LOG_FILE
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {PROG}\n{text}\n")
        return str(path)
    except (OSError, ConfigError):
        return "no log (the data directory is not writable)"


if __name__ == "__main__":
    sys.exit(main())
