"""The catalog screen's wiring: which slot each field, table, button and shortcut reaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut

if TYPE_CHECKING:
    from pos_app.ui.catalog.screen import CatalogScreen


def connect_signals(screen: CatalogScreen) -> None:
    screen.filter_field.textChanged.connect(screen._on_filter_text_changed)
    screen.category_filter.currentIndexChanged.connect(screen._on_category_filter_changed)
    screen.products.loaded.connect(screen._on_products_loaded)
    screen.products.failed.connect(screen._on_load_failed)
    screen.categories.loaded.connect(screen._on_categories_loaded)
    screen.categories.failed.connect(screen._on_load_failed)
    screen.product_view.selectionModel().selectionChanged.connect(
        screen._on_product_selection_changed
    )
    screen.category_view.selectionModel().selectionChanged.connect(
        screen._on_category_selection_changed
    )
    screen.product_view.activated.connect(screen._on_product_view_activated)
    screen.category_view.activated.connect(screen._on_edit_category_clicked)
    screen.new_product_button.clicked.connect(screen._on_new_product_clicked)
    screen.edit_product_button.clicked.connect(screen._on_edit_product_clicked)
    screen.product_active_button.clicked.connect(screen._on_product_active_clicked)
    screen.labels_button.clicked.connect(screen._on_labels_clicked)
    screen.new_category_button.clicked.connect(screen._on_new_category_clicked)
    screen.edit_category_button.clicked.connect(screen._on_edit_category_clicked)
    screen.category_active_button.clicked.connect(screen._on_category_active_clicked)
    screen.csv.message.connect(screen.message)
    screen.csv.imported.connect(screen._on_products_imported)
    for keys, slot, what in (
        ("Ctrl+N", screen._on_new_product_clicked, "New product"),
        ("Ctrl+E", screen._on_edit_product_clicked, "Edit the chosen product"),
        ("Ctrl+F", screen._on_filter_shortcut_activated, "Filter the products"),
    ):
        shortcut = QShortcut(QKeySequence(keys), screen)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.setWhatsThis(what)
        shortcut.activated.connect(slot)
