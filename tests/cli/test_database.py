from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pos_app import bootstrap
from pos_app.config import Settings
from pos_app.db.engine import COMMAND_READ_TIMEOUT_S, MYSQL_READ_TIMEOUT_S
from pos_app.services.context import ServiceContext
from tests.cli.conftest import (
    TEMPLATE_SALES,
    assert_one_line_error,
    database_file,
    run,
    scalar,
)


def test_db_upgrade_then_current_reports_the_newest_revision(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "Upgraded the database from empty" in out
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "already at the newest revision" in out
    code, out, _ = run(capsys, "db", "current")
    assert code == 0 and out.strip().endswith("(newest)")


def test_demo_data_draws_progress_and_refuses_a_second_run(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "demo-data", "--sales", "120", "--days", "30")
    assert code == 0
    assert "120 sales" in out
    assert "100.0%" in err and "sales/s" in err
    assert_one_line_error(run(capsys, "demo-data", "--sales", "10"), 1, "--add")
    code, out, _ = run(capsys, "demo-data", "--sales", "10", "--add")
    assert code == 0 and "10 sales" in out


def test_create_user_needs_a_manager_once_the_first_account_exists(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = ("create-user", "--first-name", "Ann", "--last-name", "Lee", "--password", "pass-word-1")
    code, out, _ = run(capsys, *new, "--email", "ann@shop.test", "--role", "cashier")
    assert code == 0 and "owner account ann@shop.test" in out
    assert_one_line_error(run(capsys, *new, "--email", "bo@shop.test"), 1, "--as-email")
    login = ("--as-email", "ann@shop.test", "--as-password", "pass-word-1")
    code, out, _ = run(capsys, *new, "--email", "bo@shop.test", "--role", "manager", *login)
    assert code == 0 and "manager account bo@shop.test" in out
    bad = ("--as-email", "ann@shop.test", "--as-password", "wrong-pass")
    assert_one_line_error(run(capsys, *new, "--email", "cy@shop.test", *bad), 1)


def test_backup_then_restore_brings_back_the_sales_of_that_moment(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "backup", str(env / "monday.sqlite3"))
    assert code == 0, err
    assert f"Backed up {TEMPLATE_SALES} sales" in out and "monday.sqlite3" in out
    assert "100.0%" in err
    code, _, _ = run(capsys, "demo-data", "--sales", "25", "--days", "3", "--add")
    assert code == 0
    assert scalar(env, "SELECT count(*) FROM sales") == TEMPLATE_SALES + 25

    code, out, err = run(capsys, "restore", "--yes", str(env / "monday.sqlite3"))
    assert code == 0, err
    assert f"{TEMPLATE_SALES} sales" in out
    assert scalar(env, "SELECT count(*) FROM sales") == TEMPLATE_SALES


def test_restore_asks_first_and_a_no_leaves_the_database_alone(
    seeded: date, env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "backup", str(env / "copy.sqlite3"))[0] == 0
    assert run(capsys, "demo-data", "--sales", "5", "--days", "1", "--add")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, _, err = run(capsys, "restore", str(env / "copy.sqlite3"))
    assert code == 1
    assert "Replace the database" in err and "Nothing was restored." in err
    assert scalar(env, "SELECT count(*) FROM sales") == TEMPLATE_SALES + 5

    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert run(capsys, "restore", str(env / "copy.sqlite3"))[0] == 0
    assert scalar(env, "SELECT count(*) FROM sales") == TEMPLATE_SALES


def test_backup_and_restore_refuse_what_they_cannot_use(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_one_line_error(run(capsys, "backup", str(env / "b.sqlite3")), 1, "no database file")
    assert_one_line_error(run(capsys, "restore", "--yes", str(env / "nope")), 1, "no backup file")
    (env / "junk.sqlite3").write_bytes(b"junk" * 1000)
    assert run(capsys, "db", "upgrade")[0] == 0
    before = database_file(env).read_bytes()
    result = run(capsys, "restore", "--yes", str(env / "junk.sqlite3"))
    assert_one_line_error(result, 1, "junk.sqlite3")
    assert database_file(env).read_bytes() == before


def test_backup_and_restore_of_a_mysql_database_name_the_mysql_tools(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_DATABASE_URL", "mysql+pymysql://till:secret@db.local/till")
    assert_one_line_error(
        run(capsys, "backup", str(env / "b.sql")), 1, "mysqldump", "--host=db.local"
    )
    result = run(capsys, "restore", str(env / "b.sql"))
    assert_one_line_error(result, 1, "mysql --host=db.local")
    assert "secret" not in result[2]


def test_a_command_waits_longer_for_a_statement_than_a_till(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[float] = []
    open_context = bootstrap.open_context

    def recording(settings: Settings, **options: Any) -> ServiceContext:
        asked.append(options.get("read_timeout_s", MYSQL_READ_TIMEOUT_S))
        return open_context(settings, **options)

    monkeypatch.setattr(bootstrap, "open_context", recording)
    code, _, _ = run(capsys, "demo-data", "--sales", "10", "--days", "5")
    assert code == 0
    assert asked == [COMMAND_READ_TIMEOUT_S]
    assert COMMAND_READ_TIMEOUT_S >= 10 * MYSQL_READ_TIMEOUT_S
