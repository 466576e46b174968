"""Test databases: one per test run, on SQLite always and on MariaDB when it is reachable."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pymysql
from sqlalchemy import Engine, text

from pos_app.db.engine import create_engine_for
from pos_app.db.migrate import upgrade_to_head
from pos_app.db.models import Base

MYSQL_HOST = os.environ.get("POS_TEST_MYSQL_HOST", "127.0.0.1")
MYSQL_PORT = int(os.environ.get("POS_TEST_MYSQL_PORT", "3306"))
MYSQL_USER = os.environ.get("POS_TEST_MYSQL_USER", "root")
MYSQL_PASSWORD = os.environ.get("POS_TEST_MYSQL_PASSWORD", "")


def mysql_reachable() -> bool:
    try:
        connection = pymysql.connect(
            host=MYSQL_HOST,
            port=MYSQL_PORT,
            user=MYSQL_USER,
            password=MYSQL_PASSWORD,
            connect_timeout=3,
        )
    except pymysql.MySQLError:
        return False
    connection.close()
    return True


def mysql_url(database: str) -> str:
    password = f":{MYSQL_PASSWORD}" if MYSQL_PASSWORD else ""
    return f"mysql+pymysql://{MYSQL_USER}{password}@{MYSQL_HOST}:{MYSQL_PORT}/{database}"


def _mysql_admin(statement: str) -> None:
    connection = pymysql.connect(
        host=MYSQL_HOST, port=MYSQL_PORT, user=MYSQL_USER, password=MYSQL_PASSWORD, autocommit=True
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def unique_name(prefix: str = "till_test") -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@contextmanager
def temporary_mysql_database(migrate: bool = True) -> Iterator[str]:
    """A fresh MySQL database (dropped afterwards); yields its URL."""
    name = unique_name()
    _mysql_admin(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    url = mysql_url(name)
    try:
        if migrate:
            engine = create_engine_for(url)
            upgrade_to_head(engine)
            engine.dispose()
        yield url
    finally:
        _mysql_admin(f"DROP DATABASE IF EXISTS `{name}`")


def migrated_sqlite_template(directory: Path) -> Path:
    path = directory / "template.sqlite3"
    engine = create_engine_for(f"sqlite:///{path}")
    upgrade_to_head(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the main file
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def empty_all_tables(engine: Engine) -> None:
    """Delete every row (children first) so the next test starts from an empty schema."""
    with engine.begin() as connection:
        if engine.dialect.name in {"mysql", "mariadb"}:
            connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(text(f"TRUNCATE TABLE `{table.name}`"))
            connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
