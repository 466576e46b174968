"""Tills switched on together at a new database: every one starts, the schema and the demo shop
are made once, and the tills that waited say so."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pos_app.db.engine import create_engine_for
from pos_app.db.migrate import current_revision, head_revision
from pos_app.db.models import Sale, User
from pos_app.db.startup_lock import WAITING, startup_lock
from tests import dbutil
from tests.concurrency.tillproc import launch_processes

TILLS = 4
DEMO_SALES = 30


@pytest.fixture(params=["sqlite", "mysql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'new-shop.sqlite3'}"
        return
    if not dbutil.mysql_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("MariaDB is not reachable and CI=true.")
        pytest.skip("MariaDB is not reachable")
    with dbutil.temporary_mysql_database(migrate=False) as url:
        yield url


@pytest.mark.slow
def test_tills_starting_together_on_a_new_database_all_start_and_seed_it_once(
    empty_url: str, tmp_path: Path
) -> None:
    commands = [
        [sys.executable, "-m", "tests.concurrency.startproc", empty_url,
         str(tmp_path / f"data-{n}"), str(DEMO_SALES)]
        for n in range(TILLS)
    ]  # fmt: skip
    engine = create_engine_for(empty_url)
    held = ExitStack()
    # Held until the tills are all running, so that they all wait and then race for it at once.
    held.enter_context(startup_lock(engine))
    try:
        summaries = launch_processes(commands, timeout=120, on_tick=held.close)
    finally:
        held.close()

    assert [s.get("error") for s in summaries] == [None] * TILLS
    seeders = [s for s in summaries if s["seeded_users"]]
    assert len(seeders) == 1, summaries
    assert seeders[0]["seeded_sales"] == DEMO_SALES
    assert all(WAITING in s["waited"] for s in summaries), summaries
    with engine.connect() as connection:
        users = connection.scalar(select(func.count()).select_from(User))
        sales = connection.scalar(select(func.count()).select_from(Sale))
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert (users, sales) == (seeders[0]["seeded_users"], DEMO_SALES)
