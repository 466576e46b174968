"""Leaving the till (log out, quit, closing the window) with a cart on it: the cart is parked
or voided first, or the leaving is off."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.checkout.cart_keeper import BACK, ask_open_cart

if TYPE_CHECKING:
    from pos_app.ui.main_window import MainWindow


class LeaveGuard:
    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def _checkout(self) -> CheckoutScreen | None:
        checkout = self._window.screens.get("checkout")
        return checkout if isinstance(checkout, CheckoutScreen) else None

    def leave(self, leaving: str, then: Callable[[], None]) -> None:
        """Log out or quit; a cart with lines is parked or voided first, or the leaving is off."""
        window, guard = self._window, self._window.session_guard
        checkout = self._checkout()
        if guard.ending or checkout is None or checkout.cart_model.is_empty():
            guard.end_session(then)
            return
        if checkout.cart_keeper.settling:
            return
        model = checkout.cart_model
        parent = guard.lock_dialog if guard.lock_dialog is not None else window
        money = window.session.money(model.total_cents)
        choice = ask_open_cart(parent, model.rowCount(), money, leaving)
        if choice == BACK:
            checkout.focus_scan()
            return
        checkout.cart_keeper.settle(choice, lambda ok: guard.end_session(then) if ok else None)

    def holds_close(self) -> bool:
        """Whether closing the window must wait: a cart is on the till (closing is quitting)."""
        checkout = self._checkout()
        return (
            not self._window.session_guard.ending
            and checkout is not None
            and not checkout.cart_model.is_empty()
        )
