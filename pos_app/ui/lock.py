"""Idle lock: after some minutes without input the till asks the same user's password again.

The same dialog locks a window whose session a service refused (logged out elsewhere, the account
deactivated or its role changed), saying why. Either way unlocking is a fresh login.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from pos_app.services import auth
from pos_app.services.auth import LoginResult
from pos_app.ui.credentials import (
    hidden_error,
    panel_layout,
    password_edit,
    set_checking,
    show_rejected,
    submit_buttons,
)
from pos_app.ui.errors import describe_error
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, set_role

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Watches every input event of the application; ``idle`` fires after ``timeout_ms`` of none."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._paused = False
        self.set_timeout_ms(timeout_ms)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """0 switches the lock off."""
        self._timer.setInterval(max(0, timeout_ms))
        self._restart()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def pause(self) -> None:
        self._paused = True
        self._timer.stop()

    def resume(self) -> None:
        self._paused = False
        self._restart()

    def stop(self) -> None:
        self.pause()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self._paused:
            self._timer.start()
        return False

    def _restart(self) -> None:
        if not self._paused and self._timer.interval() > 0:
            self._timer.start()
        else:
            self._timer.stop()


class LockDialog(QDialog):
    """Modal; only the locked user's password (or logging out) closes it. The cart stays.

    ``unlocked`` carries the fresh ``UserSession`` of that login; ``reason`` says why a session
    ended, None for the idle lock.
    """

    unlocked = Signal(object)
    logout_requested = Signal()

    def __init__(
        self, session: UiSession, parent: QWidget | None = None, reason: str | None = None
    ) -> None:
        super().__init__(parent)
        self._session = session
        self.reason = reason
        self._busy = False
        self.setObjectName("lockDialog")
        self.setWindowTitle(self.tr("Till locked"))
        self.setModal(True)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setMinimumWidth(420)
        badge = QLabel()
        badge.setPixmap(icon("lock").pixmap(36, 36))
        title = QLabel(self.tr("The till is locked"))
        set_role(title, "title")
        self.reason_label = QLabel(self.reason or "")
        self.reason_label.setObjectName("lockReason")
        self.reason_label.setWordWrap(True)
        set_role(self.reason_label, "error")
        self.reason_label.setVisible(self.reason is not None)
        who = QLabel(
            self.tr("{0} ({1}): enter your password to continue.").format(
                self._session.user.full_name, self._session.user.email
            )
            if self.reason is None
            else self.tr("{0} ({1}): enter your password to log in again.").format(
                self._session.user.full_name, self._session.user.email
            )
        )
        who.setWordWrap(True)
        self.password_edit = password_edit("lockPassword")
        self.error_label = hidden_error("lockError")
        self.unlock_button, self.logout_button = submit_buttons(
            (self.tr("Unlock"), "lockUnlock"), (self.tr("Log out"), "lockLogout")
        )

        heading = QHBoxLayout()
        heading.addWidget(badge)
        heading.addWidget(title, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.logout_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        panel_layout(
            self,
            "lockPanel",
            12,
            (heading, self.reason_label, who, self.password_edit, self.error_label, buttons),
        )
        self.password_edit.setFocus()

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.logout_button.clicked.connect(self._on_logout_clicked)
        self.password_edit.textEdited.connect(self._on_password_edited)

    def _on_unlock_clicked(self) -> None:
        password = self.password_edit.text()
        if self._busy or not password:
            return
        ctx, email = self._session.ctx, self._session.user.email
        Op(
            self, op=lambda: auth.login(ctx, email, password), success=self._on_unlock_succeeded
        ).failure(self._on_unlock_failed).with_busy(self._set_busy).run()

    def _on_unlock_succeeded(self, result: LoginResult) -> None:
        self.password_edit.clear()
        self.unlocked.emit(result.session)
        self.accept()

    def show_reason(self, reason: str) -> None:
        """A session ended while the idle lock was showing: say why."""
        self.reason = reason
        self.reason_label.setText(reason)
        self.reason_label.show()

    def _on_unlock_failed(self, error: BaseException) -> None:
        show_rejected(self.error_label, self.password_edit, describe_error(error))

    def _on_logout_clicked(self) -> None:
        # The window closes this dialog when the log-out goes ahead; going back from the
        # question about an open cart leaves the till locked.
        if self._busy:
            return
        self.logout_requested.emit()

    def _on_password_edited(self, _text: str) -> None:
        self.error_label.hide()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        set_checking(self, self.unlock_button, self.tr("Unlock"), (self.password_edit,), busy)

    def reject(self) -> None:
        """Escape and the close button do not unlock."""
