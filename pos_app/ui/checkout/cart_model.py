"""The cart table: a thin Qt adapter over the domain's :class:`~pos_app.domain.cart.Cart`.

The rules (a product scanned again adds to its line, the quantity limits, changed prices with
their approver, discounts, what each line costs after promotions) are the domain's; this model
keeps what the till knows of each product (name, SKU, list price, stock), the signed approvals
of the people who approved, and turns the cart into rows. ``UserRole`` returns the row's
:class:`CartLine`.

A line that cannot be sold (out of stock, short of stock, no longer sold) says why in its Stock
column, with an icon, and is highlighted; a refused quantity is said with ``refused``, never
changed silently. A line of a product sold by weight counts grams (shown in kg) at a price per kg.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from pos_app.domain import cart as domain
from pos_app.domain.cart_pricing import CartPricer, before_cart_discount, before_line_discount
from pos_app.domain.cart_rules import quantity_refusal
from pos_app.domain.discounts import Discount
from pos_app.domain.pricing import PricedLine, PricedSale, ProductPrice
from pos_app.domain.promotions import Promotion
from pos_app.domain.weights import parse_weight
from pos_app.services.access import ApprovalToken
from pos_app.services.catalog import ProductInfo
from pos_app.services.errors import PosError, ValidationError
from pos_app.ui.checkout.cart_line import (
    MAX_QUANTITY,
    CartLine,
    Column,
    ProductFacts,
    cell_data,
    cell_flags,
    header_data,
)
from pos_app.ui.checkout.sale_approvals import SaleApprovals

Index = QModelIndex | QPersistentModelIndex


class CartModel(QAbstractTableModel):
    """Rows are :class:`CartLine`; ``UserRole`` returns the line itself."""

    total_changed = Signal(int)
    refused = Signal(str)
    changed = Signal()  # anything kept with the cart: lines, discounts, approvals

    def __init__(self, money: Callable[[int], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._money = money
        self.cart = domain.Cart(max_pieces=MAX_QUANTITY)
        self._facts: dict[int, ProductFacts] = {}
        self._problems: dict[int, str] = {}
        self._rows: list[CartLine] = []
        self._promotions: list[Promotion] = []
        self._priced = PricedSale(())
        self._pricer = CartPricer()
        self._prices: dict[int, ProductPrice] = {}  # what pricing needs of each product
        self.approvals = SaleApprovals(
            self.cart, self._on_approvals_changed, self.discount_share_bp
        )

    # Qt model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return cell_data(self._rows[index.row()], Column(index.column()), role, self._money)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        return cell_flags(self._rows[index.row()], Column(index.column()))

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() != Column.QTY or not 0 <= index.row() < len(self._rows):
            return False
        try:
            weighed = self._rows[index.row()].is_weighed
            quantity = parse_weight(str(value)) if weighed else int(value)
        except ValidationError as error:
            self.refused.emit(error.message)
            return False
        except (TypeError, ValueError):
            return False
        return self.set_quantity(index.row(), quantity)

    # lines

    def adding_refusal(self, product_id: int, quantity: int, weighed: bool = False) -> str | None:
        """Why adding ``quantity`` (grams, when ``weighed``) of the product is refused, or None."""
        facts = self._facts.get(product_id)
        name = "" if facts is None else facts.name
        return self.cart.adding_refusal(product_id, quantity, weighed=weighed, name=name)

    def add_product(
        self, product: ProductInfo, quantity: int = 1, *, label_price_cents: int | None = None
    ) -> int:
        """Add a line, or raise the quantity of the product's line; returns the row.

        ``quantity`` is grams of a product sold by weight, and ``label_price_cents`` the price
        of the scale label those grams came on. Callers check ``adding_refusal`` first; a refused
        quantity leaves the cart as it is, and for a new line is a ValueError.
        """
        row = self.row_of(product.id)
        if row is None and (refusal := quantity_refusal(quantity, product.is_weighed)):
            raise ValueError(refusal)
        facts = ProductFacts.of(product)
        try:
            self.cart.add(
                product.id,
                quantity,
                weighed=product.is_weighed,
                label_price_cents=label_price_cents,
            )
        except PosError as error:
            self.refused.emit(error.message)
            return -1 if row is None else row
        self._know(product.id, facts)
        self._problems.pop(product.id, None)
        return self._settle(product.id, row)

    def set_quantity(self, row: int, quantity: int) -> bool:
        """A new quantity (grams of a weighed line, no less than its labels cover)."""
        if not 0 <= row < len(self._rows):
            return False
        line = self._rows[row]
        if refusal := quantity_refusal(quantity, line.is_weighed):
            self.refused.emit(refusal)
            return False
        if line.quantity == quantity:
            return True
        try:
            self.cart.set_quantity(line.product_id, quantity, name=line.name)
        except PosError as error:
            self.refused.emit(error.message)
            return False
        self._problems.pop(line.product_id, None)
        self._settle(line.product_id, row)
        return True

    def remove_row(self, row: int) -> bool:
        if not 0 <= row < len(self._rows):
            return False
        product_id = self._rows[row].product_id
        self.beginRemoveRows(QModelIndex(), row, row)
        self.cart.remove(product_id)
        del self._rows[row]
        self.endRemoveRows()
        for kept in (self._facts, self._prices, self._problems):
            kept.pop(product_id, None)
        self._emit_total()
        return True

    def clear(self) -> None:
        self.approvals.clear()
        self.beginResetModel()
        self.cart.clear()
        for kept in (self._rows, self._facts, self._prices, self._problems):
            kept.clear()
        self.endResetModel()
        self._emit_total()

    def restore(
        self,
        lines: Sequence[domain.CartLine],
        facts: Mapping[int, ProductFacts],
        cart_discount: Discount | None = None,
    ) -> None:
        """Put a kept cart back (recalled or restored after a crash) in one go."""
        self.beginResetModel()
        for line in lines:
            self.cart.restore_line(line)
        self.cart.discount_cart(cart_discount)
        for product_id, known in facts.items():
            self._know(product_id, known)
        self._rows = [self._view(line, None) for line in self.cart.lines]
        self.endResetModel()
        self._emit_total()

    # changed prices

    def set_override(
        self, row: int, price_cents: int | None, *, approver: ApprovalToken | None = None
    ) -> bool:
        """Charge ``price_cents`` per unit on this line (None, or the list price: no override).

        ``approver`` is the manager or owner who approved the new price, if one had to.
        """
        if not 0 <= row < len(self._rows):
            return False
        line = self._rows[row]
        self.approvals.remember(approver)
        self.cart.override_price(
            line.product_id,
            price_cents,
            list_price_cents=line.unit_price_cents,
            approver_id=None if approver is None else approver.id,
        )
        self._problems.pop(line.product_id, None)
        self._settle(line.product_id, row)
        return True

    # promotions and discounts

    def set_promotions(self, promotions: Sequence[Promotion]) -> None:
        """Today's promotions, as the till applies them on its own."""
        self._promotions = list(promotions)
        self._emit_total()

    def set_line_discount(self, row: int, discount: Discount | None) -> bool:
        if not 0 <= row < len(self._rows):
            return False
        product_id = self._rows[row].product_id
        self.cart.discount_line(product_id, discount)
        self._settle(product_id, row)
        return True

    def set_cart_discount(self, discount: Discount | None) -> None:
        self.cart.discount_cart(discount)
        self._emit_total()

    @property
    def cart_discount(self) -> Discount | None:
        return self.cart.cart_discount

    def amount_before_discount(self, row: int | None) -> int:
        """What a line's own discount (row) or the cart's (None) applies to."""
        if row is None:
            return before_cart_discount(self._priced)
        return before_line_discount(self._priced.lines[row])

    def discount_share_bp(self) -> int:
        """The largest part of a line or the cart that a manual discount gives away."""
        return self._priced.manual_share_bp

    @property
    def discount_cents(self) -> int:
        return self._priced.discount_cents

    # stock and problems

    def set_stock(self, product_id: int, in_stock: int) -> None:
        """The product's stock on hand as now known (after a count); clears a sale's failure."""
        row = self.row_of(product_id)
        facts = self._facts.get(product_id)
        if row is None or facts is None:
            return
        self._facts[product_id] = replace(facts, in_stock=in_stock)
        self._problems.pop(product_id, None)
        self._refresh_row(row)

    def known_stock(self, product_id: int) -> int | None:
        """The stock the till knows of a product in the cart (None when not in the cart)."""
        facts = self._facts.get(product_id)
        return None if facts is None else facts.in_stock

    def blocked_lines(self) -> list[tuple[int, CartLine, str]]:
        """(row, line, reason) of every line that cannot be sold as it stands."""
        return [
            (row, line, reason)
            for row, line in enumerate(self._rows)
            if (reason := line.blocked_reason) is not None
        ]

    def mark_problems(self, problems: Mapping[int, str]) -> None:
        """Highlight the lines of these product ids with the reason as tooltip; clear the rest."""
        self._problems = dict(problems)
        self._refresh_all()

    # reading

    def row_of(self, product_id: int) -> int | None:
        return self.cart.position(product_id)

    def line(self, row: int) -> CartLine:
        return self._rows[row]

    def lines(self) -> list[CartLine]:
        return list(self._rows)

    @property
    def total_cents(self) -> int:
        """What the customer pays: every line after its promotion and discounts."""
        return self._priced.total_cents

    @property
    def item_count(self) -> int:
        return self.cart.item_count()

    def is_empty(self) -> bool:
        return self.cart.is_empty()

    # keeping the rows in step with the domain

    def _know(self, product_id: int, facts: ProductFacts) -> None:
        self._facts[product_id] = facts
        self._prices[product_id] = facts.pricing(product_id)

    def _settle(self, product_id: int, row: int | None) -> int:
        """Show the product's line after a change (inserting its row if new); returns the row."""
        if row is None:
            row = len(self._rows)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.append(self._view(self.cart.line(product_id), None))
            self.endInsertRows()
        else:
            self._refresh_row(row)
        self._emit_total()
        return row

    def _view(self, line: domain.CartLine, priced: PricedLine | None) -> CartLine:
        return CartLine.of(
            line,
            self._facts[line.product_id],
            priced,
            problem=self._problems.get(line.product_id),
            approver=self.approvals.token(line.approver_id),
        )

    def _refresh_row(self, row: int) -> None:
        priced = self._priced.lines[row] if row < len(self._priced.lines) else None
        view = self._view(self.cart.line_at(row), priced)
        if view != self._rows[row]:
            self._rows[row] = view
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _refresh_all(self) -> None:
        for row in range(len(self._rows)):
            self._refresh_row(row)

    def reprice(self) -> None:
        """Work out each line's promotion and discounts as the till will charge them."""
        self._priced = self._pricer.price(self.cart, self._prices, self._promotions)
        for row, (line, priced) in enumerate(zip(self._rows, self._priced.lines, strict=True)):
            shown = (line.discount_cents, line.discount_name)
            if shown != (priced.discount_cents, priced.discount_name):
                self._refresh_row(row)

    def _on_approvals_changed(self) -> None:
        self._refresh_all()
        self.changed.emit()

    def _emit_total(self) -> None:
        self.reprice()
        self.total_changed.emit(self.total_cents)
        self.changed.emit()


__all__ = ["MAX_QUANTITY", "CartLine", "CartModel", "Column", "ProductFacts", "quantity_refusal"]
