"""The declarative base every model shares, its naming convention, and two helpers."""

from __future__ import annotations

from sqlalchemy import ForeignKey, MetaData, Table
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pos_app.db.types import BigIntPK

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Mapped[int]:
    return mapped_column(
        BigIntPK, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
    )


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for statements built once at import and run many times."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


__all__ = ["NAMING_CONVENTION", "Base", "fk", "table_of"]
