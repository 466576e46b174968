"""What the cashier does to the cart besides scanning: void lines or the cart, change a price,
park the sale and recall a parked one.

Voids before payment are written to the audit log (``audit.record_void``) in the background; the
cart changes at once so the till never waits. A price change needs a manager or the owner: a
cashier's till asks one of them to log in on the spot, and the line keeps who approved it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from pos_app.services import audit, held_sales
from pos_app.services.access import PRICE_APPROVAL, ApprovalToken
from pos_app.services.audit import VoidedLine
from pos_app.services.held_sales import HeldCart
from pos_app.services.roles import Role
from pos_app.ui.changes import Changes, announce
from pos_app.ui.checkout.approval_dialog import ApprovalDialog
from pos_app.ui.checkout.cart_keeper import voided_lines
from pos_app.ui.checkout.held_dialog import RecallDialog, ask_label
from pos_app.ui.checkout.price_dialog import PriceDialog
from pos_app.ui.errors import describe_error
from pos_app.ui.tasks import run_in_background

if TYPE_CHECKING:
    from pos_app.ui.checkout.screen import CheckoutScreen

MAX_VOID_QUANTITY = 10_000


def confirm_clear(parent: QWidget, lines: int) -> bool:
    """Ask before throwing a cart away (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        QCoreApplication.translate("checkout.sale_actions", "Void the whole cart"),
        QCoreApplication.translate(
            "checkout.sale_actions", "Remove all {0} line(s) from the cart? The void is recorded."
        ).format(lines),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class SaleActions:
    def __init__(self, screen: CheckoutScreen) -> None:
        self._screen = screen
        self._session = screen.session
        self.pending_voids = 0
        self.parking = False
        self.approval_dialog: ApprovalDialog | None = None
        self.price_dialog: PriceDialog | None = None
        self.recall_dialog: RecallDialog | None = None

    # voids

    def remove_line(self) -> None:
        screen = self._screen
        row = screen.target_row()
        if row is None:
            return
        line = screen.cart_model.line(row)
        screen.cart_model.remove_row(row)
        if screen.cart_model.is_empty():
            screen.forget_sale()
        else:
            screen.cart_view.select(min(row, screen.cart_model.rowCount() - 1))
        self._record_void("line", line.total_cents, line.product_id, line.quantity)
        screen.show_message(
            QCoreApplication.translate("SaleActions", "Removed {0} (voided {1}).").format(
                line.name, self._session.money(line.total_cents)
            )
        )

    def clear_cart(self) -> None:
        screen = self._screen
        model = screen.cart_model
        if model.is_empty():
            return
        if not confirm_clear(screen, model.rowCount()):
            screen.focus_scan()
            return
        total, items = model.total_cents, model.item_count
        lines = voided_lines(screen.cart_keeper.current().lines)
        screen.reset_cart()
        quantity = items if 1 <= items <= MAX_VOID_QUANTITY else None
        self._record_void("cart", total, None, quantity, lines)
        screen.show_message(
            QCoreApplication.translate("SaleActions", "The cart was voided ({0}).").format(
                self._session.money(total)
            )
        )
        screen.focus_scan()

    def _record_void(
        self,
        kind: str,
        amount_cents: int,
        product_id: int | None,
        quantity: int | None,
        lines: Sequence[VoidedLine] = (),
    ) -> None:
        ctx, user = self._session.ctx, self._session.user
        self.pending_voids += 1
        run_in_background(
            self._screen,
            lambda: audit.record_void(
                ctx,
                user,
                kind=kind,
                product_id=product_id,
                quantity=quantity,
                amount_cents=amount_cents,
                lines=lines,
            ),
            self._on_void_recorded,
            self._on_void_failed,
        )

    def _on_void_recorded(self, _result: object) -> None:
        self.pending_voids -= 1
        announce(Changes(audit=True), self._screen)

    def _on_void_failed(self, error: BaseException) -> None:
        self.pending_voids -= 1
        self._screen.show_message(
            QCoreApplication.translate("SaleActions", "The void could not be recorded: {0}").format(
                describe_error(error)
            ),
            error=True,
        )

    # price override

    def change_price(self) -> None:
        screen = self._screen
        row = screen.target_row()
        if row is None:
            screen.show_message(
                QCoreApplication.translate(
                    "SaleActions", "The cart is empty; scan a product first."
                ),
                error=True,
            )
            return
        line = screen.cart_model.line(row)
        if self._session.may(Role.MANAGER):
            self._open_price_dialog(line.product_id, None)
            return
        dialog = ApprovalDialog(
            self._session.ctx,
            self._session.user,
            PRICE_APPROVAL,
            f"A manager or the owner must approve a new price for {line.name}.",
            screen,
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
            self._screen.focus_scan()

    def _open_price_dialog(self, product_id: int, approver: ApprovalToken | None) -> None:
        screen = self._screen
        row = screen.cart_model.row_of(product_id)
        if row is None:
            return
        name = approver.full_name if approver is not None else None
        dialog = PriceDialog(screen.cart_model.line(row), self._session.fmt, name, screen)
        dialog.finished.connect(
            lambda code, product_id=product_id: self._on_price_finished(code, product_id, approver)
        )
        self._replace("price_dialog", dialog)
        dialog.open()

    def _on_price_finished(
        self, code: int, product_id: int, approver: ApprovalToken | None
    ) -> None:
        screen = self._screen
        dialog = self.price_dialog
        row = screen.cart_model.row_of(product_id)
        price = dialog.price_cents if dialog is not None else None
        if code == QDialog.DialogCode.Accepted and row is not None and price is not None:
            screen.cart_model.set_override(row, price, approver=approver)
            line = screen.cart_model.line(row)
            money = self._session.money
            if line.override_cents is None:
                screen.show_message(
                    QCoreApplication.translate(
                        "SaleActions", "{0} is back at its list price {1}."
                    ).format(line.name, money(price))
                )
            else:
                screen.show_message(
                    QCoreApplication.translate("SaleActions", "{0}: {1} instead of {2}.").format(
                        line.name, money(price), money(line.unit_price_cents)
                    )
                )
        screen.focus_scan()

    # held sales

    def park(self) -> None:
        screen = self._screen
        if screen.cart_model.is_empty():
            screen.show_message(
                QCoreApplication.translate(
                    "SaleActions", "The cart is empty; there is nothing to park."
                ),
                error=True,
            )
            return
        if self.parking or screen.busy:
            screen.show_message(
                QCoreApplication.translate(
                    "SaleActions", "Still working; press Park again in a moment."
                ),
                error=True,
            )
            return
        label = ask_label(screen)
        if label is None:
            screen.focus_scan()
            return
        ctx, user = self._session.ctx, self._session.user
        lines = screen.cart_model.held_lines()
        cart_discount = screen.cart_model.cart_discount
        # The cart's id makes a park retried after a lost answer store one held cart, not two.
        hold_uuid = screen.ensure_sale_uuid()
        self.parking = True
        run_in_background(
            screen,
            lambda: held_sales.hold_cart(
                ctx, user, lines, label, hold_uuid=hold_uuid, cart_discount=cart_discount
            ),
            self._on_parked,
            self._on_park_failed,
        )

    def _on_parked(self, cart: HeldCart) -> None:
        self.parking = False
        announce(Changes(held=True), self._screen)
        self._screen.reset_cart()
        name = f"“{cart.label}”" if cart.label else f"#{cart.id}"
        self._screen.show_message(
            QCoreApplication.translate(
                "SaleActions", "Sale {0} parked. Recall it with F8 at any till."
            ).format(name)
        )
        self._screen.focus_scan()

    def _on_park_failed(self, error: BaseException) -> None:
        self.parking = False
        self._screen.show_message(
            QCoreApplication.translate("SaleActions", "The sale was not parked: {0}").format(
                describe_error(error)
            ),
            error=True,
        )

    def recall(self) -> None:
        screen = self._screen
        if not screen.cart_model.is_empty():
            screen.show_message(
                QCoreApplication.translate(
                    "SaleActions", "Finish or park the current sale before recalling another."
                ),
                error=True,
            )
            return
        dialog = RecallDialog(self._session, screen)
        dialog.finished.connect(self._on_recall_finished)
        self._replace("recall_dialog", dialog)
        dialog.open()

    def _on_recall_finished(self, _code: int) -> None:
        screen = self._screen
        dialog = self.recall_dialog
        recalled = dialog.recalled if dialog is not None else None
        if recalled is not None:
            cart, products = recalled
            screen.forget_sale()
            screen.cart_model.load_held(cart.lines, products)
            screen.cart_model.set_cart_discount(cart.cart_discount)
            screen.cart_view.select(screen.cart_model.rowCount() - 1)
            name = f"“{cart.label}”" if cart.label else f"#{cart.id}"
            screen.show_message(
                QCoreApplication.translate(
                    "SaleActions", "Recalled sale {0} ({1} line(s))."
                ).format(name, len(cart.lines))
            )
        screen.focus_scan()

    def _replace(self, attribute: str, dialog: QDialog) -> None:
        old = getattr(self, attribute)
        if old is not None:
            old.deleteLater()
        setattr(self, attribute, dialog)
