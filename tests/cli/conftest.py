"""The ``pos-app`` command run in-process against a private data dir and SQLite file."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pos_app import cli
from pos_app.cli import progress

Run = tuple[int, str, str]
OWNER = ("--email", "owner@shop.test", "--first-name", "Olga", "--last-name", "Owner")
OWNER_PASSWORD = "owner-pass-123"
TEMPLATE_SALES = 400


def use_private_data_dir(monkeypatch: pytest.MonkeyPatch, directory: Path) -> None:
    """A private data dir and SQLite file; no .env or till.toml from the developer's machine."""
    monkeypatch.chdir(directory)
    for name in ("POS_DATABASE_URL", "POS_DOTENV", "POS_CURRENCY", "POS_TILL_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("POS_DATA_DIR", str(directory / "data"))
    monkeypatch.setenv("POS_DATABASE_URL", f"sqlite:///{directory / 'data' / 'till.sqlite3'}")
    monkeypatch.setenv("POS_TIMEZONE", "Europe/Berlin")
    monkeypatch.setenv("POS_SETTINGS_FILE", str(directory / "till.toml"))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_private_data_dir(monkeypatch, tmp_path)
    return tmp_path


def database_file(env: Path) -> Path:
    return env / "data" / "till.sqlite3"


def scalar(env: Path, sql: str) -> int:
    """One number read straight from the command's SQLite file."""
    connection = sqlite3.connect(database_file(env))
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


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


@pytest.fixture
def owner(env: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A migrated database whose only account is its owner."""
    assert cli.main(["create-user", *OWNER, "--password", OWNER_PASSWORD]) == 0
    capsys.readouterr()
    return env


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo shop with a year of sales, made once and copied by each test that needs it."""
    directory = tmp_path_factory.mktemp("seeded")
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_private_data_dir(monkeypatch, directory)
        code = cli.main(["demo-data", "--sales", str(TEMPLATE_SALES), "--days", "365"])
    assert code == 0
    return database_file(directory)


@pytest.fixture
def seeded(env: Path, seeded_template: Path, capsys: pytest.CaptureFixture[str]) -> date:
    """The demo shop in this test's data dir; returns today."""
    database_file(env).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded_template, database_file(env))
    capsys.readouterr()
    return date.today()


@pytest.fixture
def ctrl_c_at_first_progress(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Press Ctrl+C while the command draws its progress bar for the first time."""
    draw = progress.ProgressBar.__call__
    pressed: list[bool] = []

    def draw_then_interrupt(bar: progress.ProgressBar, done: int, total: int) -> None:
        draw(bar, done, total)
        if not pressed:
            pressed.append(True)
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(progress.ProgressBar, "__call__", draw_then_interrupt)
    yield
    assert pressed, "the command never reported progress"
