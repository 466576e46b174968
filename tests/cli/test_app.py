from __future__ import annotations

import gc
import logging
import stat
import subprocess
import sys
import types
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from pos_app import __version__, bootstrap
from pos_app.cli import app as cli_app
from pos_app.cli import database as cli_database
from pos_app.config import Settings
from pos_app.db import migrate
from pos_app.logs import LOG_FILE
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


def fake_gui(
    run_gui: Any, problem: str | None = None, *, locked: bool = False
) -> types.SimpleNamespace:
    """Stands in for pos_app.ui.app, so no window opens; ``locked``: the till is already open."""
    lock = types.SimpleNamespace(unlock=lambda: None)
    return types.SimpleNamespace(
        run_gui=run_gui,
        display_problem=lambda env=None: problem,
        claim_till=lambda settings: None if locked else lock,
        already_open=lambda settings: f"Till '{settings.till_id}' is already open",
    )


def test_run_migrates_seeds_and_hands_over_to_the_gui(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def run_gui(
        settings: Settings, ctx: ServiceContext, first_start: Any, quit_after: float | None
    ) -> int:
        steps: list[tuple[int, int]] = []
        first_start(lambda done, total: steps.append((done, total)))
        with bootstrap.system_session(ctx) as owner:
            seen["owner"] = owner.email
        seen["last step"] = steps[-1]
        return 7

    original = demo_data.seed_demo
    monkeypatch.setattr(
        demo_data, "seed_demo", lambda ctx, **kw: original(ctx, sales=30, days=7, **kw)
    )
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(run_gui))
    code, _, err = run(capsys)
    assert code == 7
    assert seen["owner"] == "owner@till.example"
    assert seen["last step"] == (30, 30)  # the window is shown how far the building is
    assert "owner@till.example" in err


def test_run_stops_with_the_display_problem_before_touching_the_database(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def run_gui(
        settings: Settings, ctx: ServiceContext, first_start: Any, quit_after: float | None
    ) -> int:
        raise AssertionError("the window must not open")

    problem = "No display was found: run 'xvfb-run pos-app'."
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(run_gui, problem))
    assert_one_line_error(run(capsys, "run"), 1, "xvfb-run")
    assert not (env / "data" / "till.sqlite3").exists()


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"pos-app {__version__}"


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


# The ORM counts as heavy of its own: a report runs on Core statements, and importing the ORM and
# mapping the models would cost it about a third of its start-up.
HEAVY = ("sqlalchemy", "sqlalchemy.orm", "alembic", "pandas", "matplotlib", "PySide6", "jwt")
HEAVY += ("cryptography",)


def modules_loaded_by(*args: str) -> set[str]:
    """Which heavy libraries a whole ``pos-app`` process imported to run ``args``."""
    script = (
        "import sys; from pos_app.cli import main; code = main(sys.argv[1:]); "
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules)); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].split())


def test_help_and_version_import_no_database_or_gui_library(env: Path) -> None:
    assert modules_loaded_by("--help") == set()
    assert modules_loaded_by("--version") == set()


@pytest.mark.parametrize(
    ("days", "options"),
    [
        (0, ()),
        (364, ("--bucket", "monthly")),
        (364, ("--bucket", "weekly", "--product", "1", "--product", "2")),
        (364, ("--bucket", "daily", "--category", "1", "--category", "2")),
    ],
    ids=["today", "a-year-by-month", "two-products", "two-categories"],
)
def test_a_report_on_a_current_database_imports_only_sqlalchemy_core_and_jwt(
    seeded: date, days: int, options: tuple[str, ...]
) -> None:
    start, end = (seeded - timedelta(days=days)).isoformat(), seeded.isoformat()
    # PyJWT signs and checks the owner's session the command acts through.
    loaded = modules_loaded_by("report", "--from", start, "--to", end, *options)
    assert loaded == {"sqlalchemy", "jwt"}


def test_a_command_run_in_process_leaves_the_cyclic_collector_as_it_was(
    seeded: date, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled())
    today = seeded.isoformat()
    assert run(capsys, "report", "--from", today, "--to", today)[0] == 0
    assert (gc.get_threshold(), gc.get_freeze_count(), gc.isenabled()) == before


def collector_use_of_a_report(seeded: date) -> list[str]:
    """Whether a whole report process froze its objects at the end, and how many collections
    it ran, from ``gc``'s own callbacks."""
    today = seeded.isoformat()
    script = (
        "import gc, sys; runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'stop' and runs.append(info))\n"
        "from pos_app.cli import main\n"
        "sys.argv = ['pos-app', *sys.argv[1:]]; code = main()\n"
        "print(gc.get_freeze_count() > 0, len(runs)); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "report", "--from", today, "--to", today],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_a_report_process_collects_little_and_freezes_what_it_made_when_done(
    seeded: date,
) -> None:
    frozen, collections = collector_use_of_a_report(seeded)
    assert frozen == "True"
    # The imports before the command is known still run at the usual threshold.
    assert int(collections) < 30


def test_an_unexpected_error_goes_to_the_log_the_window_writes(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: object, settings: Settings) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli_database, "db_current", broken)
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        code, _, err = run(capsys, "db", "current")
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    log_file = env / "data" / LOG_FILE
    assert code == 1
    assert f"details in {log_file}" in err
    assert "RuntimeError: disk on fire" in log_file.read_text(encoding="utf-8")
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600


@pytest.fixture
def window_errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sentences the start-up error box would have shown."""
    shown: list[str] = []
    monkeypatch.setattr(cli_app, "show_in_window", lambda message, error: shown.append(message))
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(lambda *a, **k: 0))
    return shown


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("POS_CURRENCY", "EURO", "POS_CURRENCY"),
        ("POS_DATABASE_URL", "mysql+pymysql://till:secret@127.0.0.1:1/till", "cannot reach"),
    ],
)
def test_the_till_failing_to_start_also_says_so_in_a_window(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    window_errors: list[str],
    setting: str,
    value: str,
    named: str,
) -> None:
    monkeypatch.setenv(setting, value)
    assert_one_line_error(run(capsys, "run"), 1, named)
    assert len(window_errors) == 1 and named in window_errors[0]


def test_missing_migrations_stop_the_till_with_a_sentence_in_a_window(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    window_errors: list[str],
) -> None:
    monkeypatch.setattr(migrate, "files", lambda package: env / "no-such-package")
    assert_one_line_error(run(capsys, "run"), 1, "migrations are missing", "reinstall")
    assert "migrations are missing" in window_errors[0]


def test_a_command_other_than_run_shows_no_window(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    window_errors: list[str],
) -> None:
    monkeypatch.setenv("POS_CURRENCY", "EURO")
    assert_one_line_error(run(capsys, "db", "current"), 1, "POS_CURRENCY")
    assert window_errors == []


@pytest.mark.parametrize(("platform", "shown"), [("offscreen", False), ("xcb", True)])
def test_the_box_is_shown_only_where_someone_can_see_it(
    monkeypatch: pytest.MonkeyPatch, platform: str, shown: bool
) -> None:
    calls: list[str] = []
    box = types.SimpleNamespace(show_startup_error=lambda message, error: calls.append(message))
    monkeypatch.setitem(sys.modules, "pos_app.ui.startup_error", box)
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(lambda *a, **k: 0))
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    cli_app.show_in_window("POS_CURRENCY: bad.", None)
    assert calls == (["POS_CURRENCY: bad."] if shown else [])


def test_a_till_already_open_stops_before_touching_the_database(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    window_errors: list[str],
) -> None:
    monkeypatch.setenv("POS_TILL_ID", "front")
    monkeypatch.setitem(sys.modules, "pos_app.ui.app", fake_gui(None, locked=True))
    assert_one_line_error(run(capsys, "run"), 1, "Till 'front' is already open")
    assert window_errors == ["Till 'front' is already open."]
    assert not (env / "data" / "till.sqlite3").exists()
