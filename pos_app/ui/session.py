"""Who is logged in at this till, and the shop settings screens need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pos_app.config import Settings
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.money import ShopFormat
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
        return self.settings.shop_format.money(cents)

    def when(self, moment: datetime, *, seconds: bool = False) -> str:
        """A stored moment (UTC; naive means UTC) as the shop's short date and time."""
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        local = aware.astimezone(self.settings.timezone)
        if seconds:
            return f"{self.fmt.date(local)} {self.fmt.time_with_seconds(local)}"
        return self.fmt.date_time(local)

    @property
    def fmt(self) -> ShopFormat:
        """The shop's way of writing money and dates."""
        return self.settings.shop_format
