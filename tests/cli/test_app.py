from __future__ import annotations

import subprocess
import sys
import types
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pos_app import bootstrap
from pos_app.config import Settings
from pos_app.services import auth, demo_data
from pos_app.services.context import ServiceContext
from pos_app.services.errors import SessionEndedError
from tests import dbutil
from tests.cli.conftest import assert_one_line_error, run
from tests.factories import make_owner


def test_usage_errors_exit_with_two_and_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_one_line_error(run(capsys, "frobnicate"), 2, "pos-app")
    assert_one_line_error(run(capsys, "report", "--from", "yesterday", "--to", "x"), 2, "date")
    assert_one_line_error(run(capsys, "demo-data", "--sales", "many"), 2, "--sales")
    assert_one_line_error(run(capsys, "products"), 2, "ACTION")
    assert_one_line_error(run(capsys, "sales", "export", "out.csv"), 2, "--from")


def test_service_errors_exit_with_one_and_one_sentence(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(capsys, "report", "--from", "2025-02-01", "--to", "2025-01-01")
    assert_one_line_error(result, 1)
    assert result[2].rstrip().endswith(".")


def test_a_bad_setting_is_named(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_TIMEZONE", "Atlantis/Capital")
    assert_one_line_error(run(capsys, "db", "current"), 1, "POS_TIMEZONE")


def test_an_unwritable_sqlite_path_is_named(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = env / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("POS_DATABASE_URL", f"sqlite:///{blocker / 'till.sqlite3'}")
    assert_one_line_error(run(capsys, "db", "upgrade"), 1, "POS_DATABASE_URL", "SQLite")


def test_a_file_that_is_not_a_database_is_named(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    junk = env / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("POS_DATABASE_URL", f"sqlite:///{junk}")
    assert_one_line_error(run(capsys, "db", "upgrade"), 1, "POS_DATABASE_URL")


def test_an_unreachable_mysql_server_is_named(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POS_DATABASE_URL", "mysql+pymysql://till:secret@127.0.0.1:1/till")
    assert_one_line_error(run(capsys, "db", "current"), 1, "POS_DATABASE_URL", "cannot reach")


def test_a_wrong_mysql_password_or_database_is_one_sentence(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not dbutil.mysql_reachable():
        pytest.skip("MariaDB is not reachable")
    server = f"{dbutil.MYSQL_HOST}:{dbutil.MYSQL_PORT}"
    wrong = f"mysql+pymysql://{dbutil.MYSQL_USER}:definitely-wrong-1@{server}/mysql"
    monkeypatch.setenv("POS_DATABASE_URL", wrong)
    assert_one_line_error(run(capsys, "db", "upgrade"), 1, "POS_DATABASE_URL", "password")
    missing = dbutil.mysql_url("till_no_such_database_here")
    monkeypatch.setenv("POS_DATABASE_URL", missing)
    assert_one_line_error(run(capsys, "db", "upgrade"), 1, "does not exist")


def fake_gui(run_gui: Any, problem: str | None = None) -> types.SimpleNamespace:
    """Stands in for pos_app.ui.app, so no window opens."""
    return types.SimpleNamespace(run_gui=run_gui, display_problem=lambda env=None: problem)


def test_run_migrates_seeds_and_hands_over_to_the_gui(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def run_gui(settings: Settings, ctx: ServiceContext) -> int:
        with bootstrap.system_session(ctx) as owner:
            seen["owner"] = owner.email
        return 7

    original = demo_data.seed_demo
    monkeypatch.setattr(
        demo_data, "seed_demo", lambda ctx, **kw: original(ctx, sales=30, days=7, **kw)
    )
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(run_gui))
    code, _, err = run(capsys)
    assert code == 7
    assert seen["owner"] == "owner@till.example"
    assert "owner@till.example" in err


def test_run_stops_with_the_display_problem_before_touching_the_database(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def run_gui(settings: Settings, ctx: ServiceContext) -> int:
        raise AssertionError("the window must not open")

    problem = "No display was found: run 'xvfb-run pos-app'."
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(run_gui, problem))
    assert_one_line_error(run(capsys, "run"), 1, "xvfb-run")
    assert not (env / "data" / "till.sqlite3").exists()


def test_python_dash_m_is_the_same_command(env: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pos_app", "db", "current"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "run 'pos-app db upgrade'" in result.stdout


def test_the_command_line_acts_through_an_owner_session_revoked_when_it_ends(
    ctx: ServiceContext,
) -> None:
    owner = make_owner(ctx)
    with bootstrap.system_session(ctx) as session:
        assert session.id == owner.id and session.token != owner.token
        assert auth.current_user(ctx, session.token).id == owner.id
    with pytest.raises(SessionEndedError, match="logged out"):
        auth.current_user(ctx, session.token)
    assert auth.current_user(ctx, owner.token).id == owner.id
