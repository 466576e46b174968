"""What every service call needs: the database, the shop's clock and zone, and this till's id."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, ParamSpec, TypeAlias, TypeVar
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from pos_app.db.engine import Database
from pos_app.db.types import utcnow
from pos_app.domain.discount_limits import DiscountLimits
from pos_app.domain.money import DEFAULT_LOCALE
from pos_app.domain.scale_labels import DEFAULT_LAYOUT, LabelLayout, parse_layout
from pos_app.domain.shop_format import ShopFormat
from pos_app.services.errors import DatabaseBusyError, DatabaseUnavailableError

CONNECTION_LOST = "The connection to the database was lost; nothing was saved. Please try again."
DATABASE_BUSY = "The database is busy right now; nothing was saved. Please try again."
OUTCOME_UNKNOWN = (
    "The connection to the database was lost while saving and the till cannot tell whether it "
    "was saved. Please try again once it is connected: it will not be recorded twice."
)
# A deadlock victim or a timed-out lock wait is run again this often, after a growing random pause.
BUSY_ATTEMPTS = 4
BUSY_PAUSE_S = 0.02
# Asking a fresh connection whether a commit whose answer was lost went through.
CONFIRM_PAUSES_S = (0.0, 0.2, 0.5, 1.0)
# MySQL client/server codes for a connection that is gone or cannot be made.
_MYSQL_UNREACHABLE = {1040, 1053, 1927, 2002, 2003, 2005, 2006, 2013, 2055}
# Lock wait timeout and deadlock: the transaction was rolled back and may simply be retried.
_MYSQL_BUSY = {1205, 1213}

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# What a statement runs on: a unit of work's session, or the Core connection of a service that
# reads and writes without the ORM (``ServiceContext.connection``).
Transaction: TypeAlias = "Session | Connection"


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
    # How the shop's scale labels are read (POS_SCALE_LABEL_LAYOUT).
    scale_label_layout: LabelLayout = field(default_factory=lambda: parse_layout(DEFAULT_LAYOUT))
    discount_limits: DiscountLimits = field(default_factory=DiscountLimits)
    # The shop's currency (POS_CURRENCY) and locale (POS_LOCALE), for the amounts in the
    # sentences services write and the plain amounts of exports.
    currency: str = "EUR"
    locale: str = DEFAULT_LOCALE

    @property
    def shop_format(self) -> ShopFormat:
        return ShopFormat(self.locale, self.currency)

    def money(self, cents: int) -> str:
        """An amount in the shop's currency, as a message shows it: '£5.00', '5,00 €'."""
        return self.shop_format.money(cents)

    def now(self) -> datetime:
        return self.clock()

    def local_date(self, moment: datetime) -> date:
        """The shop's calendar day at an instant."""
        return moment.astimezone(self.timezone).date()

    @contextmanager
    def unit_of_work(self, *, readonly: bool = False) -> Iterator[Session]:
        """One transaction: rolled back unless the service commits; lost connections translated."""
        with _translated_failures(), self.database.session(readonly=readonly) as session:
            yield session

    @contextmanager
    def connection(self, *, readonly: bool = False) -> Iterator[Connection]:
        """``unit_of_work`` on a Core connection, for services whose statements are all Core:
        the sale (the till's most frequent write) and what a command reads, which would pay
        more for building an ORM session, or importing the ORM, than for the work."""
        with _translated_failures(), self.database.connection(readonly=readonly) as connection:
            yield connection

    def commit(self, session: Session | Connection, *, stored: Callable[[Session], bool]) -> None:
        """Commit a write whose id ``stored`` can look up; tell the truth when the answer is lost.

        A connection lost during the commit leaves its outcome unknown. A fresh connection then
        asks ``stored`` (with a short retry): saved, this returns as if the commit had answered;
        not saved, it raises "nothing was saved"; no answer at all, it raises OUTCOME_UNKNOWN.
        """
        self.run_commit(session.commit, stored=stored)

    def run_commit(self, commit: Callable[[], T], *, stored: Callable[[Session], bool]) -> T | None:
        """Run ``commit``, whatever commits a write (a commit, a statement batch that ends with
        one), as ``commit`` above: its answer, or None when the answer was lost and a fresh
        connection found the write saved."""
        try:
            return commit()
        except DBAPIError as exc:
            if _transient_failure(exc) != CONNECTION_LOST:
                raise
            saved = self._confirm(stored)
            if saved is None:
                raise DatabaseUnavailableError(OUTCOME_UNKNOWN) from exc
            if not saved:
                raise DatabaseUnavailableError(CONNECTION_LOST) from exc
            log.warning("The answer to a commit was lost; a fresh connection found it saved.")
            return None

    def _confirm(self, stored: Callable[[Session], bool]) -> bool | None:
        for pause in CONFIRM_PAUSES_S:
            time.sleep(pause)
            try:
                with self.unit_of_work(readonly=True) as session:
                    return stored(session)
            except DatabaseUnavailableError:
                continue
        return None


def retry_when_busy(service: Callable[P, T]) -> Callable[P, T]:
    """Run a write service again when the database rolled it back for a deadlock or a lock wait.

    Both leave nothing behind, and sale and refund ids make a repeated call idempotent, so the
    cashier only hears of it when it keeps happening. Tills retrying in step would collide
    again: the pause doubles each time and is random.
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for attempt in range(1, BUSY_ATTEMPTS):
            try:
                return service(*args, **kwargs)
            except DatabaseBusyError:
                time.sleep(random.uniform(0.5, 1.5) * BUSY_PAUSE_S * 2**attempt)
        return service(*args, **kwargs)

    return run


@contextmanager
def _translated_failures() -> Iterator[None]:
    """A lost connection or a busy database as the service error a cashier can read."""
    try:
        yield
    except DBAPIError as exc:
        message = _transient_failure(exc)
        if message is None:
            raise
        if message == DATABASE_BUSY:
            raise DatabaseBusyError(message) from exc
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
