"""Add to counter rows in one statement: insert the row, or add to it when its key exists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.orm import Session


def add_to_counters(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], measures: Sequence[str]
) -> None:
    """Insert ``rows``; where a row's primary key already exists, add its ``measures`` instead.

    Rows are written in primary-key order, so two transactions touching the same rows lock them
    in the same order and cannot deadlock on them.
    """
    if not rows:
        return
    keys = [column.name for column in table.primary_key.columns]
    ordered = sorted(rows, key=lambda row: tuple(row[key] for key in keys))
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        lite = sqlite.insert(table).values(ordered)
        added = {name: table.c[name] + lite.excluded[name] for name in measures}
        session.execute(lite.on_conflict_do_update(index_elements=keys, set_=added))
    elif dialect in {"mysql", "mariadb"}:
        my = mysql.insert(table).values(ordered)
        added = {name: table.c[name] + my.inserted[name] for name in measures}
        session.execute(my.on_duplicate_key_update(added))
    else:
        raise NotImplementedError(f"No counter upsert for the {dialect} dialect.")


__all__ = ["add_to_counters"]
