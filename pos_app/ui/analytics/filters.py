"""Category and product filters as checkable lists; nothing checked means everything."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pos_app.services import catalog
from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.paging import PageRequest
from pos_app.ui.forms import button
from pos_app.ui.session import UiSession
from pos_app.ui.style import set_role
from pos_app.ui.tasks import LatestOnly

MAX_CATEGORIES = 1000
PRODUCT_MATCHES = 50
ID_ROLE = Qt.ItemDataRole.UserRole


def checkable_list(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setUniformItemSizes(True)
    return widget


class FilterPanel(QWidget):
    """Pick categories and products; ``changed`` fires when the checked set changes."""

    changed = Signal()
    failed = Signal(object)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterPanel")
        self._session = session
        self._products: dict[int, str] = {}  # checked products: id -> name
        self._search = LatestOnly(self)
        self._category_lookup = LatestOnly(self)
        self._filling = False
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        self.category_list = checkable_list("categoryList")
        self.product_search = QLineEdit()
        self.product_search.setObjectName("productSearch")
        self.product_search.setPlaceholderText(self.tr("Find products by name, SKU or barcode"))
        self.product_search.setClearButtonEnabled(True)
        self.product_list = checkable_list("productList")
        self.clear_button = button("clearFilters", self.tr("Clear filters"))
        hint = QLabel(self.tr("Nothing ticked means all."))
        set_role(hint, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("<b>Categories</b>")))
        layout.addWidget(self.category_list, 1)
        layout.addWidget(QLabel(self.tr("<b>Products</b>")))
        layout.addWidget(self.product_search)
        layout.addWidget(self.product_list, 2)
        layout.addWidget(hint)
        layout.addWidget(self.clear_button)

    def _connect_signals(self) -> None:
        self.category_list.itemChanged.connect(self._on_category_item_changed)
        self.product_list.itemChanged.connect(self._on_product_item_changed)
        self.product_search.textChanged.connect(self._on_product_search_changed)
        self.clear_button.clicked.connect(self._on_clear_clicked)

    # -- state --------------------------------------------------------------------------------

    def category_ids(self) -> tuple[int, ...]:
        items = (self.category_list.item(n) for n in range(self.category_list.count()))
        return tuple(
            int(item.data(ID_ROLE)) for item in items if item.checkState() == Qt.CheckState.Checked
        )

    def product_ids(self) -> tuple[int, ...]:
        return tuple(sorted(self._products))

    def summary(self) -> str:
        parts = []
        if categories := self.category_ids():
            parts.append(f"{len(categories)} categor{'y' if len(categories) == 1 else 'ies'}")
        if self._products:
            parts.append(f"{len(self._products)} product{'' if len(self._products) == 1 else 's'}")
        return ", ".join(parts) or "all products"

    def description(self) -> str:
        """The filters by name, for exports: 'categories: Drinks; products: all'."""
        items = (self.category_list.item(n) for n in range(self.category_list.count()))
        categories = [i.text() for i in items if i.checkState() == Qt.CheckState.Checked]
        products = sorted(self._products.values())
        return (
            f"categories: {', '.join(categories) or 'all'}; "
            f"products: {', '.join(products) or 'all'}"
        )

    # -- loading ------------------------------------------------------------------------------

    def load(self) -> None:
        ctx, actor = self._session.ctx, self._session.user
        self._category_lookup.run(
            lambda: (
                catalog.list_categories(ctx, actor, page=PageRequest(limit=MAX_CATEGORIES)).items
            ),
            self._on_categories_loaded,
            self.failed.emit,
        )
        self._on_product_search_changed(self.product_search.text())

    def _on_categories_loaded(self, categories: list[CategoryInfo]) -> None:
        checked = set(self.category_ids())
        self._filling = True
        self.category_list.clear()
        for category in categories:
            item = QListWidgetItem(category.name)
            item.setData(ID_ROLE, category.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if category.id in checked else Qt.CheckState.Unchecked
            item.setCheckState(state)
            self.category_list.addItem(item)
        self._filling = False

    def _on_product_search_changed(self, text: str) -> None:
        ctx, actor, search = self._session.ctx, self._session.user, text.strip() or None
        self._search.run(
            lambda: (
                catalog.list_products(
                    ctx, actor, page=PageRequest(limit=PRODUCT_MATCHES), search=search
                ).items
            ),
            self._on_products_found,
            self.failed.emit,
        )

    def _on_products_found(self, products: list[ProductInfo]) -> None:
        """Checked products first (even when they no longer match), then the matches."""
        self._filling = True
        self.product_list.clear()
        shown = dict(self._products)
        shown.update((p.id, p.name) for p in products if p.id not in shown)
        for product_id, name in shown.items():
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, product_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = product_id in self._products
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.product_list.addItem(item)
        self._filling = False

    # -- slots --------------------------------------------------------------------------------

    def _on_category_item_changed(self, _item: QListWidgetItem) -> None:
        if not self._filling:
            self.changed.emit()

    def _on_product_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        product_id = int(item.data(ID_ROLE))
        if item.checkState() == Qt.CheckState.Checked:
            self._products[product_id] = item.text()
        else:
            self._products.pop(product_id, None)
        self.changed.emit()

    def _on_clear_clicked(self) -> None:
        if not self.category_ids() and not self._products:
            return
        self._filling = True
        for widget in (self.category_list, self.product_list):
            for number in range(widget.count()):
                widget.item(number).setCheckState(Qt.CheckState.Unchecked)
        self._products.clear()
        self._filling = False
        self.changed.emit()

    def check_category(self, name: str, checked: bool = True) -> None:
        """Tick a category by name (tests and keyboard users)."""
        for item in self.category_list.findItems(name, Qt.MatchFlag.MatchExactly):
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def check_product(self, name: str, checked: bool = True) -> None:
        for item in self.product_list.findItems(name, Qt.MatchFlag.MatchExactly):
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
