"""The declarative base every model shares, the column types they annotate, and two helpers.

The base maps onto ``pos_app.db.tables.metadata``, where the tables also used without the ORM
are declared; the models of those tables map them rather than declaring them again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlalchemy import BigInteger, ForeignKey, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pos_app.db.tables import NAMING_CONVENTION, metadata
from pos_app.db.types import BigIntPK, UTCDateTime

intpk = Annotated[int, mapped_column(BigIntPK, primary_key=True, autoincrement=True)]
cents = Annotated[int, mapped_column(BigInteger, nullable=False)]
utc_timestamp = Annotated[datetime, mapped_column(UTCDateTime(), nullable=False)]


class Base(DeclarativeBase):
    metadata = metadata


def fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Mapped[int]:
    return mapped_column(
        BigIntPK, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
    )


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for statements built once at import and run many times."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "cents",
    "fk",
    "intpk",
    "table_of",
    "utc_timestamp",
]
