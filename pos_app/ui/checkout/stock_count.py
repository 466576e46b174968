"""Counting a product's stock from the till (F6), so a line short of stock can be sold.

A manager or the owner counts on their own; at a cashier's till one of them approves first
(the manager approval dialog). The counted figure and a reason are stored as an audited
adjustment; the line then shows the stock counted. Stock never goes below zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from pos_app.services import catalog, inventory, stock_count
from pos_app.services.access import STOCK_COUNT_APPROVAL, ApprovalToken
from pos_app.services.catalog import MAX_STOCK
from pos_app.services.inventory import StockLevel
from pos_app.services.roles import Role
from pos_app.ui import approval
from pos_app.ui.changes import Changes
from pos_app.ui.checkout.cart_line import CartLine
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.forms import ServiceDialog
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.translation import quantity_text


class CountStockDialog(ServiceDialog):
    """``saved`` carries the product's StockLevel after the count."""

    changes = Changes(stock=True)

    def __init__(
        self,
        session: UiSession,
        line: CartLine,
        approver: ApprovalToken | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Count the stock of {0}").format(line.name), parent)
        self.setObjectName("countStockDialog")
        self._session = session
        self._product_id = line.product_id
        self._approver = approver
        by = f" Approved by {approver.full_name}." if approver is not None else ""
        believed = self._session.fmt.quantity(line.in_stock, line.sold_by)
        in_cart = self._session.fmt.quantity(line.quantity, line.sold_by)
        hint = named(
            QLabel(
                (
                    self.tr(
                        "The till believes {0} are in stock; {1} are in the "
                        "cart. Count the shelf and the store room and enter "
                        "what is there in grams.{2}"
                    )
                    if line.is_weighed
                    else self.tr(
                        "The till believes {0} are in stock; {1} are in the "
                        "cart. Count the shelf and the store room and enter "
                        "what is there.{2}"
                    )
                ).format(believed, in_cart, by)
            ),
            "countStockHint",
        )
        hint.setWordWrap(True)
        set_role(hint, "muted")
        self.counted_spin = named(QSpinBox(), "countedStock")
        self.counted_spin.setRange(0, MAX_STOCK)
        self.counted_spin.setValue(max(0, line.in_stock))
        if line.is_weighed:
            self.counted_spin.setSuffix(" g")
        self.counted_spin.selectAll()
        self.reason_edit = named(QLineEdit(), "countReason")
        self.reason_edit.setMaxLength(inventory.MAX_NOTE)
        self.reason_edit.setPlaceholderText(self.tr("e.g. delivery not booked in"))
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, hint)
        self.errors.add_row(self.form, self.tr("Counted"), self.counted_spin, "counted")
        self.errors.add_row(self.form, self.tr("Reason"), self.reason_edit, "reason")
        self.save_button.setText(self.tr("Save the count  Enter"))
        self.counted_spin.setFocus()

    def _operation(self) -> Callable[[], Any]:
        ctx, user = self._session.ctx, self._session.user
        product_id, approver = self._product_id, self._approver
        counted, reason = self.counted_spin.value(), self.reason_edit.text()
        return lambda: stock_count.count_stock(
            ctx, user, product_id, counted, reason, approver=approver
        )


class StockCount:
    def __init__(self, sale: SaleController) -> None:
        self._sale = sale
        self._session = sale.session
        self.dialog: CountStockDialog | None = None

    def start(self) -> None:
        sale = self._sale
        row = sale.target_row()
        if row is None:
            sale.show_message(
                QCoreApplication.translate(
                    "StockCount", "The cart is empty; scan the product to count first."
                ),
                error=True,
            )
            return
        line = sale.cart.line(row)
        approver: ApprovalToken | None = None
        if not self._session.may(Role.MANAGER):
            reason = f"A manager or the owner must approve counting the stock of {line.name}."
            approver = approval.ApprovalDialog.ask(
                sale.widget, self._session, reason, action=STOCK_COUNT_APPROVAL
            )
            if approver is None:
                sale.show_message(
                    QCoreApplication.translate(
                        "StockCount", "The stock was not counted: it needs a manager's approval."
                    )
                )
                sale.focus_scan()
                return
        dialog = CountStockDialog(self._session, line, approver, sale.widget)
        dialog.saved.connect(lambda level, before=line.in_stock: self._on_counted(level, before))
        dialog.finished.connect(lambda _code: sale.focus_scan())
        self.dialog = dialog
        dialog.open()

    def reload(self) -> None:
        """Read the stock of the cart's products again (after a restock, say)."""
        ctx, user = self._session.ctx, self._session.user
        ids = [line.product_id for line in self._sale.cart.lines()]
        if ids:
            Op(
                self._sale.widget,
                op=lambda: {pid: catalog.get_product(ctx, user, pid).quantity for pid in ids},
                success=self._on_stock_reloaded,
            ).run()

    def _on_stock_reloaded(self, stock: dict[int, int]) -> None:
        model = self._sale.cart
        changed = [
            line
            for line in model.lines()
            if line.product_id in stock and stock[line.product_id] != line.in_stock
        ]
        for line in changed:
            model.set_stock(line.product_id, stock[line.product_id])
        if changed:
            now_text = QCoreApplication.translate("StockCount", "{0} now has {1} in stock.")
            self._sale.show_message(
                " ".join(
                    now_text.format(line.name, quantity_text(stock[line.product_id], line.sold_by))
                    for line in changed
                )
            )

    def _on_counted(self, level: StockLevel, before: int) -> None:
        sale = self._sale
        sale.cart.set_stock(level.product_id, level.quantity)
        counted = self._session.fmt.quantity(level.quantity, level.sold_by)
        had = self._session.fmt.quantity(before, level.sold_by)
        sale.show_message(
            QCoreApplication.translate(
                "StockCount", "Stock of {0} counted: {1} (the till had {2})."
            ).format(level.product_name, counted, had)
        )


__all__ = ["CountStockDialog", "StockCount"]
