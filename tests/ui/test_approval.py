from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.services import auth
from pos_app.services.access import ApprovalToken
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.approval import ApprovalDialog
from pos_app.ui.errors import on_session_ended
from pos_app.ui.session import UiSession
from tests.ui.conftest import EMAILS, PASSWORDS

SessionFor = Callable[[Role], UiSession]


def open_dialog(qtbot: QtBot, session: UiSession) -> ApprovalDialog:
    dialog = ApprovalDialog(session, "A refund of €80.00 needs approval.")
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def sign(qtbot: QtBot, dialog: ApprovalDialog, role: Role, password: str | None = None) -> None:
    dialog.email_edit.setText(EMAILS[role])
    dialog.password_edit.setText(PASSWORDS[role] if password is None else password)
    dialog.approve_button.click()
    qtbot.waitUntil(lambda: not dialog.busy)


def test_a_manager_logging_in_approves(qtbot: QtBot, session_for: SessionFor) -> None:
    cashier = session_for(Role.CASHIER)
    dialog = open_dialog(qtbot, cashier)
    assert dialog.findChild(QWidget, "approvalReason").text() == (  # type: ignore[union-attr]
        "A refund of €80.00 needs approval."
    )
    sign(qtbot, dialog, Role.MANAGER)
    assert dialog.result() == ApprovalDialog.DialogCode.Accepted
    assert dialog.approver is not None and dialog.approver.role is Role.MANAGER


def test_a_cashier_or_a_wrong_password_cannot_approve(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    dialog = open_dialog(qtbot, session_for(Role.CASHIER))
    sign(qtbot, dialog, Role.CASHIER)
    assert dialog.error_label.text() == "Only a manager or the owner can approve this."
    assert dialog.approver is None and dialog.isVisible()
    sign(qtbot, dialog, Role.OWNER, password="not-the-password")
    assert dialog.approver is None and dialog.error_label.isVisibleTo(dialog)
    assert dialog.password_edit.text() == ""
    dialog.email_edit.clear()
    dialog.approve_button.click()
    assert dialog.error_label.text() == "Enter the manager's e-mail and password."


def test_ask_returns_the_approving_owner_or_none_when_cancelled(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    cashier = session_for(Role.CASHIER)
    parent = QWidget()
    qtbot.addWidget(parent)
    watchdog = QTimer(parent)  # never let a failed step leave the modal dialog waiting
    watchdog.setInterval(5000)
    watchdog.timeout.connect(lambda: QApplication.activeModalWidget().reject())  # type: ignore[union-attr]
    watchdog.start()

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ApprovalDialog)
        dialog.email_edit.setText(EMAILS[Role.OWNER])
        dialog.password_edit.setText(PASSWORDS[Role.OWNER])
        dialog.approve_button.click()

    QTimer.singleShot(0, fill_in)
    approver: ApprovalToken | None = ApprovalDialog.ask(parent, cashier)
    assert approver is not None and approver.role is Role.OWNER

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ApprovalDialog)
        dialog.cancel_button.click()

    QTimer.singleShot(0, cancel)
    assert ApprovalDialog.ask(parent, cashier) is None


def test_no_approval_is_given_to_a_session_that_has_ended_and_the_till_hears_why(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    cashier = session_for(Role.CASHIER)
    heard: list[str] = []
    stop_listening = on_session_ended(heard.append)
    try:
        auth.logout(ui_ctx, cashier.token)
        dialog = open_dialog(qtbot, cashier)
        sign(qtbot, dialog, Role.MANAGER)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert dialog.approver is None
        assert dialog.result() == ApprovalDialog.DialogCode.Rejected
        assert heard and set(heard) == {"This session was logged out; please log in again."}
    finally:
        stop_listening()
