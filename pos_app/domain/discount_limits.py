"""How much each role may give away without someone above approving: a setting of the shop that
every service call carries (``ServiceContext.discount_limits``); the rules that apply it are in
``pos_app.domain.approvals``."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.domain.roles import Role
from pos_app.domain.tax import BP_PER_UNIT

DEFAULT_CASHIER_DISCOUNT_LIMIT_BP = 1000
DEFAULT_MANAGER_DISCOUNT_LIMIT_BP = 5000


@dataclass(frozen=True)
class DiscountLimits:
    """How much each role may give away without someone above approving (basis points)."""

    cashier_bp: int = DEFAULT_CASHIER_DISCOUNT_LIMIT_BP
    manager_bp: int = DEFAULT_MANAGER_DISCOUNT_LIMIT_BP

    def limit_of(self, role: Role | None) -> int:
        if role is None:
            return -1
        if role is Role.OWNER:
            return BP_PER_UNIT
        return self.manager_bp if role is Role.MANAGER else self.cashier_bp

    def can_give(self, role: Role | None, share_bp: int) -> bool:
        return share_bp <= self.limit_of(role)

    def who_can_give(self, share_bp: int) -> str:
        if share_bp <= self.manager_bp:
            return "a manager or the owner"
        return "the owner"


__all__ = [
    "DEFAULT_CASHIER_DISCOUNT_LIMIT_BP",
    "DEFAULT_MANAGER_DISCOUNT_LIMIT_BP",
    "DiscountLimits",
]
