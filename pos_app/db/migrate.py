"""Run the Alembic migrations from inside the application.

The revisions ship inside the package (``pos_app/migrations``), so an installed wheel can build its
database; Alembic is configured here rather than from an ``alembic.ini`` that a wheel does not
have. The checkout's ``alembic.ini`` points at the same folder for ``alembic upgrade head``.

Importing Alembic and loading its revision scripts costs a command about 0.2 s, so a database
already at the newest revision is recognised without it: the revision ids are read from the
scripts' text and compared with the ``alembic_version`` table.
"""

from __future__ import annotations

import re
from importlib.resources import files
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# A package resource: Alembic finds it through importlib.resources wherever the package is.
SCRIPT_LOCATION = "pos_app:migrations"
VERSION_TABLE = "alembic_version"
_REVISION = re.compile(r"^revision(?:: str)? = ['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"^down_revision(?:: [^=]+)? = (?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE
)


class MigrationsMissingError(RuntimeError):
    """The revision scripts are not where the package keeps them (a broken installation)."""


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if engine is not None:
        config.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return config


def upgrade_to_head(engine: Engine, timezone: ZoneInfo | None = None) -> None:
    """Upgrade in one transaction; ``timezone`` (default: the settings') is the shop's zone,
    which data migrations read from ``config.attributes["timezone"]``."""
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        config.attributes["timezone"] = timezone or _settings_timezone()
        command.upgrade(config, "head")


def _settings_timezone() -> ZoneInfo:
    from pos_app.config import load_settings

    return load_settings().timezone


def upgrade_if_behind(engine: Engine, timezone: ZoneInfo | None = None) -> None:
    """Upgrade to the newest revision; a database already there is left alone without Alembic."""
    head = packaged_head()
    if head is None or stored_revision(engine) != head:
        upgrade_to_head(engine, timezone)


def downgrade_to_base(engine: Engine) -> None:
    from alembic import command

    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def packaged_head() -> str | None:
    """The newest revision as read from the shipped scripts' text; None if that is not one clear
    answer (several heads, an unusual script), and then Alembic has to decide."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for source in _revision_sources():
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _revision_sources() -> list[str]:
    folder = files("pos_app") / "migrations" / "versions"
    try:
        scripts = [s for s in folder.iterdir() if s.name.endswith(".py")]
        sources = [script.read_text(encoding="utf-8") for script in scripts]
    except OSError as exc:
        raise MigrationsMissingError(f"cannot read {folder} ({exc.strerror or exc})") from exc
    if not sources:
        raise MigrationsMissingError(f"{folder} holds no revisions")
    return sources


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read with plain SQL; None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    return str(versions[0][0]) if len(versions) == 1 else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
