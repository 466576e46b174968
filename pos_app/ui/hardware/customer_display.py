"""The customer display: a second window, for a second screen facing the customer.

It follows the checkout live — the cart's own model feeds its table, the cart's total its big
figure — and once a sale is committed it shows the total, the change due and a thank-you
until the next item is scanned.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.checkout.cart_line import Column
from pos_app.ui.hardware.devices import CompletedSale
from pos_app.ui.style import named

Money = Callable[[int], str]
# What a customer reads; the SKU and the stock are the till's business.
SHOWN_COLUMNS = frozenset({Column.PRODUCT, Column.QTY, Column.UNIT_PRICE, Column.LINE_TOTAL})
WINDOW_SIZE = (800, 480)
STYLE = """
#customerDisplay { background: #10243a; }
#customerDisplay QLabel { color: #ffffff; }
#customerTitle { font-size: 20pt; font-weight: bold; }
#customerTotal { font-size: 40pt; font-weight: bold; color: #ffe082; }
#customerChange { font-size: 28pt; font-weight: bold; color: #a5d6a7; }
#customerMessage { font-size: 22pt; }
#customerLines { font-size: 15pt; background: #ffffff; color: #10243a; }
"""


class CustomerDisplay(QWidget):
    def __init__(self, shop_name: str, money: Money, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("{0} — customer display").format(shop_name))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self._shop_name = shop_name
        self._money = money
        self._model: QAbstractItemModel | None = None
        self._build_ui()
        self.show_welcome()

    def _build_ui(self) -> None:
        self.title_label = named(QLabel(self._shop_name), "customerTitle")
        self.lines_view = named(QTableView(), "customerLines")
        self.lines_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.lines_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines_view.verticalHeader().hide()
        self.lines_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.total_label = named(QLabel(), "customerTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.change_label = named(QLabel(), "customerChange")
        self.change_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.message_label = named(QLabel(), "customerMessage")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.title_label)
        layout.addWidget(self.lines_view, 1)
        layout.addStretch(0)
        layout.addWidget(self.total_label)
        layout.addWidget(self.change_label)
        layout.addWidget(self.message_label, 1)

    # following the checkout

    def follow(self, model: QAbstractItemModel) -> None:
        """Show ``model``'s lines (the checkout's cart) as they change."""
        self._model = model
        self.lines_view.setModel(model)
        for column in range(model.columnCount()):
            self.lines_view.setColumnHidden(column, column not in SHOWN_COLUMNS)
        header = self.lines_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        model.rowsInserted.connect(self._on_lines_changed)
        model.modelReset.connect(self._on_lines_changed)

    def on_total_changed(self, total_cents: int) -> None:
        if self._model is not None and self._model.rowCount() == 0:
            return  # an emptied cart keeps the thank-you (or the welcome) on screen
        self.lines_view.show()
        _say(self.total_label, self.tr("Total  {0}").format(self._money(total_cents)))
        _say(self.change_label, "")
        _say(self.message_label, "")

    def on_sale_completed(self, sale: CompletedSale) -> None:
        self.lines_view.hide()
        _say(self.total_label, self.tr("Total  {0}").format(self._money(sale.total_cents)))
        if sale.paid_cash:
            _say(self.change_label, self.tr("Change  {0}").format(self._money(sale.change_cents)))
        else:
            _say(self.change_label, self.tr("Paid by card"))
        _say(self.message_label, self.tr("Thank you for shopping at {0}!").format(self._shop_name))

    def show_welcome(self) -> None:
        self.lines_view.hide()
        _say(self.total_label, "")
        _say(self.change_label, "")
        _say(self.message_label, self.tr("Welcome to {0}").format(self._shop_name))

    def _on_lines_changed(self, *_args: object) -> None:
        if self._model is not None and self._model.rowCount() > 0:
            self.lines_view.scrollToBottom()

    # placing

    def place(self) -> None:
        """Full screen on the second screen when there is one, else a window beside the till."""
        screens = QGuiApplication.screens()
        if len(screens) > 1:
            screen = screens[1]
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.resize(*WINDOW_SIZE)
            self.show()


def _say(label: QLabel, text: str) -> None:
    """An empty line takes no room, so the cart's lines get the screen."""
    label.setText(text)
    label.setVisible(bool(text))


__all__ = ["CustomerDisplay"]
