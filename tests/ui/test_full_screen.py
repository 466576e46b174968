"""F11 switches the till to full screen and back; the choice is kept per till, and
POS_FULLSCREEN=1 starts a kiosk till in full screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services.roles import Role
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]


def open_window(qtbot: QtBot, session: UiSession, settings: Settings) -> MainWindow:
    window = MainWindow(session, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    return window


@pytest.fixture(autouse=True)
def no_remembered_choice(ui_settings: Settings) -> Iterator[None]:
    QSettings().remove(f"tills/{ui_settings.till_id}")
    yield
    QSettings().remove(f"tills/{ui_settings.till_id}")


def test_f11_switches_to_full_screen_and_back_and_the_till_remembers(
    qtbot: QtBot, session_for: SessionFor, ui_settings: Settings
) -> None:
    window = open_window(qtbot, session_for(Role.CASHIER), ui_settings)
    assert not window.isFullScreen()

    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.isFullScreen()
    again = open_window(qtbot, session_for(Role.CASHIER), ui_settings)
    assert again.isFullScreen()
    other_till = open_window(qtbot, session_for(Role.CASHIER), replace(ui_settings, till_id="t2"))
    assert not other_till.isFullScreen()

    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    qtbot.keyClick(again, Qt.Key.Key_F11)
    assert not again.isFullScreen()
    assert not open_window(qtbot, session_for(Role.CASHIER), ui_settings).isFullScreen()


def test_a_kiosk_till_starts_in_full_screen(
    qtbot: QtBot, session_for: SessionFor, ui_settings: Settings
) -> None:
    kiosk = replace(ui_settings, fullscreen=True)
    window = open_window(qtbot, session_for(Role.CASHIER), kiosk)
    assert window.isFullScreen()
    assert window.full_screen_action.isChecked()
