from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.config import ensure_data_dir, load_settings
from pos_app.db.engine import create_database
from pos_app.logs import LOG_FILE, PrivateRotatingFileHandler, setup_logging


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, with any handler a test adds closed and removed afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_the_data_folder_is_created_private_and_an_open_one_is_tightened(tmp_path: Path) -> None:
    settings = load_settings(
        {"POS_DATA_DIR": str(tmp_path / "new"), "POS_TIMEZONE": "UTC",
         "POS_SETTINGS_FILE": str(tmp_path / "none.toml")},
        dotenv_path=tmp_path / "none.env",
    )  # fmt: skip
    assert mode(ensure_data_dir(settings)) == 0o700
    settings.data_dir.chmod(0o755)
    assert mode(ensure_data_dir(settings)) == 0o700


def test_the_log_and_its_rotations_are_private(tmp_path: Path, root_logger: logging.Logger) -> None:
    path = setup_logging(tmp_path)
    assert path == tmp_path / LOG_FILE
    handler = next(h for h in root_logger.handlers if isinstance(h, PrivateRotatingFileHandler))
    logging.getLogger("pos_app").info("first line")
    handler.doRollover()
    logging.getLogger("pos_app").info("second line")
    handler.flush()
    assert mode(path) == 0o600
    assert mode(tmp_path / f"{LOG_FILE}.1") == 0o600
    assert "second line" in path.read_text(encoding="utf-8")


def test_a_log_left_world_readable_is_made_private(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    (tmp_path / LOG_FILE).write_text("old\n", encoding="utf-8")
    (tmp_path / LOG_FILE).chmod(0o644)
    setup_logging(tmp_path)
    assert mode(tmp_path / LOG_FILE) == 0o600


def test_setting_up_twice_adds_one_handler(tmp_path: Path, root_logger: logging.Logger) -> None:
    setup_logging(tmp_path)
    setup_logging(tmp_path)
    files = [h for h in root_logger.handlers if isinstance(h, PrivateRotatingFileHandler)]
    assert len(files) == 1


def test_the_database_file_is_private_even_when_an_older_version_made_it_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "till.sqlite3"
    create_database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
    path.chmod(0o644)
    create_database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
