"""Add to counter rows in one statement: insert the row, or add to it when its key exists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable

_STATEMENTS: dict[tuple[str, str, tuple[str, ...]], Executable] = {}


def counter_upsert(dialect: str, table: Table, measures: Sequence[str]) -> Executable:
    """An INSERT that adds ``measures`` to the row already there with the same primary key.

    Built once per dialect and table, then run with a list of rows (one executemany).
    """
    cache_key = (dialect, table.name, tuple(measures))
    statement = _STATEMENTS.get(cache_key)
    if statement is not None:
        return statement
    if dialect == "sqlite":
        lite = sqlite.insert(table)
        keys = [column.name for column in table.primary_key.columns]
        added = {name: table.c[name] + lite.excluded[name] for name in measures}
        statement = lite.on_conflict_do_update(index_elements=keys, set_=added)
    elif dialect in {"mysql", "mariadb"}:
        my = mysql.insert(table)
        statement = my.on_duplicate_key_update({n: table.c[n] + my.inserted[n] for n in measures})
    else:
        raise NotImplementedError(f"No counter upsert for the {dialect} dialect.")
    _STATEMENTS[cache_key] = statement
    return statement


def add_to_counters(
    connection: Connection | Session,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    measures: Sequence[str],
) -> None:
    """Insert ``rows``; where a row's primary key already exists, add its ``measures`` instead.

    Rows are written in primary-key order, so two transactions touching the same rows lock them
    in the same order and cannot deadlock on them.
    """
    if not rows:
        return
    keys = [column.name for column in table.primary_key.columns]
    ordered = sorted(rows, key=lambda row: tuple(row[key] for key in keys))
    if isinstance(connection, Session):
        dialect = connection.get_bind().dialect.name
    else:
        dialect = connection.dialect.name
    connection.execute(counter_upsert(dialect, table, measures), ordered)


__all__ = ["add_to_counters", "counter_upsert"]
