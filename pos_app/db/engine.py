"""Engine and session factory for SQLite (embedded) and MySQL/MariaDB (several tills).

The ORM is imported when the first session is opened: a command-line report runs on Core
connections alone and would otherwise pay about a third of its time for importing it.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
MYSQL_POOL_RECYCLE_S = 1800
# A till whose network dies must not hold up the others: its own calls give up after the driver
# timeouts, and the server rolls back its transaction (releasing its row locks) after the idle
# timeouts below, while the other tills wait at most MYSQL_LOCK_WAIT_S per try for a row lock.
MYSQL_CONNECT_TIMEOUT_S = 5
# No single statement of a till may take longer than this. A command (an import, the demo shop, a
# rollup rebuild over a very large history) is run by a person who can stop it, and may wait for
# one long statement: it asks for COMMAND_READ_TIMEOUT_S instead.
MYSQL_READ_TIMEOUT_S = 30
COMMAND_READ_TIMEOUT_S = 900
MYSQL_WRITE_TIMEOUT_S = 30
MYSQL_LOCK_WAIT_S = 5
MYSQL_NET_READ_TIMEOUT_S = 10
MYSQL_IDLE_WRITE_TRANSACTION_S = 5  # MariaDB: a transaction that wrote and then fell silent
MYSQL_IDLE_TRANSACTION_S = 30  # MariaDB: one that only read (its shared locks block editors)
MYSQL_WAIT_TIMEOUT_S = 30  # MySQL has no idle-transaction timeout: any silent connection
# A pooled connection idle longer than this is pinged before use (a till idle overnight finds its
# connections closed by the server); one handed straight back to a busy till is not.
MYSQL_PING_AFTER_IDLE_S = 1.0
MYSQL_PACKED_BYTES = 64 * 1024 * 1024
_IDLE_SINCE = "pos_idle_since"
# Set on a pooled connection's info when the server has already committed its transaction (a
# statement batch that ends with COMMIT): the connection's own commit then sends nothing.
COMMITTED_BY_THE_SERVER = "pos_committed_by_the_server"
READONLY_OPTION = "pos_readonly"


class Database:
    """One engine and its session factories; cheap to pass around, shared by every service call."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._readonly_engine = engine.execution_options(**{READONLY_OPTION: True})
        self._factories: tuple[sessionmaker[Session], sessionmaker[Session]] | None = None
        self._factories_lock = threading.Lock()

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
        writer, reader = self._session_factories()
        session = (reader if readonly else writer)()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def connection(self, *, readonly: bool = False) -> Iterator[Connection]:
        """A Core connection that rolls back whatever was not committed explicitly; the same
        transaction a session of the same kind would begin, without the ORM."""
        engine = self._readonly_engine if readonly else self.engine
        with engine.connect() as connection:
            yield connection

    def _session_factories(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        """The writing and the read-only session factories, made when first needed."""
        with self._factories_lock:
            if self._factories is None:
                from sqlalchemy.orm import sessionmaker

                from pos_app.db.search_terms import keep_search_terms

                writer = sessionmaker(self.engine, expire_on_commit=False)
                event.listen(writer, "after_flush", keep_search_terms)
                reader = sessionmaker(self._readonly_engine, expire_on_commit=False)
                self._factories = (writer, reader)
            return self._factories

    def dispose(self) -> None:
        self.engine.dispose()


def create_database(
    url: str, *, read_timeout_s: float = MYSQL_READ_TIMEOUT_S, **engine_options: Any
) -> Database:
    return Database(create_engine_for(url, read_timeout_s=read_timeout_s, **engine_options))


def create_engine_for(
    url: str, *, read_timeout_s: float = MYSQL_READ_TIMEOUT_S, **engine_options: Any
) -> Engine:
    """The engine for a URL. Its errors never carry the statement's values (``hide_parameters``):
    they may be a new password's hash or a customer's details, and error messages reach the log.
    ``read_timeout_s`` is how long a MySQL statement's answer may take (SQLite has no network)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, **engine_options)
    options: dict[str, Any] = {
        "hide_parameters": True,
        "pool_recycle": MYSQL_POOL_RECYCLE_S,
        # Connection.close() and our sessions already roll back an unfinished transaction; the
        # pool's own ROLLBACK after every COMMIT would be one more round trip per sale.
        "pool_reset_on_return": None,
        "connect_args": {
            "charset": "utf8mb4",
            "connect_timeout": MYSQL_CONNECT_TIMEOUT_S,
            "read_timeout": read_timeout_s,
            "write_timeout": MYSQL_WRITE_TIMEOUT_S,
        },
    }
    options.update(engine_options)
    engine = create_engine(url, **options)
    _skip_commits_already_made(engine)
    event.listen(engine, "connect", _configure_mysql_session)
    event.listen(engine, "checkin", _mark_idle)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _skip_commits_already_made(engine: Engine) -> None:
    """Make this engine's commit send nothing when the server has committed already: a COMMIT
    sent then would cost a round trip to commit an empty transaction."""
    dialect = engine.dialect
    send_commit = dialect.do_commit

    def do_commit(dbapi_connection: Any) -> None:
        if dbapi_connection.info.pop(COMMITTED_BY_THE_SERVER, False):
            return
        send_commit(dbapi_connection)

    dialect.do_commit = do_commit  # type: ignore[method-assign]


def _mark_idle(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_IDLE_SINCE] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get(_IDLE_SINCE)  # None: connected just now
    if idle_since is None or time.monotonic() - idle_since < MYSQL_PING_AFTER_IDLE_S:
        return
    try:
        dbapi_connection.ping(False)
    except Exception as exc:  # any driver error: the pool replaces the connection and retries
        raise DisconnectionError(f"the pooled connection is gone ({exc})") from exc


def _configure_mysql_session(dbapi_connection: Any, _record: Any) -> None:
    settings = [
        f"innodb_lock_wait_timeout = {MYSQL_LOCK_WAIT_S}",
        f"net_read_timeout = {MYSQL_NET_READ_TIMEOUT_S}",
        # The sales report packs a bucket's rollup rows with JSON_ARRAYAGG, which is built within
        # this many bytes (1 MiB by default); set once per connection, not once per report.
        f"group_concat_max_len = {MYSQL_PACKED_BYTES}",
    ]
    if "mariadb" in dbapi_connection.get_server_info().lower():
        settings += [
            f"idle_write_transaction_timeout = {MYSQL_IDLE_WRITE_TRANSACTION_S}",
            f"idle_transaction_timeout = {MYSQL_IDLE_TRANSACTION_S}",
        ]
    else:
        settings.append(f"wait_timeout = {MYSQL_WAIT_TIMEOUT_S}")
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION " + ", ".join(settings))
    cursor.close()


def _sqlite_engine(url: str, **engine_options: Any) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        _create_private_file(Path(database))
    options: dict[str, Any] = {
        "hide_parameters": True,
        "connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    }
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
