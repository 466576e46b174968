"""Columns of the stock and movement tables, in the order of their IntEnums."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTableView

from pos_app.domain.shop_format import ShopFormat
from pos_app.services.inventory import MovementInfo, StockLevel
from pos_app.ui.column_fit import WIDEST_MOMENT, ColumnFit
from pos_app.ui.models import Column

REASONS = {
    "restock": "Restock",
    "sale": "Sale",
    "adjustment": "Adjustment",
    "refund": "Refund",
}


class StockColumn(IntEnum):
    NAME = 0
    SKU = 1
    BARCODE = 2
    CATEGORY = 3
    QUANTITY = 4
    UPDATED = 5
    ACTIVE = 6


class MovementColumn(IntEnum):
    WHEN = 0
    CHANGE = 1
    REASON = 2
    NOTE = 3
    USER = 4
    SALE = 5


def signed(change: int, shop: ShopFormat, weighed: bool = False) -> str:
    """'+3' pieces, or '+2.500 kg' ('+2,500 kg' in German) of a product sold by weight; a
    removal has a minus sign."""
    amount = shop.quantity(abs(change), "weight" if weighed else "piece")
    return f"+{amount}" if change > 0 else f"\u2212{amount}"


def stock_value(level: StockLevel, shop: ShopFormat) -> str:
    """Pieces ('1,250'), or kilograms with three decimals ('5.250 kg') of a product sold by
    weight, in the shop's locale ('1.250', '5,250 kg')."""
    return shop.quantity(level.quantity, level.sold_by)


def stock_columns(when: Callable[[datetime], str], shop: ShopFormat) -> list[Column[StockLevel]]:
    return [
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "Product"),
            lambda s: s.product_name,
            sort_key="name",
        ),
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "SKU"), lambda s: s.sku, sort_key="sku"
        ),
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "Barcode"), lambda s: s.barcode
        ),
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "Category"),
            lambda s: s.category_name,
            sort_key="category",
        ),
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "In stock"),
            lambda s: stock_value(s, shop),
            align_right=True,
            sort_key="quantity",
        ),
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "Updated"),
            lambda s: when(s.updated_at),
            sort_key="updated",
        ),
        Column[StockLevel](
            QCoreApplication.translate("inventory.columns", "Active"), lambda s: s.is_active
        ),
    ]


def fit_stock_columns(view: QTableView, when: Callable[[datetime], str]) -> ColumnFit:
    """The name takes what is left; the active flag, the last change, then the barcode step
    aside when narrow (the filter finds a barcode)."""
    return ColumnFit(
        view,
        stretch=StockColumn.NAME,
        minimum="Chocolate muffin",
        samples={
            StockColumn.SKU: "HOU-0006",
            StockColumn.BARCODE: "4250007326658",
            StockColumn.CATEGORY: "Household",
            StockColumn.QUANTITY: "10,000",
            StockColumn.UPDATED: when(WIDEST_MOMENT),
            StockColumn.ACTIVE: "Yes",
        },
        spare=(StockColumn.BARCODE, StockColumn.UPDATED, StockColumn.ACTIVE),
    )


def fit_movement_columns(view: QTableView, when: Callable[[datetime], str]) -> ColumnFit:
    """The note takes what is left (cut with "…", whole in its tooltip); the sale, then who
    made the change, step aside when even the start of a note would not fit."""
    return ColumnFit(
        view,
        stretch=MovementColumn.NOTE,
        minimum="Delivery from",
        samples={
            MovementColumn.WHEN: when(WIDEST_MOMENT),
            MovementColumn.CHANGE: "+1,000",
            MovementColumn.REASON: "Adjustment",
            MovementColumn.USER: "Olivia Hartmann",
            MovementColumn.SALE: "#123456",
        },
        spare=(MovementColumn.USER, MovementColumn.SALE),
    )


def movement_columns(
    when: Callable[[datetime], str], shop: ShopFormat
) -> list[Column[MovementInfo]]:
    return [
        Column[MovementInfo](
            QCoreApplication.translate("inventory.columns", "When"), lambda m: when(m.created_at)
        ),
        Column[MovementInfo](
            QCoreApplication.translate("inventory.columns", "Change"),
            lambda m: signed(m.quantity_change, shop, m.sold_by == "weight"),
            align_right=True,
        ),
        Column[MovementInfo](
            QCoreApplication.translate("inventory.columns", "Reason"),
            lambda m: REASONS.get(m.reason, m.reason),
        ),
        Column[MovementInfo](
            QCoreApplication.translate("inventory.columns", "Note"),
            lambda m: m.note,
            tooltip=lambda m: m.note,
        ),
        Column[MovementInfo](
            QCoreApplication.translate("inventory.columns", "By"), lambda m: m.user_name
        ),
        Column[MovementInfo](
            QCoreApplication.translate("inventory.columns", "Sale"),
            lambda m: f"#{m.sale_id}" if m.sale_id else "",
            align_right=True,
        ),
    ]
