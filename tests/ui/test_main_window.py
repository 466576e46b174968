from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from pos_app import __version__
from pos_app.config import Settings
from pos_app.services import auth, users
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError, SessionEndedError
from pos_app.services.roles import Role
from pos_app.ui import app as app_module
from pos_app.ui.app import AppController, display_problem
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.lock import LockDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from tests.ui.conftest import EMAILS, PASSWORDS

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def open_window(qtbot: QtBot, ui_settings: Settings) -> Iterator[Callable[[UiSession], MainWindow]]:
    def make(session: UiSession) -> MainWindow:
        window = MainWindow(session, ui_settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)


@pytest.mark.parametrize(
    ("role", "screens"),
    [
        (Role.CASHIER, ["checkout", "receipts", "refunds", "shift"]),
        (
            Role.MANAGER,
            ["checkout", "receipts", "refunds", "shift", "catalog", "inventory", "promotions"],
        ),
        (
            Role.OWNER,
            [
                "checkout",
                "receipts",
                "refunds",
                "shift",
                "catalog",
                "inventory",
                "promotions",
                "analytics",
                "users",
                "audit",
            ],
        ),
    ],
)
def test_the_window_shows_the_screens_the_role_may_use(
    open_window: Callable[[UiSession], MainWindow],
    session_for: SessionFor,
    role: Role,
    screens: list[str],
) -> None:
    window = open_window(session_for(role))
    assert list(window.screens) == screens
    assert window.stack.count() == len(screens)
    assert window.current_screen_key() == "checkout"
    shortcuts = [window.screen_actions[key].shortcut().toString() for key in screens]
    assert shortcuts == [f"Ctrl+{n % 10}" for n in range(1, len(screens) + 1)]


def test_ctrl_and_a_number_switch_screens(
    qtbot: QtBot, open_window: Callable[[UiSession], MainWindow], session_for: SessionFor
) -> None:
    window = open_window(session_for(Role.MANAGER))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen_key() == "inventory"
    assert window.screen_actions["inventory"].isChecked()
    window.screen_actions["checkout"].trigger()
    assert window.current_screen_key() == "checkout"


def test_the_status_bar_names_user_role_database_and_time(
    open_window: Callable[[UiSession], MainWindow], session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    window = open_window(session_for(Role.CASHIER))
    assert window.user_label.text() == "Cara Cashier"
    assert window.role_label.text() == "Cashier"
    assert window.database_label.text() == ui_ctx.database.description
    assert ":" in window.clock_label.text()
    assert window.clock.isActive() and window.clock.interval() == 1000


def test_the_title_names_the_shop_once_and_qt_adds_the_apps_name(
    open_window: Callable[[UiSession], MainWindow],
    session_for: SessionFor,
    ui_settings: Settings,
    qapp: QApplication,
) -> None:
    window = open_window(session_for(Role.CASHIER))
    assert window.windowTitle() == ui_settings.shop_name
    assert qapp.applicationDisplayName() not in window.windowTitle()


def test_the_about_box_in_the_help_menu_names_the_version(
    open_window: Callable[[UiSession], MainWindow],
    session_for: SessionFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    window = open_window(session_for(Role.CASHIER))
    help_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Help")
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()
    assert shown and f"version {__version__}" in shown[0]


def test_messages_appear_above_the_screens(
    open_window: Callable[[UiSession], MainWindow], session_for: SessionFor
) -> None:
    window = open_window(session_for(Role.CASHIER))
    window.show_message("The printer is out of paper.", error=True)
    assert window.message_bar.isVisible()
    assert window.message_bar.label.text() == "The printer is out of paper."
    assert window.message_bar.property("error") is True


def test_an_idle_till_locks_keeps_the_cart_and_unlocks_with_the_password(
    qtbot: QtBot, open_window: Callable[[UiSession], MainWindow], session_for: SessionFor
) -> None:
    window = open_window(session_for(Role.CASHIER))
    first_token = window.session.token
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    checkout.scan("COLA-330")
    qtbot.waitUntil(lambda: checkout.cart_model.rowCount() == 1 and not checkout.busy)
    window.idle_watcher.set_timeout_ms(30)
    qtbot.waitUntil(lambda: window.lock_dialog is not None and window.lock_dialog.isVisible())
    lock = window.lock_dialog
    assert lock is not None
    lock.reject()
    assert lock.isVisible()
    lock.password_edit.setText("wrong password")
    lock.unlock_button.click()
    qtbot.waitUntil(lock.error_label.isVisible)
    assert lock.error_label.text() == auth.BAD_CREDENTIALS
    lock.password_edit.setText(PASSWORDS[Role.CASHIER])
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        lock.unlock_button.click()
    assert not lock.isVisible() and window.lock_dialog is None
    assert checkout.cart_model.rowCount() == 1
    window.idle_watcher.set_timeout_ms(0)
    # Unlocking is a fresh login: a new session, and the one before it is revoked.
    assert window.session.token != first_token
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    with pytest.raises(SessionEndedError):
        auth.current_user(window.session.ctx, first_token)
    assert auth.current_user(window.session.ctx, window.session.token).email == EMAILS[Role.CASHIER]

    checkout.sale.reset()  # closing a window with a cart would ask about it


def locked_with(qtbot: QtBot, window: MainWindow, reason: str) -> LockDialog:
    qtbot.waitUntil(lambda: window.lock_dialog is not None and window.lock_dialog.isVisible())
    lock = window.lock_dialog
    assert lock is not None
    assert lock.reason_label.isVisible() and lock.reason_label.text() == reason
    return lock


def test_a_demoted_managers_open_window_locks_on_the_next_action_and_reopens_as_cashier(
    qtbot: QtBot,
    open_window: Callable[[UiSession], MainWindow],
    session_for: SessionFor,
    ui_ctx: ServiceContext,
) -> None:
    window = open_window(session_for(Role.MANAGER))
    owner = session_for(Role.OWNER)
    users.change_role(ui_ctx, owner.user, window.session.user.id, Role.CASHIER)
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    checkout.scan("COLA-330")
    lock = locked_with(qtbot, window, "Your role was changed to cashier; please log in again.")
    assert checkout.cart_model.rowCount() == 0
    lock.password_edit.setText(PASSWORDS[Role.MANAGER])
    with qtbot.waitSignal(window.role_changed, timeout=5000) as fresh:
        lock.unlock_button.click()
    session = fresh.args[0]
    assert isinstance(session, UiSession) and session.user.role is Role.CASHIER
    qtbot.waitUntil(lambda: not window.isVisible())


def test_a_deactivated_managers_open_window_locks_and_cannot_be_unlocked(
    qtbot: QtBot,
    open_window: Callable[[UiSession], MainWindow],
    session_for: SessionFor,
    ui_ctx: ServiceContext,
) -> None:
    window = open_window(session_for(Role.MANAGER))
    users.set_user_active(ui_ctx, session_for(Role.OWNER).user, window.session.user.id, False)
    window.show_screen("catalog")
    lock = locked_with(qtbot, window, "This account has been deactivated.")
    lock.password_edit.setText(PASSWORDS[Role.MANAGER])
    lock.unlock_button.click()
    qtbot.waitUntil(lock.error_label.isVisible)
    assert lock.error_label.text() == "This account has been deactivated."
    assert lock.isVisible() and window.lock_dialog is lock
    with qtbot.waitSignal(window.logged_out, timeout=5000):
        lock.logout_button.click()


def test_a_session_logged_out_elsewhere_locks_and_a_fresh_login_carries_on(
    qtbot: QtBot,
    open_window: Callable[[UiSession], MainWindow],
    session_for: SessionFor,
    ui_ctx: ServiceContext,
) -> None:
    window = open_window(session_for(Role.CASHIER))
    auth.logout(ui_ctx, window.session.token)  # say, from another till with the same token
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    checkout.scan("COLA-330")
    lock = locked_with(qtbot, window, "This session was logged out; please log in again.")
    lock.password_edit.setText(PASSWORDS[Role.CASHIER])
    with qtbot.waitSignal(lock.unlocked, timeout=5000):
        lock.unlock_button.click()
    assert window.lock_dialog is None
    checkout.scan("COLA-330")
    qtbot.waitUntil(lambda: checkout.cart_model.rowCount() == 1 and not checkout.busy)
    checkout.sale.reset()  # closing a window with a cart would ask about it


def test_logging_out_revokes_the_token_and_shows_the_login_again(
    qtbot: QtBot, ui_ctx: ServiceContext, ui_settings: Settings
) -> None:
    controller = AppController(ui_settings, ui_ctx)
    controller.show_login()
    login = controller.login_dialog
    assert login is not None
    qtbot.addWidget(login)
    login.email_edit.setText(EMAILS[Role.OWNER])
    login.password_edit.setText(PASSWORDS[Role.OWNER])
    login.login_button.click()
    qtbot.waitUntil(lambda: controller.window is not None, timeout=5000)
    window = controller.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    token = window.session.token
    window.logout_action.trigger()
    qtbot.waitUntil(lambda: controller.login_dialog is not login and not window.isVisible())
    assert controller.window is None
    again = controller.login_dialog
    assert again is not None and again is not login
    qtbot.addWidget(again)
    assert again.isVisible()
    with pytest.raises(AuthenticationError):
        auth.current_user(ui_ctx, token)
    assert QSettings().value("mainWindow/geometry") is not None


def test_no_display_is_explained_in_one_sentence() -> None:
    problem = display_problem({})
    assert problem is not None
    assert "QT_QPA_PLATFORM=offscreen" in problem and "xvfb-run" in problem
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_missing_xcb_libraries_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module.ctypes.util, "find_library", lambda name: None)
    problem = display_problem({"DISPLAY": ":0"})
    assert problem is not None
    assert "libxcb-cursor0" in problem and "libxkbcommon-x11-0" in problem
    monkeypatch.setattr(app_module.ctypes.util, "find_library", lambda name: f"lib{name}.so")
    assert display_problem({"DISPLAY": ":0"}) is None


def test_column_widths_are_remembered_between_windows(
    open_window: Callable[[UiSession], MainWindow], session_for: SessionFor
) -> None:
    from PySide6.QtWidgets import QTableView

    first = open_window(session_for(Role.MANAGER))
    table = first.findChild(QTableView, "productTable")
    assert table is not None and table.model() is not None
    table.horizontalHeader().resizeSection(1, 177)
    first.close()

    second = open_window(session_for(Role.MANAGER))
    again = second.findChild(QTableView, "productTable")
    assert again is not None
    assert again.horizontalHeader().sectionSize(1) == 177


def test_no_key_of_a_screen_is_also_a_key_of_the_whole_window(
    open_window: Callable[[UiSession], MainWindow], session_for: SessionFor
) -> None:
    window = open_window(session_for(Role.OWNER))
    window_keys = {
        action.shortcut().toString()
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty()
        and action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut
    }
    for key in window.screens:
        window.show_screen(key)
        screen = window.stack.currentWidget()
        screen_keys = {
            shortcut.key().toString()
            for shortcut in screen.findChildren(QShortcut)
            if not shortcut.key().isEmpty()
        }
        assert screen_keys & window_keys == set(), key


def test_a_short_screen_with_a_message_fits_a_768_pixel_screen(
    qtbot: QtBot, open_window: Callable[[UiSession], MainWindow], session_for: SessionFor
) -> None:
    window = open_window(session_for(Role.MANAGER))
    checkout_height = window.minimumSizeHint().height()
    window.show_screen("inventory")
    window.show_message("Butter croissant: now 72 in stock.")
    qtbot.waitUntil(window.message_bar.isVisible)
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() < checkout_height)
    window.show_screen("checkout")
    qtbot.waitUntil(lambda: window.minimumSizeHint().height() >= checkout_height)
