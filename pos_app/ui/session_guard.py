"""The window's hold on its session: the idle lock, a session that ended elsewhere, unlocking
(perhaps as someone of another role), and revoking the token when the window ends."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from pos_app.services import auth
from pos_app.services.access import UserSession
from pos_app.ui.errors import on_session_ended
from pos_app.ui.lock import IdleWatcher, LockDialog
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import run_in_background

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow


class SessionGuard(QObject):
    def __init__(self, window: MainWindow, idle_lock_minutes: int) -> None:
        super().__init__(window)
        self._window = window
        self.lock_dialog: LockDialog | None = None
        self.ending = False
        self.idle_watcher = IdleWatcher(idle_lock_minutes * 60_000, window)
        self.idle_watcher.idle.connect(self._on_idle_watcher_idle)
        self._stop_listening = on_session_ended(self._on_session_ended)
        self.destroyed.connect(partial(_stop, self._stop_listening))

    def lock(self, reason: str | None = None) -> None:
        """Lock the till; ``reason`` says why the session ended, None for an idle lock."""
        if self.ending:
            return
        if self.lock_dialog is not None:
            if reason is not None:
                self.lock_dialog.show_reason(reason)
            return
        self.idle_watcher.pause()
        dialog = LockDialog(self._window.session, self._window, reason)
        dialog.unlocked.connect(self._on_lock_dialog_unlocked)
        dialog.logout_requested.connect(self._window.log_out)
        self.lock_dialog = dialog
        dialog.open()

    def end_session(self, then: Callable[[], None]) -> None:
        """Revoke the token in the background, then run ``then`` and close the window."""
        if self.ending:
            return
        self.ending = True
        self.idle_watcher.stop()
        window = self._window
        ctx, token = window.session.ctx, window.session.token

        def finish(_result: object) -> None:
            then()  # first, so the login is showing before the last window closes
            window.close()

        run_in_background(window, lambda: auth.logout(ctx, token), finish, finish)

    def stop(self) -> None:
        """The window is closing: no more locks."""
        self._stop_listening()
        self.idle_watcher.stop()

    def _on_idle_watcher_idle(self) -> None:
        self.lock()

    def _on_session_ended(self, reason: str) -> None:
        self.lock(reason)

    def _on_lock_dialog_unlocked(self, fresh: UserSession) -> None:
        window = self._window
        if self.lock_dialog is not None:
            self.lock_dialog.deleteLater()
        self.lock_dialog = None
        ctx, old_token = window.session.ctx, window.session.token
        run_in_background(window, lambda: auth.logout(ctx, old_token), _ignore, _ignore)
        if fresh.role is not window.session.user.role:
            self.ending = True
            self.idle_watcher.stop()
            window.role_changed.emit(UiSession(ctx, window.session.settings, fresh))
            window.close()
            return
        window.session.user = fresh
        self.idle_watcher.resume()
        window.show_message(QCoreApplication.translate("MainWindow", "Welcome back."))


def _stop(stop_listening: Callable[[], None], *_destroyed: object) -> None:
    stop_listening()


def _ignore(_result: object) -> None:
    """Revoking a session that has already ended may fail; there is nothing left to do."""
