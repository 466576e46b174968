"""The ``pos-app`` command: the parser, the error handling every command shares, and ``run``.

Commands that need an account act as the first active owner of the database (the person at
this machine's keyboard is trusted, as with any local administration tool), except
``create-user``, which needs the credentials of a manager or owner once the first account exists.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from pos_app import bootstrap
from pos_app.cli import accounts, data, database, hardware, reports
from pos_app.cli.common import PROG, Handler, Parser, fail, sentence
from pos_app.cli.progress import Cancelled, ProgressBar
from pos_app.config import ConfigError, Settings, ensure_data_dir, load_settings
from pos_app.services import demo_data
from pos_app.services.errors import PosError

LOG_FILE = "pos-app.log"
INTERRUPTED = 130


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
    except Cancelled as exc:
        print(f"{PROG}: {sentence(str(exc))}", file=sys.stderr)
        return INTERRUPTED
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted.", file=sys.stderr)
        return INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except Exception as exc:
        where = _log_unexpected(settings, exc)
        return fail(f"Unexpected error ({type(exc).__name__}: {exc}); details in {where}.")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="Till: a point-of-sale and store-management app.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    run = commands.add_parser("run", help="start the till (default): migrate, seed, open the GUI")
    run.set_defaults(handler=run_command)
    database.register(commands)
    accounts.register(commands)
    data.register(commands)
    reports.register(commands)
    hardware.register(commands)
    return parser


def run_command(_args: argparse.Namespace, settings: Settings) -> int:
    try:
        from pos_app.ui.app import display_problem, run_gui
    except ImportError as exc:
        return fail(f"The graphical interface cannot be loaded ({exc})")
    problem = display_problem(os.environ)
    if problem:
        return fail(problem)
    ctx = bootstrap.open_context(settings)
    try:
        bar = ProgressBar("Preparing the demo shop", unit="sales")
        try:
            summary = bootstrap.ensure_demo_data(ctx, progress=bar)
        finally:
            bar.finish()
        if summary is not None:
            print("Demo shop ready: log in as owner@till.example / owner-pass-1.", file=sys.stderr)
        return run_gui(settings, ctx)
    finally:
        ctx.database.dispose()


def _silence_stdout() -> None:
    """The reader of our output went away (``pos-app report | head``): drop what is left."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


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
