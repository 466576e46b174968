"""Start-up as a person meets it: the error box when the till cannot start, the check that closes
a started till again, and one window per till on a computer."""

from __future__ import annotations

import types

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from pos_app import __version__
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
