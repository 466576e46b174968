"""Catalog: categories on the left, products on the right, filtered and sorted by the database."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from pos_app.services import catalog
from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.paging import PageRequest
from pos_app.services.roles import Role
from pos_app.ui.catalog.category_pane import CategoryPane, category_fetch
from pos_app.ui.catalog.columns import category_columns, inactive_background, product_columns
from pos_app.ui.catalog.csv_actions import CatalogCsv
from pos_app.ui.catalog.dialogs import CategoryDialog, ProductDialog
from pos_app.ui.catalog.listing import ProductListing, count_text
from pos_app.ui.catalog.product_pane import ProductPane
from pos_app.ui.changes import Changes, Freshness
from pos_app.ui.errors import describe_error
from pos_app.ui.hardware.devices import current_devices
from pos_app.ui.hardware.labels import LabelsDialog
from pos_app.ui.models import PagedTableModel
from pos_app.ui.ops import Op
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import LatestOnly

PRODUCT_PAGE = 100
"""Products per fetch: a few screens full. Each keystroke of the filter loads a first page, and
on MariaDB reading the rows costs about as much as finding them; scrolling fetches more."""

MAX_CATEGORIES = 1000


class CatalogScreen(QWidget):
    """Browse and edit the catalog; writes are for managers and owners."""

    message = Signal(str, bool)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("catalogScreen")
        self._session = session
        self.labels_dialog: LabelsDialog | None = None
        self._can_edit = session.may(Role.MANAGER)
        self._categories: list[CategoryInfo] = []
        self._category_lookup = LatestOnly(self)
        self._select_product_id: int | None = None
        self.freshness = Freshness(self, Changes(catalog=True, stock=True), self.refresh)
        self.listing = ProductListing(session)
        self.products = PagedTableModel[ProductInfo](
            product_columns(session.money),
            self.listing.fetch(),
            self,
            sort_key="name",
            page_size=PRODUCT_PAGE,
        )
        self.products.set_row_background(inactive_background)
        self.categories = PagedTableModel[CategoryInfo](
            category_columns(), category_fetch(session), self, sort_key="name"
        )
        self.categories.set_row_background(inactive_background)
        self.csv = CatalogCsv(session, self)
        self._build_ui()
        self._connect_signals()
        self._update_buttons()

    # -- building -----------------------------------------------------------------------------

    def _build_ui(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("catalogSplitter")
        splitter.setChildrenCollapsible(False)
        self.category_pane = category_pane = CategoryPane(self.categories)
        self.new_category_button = category_pane.new_category_button
        self.edit_category_button = category_pane.edit_category_button
        self.category_active_button = category_pane.category_active_button
        self.category_view = category_pane.category_view
        splitter.addWidget(category_pane)
        self.product_pane = product_pane = ProductPane(self.products, self.csv)
        self.filter_field = product_pane.filter_field
        self.setFocusProxy(self.filter_field)
        self.category_filter = product_pane.category_filter
        self.new_product_button = product_pane.new_product_button
        self.edit_product_button = product_pane.edit_product_button
        self.product_active_button = product_pane.product_active_button
        self.labels_button = product_pane.labels_button
        self.product_view = product_pane.product_view
        self.count_label = product_pane.count_label
        splitter.addWidget(product_pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        # In proportion to what each table needs, so both fit 1024 pixels without scrolling.
        splitter.setSizes([category_pane.category_fit.needed, product_pane.product_fit.needed])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(splitter)

    def _connect_signals(self) -> None:
        self.filter_field.textChanged.connect(self._on_filter_text_changed)
        self.category_filter.currentIndexChanged.connect(self._on_category_filter_changed)
        self.products.loaded.connect(self._on_products_loaded)
        self.products.failed.connect(self._on_load_failed)
        self.categories.loaded.connect(self._on_categories_loaded)
        self.categories.failed.connect(self._on_load_failed)
        self.product_view.selectionModel().selectionChanged.connect(
            self._on_product_selection_changed
        )
        self.category_view.selectionModel().selectionChanged.connect(
            self._on_category_selection_changed
        )
        self.product_view.activated.connect(self._on_product_view_activated)
        self.category_view.activated.connect(self._on_edit_category_clicked)
        self.new_product_button.clicked.connect(self._on_new_product_clicked)
        self.edit_product_button.clicked.connect(self._on_edit_product_clicked)
        self.product_active_button.clicked.connect(self._on_product_active_clicked)
        self.labels_button.clicked.connect(self._on_labels_clicked)
        self.new_category_button.clicked.connect(self._on_new_category_clicked)
        self.edit_category_button.clicked.connect(self._on_edit_category_clicked)
        self.category_active_button.clicked.connect(self._on_category_active_clicked)
        self.csv.message.connect(self.message)
        self.csv.imported.connect(self._on_products_imported)
        for keys, slot, what in (
            ("Ctrl+N", self._on_new_product_clicked, "New product"),
            ("Ctrl+E", self._on_edit_product_clicked, "Edit the chosen product"),
            ("Ctrl+F", self._on_filter_shortcut_activated, "Filter the products"),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.setWhatsThis(what)
            shortcut.activated.connect(slot)

    # -- queries ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload both tables and the category choices."""
        self.freshness.mark_fresh()
        self.listing.forget()
        self.products.set_filter(self.listing.fetch())
        self.categories.refresh()
        self._reload_category_choices()

    def _reload_category_choices(self) -> None:
        ctx, actor = self._session.ctx, self._session.user
        self._category_lookup.run(
            lambda: (
                catalog.list_categories(ctx, actor, page=PageRequest(limit=MAX_CATEGORIES)).items
            ),
            self._on_category_choices_loaded,
            self._on_load_failed,
        )

    # -- selection helpers --------------------------------------------------------------------

    def selected_product(self) -> ProductInfo | None:
        return self.products.row_at(self.product_view.currentIndex())

    def selected_products(self) -> list[ProductInfo]:
        """Every selected product, in table order (the current one when none is selected)."""
        rows = sorted(self.product_view.selectionModel().selectedRows(), key=lambda i: i.row())
        found = [self.products.row_at(index) for index in rows]
        chosen = [product for product in found if product is not None]
        current = self.selected_product()
        return chosen or ([current] if current is not None else [])

    def open_labels_dialog(self) -> LabelsDialog | None:
        products = self.selected_products()
        if not products:
            self.message.emit(self.tr("Select the products to label first."), True)
            return None
        if self.labels_dialog is not None:
            self.labels_dialog.deleteLater()
        dialog = LabelsDialog(self._session, products, current_devices(), self)
        dialog.open()
        self.labels_dialog = dialog
        return dialog

    def _on_labels_clicked(self) -> None:
        self.open_labels_dialog()

    def selected_category(self) -> CategoryInfo | None:
        return self.categories.row_at(self.category_view.currentIndex())

    def _update_buttons(self) -> None:
        product, category = self.selected_product(), self.selected_category()
        self.new_product_button.setEnabled(self._can_edit)
        self.new_category_button.setEnabled(self._can_edit)
        self.edit_product_button.setEnabled(self._can_edit and product is not None)
        self.product_active_button.setEnabled(self._can_edit and product is not None)
        self.product_active_button.setText(
            self.tr("Reactivate") if product and not product.is_active else self.tr("Deactivate")
        )
        self.edit_category_button.setEnabled(self._can_edit and category is not None)
        self.category_active_button.setEnabled(self._can_edit and category is not None)
        self.category_active_button.setText(
            self.tr("Reactivate") if category and not category.is_active else self.tr("Deactivate")
        )

    # -- dialogs ------------------------------------------------------------------------------

    def open_product_dialog(self, product: ProductInfo | None = None) -> ProductDialog:
        dialog = ProductDialog(
            self._session, self._categories, product, self, self._category_in_view()
        )
        dialog.saved.connect(self._on_product_saved)
        dialog.open()
        return dialog

    def _category_in_view(self) -> int | None:
        """The category the products are filtered by, else the one chosen in the list."""
        filtered = self.category_filter.currentData()
        if filtered is not None:
            return int(filtered)
        category = self.selected_category()
        return category.id if category is not None else None

    def open_category_dialog(self, category: CategoryInfo | None = None) -> CategoryDialog:
        dialog = CategoryDialog(self._session, category, self)
        dialog.saved.connect(self._on_category_saved)
        dialog.open()
        return dialog

    # -- slots --------------------------------------------------------------------------------

    def _on_filter_text_changed(self, text: str) -> None:
        search = text.strip()
        if search != self.listing.search:  # a trailing space shows the same rows
            self.listing.search = search
            self.products.set_filter(self.listing.fetch())

    def _on_category_filter_changed(self, _index: int) -> None:
        self.listing.category_id = self.category_filter.currentData()
        self.products.set_filter(self.listing.fetch())

    def _on_filter_shortcut_activated(self) -> None:
        self.filter_field.setFocus()
        self.filter_field.selectAll()

    def _on_products_loaded(self) -> None:
        page = self.products.last_page
        self.listing.remember(page)
        self.count_label.setText(count_text(self.products.rowCount(), page, self.products.total))
        if self._select_product_id is not None:
            self._select_product(self._select_product_id)
            self._select_product_id = None
        self._update_buttons()

    def _select_product(self, product_id: int) -> None:
        for number, row in enumerate(self.products.rows()):
            if row.id == product_id:
                self.product_view.selectRow(number)
                self.product_view.scrollTo(self.products.index(number, 0))
                return

    def _on_categories_loaded(self) -> None:
        self._update_buttons()

    def _on_load_failed(self, text: str | BaseException) -> None:
        self.message.emit(text if isinstance(text, str) else describe_error(text), True)

    def _on_category_choices_loaded(self, categories: list[CategoryInfo]) -> None:
        self._categories = categories
        self.product_pane.show_category_choices(categories)

    def _on_product_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()

    def _on_category_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()
        category = self.selected_category()
        if category is not None:
            index = self.category_filter.findData(category.id)
            if index >= 0:
                self.category_filter.setCurrentIndex(index)

    def _on_product_view_activated(self, _index: QModelIndex) -> None:
        self._on_edit_product_clicked()

    def _on_new_product_clicked(self) -> None:
        if self._can_edit:
            self.open_product_dialog()

    def _on_edit_product_clicked(self, *_args: Any) -> None:
        product = self.selected_product()
        if self._can_edit and product is not None:
            self.open_product_dialog(product)

    def _on_new_category_clicked(self) -> None:
        if self._can_edit:
            self.open_category_dialog()

    def _on_edit_category_clicked(self, *_args: Any) -> None:
        category = self.selected_category()
        if self._can_edit and category is not None:
            self.open_category_dialog(category)

    def _on_product_saved(self, product: ProductInfo) -> None:
        self.message.emit(self.tr("Saved product “{0}”.").format(product.name), False)
        self._select_product_id = product.id
        self.refresh()

    def _on_products_imported(self, _result: object) -> None:
        self.refresh()

    def _on_category_saved(self, category: CategoryInfo) -> None:
        self.message.emit(self.tr("Saved category “{0}”.").format(category.name), False)
        self.refresh()

    def _on_product_active_clicked(self) -> None:
        product = self.selected_product()
        if not self._can_edit or product is None:
            return
        ctx, actor, active = self._session.ctx, self._session.user, not product.is_active
        Op(
            self,
            op=lambda: catalog.set_product_active(ctx, actor, product.id, active),
            success=self._on_product_active_changed,
            changes=Changes(catalog=True),
        ).with_busy(self.product_active_button).run()

    def _on_product_active_changed(self, product: ProductInfo) -> None:
        self.products.replace_where(lambda row: row.id == product.id, product)
        text = (
            self.tr("“{0}” is active again.")
            if product.is_active
            else self.tr("“{0}” is deactivated.")
        )
        self.message.emit(text.format(product.name), False)
        self._update_buttons()

    def _on_category_active_clicked(self) -> None:
        category = self.selected_category()
        if not self._can_edit or category is None:
            return
        ctx, actor, active = self._session.ctx, self._session.user, not category.is_active
        Op(
            self,
            op=lambda: catalog.set_category_active(ctx, actor, category.id, active),
            success=self._on_category_active_changed,
            changes=Changes(catalog=True),
        ).with_busy(self.category_active_button).run()

    def _on_category_active_changed(self, category: CategoryInfo) -> None:
        self.categories.replace_where(lambda row: row.id == category.id, category)
        text = (
            self.tr("Category “{0}” is active again.")
            if category.is_active
            else self.tr("Category “{0}” is deactivated.")
        )
        self.message.emit(text.format(category.name), False)
        self._update_buttons()
        self._reload_category_choices()
