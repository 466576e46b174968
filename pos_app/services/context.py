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
from pos_app.domain.shop_format import ShopFormat
from pos_app.services.errors import DatabaseUnavailableError

CONNECTION_LOST = "The connection to the database was lost; nothing was saved. Please try again."
DATABASE_BUSY = "The database is busy right now; nothing was saved. Please try again."
# MySQL client/server codes for a connection that is gone or cannot be made.
_MYSQL_UNREACHABLE = {1040, 1053, 1927, 2002, 2003, 2005, 2006, 2013, 2055}
# Lock wait timeout and deadlock: the transaction was rolled back and may simply be retried.
_MYSQL_BUSY = {1205, 1213}


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
    shop_format: ShopFormat = field(default_factory=ShopFormat)

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
        except DBAPIError as exc:
            message = _transient_failure(exc)
            if message is None:
                raise
            raise DatabaseUnavailableError(message) from exc


def _transient_failure(exc: DBAPIError) -> str | None:
    """The sentence for a failure that a retry can cure, or None for a real bug."""
    if exc.connection_invalidated:
        return CONNECTION_LOST
    if not isinstance(exc, OperationalError):
        return None
    args = getattr(exc.orig, "args", ())
    code = args[0] if args and isinstance(args[0], int) else None
    if code in _MYSQL_UNREACHABLE:
        return CONNECTION_LOST
    if code in _MYSQL_BUSY:
        return DATABASE_BUSY
    text = str(exc.orig).lower()
    if "database is locked" in text or "database is busy" in text:
        return DATABASE_BUSY
    if "unable to open database" in text or "disk i/o error" in text:
        return CONNECTION_LOST
    return None
