"""The main window: one screen per task, chosen by role; menus, toolbar, status bar.

Which screens there are is in ``screen_registry``; locking and the session in ``session_guard``;
leaving with a cart on the till in ``leave_guard``; size and full screen in ``window_placement``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pos_app import __version__
from pos_app.config import Settings
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.errors import on_error_reported
from pos_app.ui.hardware.till_menu import TillMenu
from pos_app.ui.leave_guard import LeaveGuard
from pos_app.ui.lock import LockDialog
from pos_app.ui.message_bar import MessageBar
from pos_app.ui.ops import on_busy_text
from pos_app.ui.screen_registry import SCREENS, ScreenSpec, screens_for
from pos_app.ui.session import UiSession
from pos_app.ui.session_guard import SessionGuard
from pos_app.ui.shortcut_help import ShortcutHelpDialog, shortcuts_for
from pos_app.ui.style import icon, named
from pos_app.ui.table_state import restore_column_state, save_column_state
from pos_app.ui.translation import role_label, translated
from pos_app.ui.window_placement import WindowPlacement

__all__ = ["SCREENS", "MainWindow", "MessageBar", "ScreenSpec", "screens_for"]


class MainWindow(QMainWindow):
    logged_out = Signal()
    # A fresh login after a lock found another role: the app opens a window for that role.
    role_changed = Signal(object)

    def __init__(
        self, session: UiSession, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._settings = settings
        self._specs = screens_for(session.user.role)
        self.screens: dict[str, QWidget] = {}
        self.screen_actions: dict[str, QAction] = {}
        self._toolbar_text_width = 0
        self.placement = WindowPlacement(self, settings)
        self.setObjectName("mainWindow")
        # Qt adds the application's name: "Till Corner Shop — Till".
        self.setWindowTitle(settings.shop_name)
        self._build_ui()
        self._connect_signals()
        self.session_guard = SessionGuard(self, settings.idle_lock_minutes)
        self.idle_watcher = self.session_guard.idle_watcher
        self.leave_guard = LeaveGuard(self)
        self._stop_listening = [
            on_error_reported(self._on_error_reported),
            on_busy_text(self._on_busy_text),
        ]
        # Also when the window is deleted without being closed, it stops listening.
        self.destroyed.connect(partial(_stop_all, self._stop_listening))
        self._restore_geometry()
        self._on_clock_timeout()
        self.show_screen(self._specs[0].key)

    # layout

    def _build_ui(self) -> None:
        self.stack = named(QStackedWidget(), "screenStack")
        for spec in self._specs:
            screen = spec.factory(self.session, self.stack)
            screen.setObjectName(screen.objectName() or f"{spec.key}Screen")
            self.screens[spec.key] = screen
            self.stack.addWidget(screen)
            self._connect_messages(screen)
        self.stack.currentChanged.connect(self._on_stack_current_changed)
        self._on_stack_current_changed(self.stack.currentIndex())
        self.message_bar = MessageBar()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar_holder = QVBoxLayout()
        bar_holder.setContentsMargins(14, 8, 14, 0)
        bar_holder.addWidget(self.message_bar)
        layout.addLayout(bar_holder)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        checkout = self.screens.get("checkout")
        self.till = TillMenu(
            self,
            self.session,
            checkout if isinstance(checkout, CheckoutScreen) else None,
            self.show_message,
        )
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

    def _connect_messages(self, screen: QWidget) -> None:
        """A screen's ``message(text, error)`` (an export done, an import failed) shows in the
        message bar above the screens."""
        message = getattr(screen, "message", None)
        if isinstance(message, SignalInstance):
            message.connect(self.show_message)

    def _build_actions(self) -> None:
        self.screen_group = QActionGroup(self)
        for number, spec in enumerate(self._specs, start=1):
            title = translated("Screen", spec.title)
            action = QAction(icon(spec.icon), title, self)
            action.setObjectName(f"{spec.key}Action")
            action.setCheckable(True)
            key = f"Ctrl+{number % 10}"  # the tenth screen is Ctrl+0, as on the keyboard's row
            action.setShortcut(QKeySequence(key))
            action.setToolTip(self.tr("{0} ({1})").format(title, key))
            action.setData(spec.key)
            self.screen_group.addAction(action)
            self.screen_actions[spec.key] = action
        self.lock_action = named(QAction(icon("lock"), self.tr("Lock"), self), "lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.logout_action = named(
            QAction(icon("logout"), self.tr("Log out"), self), "logoutAction"
        )
        self.logout_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.quit_action = named(QAction(icon("quit"), self.tr("Quit"), self), "quitAction")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.about_action = named(
            QAction(icon("about"), self.tr("About Till"), self), "aboutAction"
        )
        self.help_action = named(QAction(self.tr("Keyboard shortcuts"), self), "shortcutHelpAction")
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_dialog: ShortcutHelpDialog | None = None
        self.full_screen_action = named(QAction(self.tr("Full screen"), self), "fullScreenAction")
        self.full_screen_action.setCheckable(True)
        self.full_screen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        file_menu = menu_bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.logout_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menu_bar.addMenu(self.tr("&View"))
        view_menu.addAction(self.full_screen_action)
        go_menu = menu_bar.addMenu(self.tr("&Go"))
        for action in self.screen_actions.values():
            go_menu.addAction(action)
        menu_bar.addMenu(self.till.menu)
        help_menu = menu_bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = self.addToolBar(self.tr("Screens"))
        self.toolbar = toolbar
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(22, 22))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.screen_actions.values():
            toolbar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        for action in (self.lock_action, self.logout_action):
            toolbar.addAction(action)
            # Icon only, so an owner's nine screens and these two still fit a 1280-pixel screen.
            button = toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
                button.setToolTip(f"{action.text()} ({action.shortcut().toString()})")

    def _fit_toolbar(self) -> None:
        """Screen names beside the icons when they fit the window's width, else icons only
        (their names are in the tooltips), so no screen ends up behind the overflow arrow."""
        toolbar = self.toolbar
        if toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon:
            self._toolbar_text_width = toolbar.sizeHint().width()
        wide = self.width() >= self._toolbar_text_width
        toolbar.setToolButtonStyle(
            Qt.ToolButtonStyle.ToolButtonTextBesideIcon
            if wide
            else Qt.ToolButtonStyle.ToolButtonIconOnly
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_toolbar()
        super().resizeEvent(event)

    def _build_status_bar(self) -> None:
        user = self.session.user
        self.user_label = named(QLabel(user.full_name), "statusUser")
        self.role_label = named(QLabel(role_label(user.role)), "statusRole")
        description = self.session.ctx.database.description
        self.database_label = named(QLabel(description), "statusDatabase")
        # A long database path is cut short rather than widening the window.
        self.database_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.database_label.setToolTip(description)
        self.clock_label = named(QLabel(), "statusClock")
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.user_label)
        status.addWidget(self.role_label)
        status.addWidget(self.database_label, 1)
        status.addPermanentWidget(self.till.printer_label)
        status.addPermanentWidget(self.clock_label)
        self.clock = QTimer(self)
        self.clock.setInterval(1000)

    def _connect_signals(self) -> None:
        self.screen_group.triggered.connect(self._on_screen_action_triggered)
        self.lock_action.triggered.connect(self.lock)
        self.logout_action.triggered.connect(self._on_logout_triggered)
        self.quit_action.triggered.connect(self._on_quit_triggered)
        self.about_action.triggered.connect(self._on_about_triggered)
        self.help_action.triggered.connect(self._on_help_triggered)
        self.full_screen_action.toggled.connect(self.placement.set_full_screen)
        self.clock.timeout.connect(self._on_clock_timeout)
        self.clock.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    # screens and messages

    def show_screen(self, key: str) -> None:
        screen = self.screens.get(key)
        if screen is None:
            return
        self.screen_actions[key].setChecked(True)
        # A screen reads its data when it is shown and out of date (its Freshness), not here.
        self.stack.setCurrentWidget(screen)

    def _on_stack_current_changed(self, _index: int) -> None:
        """The window asks only for the room of the screen shown: the checkout's tall panel
        must not push the status bar off a 768-pixel screen when another screen's message
        appears above it."""
        current = self.stack.currentWidget()
        for page in self.screens.values():
            shown = page is current
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        stack_layout = self.stack.layout()
        if stack_layout is not None:
            stack_layout.invalidate()
        self.stack.updateGeometry()

    def focus_current_screen(self) -> None:
        """The keyboard goes to the screen's main field (its focus proxy), else to its first
        field that takes the keyboard."""
        screen = self.stack.currentWidget()
        if screen is None:
            return
        proxy = screen.focusProxy()
        if proxy is not None and proxy.isVisible() and proxy.isEnabled():
            screen.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        for child in screen.findChildren(QWidget):
            takes_tab = bool(child.focusPolicy() & Qt.FocusPolicy.TabFocus)
            if takes_tab and child.isVisible() and child.isEnabled():
                child.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Back from one of this window's dialogs, the keyboard goes to the screen's main
        field: a cashier never has to click before typing or pressing an F-key again."""
        if self._own_dialog_of(old) and not self._own_dialog_of(new):
            QTimer.singleShot(0, self.focus_current_screen)

    def _own_dialog_of(self, widget: QWidget | None) -> bool:
        try:
            window = widget.window() if widget is not None else None
            if not isinstance(window, QDialog):
                return False
            parent = window.parentWidget()
            return parent is not None and parent.window() is self
        except RuntimeError:  # the dialog has been deleted already
            return False

    def current_screen_key(self) -> str:
        current = self.stack.currentWidget()
        return next(key for key, screen in self.screens.items() if screen is current)

    def show_message(self, text: str, error: bool = False) -> None:
        self.message_bar.show_text(text, error=error)

    def _on_error_reported(self, text: str) -> None:
        self.show_message(text, error=True)

    def _on_busy_text(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text)
        else:
            self.statusBar().clearMessage()

    def _on_screen_action_triggered(self, action: QAction) -> None:
        self.show_screen(str(action.data()))

    def _on_clock_timeout(self) -> None:
        now = datetime.now(self._settings.timezone)
        shop = self._settings.shop_format
        self.clock_label.setText(f"{shop.long_date(now)}  {shop.time_with_seconds(now)}")

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About Till",
            f"<b>Till</b> point of sale, version {__version__}<br>{self._settings.shop_name}<br>"
            f"Till id: {self._settings.till_id}<br>"
            f"Data: {self.session.ctx.database.description}",
        )

    def _on_help_triggered(self) -> None:
        """The shortcuts of the screen in front and of the window, read from the shortcuts."""
        key = self.current_screen_key()
        window_actions = [
            action for action in self.findChildren(QAction) if action.parent() is self
        ]
        entries = shortcuts_for(window_actions, self.screens[key])
        title = self.screen_actions[key].text()
        if self.help_dialog is not None:
            self.help_dialog.deleteLater()
        self.help_dialog = ShortcutHelpDialog(title, entries, self)
        self.help_dialog.open()

    # lock, log out, quit

    @property
    def lock_dialog(self) -> LockDialog | None:
        return self.session_guard.lock_dialog

    def lock(self, reason: str | None = None) -> None:
        """Lock the till; ``reason`` says why the session ended, None for an idle lock."""
        self.session_guard.lock(reason)

    def log_out(self) -> None:
        self.leave_guard.leave("log out", self.logged_out.emit)

    def _on_logout_triggered(self) -> None:
        self.log_out()

    def _on_quit_triggered(self) -> None:
        self.leave_guard.leave("quit", lambda: None)

    # placement

    def _restore_geometry(self) -> None:
        restore_column_state(self)
        self.placement.restore()
        if self.placement.wants_full_screen():
            self.full_screen_action.setChecked(True)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.leave_guard.holds_close():
            # Closing the window is quitting: the cart is parked or voided first, or kept.
            event.ignore()
            QTimer.singleShot(0, self._on_quit_triggered)
            return
        self.session_guard.stop()
        _stop_all(self._stop_listening)
        self.placement.save()
        save_column_state(self)
        self.clock.stop()
        self.till.shutdown()
        super().closeEvent(event)


def _stop_all(stops: list[Callable[[], None]], *_destroyed: object) -> None:
    for stop in stops:
        stop()
