"""Column types shared by the models.

MySQL's own types are imported only when a MySQL database uses them: the dialect's package
loads every MySQL driver module, which a till on SQLite never needs.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Integer, String, Text
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments INTEGER PRIMARY KEY; MySQL gets a BIGINT.
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC (microseconds kept), read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in {"mysql", "mariadb"}:
            from sqlalchemy.dialects.mysql import DATETIME

            return dialect.type_descriptor(DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


NAME_KEY_LENGTH = 200
# The key names sort by: the same code-point order on SQLite and MariaDB (binary collation there).
NameKey = String(NAME_KEY_LENGTH).with_variant(
    String(NAME_KEY_LENGTH, collation="utf8mb4_bin"), "mysql", "mariadb"
)


def folded(text: str) -> str:
    """``text`` without case or accents: 'Äpfel' and 'ÄPFEL' read 'apfel', 'Straße' 'strasse'.

    Python does the folding, for both databases alike: the keys are compared by code point
    (binary collation on MariaDB), so no collation decides what counts as the same letter.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def name_key(name: str) -> str:
    """What a name sorts by: folded ('iPhone' next to 'IPHONE', before 'Where'; 'Äpfel' beside
    'Apfel', not after 'Zebra'), so the order is the same on SQLite and MariaDB."""
    return folded(name)[:NAME_KEY_LENGTH]


def name_key_default(context: Any) -> str:
    """Column default for inserts that do not go through the ORM (bulk Core inserts)."""
    return name_key(str(context.get_current_parameters()["name"]))


SEARCH_TERM_LENGTH = 12
# A search term compares by code point on both backends, like the name key.
SearchTerm = String(SEARCH_TERM_LENGTH).with_variant(
    String(SEARCH_TERM_LENGTH, collation="utf8mb4_bin"), "mysql", "mariadb"
)


class MediumText(TypeDecorator[str]):
    """Text of any length a sale could reach: TEXT, and MEDIUMTEXT (16 MB) on MySQL, whose TEXT
    stops at 64 kB."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name in {"mysql", "mariadb"}:
            from sqlalchemy.dialects.mysql import MEDIUMTEXT

            return dialect.type_descriptor(MEDIUMTEXT())
        return dialect.type_descriptor(Text())


def search_key(text: str) -> str:
    """What searches compare: the text folded as names are for sorting, so neither case nor
    accents count ('apfel' finds 'Äpfel')."""
    return folded(text)
