"""Held sales at the till: a label when parking, and the list of parked carts to recall one.

Each parked cart is listed at what it will cost once recalled, and what that saves the customer.

Carts parked at any till are listed. Recalling takes the cart exactly once: when another till
was quicker, the dialog says so in place and shows the list again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from pos_app.services import catalog, held_sales
from pos_app.services.catalog import ProductInfo
from pos_app.services.errors import ConflictError, NotFoundError, PosError
from pos_app.services.held_sales import HeldCart
from pos_app.ui.changes import Changes, announce
from pos_app.ui.dialog_layout import button_row, primary_button, side_button, stack
from pos_app.ui.errors import describe_error
from pos_app.ui.forms import error_label, table_view
from pos_app.ui.models import Column, RowTableModel
from pos_app.ui.session import UiSession
from pos_app.ui.style import named, set_role
from pos_app.ui.tasks import run_in_background

Recalled = tuple[HeldCart, dict[int, ProductInfo]]


def ask_label(parent: QWidget) -> str | None:
    """The optional label of a parked cart (tests replace this); None when cancelled."""
    text, ok = QInputDialog.getText(
        parent,
        QCoreApplication.translate("checkout.held_dialog", "Park sale"),
        QCoreApplication.translate(
            "checkout.held_dialog", "Label to find it again (optional), e.g. the customer's name:"
        ),
        QLineEdit.EchoMode.Normal,
    )
    return text.strip() if ok else None


def held_columns(session: UiSession) -> list[Column[HeldCart]]:

    def parked(cart: HeldCart) -> str:
        return session.when(cart.created_at)

    return [
        Column(
            QCoreApplication.translate("checkout.held_dialog", "Label"),
            lambda cart: cart.label or "—",
        ),
        Column(QCoreApplication.translate("checkout.held_dialog", "Parked"), parked),
        Column(
            QCoreApplication.translate("checkout.held_dialog", "Till"), lambda cart: cart.till_id
        ),
        Column(
            QCoreApplication.translate("checkout.held_dialog", "Cashier"),
            lambda cart: cart.cashier_name,
        ),
        Column(
            QCoreApplication.translate("checkout.held_dialog", "Items"),
            lambda cart: sum(line.items for line in cart.lines),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("checkout.held_dialog", "Total"),
            lambda cart: session.money(cart.total_cents),
            align_right=True,
        ),
        Column(
            QCoreApplication.translate("checkout.held_dialog", "Saved"),
            lambda cart: session.money(cart.saved_cents) if cart.saved_cents else "",
            align_right=True,
        ),
    ]


def recall_with_prices(session: UiSession, held_id: int) -> Recalled:
    """Recall the cart, then look up today's list price and stock of its products.

    The look-ups are best effort: the cart is already taken, so it must reach the till even
    when they fail (it then keeps the prices it was parked with).
    """
    ctx, user = session.ctx, session.user
    cart = held_sales.recall(ctx, user, held_id)
    products: dict[int, ProductInfo] = {}
    for line in cart.lines:
        try:
            products[line.product_id] = catalog.get_product(ctx, user, line.product_id)
        except PosError:
            continue
    return cart, products


class RecallDialog(QDialog):
    """Accepted with ``recalled`` set once a cart was taken back into this till."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._busy = False
        self.recalled: Recalled | None = None
        self.model: RowTableModel[HeldCart] = RowTableModel(held_columns(session), self)
        self.setObjectName("recallDialog")
        self.setWindowTitle(self.tr("Recall a held sale"))
        self.setModal(True)
        self._build_ui()
        self._connect_signals()
        self.reload()

    def _build_ui(self) -> None:
        self.resize(840, 420)
        title = QLabel(self.tr("Held sales"))
        set_role(title, "title")
        self.table = table_view("heldTable", self.model, self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.status_label = named(QLabel(), "heldStatus")
        set_role(self.status_label, "muted")
        self.error_label = error_label("heldError")
        self.recall_button = primary_button(self.tr("Recall  Enter"), "heldRecall")
        self.cancel_button = side_button(self.tr("Back  Esc"), "heldCancel")
        buttons = button_row([self.cancel_button], [self.recall_button])
        stack(
            self, title, (self.table, 1), self.status_label, self.error_label, buttons, spacing=10
        )

    def _connect_signals(self) -> None:
        self.recall_button.clicked.connect(self._on_recall_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.table.doubleClicked.connect(self._on_recall_clicked)

    @property
    def busy(self) -> bool:
        return self._busy

    def reload(self) -> None:
        ctx, user = self._session.ctx, self._session.user
        self._set_busy(True)
        run_in_background(
            self, lambda: held_sales.list_held(ctx, user), self._on_list_loaded, self._on_failed
        )

    def select(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.table.selectRow(row)

    def selected(self) -> HeldCart | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def _on_list_loaded(self, carts: list[HeldCart]) -> None:
        self._set_busy(False)
        self.model.set_rows(carts)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.status_label.setText(
            self.tr("%Ln held sale(s), oldest first.", "", len(carts))
            if carts
            else self.tr("No sales are held.")
        )
        self.select(0)
        self.table.setFocus()

    def _on_recall_clicked(self, *_args: object) -> None:
        cart = self.selected()
        if self._busy or cart is None:
            return
        self.error_label.hide()
        session, held_id = self._session, cart.id
        self._set_busy(True)
        run_in_background(
            self,
            lambda: recall_with_prices(session, held_id),
            self._on_recalled,
            self._on_recall_failed,
        )

    def _on_recalled(self, result: Recalled) -> None:
        self._set_busy(False)
        announce(Changes(held=True), self)
        self.recalled = result
        self.accept()

    def _on_recall_failed(self, error: BaseException) -> None:
        self._on_failed(error)
        if isinstance(error, ConflictError | NotFoundError):
            self.reload()

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error_label.setText(describe_error(error))
        self.error_label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.recall_button.setEnabled(not busy)
