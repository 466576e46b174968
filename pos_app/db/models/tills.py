"""What happens at one till: its shifts and the carts it holds for later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models.base import Base, fk
from pos_app.db.types import UTCDateTime, cents, intpk, utc_timestamp


class Shift(Base):
    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("float_cents >= 0", name="float_non_negative"),
        CheckConstraint("void_count >= 0 AND void_cents >= 0", name="voids_non_negative"),
        Index("ix_shifts_till_id_opened_at", "till_id", "opened_at"),
    )

    id: Mapped[intpk]
    till_id: Mapped[str] = mapped_column(String(64), nullable=False)
    # Equal to till_id while the shift is open, NULL once closed: one open shift per till.
    open_till_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    opened_by: Mapped[int] = fk("users.id")
    opened_at: Mapped[utc_timestamp]
    float_cents: Mapped[cents]
    closed_by: Mapped[int | None] = fk("users.id", nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    counted_cents: Mapped[int | None] = mapped_column(BigInteger)
    expected_cash_cents: Mapped[int | None] = mapped_column(BigInteger)
    difference_cents: Mapped[int | None] = mapped_column(BigInteger)
    void_count: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    void_cents: Mapped[int] = mapped_column(BigInteger, nullable=False, server_default="0")


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
