"""Backups of the shop's database: an online copy of a SQLite file, and its checked restore.

A SQLite backup uses SQLite's online backup API inside one read transaction, so the copy is one
consistent moment even while tills keep selling. A restore refuses a copy that fails SQLite's
integrity check or was made by another version of the schema, and installs a good one atomically.
MySQL/MariaDB databases are backed up with ``mysqldump``; the error says the exact command.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from pos_app.db.migrate import head_revision
from pos_app.services.errors import ValidationError

PAGES_PER_STEP = 1024
BUSY_TIMEOUT_MS = 15_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size_bytes: int
    pages: int
    sales: int
    revision: str | None
    seconds: float


@dataclass(frozen=True)
class RestoreInfo:
    path: Path
    source: Path
    size_bytes: int
    sales: int
    revision: str | None


def backup_sqlite(database_url: str, target: Path, progress: Progress | None = None) -> BackupInfo:
    """Copy the live SQLite database to ``target``; ``progress(done_pages, total_pages)``."""
    source = _sqlite_path(database_url, "back up")
    if not source.is_file():
        raise ValidationError(f"There is no database file at {source}.", field="database")
    target = Path(target)
    if target.resolve() == source.resolve():
        raise ValidationError("Choose a backup file other than the database itself.", field="path")
    _check_directory(target)
    started = time.monotonic()
    staging = _staging_path(target)
    try:
        pages = _copy_online(source, staging, progress)
        _check_copy(staging)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    sales, revision = _describe(target)
    return BackupInfo(
        path=target,
        size_bytes=target.stat().st_size,
        pages=pages,
        sales=sales,
        revision=revision,
        seconds=time.monotonic() - started,
    )


def restore_sqlite(source: Path, database_url: str) -> RestoreInfo:
    """Replace the SQLite database with a checked backup; the tills must be closed."""
    target = _sqlite_path(database_url, "restore")
    source = Path(source)
    if not source.is_file():
        raise ValidationError(f"There is no backup file at {source}.", field="path")
    if target.exists() and source.resolve() == target.resolve():
        raise ValidationError("The backup is the database itself.", field="path")
    _check_directory(target)
    staging = _staging_path(target)
    try:
        _copy_online(source, staging, None)
        _check_copy(staging)
        sales, revision = _describe(staging)
        _check_not_in_use(target)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return RestoreInfo(
        path=target,
        source=source,
        size_bytes=target.stat().st_size,
        sales=sales,
        revision=revision,
    )


def _sqlite_path(database_url: str, action: str) -> Path:
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise ValidationError("The database URL is not valid.", field="database") from None
    backend = url.get_backend_name()
    if backend in {"mysql", "mariadb"}:
        raise ValidationError(_mysql_advice(url, action), field="database")
    if backend != "sqlite" or not url.database or url.database == ":memory:":
        raise ValidationError(
            "Only a SQLite database file can be backed up here.", field="database"
        )
    return Path(url.database)


def _mysql_advice(url: URL, action: str) -> str:
    login = (
        f"--host={url.host or 'localhost'} --port={url.port or 3306} --user={url.username or ''}"
    )
    if url.password:
        login += " -p"
    name = url.database or ""
    if action == "restore":
        return (
            f"A MySQL database is restored with the mysql client; run: mysql {login} {name} "
            f"< {name}-backup.sql"
        )
    return (
        "A MySQL database is backed up with mysqldump; run: mysqldump --single-transaction "
        f"--routines --triggers {login} {name} > {name}-backup.sql"
    )


def _check_directory(target: Path) -> None:
    if not target.parent.is_dir():
        raise ValidationError(f"The folder {target.parent} does not exist.", field="path")
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; name a file.", field="path")


def _staging_path(target: Path) -> Path:
    staging = target.with_name(f".{target.name}.{os.getpid()}.partial")
    staging.unlink(missing_ok=True)
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    os.close(fd)
    return staging


def _copy_online(source: Path, target: Path, progress: Progress | None) -> int:
    """Copy ``source`` page by page inside one read transaction; returns the page count."""
    try:
        src = sqlite3.connect(source, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise ValidationError(f"{source} cannot be opened: {exc}.", field="path") from None
    dst = sqlite3.connect(target, isolation_level=None)
    total = [0]

    def report(_status: int, remaining: int, pages: int) -> None:
        total[0] = pages
        if progress is not None:
            progress(pages - remaining, pages)

    try:
        # Holding a read transaction across the steps pins one snapshot: writers that commit
        # meanwhile (WAL) neither restart the copy nor show up half in it.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.backup(dst, pages=PAGES_PER_STEP, progress=report)
        src.execute("COMMIT")
        dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.DatabaseError as exc:
        raise ValidationError(
            f"{source} is not a usable SQLite database ({exc}).", field="path"
        ) from None
    finally:
        src.close()
        dst.close()
    return total[0]


def _check_copy(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        revision = None
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            revision = found[0][0] if len(found) == 1 else None
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"The copy is damaged ({exc}).", field="path") from None
    finally:
        connection.close()
    if rows != [("ok",)]:
        problem = rows[0][0] if rows else "no answer"
        raise ValidationError(f"The copy failed SQLite's integrity check: {problem}.", field="path")
    head = head_revision()
    if revision != head:
        raise ValidationError(
            f"The copy was made with schema revision {revision or 'none'}, this version of Till "
            f"needs {head}; it cannot be restored here.",
            field="path",
        )


def _describe(path: Path) -> tuple[int, str | None]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        sales = connection.execute("SELECT count(*) FROM sales").fetchone()[0]
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()
    return int(sales), str(revision)


def _check_not_in_use(target: Path) -> None:
    """Fold the write-ahead log into the file; refuse while another program holds it open."""
    if not target.exists():
        return
    connection = sqlite3.connect(target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.DatabaseError:
        busy = 0
    finally:
        connection.close()
    # The last connection to close removes the log; a log still there means a till is open.
    if busy or Path(f"{target}-wal").exists():
        raise ValidationError(
            "The database is in use; close every till on this computer and try again.",
            field="database",
        )
