"""Idle lock: after some minutes without input the till asks the same user's password again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import auth
from pos_app.ui.errors import describe_error
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, mark_primary, named, set_role
from pos_app.ui.tasks import run_in_background

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
    """Modal; only the locked user's password (or logging out) closes it. The cart stays."""

    unlocked = Signal()
    logout_requested = Signal()

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._busy = False
        self.setObjectName("lockDialog")
        self.setWindowTitle("Till locked")
        self.setModal(True)
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.setMinimumWidth(420)
        badge = QLabel()
        badge.setPixmap(icon("lock").pixmap(36, 36))
        title = QLabel("The till is locked")
        set_role(title, "title")
        who = QLabel(
            f"{self._session.user.full_name} ({self._session.user.email}): "
            "enter your password to continue."
        )
        who.setWordWrap(True)
        self.password_edit = named(QLineEdit(), "lockPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = named(QLabel(), "lockError")
        self.error_label.setWordWrap(True)
        set_role(self.error_label, "error")
        self.error_label.hide()
        self.unlock_button = named(QPushButton("Unlock"), "lockUnlock")
        self.unlock_button.setDefault(True)
        mark_primary(self.unlock_button)
        self.logout_button = named(QPushButton("Log out"), "lockLogout")
        self.logout_button.setAutoDefault(False)

        heading = QHBoxLayout()
        heading.addWidget(badge)
        heading.addWidget(title, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.logout_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        panel = named(QFrame(), "lockPanel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(12)
        inner.addLayout(heading)
        inner.addWidget(who)
        inner.addWidget(self.password_edit)
        inner.addWidget(self.error_label)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        outer.addWidget(panel)
        self.password_edit.setFocus()

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.logout_button.clicked.connect(self._on_logout_clicked)
        self.password_edit.textEdited.connect(self._on_password_edited)

    def _on_unlock_clicked(self) -> None:
        password = self.password_edit.text()
        if self._busy or not password:
            return
        self._set_busy(True)
        ctx, email = self._session.ctx, self._session.user.email
        run_in_background(
            self,
            lambda: auth.verify_credentials(ctx, email, password),
            self._on_unlock_succeeded,
            self._on_unlock_failed,
        )

    def _on_unlock_succeeded(self, _user: object) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.unlocked.emit()
        self.accept()

    def _on_unlock_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(describe_error(error))
        self.error_label.show()
        self.password_edit.selectAll()
        self.password_edit.setFocus()

    def _on_logout_clicked(self) -> None:
        if self._busy:
            return
        self.logout_requested.emit()
        self.accept()

    def _on_password_edited(self, _text: str) -> None:
        self.error_label.hide()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText("Checking…" if busy else "Unlock")
        self.password_edit.setReadOnly(busy)
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def reject(self) -> None:
        """Escape and the close button do not unlock."""
