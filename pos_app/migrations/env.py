"""Alembic environment: our models' metadata, the URL from our settings or a passed connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from pos_app.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_with_connection(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with_connection(connection)
        return
    from pos_app.config import load_settings
    from pos_app.db.engine import create_engine_for

    settings = load_settings()
    # Data migrations read the shop's zone from here, never from the settings themselves.
    config.attributes.setdefault("timezone", settings.timezone)
    url = config.get_main_option("sqlalchemy.url") or settings.database_url
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            run_with_connection(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_online()
