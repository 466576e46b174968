"""Discounts at the till: a line's own (Ctrl+D) or the whole cart's (Ctrl+Shift+D), and today's
promotions, which the cart applies by itself and shows on its lines.

A discount above what the cashier may give alone is approved at once by a manager (or, above a
manager's limit, the owner) typing their password; refused or cancelled, the discount is taken
back. A cart recalled later keeps its discounts; if nobody covering them is known any more, the
approval is asked again at Pay.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from pos_app.domain.discounts import Discount, format_percent
from pos_app.domain.promotions import Promotion
from pos_app.services import till_promotions
from pos_app.ui import approval
from pos_app.ui.checkout.discount_dialog import DiscountDialog
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.errors import describe_error
from pos_app.ui.tasks import run_in_background


class DiscountActions:
    def __init__(self, sale: SaleController) -> None:
        self._sale = sale
        self._session = sale.session
        self.dialog: DiscountDialog | None = None
        self.loading = 0
        sale.add_pay_check(self.approved)
        sale.add_busy_check(lambda: self.loading > 0)
        sale.sale_starting.connect(self.load_promotions)

    # promotions

    def load_promotions(self) -> None:
        """Today's promotions for the cart, read in the background (the till is busy until
        they are in, so Pay never charges what the cart does not show)."""
        ctx, user = self._session.ctx, self._session.user
        self.loading += 1
        run_in_background(
            self._sale,
            lambda: till_promotions.running_promotions(ctx, user),
            self._on_promotions_loaded,
            self._on_promotions_failed,
        )

    def _on_promotions_loaded(self, running: list[Promotion]) -> None:
        self.loading -= 1
        self._sale.cart.set_promotions(running)

    def _on_promotions_failed(self, error: BaseException) -> None:
        self.loading -= 1
        self._sale.show_message(
            QCoreApplication.translate(
                "DiscountActions", "Today's promotions could not be read: {0}"
            ).format(describe_error(error)),
            error=True,
        )

    # discounts

    def discount_line(self) -> None:
        sale = self._sale
        row = sale.target_row()
        if row is None:
            sale.show_message(
                QCoreApplication.translate(
                    "DiscountActions", "The cart is empty; scan a product first."
                ),
                error=True,
            )
            return
        model = sale.cart
        line = model.line(row)
        title = f"{line.name}, {line.quantity} x"
        amount = model.amount_before_discount(row)
        self._open(
            DiscountDialog(title, amount, self._session.money, line.discount, sale.widget), row
        )

    def discount_cart(self) -> None:
        sale = self._sale
        model = sale.cart
        if model.is_empty():
            sale.show_message(
                QCoreApplication.translate(
                    "DiscountActions", "The cart is empty; scan a product first."
                ),
                error=True,
            )
            return
        amount = model.amount_before_discount(None)
        dialog = DiscountDialog(
            "The whole cart", amount, self._session.money, model.cart_discount, sale.widget
        )
        self._open(dialog, None)

    def _open(self, dialog: DiscountDialog, row: int | None) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog
        product_id = None if row is None else self._sale.cart.line(row).product_id
        dialog.finished.connect(lambda code: self._on_dialog_finished(code, product_id))
        dialog.open()

    def _on_dialog_finished(self, code: int, product_id: int | None) -> None:
        sale = self._sale
        dialog = self.dialog
        if code != QDialog.DialogCode.Accepted or dialog is None:
            sale.focus_scan()
            return
        model = sale.cart
        row = None if product_id is None else model.row_of(product_id)
        if product_id is not None and row is None:
            sale.focus_scan()
            return
        before = model.cart_discount if row is None else model.line(row).discount
        self._apply(row, dialog.discount)
        if not self.approved():
            self._apply(row, before)
        else:
            self._say_applied(row, dialog.discount)
        sale.focus_scan()

    def _apply(self, row: int | None, discount: Discount | None) -> None:
        model = self._sale.cart
        if row is None:
            model.set_cart_discount(discount)
        else:
            model.set_line_discount(row, discount)

    def approved(self) -> bool:
        """Whether the cart's discounts are within reach: the cashier's own limit, or someone
        who covers them approves now. False (with a message) when refused or cancelled."""
        sale, session = self._sale, self._session
        model = sale.cart
        limits = session.ctx.discount_limits
        if not model.approvals.needs_discount_approval(limits, session.user.role):
            return True
        share = model.discount_share_bp()
        reason = (
            f"A discount of {format_percent(share)} needs {limits.who_can_give(share)} "
            "to approve it."
        )
        approver = approval.ApprovalDialog.ask(sale.widget, session, reason)
        if approver is None:
            sale.show_message(
                QCoreApplication.translate(
                    "DiscountActions", "The discount was not given: nobody approved it."
                ),
                error=True,
            )
            return False
        if not limits.can_give(approver.role, share):
            sale.show_message(
                QCoreApplication.translate(
                    "DiscountActions", "{0} cannot approve a discount of {1}; ask {2}."
                ).format(approver.full_name, format_percent(share), limits.who_can_give(share)),
                error=True,
            )
            return False
        model.approvals.approve_discounts(approver)
        return True

    def _say_applied(self, row: int | None, discount: Discount | None) -> None:
        sale = self._sale
        model = sale.cart
        where = "the cart" if row is None else model.line(row).name
        if discount is None:
            sale.show_message(
                QCoreApplication.translate(
                    "DiscountActions", "No discount on {0} any more."
                ).format(where)
            )
            return
        money = self._session.money
        sale.show_message(
            QCoreApplication.translate(
                "DiscountActions", "{0} off {1} ({2}); the cart now saves {3}."
            ).format(discount.label(), where, discount.reason, money(model.discount_cents))
        )
