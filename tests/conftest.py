"""Fixtures shared by every test: settings in a temporary data dir, one database per backend."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from argon2 import PasswordHasher

from pos_app.db.engine import Database, create_database
from pos_app.services.context import ServiceContext
from tests import dbutil

BACKENDS = ["sqlite", "mysql"]
TEST_SECRET = "test-secret-" + "x" * 32
LONG_SESSIONS = timedelta(days=3650)
_mysql_tests_run = 0


class FakeClock:
    """A clock tests can move; starts at a fixed instant."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 10, 14, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def fast_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dbutil.migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def mysql_session_url() -> Iterator[str | None]:
    if not dbutil.mysql_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("MariaDB is not reachable at 127.0.0.1:3306 and CI=true.")
        yield None
        return
    with dbutil.temporary_mysql_database() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    mysql_session_url: str | None,
) -> Iterator[Database]:
    """A migrated, empty database: a copied SQLite file, or the run's MariaDB database emptied."""
    if request.param == "sqlite":
        db = create_database(dbutil.copy_sqlite(sqlite_template, tmp_path / "till.sqlite3"))
        yield db
        db.dispose()
        return
    if mysql_session_url is None:
        pytest.skip("MariaDB is not reachable")
    global _mysql_tests_run
    _mysql_tests_run += 1
    db = create_database(mysql_session_url)
    dbutil.empty_all_tables(db.engine)
    yield db
    db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def shop_timezone() -> ZoneInfo:
    return ZoneInfo("Europe/Berlin")


@pytest.fixture
def ctx(database: Database, clock: FakeClock, shop_timezone: ZoneInfo) -> ServiceContext:
    return ServiceContext(
        database=database,
        timezone=shop_timezone,
        till_id="till-1",
        jwt_secret=TEST_SECRET,
        password_hasher=fast_hasher(),
        clock=clock,
        # Tests move the clock by days and months; sessions must outlive that (test_auth checks
        # the real lifetime with a context of its own).
        token_ttl=LONG_SESSIONS,
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.write_line(f"MariaDB: {_mysql_tests_run} tests ran against MariaDB.")
    matrix = sys.modules.get("tests.services.test_role_matrix")
    results = getattr(matrix, "RESULTS", None)
    if results and results["cells"]:
        terminalreporter.write_line(
            f"Role matrix: {results['functions']} functions x {results['actors']} actors per "
            f"backend; {results['passed']} of {results['cells']} calls answered as required."
        )
    _hostile_summary(terminalreporter)


def _hostile_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Both hostile suites: the hand-written field cases and the table over every function."""
    focused = getattr(sys.modules.get("tests.concurrency.test_hostile"), "RUNS", None) or {}
    everywhere = sys.modules.get("tests.concurrency.test_hostile_everywhere")
    stats = getattr(everywhere, "STATS", None) or {}
    functions = set(getattr(everywhere, "FUNCTIONS", ()))
    functions |= {name.split("(")[0] for name in focused}
    examples = sum(focused.values()) + stats.get("examples", 0)
    if not examples:
        return
    seconds = ", ".join(
        f"{key.split()[1]} {value} s" for key, value in sorted(stats.items()) if " " in key
    )
    terminalreporter.write_line(
        f"Hostile input: {examples} examples over {len(functions)} functions, "
        f"{stats.get('untyped', 0)} untyped" + (f" ({seconds})." if seconds else ".")
    )
