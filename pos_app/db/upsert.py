"""Add to counter rows in one statement: insert the row, or add to it when its key exists."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table

from pos_app.db.fixed_sql import FixedSQL, column_types, insert_text
from pos_app.db.statement_batch import StatementBatch

_STATEMENTS: dict[tuple[str, tuple[str, ...], tuple[str, ...]], FixedSQL] = {}
_KEYS: dict[str, Callable[[Mapping[str, Any]], Any]] = {}


def counter_upsert(table: Table, columns: Sequence[str], measures: Sequence[str]) -> FixedSQL:
    """An INSERT of ``columns`` that adds ``measures`` to the row already there with the same
    primary key instead. Built once per table and columns, then run with a list of rows (one
    statement of several rows)."""
    cache_key = (table.name, tuple(columns), tuple(measures))
    statement = _STATEMENTS.get(cache_key)
    if statement is not None:
        return statement
    insert = insert_text(table, columns)
    keys = ", ".join(column.name for column in table.primary_key.columns)
    statement = FixedSQL(
        {
            "mysql": f"{insert} ON DUPLICATE KEY UPDATE "
            + ", ".join(f"{name} = {name} + VALUES({name})" for name in measures),
            "sqlite": f"{insert} ON CONFLICT ({keys}) DO UPDATE SET "
            + ", ".join(f"{name} = {name} + excluded.{name}" for name in measures),
        },
        binds=column_types(table, columns),
    )
    _STATEMENTS[cache_key] = statement
    return statement


def add_to_counters(
    batch: StatementBatch,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    measures: Sequence[str],
) -> None:
    """Add to ``batch``: insert ``rows`` (all with the same columns); where a row's primary key
    already exists, add its ``measures`` instead.

    Rows are written in primary-key order, so two transactions touching the same rows lock them
    in the same order and cannot deadlock on them.
    """
    if not rows:
        return
    key = _KEYS.get(table.name)
    if key is None:
        key = _KEYS[table.name] = itemgetter(*(column.name for column in table.primary_key.columns))
    batch.add(counter_upsert(table, list(rows[0]), measures), sorted(rows, key=key))


__all__ = ["add_to_counters", "counter_upsert"]
