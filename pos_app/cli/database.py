"""``pos-app db``, ``demo-data``, ``backup`` and ``restore``: the database as a whole."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.cli.common import PROG, Commands, count, fail, service_context
from pos_app.cli.progress import ProgressBar

if TYPE_CHECKING:
    from pos_app.config import Settings
    from pos_app.services.access import UserSession
    from pos_app.services.context import ServiceContext

YES = {"y", "yes"}


def register(commands: Commands) -> None:
    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION", required=True)
    db_commands.add_parser(
        "upgrade", help="upgrade the schema to the newest revision"
    ).set_defaults(handler=db_upgrade)
    db_commands.add_parser("current", help="show the schema revision").set_defaults(
        handler=db_current
    )

    demo = commands.add_parser("demo-data", help="fill the database with a demo shop")
    demo.add_argument("--sales", type=count, metavar="N", help="how many sales (default 21,000)")
    demo.add_argument("--days", type=count, metavar="D", help="over how many days (default 365)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--add", action="store_true", help="add sales to a database that already has some"
    )
    demo.set_defaults(handler=demo_command)

    save = commands.add_parser("backup", help="copy the SQLite database to a file, even while open")
    save.add_argument("path", type=Path, metavar="PATH", help="the backup file to write")
    save.set_defaults(handler=backup_command)

    load = commands.add_parser("restore", help="replace the SQLite database with a backup")
    load.add_argument("path", type=Path, metavar="PATH", help="the backup file to restore")
    load.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    load.set_defaults(handler=restore_command)


def db_upgrade(_args: argparse.Namespace, settings: Settings) -> int:
    from pos_app import bootstrap

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
    from pos_app import bootstrap

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
    from pos_app.services import demo_data

    sales = demo_data.DEFAULT_SALES if args.sales is None else args.sales
    days = demo_data.DEFAULT_DAYS if args.days is None else args.days
    started = time.perf_counter()
    bar = ProgressBar("Writing sales", unit="sales")
    with service_context(settings) as ctx, _demo_actor(ctx) as owner:
        try:
            summary = demo_data.seed_demo(
                ctx, owner, sales=sales, days=days, seed=args.seed, sales_only=args.add,
                progress=bar,
            )  # fmt: skip
        finally:
            bar.finish()
    seconds = time.perf_counter() - started
    print(
        f"Added {summary.users} users, {summary.categories} categories, "
        f"{summary.products} products, {summary.sales:,} sales with {summary.sale_items:,} "
        f"lines in {seconds:.1f} s."
    )
    return 0


def backup_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app.services import backup

    bar = ProgressBar("Copying", unit="pages")
    try:
        info = backup.backup_sqlite(settings.database_url, args.path.expanduser(), progress=bar)
    finally:
        bar.finish()
    print(
        f"Backed up {info.sales:,} sales to {info.path} ({_size(info.size_bytes)}, "
        f"schema {info.revision}) in {info.seconds:.1f} s."
    )
    return 0


def restore_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app.services import backup

    source: Path = args.path.expanduser()
    if settings.is_sqlite:
        if not source.is_file():
            return fail(f"There is no backup file at {source}")
        if not args.yes and not _confirm(
            f"Replace the database with {source}? Every change made since that backup is lost."
        ):
            return fail("Nothing was restored")
    info = backup.restore_sqlite(source, settings.database_url)
    print(
        f"Restored {info.path} from {info.source}: {info.sales:,} sales "
        f"({_size(info.size_bytes)}, schema {info.revision})."
    )
    return 0


def _confirm(question: str) -> bool:
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    if not answer.endswith("\n") or not sys.stdin.isatty():
        print(file=sys.stderr)
    return answer.strip().lower() in YES


def _size(size: int) -> str:
    amount = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if amount < 1024 or unit == "GB":
            return f"{amount:,.0f} {unit}" if unit == "bytes" else f"{amount:,.1f} {unit}"
        amount /= 1024
    return f"{size} bytes"


@contextmanager
def _demo_actor(ctx: ServiceContext) -> Iterator[UserSession | None]:
    """The owner's command-line session, or None for an empty database the demo fills first."""
    from pos_app import bootstrap
    from pos_app.services import auth

    if not auth.count_users(ctx):
        yield None
        return
    with bootstrap.system_session(ctx) as owner:
        yield owner
