"""People who use the till and their sessions (tables in ``pos_app.db.tables``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from pos_app.db import tables
from pos_app.db.models.base import Base

ROLES = ("cashier", "manager", "owner")


class User(Base):
    __table__ = tables.users

    id: Mapped[int]
    email: Mapped[str]
    first_name: Mapped[str]
    last_name: Mapped[str]
    password_hash: Mapped[str]
    role: Mapped[str]
    is_active: Mapped[bool]
    timezone: Mapped[str | None]
    last_login: Mapped[datetime | None]
    failed_logins: Mapped[int]
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Token(Base):
    __table__ = tables.tokens

    id: Mapped[int]
    user_id: Mapped[int]
    token_hash: Mapped[str]
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked: Mapped[bool]


__all__ = ["ROLES", "Token", "User"]
