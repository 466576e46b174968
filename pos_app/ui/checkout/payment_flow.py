"""From Pay to the receipt: the Pay dialog commits the sale, then its receipt is loaded from the
database (what was stored, not what the till thinks it sold), shown, and kept as a PDF.

A cashier's cart with changed prices is paid with the manager or owner who approved them; when no
one approver covers them all (a recalled cart), one is asked for before the Pay dialog opens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from pos_app.services import checkout, receipts
from pos_app.services.checkout import PurchaseResult
from pos_app.services.errors import PermissionDeniedError
from pos_app.services.payments import CASH, PaymentIn
from pos_app.services.receipts import Receipt, receipt_number
from pos_app.services.roles import Role
from pos_app.ui import approval
from pos_app.ui.changes import Changes, announce
from pos_app.ui.checkout.pay_dialog import Charge, PayDialog
from pos_app.ui.checkout.receipt_dialog import ReceiptDialog
from pos_app.ui.errors import describe_error
from pos_app.ui.hardware.devices import CompletedSale
from pos_app.ui.tasks import run_in_background

if TYPE_CHECKING:
    from pos_app.ui.checkout.screen import CheckoutScreen


class PaymentFlow:
    def __init__(self, screen: CheckoutScreen) -> None:
        self._screen = screen
        self._session = screen.session
        self.pay_dialog: PayDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.loading_receipt = False
        self._approval_refused: list[PermissionDeniedError] = []

    def start(self) -> None:
        screen = self._screen
        if screen.cart_model.is_empty():
            screen.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "The cart is empty; scan a product first."
                ),
                error=True,
            )
            return
        if screen.busy:
            screen.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "Still working; press Pay again in a moment."
                ),
                error=True,
            )
            return
        if not self._approved():
            screen.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "Nothing was sold: the changed price needs a manager's approval."
                ),
                error=True,
            )
            screen.focus_scan()
            return
        if not screen.discounts.approved():
            screen.focus_scan()
            return
        if self.pay_dialog is not None:
            self.pay_dialog.deleteLater()
        dialog = PayDialog(
            screen.cart_model.total_cents, self._session.fmt, self._charge_operation(), screen
        )
        dialog.finished.connect(self._on_pay_dialog_finished)
        self.pay_dialog = dialog
        dialog.open()

    def _approved(self) -> bool:
        """Ask a manager or the owner to approve the cart's changed prices, when a cashier must."""
        model = self._screen.cart_model
        if self._session.may(Role.MANAGER) or not model.needs_override_approval():
            return True
        reason = "A manager or the owner must approve the changed prices in this sale."
        manager = approval.ApprovalDialog.ask(self._screen, self._session, reason)
        if manager is None:
            return False
        model.approve_overrides(manager)
        return True

    def _charge_operation(self) -> Charge:
        ctx, user = self._session.ctx, self._session.user
        model = self._screen.cart_model
        lines, overrides = model.purchase_lines(), model.price_overrides()
        line_discounts, cart_discount = model.line_discounts(), model.cart_discount
        approver = model.approver()
        sale_uuid = self._screen.ensure_sale_uuid()
        refused = self._approval_refused
        refused.clear()

        def charge(payments: Sequence[PaymentIn]) -> PurchaseResult:
            try:
                return checkout.purchase(
                    ctx,
                    user,
                    lines,
                    sale_uuid=sale_uuid,
                    payments=payments,
                    price_overrides=overrides or None,
                    override_approver=approver,
                    line_discounts=line_discounts or None,
                    cart_discount=cart_discount,
                )
            except PermissionDeniedError as error:
                refused.append(error)
                raise

        return charge

    def _on_pay_dialog_finished(self, _code: int) -> None:
        screen = self._screen
        dialog = self.pay_dialog
        if dialog is None:
            return
        result = dialog.purchase
        if result is not None and result.committed and result.sale_id is not None:
            paid_cash = any(payment.tender == CASH for payment in dialog.tender.payments)
            announce(Changes(sales=True, stock=True, shifts=True), screen)
            screen.reset_cart()
            screen.sale_completed.emit(
                CompletedSale(result.sale_id, result.total_cents, result.change_cents, paid_cash)
            )
            number = receipt_number(result.sale_id)
            change = self._session.money(result.change_cents)
            screen.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "Sale {0} saved. Change due: {1}."
                ).format(number, change)
            )
            self._load_receipt(result.sale_id)
            return
        if result is not None:
            screen.mark_failures(result)
        if self._approval_refused and screen.cart_model.price_overrides():
            # The approval no longer holds (the approver was deactivated, say): ask again at Pay.
            screen.cart_model.forget_override_approvals()
        if self._approval_refused:
            screen.cart_model.approve_discounts(None)
        screen.window().activateWindow()
        screen.focus_scan()

    def _load_receipt(self, sale_id: int) -> None:
        ctx, user, settings = self._session.ctx, self._session.user, self._session.settings
        self.loading_receipt = True
        run_in_background(
            self._screen,
            lambda: receipts.get_receipt(
                ctx,
                user,
                sale_id,
                shop_name=settings.shop_name,
                shop_address=settings.shop_address,
            ),
            self._on_receipt_loaded,
            self._on_receipt_failed,
        )

    def _on_receipt_loaded(self, receipt: Receipt) -> None:
        self.loading_receipt = False
        if self.receipt_dialog is not None:
            self.receipt_dialog.deleteLater()
        dialog = ReceiptDialog(receipt, self._session.settings, self._screen)
        dialog.finished.connect(self._on_receipt_finished)
        self.receipt_dialog = dialog
        dialog.open()

    def _on_receipt_failed(self, error: BaseException) -> None:
        self.loading_receipt = False
        self._screen.show_message(
            QCoreApplication.translate(
                "PaymentFlow",
                "The sale was saved, but its receipt could not be "
                "shown: {0} Open it from the Receipts screen.",
            ).format(describe_error(error)),
            error=True,
        )
        self._screen.focus_scan()

    def _on_receipt_finished(self, _code: int) -> None:
        self._screen.window().activateWindow()
        self._screen.focus_scan()
