"""Start-up: connect to the configured database, bring its schema up to date, build the context.

Every failure becomes a :class:`~pos_app.config.ConfigError` with one sentence that names the
setting to fix, so the command line and the GUI can show it as it is.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from pos_app.config import ConfigError, Settings, jwt_secret
from pos_app.db.engine import MYSQL_READ_TIMEOUT_S, Database, create_database
from pos_app.db.migrate import (
    MigrationsMissingError,
    current_revision,
    head_revision,
    upgrade_if_behind,
)
from pos_app.db.startup_lock import StartupLockTimeout, startup_lock
from pos_app.db.tables import users
from pos_app.domain.discount_limits import DiscountLimits
from pos_app.services import sessions
from pos_app.services.access import UserSession, user_info
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError
from pos_app.services.roles import Role

if TYPE_CHECKING:
    from pos_app.services import demo_data

SETTING = "POS_DATABASE_URL"
SYSTEM_SESSION_TTL = timedelta(hours=1)
log = logging.getLogger(__name__)
# MySQL client and server error numbers worth a sentence of their own.
_MYSQL_ACCESS_DENIED = 1045
_MYSQL_DB_ACCESS_DENIED = 1044
_MYSQL_UNKNOWN_DATABASE = 1049
_MYSQL_CANNOT_CONNECT = 2003
_MYSQL_UNKNOWN_HOST = 2005
_MYSQL_SERVER_GONE = 2013


def open_context(
    settings: Settings,
    *,
    migrate: bool = True,
    on_wait: Callable[[str], None] | None = None,
    read_timeout_s: float = MYSQL_READ_TIMEOUT_S,
) -> ServiceContext:
    """A ready service context: the database reachable and, unless told not to, at the head.

    ``on_wait`` hears a sentence when another till is upgrading the same database first;
    ``read_timeout_s`` is how long one MySQL statement may take (a till's default, or a command's).
    """
    database = connect(settings, read_timeout_s=read_timeout_s)
    try:
        if migrate:
            upgrade(settings, database, on_wait=on_wait)
        return ServiceContext(
            database=database,
            timezone=settings.timezone,
            till_id=settings.till_id,
            jwt_secret=_secret(settings),
            default_tax_bp=settings.default_tax_bp,
            scale_label_layout=settings.scale_label_layout,
            discount_limits=DiscountLimits(
                settings.cashier_discount_limit_bp, settings.manager_discount_limit_bp
            ),
            currency=settings.currency,
            locale=settings.locale,
        )
    except BaseException:
        database.dispose()
        raise


def connect(settings: Settings, *, read_timeout_s: float = MYSQL_READ_TIMEOUT_S) -> Database:
    """Open the configured database and prove it answers; ConfigError naming the setting if not."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_path(url.database)
    try:
        database = create_database(settings.database_url, read_timeout_s=read_timeout_s)
    except OSError as exc:
        raise ConfigError(
            f"{SETTING}: cannot create the SQLite file '{url.database}' ({_reason(exc)})."
        ) from exc
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        database.dispose()
        raise ConfigError(describe_connection_error(settings, exc)) from exc
    return database


def upgrade(
    settings: Settings, database: Database, *, on_wait: Callable[[str], None] | None = None
) -> None:
    """Bring the schema to the newest revision, one till at a time; ConfigError if that fails."""
    try:
        with startup_lock(database.engine, _waiting(on_wait)):
            upgrade_if_behind(database.engine, settings.timezone)
    except StartupLockTimeout as exc:
        raise ConfigError(
            f"{SETTING}: {exc}; start this till again once the other one is running."
        ) from exc
    except MigrationsMissingError as exc:
        raise ConfigError(
            "This installation of Till is incomplete: its database migrations are missing "
            f"({exc}); reinstall Till."
        ) from exc
    except _alembic_command_error() as exc:
        raise ConfigError(
            f"{SETTING}: the database was made by a newer version of Till ({exc}); "
            "install that version or point the setting at another database."
        ) from exc
    except SQLAlchemyError as exc:
        raise ConfigError(
            f"{SETTING}: upgrading the database schema failed ({_first_line(exc)})."
        ) from exc


def _alembic_command_error() -> type[Exception]:
    """Alembic's error class, imported only when a database needed Alembic and it failed."""
    from alembic.util import CommandError

    return CommandError


def revisions(database: Database) -> tuple[str | None, str | None]:
    """(the database's schema revision, the newest one this version of Till knows)."""
    try:
        return current_revision(database.engine), head_revision()
    except SQLAlchemyError as exc:
        raise ConfigError(
            f"{SETTING}: cannot read the schema revision ({_first_line(exc)})."
        ) from exc


def has_users(ctx: ServiceContext) -> bool:
    """Whether anyone can log in yet: a database without users gets the demo shop."""
    from pos_app.services import auth

    return bool(auth.count_users(ctx))


def ensure_demo_data(
    ctx: ServiceContext,
    progress: demo_data.Progress | None = None,
    *,
    on_wait: Callable[[str], None] | None = None,
) -> demo_data.DemoSummary | None:
    """Seed the demo shop into a database without users; leave any other database alone.

    Tills started together on a new database seed it once: the others wait, then find users.
    """
    from pos_app.services import auth, demo_data

    if auth.count_users(ctx):
        return None

    try:
        with startup_lock(ctx.database.engine, _waiting(on_wait)):
            if auth.count_users(ctx):
                return None
            return demo_data.seed_demo(ctx, progress=progress)
    except StartupLockTimeout as exc:
        raise ConfigError(
            f"{SETTING}: {exc}; start this till again once the other one is running."
        ) from exc


def _waiting(on_wait: Callable[[str], None] | None) -> Callable[[str], None]:
    def report(message: str) -> None:
        log.warning(message)
        if on_wait is not None:
            on_wait(message)

    return report


@contextmanager
def system_session(ctx: ServiceContext) -> Iterator[UserSession]:
    """A session of the first active owner for one command-line command, revoked when it ends.

    Command-line tools act as the shop's owner. That proves nothing the person running them does
    not already have: they hold the database and the secret that signs sessions. The session
    exists so that every service call still goes through the one check, with a token row that is
    short-lived and revoked afterwards, and so that audit rows name the owner.
    """
    with ctx.connection() as connection:
        user = connection.execute(
            select(users)
            .where(users.c.role == Role.OWNER.value, users.c.is_active.is_(True))
            .order_by(users.c.id)
            .limit(1)
        ).first()
        if user is None:
            raise NotFoundError(
                "There is no active owner account; create one with 'pos-app create-user'."
            )
        token, _expires = sessions.issue_token(ctx, connection, user, ctx.now(), SYSTEM_SESSION_TTL)
        owner = UserSession(token=token, user=user_info(user))
        connection.commit()
    try:
        yield owner
    finally:
        sessions.logout(ctx, token)


def describe_connection_error(settings: Settings, error: SQLAlchemyError) -> str:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return f"{SETTING}: cannot open the SQLite file '{url.database}' ({_first_line(error)})."
    code = _mysql_code(error)
    where = f"{url.host or 'localhost'}:{url.port or 3306}"
    if code == _MYSQL_ACCESS_DENIED:
        return (
            f"{SETTING}: the MySQL server at {where} refused the user name or password "
            f"for '{url.username}'."
        )
    if code == _MYSQL_DB_ACCESS_DENIED:
        return f"{SETTING}: the user '{url.username}' may not use the database '{url.database}'."
    if code == _MYSQL_UNKNOWN_DATABASE:
        return (
            f"{SETTING}: the database '{url.database}' does not exist on the MySQL server "
            f"at {where}; create it first."
        )
    if code in {_MYSQL_CANNOT_CONNECT, _MYSQL_SERVER_GONE}:
        return f"{SETTING}: cannot reach the MySQL server at {where}; is it running?"
    if code == _MYSQL_UNKNOWN_HOST:
        return f"{SETTING}: the MySQL host '{url.host}' is unknown."
    return f"{SETTING}: cannot connect to the database at {where} ({_first_line(error)})."


def _check_sqlite_path(database: str | None) -> None:
    if not database or database == ":memory:":
        return
    path = Path(database)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"{SETTING}: cannot create the folder for the SQLite file '{path}' ({_reason(exc)})."
        ) from exc
    if path.is_dir():
        raise ConfigError(f"{SETTING}: '{path}' is a folder, not a SQLite file.")
    # SQLite writes its -wal and -shm files next to the database, so the folder must be writable.
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError(f"{SETTING}: the SQLite file '{path}' is not writable.")


def _secret(settings: Settings) -> str:
    try:
        return jwt_secret(settings)
    except OSError as exc:
        raise ConfigError(
            f"POS_DATA_DIR: cannot keep the session secret in '{settings.data_dir}' "
            f"({_reason(exc)})."
        ) from exc


def _mysql_code(error: SQLAlchemyError) -> int | None:
    original = error.orig if isinstance(error, DBAPIError) else None
    args = getattr(original, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _first_line(error: BaseException) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    args = getattr(original, "args", ())
    message = str(args[-1]) if args else str(original)
    return (message.strip().splitlines() or [type(original).__name__])[0].rstrip(".")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).rstrip(".")
