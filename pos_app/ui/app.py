"""Start the GUI: application, style, log file, login, main window; log out returns to login."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import re
import sys
from collections.abc import Mapping
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pos_app.config import Settings, ensure_data_dir
from pos_app.logs import setup_logging
from pos_app.services.context import ServiceContext
from pos_app.ui.errors import UNEXPECTED
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.session import UiSession
from pos_app.ui.startup import SeedOp, StartupWindow
from pos_app.ui.style import BASE_POINT_SIZE, apply_style
from pos_app.ui.translation import install_translators

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow

log = logging.getLogger("pos_app")

APP_NAME = "Till"
# The installed menu entry's name (pos-app install-desktop): the desktop shows the window with
# that entry's icon and groups it there.
DESKTOP_FILE_NAME = "till-pos"
ORGANIZATION = "Till"
WINDOW_SHOWN = "the login window is shown"
WINDOW_NOT_SHOWN = 3
XCB_PACKAGES = (
    "libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
    "libxcb-render-util0 libxcb-image0 libxcb-randr0"
)
XCB_LIBRARIES = ("xcb-cursor", "xkbcommon-x11")


def display_problem(env: Mapping[str, str] | None = None) -> str | None:
    """One sentence when Qt could not open a window here, else None. Call before QApplication."""
    values = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    platform = values.get("QT_QPA_PLATFORM", "").strip()
    has_x = bool(values.get("DISPLAY"))
    has_wayland = bool(values.get("WAYLAND_DISPLAY"))
    if not platform and not has_x and not has_wayland:
        return (
            "No display was found: to run without a screen start the till with "
            "QT_QPA_PLATFORM=offscreen, or under a virtual display with 'xvfb-run pos-app'."
        )
    uses_xcb = platform.startswith("xcb") or (not platform and has_x and not has_wayland)
    missing = [name for name in XCB_LIBRARIES if ctypes.util.find_library(name) is None]
    if uses_xcb and missing:
        return (
            "Qt cannot open its X11 (xcb) display plugin because system libraries are missing; "
            f"install them with 'sudo apt-get install {XCB_PACKAGES}' "
            "(or run headless with QT_QPA_PLATFORM=offscreen)."
        )
    return None


def claim_till(settings: Settings) -> QLockFile | None:
    """Hold this till's lock file in the data folder while the window runs; None when another
    window of the same till on this computer holds it. A lock left by a process that died is
    taken over (Qt checks whether its owner still runs)."""
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", settings.till_id) or "till"
    lock = QLockFile(str(ensure_data_dir(settings) / f"till-{safe_id}.lock"))
    lock.setStaleLockTime(0)  # never stale by age: a till stays open for days
    return lock if lock.tryLock(0) else None


def already_open(settings: Settings) -> str:
    return (
        f"Till '{settings.till_id}' is already open on this computer; switch to its window, "
        "or give this one another POS_TILL_ID."
    )


def _excepthook(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    """An exception escaping a slot is logged and shown as one calm sentence."""
    log.error("unexpected error", exc_info=(kind, error, traceback))
    app = QApplication.instance()
    if isinstance(app, QApplication):
        QMessageBox.warning(
            app.activeWindow(), QCoreApplication.translate("app", "Till"), UNEXPECTED
        )


def create_application(
    argv: list[str] | None = None, point_size: int = BASE_POINT_SIZE
) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    apply_style(app, point_size)
    freeze_loaded_code()
    return app


def freeze_loaded_code() -> None:
    """Take what is alive now (the imported code, the application) out of the cyclic
    collector's full passes.

    Modules, classes and functions live as long as the process; a full collection would walk
    every one of them (over 100,000 objects once the screens are loaded) and pause the window
    for tens of milliseconds at a random keystroke. Frozen, they are never walked again. Call it
    only while nothing short-lived but small is alive: what is frozen is never freed.
    """
    gc.freeze()


class AppController(QObject):
    """Login, then the main window; logging out shows the login again."""

    def __init__(self, settings: Settings, ctx: ServiceContext) -> None:
        super().__init__()
        self._settings = settings
        self._ctx = ctx
        self.login_dialog: LoginDialog | None = None
        self.startup_window: StartupWindow | None = None
        self.window: QObject | None = None
        # The last window is kept until the next log-out: it is still running the callback that
        # logged out when it asks for the login, and destroying it there would pull the rug.
        self._retired: QObject | None = None

    def prepare_first_start(self, seed: SeedOp) -> None:
        """A progress window while ``seed`` runs, then the login."""
        window = StartupWindow(seed)
        window.finished.connect(self.show_login)
        self.startup_window = window
        window.start()

    def show_login(self, email: str = "") -> None:
        """A new login dialog; the previous one (idle by now) is released."""
        dialog = LoginDialog(self._ctx, self._settings, email=email)
        dialog.accepted.connect(self._on_login_accepted)
        dialog.rejected.connect(self._on_login_rejected)
        self.login_dialog = dialog
        dialog.show()

    def _on_login_accepted(self) -> None:
        from pos_app.ui.main_window import MainWindow

        if self._retired is None and self.window is None:
            freeze_loaded_code()  # the first log-in: the screens' code has just been imported
        dialog = self.login_dialog
        session: UiSession | None = dialog.session if dialog is not None else None
        if session is None:
            return
        self._open_window(MainWindow(session, self._settings))
        log.info("%s logged in", session.user.email)

    def _open_window(self, window: MainWindow) -> None:
        window.logged_out.connect(self._on_window_logged_out)
        window.role_changed.connect(self._on_window_role_changed)
        self.window = window
        window.show()

    def _on_window_role_changed(self, session: UiSession) -> None:
        log.info("%s logged in again as %s", session.user.email, session.user.role.value)
        from pos_app.ui.main_window import MainWindow

        self._retired = self.window
        self._open_window(MainWindow(session, self._settings))

    def _on_window_logged_out(self) -> None:
        log.info("logged out")
        self._retired, self.window = self.window, None
        self.show_login()

    def _on_login_rejected(self) -> None:
        QApplication.quit()


def run_gui(
    settings: Settings,
    ctx: ServiceContext,
    first_start: SeedOp | None = None,
    quit_after: float | None = None,
) -> int:
    """Run the till until the last window closes; returns the exit status. ``first_start``
    builds the demo shop behind a progress window before the login shows.

    With ``quit_after`` the till closes itself that many seconds after start-up, with status 0
    if its login window was on screen then and ``WINDOW_NOT_SHOWN`` if not: a start-up check
    for an installed copy.
    """
    ensure_data_dir(settings)
    log_path = setup_logging(settings.data_dir)
    sys.excepthook = _excepthook
    app = create_application(point_size=settings.font_size)
    install_translators(app, settings.locale, settings.data_dir)  # owned by the application
    log.info("starting the till (log: %s, data: %s)", log_path, ctx.database.description)
    controller = AppController(settings, ctx)
    if first_start is None:
        controller.show_login()
    else:
        controller.prepare_first_start(first_start)
    if quit_after is not None:
        QTimer.singleShot(int(quit_after * 1000), lambda: _quit_if_shown(controller))
    return app.exec()


def _quit_if_shown(controller: AppController) -> None:
    dialog = controller.login_dialog
    if dialog is not None and dialog.isVisible():
        log.info(WINDOW_SHOWN)
        print(f"Till: {WINDOW_SHOWN}.", file=sys.stderr)
        QApplication.exit(0)
        return
    print("Till: the login window did not open.", file=sys.stderr)
    QApplication.exit(WINDOW_NOT_SHOWN)
