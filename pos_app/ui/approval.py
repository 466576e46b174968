"""A manager's approval asked from any screen: ``ApprovalDialog.ask(parent, session, ...)``.

A manager (or the owner) types e-mail and password on the till; ``auth.approve`` checks them in
the background and nobody is logged in or out. ``ask`` returns the signed approval of ``action``
for this till's user, or None when the dialog was cancelled. Tests replace ``ask`` with a stub.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from pos_app.services.access import PRICE_APPROVAL, ApprovalToken
from pos_app.ui.checkout.approval_dialog import ApprovalDialog as _ManagerLogin
from pos_app.ui.session import UiSession

DEFAULT_REASON = "A manager or the owner must approve this."


class ApprovalDialog(_ManagerLogin):
    """The manager-login dialog; ``approver`` is set once it was accepted."""

    def __init__(
        self,
        session: UiSession,
        reason: str = DEFAULT_REASON,
        parent: QWidget | None = None,
        *,
        action: str = PRICE_APPROVAL,
    ) -> None:
        super().__init__(session.ctx, session.user, action, reason, parent)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        session: UiSession,
        reason: str = DEFAULT_REASON,
        *,
        action: str = PRICE_APPROVAL,
    ) -> ApprovalToken | None:
        """Show the dialog modally; the manager's approval, or None when cancelled."""
        dialog = cls(session, reason, parent, action=action)
        try:
            dialog.exec()
            return dialog.approver
        finally:
            dialog.deleteLater()


__all__ = ["DEFAULT_REASON", "ApprovalDialog"]
