"""Engine and session factory for SQLite (embedded) and MySQL/MariaDB (several tills)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
MYSQL_POOL_RECYCLE_S = 1800
READONLY_OPTION = "pos_readonly"


class Database:
    """One engine and its session factories; cheap to pass around, shared by every service call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(
            engine.execution_options(**{READONLY_OPTION: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def description(self) -> str:
        """Where the data lives, for a status bar: the SQLite file or the MySQL host."""
        url = self.engine.url
        if self.is_sqlite:
            return f"SQLite {url.database or 'memory'}"
        return f"MySQL {url.host}:{url.port or 3306}/{url.database}"

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A session that rolls back whatever was not committed explicitly."""
        factory = self._reader if readonly else self._writer
        session = factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def create_database(url: str, **engine_options: Any) -> Database:
    return Database(create_engine_for(url, **engine_options))


def create_engine_for(url: str, **engine_options: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **engine_options)
    options: dict[str, Any] = {
        "pool_pre_ping": True,
        "pool_recycle": MYSQL_POOL_RECYCLE_S,
        "connect_args": {"charset": "utf8mb4", "connect_timeout": 5},
    }
    options.update(engine_options)
    return create_engine(url, **options)


def _sqlite_engine(url: str, **engine_options: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        _create_private_file(Path(database))
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    options.update(engine_options)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only, before SQLite creates it 0644
    (SQLite gives its -wal and -shm files the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, stat.S_IRUSR | stat.S_IWUSR)
        os.close(fd)
    elif stat.S_IMODE(path.stat().st_mode) & 0o077 and os.access(path, os.W_OK):
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)  # a file made 0644 by an older version


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from pysqlite so "begin" below decides DEFERRED vs IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    # Writers take the write lock up front: a deferred transaction that reads and then writes
    # cannot wait for a busy lock and fails at once when another till wrote in between.
    readonly = connection.get_execution_options().get(READONLY_OPTION, False)
    connection.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")
