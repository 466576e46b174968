"""What every command shares: the program name, error output, argument types, the context."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeAlias

if TYPE_CHECKING:
    from pos_app.config import Settings
    from pos_app.services.context import ServiceContext

PROG = "pos-app"

Handler: TypeAlias = "Callable[[argparse.Namespace, Settings], int]"


class Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help').\n")


Commands: TypeAlias = "argparse._SubParsersAction[Parser]"


def fail(message: str) -> int:
    """Print one sentence on stderr; the exit status for a refused command."""
    print(f"{PROG}: {sentence(message)}", file=sys.stderr)
    return 1


def sentence(message: str) -> str:
    text = message.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


@contextmanager
def service_context(settings: Settings) -> Iterator[ServiceContext]:
    """The migrated database for one command, closed when the command ends. A command may wait
    longer than a till for one statement: a person runs it, and can stop it."""
    from pos_app import bootstrap
    from pos_app.db.engine import COMMAND_READ_TIMEOUT_S

    ctx = bootstrap.open_context(settings, read_timeout_s=COMMAND_READ_TIMEOUT_S)
    try:
        yield ctx
    finally:
        ctx.database.dispose()


def count(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{raw}' is negative")
    return value


def positive(raw: str) -> int:
    value = count(raw)
    if value == 0:
        raise argparse.ArgumentTypeError("'0' must be at least 1")
    return value


def seconds(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a number of seconds") from None
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError(f"'{raw}' must be between 0 and 86400 seconds")
    return value


def day(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{raw}' is not a date such as 2025-03-31") from None


def csv_path(raw: str) -> Path:
    if not raw.strip():
        raise argparse.ArgumentTypeError("name a file")
    return Path(raw).expanduser()
