from __future__ import annotations

import csv
import io
import subprocess
import sys
import types
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos_app import bootstrap, cli
from pos_app.config import Settings
from pos_app.services import demo_data
from pos_app.services.context import ServiceContext
from tests import dbutil

Run = tuple[int, str, str]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data dir and SQLite file; no .env file from the developer's checkout."""
    monkeypatch.chdir(tmp_path)
    for name in ("POS_DATABASE_URL", "POS_DOTENV", "POS_CURRENCY", "POS_TILL_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POS_DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'till.sqlite3'}")
    monkeypatch.setenv("POS_TIMEZONE", "Europe/Berlin")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(result: Run, code: int, *words: str) -> None:
    assert result[0] == code
    lines = result[2].strip().splitlines()
    assert len(lines) == 1, result[2]
    assert "Traceback" not in result[2]
    for word in words:
        assert word in lines[0]


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


@pytest.fixture
def seeded(env: Path, capsys: pytest.CaptureFixture[str]) -> date:
    assert cli.main(["demo-data", "--sales", "400", "--days", "365"]) == 0
    capsys.readouterr()
    return date.today()


def test_monthly_csv_report_over_a_year_has_a_row_per_month(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    start = (seeded - timedelta(days=364)).isoformat()
    args = ("report", "--from", start, "--to", seeded.isoformat(), "--bucket", "monthly")
    code, out, _ = run(capsys, *args, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["start", "end", "sales", "units", "revenue"]
    assert len(rows) - 1 in {12, 13}
    assert rows[1][0] == start and rows[-1][1] == seeded.isoformat()
    assert sum(int(row[2]) for row in rows[1:]) == 400
    assert all(row[4].count(".") == 1 and len(row[4].split(".")[1]) == 2 for row in rows[1:])


def test_table_report_is_aligned_with_a_total_row(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    start = (seeded - timedelta(days=364)).isoformat()
    args = ("report", "--from", start, "--to", seeded.isoformat(), "--bucket", "monthly")
    code, out, _ = run(capsys, *args)
    assert code == 0
    lines = out.rstrip("\n").splitlines()
    assert lines[0].split() == ["start", "end", "sales", "units", "revenue"]
    assert len(lines) - 3 in {12, 13}
    assert set(lines[-2]) == {"-"}
    assert lines[-1].startswith("Total") and lines[-1].split()[1] == "400"
    assert len({len(line) for line in lines[1:-2]}) == 1


def test_report_filters_by_category(seeded: date, capsys: pytest.CaptureFixture[str]) -> None:
    day = seeded.isoformat()
    base = ("report", "--from", "2000-01-01", "--to", day, "--bucket", "none", "--format", "csv")
    _, everything, _ = run(capsys, *base)
    _, bakery, _ = run(capsys, *base, "--category", "1")
    total = int(list(csv.reader(io.StringIO(everything)))[1][3])
    bakery_units = int(list(csv.reader(io.StringIO(bakery)))[1][3])
    assert 0 < bakery_units < total


def test_usage_errors_exit_with_two_and_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert_one_line_error(run(capsys, "frobnicate"), 2, "pos-app")
    assert_one_line_error(run(capsys, "report", "--from", "yesterday", "--to", "x"), 2, "date")
    assert_one_line_error(run(capsys, "demo-data", "--sales", "many"), 2, "--sales")


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


def test_run_migrates_seeds_and_hands_over_to_the_gui(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    seen: dict[str, Any] = {}

    def run_gui(settings: Settings, ctx: ServiceContext) -> int:
        seen["owner"] = bootstrap.system_owner(ctx).email
        return 7

    original = demo_data.seed_demo
    monkeypatch.setattr(
        bootstrap.demo_data, "seed_demo", lambda ctx, **kw: original(ctx, sales=30, days=7, **kw)
    )
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", types.SimpleNamespace(run_gui=run_gui))
    code, _, err = run(capsys)
    assert code == 7
    assert seen["owner"] == "owner@till.example"
    assert "owner@till.example" in err


def test_a_missing_display_or_xcb_library_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the xcb check is for Linux")
    assert cli.display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert "xvfb-run" in (cli.display_problem({}) or "")
    monkeypatch.setattr(cli, "_loadable", lambda library: "icccm" not in library)
    problem = cli.display_problem({"DISPLAY": ":0"}) or ""
    assert "libxcb-icccm4" in problem and "libxcb-cursor0" not in problem


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
