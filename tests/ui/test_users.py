"""The users screen: create a cashier, change the role, deactivate, reset a password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pos_app.services import auth
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError
from pos_app.services.roles import Role
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from pos_app.ui.users import UsersScreen
from pos_app.ui.users.dialogs import RoleDialog, UserDialog
from pos_app.ui.users.screen import UserColumn
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def open_screen(screen_opener: ScreenOpener) -> Callable[[UiSession], UsersScreen]:
    def make(session: UiSession) -> UsersScreen:
        screen = screen_opener(UsersScreen, session)
        assert isinstance(screen, UsersScreen)
        return screen

    return make


@pytest.fixture
def screen(open_screen: Callable[[UiSession], UsersScreen], session_for: SessionFor) -> UsersScreen:
    return open_screen(session_for(Role.OWNER))


def settle(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def select(screen: UsersScreen, email: str) -> None:
    emails = [user.email for user in screen.users.rows()]
    screen.view.selectRow(emails.index(email))


def fill_new_user(dialog: UserDialog, email: str, repeat: str = "till-pass-123") -> None:
    dialog.first_name_field.setText("Nina")
    dialog.last_name_field.setText("New")
    dialog.email_field.setText(email)
    dialog.password_field.setText("till-pass-123")
    dialog.repeat_field.setText(repeat)


def test_the_list_shows_every_account(screen: UsersScreen) -> None:
    assert screen.users.rowCount() == 3
    roles = {user.email: user.role for user in screen.users.rows()}
    assert roles["cashier@shop.test"] is Role.CASHIER
    row = [user.email for user in screen.users.rows()].index("owner@shop.test")
    assert screen.users.data(screen.users.index(row, UserColumn.ROLE)) == "Owner"
    assert screen.users.data(screen.users.index(row, UserColumn.LAST_LOGIN)) != "never"


def test_owner_creates_a_cashier_changes_the_role_and_deactivates_them(
    qtbot: Any, screen: UsersScreen, ui_ctx: ServiceContext
) -> None:
    dialog = screen.open_user_dialog()
    fill_new_user(dialog, "nina@shop.test")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    settle(qtbot)
    assert screen.users.rowCount() == 4
    created = screen.selected_user()
    assert created is not None and created.email == "nina@shop.test"
    assert created.role is Role.CASHIER
    assert auth.login(ui_ctx, "nina@shop.test", "till-pass-123").user.role is Role.CASHIER

    screen.role_button.click()
    role_dialog = screen.findChild(RoleDialog)
    assert role_dialog is not None
    role_dialog.role_field.setCurrentIndex(role_dialog.role_field.findData(Role.MANAGER.value))
    with qtbot.waitSignal(role_dialog.saved, timeout=5000):
        role_dialog.save_button.click()
    settle(qtbot)
    changed = screen.selected_user()
    assert changed is not None and changed.role is Role.MANAGER

    assert screen.active_button.text() == "Deactivate"
    screen.active_button.click()
    settle(qtbot)
    gone = screen.selected_user()
    assert gone is not None and gone.email == "nina@shop.test" and not gone.is_active
    assert screen.active_button.text() == "Reactivate"
    with pytest.raises(AuthenticationError):
        auth.login(ui_ctx, "nina@shop.test", "till-pass-123")


def test_form_errors_show_next_to_their_field(qtbot: Any, screen: UsersScreen) -> None:
    dialog = screen.open_user_dialog()
    fill_new_user(dialog, "nina@shop.test", repeat="something else")
    dialog.save_button.click()
    assert dialog.errors.message("repeat") == "The two passwords differ."
    dialog.repeat_field.setText("till-pass-123")
    dialog.email_field.setText("cashier@shop.test")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("email") != "", timeout=5000)
    assert "already exists" in dialog.errors.message("email")
    assert dialog.errors.message("repeat") == ""
    dialog.email_field.setText("not an address")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "valid e-mail" in dialog.errors.message("email"), timeout=5000)
    settle(qtbot)


def test_the_owner_cannot_deactivate_themselves(qtbot: Any, screen: UsersScreen) -> None:
    select(screen, "owner@shop.test")
    with qtbot.waitSignal(screen.message, timeout=5000) as blocker:
        screen.active_button.click()
    assert blocker.args == ["You cannot deactivate your own account.", True]
    assert screen.error_label.text() == "You cannot deactivate your own account."
    settle(qtbot)


def test_a_password_reset_lets_the_user_sign_in_with_the_new_one(
    qtbot: Any, screen: UsersScreen, ui_ctx: ServiceContext
) -> None:
    select(screen, "cashier@shop.test")
    user = screen.selected_user()
    assert user is not None
    dialog = screen.open_password_dialog(user)
    dialog.password_field.setText("short")
    dialog.repeat_field.setText("short")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("new_password") != "", timeout=5000)
    dialog.password_field.setText("a-brand-new-pass")
    dialog.repeat_field.setText("a-brand-new-pass")
    with qtbot.waitSignal(screen.message, timeout=5000):
        dialog.save_button.click()
    assert auth.login(ui_ctx, "cashier@shop.test", "a-brand-new-pass").user.id == user.id


def test_managers_cannot_manage_users(
    open_screen: Callable[[UiSession], UsersScreen], session_for: SessionFor
) -> None:
    screen = open_screen(session_for(Role.MANAGER))
    assert screen.users.rowCount() == 0
    assert not screen.new_button.isEnabled()
    assert screen.hint_label.text() == "Only owners can manage users."


def test_users_model_keeps_the_rules_of_qt_models(qtmodeltester: Any, screen: UsersScreen) -> None:
    qtmodeltester.check(screen.users)
