"""What one row of the cart shows: the domain's line with its product's facts and its price.

:class:`CartLine` is built by the cart model from a :class:`pos_app.domain.cart.CartLine` (the
quantity, changed price, discount, labels), what the till knows of the product (name, SKU, list
price, stock) and what the domain's pricing charges for it (promotion and discounts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from pos_app.domain.cart import CartLine as DomainLine
from pos_app.domain.cart_rules import TILL_MAX_PIECES, sold_parts
from pos_app.domain.discounts import Discount
from pos_app.domain.pricing import PricedLine, ProductPrice
from pos_app.domain.weights import (
    LabelTotal,
    format_kg,
    weighed_amount_cents,
)
from pos_app.services.access import ApprovalToken
from pos_app.services.catalog import ProductInfo
from pos_app.ui.style import icon
from pos_app.ui.translation import QT_TRANSLATE_NOOP, quantity_text, translated

OUT_OF_STOCK = QT_TRANSLATE_NOOP("CartLine", "Out of stock")
ONLY_IN_STOCK = QT_TRANSLATE_NOOP("CartLine", "Only {0} in stock")

MAX_QUANTITY = TILL_MAX_PIECES


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


@dataclass(frozen=True)
class ProductFacts:
    """What the till knows of a product in the cart (not the cart's rules)."""

    name: str
    sku: str
    unit_price_cents: int
    in_stock: int
    category_id: int = 0
    sold_by: str = "piece"

    @classmethod
    def of(cls, product: ProductInfo) -> ProductFacts:
        return cls(
            product.name,
            product.sku,
            product.price_cents,
            product.quantity,
            product.category_id,
            product.sold_by,
        )

    def pricing(self, product_id: int) -> ProductPrice:
        """What pricing needs of the product (the till shows prices with tax included)."""
        return ProductPrice(product_id, self.category_id, self.unit_price_cents, 0, self.sold_by)


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
    # What the domain's pricing takes off the line: its promotion and discounts.
    discount_cents: int = 0
    discount_name: str = ""
    sold_by: str = "piece"
    labels: LabelTotal | None = None  # the scale price labels scanned onto a weighed line

    @classmethod
    def of(
        cls,
        line: DomainLine,
        facts: ProductFacts,
        priced: PricedLine | None,
        *,
        problem: str | None,
        approver: ApprovalToken | None,
    ) -> CartLine:
        """The row of a domain cart line, with its product's facts and what pricing charges."""
        return cls(
            product_id=line.product_id,
            name=facts.name,
            sku=facts.sku,
            unit_price_cents=facts.unit_price_cents,
            quantity=line.quantity,
            in_stock=facts.in_stock,
            problem=problem,
            override_cents=line.price_override_cents,
            approver=approver,
            category_id=facts.category_id,
            discount=line.discount,
            discount_cents=0 if priced is None else priced.discount_cents,
            discount_name="" if priced is None else priced.discount_name,
            sold_by=facts.sold_by,
            labels=line.labels,
        )

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
            return translated("CartLine", OUT_OF_STOCK)
        if self.quantity > self.in_stock:
            left = quantity_text(self.in_stock, self.sold_by)
            return translated("CartLine", ONLY_IN_STOCK).format(left)
        return None

    def sold_parts(self) -> list[tuple[int, int | None]]:
        return sold_parts(self.quantity, self.labels)


FAILED_BACKGROUND = QColor("#f8d7da")
FAILED_FOREGROUND = QColor("#7a1e16")
_NUMERIC = frozenset({Column.QTY, Column.UNIT_PRICE, Column.DISCOUNT, Column.LINE_TOTAL})


def cell_data(line: CartLine, column: Column, role: int, money: Callable[[int], str]) -> Any:
    """What a cart cell shows for ``role``; ``UserRole`` is the line itself."""
    if role == Qt.ItemDataRole.DisplayRole:
        return display_text(line, column, money)
    if role == Qt.ItemDataRole.EditRole:
        if column is Column.QTY:
            return format_kg(line.quantity) if line.is_weighed else line.quantity
        return display_text(line, column, money)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return alignment(column)
    if role == Qt.ItemDataRole.BackgroundRole and line.blocked_reason:
        return QBrush(FAILED_BACKGROUND)
    if role == Qt.ItemDataRole.ForegroundRole and line.blocked_reason:
        return QBrush(FAILED_FOREGROUND)
    if role == Qt.ItemDataRole.DecorationRole and column is Column.STOCK:
        return icon("stock-warning") if line.blocked_reason else None
    if role == Qt.ItemDataRole.ToolTipRole:
        return tooltip(line, column, money)
    if role == Qt.ItemDataRole.FontRole and column is Column.UNIT_PRICE:
        return _italic() if line.override_cents is not None else None
    if role == Qt.ItemDataRole.UserRole:
        return line
    return None


def header_data(section: int, orientation: Qt.Orientation, role: int) -> Any:
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return Column(section).title
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return alignment(Column(section))
    return None


def cell_flags(line: CartLine, column: Column) -> Qt.ItemFlag:
    base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    # A weighed line's weight is changed in the weight dialog, not with the spin box.
    if column is Column.QTY and not line.is_weighed:
        return base | Qt.ItemFlag.ItemIsEditable
    return base


def alignment(column: Column) -> int:
    horizontal = Qt.AlignmentFlag.AlignRight if column in _NUMERIC else Qt.AlignmentFlag.AlignLeft
    return int(horizontal | Qt.AlignmentFlag.AlignVCenter)


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


def display_text(line: CartLine, column: Column, money: Callable[[int], str]) -> str:
    if column is Column.PRODUCT:
        return f"{line.name}  · {line.discount_name}" if line.discount_name else line.name
    if column is Column.SKU:
        return line.sku
    if column is Column.QTY:
        return quantity_text(line.quantity, line.sold_by)
    if column is Column.UNIT_PRICE:
        marker = " *" if line.override_cents is not None else ""
        per_kg = "/kg" if line.is_weighed else ""
        return money(line.price_cents) + per_kg + marker
    if column is Column.STOCK:
        return line.blocked_reason or ""
    if column is Column.DISCOUNT:
        return money(-line.discount_cents) if line.discount_cents else ""
    return money(line.net_cents)


def tooltip(line: CartLine, column: Column, money: Callable[[int], str]) -> str | None:
    if line.blocked_reason:
        return line.blocked_reason
    if column in (Column.DISCOUNT, Column.PRODUCT) and line.discount_name:
        return f"{line.name}: {line.discount_name}, {money(-line.discount_cents)}"
    if line.override_cents is None:
        return None
    tip = f"Price changed from {money(line.unit_price_cents)}"
    return tip if line.approver is None else f"{tip}, approved by {line.approver.full_name}"


__all__ = [
    "MAX_QUANTITY",
    "CartLine",
    "Column",
    "ProductFacts",
    "alignment",
    "cell_data",
    "cell_flags",
    "display_text",
    "header_data",
    "tooltip",
]
