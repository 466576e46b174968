"""Roles and the one check every service call makes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pos_app.domain.roles import Role as Role
from pos_app.services.errors import PermissionDeniedError

_ACTION_NAMES = {
    Role.CASHIER: "cashiers",
    Role.MANAGER: "managers and owners",
    Role.OWNER: "owners",
}


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


def require_role(actor: UserInfo, needed: Role, action: str) -> None:
    """Raise unless ``actor`` may do ``action`` (a phrase such as 'restock products')."""
    if not actor.is_active or not actor.role.allows(needed):
        raise PermissionDeniedError(f"Only {_ACTION_NAMES[needed]} can {action}.")
