"""Roles, and the plain description of an account (which proves nothing by itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.roles import Role as Role


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str
    first_name: str
    last_name: str
    role: Role
    is_active: bool
    timezone: str | None = None
    last_login: datetime | None = None
    created_at: datetime | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
