"""A manager's approval at the till: the manager types e-mail and password on the cashier's till.

The password is checked with ``auth.approve`` in the background: no session is opened, and the
answer is a short-lived approval signed for this cashier and this action, which the service
checks again. A cashier's own account, or anyone below manager, cannot approve. The audit log
records an approval: what was approved, for whom and by whom.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from pos_app.services import auth
from pos_app.services.access import ApprovalToken, UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import SessionEndedError
from pos_app.ui.dialog_layout import button_row, primary_button, show_error, side_button, stack
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import error_label
from pos_app.ui.style import named, set_role
from pos_app.ui.tasks import run_in_background


class ApprovalDialog(QDialog):
    """Accepted with ``approver`` set once a manager or owner has logged in here."""

    def __init__(
        self,
        ctx: ServiceContext,
        actor: UserSession,
        action: str,
        reason: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._action = action
        self._reason = reason
        self._busy = False
        self.approver: ApprovalToken | None = None
        self.setObjectName("approvalDialog")
        self.setWindowTitle(self.tr("Manager approval"))
        self.setModal(True)
        self._build_ui(reason)
        self._connect_signals()

    def _build_ui(self, reason: str) -> None:
        self.setMinimumWidth(420)
        title = QLabel(self.tr("Manager approval needed"))
        set_role(title, "title")
        why = named(QLabel(reason), "approvalReason")
        why.setWordWrap(True)
        set_role(why, "muted")
        self.email_edit = named(QLineEdit(), "approvalEmail")
        self.email_edit.setPlaceholderText(self.tr("manager@shop.example"))
        self.email_edit.setMaxLength(254)
        self.password_edit = named(QLineEdit(), "approvalPassword")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(1024)
        self.error_label = error_label("approvalError")
        self.approve_button = primary_button(self.tr("Approve  Enter"), "approvalApprove")
        self.cancel_button = side_button(self.tr("Back  Esc"), "approvalCancel")
        form = QFormLayout()
        form.addRow(self.tr("E-mail"), self.email_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        buttons = button_row([self.cancel_button], [self.approve_button])
        stack(self, title, why, form, self.error_label, buttons)
        self.email_edit.setFocus()

    def _connect_signals(self) -> None:
        self.approve_button.clicked.connect(self._on_approve_clicked)
        self.cancel_button.clicked.connect(self.reject)

    @property
    def busy(self) -> bool:
        return self._busy

    def _on_approve_clicked(self) -> None:
        if self._busy:
            return
        email, password = self.email_edit.text().strip(), self.password_edit.text()
        if not email or not password:
            show_error(self.error_label, self.tr("Enter the manager's e-mail and password."))
            return
        ctx, actor, action, reason = self._ctx, self._actor, self._action, self._reason
        self._set_busy(True)
        run_in_background(
            self,
            lambda: auth.approve(ctx, actor, email, password, action=action, reason=reason),
            self._on_verified,
            self._on_failed,
        )

    def _on_verified(self, approval: ApprovalToken) -> None:
        self._set_busy(False)
        self.approver = approval
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, SessionEndedError):
            # The cashier's own session ended: the window locks; this dialog has no more use.
            describe_error(error)
            self.reject()
            return
        self.password_edit.clear()
        show_error(self.error_label, describe_error(error), self.password_edit)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.approve_button.setEnabled(not busy)
        self.approve_button.setText(self.tr("Checking…") if busy else self.tr("Approve  Enter"))

    def reject(self) -> None:
        if not self._busy:
            super().reject()
