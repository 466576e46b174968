"""From Pay to the receipt: the Pay dialog commits the sale, then its receipt is loaded from the
database (what was stored, not what the till thinks it sold), shown, and kept as a PDF.

A cashier's cart with changed prices is paid with the manager or owner who approved them; when no
one approver covers them all (a recalled cart), one is asked for before the Pay dialog opens.
"""

from __future__ import annotations

from collections.abc import Sequence

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
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.errors import describe_error
from pos_app.ui.hardware.devices import CompletedSale
from pos_app.ui.tasks import run_in_background


class PaymentFlow:
    def __init__(self, sale: SaleController) -> None:
        self._sale = sale
        self._session = sale.session
        self.pay_dialog: PayDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.loading_receipt = False
        self._approval_refused: list[PermissionDeniedError] = []
        sale.add_busy_check(lambda: self.loading_receipt)

    def start(self) -> None:
        sale = self._sale
        if blocked := sale.pay_blocked_reason():
            sale.show_message(blocked, error=True)
            return
        if sale.cart.is_empty():
            sale.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "The cart is empty; scan a product first."
                ),
                error=True,
            )
            return
        if sale.busy:
            sale.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "Still working; press Pay again in a moment."
                ),
                error=True,
            )
            return
        if not self._approved():
            sale.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "Nothing was sold: the changed price needs a manager's approval."
                ),
                error=True,
            )
            sale.focus_scan()
            return
        if not sale.approved_for_pay():
            sale.focus_scan()
            return
        if self.pay_dialog is not None:
            self.pay_dialog.deleteLater()
        dialog = PayDialog(
            sale.cart.total_cents, self._session.fmt, self._charge_operation(), sale.widget
        )
        dialog.finished.connect(self._on_pay_dialog_finished)
        self.pay_dialog = dialog
        dialog.open()

    def _approved(self) -> bool:
        """Ask a manager or the owner to approve the cart's changed prices, when a cashier must."""
        model = self._sale.cart
        if self._session.may(Role.MANAGER) or not model.approvals.needs_override_approval():
            return True
        reason = "A manager or the owner must approve the changed prices in this sale."
        manager = approval.ApprovalDialog.ask(self._sale.widget, self._session, reason)
        if manager is None:
            return False
        model.approvals.approve_overrides(manager)
        return True

    def _charge_operation(self) -> Charge:
        ctx, user = self._session.ctx, self._session.user
        model = self._sale.cart
        lines, overrides = model.cart.purchase_lines(), model.cart.price_overrides()
        line_discounts, cart_discount = model.cart.line_discounts(), model.cart_discount
        approver = model.approvals.approver()
        sale_uuid = self._sale.ensure_sale_uuid()
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
        sale = self._sale
        dialog = self.pay_dialog
        if dialog is None:
            return
        result = dialog.purchase
        if result is not None and result.committed and result.sale_id is not None:
            paid_cash = any(payment.tender == CASH for payment in dialog.tender.payments)
            announce(Changes(sales=True, stock=True, shifts=True), sale)
            sale.reset()
            sale.sale_completed.emit(
                CompletedSale(result.sale_id, result.total_cents, result.change_cents, paid_cash)
            )
            number = receipt_number(result.sale_id)
            change = self._session.money(result.change_cents)
            sale.show_message(
                QCoreApplication.translate(
                    "PaymentFlow", "Sale {0} saved. Change due: {1}."
                ).format(number, change)
            )
            self._load_receipt(result.sale_id)
            return
        if result is not None:
            sale.mark_failures(result)
        if self._approval_refused and sale.cart.cart.price_overrides():
            # The approval no longer holds (the approver was deactivated, say): ask again at Pay.
            sale.cart.approvals.forget_override_approvals()
        if self._approval_refused:
            sale.cart.approvals.approve_discounts(None)
        sale.widget.window().activateWindow()
        sale.focus_scan()

    def _load_receipt(self, sale_id: int) -> None:
        ctx, user, settings = self._session.ctx, self._session.user, self._session.settings
        self.loading_receipt = True
        run_in_background(
            self._sale,
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
        dialog = ReceiptDialog(receipt, self._session.settings, self._sale.widget)
        dialog.next_scan_started.connect(self._sale.type_into_scan)
        dialog.finished.connect(self._on_receipt_finished)
        self.receipt_dialog = dialog
        dialog.open()

    def _on_receipt_failed(self, error: BaseException) -> None:
        self.loading_receipt = False
        self._sale.show_message(
            QCoreApplication.translate(
                "PaymentFlow",
                "The sale was saved, but its receipt could not be "
                "shown: {0} Open it from the Receipts screen.",
            ).format(describe_error(error)),
            error=True,
        )
        self._sale.focus_scan()

    def _on_receipt_finished(self, _code: int) -> None:
        self._sale.widget.window().activateWindow()
        self._sale.focus_scan()
