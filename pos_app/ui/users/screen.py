"""Users (owners only): who may use the till, in which role, and who no longer may."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QItemSelection, QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pos_app.services import users
from pos_app.services.roles import Role, UserInfo
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import ServiceDialog, button, error_label, table_view
from pos_app.ui.models import Column, RowTableModel
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.style import set_role
from pos_app.ui.tasks import LatestOnly
from pos_app.ui.translation import role_label
from pos_app.ui.users.dialogs import PasswordDialog, RoleDialog, UserDialog

INACTIVE = QColor("#eceff3")
D = TypeVar("D", bound=ServiceDialog)


class UserColumn(IntEnum):
    NAME = 0
    EMAIL = 1
    ROLE = 2
    ACTIVE = 3
    LAST_LOGIN = 4


def last_login(moment: datetime | None, session: UiSession) -> str:
    return "never" if moment is None else session.when(moment)


def user_columns(session: UiSession) -> list[Column[UserInfo]]:
    return [
        Column[UserInfo](QCoreApplication.translate("users.screen", "Name"), lambda u: u.full_name),
        Column[UserInfo](QCoreApplication.translate("users.screen", "E-mail"), lambda u: u.email),
        Column[UserInfo](
            QCoreApplication.translate("users.screen", "Role"), lambda u: role_label(u.role)
        ),
        Column[UserInfo](
            QCoreApplication.translate("users.screen", "Active"), lambda u: u.is_active
        ),
        Column[UserInfo](
            QCoreApplication.translate("users.screen", "Last login"),
            lambda u: last_login(u.last_login, session),
        ),
    ]


class UsersScreen(QWidget):
    """Accounts of the shop; every change goes through the users service."""

    message = Signal(str, bool)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersScreen")
        self._session = session
        self._allowed = session.may(Role.OWNER)
        self._latest = LatestOnly(self)
        self.freshness = Freshness(self, Changes(users=True), self.refresh)
        self._select_user_id: int | None = None
        self.users = RowTableModel[UserInfo](user_columns(session), self)
        self.users.set_row_background(lambda u: None if u.is_active else INACTIVE)
        self._build_ui()
        self._connect_signals()
        self._update_buttons()

    def _build_ui(self) -> None:
        title = QLabel(self.tr("Users"))
        set_role(title, "title")
        self.new_button = button("newUserButton", self.tr("New user…"))
        self.role_button = button("changeRoleButton", self.tr("Change role…"))
        self.active_button = button("userActiveButton", self.tr("Deactivate"))
        self.password_button = button("resetPasswordButton", self.tr("Reset password…"))
        row = QHBoxLayout()
        for widget in (self.new_button, self.role_button, self.active_button, self.password_button):
            row.addWidget(widget)
        row.addStretch(1)
        self.view = table_view("userTable", self.users)
        for column, width in (
            (UserColumn.NAME, 200),
            (UserColumn.EMAIL, 260),
            (UserColumn.ROLE, 110),
            (UserColumn.ACTIVE, 80),
        ):
            self.view.setColumnWidth(column, width)
        self.error_label = error_label("usersError")
        self.hint_label = QLabel(
            self.tr("Deactivated users cannot sign in; their sales stay in the reports.")
            if self._allowed
            else self.tr("Only owners can manage users.")
        )
        self.hint_label.setObjectName("usersHint")
        set_role(self.hint_label, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.hint_label)

    def _connect_signals(self) -> None:
        self.new_button.clicked.connect(self._on_new_user_clicked)
        self.role_button.clicked.connect(self._on_change_role_clicked)
        self.active_button.clicked.connect(self._on_user_active_clicked)
        self.password_button.clicked.connect(self._on_reset_password_clicked)
        self.view.selectionModel().selectionChanged.connect(self._on_user_selection_changed)
        self.view.activated.connect(self._on_user_view_activated)

    # -- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self._allowed:
            return
        self.freshness.mark_fresh()
        current = self.selected_user()
        if current is not None and self._select_user_id is None:
            self._select_user_id = current.id
        ctx, actor = self._session.ctx, self._session.user
        self._latest.run(
            lambda: users.list_users(ctx, actor), self._on_users_loaded, self._on_request_failed
        )

    def _on_users_loaded(self, rows: list[UserInfo]) -> None:
        self.users.set_rows(rows)
        wanted, self._select_user_id = self._select_user_id, None
        for number, user in enumerate(rows):
            if user.id == wanted:
                self.view.selectRow(number)
        self._update_buttons()

    # -- helpers ------------------------------------------------------------------------------

    def selected_user(self) -> UserInfo | None:
        return self.users.row_at(self.view.currentIndex())

    def _update_buttons(self) -> None:
        user = self.selected_user()
        chosen = self._allowed and user is not None
        self.new_button.setEnabled(self._allowed)
        for widget in (self.role_button, self.active_button, self.password_button):
            widget.setEnabled(chosen)
        self.active_button.setText(
            self.tr("Reactivate") if user and not user.is_active else self.tr("Deactivate")
        )

    def open_user_dialog(self) -> UserDialog:
        return self._open(UserDialog(self._session, self))

    def open_role_dialog(self, user: UserInfo) -> RoleDialog:
        return self._open(RoleDialog(self._session, user, self))

    def open_password_dialog(self, user: UserInfo) -> PasswordDialog:
        dialog = PasswordDialog(self._session, user, self)
        dialog.saved.connect(self._on_password_reset)
        dialog.open()
        return dialog

    def _open(self, dialog: D) -> D:
        dialog.saved.connect(self._on_user_saved)
        dialog.open()
        return dialog

    # -- slots --------------------------------------------------------------------------------

    def _on_user_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.error_label.hide()
        self._update_buttons()

    def _on_user_view_activated(self, _index: QModelIndex) -> None:
        self._on_change_role_clicked()

    def _on_new_user_clicked(self) -> None:
        if self._allowed:
            self.open_user_dialog()

    def _on_change_role_clicked(self) -> None:
        user = self.selected_user()
        if self._allowed and user is not None:
            self.open_role_dialog(user)

    def _on_reset_password_clicked(self) -> None:
        user = self.selected_user()
        if self._allowed and user is not None:
            self.open_password_dialog(user)

    def _on_user_active_clicked(self) -> None:
        user = self.selected_user()
        if not self._allowed or user is None:
            return
        ctx, actor, active = self._session.ctx, self._session.user, not user.is_active
        Op(
            self,
            op=lambda: users.set_user_active(ctx, actor, user.id, active),
            success=self._on_user_saved,
            changes=Changes(users=True),
        ).failure(self._on_request_failed).with_busy(self.active_button).run()

    def _on_user_saved(self, user: UserInfo) -> None:
        state = "" if user.is_active else self.tr(" (deactivated)")
        self.message.emit(
            self.tr("Saved {0}: {1}{2}.").format(user.full_name, role_label(user.role), state),
            False,
        )
        self._select_user_id = user.id
        self.refresh()

    def _on_password_reset(self, user: UserInfo) -> None:
        self.message.emit(
            self.tr("New password set for {0}; they must sign in again.").format(user.full_name),
            False,
        )

    def _on_request_failed(self, error: BaseException) -> None:
        text = describe_error(error)
        self.error_label.setText(text)
        self.error_label.show()
        self._update_buttons()
        self.message.emit(text, True)
