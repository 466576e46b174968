from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from pos_app.db import migrate
from pos_app.db.engine import create_engine_for
from pos_app.db.migrate import (
    MigrationsMissingError,
    current_revision,
    downgrade_to_base,
    head_revision,
    packaged_head,
    stored_revision,
    upgrade_if_behind,
    upgrade_to_head,
)
from pos_app.db.models import Base
from tests import dbutil


@pytest.fixture(params=["sqlite", "mysql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all."""
    if request.param == "sqlite":
        engine = create_engine_for(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield engine
        engine.dispose()
        return
    if not dbutil.mysql_reachable():
        pytest.skip("MariaDB is not reachable")
    with dbutil.temporary_mysql_database(migrate=False) as url:
        engine = create_engine_for(url)
        yield engine
        engine.dispose()


def schema_differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_upgrade_to_head_matches_the_models_exactly(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert schema_differences(empty_engine) == []


def test_downgrade_to_base_leaves_only_the_version_table_and_upgrade_works_again(
    empty_engine: Engine,
) -> None:
    upgrade_to_head(empty_engine)
    downgrade_to_base(empty_engine)
    assert inspect(empty_engine).get_table_names() == ["alembic_version"]
    assert current_revision(empty_engine) is None
    upgrade_to_head(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert schema_differences(empty_engine) == []


def test_every_model_table_is_created(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_the_head_read_from_the_scripts_is_alembics_head() -> None:
    assert packaged_head() == head_revision()


def test_the_stored_revision_read_with_plain_sql_is_alembics(empty_engine: Engine) -> None:
    assert stored_revision(empty_engine) is None
    upgrade_to_head(empty_engine)
    assert stored_revision(empty_engine) == current_revision(empty_engine) == head_revision()


def test_upgrade_if_behind_builds_an_empty_database_and_leaves_a_current_one_alone(
    empty_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgrade_if_behind(empty_engine)
    assert current_revision(empty_engine) == head_revision()

    def must_not_run(engine: Engine) -> None:
        raise AssertionError("a database at the head needs no Alembic")

    monkeypatch.setattr(migrate, "upgrade_to_head", must_not_run)
    upgrade_if_behind(empty_engine)


def test_a_package_without_its_revisions_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "files", lambda package: tmp_path)
    with pytest.raises(MigrationsMissingError, match="versions"):
        packaged_head()
