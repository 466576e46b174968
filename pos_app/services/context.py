"""What every service call needs: the database, the shop's clock and zone, and this till's id."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from pos_app.db.engine import Database
from pos_app.db.types import utcnow
from pos_app.services.errors import DatabaseUnavailableError

CONNECTION_LOST = "The connection to the database was lost; nothing was saved. Please try again."


@dataclass(frozen=True)
class ServiceContext:
    database: Database
    timezone: ZoneInfo
    till_id: str
    jwt_secret: str
    token_ttl: timedelta = timedelta(hours=12)
    password_hasher: PasswordHasher = field(default_factory=PasswordHasher)
    clock: Callable[[], datetime] = utcnow
    default_tax_bp: int = 0
    refund_approval_cents: int = 5000

    def now(self) -> datetime:
        return self.clock()

    def local_date(self, moment: datetime) -> date:
        """The shop's calendar day at an instant."""
        return moment.astimezone(self.timezone).date()

    @contextmanager
    def unit_of_work(self, *, readonly: bool = False) -> Iterator[Session]:
        """One transaction: rolled back unless the service commits; lost connections translated."""
        try:
            with self.database.session(readonly=readonly) as session:
                yield session
        except OperationalError as exc:
            raise DatabaseUnavailableError(CONNECTION_LOST) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise DatabaseUnavailableError(CONNECTION_LOST) from exc
            raise
