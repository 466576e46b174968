"""Promotions the till applies by itself, and the products and categories each one covers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pos_app.db.models.base import Base, fk, intpk, utc_timestamp
from pos_app.db.types import BigIntPK, UTCDateTime

PROMOTION_KINDS = ("price_cut", "multi_buy", "bundle")


class Promotion(Base):
    """One promotion; ``ends_on`` None runs until ended. Days are the shop's local days."""

    __tablename__ = "promotions"
    __table_args__ = (
        CheckConstraint("kind IN ('price_cut', 'multi_buy', 'bundle')", name="kind_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="window_ordered"),
        CheckConstraint(
            "percent_bp IS NULL OR (percent_bp > 0 AND percent_bp <= 10000)",
            name="percent_in_range",
        ),
        CheckConstraint("amount_cents IS NULL OR amount_cents > 0", name="amount_positive"),
        CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_non_negative"),
        Index("ix_promotions_window", "starts_on", "ends_on"),
    )

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    percent_bp: Mapped[int | None] = mapped_column(Integer)
    amount_cents: Mapped[int | None] = mapped_column(BigInteger)
    buy_quantity: Mapped[int | None] = mapped_column(Integer)
    pay_quantity: Mapped[int | None] = mapped_column(Integer)
    price_cents: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[utc_timestamp]
    updated_at: Mapped[utc_timestamp]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    targets: Mapped[list[PromotionTarget]] = relationship(
        back_populates="promotion", cascade="all, delete-orphan", order_by="PromotionTarget.id"
    )


class PromotionTarget(Base):
    """A product or a category (exactly one of the two) that a promotion covers.

    The service writes a promotion's targets from sets, so none appears twice.
    """

    __tablename__ = "promotion_targets"
    __table_args__ = (
        CheckConstraint(
            "(product_id IS NULL) <> (category_id IS NULL)", name="product_or_category"
        ),
    )

    id: Mapped[intpk]
    promotion_id: Mapped[int] = mapped_column(
        BigIntPK, ForeignKey("promotions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id: Mapped[int | None] = fk("products.id", nullable=True)
    category_id: Mapped[int | None] = fk("categories.id", nullable=True)

    promotion: Mapped[Promotion] = relationship(back_populates="targets")


__all__ = ["PROMOTION_KINDS", "Promotion", "PromotionTarget"]
