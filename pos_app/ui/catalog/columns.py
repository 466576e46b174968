"""The columns of the catalog's two tables, in the order of their IntEnums."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableView

from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.tax import format_rate
from pos_app.ui.column_fit import ColumnFit
from pos_app.ui.models import Column
from pos_app.ui.translation import number, weight_text

Money = Callable[[int], str]
INACTIVE = QColor("#eceff3")


class CategoryColumn(IntEnum):
    NAME = 0
    SLUG = 1
    PRODUCTS = 2
    TAX = 3
    ACTIVE = 4


class ProductColumn(IntEnum):
    NAME = 0
    SKU = 1
    BARCODE = 2
    CATEGORY = 3
    PRICE = 4
    STOCK = 5
    ACTIVE = 6


def category_columns() -> list[Column[CategoryInfo]]:
    return [
        Column[CategoryInfo](
            QCoreApplication.translate("catalog.columns", "Name"),
            lambda c: c.name,
            sort_key="name",
            tooltip=lambda c: c.name,
        ),
        Column[CategoryInfo](
            QCoreApplication.translate("catalog.columns", "Slug"), lambda c: c.slug, sort_key="slug"
        ),
        Column[CategoryInfo](
            QCoreApplication.translate("catalog.columns", "Products"),
            lambda c: c.product_count,
            align_right=True,
            sort_key="products",
        ),
        Column[CategoryInfo](
            QCoreApplication.translate("catalog.columns", "Tax"),
            lambda c: format_rate(c.tax_rate_bp),
            align_right=True,
            sort_key="tax",
        ),
        Column[CategoryInfo](
            QCoreApplication.translate("catalog.columns", "Active"), lambda c: c.is_active
        ),
    ]


def product_columns(money: Money) -> list[Column[ProductInfo]]:
    return [
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "Name"),
            lambda p: p.name,
            sort_key="name",
            tooltip=lambda p: p.description,
        ),
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "SKU"), lambda p: p.sku, sort_key="sku"
        ),
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "Barcode"),
            lambda p: p.barcode,
            sort_key="barcode",
        ),
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "Category"),
            lambda p: p.category_name,
            sort_key="category",
        ),
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "Price"),
            lambda p: price_text(p, money),
            align_right=True,
            sort_key="price",
        ),
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "Stock"),
            stock_value,
            align_right=True,
            sort_key="stock",
        ),
        Column[ProductInfo](
            QCoreApplication.translate("catalog.columns", "Active"),
            lambda p: p.is_active,
            sort_key="active",
        ),
    ]


def price_text(product: ProductInfo, money: Money) -> str:
    """'€2.49', or '€12.90/kg' for a product sold by weight."""
    return money(product.price_cents) + ("/kg" if product.is_weighed else "")


def stock_value(product: ProductInfo) -> int | str:
    """Pieces, or '5.250 kg' for a product sold by weight."""
    return weight_text(product.quantity) if product.is_weighed else number(product.quantity)


def inactive_background(row: CategoryInfo | ProductInfo) -> QColor | None:
    return None if row.is_active else INACTIVE


def fit_category_columns(view: QTableView) -> ColumnFit:
    """The name takes what is left; the active flag, then the slug, step aside when narrow
    (an inactive category's row is shaded anyway, and its dialog shows the slug)."""
    return ColumnFit(
        view,
        stretch=CategoryColumn.NAME,
        minimum="Household",
        samples={
            CategoryColumn.SLUG: "household",
            CategoryColumn.PRODUCTS: "1,000",
            CategoryColumn.TAX: "19 %",
            CategoryColumn.ACTIVE: "Yes",
        },
        spare=(CategoryColumn.SLUG, CategoryColumn.ACTIVE),
    )


def fit_product_columns(view: QTableView) -> ColumnFit:
    """The name takes what is left; the active flag, then the barcode, step aside when narrow
    (an inactive product's row is shaded anyway, and the filter finds a barcode)."""
    return ColumnFit(
        view,
        stretch=ProductColumn.NAME,
        minimum="Chocolate muffin",
        samples={
            ProductColumn.SKU: "HOU-0006",
            ProductColumn.BARCODE: "4250007326658",
            ProductColumn.CATEGORY: "Household",
            ProductColumn.PRICE: "€12.90/kg",
            ProductColumn.STOCK: "2.000 kg",
            ProductColumn.ACTIVE: "Yes",
        },
        spare=(ProductColumn.BARCODE, ProductColumn.ACTIVE),
    )
