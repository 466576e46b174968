"""No sale: a manager or the owner opens the drawer without a sale, giving a reason.

The service records it (and refuses anyone else) before the drawer is kicked, so every opening
on the Z report has a name and a reason.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from pos_app.services import drawer
from pos_app.services.drawer import NoSale
from pos_app.ui.changes import Changes
from pos_app.ui.errors import describe_error
from pos_app.ui.hardware.devices import TillDevices
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession

Show = Callable[[str, bool], None]


def reason_dialog(parent: QWidget | None) -> QInputDialog:
    """The question the manager answers before the drawer opens."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("noSaleReasonDialog")
    dialog.setWindowTitle(QCoreApplication.translate("hardware.no_sale", "No sale"))
    dialog.setLabelText(
        QCoreApplication.translate("hardware.no_sale", "Why is the drawer opened without a sale?")
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    return dialog


def ask_reason(parent: QWidget) -> str | None:
    """The reason typed by the manager (tests replace this); None when cancelled."""
    dialog = reason_dialog(parent)
    accepted = dialog.exec() == QInputDialog.DialogCode.Accepted
    text = dialog.textValue()
    dialog.deleteLater()
    return text if accepted else None


class NoSaleAction:
    def __init__(
        self, parent: QWidget, session: UiSession, devices: TillDevices, show: Show
    ) -> None:
        self._parent = parent
        self._session = session
        self._devices = devices
        self._show = show
        self.running = False

    def start(self) -> None:
        if self.running:
            return
        reason = ask_reason(self._parent)
        if reason is None:
            return
        ctx, user = self._session.ctx, self._session.user
        Op(
            self._parent,
            op=lambda: drawer.no_sale(ctx, user, reason),
            success=self._on_recorded,
            changes=Changes(audit=True),
        ).failure(self._on_refused).with_busy(self._set_running).run()

    def _set_running(self, running: bool) -> None:
        self.running = running

    def _on_recorded(self, _entry: NoSale) -> None:
        if self._devices.kick_drawer("no sale"):
            self._show("Drawer opened (no sale); the reason is recorded.", False)
        else:
            self._show(
                "No sale recorded; no cash drawer is connected to this till's printer.", False
            )

    def _on_refused(self, error: BaseException) -> None:
        self._show(f"The drawer stays shut: {describe_error(error)}", True)


__all__ = ["NoSaleAction", "ask_reason"]
