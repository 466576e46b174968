"""Start-up as a person meets it: the error box when the till cannot start, the check that closes
a started till again, and one window per till on a computer."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from pos_app import __version__
from pos_app.config import Settings
from pos_app.ui import app as app_module
from pos_app.ui.startup_error import StartupErrorDialog, startup_details

SENTENCE = "POS_DATABASE_URL: cannot reach the MySQL server at db.local:3306; is it running?"


def failing_start() -> BaseException:
    try:
        raise ConnectionRefusedError("connection refused")
    except ConnectionRefusedError as error:
        return error


def test_the_box_shows_the_sentence_and_copies_the_details(qtbot: QtBot) -> None:
    details = startup_details(SENTENCE, failing_start())
    dialog = StartupErrorDialog(SENTENCE, details)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.findChild(QLabel, "startupErrorMessage").text() == SENTENCE
    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied == details
    assert SENTENCE in copied and f"Till {__version__}" in copied
    assert "ConnectionRefusedError: connection refused" in copied
    assert dialog.isVisible(), "copying must not close the box"
    assert dialog.copy_button.text() == "Copied"


def test_the_box_fits_a_till_screen(qtbot: QtBot) -> None:
    dialog = StartupErrorDialog(SENTENCE * 3, "details")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1024 and dialog.height() <= 768


@pytest.mark.parametrize(("visible", "status"), [(True, 0), (False, app_module.WINDOW_NOT_SHOWN)])
def test_quit_after_reports_whether_the_login_window_was_shown(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, visible: bool, status: int
) -> None:
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    dialog = QLabel("login")
    qtbot.addWidget(dialog)
    dialog.setVisible(visible)
    controller = types.SimpleNamespace(login_dialog=dialog)
    app_module._quit_if_shown(controller)  # type: ignore[arg-type]
    assert exits == [status]


@pytest.fixture
def held_locks() -> Iterator[list[QLockFile]]:
    locks: list[QLockFile] = []
    yield locks
    for lock in locks:
        lock.unlock()


def test_a_second_window_of_the_same_till_is_refused(
    ui_settings: Settings, held_locks: list[QLockFile]
) -> None:
    first = app_module.claim_till(ui_settings)
    assert first is not None
    held_locks.append(first)
    assert app_module.claim_till(ui_settings) is None
    assert "Till 'till-ui' is already open" in app_module.already_open(ui_settings)


def test_another_till_on_the_same_computer_may_open(
    ui_settings: Settings, held_locks: list[QLockFile]
) -> None:
    first = app_module.claim_till(ui_settings)
    second = app_module.claim_till(dataclasses.replace(ui_settings, till_id="back office/2"))
    assert first is not None and second is not None
    held_locks += [first, second]


def test_the_till_may_open_again_once_the_first_window_closed(
    ui_settings: Settings, held_locks: list[QLockFile]
) -> None:
    first = app_module.claim_till(ui_settings)
    assert first is not None
    first.unlock()
    again = app_module.claim_till(ui_settings)
    assert again is not None
    held_locks.append(again)


def test_a_lock_left_by_a_till_that_died_is_taken_over(
    ui_settings: Settings, held_locks: list[QLockFile], tmp_path: Path
) -> None:
    first = app_module.claim_till(ui_settings)
    assert first is not None
    lock_path = Path(first.fileName())
    content = lock_path.read_bytes()
    first.unlock()
    dead_pid = b"999999"
    lock_path.write_bytes(dead_pid + content[content.index(b"\n") :])
    again = app_module.claim_till(ui_settings)
    assert again is not None
    held_locks.append(again)


def test_the_window_belongs_to_the_installed_menu_entry(qapp: QApplication) -> None:
    app_module.create_application()
    assert QGuiApplication.desktopFileName() == "till-pos"
    assert QGuiApplication.windowIcon().cacheKey() != QIcon().cacheKey()
    assert not QGuiApplication.windowIcon().pixmap(48, 48).isNull()
