"""People who use the till and their sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from pos_app.db.models.base import Base, fk
from pos_app.db.types import UTCDateTime, intpk, utc_timestamp

ROLES = ("cashier", "manager", "owner")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('cashier', 'manager', 'owner')", name="role_known"),
        CheckConstraint("failed_logins >= 0", name="failed_logins_non_negative"),
    )

    id: Mapped[intpk]
    # Stored lower-cased by the auth service, so uniqueness is case-insensitive on every backend.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    first_name: Mapped[str] = mapped_column(String(100), nullable=False)
    last_name: Mapped[str] = mapped_column(String(100), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=true())
    timezone: Mapped[str | None] = mapped_column(String(64))
    last_login: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[utc_timestamp]


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = fk("users.id")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    issued_at: Mapped[utc_timestamp]
    expires_at: Mapped[utc_timestamp]
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=false())


__all__ = ["ROLES", "Token", "User"]
