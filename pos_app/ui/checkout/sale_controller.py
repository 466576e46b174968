"""The sale being rung up: one object owns the cart and the sale's id.

The checkout's parts (the screen, the sale actions, the payment, the discounts, the cart kept on
disk) talk to this controller, never to each other. The screen gives it a :class:`SaleView` to
say things and move the focus; the parts register what keeps the till busy and what must be
approved before Pay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from pos_app.domain.cart import CartLine as DomainLine
from pos_app.domain.discounts import Discount
from pos_app.services import checkout
from pos_app.services.access import ApprovalToken
from pos_app.services.checkout import PurchaseResult
from pos_app.ui.checkout.cart_line import ProductFacts
from pos_app.ui.checkout.cart_model import CartModel
from pos_app.ui.session import UiSession
from pos_app.ui.translation import quantity_text

Check = Callable[[], bool]


class SaleView(Protocol):
    """What the controller asks of the screen showing the sale."""

    def show_message(self, text: str, *, error: bool = False) -> None: ...

    def focus_scan(self) -> None: ...

    def type_into_scan(self, text: str) -> None: ...

    def target_row(self) -> int | None: ...

    def select_row(self, row: int) -> None: ...


class SaleController(QObject):
    # A CompletedSale once a sale is committed: the drawer, the printer and the customer display
    # follow it.
    sale_completed = Signal(object)
    # A new sale is about to get its first line, or a kept cart is back: today's promotions
    # are read again.
    sale_starting = Signal()

    def __init__(self, session: UiSession, view: SaleView, widget: QWidget) -> None:
        super().__init__(widget)
        self.session = session
        self.view = view
        self.widget = widget  # the parent of the sale's dialogs
        self.cart = CartModel(session.money, self)
        self._sale_uuid: str | None = None
        self._busy: list[Check] = []
        self._before_pay: list[Check] = []

    # the sale's id: a sale retried after a lost answer is stored once

    @property
    def sale_uuid(self) -> str | None:
        return self._sale_uuid

    def ensure_sale_uuid(self) -> str:
        if self._sale_uuid is None:
            self._sale_uuid = checkout.new_sale_uuid()
        return self._sale_uuid

    def start_sale(self) -> None:
        """A new sale's id, when the cart is still empty."""
        if self.cart.is_empty():
            self._sale_uuid = checkout.new_sale_uuid()
            self.sale_starting.emit()

    def forget_sale(self) -> None:
        self._sale_uuid = None

    def reset(self) -> None:
        """The sale is over (paid, parked or voided): an empty cart and no id."""
        self.cart.clear()
        self._sale_uuid = None

    def restore(
        self,
        lines: Sequence[DomainLine],
        facts: Mapping[int, ProductFacts],
        *,
        cart_discount: Discount | None = None,
        sale_uuid: str | None = None,
        approvals: Mapping[int, ApprovalToken] | None = None,
    ) -> None:
        """Put a kept cart back: parked, or left by a crash (then with its sale's id, so it is
        sold once). Today's promotions are read again, as for a sale's first line: the cart
        shows what Pay will charge."""
        self._sale_uuid = sale_uuid
        self.cart.restore(lines, facts, cart_discount)
        if approvals:
            self.cart.approvals.keep(approvals)
        if not self.cart.is_empty():
            self.view.select_row(self.cart.rowCount() - 1)
            self.sale_starting.emit()

    def mark_failures(self, result: PurchaseResult) -> None:
        """Lines the sale refused are marked; the next try is a new sale."""
        self.cart.mark_problems({line.product_id: line.message for line in result.failed})
        self._sale_uuid = checkout.new_sale_uuid()
        self.view.show_message(
            self.tr(
                "Nothing was charged: %Ln line(s) cannot be sold (marked in red). Fix them and "
                "press Pay again.",
                "",
                len(result.failed),
            ),
            error=True,
        )

    def pay_blocked_reason(self) -> str:
        """The sentence saying which line keeps Pay off and why; empty when none does."""
        blocked = self.cart.blocked_lines()
        if not blocked:
            return ""
        row, line, reason = blocked[0]
        what = (row + 1, line.name, reason, quantity_text(line.quantity, line.sold_by))
        if len(blocked) == 1:
            return self.tr(
                "Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted. Change the "
                "quantity, remove the line, or count the stock (F6)."
            ).format(*what)
        return self.tr(
            "Pay is off: line {0}, {1}, cannot be sold: {2}, {3} wanted (%Ln more line(s) "
            "too). Change the quantity, remove the line, or count the stock (F6).",
            "",
            len(blocked) - 1,
        ).format(*what)

    def warn_short(self, row: int) -> None:
        """Said when the quantity is entered, not at payment."""
        line = self.cart.line(row)
        fmt = self.session.fmt
        wanted = fmt.quantity(line.quantity, line.sold_by)
        left = fmt.quantity(max(0, line.in_stock), line.sold_by)
        self.view.show_message(
            QCoreApplication.translate(
                "CheckoutScreen",
                "{0}: {1} wanted but only {2} in stock. Change the "
                "quantity, or count the stock (F6).",
            ).format(line.name, wanted, left),
            error=True,
        )

    # what keeps the till busy, and what must be approved before Pay

    def add_busy_check(self, check: Check) -> None:
        self._busy.append(check)

    @property
    def busy(self) -> bool:
        return any(check() for check in self._busy)

    def add_pay_check(self, check: Check) -> None:
        """``check()`` asks for an approval the cart needs before Pay; False stops Pay."""
        self._before_pay.append(check)

    def approved_for_pay(self) -> bool:
        return all(check() for check in self._before_pay)

    # the screen

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.view.show_message(text, error=error)

    def focus_scan(self) -> None:
        self.view.focus_scan()

    def type_into_scan(self, text: str) -> None:
        """Go on typing ``text`` in the scan field: a scan that started elsewhere."""
        self.view.type_into_scan(text)

    def target_row(self) -> int | None:
        return self.view.target_row()

    def select_row(self, row: int) -> None:
        self.view.select_row(row)


__all__ = ["SaleController", "SaleView"]
