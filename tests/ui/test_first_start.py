"""The first start shows a window with a progress bar while the demo shop is built, then the
login; a failure is told in that window."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.ui.app import AppController
from pos_app.ui.startup import Progress, StartupWindow


def test_the_first_start_shows_its_progress_in_a_window_then_the_login(
    qtbot: QtBot, ui_ctx: ServiceContext, ui_settings: Settings
) -> None:
    halfway = threading.Event()
    go_on = threading.Event()

    def seed(progress: Progress) -> None:
        progress(0, 200)
        progress(100, 200)
        halfway.set()
        assert go_on.wait(5)
        progress(200, 200)

    controller = AppController(ui_settings, ui_ctx)
    controller.prepare_first_start(seed)
    window = controller.startup_window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.bar.value() == 100 and window.bar.maximum() == 200)
    assert halfway.is_set() and window.bar.text() == "100 of 200 sales"
    assert controller.login_dialog is None
    assert not window.close(), "the window stays while the shop is being built"

    go_on.set()
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=5000)
    login = controller.login_dialog
    assert login is not None
    qtbot.addWidget(login)
    assert login.isVisible()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_a_failed_first_start_is_told_in_the_window(qtbot: QtBot) -> None:
    def seed(_progress: Progress) -> None:
        raise ValidationError("The database is read-only.")

    window = StartupWindow(seed)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.failed, timeout=5000):
        window.start()
    assert window.label.text() == "The database is read-only."
    assert window.close()
