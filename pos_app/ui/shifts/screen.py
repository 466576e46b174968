"""The shift at this till: open it with a float, watch its figures, close it with the drawer count.

With no shift open the screen asks for the float (Enter opens the shift). With one open it shows
the figures so far (F5 reads them again) and F10 closes it: the counted cash is asked and the Z
report shown, kept as a PDF and printable. Managers and owners also see every past shift and can
reopen any Z report; owners also see the sales and refunds rung with no shift, to reconcile.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import shifts
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError
from pos_app.services.roles import Role
from pos_app.services.shift_figures import ZReport
from pos_app.services.shifts import ShiftInfo
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import FormErrors, add_shortcuts, amount_width, error_label
from pos_app.ui.ops import Op
from pos_app.ui.receipts.view import ReceiptView
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.close_dialog import CloseShiftDialog
from pos_app.ui.shifts.history import ShiftHistory
from pos_app.ui.shifts.unshifted import UnshiftedList
from pos_app.ui.shifts.zreport_dialog import ZReportDialog, report_html
from pos_app.ui.style import mark_primary, named, set_role
from pos_app.ui.tasks import LatestOnly, run_in_background


@dataclass(frozen=True)
class ShiftState:
    shift: ShiftInfo | None
    report: ZReport | None  # None when there is no shift or its figures are not this user's


def load_state(ctx: ServiceContext, user: UserSession) -> ShiftState:
    shift = shifts.current_shift(ctx, user)
    if shift is None:
        return ShiftState(None, None)
    try:
        return ShiftState(shift, shifts.z_report(ctx, user, shift.id))
    except PermissionDeniedError:
        return ShiftState(shift, None)


class ShiftScreen(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.freshness = Freshness(
            self, Changes(shifts=True, sales=True, refunds=True), self.refresh
        )
        self.setObjectName("shiftScreen")
        self._session = session
        self._state = LatestOnly(self)
        self._busy = False
        self.shift: ShiftInfo | None = None
        self.loaded = False
        self.close_dialog: CloseShiftDialog | None = None
        self.zreport_dialog: ZReportDialog | None = None
        self.history = ShiftHistory(session, self) if session.may(Role.MANAGER) else None
        self.unshifted = UnshiftedList(session, self) if session.may(Role.OWNER) else None
        self._build_ui()
        self._connect_signals()

    # layout

    def _build_ui(self) -> None:
        self.message_label = named(QLabel(), "shiftMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.pages = named(QStackedWidget(), "shiftPages")
        self.open_page = self._build_open_page()
        self.current_page = self._build_current_page()
        self.pages.addWidget(self.open_page)
        self.pages.addWidget(self.current_page)
        left = QVBoxLayout()
        left.addWidget(self.message_label)
        left.addWidget(self.pages, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(18)
        layout.addLayout(left, 0 if self.history is not None else 1)
        if self.history is not None:
            right = QVBoxLayout()
            right.addWidget(self.history, 2)
            if self.unshifted is not None:
                right.addWidget(self.unshifted, 1)
            layout.addLayout(right, 1)

    def _build_open_page(self) -> QWidget:
        page = named(QWidget(), "shiftOpenPage")
        title = named(
            QLabel(self.tr("No shift is open on till {0}").format(self._session.ctx.till_id)),
            "openTitle",
        )
        set_role(title, "title")
        title.setWordWrap(True)  # a long till name must not push the past shifts off the screen
        hint = QLabel(self.tr("Count the cash float put into the drawer and open the shift."))
        hint.setWordWrap(True)
        set_role(hint, "muted")
        self.float_edit = named(QLineEdit(), "floatAmount")
        self.float_edit.setPlaceholderText(self._session.fmt.amount(0))
        self.float_edit.setMaxLength(20)
        self.float_edit.setMaximumWidth(amount_width(self.float_edit))
        self.float_errors = FormErrors(error_label("openShiftError"))
        form = QFormLayout()
        self.float_errors.add_row(form, self.tr("Cash float"), self.float_edit, "float_cents")
        self.open_button = named(QPushButton(self.tr("Open shift  Enter")), "openShiftButton")
        mark_primary(self.open_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.float_errors.general)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def _build_current_page(self) -> QWidget:
        page = named(QWidget(), "shiftCurrentPage")
        self.shift_title = named(QLabel(), "shiftTitle")
        set_role(self.shift_title, "title")
        self.shift_details = named(QLabel(), "shiftDetails")
        self.shift_details.setWordWrap(True)
        figures = QLabel(self.tr("Figures so far"))
        set_role(figures, "muted")
        self.live_report = ReceiptView("shiftLiveReport")
        self.refresh_button = named(QPushButton(self.tr("Refresh  F5")), "shiftRefresh")
        self.close_button = named(QPushButton(self.tr("Close shift…  F10")), "closeShiftButton")
        mark_primary(self.close_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.shift_title)
        layout.addWidget(self.shift_details)
        layout.addSpacing(6)
        layout.addWidget(figures)
        layout.addWidget(self.live_report, 1)
        layout.addLayout(buttons)
        return page

    def _connect_signals(self) -> None:
        self.float_edit.returnPressed.connect(self._on_open_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self._on_close_clicked)
        if self.history is not None:
            self.history.report_requested.connect(self.show_z_report)
        add_shortcuts(
            self, ((Qt.Key.Key_F5, self.refresh), (Qt.Key.Key_F10, self._on_close_clicked))
        )

    # public

    @property
    def busy(self) -> bool:
        return self._busy

    def refresh(self) -> None:
        """Read this till's shift (and the past shifts) again."""
        self.freshness.mark_fresh()
        ctx, user = self._session.ctx, self._session.user
        self._state.run(lambda: load_state(ctx, user), self._on_state_loaded, self._on_failed)
        if self.history is not None:
            self.history.refresh()
        if self.unshifted is not None:
            self.unshifted.refresh()

    def show_z_report(self, shift_id: int) -> None:
        ctx, user = self._session.ctx, self._session.user
        run_in_background(
            self, lambda: shifts.z_report(ctx, user, shift_id), self._open_report, self._on_failed
        )

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
        set_role(self.message_label, "error" if error else "info")

    # state

    def _on_state_loaded(self, state: ShiftState) -> None:
        self.loaded = True
        self.shift = state.shift
        if state.shift is None:
            self.pages.setCurrentWidget(self.open_page)
            self.float_edit.setFocus()
            return
        shift = state.shift
        zone = self._session.settings.timezone
        local = shift.opened_at.astimezone(zone)
        opened = f"{self._session.fmt.long_date(local)} {self._session.fmt.time(local)}"
        self.shift_title.setText(
            self.tr("Shift {0} is open on till {1}").format(shift.id, shift.till_id)
        )
        self.shift_details.setText(
            self.tr("Opened {0} by {1} with a float of {2}.").format(
                opened, shift.opened_by_name, self._session.money(shift.float_cents)
            )
        )
        if state.report is not None:
            self.live_report.show_html(report_html(self._session, state.report))
        else:
            self.live_report.show_html(
                "<p>Only the cashier who opened this shift, a manager or the owner can see its "
                "figures.</p>"
            )
        self.pages.setCurrentWidget(self.current_page)

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.show_message(describe_error(error), error=True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.open_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)

    # opening

    def _on_open_clicked(self) -> None:
        if self._busy:
            return
        self.float_errors.clear()
        try:
            cents = self._session.fmt.parse_money(self.float_edit.text() or "0", "float_cents")
        except Exception as error:
            self.float_errors.show(error)
            return
        ctx, user = self._session.ctx, self._session.user
        Op(
            self,
            op=lambda: shifts.open_shift(ctx, user, cents),
            success=self._on_opened,
            changes=Changes(shifts=True),
        ).failure(self._on_open_failed).with_busy(self._set_busy).run()

    def _on_opened(self, shift: ShiftInfo) -> None:
        self.float_edit.clear()
        self.show_message(
            self.tr("Shift {0} opened with a float of {1}.").format(
                shift.id, self._session.money(shift.float_cents)
            )
        )
        self.refresh()

    def _on_open_failed(self, error: BaseException) -> None:
        self.float_errors.show(error)
        self.refresh()

    # closing

    def _on_close_clicked(self) -> None:
        shift = self.shift
        if shift is None or self._busy or self.close_dialog is not None:
            return
        dialog = CloseShiftDialog(self._session, shift, self)
        dialog.saved.connect(self._on_shift_closed)
        dialog.finished.connect(self._on_close_dialog_finished)
        self.close_dialog = dialog
        dialog.open()

    def _on_close_dialog_finished(self, _code: int) -> None:
        self.close_dialog = None

    def _on_shift_closed(self, report: ZReport) -> None:
        self.show_message(self.tr("Shift {0} is closed.").format(report.shift.id))
        self._open_report(report)
        self.refresh()

    def _open_report(self, report: ZReport) -> None:
        if self.zreport_dialog is not None:
            self.zreport_dialog.deleteLater()
        dialog = ZReportDialog(self._session, report, self)
        self.zreport_dialog = dialog
        dialog.open()
