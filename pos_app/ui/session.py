"""Who is logged in at this till, and the shop settings screens need."""

from __future__ import annotations

from dataclasses import dataclass

from pos_app.config import Settings
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.money import format_money
from pos_app.services.roles import Role


@dataclass(eq=False)
class UiSession:
    """``user`` is the login's session: screens pass it as ``actor`` and read the name off it.

    Unlocking the till replaces ``user`` with the fresh login's session, for every screen at once.
    """

    ctx: ServiceContext
    settings: Settings
    user: UserSession

    @property
    def token(self) -> str:
        return self.user.token

    def may(self, role: Role) -> bool:
        return self.user.role.allows(role)

    def money(self, cents: int) -> str:
        return format_money(cents, self.settings.currency)
