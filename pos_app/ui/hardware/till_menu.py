"""The main window's Till menu and printer status: the devices, the customer display, No sale.

The main window only places ``menu`` and ``printer_label`` and calls ``shutdown`` when it
closes; everything that follows the checkout for the devices lives here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from pos_app.hardware.print_queue import QueueStatus
from pos_app.services.roles import Role
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.hardware.customer_display import CustomerDisplay
from pos_app.ui.hardware.devices import CompletedSale, TillDevices, install_devices, status_text
from pos_app.ui.hardware.no_sale import NoSaleAction
from pos_app.ui.session import UiSession
from pos_app.ui.style import named
from pos_app.ui.translation import translate_message

Show = Callable[[str, bool], None]
FAULT_STYLE = "color: #b3261e; font-weight: bold;"


class TillMenu(QObject):
    def __init__(
        self,
        window: QWidget,
        session: UiSession,
        checkout: CheckoutScreen | None,
        show: Show,
    ) -> None:
        super().__init__(window)
        self._session = session
        self._checkout = checkout
        self._show = show
        self.devices = TillDevices(session, self)
        install_devices(self.devices)
        self.customer_display: CustomerDisplay | None = None
        self.no_sale = NoSaleAction(window, session, self.devices, show)
        self._build_actions(window)
        self.printer_label = named(QLabel(), "printerStatus")
        self._on_devices_status_changed(self.devices.status)
        self._connect_signals()
        if session.settings.customer_display:
            self.customer_display_action.setChecked(True)

    def _build_actions(self, window: QWidget) -> None:
        self.customer_display_action = named(
            QAction(self.tr("Customer display"), window), "customerDisplayAction"
        )
        self.customer_display_action.setCheckable(True)
        self.customer_display_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.no_sale_action = named(
            QAction(self.tr("No sale (open drawer)…"), window), "noSaleAction"
        )
        self.no_sale_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.no_sale_action.setVisible(self._session.may(Role.MANAGER))
        self.retry_print_action = named(
            QAction(self.tr("Retry printing"), window), "retryPrintAction"
        )
        self.retry_print_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.menu = named(QMenu(self.tr("&Till"), window), "tillMenu")
        for action in (self.customer_display_action, self.no_sale_action, self.retry_print_action):
            self.menu.addAction(action)

    def _connect_signals(self) -> None:
        self.customer_display_action.toggled.connect(self._on_customer_display_toggled)
        self.no_sale_action.triggered.connect(self.no_sale.start)
        self.retry_print_action.triggered.connect(self.devices.retry)
        self.devices.status_changed.connect(self._on_devices_status_changed)
        self.devices.kick_dropped.connect(self._on_devices_kick_dropped)
        self.devices.message.connect(self._show)
        if self._checkout is not None:
            self._checkout.sale_completed.connect(self._on_checkout_sale_completed)
            self._checkout.cart_model.total_changed.connect(self._on_cart_total_changed)

    def shutdown(self) -> None:
        self.customer_display_action.setChecked(False)
        self.devices.shutdown()

    # slots

    def _on_devices_status_changed(self, status: QueueStatus) -> None:
        fault = status.state.is_fault
        self.printer_label.setText(status_text(status))
        self.printer_label.setProperty("error", fault)
        self.printer_label.setStyleSheet(FAULT_STYLE if fault else "")
        self.printer_label.setToolTip(translate_message(status.message))

    def _on_devices_kick_dropped(self, title: str) -> None:
        self._show(f"The cash drawer did not open ({title}): the printer is not answering.", True)

    def _on_checkout_sale_completed(self, sale: CompletedSale) -> None:
        self.devices.on_sale_completed(sale)
        if self.customer_display is not None:
            self.customer_display.on_sale_completed(sale)

    def _on_cart_total_changed(self, total: int) -> None:
        cart = self._checkout.cart_model if self._checkout is not None else None
        if cart is not None and not cart.is_empty():
            last = cart.line(cart.rowCount() - 1)
            amount = (
                self._session.fmt.weight(last.quantity) if last.is_weighed else f"{last.quantity} x"
            )
            self.devices.show_on_pole(f"{amount} {last.name}", total)
        if self.customer_display is not None:
            self.customer_display.on_total_changed(total)

    def _on_customer_display_toggled(self, on: bool) -> None:
        if not on:
            if self.customer_display is not None:
                self.customer_display.close()
                self.customer_display.deleteLater()
                self.customer_display = None
            return
        settings = self._session.settings
        display = CustomerDisplay(settings.shop_name, self._session.money)
        if self._checkout is not None:
            display.follow(self._checkout.cart_model)
            display.on_total_changed(self._checkout.cart_model.total_cents)
        self.customer_display = display
        display.place()


__all__ = ["TillMenu"]
