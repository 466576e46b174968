"""The catalog's product list: its title, filter field, category choice, buttons, rows and count."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.ui.catalog.columns import ProductColumn, fit_product_columns
from pos_app.ui.catalog.csv_actions import CatalogCsv
from pos_app.ui.forms import button, enable_sql_sorting, table_view
from pos_app.ui.models import PagedTableModel
from pos_app.ui.style import set_role
from pos_app.ui.translation import QT_TRANSLATE_NOOP

ALL_CATEGORIES = QT_TRANSLATE_NOOP("ProductPane", "All categories")


class ProductPane(QWidget):
    """The products with their filters and buttons; the catalog screen decides what they do."""

    def __init__(
        self,
        products: PagedTableModel[ProductInfo],
        csv: CatalogCsv,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Products"))
        set_role(title, "title")
        self.filter_field = QLineEdit()
        self.filter_field.setObjectName("productFilter")
        self.filter_field.setPlaceholderText(self.tr("Filter by name, SKU or barcode  (Ctrl+F)"))
        self.filter_field.setClearButtonEnabled(True)
        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.category_filter.setMinimumWidth(150)
        self.category_filter.addItem(self.tr(ALL_CATEGORIES), None)
        self.new_product_button = button(
            "newProductButton", self.tr("New product…"), self.tr("Ctrl+N")
        )
        self.edit_product_button = button(
            "editProductButton", self.tr("Edit…"), self.tr("Ctrl+E or Enter")
        )
        self.product_active_button = button("productActiveButton", self.tr("Deactivate"))
        self.labels_button = button(
            "labelsButton", self.tr("Labels…"), self.tr("Shelf labels of the selected products")
        )
        row = QHBoxLayout()
        row.addWidget(self.filter_field, 3)
        row.addWidget(self.category_filter, 1)
        for widget in (
            self.new_product_button,
            self.edit_product_button,
            self.product_active_button,
        ):
            row.addWidget(widget)
        self.product_view = table_view("productTable", products)
        # Several products can be chosen at once for their shelf labels.
        self.product_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        enable_sql_sorting(self.product_view, ProductColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.product_fit = fit_product_columns(self.product_view)
        self.count_label = QLabel()
        self.count_label.setObjectName("productCount")
        set_role(self.count_label, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        header = csv.header(title)
        header.addWidget(self.labels_button)  # beside Import/Export: the filter row is full
        layout.addLayout(header)
        layout.addLayout(row)
        layout.addWidget(self.product_view)
        layout.addWidget(self.count_label)

    def show_category_choices(self, categories: list[CategoryInfo]) -> None:
        """Offer these categories to filter by, keeping the one chosen while it is still there."""
        current = self.category_filter.currentData()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(self.tr(ALL_CATEGORIES), None)
        for category in categories:
            suffix = "" if category.is_active else " (inactive)"
            self.category_filter.addItem(category.name + suffix, category.id)
        self.category_filter.setCurrentIndex(max(0, self.category_filter.findData(current)))
        self.category_filter.blockSignals(False)
