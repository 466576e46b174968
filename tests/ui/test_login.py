from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services import auth
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError
from pos_app.services.roles import Role
from pos_app.ui.login_dialog import LoginDialog
from tests.ui.conftest import EMAILS, PASSWORDS


def make_dialog(qtbot: QtBot, ctx: ServiceContext, settings: Settings) -> LoginDialog:
    dialog = LoginDialog(ctx, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def submit(qtbot: QtBot, dialog: LoginDialog, email: str, password: str) -> None:
    dialog.email_edit.setText(email)
    dialog.password_edit.setText(password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)


def test_a_wrong_password_is_shown_in_red_under_the_fields(
    qtbot: QtBot, ui_ctx: ServiceContext, ui_settings: Settings
) -> None:
    dialog = make_dialog(qtbot, ui_ctx, ui_settings)
    submit(qtbot, dialog, EMAILS[Role.CASHIER], "not the password")
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert dialog.error_label.text() == auth.BAD_CREDENTIALS
    assert dialog.error_label.property("role") == "error"
    assert dialog.session is None and dialog.isVisible()
    assert dialog.login_button.isEnabled()
    qtbot.keyClicks(dialog.password_edit, "x")
    assert not dialog.error_label.isVisible()


def test_enter_logs_in_and_the_session_carries_the_user(
    qtbot: QtBot, ui_ctx: ServiceContext, ui_settings: Settings
) -> None:
    dialog = make_dialog(qtbot, ui_ctx, ui_settings)
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        submit(qtbot, dialog, EMAILS[Role.MANAGER].upper(), PASSWORDS[Role.MANAGER])
    assert dialog.session is not None
    assert dialog.session.user.role is Role.MANAGER
    assert auth.current_user(ui_ctx, dialog.session.token).email == EMAILS[Role.MANAGER]
    assert dialog.password_edit.text() == ""


def test_a_locked_account_says_so(
    qtbot: QtBot, ui_ctx: ServiceContext, ui_settings: Settings
) -> None:
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError):
            auth.login(ui_ctx, EMAILS[Role.CASHIER], "wrong password")
    dialog = make_dialog(qtbot, ui_ctx, ui_settings)
    submit(qtbot, dialog, EMAILS[Role.CASHIER], PASSWORDS[Role.CASHIER])
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert "locked" in dialog.error_label.text()


def test_empty_fields_are_explained_without_asking_the_database(
    qtbot: QtBot, ui_ctx: ServiceContext, ui_settings: Settings
) -> None:
    dialog = make_dialog(qtbot, ui_ctx, ui_settings)
    dialog.login_button.click()
    assert dialog.error_label.isVisible()
    assert "e-mail and password" in dialog.error_label.text()
