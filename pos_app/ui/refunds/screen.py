"""Refunds: scan a receipt, choose what comes back, pay it back in cash or to the card.

Enter looks the receipt up; each returnable line has a spin box capped at what may still go back.
F6 puts everything returnable on the refund, F8 opens the list of reasons (or type one), F3/F4
choose cash or card, F12 (or Enter in the reason) refunds. A refund
above the shop's threshold asks for a manager's approval and is sent again with it; a retry after
a lost connection reuses the same refund id, so it is never paid out twice. The slip is kept as a
PDF and printed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.refunds import check_reason
from pos_app.services import receipts, refunds
from pos_app.services.access import REFUND_APPROVAL, ApprovalToken
from pos_app.services.errors import NoOpenShiftError, PermissionDeniedError, PosError
from pos_app.services.payments import CARD, CASH
from pos_app.services.receipts import Receipt, RefundInfo
from pos_app.services.refunds import NO_SHIFT_TO_REFUND
from pos_app.ui.approval import ApprovalDialog
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error, error_field
from pos_app.ui.forms import add_shortcuts, receipt_number_edit
from pos_app.ui.ops import Op
from pos_app.ui.refunds.lines_model import RefundLinesModel
from pos_app.ui.refunds.lines_view import RefundLinesView
from pos_app.ui.refunds.preview import RefundPreview
from pos_app.ui.refunds.reason_field import RefundReasonField
from pos_app.ui.refunds.slip import RefundRequest, keep_and_print, paid_back, receipt_summary
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.open_dialog import OpenShiftDialog
from pos_app.ui.style import icon, mark_primary, named, set_role
from pos_app.ui.tasks import LatestOnly


class RefundsScreen(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.freshness = Freshness(self, Changes(sales=True, refunds=True), self.refresh)
        self.setObjectName("refundsScreen")
        self._session = session
        self._lookup = LatestOnly(self)
        self._busy = False
        self._refund_uuid: str | None = None
        self.receipt: Receipt | None = None
        self.last_refund: RefundInfo | None = None
        self.model = RefundLinesModel(session.money, self)
        self._build_ui()
        self._connect_signals()
        self._on_receipt_loaded(None)

    # layout

    def _build_ui(self) -> None:
        self.number_edit = receipt_number_edit(
            "refundReceiptNumber", self.tr("Scan or type the receipt number, e.g. R00000123")
        )
        self.find_button = named(QPushButton(self.tr("Find  Enter")), "refundFind")
        self.receipt_label = named(QLabel(), "refundReceiptInfo")
        self.receipt_label.setWordWrap(True)
        set_role(self.receipt_label, "muted")
        self.message_label = named(QLabel(), "refundMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lines_view = RefundLinesView(self.model, self)
        self.all_button = named(QPushButton(self.tr("All returnable  F6")), "refundAll")
        self.none_button = named(QPushButton(self.tr("None  F7")), "refundNone")
        self.reason_field = RefundReasonField(self)
        self.reason_label = named(QLabel(self.tr("&Reason  F8")), "refundReasonLabel")
        self.reason_label.setBuddy(self.reason_field)
        self.cash_radio = named(QRadioButton(self.tr("Cash  F3")), "refundCash")
        self.card_radio = named(QRadioButton(self.tr("Card  F4")), "refundCard")
        self.cash_radio.setChecked(True)
        self.tender_group = QButtonGroup(self)
        self.tender_group.addButton(self.cash_radio)
        self.tender_group.addButton(self.card_radio)
        self.total_label = named(QLabel(), "refundTotal")
        self.total_label.setStyleSheet("font-size: 18pt; font-weight: bold; color: #10324f;")
        self.refund_button = named(
            QPushButton(icon("pay-light"), self.tr("Refund  F12")), "refundButton"
        )
        self.refund_button.setMinimumHeight(44)
        mark_primary(self.refund_button)
        self.receipt_preview = RefundPreview(self._session)
        self.preview_title = self.receipt_preview.title
        self.preview = self.receipt_preview.view
        self.setFocusProxy(self.number_edit)
        self._layout()

    def _layout(self) -> None:
        search = QHBoxLayout()
        search.addWidget(self.number_edit, 1)
        search.addWidget(self.find_button)
        # Two rows, so the screen and the receipt preview still fit a 1024-pixel till screen.
        choice = QHBoxLayout()
        choice.addWidget(self.all_button)
        choice.addWidget(self.none_button)
        choice.addStretch(1)
        choice.addWidget(self.total_label)
        reason = QHBoxLayout()
        reason.addWidget(self.reason_label)
        reason.addWidget(self.reason_field, 1)
        total = QHBoxLayout()
        total.addWidget(QLabel(self.tr("Pay back:")))
        total.addWidget(self.cash_radio)
        total.addWidget(self.card_radio)
        total.addStretch(1)
        total.addWidget(self.refund_button)
        left = QVBoxLayout()
        left.addLayout(search)
        left.addWidget(self.receipt_label)
        left.addWidget(self.lines_view, 1)
        left.addLayout(choice)
        left.addLayout(reason)
        left.addLayout(total)
        left.addWidget(self.message_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(14)
        layout.addLayout(left, 1)
        layout.addWidget(self.receipt_preview)

    def _connect_signals(self) -> None:
        self.number_edit.returnPressed.connect(self._on_find_clicked)
        self.find_button.clicked.connect(self._on_find_clicked)
        self.all_button.clicked.connect(self._on_all_clicked)
        self.none_button.clicked.connect(self._on_none_clicked)
        self.refund_button.clicked.connect(self._on_refund_clicked)
        self.model.total_changed.connect(self._on_model_total_changed)
        reason_edit = self.reason_field.lineEdit()
        if reason_edit is not None:
            reason_edit.returnPressed.connect(self._on_refund_clicked)
        self.reason_field.editTextChanged.connect(self._on_reason_changed)
        add_shortcuts(
            self,
            (
                (Qt.Key.Key_F3, self.cash_radio.click),
                (Qt.Key.Key_F4, self.card_radio.click),
                (Qt.Key.Key_F6, self._on_all_clicked),
                (Qt.Key.Key_F7, self._on_none_clicked),
                (Qt.Key.Key_F12, self._on_refund_clicked),
            ),
        )
        reason_key = QShortcut(QKeySequence(Qt.Key.Key_F8), self, self.reason_field.open_list)
        reason_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        reason_key.setWhatsThis(self.tr("Reason for the refund"))

    # public

    @property
    def busy(self) -> bool:
        return self._busy

    def refresh(self) -> None:
        """Read the loaded receipt afresh (another till may have refunded it)."""
        self.freshness.mark_fresh()
        if self.receipt is not None and not self._busy:
            self.look_up(str(self.receipt.sale_id), quiet=True)
        self.number_edit.setFocus()

    def look_up(self, number: str, *, quiet: bool = False) -> None:
        """Load a receipt by number ('R00000042') or sale id."""
        ctx, user, settings = self._session.ctx, self._session.user, self._session.settings
        self._lookup.run(
            lambda: receipts.get_receipt(
                ctx, user, number, shop_name=settings.shop_name, shop_address=settings.shop_address
            ),
            lambda receipt: self._on_found(receipt, quiet),
            self._on_lookup_failed,
        )

    def tender(self) -> str:
        return CARD if self.card_radio.isChecked() else CASH

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        set_role(self.message_label, "error" if error else "info")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.number_edit.setFocus()

    # finding a receipt

    def _on_find_clicked(self) -> None:
        text = self.number_edit.text().strip()
        if not text:
            self.show_message(self.tr("Scan or type a receipt number first."), error=True)
            return
        self.look_up(text)

    def _on_found(self, receipt: Receipt, quiet: bool) -> None:
        if self.receipt is None or self.receipt.sale_id != receipt.sale_id:
            self._refund_uuid = None
        self._on_receipt_loaded(receipt)
        self.number_edit.selectAll()
        if not quiet:
            left = sum(line.returnable_quantity for line in receipt.lines)
            if left:
                self.show_message(
                    self.tr("Choose what comes back from {0}.").format(receipt.number)
                )
            else:
                self.show_message(
                    self.tr("Everything on {0} has been refunded already.").format(receipt.number)
                )

    def _on_lookup_failed(self, error: BaseException) -> None:
        self.show_message(describe_error(error), error=True)
        self.number_edit.selectAll()

    def _on_receipt_loaded(self, receipt: Receipt | None) -> None:
        self.receipt = receipt
        self.model.set_lines(receipt.lines if receipt is not None else [])
        self.receipt_label.setText(receipt_summary(self._session, receipt))
        self._set_card_allowed(receipt)
        self.receipt_preview.show_receipt(receipt)
        self._update_buttons()

    def _set_card_allowed(self, receipt: Receipt | None) -> None:
        card_paid = receipt is not None and any(p.tender == CARD for p in receipt.payments)
        self.card_radio.setEnabled(card_paid)
        self.card_radio.setToolTip("" if card_paid else self.tr("This sale was not paid by card."))
        only_card = (
            card_paid and receipt is not None and all(p.tender == CARD for p in receipt.payments)
        )
        (self.card_radio if only_card else self.cash_radio).setChecked(True)

    # choosing

    def _on_all_clicked(self) -> None:
        self.model.choose_all()

    def _on_none_clicked(self) -> None:
        self.model.clear_choice()

    def _on_reason_changed(self, text: str) -> None:
        if text and self.message_label.property("role") == "error":
            self.show_message("")

    def _on_model_total_changed(self, total: int) -> None:
        self.total_label.setText(self._session.money(total))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_lines = self.receipt is not None and any(
            line.returnable_quantity for line in self.receipt.lines
        )
        self.all_button.setEnabled(has_lines and not self._busy)
        self.reason_field.setEnabled(not self._busy)
        self.none_button.setEnabled(has_lines and not self._busy)
        self.refund_button.setEnabled(self.model.total_cents() > 0 and not self._busy)
        self.refund_button.setText(self.tr("Refunding…") if self._busy else self.tr("Refund  F12"))

    # refunding

    def _on_refund_clicked(self) -> None:
        receipt = self.receipt
        if self._busy or receipt is None:
            return
        lines = self.model.chosen_lines()
        if not lines:
            self.show_message(self.tr("Choose how many of a line come back first."), error=True)
            return
        try:
            reason = check_reason(self.reason_field.reason())
        except PosError as error:
            self.show_message(describe_error(error), error=True)
            self.reason_field.setFocus()
            return
        self.show_message("")
        if self._refund_uuid is None:
            self._refund_uuid = refunds.new_refund_uuid()
        request = RefundRequest(
            receipt.sale_id,
            lines,
            self.model.total_cents(),
            self.tender(),
            self._refund_uuid,
            reason,
        )
        self._submit(request, None)

    def _submit(self, request: RefundRequest, approver: ApprovalToken | None) -> None:
        ctx, user = self._session.ctx, self._session.user
        Op(
            self,
            op=lambda: refunds.refund(
                ctx,
                user,
                request.sale_id,
                request.lines,
                reason=request.reason,
                refund_uuid=request.refund_uuid,
                approver=approver,
                tender=request.tender,
            ),
            success=self._on_refund_done,
            changes=Changes(refunds=True, stock=True, shifts=True),
        ).failure(lambda error: self._on_refund_failed(error, request, approver)).with_busy(
            self._set_busy
        ).run()

    def _on_refund_failed(
        self, error: BaseException, request: RefundRequest, approver: ApprovalToken | None
    ) -> None:
        if approver is None and self._needs_approval(error, request):
            # Asked once the background answer has been delivered, outside its slot.
            QTimer.singleShot(0, lambda: self._ask_approval(request))
            return
        if isinstance(error, NoOpenShiftError):
            QTimer.singleShot(0, lambda: self._ask_shift(request, approver))
            return
        self.show_message(describe_error(error), error=True)
        if error_field(error) == "reason":
            self.reason_field.setFocus()
            return
        self._return_to_number()

    def _return_to_number(self) -> None:
        """The quantity spin box that had the keyboard is gone or disabled by now: the
        keyboard goes back to the receipt number, ready for the next scan."""
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.number_edit.selectAll()

    def _ask_shift(self, request: RefundRequest, approver: ApprovalToken | None) -> None:
        why = self.tr("No shift is open on this till; the refund goes on its Z report.")
        if OpenShiftDialog.ask(self, self._session, why) is None:
            self.show_message(
                self.tr("Nothing was refunded. {0}").format(NO_SHIFT_TO_REFUND), error=True
            )
            return
        self._submit(request, approver)

    def _needs_approval(self, error: BaseException, request: RefundRequest) -> bool:
        return (
            isinstance(error, PermissionDeniedError)
            and request.total_cents > self._session.ctx.refund_approval_cents
        )

    def _ask_approval(self, request: RefundRequest) -> None:
        money = self._session.money
        reason = self.tr("A refund of {0} is above {1}; a manager must approve it.").format(
            money(request.total_cents), money(self._session.ctx.refund_approval_cents)
        )
        manager = ApprovalDialog.ask(self, self._session, reason, action=REFUND_APPROVAL)
        if manager is None:
            self.show_message(
                self.tr("Nothing was refunded: the refund needs a manager's approval.")
            )
            set_role(self.message_label, "error")
            self._return_to_number()
            return
        self._submit(request, manager)

    def _on_refund_done(self, refund: RefundInfo) -> None:
        self._refund_uuid = None
        self.last_refund = refund
        self.reason_field.clear_reason()
        printed, _ok = keep_and_print(self, self._session, refund)
        self.show_message(f"{paid_back(self._session, refund)} {printed}")
        self.receipt_preview.show_slip(refund)
        self.look_up(str(refund.sale_id), quiet=True)
        self._return_to_number()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.lines_view.setEnabled(not busy)
        self._update_buttons()
