"""Open the old web shop's database read-only and read its six tables as they are.

The source is a MySQL/MariaDB URL or a SQLite file (a path or a URL); a SQLite file is opened
read-only, so reading it never changes it. Any problem opening or reading it is a sentence for
the person who named it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import URL, Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pos_app.domain.checks import MAX_PATH, check_file_path, is_text
from pos_app.services.errors import ValidationError

LEGACY_TABLES = {
    "user": "id, first_name, last_name, email, hashed_password, is_active, timezone, "
    "last_login, created_at",
    "category": "id, category_name, category_slug, created_at",
    "product": "id, product_name, description, category_id, price, quantity, is_active, created_at",
    "inventory": "id, product_id, quantity",
    "sale": "id, user_id, total_amount, created_at",
    "sale_item": "id, sale_id, product_id, quantity, price_per_unit",
}
Row = dict[str, Any]
Rows = list[Row]


def legacy_url(source: str) -> URL:
    """The old database: a MySQL URL as given, or a SQLite file (path or URL) opened read-only."""
    if not is_text(source) or not source.strip():
        raise ValidationError("Enter the old database's file or URL.", field="source")
    source = source.strip()
    if "://" not in source:
        check_file_path(source, field="source")
    elif len(source) > MAX_PATH or "\x00" in source:
        raise ValidationError("That is not a database file or URL.", field="source")
    try:
        url = make_url(source if "://" in source else f"sqlite:///{source}")
    except ArgumentError:
        raise ValidationError("That is not a database file or URL.", field="source") from None
    if url.get_backend_name() != "sqlite":
        return (
            url.set(drivername="mysql+pymysql") if url.drivername in {"mysql", "mariadb"} else url
        )
    path = Path(check_file_path(url.database or "", field="source")).expanduser()
    if not path.is_file():
        raise ValidationError(f"There is no database file at {path}.", field="source")
    database = "file:" + quote(path.resolve().as_posix())
    return URL.create("sqlite", database=database, query={"mode": "ro", "uri": "true"})


def read_legacy(url: URL) -> dict[str, Rows]:
    """Every row of the six old tables, values as the driver returns them."""
    try:
        engine = create_engine(url)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise ValidationError(f"Cannot open the old database: {exc}", field="source") from None
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if missing := [name for name in LEGACY_TABLES if name not in tables]:
                named = ", ".join(missing)
                raise ValidationError(
                    f"This is not the old web shop's database: table {named} is missing."
                    if len(missing) == 1
                    else f"This is not the old web shop's database: tables {named} are missing.",
                    field="source",
                )
            return {name: _fetch(connection, name, cols) for name, cols in LEGACY_TABLES.items()}
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ValidationError(f"Cannot read the old database: {reason}", field="source") from None
    finally:
        engine.dispose()


def _fetch(connection: Connection, table: str, columns: str) -> Rows:
    quote_name = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote_name(column) for column in columns.split(", "))
    query = text(f"SELECT {names} FROM {quote_name(table)} ORDER BY {quote_name('id')}")
    return [dict(row) for row in connection.execute(query).mappings()]
