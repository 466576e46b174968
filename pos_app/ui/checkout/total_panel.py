"""The right-hand panel of the checkout: the total in large type and the F-key buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pos_app.ui.style import icon, mark_primary, named, set_role


def key_button(icon_name: str, text: str, key: str, name: str) -> QPushButton:
    """A button showing its shortcut, in the shop's language (Strg+P in German); it never takes
    the focus from the scan field."""
    shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    button = named(QPushButton(icon(icon_name), f"{text}  ({shown})"), name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(42)
    button.setStyleSheet("text-align: left; padding-left: 12px;")
    return button


def small_button(text: str, name: str) -> QPushButton:
    """A half-width button without icon; its shortcut is in its tooltip."""
    button = named(QPushButton(text), name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setMinimumHeight(36)
    return button


class TotalPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalPanel")
        self.setFixedWidth(300)
        caption = QLabel(self.tr("Total"))
        set_role(caption, "muted")
        self.total_label = named(QLabel(), "checkoutTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.items_label = named(QLabel(), "checkoutItems")
        self.items_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        set_role(self.items_label, "muted")
        self.quantity_button = key_button("quantity", self.tr("Quantity"), "F2", "quantityButton")
        self.remove_button = key_button("remove", self.tr("Remove line"), "F4", "removeButton")
        self.price_button = key_button("price", self.tr("Change price"), "Ctrl+P", "priceButton")
        self.park_button = key_button("park", self.tr("Park sale"), "F7", "parkButton")
        self.recall_button = key_button("recall", self.tr("Recall sale"), "F8", "recallButton")
        self.clear_button = key_button("clear", self.tr("Void cart"), "F9", "clearButton")
        self.count_button = key_button(
            "inventory", self.tr("Count stock"), "F6", "countStockButton"
        )
        self.line_discount_button = small_button(self.tr("Discount line"), "lineDiscountButton")
        self.line_discount_button.setToolTip(self.tr("Discount the selected line (Ctrl+D)"))
        self.cart_discount_button = small_button(self.tr("Discount cart"), "cartDiscountButton")
        self.cart_discount_button.setToolTip(self.tr("Discount the whole cart (Ctrl+Shift+D)"))

        self.pay_button = key_button("pay-light", self.tr("Pay"), "F12", "payButton")
        self.pay_button.setMinimumHeight(64)
        self.pay_button.setStyleSheet("font-size: 16pt;")
        mark_primary(self.pay_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(10)
        layout.addWidget(caption)
        layout.addWidget(self.total_label)
        layout.addWidget(self.items_label)
        layout.addSpacing(4)
        for button in (
            self.quantity_button,
            self.remove_button,
            self.price_button,
            self.count_button,
        ):
            layout.addWidget(button)
        discounts = QHBoxLayout()
        discounts.setSpacing(8)
        discounts.addWidget(self.line_discount_button)
        discounts.addWidget(self.cart_discount_button)
        layout.addLayout(discounts)
        layout.addSpacing(8)
        for button in (self.park_button, self.recall_button, self.clear_button):
            layout.addWidget(button)
        layout.addStretch(1)
        layout.addWidget(self.pay_button)

    def show_total(self, total: str, items: int) -> None:
        self.total_label.setText(total)
        self.items_label.setText(
            self.tr("1 item") if items == 1 else self.tr("{0} items").format(items)
        )
