"""Roles, and the plain description of an account (which proves nothing by itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


_RANKS = {Role.CASHIER: 1, Role.MANAGER: 2, Role.OWNER: 3}


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
