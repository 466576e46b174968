"""The checkout screen: scan, build the cart, take payment, print the receipt."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import catalog, checkout
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseResult
from pos_app.ui.checkout.cart_model import CartModel
from pos_app.ui.checkout.cart_view import CartView
from pos_app.ui.checkout.pay_dialog import PayDialog, Payment
from pos_app.ui.checkout.product_picker import (
    ScanField,
    SuggestionPopup,
    SuggestTimer,
    split_quantity,
    wants_suggestions,
)
from pos_app.ui.checkout.receipt_dialog import Receipt, ReceiptDialog
from pos_app.ui.checkout.total_panel import TotalPanel
from pos_app.ui.errors import describe_error
from pos_app.ui.session import UiSession
from pos_app.ui.style import icon, named, set_role
from pos_app.ui.tasks import LatestOnly, run_in_background

log = logging.getLogger(__name__)
SUGGESTION_LIMIT = 8


def confirm_clear(parent: QWidget, lines: int) -> bool:
    """Ask before throwing a cart away (tests replace this)."""
    answer = QMessageBox.question(
        parent,
        "Clear the cart",
        f"Remove all {lines} line(s) from the cart?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class CheckoutScreen(QWidget):
    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkoutScreen")
        self._session = session
        self._scans: deque[tuple[int, str]] = deque()
        self._looking_up = False
        self._sale_uuid: str | None = None
        self._suggestions = LatestOnly(self)
        self.cart_model = CartModel(session.money, self)
        self.pay_dialog: PayDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self._build_ui()
        self._connect_signals()
        self._on_cart_total_changed(0)

    # layout

    def _build_ui(self) -> None:
        self.scan_field = named(ScanField(), "scanInput")
        self.scan_field.setPlaceholderText("Scan a barcode, type a SKU or part of a name…")
        self.scan_field.setClearButtonEnabled(True)
        self.scan_field.addAction(icon("scan"), ScanField.ActionPosition.LeadingPosition)
        self.scan_field.setMinimumHeight(44)
        self.scan_field.setStyleSheet("font-size: 14pt;")
        self.message_label = named(QLabel(), "checkoutMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setMinimumHeight(24)
        self.cart_view = CartView(self.cart_model, self)

        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.scan_field)
        left.addWidget(self.message_label)
        left.addWidget(self.cart_view, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(14)
        layout.addLayout(left, 1)
        self.panel = TotalPanel(self)
        layout.addWidget(self.panel)
        self.total_label = self.panel.total_label
        self.quantity_button = self.panel.quantity_button
        self.remove_button = self.panel.remove_button
        self.clear_button = self.panel.clear_button
        self.pay_button = self.panel.pay_button
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
        self.cart_model.total_changed.connect(self._on_cart_total_changed)
        self.cart_view.quantity_delegate.closeEditor.connect(self._on_quantity_editor_closed)
        self.quantity_button.clicked.connect(self._on_quantity_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.pay_button.clicked.connect(self._on_pay_clicked)
        for key, slot in (
            (Qt.Key.Key_F2, self._on_quantity_clicked),
            (Qt.Key.Key_F4, self._on_remove_clicked),
            (Qt.Key.Key_F9, self._on_clear_clicked),
            (Qt.Key.Key_F12, self._on_pay_clicked),
        ):
            shortcut = QShortcut(QKeySequence(key), self, slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # public

    def refresh(self) -> None:
        self.focus_scan()

    def focus_scan(self) -> None:
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def scan(self, text: str) -> None:
        """What Enter in the scan field does; also used by tests and the screenshot script."""
        self.scan_field.setText(text)
        self._on_scan_return_pressed()

    @property
    def busy(self) -> bool:
        return self._looking_up or bool(self._scans)

    @property
    def sale_uuid(self) -> str | None:
        return self._sale_uuid

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setText(text)
        set_role(self.message_label, "error" if error else "info")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_scan()

    # scanning

    def _on_scan_return_pressed(self) -> None:
        text = self.scan_field.text().strip()
        chosen = self.suggestions.chosen()
        self._hide_suggestions()
        self.scan_field.clear()
        if chosen is not None:
            self._add_product(chosen, 1)
        elif text:
            self._scans.append(split_quantity(text))
            self._start_next_lookup()

    def _start_next_lookup(self) -> None:
        if self._looking_up or not self._scans:
            return
        quantity, code = self._scans.popleft()
        self._looking_up = True
        ctx, user = self._session.ctx, self._session.user
        run_in_background(
            self,
            lambda: catalog.find_product(ctx, user, code),
            lambda product: self._on_lookup_succeeded(product, quantity),
            self._on_lookup_failed,
        )

    def _on_lookup_succeeded(self, product: ProductInfo, quantity: int) -> None:
        self._looking_up = False
        self._add_product(product, quantity)
        self._start_next_lookup()

    def _on_lookup_failed(self, error: BaseException) -> None:
        self._looking_up = False
        self.show_message(describe_error(error), error=True)
        QApplication.beep()
        self._start_next_lookup()

    def _add_product(self, product: ProductInfo, quantity: int) -> None:
        if not product.is_active:
            self.show_message(f"{product.name} is no longer sold.", error=True)
            return
        if self.cart_model.is_empty():
            self._sale_uuid = checkout.new_sale_uuid()
        row = self.cart_model.add_product(product, quantity)
        self.cart_view.select(row)
        line = self.cart_model.line(row)
        if line.quantity > product.quantity:
            self.show_message(f"{product.name}: only {product.quantity} in stock.", error=True)
        else:
            self.show_message(f"Added {product.name} (quantity {line.quantity}).")

    # suggestions

    def _on_scan_text_edited(self, text: str) -> None:
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
            lambda: catalog.suggest_products(ctx, user, text, limit=SUGGESTION_LIMIT),
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
        self._add_product(product, 1)
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

    # cart actions

    def _target_row(self) -> int | None:
        row = self.cart_view.current_row()
        if row is None and not self.cart_model.is_empty():
            row = self.cart_model.rowCount() - 1
        return row

    def _on_quantity_clicked(self) -> None:
        row = self._target_row()
        if row is None:
            self.show_message("The cart is empty.", error=True)
            return
        self.cart_view.edit_quantity(row)

    def _on_quantity_editor_closed(
        self, _editor: QWidget, _hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        self.focus_scan()

    def _on_remove_clicked(self) -> None:
        row = self._target_row()
        if row is None:
            return
        name = self.cart_model.line(row).name
        self.cart_model.remove_row(row)
        if self.cart_model.is_empty():
            self._sale_uuid = None
        else:
            self.cart_view.select(min(row, self.cart_model.rowCount() - 1))
        self.show_message(f"Removed {name}.")

    def _on_clear_clicked(self) -> None:
        if self.cart_model.is_empty():
            return
        if not confirm_clear(self, self.cart_model.rowCount()):
            self.focus_scan()
            return
        self._reset_cart()
        self.show_message("The cart was cleared.")
        self.focus_scan()

    def _on_cart_total_changed(self, total: int) -> None:
        self.panel.show_total(self._session.money(total), self.cart_model.item_count)
        self.pay_button.setEnabled(total > 0 or not self.cart_model.is_empty())

    def _reset_cart(self) -> None:
        self.cart_model.clear()
        self._sale_uuid = None

    # payment

    def _on_pay_clicked(self) -> None:
        if self.cart_model.is_empty():
            self.show_message("The cart is empty; scan a product first.", error=True)
            return
        if self.busy:
            self.show_message(
                "Still looking up a product; press Pay again in a moment.", error=True
            )
            return
        if self._sale_uuid is None:
            self._sale_uuid = checkout.new_sale_uuid()
        if self.pay_dialog is not None:
            self.pay_dialog.deleteLater()
        dialog = PayDialog(
            self.cart_model.total_cents, self._session.money, self._charge_operation(), self
        )
        dialog.finished.connect(self._on_pay_dialog_finished)
        self.pay_dialog = dialog
        dialog.open()

    def _charge_operation(self) -> Callable[[], PurchaseResult]:
        ctx, user = self._session.ctx, self._session.user
        lines, sale_uuid = self.cart_model.purchase_lines(), self._sale_uuid
        return lambda: checkout.purchase(ctx, user, lines, sale_uuid=sale_uuid)

    def _on_pay_dialog_finished(self, _code: int) -> None:
        dialog = self.pay_dialog
        if dialog is None:
            return
        result = dialog.purchase
        if result is not None and result.committed and dialog.payment is not None:
            self._show_receipt(result, dialog.payment)
            self._reset_cart()
            self.show_message(f"Sale #{result.sale_id} saved.")
            return
        if result is not None:
            self._mark_failures(result)
        self.window().activateWindow()
        self.focus_scan()

    def _mark_failures(self, result: PurchaseResult) -> None:
        self.cart_model.mark_problems({line.product_id: line.message for line in result.failed})
        self._sale_uuid = checkout.new_sale_uuid()
        count = len(result.failed)
        self.show_message(
            f"Nothing was charged: {count} line(s) cannot be sold (marked in red). "
            "Fix them and press Pay again.",
            error=True,
        )

    def _show_receipt(self, result: PurchaseResult, payment: Payment) -> None:
        change = max(0, payment.tendered_cents - result.total_cents)
        settings = self._session.settings
        when = (result.created_at or self._session.ctx.now()).astimezone(settings.timezone)
        receipt = Receipt(
            shop_name=settings.shop_name,
            shop_address=settings.shop_address,
            sale_id=result.sale_id,
            till_id=settings.till_id,
            cashier=self._session.user.full_name,
            when=when,
            lines=list(result.sold),
            total_cents=result.total_cents,
            payment=replace(payment, change_cents=change),
        )
        if self.receipt_dialog is not None:
            self.receipt_dialog.deleteLater()
        self.receipt_dialog = ReceiptDialog(receipt, self._session.money, self)
        self.receipt_dialog.finished.connect(self._on_receipt_finished)
        self.receipt_dialog.open()

    def _on_receipt_finished(self, _code: int) -> None:
        self.window().activateWindow()
        self.focus_scan()
