"""The restock panel: scan or type a barcode or SKU (or pick a row), a quantity, a note.

A product sold by weight is restocked in kg: the quantity row gives way to a weight row once
the product is known.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.weights import parse_weight
from pos_app.services import inventory, product_lookup
from pos_app.services.catalog import ProductInfo
from pos_app.services.errors import ValidationError
from pos_app.services.inventory import StockLevel
from pos_app.ui.changes import Changes
from pos_app.ui.forms import FormErrors, button, error_label
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.style import mark_primary, set_role
from pos_app.ui.tasks import LatestOnly
from pos_app.ui.translation import QT_TRANSLATE_NOOP

MAX_RESTOCK = 1_000_000
NO_PRODUCT = QT_TRANSLATE_NOOP(
    "RestockPanel", "Scan a barcode, type a SKU and press Enter, or pick a row."
)


class RestockPanel(QGroupBox):
    """Adds stock to one product; ``restocked`` carries the new level."""

    restocked = Signal(object)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Restock"))
        self.setObjectName("restockPanel")
        self._session = session
        self._target: tuple[int, str] | None = None  # (product id, the code it was found by)
        self._weighed = False
        self._lookup = LatestOnly(self)
        self._busy = False
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.code_field = QLineEdit()
        self.code_field.setObjectName("restockCode")
        self.code_field.setPlaceholderText(self.tr("Barcode or SKU"))
        self.code_field.setClearButtonEnabled(True)
        self.product_label = QLabel(self.tr(NO_PRODUCT))
        self.product_label.setObjectName("restockProduct")
        self.product_label.setWordWrap(True)
        set_role(self.product_label, "muted")
        self.quantity_field = QSpinBox()
        self.quantity_field.setObjectName("restockQuantity")
        self.quantity_field.setRange(1, MAX_RESTOCK)
        self.weight_field = QLineEdit()
        self.weight_field.setObjectName("restockWeight")
        self.weight_field.setPlaceholderText(self.tr("kg, e.g. 2.500 or 500 g"))
        self.weight_field.setMaxLength(20)
        self.note_field = QLineEdit()
        self.note_field.setObjectName("restockNote")
        self.note_field.setPlaceholderText(self.tr("Delivery note (optional)"))
        self.note_field.setMaxLength(255)
        self.add_button = button(
            "restockButton", self.tr("Add stock"), self.tr("Enter in the quantity field")
        )
        mark_primary(self.add_button)
        form = QFormLayout()
        self.errors = FormErrors(error_label("restockError"))
        self.errors.add_row(form, self.tr("&Code"), self.code_field, "code", ["product_id"])
        form.addRow("", self.product_label)
        self.errors.add_row(form, self.tr("&Quantity"), self.quantity_field, "quantity")
        self.errors.add_row(form, self.tr("&Weight (kg)"), self.weight_field, "weight")
        self.errors.add_row(form, self.tr("N&ote"), self.note_field, "note")
        self._form = form
        self._show_unit(weighed=False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.add_button)

    def _connect_signals(self) -> None:
        self.code_field.returnPressed.connect(self._on_code_return_pressed)
        self.code_field.textEdited.connect(self._on_code_text_edited)
        self.quantity_field.lineEdit().returnPressed.connect(self._on_add_clicked)
        self.weight_field.returnPressed.connect(self._on_add_clicked)
        self.note_field.returnPressed.connect(self._on_add_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)

    def set_product(self, level: StockLevel | None) -> None:
        """Restock the product of a selected row (no look-up needed). Not while the code field
        has the keyboard: the person is scanning, and the next scan must land in an empty field."""
        if level is None or self.code_field.hasFocus():
            return
        code = level.barcode or level.sku
        self.code_field.setText(code)
        self._target = (level.product_id, code)
        self._show_target(level.product_name, level.quantity, level.sold_by)

    def focus_code(self) -> None:
        self.code_field.setFocus()
        self.code_field.selectAll()

    @property
    def amount_field(self) -> QWidget:
        """Where the amount is typed: pieces, or kg of a product sold by weight."""
        return self.weight_field if self._weighed else self.quantity_field

    def _show_unit(self, *, weighed: bool) -> None:
        self._weighed = weighed
        for field, visible in ((self.quantity_field, not weighed), (self.weight_field, weighed)):
            holder = field.parentWidget()
            assert holder is not None
            self._form.setRowVisible(holder, visible)

    def _show_target(self, name: str, quantity: int, sold_by: str) -> None:
        self.errors.clear()
        stock = self._session.fmt.quantity(quantity, sold_by)
        self.product_label.setText(self.tr("<b>{0}</b> — {1} in stock").format(name, stock))
        self._show_unit(weighed=sold_by == "weight")

    def _on_code_text_edited(self, _text: str) -> None:
        self._target = None
        self.product_label.setText(self.tr(NO_PRODUCT))

    def _on_code_return_pressed(self) -> None:
        code = self.code_field.text().strip()
        if not code:
            return
        ctx, actor = self._session.ctx, self._session.user
        self._lookup.run(
            lambda: product_lookup.find_product(ctx, actor, code),
            lambda product: self._on_product_found(product, code),
            self._on_request_failed,
        )

    def _on_product_found(self, product: ProductInfo, code: str) -> None:
        self._target = (product.id, code)
        self._show_target(product.name, product.quantity, product.sold_by)
        self.amount_field.setFocus()
        if self._weighed:
            self.weight_field.selectAll()
        else:
            self.quantity_field.selectAll()

    def _on_add_clicked(self) -> None:
        code = self.code_field.text().strip()
        if self._busy:
            return
        if not code:
            self.errors.show(ValidationError("Scan or type a barcode or SKU first.", field="code"))
            return
        ctx, actor = self._session.ctx, self._session.user
        try:
            quantity = self._amount()
        except ValidationError as error:
            self.errors.show(error)
            return
        note, weighed = self.note_field.text(), self._weighed
        target = self._target[0] if self._target and self._target[1] == code else None

        def add() -> StockLevel | ProductInfo:
            if target is not None:
                return inventory.add_stock(ctx, actor, target, quantity, note)
            product = product_lookup.find_product(ctx, actor, code)
            if product.is_weighed != weighed:
                return product  # the amount was typed in the other unit: ask again
            return inventory.add_stock(ctx, actor, product.id, quantity, note)

        Op(self, op=add, success=self._on_add_done, changes=_stock_changes).failure(
            self._on_request_failed
        ).with_busy(self._set_busy).run()

    def _amount(self) -> int:
        if not self._weighed:
            return self.quantity_field.value()
        return parse_weight(self.weight_field.text(), "weight", maximum=MAX_RESTOCK)

    def _on_add_done(self, result: StockLevel | ProductInfo) -> None:
        if isinstance(result, StockLevel):
            self._on_stock_added(result)
            return
        self._on_product_found(result, self.code_field.text().strip())
        if result.is_weighed:
            message, field = self.tr("{0} is counted in kg: enter the amount."), "weight"
        else:
            message, field = self.tr("{0} is counted in pieces: enter the amount."), "quantity"
        self.errors.show(ValidationError(message.format(result.name), field=field))

    def _on_stock_added(self, level: StockLevel) -> None:
        """Booked: the code field is emptied and has the keyboard for the next scan."""
        self._target = None
        self.code_field.clear()
        self.errors.clear()
        stock = self._session.fmt.quantity(level.quantity, level.sold_by)
        self.product_label.setText(
            self.tr("Booked: <b>{0}</b> — now {1} in stock. Scan the next one.").format(
                level.product_name, stock
            )
        )
        self.quantity_field.setValue(1)
        self.weight_field.clear()
        self.note_field.clear()
        self.focus_code()
        self.restocked.emit(level)

    def _on_request_failed(self, error: BaseException) -> None:
        self.errors.show(error)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.add_button.setEnabled(not busy)


def _stock_changes(result: StockLevel | ProductInfo) -> Changes:
    """Stock was added, unless the product turned out to be counted in the other unit."""
    return Changes(stock=isinstance(result, StockLevel))
