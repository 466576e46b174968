"""Forms for accounts: create a user, change a role, reset a password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from pos_app.services import auth, users
from pos_app.services.errors import ValidationError
from pos_app.services.roles import Role, UserInfo
from pos_app.ui.changes import Changes
from pos_app.ui.forms import ServiceDialog
from pos_app.ui.session import UiSession
from pos_app.ui.translation import role_label


def line_edit(name: str, placeholder: str = "", *, secret: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(254)
    if secret:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def role_combo(current: Role = Role.CASHIER) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName("roleField")
    for role in Role:
        combo.addItem(role_label(role), role.value)
    combo.setCurrentIndex(combo.findData(current.value))
    return combo


def matching_password(password: QLineEdit, repeat: QLineEdit) -> str:
    if password.text() != repeat.text():
        raise ValidationError("The two passwords differ.", field="repeat")
    return password.text()


class UserDialog(ServiceDialog):
    """A new account; the person signs in with the e-mail address and this password."""

    changes = Changes(users=True)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New user"), parent)
        self.setObjectName("userDialog")
        self._session = session
        self._build_ui()

    def _build_ui(self) -> None:
        self.first_name_field = line_edit("firstNameField")
        self.last_name_field = line_edit("lastNameField")
        self.email_field = line_edit("emailField", self.tr("name@example.com"))
        self.role_field = role_combo()
        self.password_field = line_edit("passwordField", secret=True)
        self.repeat_field = line_edit("repeatField", secret=True)
        add = self.errors.add_row
        add(self.form, self.tr("&First name"), self.first_name_field, "first_name")
        add(self.form, self.tr("&Last name"), self.last_name_field, "last_name")
        add(self.form, self.tr("&E-mail"), self.email_field, "email")
        add(self.form, self.tr("&Role"), self.role_field, "role")
        add(self.form, self.tr("&Password"), self.password_field, "password")
        add(self.form, self.tr("Re&peat"), self.repeat_field, "repeat")
        self.first_name_field.setFocus()

    def _operation(self) -> Callable[[], Any]:
        ctx, actor = self._session.ctx, self._session.user
        password = matching_password(self.password_field, self.repeat_field)
        first, last = self.first_name_field.text(), self.last_name_field.text()
        email, role = self.email_field.text(), Role(self.role_field.currentData())
        return lambda: auth.register_user(
            ctx,
            actor,
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            role=role,
        )


class RoleDialog(ServiceDialog):
    """Give a user another role."""

    changes = Changes(users=True)

    def __init__(self, session: UiSession, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Change role"), parent)
        self.setObjectName("roleDialog")
        self._session = session
        self._user = user
        self.role_field = role_combo(user.role)
        self.form.addRow(self.tr("User"), QLabel(f"<b>{user.full_name}</b> ({user.email})"))
        self.errors.add_row(self.form, self.tr("&Role"), self.role_field, "role", ["user_id"])

    def _operation(self) -> Callable[[], Any]:
        ctx, actor, user_id = self._session.ctx, self._session.user, self._user.id
        role = Role(self.role_field.currentData())
        return lambda: users.change_role(ctx, actor, user_id, role)


class PasswordDialog(ServiceDialog):
    """Set a new password for someone who forgot theirs; their sessions end."""

    changes = Changes(users=True)

    def __init__(self, session: UiSession, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Reset password"), parent)
        self.setObjectName("passwordDialog")
        self._session = session
        self._user = user
        self.password_field = line_edit("newPasswordField", secret=True)
        self.repeat_field = line_edit("repeatField", secret=True)
        self.form.addRow(self.tr("User"), QLabel(f"<b>{user.full_name}</b> ({user.email})"))
        add = self.errors.add_row
        add(self.form, self.tr("&New password"), self.password_field, "new_password", ["password"])
        add(self.form, self.tr("Re&peat"), self.repeat_field, "repeat")
        self.password_field.setFocus()

    def _operation(self) -> Callable[[], Any]:
        ctx, actor, user = self._session.ctx, self._session.user, self._user
        password = matching_password(self.password_field, self.repeat_field)

        def reset() -> UserInfo:
            users.reset_password(ctx, actor, user.id, password)
            return user

        return reset
