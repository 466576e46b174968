"""What the cashier does to the cart besides scanning: void lines or the cart, change a price,
park the sale and recall a parked one.

Voids before payment are written to the audit log (a line with ``voids.void_line``, the cart with
``voids.void_cart``, each priced as the sale would have) in the background; the
cart changes at once so the till never waits. A price change needs a manager or the owner: a
cashier's till asks one of them to log in on the spot, and the line keeps who approved it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from pos_app.domain.discounts import Discount
from pos_app.services import held_sales, voids
from pos_app.services.access import PRICE_APPROVAL, ApprovalToken
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.held_sales import HeldCart
from pos_app.services.roles import Role
from pos_app.ui.changes import Changes, announce
from pos_app.ui.checkout.approval_dialog import ApprovalDialog
from pos_app.ui.checkout.held_dialog import RecallDialog, ask_label
from pos_app.ui.checkout.kept_cart import held_lines, recalled_facts, recalled_lines
from pos_app.ui.checkout.price_dialog import PriceDialog
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.errors import describe_error
from pos_app.ui.tasks import run_in_background


def confirm_clear(parent: QWidget, lines: int) -> bool:
    """Ask before throwing a cart away (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("checkout.sale_actions", "Void the whole cart"),
        SaleActions.clear_question(lines),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class SaleActions:
    @staticmethod
    def clear_question(lines: int) -> str:
        # tr on the class, whose name is the context (PySide6's stubs know only the method).
        return SaleController.tr(
            "Remove all %Ln line(s) from the cart? The void is recorded.",  # type: ignore[arg-type]
            "",
            lines,  # type: ignore[arg-type]
        )

    def __init__(self, sale: SaleController) -> None:
        self._sale = sale
        self._session = sale.session
        self.pending_voids = 0
        self.parking = False
        self.approval_dialog: ApprovalDialog | None = None
        self.price_dialog: PriceDialog | None = None
        self.recall_dialog: RecallDialog | None = None
        sale.add_busy_check(lambda: self.parking)

    # voids

    def remove_line(self) -> None:
        sale = self._sale
        row = sale.target_row()
        if row is None:
            return
        line = sale.cart.line(row)
        before, cart_discount = held_lines(sale.cart.cart), sale.cart.cart_discount
        sale.cart.remove_row(row)
        if sale.cart.is_empty():
            sale.forget_sale()
        else:
            sale.select_row(min(row, sale.cart.rowCount() - 1))
        self._void_line(before, line.product_id, cart_discount)
        sale.show_message(
            QCoreApplication.translate("SaleActions", "Removed {0} (voided {1}).").format(
                line.name, self._session.money(line.net_cents)
            )
        )

    def clear_cart(self) -> None:
        sale = self._sale
        model = sale.cart
        if model.is_empty():
            return
        if not confirm_clear(sale.widget, model.rowCount()):
            sale.focus_scan()
            return
        total, lines, cart_discount = model.total_cents, held_lines(model.cart), model.cart_discount
        sale.reset()
        self._void_cart(lines, cart_discount)
        sale.show_message(
            QCoreApplication.translate("SaleActions", "The cart was voided ({0}).").format(
                self._session.money(total)
            )
        )
        sale.focus_scan()

    def _void_line(
        self, lines: list[HeldLine], product_id: int, cart_discount: Discount | None
    ) -> None:
        """A removed line, counted by the service at what it cost in the cart (``lines``, as
        it was before the removal)."""
        ctx, user = self._session.ctx, self._session.user
        self.pending_voids += 1
        run_in_background(
            self._sale,
            lambda: voids.void_line(ctx, user, lines, product_id, cart_discount),
            self._on_void_recorded,
            self._on_void_failed,
        )

    def _void_cart(self, lines: list[HeldLine], cart_discount: Discount | None) -> None:
        """The whole cart, counted by the service at what the sale would have charged."""
        ctx, user = self._session.ctx, self._session.user
        self.pending_voids += 1
        run_in_background(
            self._sale,
            lambda: voids.void_cart(ctx, user, lines, cart_discount),
            self._on_void_recorded,
            self._on_void_failed,
        )

    def _on_void_recorded(self, _result: object) -> None:
        self.pending_voids -= 1
        announce(Changes(audit=True), self._sale)

    def _on_void_failed(self, error: BaseException) -> None:
        self.pending_voids -= 1
        self._sale.show_message(
            QCoreApplication.translate("SaleActions", "The void could not be recorded: {0}").format(
                describe_error(error)
            ),
            error=True,
        )

    # price override

    def change_price(self) -> None:
        sale = self._sale
        row = sale.target_row()
        if row is None:
            sale.show_message(
                QCoreApplication.translate(
                    "SaleActions", "The cart is empty; scan a product first."
                ),
                error=True,
            )
            return
        line = sale.cart.line(row)
        if self._session.may(Role.MANAGER):
            self._open_price_dialog(line.product_id, None)
            return
        dialog = ApprovalDialog(
            self._session.ctx,
            self._session.user,
            PRICE_APPROVAL,
            f"A manager or the owner must approve a new price for {line.name}.",
            sale.widget,
        )
        dialog.finished.connect(
            lambda code, product_id=line.product_id: self._on_approval_finished(code, product_id)
        )
        self._replace("approval_dialog", dialog)
        dialog.open()

    def _on_approval_finished(self, code: int, product_id: int) -> None:
        dialog = self.approval_dialog
        if code == QDialog.DialogCode.Accepted and dialog is not None and dialog.approver:
            self._open_price_dialog(product_id, dialog.approver)
        else:
            self._sale.focus_scan()

    def _open_price_dialog(self, product_id: int, approver: ApprovalToken | None) -> None:
        sale = self._sale
        row = sale.cart.row_of(product_id)
        if row is None:
            return
        name = approver.full_name if approver is not None else None
        dialog = PriceDialog(sale.cart.line(row), self._session.fmt, name, sale.widget)
        dialog.finished.connect(
            lambda code, product_id=product_id: self._on_price_finished(code, product_id, approver)
        )
        self._replace("price_dialog", dialog)
        dialog.open()

    def _on_price_finished(
        self, code: int, product_id: int, approver: ApprovalToken | None
    ) -> None:
        sale = self._sale
        dialog = self.price_dialog
        row = sale.cart.row_of(product_id)
        price = dialog.price_cents if dialog is not None else None
        if code == QDialog.DialogCode.Accepted and row is not None and price is not None:
            sale.cart.set_override(row, price, approver=approver)
            line = sale.cart.line(row)
            money = self._session.money
            if line.override_cents is None:
                sale.show_message(
                    QCoreApplication.translate(
                        "SaleActions", "{0} is back at its list price {1}."
                    ).format(line.name, money(price))
                )
            else:
                sale.show_message(
                    QCoreApplication.translate("SaleActions", "{0}: {1} instead of {2}.").format(
                        line.name, money(price), money(line.unit_price_cents)
                    )
                )
        sale.focus_scan()

    # held sales

    def park(self) -> None:
        sale = self._sale
        if sale.cart.is_empty():
            sale.show_message(
                QCoreApplication.translate(
                    "SaleActions", "The cart is empty; there is nothing to park."
                ),
                error=True,
            )
            return
        if self.parking or sale.busy:
            sale.show_message(
                QCoreApplication.translate(
                    "SaleActions", "Still working; press Park again in a moment."
                ),
                error=True,
            )
            return
        label = ask_label(sale.widget)
        if label is None:
            sale.focus_scan()
            return
        ctx, user = self._session.ctx, self._session.user
        lines = held_lines(sale.cart.cart)
        cart_discount = sale.cart.cart_discount
        approval = sale.cart.approvals.approver()
        # The cart's id makes a park retried after a lost answer store one held cart, not two.
        hold_uuid = sale.ensure_sale_uuid()
        self.parking = True
        run_in_background(
            sale,
            lambda: held_sales.hold_cart(
                ctx,
                user,
                lines,
                label,
                hold_uuid=hold_uuid,
                cart_discount=cart_discount,
                approval=approval,
            ),
            self._on_parked,
            self._on_park_failed,
        )

    def _on_parked(self, cart: HeldCart) -> None:
        self.parking = False
        announce(Changes(held=True), self._sale)
        self._sale.reset()
        name = f"“{cart.label}”" if cart.label else f"#{cart.id}"
        self._sale.show_message(
            QCoreApplication.translate(
                "SaleActions", "Sale {0} parked. Recall it with F8 at any till."
            ).format(name)
        )
        self._sale.focus_scan()

    def _on_park_failed(self, error: BaseException) -> None:
        self.parking = False
        self._sale.show_message(
            QCoreApplication.translate("SaleActions", "The sale was not parked: {0}").format(
                describe_error(error)
            ),
            error=True,
        )

    def recall(self) -> None:
        sale = self._sale
        if not sale.cart.is_empty():
            sale.show_message(
                QCoreApplication.translate(
                    "SaleActions", "Finish or park the current sale before recalling another."
                ),
                error=True,
            )
            return
        dialog = RecallDialog(self._session, sale.widget)
        dialog.finished.connect(self._on_recall_finished)
        self._replace("recall_dialog", dialog)
        dialog.open()

    def _on_recall_finished(self, _code: int) -> None:
        sale = self._sale
        dialog = self.recall_dialog
        recalled = dialog.recalled if dialog is not None else None
        if recalled is not None:
            cart, products = recalled
            sale.restore(
                recalled_lines(cart.lines),
                recalled_facts(cart.lines, products),
                cart_discount=cart.cart_discount,
                approvals=None if cart.approval is None else {cart.approval.id: cart.approval},
            )
            name = f"“{cart.label}”" if cart.label else f"#{cart.id}"
            back = SaleController.tr(  # on the class, as in clear_question
                "Recalled sale {0} (%Ln line(s)).",  # type: ignore[arg-type]
                "",
                len(cart.lines),  # type: ignore[arg-type]
            )
            sale.show_message(back.format(name))
        sale.focus_scan()

    def _replace(self, attribute: str, dialog: QDialog) -> None:
        old = getattr(self, attribute)
        if old is not None:
            old.deleteLater()
        setattr(self, attribute, dialog)
