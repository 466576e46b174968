"""What happens at one till: its shifts (declared in ``pos_app.db.tables``) and the carts it
holds for later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db import tables
from pos_app.db.models.base import Base, fk, intpk, utc_timestamp
from pos_app.db.types import UTCDateTime


class Shift(Base):
    __table__ = tables.shifts

    id: Mapped[int]
    till_id: Mapped[str]
    open_till_id: Mapped[str | None]
    opened_by: Mapped[int]
    opened_at: Mapped[datetime]
    float_cents: Mapped[int]
    closed_by: Mapped[int | None]
    closed_at: Mapped[datetime | None]
    counted_cents: Mapped[int | None]
    expected_cash_cents: Mapped[int | None]
    difference_cents: Mapped[int | None]
    void_count: Mapped[int]
    void_cents: Mapped[int]


class HeldCart(Base):
    __tablename__ = "held_carts"
    __table_args__ = (Index("ix_held_carts_recalled_at_created_at", "recalled_at", "created_at"),)

    id: Mapped[intpk]
    uuid: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int] = fk("users.id")
    label: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    lines_json: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[utc_timestamp]
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_by: Mapped[int | None] = fk("users.id", nullable=True)
    recalled_till: Mapped[str | None] = mapped_column(String(64))


__all__ = ["HeldCart", "Shift"]
