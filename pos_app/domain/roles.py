"""Who may do what: cashier, then manager, then owner, each allowed what the one before is."""

from __future__ import annotations

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


__all__ = ["Role"]
