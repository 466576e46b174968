"""The checkout screen: scan, build the cart, take payment, print the receipt.

Keys: F2 quantity, F4/Del remove a line, Ctrl+P change a price, Ctrl+D discount a line,
Ctrl+Shift+D discount the cart, F6 count the stock of a line, F7 park, F8 recall, F9 void the
cart, F12 pay. Today's promotions apply by themselves and show on their lines. A line that
cannot be sold says why in its row and keeps Pay off, with a sentence naming the line.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import product_lookup
from pos_app.services.catalog import ProductInfo
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.checkout.cart_keeper import CartKeeper
from pos_app.ui.checkout.cart_view import CartView
from pos_app.ui.checkout.discount_actions import DiscountActions
from pos_app.ui.checkout.pay_dialog import PayDialog
from pos_app.ui.checkout.payment_flow import PaymentFlow
from pos_app.ui.checkout.product_picker import (
    ScanField,
    SuggestionPopup,
    SuggestTimer,
    wants_suggestions,
)
from pos_app.ui.checkout.receipt_dialog import ReceiptDialog
from pos_app.ui.checkout.sale_actions import SaleActions
from pos_app.ui.checkout.sale_controller import SaleController
from pos_app.ui.checkout.scan_flow import ScanFlow
from pos_app.ui.checkout.stock_count import StockCount
from pos_app.ui.checkout.total_panel import TotalPanel
from pos_app.ui.errors import describe_error
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, named, set_role
from pos_app.ui.tasks import LatestOnly

log = logging.getLogger(__name__)
SUGGESTION_LIMIT = 8


class CheckoutScreen(QWidget):
    # A CompletedSale once a sale is committed: the drawer, the printer and the customer display
    # follow it.
    sale_completed = Signal(object)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutScreen")
        self.session = session
        self._session = session
        self._suggestions = LatestOnly(self)
        self.sale = SaleController(session, self, self)
        self.cart_model = self.sale.cart
        self._build_ui()
        self.scanning = ScanFlow(self.sale)
        self.shift_gate = self.scanning.shift_gate
        self.sale_actions = SaleActions(self.sale)
        self.payment = PaymentFlow(self.sale)
        self.cart_keeper = CartKeeper(self.sale)
        self.stock_count = StockCount(self.sale)
        self.discounts = DiscountActions(self.sale)
        self._connect_signals()
        self._on_cart_total_changed(0)
        interests = Changes(catalog=True, stock=True, promotions=True)
        self.freshness = Freshness(self, interests, self.refresh)

    # layout

    def _build_ui(self) -> None:
        self.scan_field = named(ScanField(), "scanInput")
        self.scan_field.setPlaceholderText(self.tr("Scan a barcode, type a SKU or part of a name…"))
        self.scan_field.setClearButtonEnabled(True)
        self.scan_field.addAction(icon("scan"), ScanField.ActionPosition.LeadingPosition)
        self.scan_field.setMinimumHeight(44)
        self.scan_field.setStyleSheet("font-size: 14pt;")
        self.message_label = named(QLabel(), "checkoutMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(24)
        self.cart_view = CartView(self.cart_model, self)
        self.blocked_label = named(QLabel(), "payBlocked")
        self.blocked_label.setWordWrap(True)
        set_role(self.blocked_label, "error")
        self.blocked_label.hide()

        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.scan_field)
        left.addWidget(self.message_label)
        left.addWidget(self.cart_view, 1)
        left.addWidget(self.blocked_label)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(14)
        layout.addLayout(left, 1)
        self.panel = TotalPanel(self)
        layout.addWidget(self.panel)
        self.total_label = self.panel.total_label
        self.quantity_button = self.panel.quantity_button
        self.remove_button = self.panel.remove_button
        self.price_button = self.panel.price_button
        self.line_discount_button = self.panel.line_discount_button
        self.cart_discount_button = self.panel.cart_discount_button
        self.park_button = self.panel.park_button
        self.recall_button = self.panel.recall_button
        self.clear_button = self.panel.clear_button
        self.count_button = self.panel.count_button
        self.pay_button = self.panel.pay_button
        self.setFocusProxy(self.scan_field)
        self.suggestions = SuggestionPopup(self)
        self.suggest_timer = SuggestTimer(self)

    def _connect_signals(self) -> None:
        self.scan_field.returnPressed.connect(self._on_scan_return_pressed)
        self.scan_field.textEdited.connect(self._on_scan_text_edited)
        self.scan_field.moved.connect(self._on_scan_moved)
        self.scan_field.escaped.connect(self._on_scan_escaped)
        self.scan_field.delete_on_empty.connect(self._on_remove_clicked)
        self.suggest_timer.timeout.connect(self._on_suggest_timer_timeout)
        self.suggestions.picked.connect(self._on_suggestion_picked)
        self.sale.sale_completed.connect(self.sale_completed)
        self.cart_model.total_changed.connect(self._on_cart_total_changed)
        self.cart_model.dataChanged.connect(self._on_cart_data_changed)
        self.cart_model.refused.connect(self._on_cart_refused)
        self.cart_view.quantity_delegate.closeEditor.connect(self._on_quantity_editor_closed)
        self.quantity_button.clicked.connect(self._on_quantity_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.price_button.clicked.connect(self._on_price_clicked)
        self.line_discount_button.clicked.connect(self._on_line_discount_clicked)
        self.cart_discount_button.clicked.connect(self._on_cart_discount_clicked)
        self.park_button.clicked.connect(self._on_park_clicked)
        self.recall_button.clicked.connect(self._on_recall_clicked)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.count_button.clicked.connect(self._on_count_clicked)
        self.pay_button.clicked.connect(self._on_pay_clicked)
        for key, slot in (
            (QKeySequence(Qt.Key.Key_F2), self._on_quantity_clicked),
            (QKeySequence(Qt.Key.Key_F4), self._on_remove_clicked),
            (QKeySequence("Ctrl+P"), self._on_price_clicked),
            (QKeySequence("Ctrl+D"), self._on_line_discount_clicked),
            (QKeySequence("Ctrl+Shift+D"), self._on_cart_discount_clicked),
            (QKeySequence(Qt.Key.Key_F6), self._on_count_clicked),
            (QKeySequence(Qt.Key.Key_F7), self._on_park_clicked),
            (QKeySequence(Qt.Key.Key_F8), self._on_recall_clicked),
            (QKeySequence(Qt.Key.Key_F9), self._on_clear_clicked),
            (QKeySequence(Qt.Key.Key_F12), self._on_pay_clicked),
        ):
            shortcut = QShortcut(key, self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def _on_remove_clicked(self) -> None:
        self.sale_actions.remove_line()

    def _on_clear_clicked(self) -> None:
        self.sale_actions.clear_cart()

    def _on_price_clicked(self) -> None:
        self.sale_actions.change_price()

    def _on_line_discount_clicked(self) -> None:
        self.discounts.discount_line()

    def _on_cart_discount_clicked(self) -> None:
        self.discounts.discount_cart()

    def _on_park_clicked(self) -> None:
        self.sale_actions.park()

    def _on_recall_clicked(self) -> None:
        self.sale_actions.recall()

    def _on_count_clicked(self) -> None:
        self.stock_count.start()

    def _on_pay_clicked(self) -> None:
        self.payment.start()

    @property
    def pay_dialog(self) -> PayDialog | None:
        return self.payment.pay_dialog

    @property
    def receipt_dialog(self) -> ReceiptDialog | None:
        return self.payment.receipt_dialog

    # public

    def refresh(self) -> None:
        """Today's promotions and the stock of the cart's lines as they are now."""
        self.freshness.mark_fresh()
        if not self.cart_model.is_empty():  # an empty cart reads them at its first line
            self.discounts.load_promotions()
        self.stock_count.reload()
        self.focus_scan()

    def focus_scan(self) -> None:
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def type_into_scan(self, text: str) -> None:
        self.focus_scan()
        self.scan_field.insert(text)

    def scan(self, text: str) -> None:
        """What Enter in the scan field does; also used by tests and the screenshot script."""
        self.scan_field.setText(text)
        self._on_scan_return_pressed()

    @property
    def busy(self) -> bool:
        """Looking up a scan, parking, settling the cart, or loading a receipt."""
        return self.sale.busy

    @property
    def sale_uuid(self) -> str | None:
        return self.sale.sale_uuid

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        set_role(self.message_label, "error" if error else "info")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_scan()
        QTimer.singleShot(0, self.cart_keeper.offer_back)

    # scanning

    def _on_scan_return_pressed(self) -> None:
        text = self.scan_field.text().strip()
        chosen = self.suggestions.chosen()
        self._hide_suggestions()
        self.scan_field.clear()
        if chosen is not None:
            self.scanning.add_picked(chosen)
        elif text:
            self.scanning.enter(text)

    # suggestions

    def _on_scan_text_edited(self, text: str) -> None:
        self._suggestions.cancel()  # an answer for the text before this keystroke is stale
        if wants_suggestions(text):
            self.suggest_timer.start()
        else:
            self._hide_suggestions()

    def _on_suggest_timer_timeout(self) -> None:
        text = self.scan_field.text().strip()
        if not wants_suggestions(text):
            return
        ctx, user = self._session.ctx, self._session.user
        self._suggestions.run(
            lambda: product_lookup.suggest_products(ctx, user, text, limit=SUGGESTION_LIMIT),
            self._on_suggestions_loaded,
            self._on_suggestions_failed,
        )

    def _on_suggestions_loaded(self, products: list[ProductInfo]) -> None:
        if not wants_suggestions(self.scan_field.text()):
            return
        money = self._session.money
        self.suggestions.show_products(
            products, self.scan_field, lambda p: f"{p.name}   {money(p.price_cents)}   ({p.sku})"
        )

    def _on_suggestions_failed(self, error: BaseException) -> None:
        self.show_message(describe_error(error), error=True)

    def _on_suggestion_picked(self, product: ProductInfo) -> None:
        self._hide_suggestions()
        self.scan_field.clear()
        self.scanning.add_picked(product)
        self.focus_scan()

    def _on_scan_moved(self, delta: int) -> None:
        if self.suggestions.isVisible():
            self.suggestions.move_selection(delta)
        else:
            self.cart_view.move_selection(delta)

    def _on_scan_escaped(self) -> None:
        self._hide_suggestions()
        self.scan_field.clear()

    def _hide_suggestions(self) -> None:
        self.suggest_timer.stop()
        self._suggestions.cancel()
        self.suggestions.hide()

    # cart

    def target_row(self) -> int | None:
        """The selected line, else the last one; None for an empty cart."""
        row = self.cart_view.current_row()
        if row is None and not self.cart_model.is_empty():
            row = self.cart_model.rowCount() - 1
        return row

    def select_row(self, row: int) -> None:
        self.cart_view.select(row)

    def _on_quantity_clicked(self) -> None:
        row = self.target_row()
        if row is None:
            self.show_message(self.tr("The cart is empty."), error=True)
            return
        line = self.cart_model.line(row)
        if not line.is_weighed:
            self.cart_view.edit_quantity(row)
            return
        grams = self.scanning.ask_weight(line.name, line.price_cents)
        if grams is None or not self.cart_model.set_quantity(row, grams):
            return
        if self.cart_model.line(row).blocked_reason:
            self.sale.warn_short(row)

    def _on_quantity_editor_closed(
        self, _editor: QWidget, _hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        row = self.cart_view.current_row()
        if row is not None and self.cart_model.line(row).blocked_reason:
            self.sale.warn_short(row)
        self.focus_scan()

    def _on_cart_refused(self, message: str) -> None:
        self.show_message(message, error=True)
        QApplication.beep()

    def _on_cart_data_changed(self) -> None:
        self._update_pay_state()

    def _update_pay_state(self) -> None:
        blocked = self.sale.pay_blocked_reason()
        self.pay_button.setEnabled(not self.cart_model.is_empty() and not blocked)
        self.blocked_label.setText(blocked)
        self.blocked_label.setVisible(bool(blocked))

    def _on_cart_total_changed(self, total: int) -> None:
        self.panel.show_total(self._session.money(total), self.cart_model.item_count)
        empty = self.cart_model.is_empty()
        self._update_pay_state()
        for button in (
            self.price_button,
            self.park_button,
            self.count_button,
            self.line_discount_button,
            self.cart_discount_button,
        ):
            button.setEnabled(not empty)
        self.recall_button.setEnabled(empty)
