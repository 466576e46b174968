"""The audit log (table in ``pos_app.db.tables``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from pos_app.db import tables
from pos_app.db.models.base import Base


class AuditEntry(Base):
    """Append-only: rows are inserted, never updated or deleted."""

    __table__ = tables.audit_log

    id: Mapped[int]
    created_at: Mapped[datetime]
    user_id: Mapped[int | None]
    till_id: Mapped[str]
    action: Mapped[str]
    subject: Mapped[str]
    detail: Mapped[str]


__all__ = ["AuditEntry"]
