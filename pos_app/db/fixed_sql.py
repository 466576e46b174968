"""Fixed SQL for the till's hottest statements, handed to the driver as it is.

A sale runs about a dozen statements whose shape never changes. Through Core each one is
looked up in the statement cache, its parameters are built and typed row by row, and its
result is set up, which costs the till more CPU than the round trip to the database. These
statements are therefore written once as SQL text with ``:name`` parameters and run with
``Connection.exec_driver_sql``: SQLAlchemy still owns the transaction, the pool and the
translation of driver errors (a lost connection, a deadlock, a duplicate key), but not the
SQL. The driver gets the text in its own parameter style (``%(name)s`` for MySQL drivers,
``:name`` for sqlite3), and the values that need it go through their column type's converter
for that dialect, so a timestamp is stored exactly as Core stores it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.types import TypeEngine

Converter = Callable[[Any], Any]
PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")  # a ``:name`` parameter


def dialect_family(dialect: Dialect) -> str:
    """'mysql' for MySQL and MariaDB, 'sqlite' for SQLite: the SQL variants written here."""
    if dialect.name in {"mysql", "mariadb"}:
        return "mysql"
    if dialect.name == "sqlite":
        return "sqlite"
    raise NotImplementedError(f"No fixed SQL for the {dialect.name} dialect.")


class FixedSQL:
    """One statement as SQL text, the same for every call, with the types of its values.

    ``sql`` is the text, or the text per dialect family ('mysql', 'sqlite') where their SQL
    differs. ``binds`` names the parameters whose values need converting (timestamps, dates,
    flags); result rows come as the driver returns them.
    """

    def __init__(
        self,
        sql: str | Mapping[str, str],
        *,
        binds: Mapping[str, TypeEngine[Any]] | None = None,
    ) -> None:
        self._sql = sql
        self._binds = dict(binds or {})
        self._prepared: dict[str, _Prepared] = {}

    def source(self, family: str) -> str:
        """The text with ``:name`` parameters for a dialect family ('mysql' or 'sqlite')."""
        return self._sql if isinstance(self._sql, str) else self._sql[family]

    def prepared(self, dialect: Dialect) -> _Prepared:
        """The statement made ready for ``dialect``: its driver text and value converters."""
        return self._prepared.get(dialect.name) or self._prepare(dialect)

    def execute(
        self,
        connection: Connection,
        parameters: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    ) -> CursorResult[Any]:
        """Run it once (a mapping) or for each of a list of mappings, in one call."""
        prepared = self.prepared(connection.dialect)
        if isinstance(parameters, Mapping):
            return connection.exec_driver_sql(prepared.text, prepared.bind(parameters))
        return connection.exec_driver_sql(prepared.text, [prepared.bind(row) for row in parameters])

    def _prepare(self, dialect: Dialect) -> _Prepared:
        sql = self.source(dialect_family(dialect))
        prepared = _Prepared(_in_driver_style(sql, dialect), _binders(self._binds, dialect))
        self._prepared[dialect.name] = prepared
        return prepared


class _Prepared:
    """A statement made ready for one dialect: its text and its value converters."""

    __slots__ = ("binders", "text")

    def __init__(self, text: str, binders: dict[str, Converter]) -> None:
        self.text = text
        self.binders = binders

    def bind(self, parameters: Mapping[str, Any]) -> dict[str, Any]:
        """The values as the driver takes them (a dict, for the drivers' named parameters)."""
        if not self.binders and isinstance(parameters, dict):
            return parameters
        bound = dict(parameters)
        for name, convert in self.binders.items():
            if name in bound:
                bound[name] = convert(bound[name])
        return bound


def _binders(types: Mapping[str, TypeEngine[Any]], dialect: Dialect) -> dict[str, Converter]:
    """The converters of the values that need one on ``dialect``, by parameter name."""
    binders: dict[str, Converter] = {}
    for name, type_ in types.items():
        convert = type_.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            binders[name] = convert
    return binders


def _in_driver_style(sql: str, dialect: Dialect) -> str:
    """``:name`` parameters in the driver's style: sqlite3 takes them as they are."""
    if dialect_family(dialect) == "sqlite":
        return sql
    return PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


def insert_into(table: Table, columns: Sequence[str]) -> FixedSQL:
    """``INSERT INTO table (columns) VALUES (:columns)``, typed by the table's columns."""
    return FixedSQL(insert_text(table, columns), binds=column_types(table, columns))


def insert_text(table: Table, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (:columns)``."""
    names = ", ".join(table.c[name].name for name in columns)
    values = ", ".join(f":{name}" for name in columns)
    return f"INSERT INTO {table.name} ({names}) VALUES ({values})"


def column_types(table: Table, columns: Sequence[str]) -> dict[str, TypeEngine[Any]]:
    """The types of ``columns`` of ``table``, by name: what their values are converted by."""
    return {name: table.c[name].type for name in columns}


__all__ = ["PARAMETER", "FixedSQL", "column_types", "dialect_family", "insert_into", "insert_text"]
