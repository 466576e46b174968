"""The login window: e-mail and password, checked in the background."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.config import Settings
from pos_app.services import auth
from pos_app.services.auth import LoginResult
from pos_app.services.context import ServiceContext
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
from pos_app.ui.style import icon, named, set_role


class LoginDialog(QDialog):
    """Enter submits; a wrong password or a locked account is shown in red under the fields."""

    def __init__(
        self,
        ctx: ServiceContext,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        email: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings
        self._busy = False
        self.session: UiSession | None = None
        self.setObjectName("loginDialog")
        # Qt adds the application's name: "Till Corner Shop — Till".
        self.setWindowTitle(settings.shop_name)
        self._build_ui()
        self._connect_signals()
        self.email_edit.setText(email)
        (self.password_edit if email else self.email_edit).setFocus()

    @classmethod
    def ask(
        cls, ctx: ServiceContext, settings: Settings, parent: QWidget | None = None
    ) -> UiSession | None:
        """Show the dialog modally; the logged-in session, or None when cancelled."""
        dialog = cls(ctx, settings, parent)
        return dialog.session if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _build_ui(self) -> None:
        self.setMinimumWidth(460)
        title = QLabel(self._settings.shop_name)
        set_role(title, "title")
        subtitle = QLabel(self.tr("Log in to open the till."))
        set_role(subtitle, "muted")
        badge = QLabel()
        badge.setPixmap(icon("till").pixmap(40, 40))

        self.email_edit = named(QLineEdit(), "loginEmail")
        self.email_edit.setPlaceholderText(self.tr("name@shop.example"))
        self.email_edit.setMaxLength(254)
        self.password_edit = password_edit("loginPassword", 1024)
        self.error_label = hidden_error("loginError")
        self.login_button, self.cancel_button = submit_buttons(
            (self.tr("Log in"), "loginButton"), (self.tr("Quit"), "loginCancel")
        )

        heading = QHBoxLayout()
        heading.addWidget(badge)
        texts = QVBoxLayout()
        texts.addWidget(title)
        texts.addWidget(subtitle)
        heading.addLayout(texts, 1)

        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(self.tr("E-mail"), self.email_edit)
        form.addRow(self.tr("Password"), self.password_edit)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.login_button)

        panel_layout(self, "loginPanel", 14, (heading, form, self.error_label, buttons))

    def _connect_signals(self) -> None:
        self.login_button.clicked.connect(self._on_login_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.email_edit.textEdited.connect(self._on_input_edited)
        self.password_edit.textEdited.connect(self._on_input_edited)

    def _on_login_clicked(self) -> None:
        if self._busy:
            return
        email = self.email_edit.text().strip()
        password = self.password_edit.text()
        if not email or not password:
            self._show_error(self.tr("Enter your e-mail and password."))
            (self.email_edit if not email else self.password_edit).setFocus()
            return
        ctx = self._ctx
        Op(
            self, op=lambda: auth.login(ctx, email, password), success=self._on_login_succeeded
        ).failure(self._on_login_failed).with_busy(self._set_busy).run()

    def _on_login_succeeded(self, result: LoginResult) -> None:
        self.session = UiSession(self._ctx, self._settings, result.session)
        self.password_edit.clear()
        self.accept()

    def _on_login_failed(self, error: BaseException) -> None:
        show_rejected(self.error_label, self.password_edit, describe_error(error))

    def _on_input_edited(self, _text: str) -> None:
        self.error_label.hide()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        fields = (self.email_edit, self.password_edit)
        set_checking(self, self.login_button, self.tr("Log in"), fields, busy)

    def reject(self) -> None:
        if not self._busy:
            super().reject()
