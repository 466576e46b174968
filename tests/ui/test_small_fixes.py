"""Small form fixes: every error of a product form at once, each gone once fixed; a new
product in the category in view; and more."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from pos_app.config import Settings
from pos_app.services.roles import Role
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.inventory.columns import MovementColumn, StockColumn
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.shifts import ShiftScreen
from pos_app.ui.style import BASE_POINT_SIZE, apply_style
from pos_app.ui.tasks import pending_tasks
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]


def open_catalog(screen_opener: ScreenOpener, session_for: SessionFor) -> CatalogScreen:
    screen = screen_opener(CatalogScreen, session_for(Role.MANAGER))
    assert isinstance(screen, CatalogScreen)
    return screen


def test_a_product_form_shows_all_its_errors_at_once_and_clears_each_when_fixed(
    qtbot: Any, screen_opener: ScreenOpener, session_for: SessionFor
) -> None:
    dialog = open_catalog(screen_opener, session_for).open_product_dialog()
    dialog.sku_field.setText("has space")
    dialog.barcode_field.setText("4006381333932")
    dialog.price_field.setText("two euros")
    dialog.save_button.click()
    shown = {field: dialog.errors.message(field) for field in ("name", "sku", "barcode", "price")}
    assert all(shown.values()), shown
    assert "check digit" in shown["barcode"]
    assert not dialog.busy

    dialog.name_field.setText("Rye crackers")
    assert dialog.errors.message("name") == ""
    dialog.price_field.setText("1.999")
    assert dialog.errors.message("price") == "Use at most 2 decimals.", "still wrong: updated"
    dialog.price_field.setText("1.99")
    assert dialog.errors.message("price") == ""
    assert dialog.errors.message("sku") and dialog.errors.message("barcode")
    dialog.sku_field.setText("RYE-1")
    dialog.barcode_field.setText("036000291452")
    assert dialog.errors.message("sku") == dialog.errors.message("barcode") == ""
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save_button.click()
    assert saved.args[0].name == "Rye crackers"


def test_a_new_product_starts_in_the_category_in_view(
    qtbot: Any, screen_opener: ScreenOpener, session_for: SessionFor
) -> None:
    screen = open_catalog(screen_opener, session_for)
    screen.category_view.selectRow(1)
    chosen = screen.selected_category()
    assert chosen is not None and chosen.name == "Snacks"
    dialog = screen.open_product_dialog()
    assert dialog.category_field.currentText() == "Snacks"
    dialog.reject()
    screen.category_filter.setCurrentIndex(screen.category_filter.findText("Drinks"))
    dialog = screen.open_product_dialog()
    assert dialog.category_field.currentText() == "Drinks"
    dialog.reject()
    qtbot.wait(10)


@pytest.mark.parametrize("point_size", [BASE_POINT_SIZE, BASE_POINT_SIZE + 1])
def test_inventory_columns_show_their_values_whole_and_the_float_field_stays_small(
    qtbot: Any, qapp: QApplication, session_for: SessionFor, point_size: int, closed_till: None
) -> None:
    sheet, font = qapp.styleSheet(), QFont(qapp.font())
    apply_style(qapp, point_size)
    try:
        screen = InventoryScreen(session_for(Role.MANAGER))
        qtbot.addWidget(screen)
        screen.resize(1360, 720)  # wide enough for every column: none steps aside
        screen.show()
        qtbot.waitExposed(screen)
        metrics = screen.movement_view.fontMetrics()
        for view, column, value in (
            (screen.movement_view, MovementColumn.REASON, "Adjustment"),
            (screen.movement_view, MovementColumn.WHEN, "2026-12-05 10:48"),
            (screen.stock_view, StockColumn.CATEGORY, "Household"),
            (screen.stock_view, StockColumn.BARCODE, "4250007326658"),
        ):
            assert view.columnWidth(column) >= metrics.horizontalAdvance(value) + 12, value
        shift = ShiftScreen(session_for(Role.CASHIER))
        qtbot.addWidget(shift)
        shift.resize(1000, 600)
        shift.show()
        qtbot.waitExposed(shift)
        qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
        assert shift.float_edit.isVisible()
        assert shift.float_edit.width() < shift.width() // 3
    finally:
        qapp.setStyleSheet(sheet)
        qapp.setFont(font)


def test_csv_export_and_import_say_what_they_did_in_the_message_bar(
    qtbot: Any, session_for: SessionFor, ui_settings: Settings, tmp_path: Path
) -> None:
    window = MainWindow(session_for(Role.MANAGER), ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    catalog = window.screens["catalog"]
    assert isinstance(catalog, CatalogScreen)
    window.show_screen("catalog")
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    exported = tmp_path / "products.csv"
    assert catalog.csv.export_products(exported)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=5000)
    assert window.message_bar.label.text() == f"Exported 4 products to {exported}."

    window.message_bar.hide()
    catalog.csv.import_products(exported)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=10_000)
    assert window.message_bar.label.text() == "Imported: 0 new, 4 updated, 0 new categories."
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
