"""The cart: one row per product, quantities editable, lines that cannot be sold marked.

A line that cannot be sold (out of stock, short of stock, no longer sold) says why in its Stock
column, with an icon, and is highlighted; quantities outside 1 to 9,999 are refused with a
message (``refused``), never changed silently.

A changed price keeps the manager or owner who approved it; a cashier's sale is paid with that
approver, and a cart whose changed prices lack one (a recalled cart) is approved again at Pay.

A line of a product sold by weight counts grams (shown in kg) at a price per kg; the grams its
scale price labels cover cost what the labels say, the rest the one rounding rule of
:func:`pos_app.domain.weights.line_amount_cents`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from pos_app.domain.approvals import DiscountLimits
from pos_app.domain.discounts import Discount
from pos_app.domain.pricing import (
    DiscountSource,
    PricedLine,
    PricedSale,
    ProductPrice,
    price_sale,
)
from pos_app.domain.promotions import Promotion
from pos_app.domain.weights import (
    MAX_GRAMS,
    LabelTotal,
    format_kg,
    parse_weight,
    weighed_amount_cents,
)
from pos_app.services.access import ApprovalToken
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.errors import ValidationError
from pos_app.services.held_sales import HeldLine, HeldLineInfo
from pos_app.services.roles import Role
from pos_app.ui.style import icon
from pos_app.ui.translation import QT_TRANSLATE_NOOP, quantity_text, translated, weight_text

MAX_QUANTITY = 9999
FAILED_BACKGROUND = QColor("#f8d7da")
FAILED_FOREGROUND = QColor("#7a1e16")


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    PRODUCT = 0
    SKU = 1
    QTY = 2
    UNIT_PRICE = 3
    DISCOUNT = 4
    LINE_TOTAL = 5
    STOCK = 6

    @property
    def title(self) -> str:
        return translated("CartColumn", _TITLES[self])


_TITLES = {
    Column.PRODUCT: QT_TRANSLATE_NOOP("CartColumn", "Product"),
    Column.SKU: QT_TRANSLATE_NOOP("CartColumn", "SKU"),
    Column.QTY: QT_TRANSLATE_NOOP("CartColumn", "Qty"),
    Column.UNIT_PRICE: QT_TRANSLATE_NOOP("CartColumn", "Unit price"),
    Column.DISCOUNT: QT_TRANSLATE_NOOP("CartColumn", "Discount"),
    Column.LINE_TOTAL: QT_TRANSLATE_NOOP("CartColumn", "Line total"),
    Column.STOCK: QT_TRANSLATE_NOOP("CartColumn", "Stock"),
}
_NUMERIC = frozenset({Column.QTY, Column.UNIT_PRICE, Column.DISCOUNT, Column.LINE_TOTAL})


@dataclass(frozen=True)
class CartLine:
    product_id: int
    name: str
    sku: str
    unit_price_cents: int
    quantity: int
    in_stock: int
    problem: str | None = None
    override_cents: int | None = None
    approver: ApprovalToken | None = None
    category_id: int = 0
    discount: Discount | None = None
    # Worked out by the model from today's promotions and the discounts (see ``reprice``).
    discount_cents: int = 0
    discount_name: str = ""
    sold_by: str = "piece"
    labels: LabelTotal | None = None  # the scale price labels scanned onto a weighed line

    @property
    def is_weighed(self) -> bool:
        """Sold by weight: the quantity is grams, the price per kg."""
        return self.sold_by == "weight"

    @property
    def price_cents(self) -> int:
        """What one unit costs in this sale: the overridden price, else the list price."""
        return self.unit_price_cents if self.override_cents is None else self.override_cents

    @property
    def total_cents(self) -> int:
        """The line before promotions and discounts."""
        if self.is_weighed:
            return weighed_amount_cents(self.price_cents, self.quantity, self.labels)
        return self.price_cents * self.quantity

    @property
    def items(self) -> int:
        """Pieces, or one for a weighed line."""
        return 1 if self.is_weighed else self.quantity

    @property
    def net_cents(self) -> int:
        """What the line costs after its promotion and discounts."""
        return self.total_cents - self.discount_cents

    @property
    def blocked_reason(self) -> str | None:
        """Why this line cannot be sold as it stands, or None when it can."""
        if self.problem:
            return self.problem
        if self.in_stock <= 0:
            return "Out of stock"
        if self.quantity > self.in_stock:
            return f"Only {quantity_text(self.in_stock, self.sold_by)} in stock"
        return None


def quantity_refusal(quantity: int, weighed: bool = False) -> str | None:
    """The message for a quantity the cart does not take, or None for a good one."""
    if weighed:
        if 1 <= quantity <= MAX_GRAMS:
            return None
        return f"A weight of {weight_text(quantity)} is not possible; weigh up to 999.999 kg."
    if 1 <= quantity <= MAX_QUANTITY:
        return None
    return f"A quantity of {quantity} is not possible; enter from 1 to {MAX_QUANTITY:,}."


class CartModel(QAbstractTableModel):
    """Rows are :class:`CartLine`; ``UserRole`` returns the line itself."""

    total_changed = Signal(int)
    refused = Signal(str)

    def __init__(self, money: Callable[[int], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._money = money
        self._lines: list[CartLine] = []
        self._promotions: list[Promotion] = []
        self._cart_discount: Discount | None = None
        self._discount_approver: ApprovalToken | None = None
        self._priced: PricedSale = PricedSale(())

    # Qt model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.EditRole:
            if column is Column.QTY:
                return format_kg(line.quantity) if line.is_weighed else line.quantity
            return self._display(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and line.blocked_reason:
            return QBrush(FAILED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and line.blocked_reason:
            return QBrush(FAILED_FOREGROUND)
        if role == Qt.ItemDataRole.DecorationRole and column is Column.STOCK:
            return icon("stock-warning") if line.blocked_reason else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if line.blocked_reason:
                return line.blocked_reason
            if column in (Column.DISCOUNT, Column.PRODUCT) and line.discount_name:
                return f"{line.name}: {line.discount_name}, {self._money(-line.discount_cents)}"
            return self._override_tip(line)
        if role == Qt.ItemDataRole.FontRole and column is Column.UNIT_PRICE:
            return _italic() if line.override_cents is not None else None
        if role == Qt.ItemDataRole.UserRole:
            return line
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column in _NUMERIC else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        # A weighed line's weight is changed in the weight dialog, not with the spin box.
        weighed = 0 <= index.row() < len(self._lines) and self._lines[index.row()].is_weighed
        if index.column() == Column.QTY and not weighed:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() != Column.QTY or not 0 <= index.row() < len(self._lines):
            return False
        try:
            if self._lines[index.row()].is_weighed:
                quantity = parse_weight(str(value))
            else:
                quantity = int(value)
        except ValidationError as error:
            self.refused.emit(error.message)
            return False
        except (TypeError, ValueError):
            return False
        return self.set_quantity(index.row(), quantity)

    # cart operations

    def _display(self, line: CartLine, column: Column) -> str:
        if column is Column.PRODUCT:
            return f"{line.name}  · {line.discount_name}" if line.discount_name else line.name
        if column is Column.SKU:
            return line.sku
        if column is Column.QTY:
            return quantity_text(line.quantity, line.sold_by)
        if column is Column.UNIT_PRICE:
            marker = " *" if line.override_cents is not None else ""
            per_kg = "/kg" if line.is_weighed else ""
            return self._money(line.price_cents) + per_kg + marker
        if column is Column.STOCK:
            return line.blocked_reason or ""
        if column is Column.DISCOUNT:
            return self._money(-line.discount_cents) if line.discount_cents else ""
        return self._money(line.net_cents)

    def _override_tip(self, line: CartLine) -> str | None:
        if line.override_cents is None:
            return None
        tip = f"Price changed from {self._money(line.unit_price_cents)}"
        return tip if line.approver is None else f"{tip}, approved by {line.approver.full_name}"

    def adding_refusal(self, product_id: int, quantity: int, weighed: bool = False) -> str | None:
        """Why adding ``quantity`` (grams, when ``weighed``) of the product is refused, or None
        when it can be added."""
        if refusal := quantity_refusal(quantity, weighed):
            return refusal
        row = self.row_of(product_id)
        limit = MAX_GRAMS if weighed else MAX_QUANTITY
        if row is not None and self._lines[row].quantity + quantity > limit:
            line = self._lines[row]
            shown = quantity_text(line.quantity, line.sold_by)
            most = quantity_text(limit, line.sold_by)
            return f"{line.name} has {shown} in the cart; a line can have at most {most}."
        return None

    def add_product(
        self, product: ProductInfo, quantity: int = 1, *, label_price_cents: int | None = None
    ) -> int:
        """Add a line, or raise the quantity of the product's line; returns the row.

        ``quantity`` is grams of a product sold by weight, and ``label_price_cents`` the price
        of the scale label those grams came on. Callers check ``adding_refusal`` first (the
        screen says why); a refused quantity leaves the cart as it is, and for a new line is a
        ValueError.
        """
        weighed = product.is_weighed
        label = None if label_price_cents is None else LabelTotal(label_price_cents, quantity)
        row = self.row_of(product.id)
        if row is not None:
            line = self._lines[row]
            if self.set_quantity(row, line.quantity + quantity):
                if label is not None:
                    labels = label if line.labels is None else line.labels.plus(*_pair(label))
                    self._lines[row] = replace(self._lines[row], labels=labels)
                    self._row_changed(row)
                    self._emit_total()
                self.set_stock(product.id, product.quantity)
            return row
        if refusal := quantity_refusal(quantity, weighed):
            raise ValueError(refusal)
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(
            CartLine(
                product_id=product.id,
                name=product.name,
                sku=product.sku,
                unit_price_cents=product.price_cents,
                quantity=quantity,
                in_stock=product.quantity,
                sold_by=product.sold_by,
                labels=label,
                category_id=product.category_id,
            )
        )
        self.endInsertRows()
        self._emit_total()
        return row

    def set_quantity(self, row: int, quantity: int) -> bool:
        """A new quantity (grams of a weighed line, no less than its labels cover)."""
        if not 0 <= row < len(self._lines):
            return False
        line = self._lines[row]
        if refusal := quantity_refusal(quantity, line.is_weighed):
            self.refused.emit(refusal)
            return False
        if line.labels is not None and quantity < line.labels.grams:
            self.refused.emit(
                f"The scale labels of {line.name} cover {weight_text(line.labels.grams)}; "
                "remove the line to sell less."
            )
            return False
        if line.quantity == quantity:
            return True
        self._lines[row] = replace(line, quantity=quantity, problem=None)
        self._row_changed(row)
        self._emit_total()
        return True

    def remove_row(self, row: int) -> bool:
        if not 0 <= row < len(self._lines):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._lines[row]
        self.endRemoveRows()
        self._emit_total()
        return True

    def clear(self) -> None:
        self._cart_discount = None
        self._discount_approver = None
        if not self._lines:
            self._emit_total()
            return
        self.beginResetModel()
        self._lines.clear()
        self.endResetModel()
        self._emit_total()

    def set_override(
        self, row: int, price_cents: int | None, *, approver: ApprovalToken | None = None
    ) -> bool:
        """Charge ``price_cents`` per unit on this line (None, or the list price: no override).

        ``approver`` is the manager or owner who approved the new price, if one had to.
        """
        if not 0 <= row < len(self._lines):
            return False
        line = self._lines[row]
        override = None if price_cents == line.unit_price_cents else price_cents
        kept = None if override is None else approver
        self._lines[row] = replace(line, override_cents=override, approver=kept, problem=None)
        self._row_changed(row)
        self._emit_total()
        return True

    def override_approver(self) -> ApprovalToken | None:
        """The one manager or owner who approved every changed price in the cart, else None."""
        approvers = [line.approver for line in self._lines if line.override_cents is not None]
        first = approvers[0] if approvers else None
        if first is None or any(other is None or other.id != first.id for other in approvers):
            return None
        return first

    def needs_override_approval(self) -> bool:
        """Whether the cart changes prices that no single manager or owner approved all of."""
        return bool(self.price_overrides()) and self.override_approver() is None

    def approve_overrides(self, approver: ApprovalToken) -> None:
        """Record ``approver`` as having approved every changed price in the cart."""
        for row, line in enumerate(self._lines):
            if line.override_cents is not None:
                self._lines[row] = replace(line, approver=approver)

    def forget_override_approvals(self) -> None:
        for row, line in enumerate(self._lines):
            self._lines[row] = replace(line, approver=None)

    def load_held(self, lines: Sequence[HeldLineInfo], products: Mapping[int, ProductInfo]) -> None:
        """Put a recalled cart's lines in; ``products`` gives today's list price and stock."""
        for held in lines:
            product = products.get(held.product_id)
            label = None
            if held.label_price_cents is not None:
                label = LabelTotal(held.label_price_cents, held.quantity)
            row = self.row_of(held.product_id)
            if row is not None:  # the labelled and the weighed part of one weighed line
                line = self._lines[row]
                labels = line.labels if label is None else label.plus(*_pair(line.labels))
                self._lines[row] = replace(
                    line, quantity=line.quantity + held.quantity, labels=labels
                )
                self._row_changed(row)
                continue
            row = len(self._lines)
            self.beginInsertRows(QModelIndex(), row, row)
            self._lines.append(
                CartLine(
                    product_id=held.product_id,
                    name=held.product_name,
                    sku=held.sku,
                    unit_price_cents=held.unit_price_cents
                    if product is None
                    else product.price_cents,
                    quantity=held.quantity,
                    in_stock=MAX_QUANTITY if product is None else product.quantity,
                    override_cents=held.price_override_cents,
                    sold_by=held.sold_by,
                    labels=label,
                    category_id=0 if product is None else product.category_id,
                    discount=held.discount,
                )
            )
            self.endInsertRows()
        self._emit_total()

    # promotions and discounts

    def set_promotions(self, promotions: Sequence[Promotion]) -> None:
        """Today's promotions, as the till applies them on its own."""
        self._promotions = list(promotions)
        self._emit_total()

    def set_line_discount(self, row: int, discount: Discount | None) -> bool:
        if not 0 <= row < len(self._lines):
            return False
        self._lines[row] = replace(self._lines[row], discount=discount)
        self._emit_total()
        return True

    def set_cart_discount(self, discount: Discount | None) -> None:
        self._cart_discount = discount
        self._emit_total()

    @property
    def cart_discount(self) -> Discount | None:
        return self._cart_discount

    def line_discounts(self) -> dict[int, Discount]:
        return {line.product_id: line.discount for line in self._lines if line.discount}

    def amount_before_discount(self, row: int | None) -> int:
        """What a line's own discount (row) or the cart's (None) applies to: the line after its
        promotion, or the cart after the lines' own discounts."""
        priced = self._priced.lines
        if row is None:
            return sum(line.revenue_cents + _taken(line, DiscountSource.CART) for line in priced)
        line = priced[row]
        return line.undiscounted_cents - _taken(line, DiscountSource.PROMOTION)

    def discount_share_bp(self) -> int:
        """The largest part of a line or the cart that a manual discount gives away."""
        return self._priced.manual_share_bp

    def needs_discount_approval(self, limits: DiscountLimits, role: Role) -> bool:
        """Whether the cart's discounts go beyond ``role``'s limit with nobody covering them."""
        share = self.discount_share_bp()
        if limits.can_give(role, share):
            return False
        approver = self._discount_approver
        return approver is None or not limits.can_give(approver.role, share)

    def approve_discounts(self, approver: ApprovalToken | None) -> None:
        self._discount_approver = approver

    @property
    def discount_approver(self) -> ApprovalToken | None:
        return self._discount_approver

    def approver(self) -> ApprovalToken | None:
        """The one approver to send with the sale: the discounts' (a manager or the owner,
        so also good for changed prices), else the changed prices'."""
        if self._discount_approver is not None and self.discount_share_bp():
            return self._discount_approver
        return self.override_approver()

    @property
    def discount_cents(self) -> int:
        return self._priced.discount_cents

    def reprice(self) -> None:
        """Work out each line's promotion and discounts as the till will charge them."""
        lines = self._lines
        if not lines:
            self._priced = PricedSale(())
            return
        quantities = {line.product_id: line.quantity for line in lines}
        products = {
            line.product_id: ProductPrice(
                line.product_id, line.category_id, line.unit_price_cents, 0, line.sold_by
            )
            for line in lines
        }
        self._priced = price_sale(
            quantities,
            products,
            self.price_overrides(),
            {line.product_id: line.labels for line in lines if line.labels is not None},
            promotions=self._promotions,
            line_discounts=self.line_discounts(),
            cart_discount=self._cart_discount,
        )
        for row, (line, priced) in enumerate(zip(lines, self._priced.lines, strict=True)):
            if (line.discount_cents, line.discount_name) != (
                priced.discount_cents,
                priced.discount_name,
            ):
                lines[row] = replace(
                    line, discount_cents=priced.discount_cents, discount_name=priced.discount_name
                )
                self._row_changed(row)

    def set_stock(self, product_id: int, in_stock: int) -> None:
        """The product's stock on hand as now known (after a count); clears a sale's failure."""
        row = self.row_of(product_id)
        if row is None:
            return
        line = self._lines[row]
        if line.in_stock != in_stock or line.problem is not None:
            self._lines[row] = replace(line, in_stock=in_stock, problem=None)
            self._row_changed(row)

    def blocked_lines(self) -> list[tuple[int, CartLine, str]]:
        """(row, line, reason) of every line that cannot be sold as it stands."""
        return [
            (row, line, reason)
            for row, line in enumerate(self._lines)
            if (reason := line.blocked_reason) is not None
        ]

    def mark_problems(self, problems: Mapping[int, str]) -> None:
        """Highlight the lines of these product ids with the reason as tooltip; clear the rest."""
        for row, line in enumerate(self._lines):
            problem = problems.get(line.product_id)
            if problem != line.problem:
                self._lines[row] = replace(line, problem=problem)
                self._row_changed(row)

    def row_of(self, product_id: int) -> int | None:
        for row, line in enumerate(self._lines):
            if line.product_id == product_id:
                return row
        return None

    def line(self, row: int) -> CartLine:
        return self._lines[row]

    def lines(self) -> list[CartLine]:
        return list(self._lines)

    def purchase_lines(self) -> list[PurchaseLine]:
        """One line per product; a weighed line with scale labels is sent as the grams the
        labels cover with their price, and the rest weighed at the till."""
        lines: list[PurchaseLine] = []
        for line in self._lines:
            for grams, label_price in sold_parts(line):
                lines.append(PurchaseLine(line.product_id, grams, label_price))
        return lines

    def held_lines(self) -> list[HeldLine]:
        return [
            HeldLine(
                line.product_id,
                grams,
                line.override_cents,
                line.discount,  # the same on each part: a recall merges them into one line
                None if line.approver is None else line.approver.id,
                label_price,
            )
            for line in self._lines
            for grams, label_price in sold_parts(line)
        ]

    def price_overrides(self) -> dict[int, int]:
        return {
            line.product_id: line.override_cents
            for line in self._lines
            if line.override_cents is not None
        }

    @property
    def total_cents(self) -> int:
        """What the customer pays: every line after its promotion and discounts."""
        return sum(line.net_cents for line in self._lines)

    @property
    def item_count(self) -> int:
        return sum(line.items for line in self._lines)

    def is_empty(self) -> bool:
        return not self._lines

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _emit_total(self) -> None:
        self.reprice()
        self.total_changed.emit(self.total_cents)


def _pair(labels: LabelTotal | None) -> tuple[int, int]:
    return (0, 0) if labels is None else (labels.price_cents, labels.grams)


def sold_parts(line: CartLine) -> list[tuple[int, int | None]]:
    """(quantity, label price) of what a cart line is sold as: the grams its labels cover at
    their price, then the rest (or the whole line) at the till's price."""
    if line.labels is None:
        return [(line.quantity, None)]
    rest = line.quantity - line.labels.grams
    labelled: list[tuple[int, int | None]] = [(line.labels.grams, line.labels.price_cents)]
    return labelled + ([(rest, None)] if rest > 0 else [])


def _taken(line: PricedLine, source: DiscountSource) -> int:
    return sum(discount.cents for discount in line.discounts if discount.source is source)
