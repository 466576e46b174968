"""Driving the checkout in UI tests: open it, scan, pay, wait for the receipt."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from pos_app.services import tax
from pos_app.services.access import UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.ui.checkout.pay_dialog import PayDialog
from pos_app.ui.checkout.receipt_dialog import ReceiptDialog
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.session import UiSession


def open_checkout(qtbot: QtBot, session: UiSession) -> CheckoutScreen:
    screen = CheckoutScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1000, 640)
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.scan_field.hasFocus)
    return screen


def scan(qtbot: QtBot, screen: CheckoutScreen, code: str) -> None:
    screen.scan(code)
    qtbot.waitUntil(lambda: not screen.busy)


def open_pay(qtbot: QtBot, screen: CheckoutScreen) -> PayDialog:
    qtbot.waitUntil(lambda: not screen.busy)  # e.g. today's promotions still being read
    screen.pay_button.click()
    qtbot.waitUntil(lambda: screen.pay_dialog is not None and screen.pay_dialog.isVisible())
    dialog = screen.pay_dialog
    assert dialog is not None
    return dialog


def confirm(qtbot: QtBot, screen: CheckoutScreen, pay: PayDialog) -> ReceiptDialog:
    """Confirm the payment and wait for the receipt of the stored sale."""
    previous = screen.receipt_dialog
    pay.confirm_button.click()
    qtbot.waitUntil(
        lambda: screen.receipt_dialog is not None and screen.receipt_dialog is not previous,
        timeout=5000,
    )
    receipt = screen.receipt_dialog
    assert receipt is not None
    return receipt


def two_tax_rates(
    ctx: ServiceContext, owner: UserSession, products: dict[str, ProductInfo]
) -> None:
    """Drinks at 19 %, snacks at 7 %: receipts then carry two rates."""
    tax.set_category_tax_rate(ctx, owner, products["COLA-330"].category_id, 1900)
    tax.set_category_tax_rate(ctx, owner, products["CRISP-SALT"].category_id, 700)
