"""The ``pos-app`` command: the parser, the error handling every command shares, and ``run``.

Commands that need an account act as the first active owner of the database (the person at
this machine's keyboard is trusted, as with any local administration tool), except
``create-user``, which needs the credentials of a manager or owner once the first account exists.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pos_app import __version__
from pos_app.cli import accounts, data, database, desktop, hardware, reports
from pos_app.cli.common import PROG, Handler, Parser, fail, seconds, sentence
from pos_app.cli.progress import Cancelled, ProgressBar

if TYPE_CHECKING:
    from pos_app.config import Settings
    from pos_app.services.context import ServiceContext

INTERRUPTED = 130
Progress = Callable[[int, int], None]
# A command's imports make a few hundred thousand objects that live until it exits. With the
# cyclic collector's default first threshold (700 new objects) it walks them over a hundred
# times, about a tenth of a report's time; at this threshold a report needs few collections or
# none, and a long command (an import, the demo shop) still has them, so its memory stays bounded.
COMMAND_GC_THRESHOLD = 100_000


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; ``argv`` None is this process's own command line, and then the process
    ends with the command."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    handler: Handler = getattr(args, "handler", run_command)
    with _short_lived(handler, whole_process=argv is None):
        return _run(handler, args)


def _run(handler: Handler, args: argparse.Namespace) -> int:
    """The command, its errors as one sentence each and its exit status."""
    # Only now, so that --help and --version never pay for the settings and the services.
    from pos_app.config import ConfigError, load_settings
    from pos_app.services.errors import PosError

    settings: Settings | None = None
    try:
        settings = load_settings()
        return handler(args, settings)
    except (ConfigError, PosError) as exc:
        if _raised_from(exc, "pos_app.services.demo_data", "HasSalesError"):
            return fail(f"The database already has sales; run '{PROG} demo-data --add' to add more")
        return _refuse(handler, str(exc), exc)
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
        if _raised_from(exc, "sqlalchemy.exc", "SQLAlchemyError"):
            return _refuse(handler, f"The database reported an error: {_first_line(exc)}.", exc)
        where = _log_unexpected(settings, exc)
        message = f"Unexpected error ({type(exc).__name__}: {exc}); details in {where}."
        return _refuse(handler, message, exc)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=PROG, description="Till: a point-of-sale and store-management app.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    run = commands.add_parser("run", help="start the till (default): migrate, seed, open the GUI")
    run.add_argument(
        "--quit-after",
        type=seconds,
        metavar="SECONDS",
        help="close again after SECONDS; exit status 0 only if the window was shown (a check)",
    )
    run.set_defaults(handler=run_command)
    database.register(commands)
    accounts.register(commands)
    data.register(commands)
    reports.register(commands)
    desktop.register(commands)
    hardware.register(commands)
    return parser


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    from pos_app import bootstrap

    try:
        from pos_app.ui.app import already_open, claim_till, display_problem, run_gui
    except ImportError as exc:
        return fail(f"The graphical interface cannot be loaded ({exc})")
    problem = display_problem(os.environ)
    if problem:
        return fail(problem)
    lock = claim_till(settings)
    if lock is None:
        return _refuse(run_command, already_open(settings))
    try:
        ctx = bootstrap.open_context(settings, on_wait=_say)
        try:
            first_start = None if bootstrap.has_users(ctx) else demo_shop_builder(ctx)
            return run_gui(
                settings,
                ctx,
                first_start=first_start,
                quit_after=getattr(args, "quit_after", None),
            )
        finally:
            ctx.database.dispose()
    finally:
        lock.unlock()


def demo_shop_builder(ctx: ServiceContext) -> Callable[[Progress], None]:
    """Builds the demo shop (in the GUI's background), drawing its progress in the window
    it is given and on the terminal."""
    from pos_app import bootstrap

    def build(window_progress: Progress) -> None:
        bar = ProgressBar("Preparing the demo shop", unit="sales")

        def both(done: int, total: int) -> None:
            bar(done, total)
            window_progress(done, total)

        try:
            summary = bootstrap.ensure_demo_data(ctx, progress=both, on_wait=_say)
        finally:
            bar.finish()
        if summary is not None:
            print("Demo shop ready: log in as owner@till.example / owner-pass-1.", file=sys.stderr)

    return build


@contextmanager
def _short_lived(handler: Handler, *, whole_process: bool) -> Iterator[None]:
    """Fewer collections while a command runs; the till's window keeps the usual ones.

    When the process ends with the command, what the command made is frozen when it is done:
    everything is freed at exit anyway, and neither the collection that the usual threshold
    would start at once nor the full one at exit then walks it again (about 30 ms of a report).
    """
    if handler is run_command:
        yield
        return
    previous = gc.get_threshold()
    gc.set_threshold(COMMAND_GC_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        if whole_process:
            gc.freeze()
        gc.set_threshold(*previous)


def _refuse(handler: Handler, message: str, error: BaseException | None = None) -> int:
    """One sentence on stderr; when the till itself failed to start, also in a window, since
    a till started from the desktop menu has no terminal to show stderr."""
    status = fail(message)
    if handler is run_command:
        show_in_window(sentence(message), error)
    return status


def show_in_window(message: str, error: BaseException | None) -> None:
    """The start-up error box, where there is a screen to show it on and Qt loads."""
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        return  # nobody would see it, and it would wait for a click forever
    try:
        from pos_app.ui.app import display_problem
        from pos_app.ui.startup_error import show_startup_error
    except ImportError:
        return
    if display_problem() is None:
        show_startup_error(message, error)


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def _silence_stdout() -> None:
    """The reader of our output went away (``pos-app report | head``): drop what is left."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _raised_from(error: BaseException, module: str, name: str) -> bool:
    """Whether ``error`` is a ``module.name``, without importing the module: each command imports
    only what it uses (SQLAlchemy, the demo shop), and a module not imported raised nothing."""
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None)
    return isinstance(kind, type) and isinstance(error, kind)


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return (str(original).strip().splitlines() or [type(error).__name__])[0].rstrip(".")


def _log_unexpected(settings: Settings | None, error: BaseException) -> str:
    """Write the traceback to the log the window also writes; returns where, for the message."""
    import logging

    from pos_app.config import ConfigError, ensure_data_dir
    from pos_app.logs import setup_logging

    try:
        if settings is None:
            raise OSError("no data directory")
        path = setup_logging(ensure_data_dir(settings))
    except (OSError, ConfigError):
        return "no log (the data directory is not writable)"
    logging.getLogger("pos_app").error("%s %s failed", PROG, " ".join(sys.argv[1:]), exc_info=error)
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
