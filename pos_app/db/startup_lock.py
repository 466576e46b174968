"""One till at a time through the start-up work that must run once: the schema upgrade, the seeding.

Tills switched on together at the same shared database would otherwise all run the same Alembic
revision (the losers failing with "table already exists") or all seed the demo shop. On MySQL the
lock is a named server lock (``GET_LOCK``) held by a connection of its own; on SQLite it is an
operating-system lock on a file beside the database. A till that has to wait is told through
``on_wait`` so it can say why it is not ready yet.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, Engine, text

LOCK_TIMEOUT_S = 600
WAITING = "Another till is preparing the database; waiting for it to finish."
_POLL_S = 0.1


class StartupLockTimeout(Exception):
    """The till waited LOCK_TIMEOUT_S for another one to finish preparing the database."""


@contextmanager
def startup_lock(
    engine: Engine,
    on_wait: Callable[[str], None] | None = None,
    *,
    timeout_s: float = LOCK_TIMEOUT_S,
) -> Iterator[None]:
    """Hold the database's start-up lock; ``on_wait(WAITING)`` first when another till has it."""
    report = on_wait or (lambda _message: None)
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with _file_lock(Path(database).with_name(Path(database).name + ".startup-lock"),
                        report, timeout_s):  # fmt: skip
            yield
        return
    with engine.connect() as connection:
        locked = connection.execution_options(isolation_level="AUTOCOMMIT")
        name = _lock_name(engine)
        _acquire_server_lock(locked, name, report, timeout_s)
        try:
            yield
        finally:
            locked.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": name})


def _lock_name(engine: Engine) -> str:
    # Server locks are server-wide: name the database so two shops on one server never wait.
    return f"till-startup:{engine.url.database or ''}"[:64]


def _acquire_server_lock(
    connection: Connection, name: str, report: Callable[[str], None], timeout_s: float
) -> None:
    # A till that waits here sits idle for minutes: keep the server from closing it meanwhile.
    connection.execute(text("SET SESSION wait_timeout = @@GLOBAL.wait_timeout"))
    statement = text("SELECT GET_LOCK(:name, :seconds)")
    if connection.scalar(statement, {"name": name, "seconds": 0}) == 1:
        return
    report(WAITING)
    if connection.scalar(statement, {"name": name, "seconds": int(timeout_s)}) != 1:
        raise StartupLockTimeout(f"another till held the start-up lock for {timeout_s:.0f} s")


@contextmanager
def _file_lock(path: Path, report: Callable[[str], None], timeout_s: float) -> Iterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(descriptor, "r+b") as handle:
        if not _try_lock(handle):
            report(WAITING)
            deadline = time.monotonic() + timeout_s
            while not _try_lock(handle):
                if time.monotonic() > deadline:
                    raise StartupLockTimeout(
                        f"another till held the start-up lock {path} for {timeout_s:.0f} s"
                    )
                time.sleep(_POLL_S)
        try:
            yield
        finally:
            _unlock(handle)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
