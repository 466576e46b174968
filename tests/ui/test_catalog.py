"""The catalog screen: filter as you type, SQL sorting, forms with errors next to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from pos_app.services import audit, catalog
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.catalog.columns import CategoryColumn, ProductColumn
from pos_app.ui.catalog.dialogs import CategoryDialog, ProductDialog
from pos_app.ui.session import UiSession
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]
ALL = ["Cola 330 ml", "Crisps, sea salt", "Milk chocolate bar", "Still water 500 ml"]


@pytest.fixture
def open_screen(screen_opener: ScreenOpener) -> Callable[[UiSession], CatalogScreen]:
    def make(session: UiSession) -> CatalogScreen:
        screen = screen_opener(CatalogScreen, session)
        assert isinstance(screen, CatalogScreen)
        return screen

    return make


@pytest.fixture
def manager_screen(
    open_screen: Callable[[UiSession], CatalogScreen], session_for: SessionFor
) -> CatalogScreen:
    return open_screen(session_for(Role.MANAGER))


def names(screen: CatalogScreen) -> list[str]:
    return [product.name for product in screen.products.rows()]


def activate(qtbot: Any, screen: CatalogScreen) -> None:
    """Shortcuts only reach the active window."""
    with qtbot.waitActive(screen):
        screen.show()
        screen.activateWindow()


def save(qtbot: Any, dialog: ProductDialog | CategoryDialog) -> Any:
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        dialog.save_button.click()
    return blocker.args[0]


def test_typing_in_the_filter_narrows_the_products(
    qtbot: Any, manager_screen: CatalogScreen
) -> None:
    screen = manager_screen
    assert names(screen) == ALL
    assert screen.count_label.text() == "4 products"
    screen.filter_field.setText("ml")
    qtbot.waitUntil(lambda: names(screen) == ["Cola 330 ml", "Still water 500 ml"])
    screen.filter_field.setText("mil")
    qtbot.waitUntil(lambda: names(screen) == ["Milk chocolate bar"])
    assert screen.count_label.text() == "1 product"
    screen.filter_field.setText("WATER-5")
    qtbot.waitUntil(lambda: names(screen) == ["Still water 500 ml"])
    screen.filter_field.setText("")
    qtbot.waitUntil(lambda: names(screen) == ALL)


def test_the_category_filter_shows_one_category(qtbot: Any, manager_screen: CatalogScreen) -> None:
    screen = manager_screen
    screen.category_filter.setCurrentIndex(screen.category_filter.findText("Snacks"))
    qtbot.waitUntil(lambda: names(screen) == ["Crisps, sea salt", "Milk chocolate bar"])
    screen.category_view.selectRow(0)
    assert screen.category_filter.currentText() == "Drinks"
    qtbot.waitUntil(lambda: names(screen) == ["Cola 330 ml", "Still water 500 ml"])


def test_clicking_the_price_header_sorts_by_price_in_the_database(
    qtbot: Any, manager_screen: CatalogScreen
) -> None:
    screen = manager_screen
    with qtbot.waitSignal(screen.products.loaded, timeout=5000):
        screen.product_view.sortByColumn(ProductColumn.PRICE, Qt.SortOrder.DescendingOrder)
    assert screen.products.sort_key == "price"
    assert [p.price_cents for p in screen.products.rows()] == [249, 199, 150, 99]
    assert screen.products.data(screen.products.index(0, ProductColumn.PRICE)) == "€2.49"
    with qtbot.waitSignal(screen.products.loaded, timeout=5000):
        screen.product_view.sortByColumn(ProductColumn.STOCK, Qt.SortOrder.AscendingOrder)
    assert [p.quantity for p in screen.products.rows()] == [3, 10, 20, 30]


def test_a_bad_price_is_shown_next_to_the_price_and_nothing_is_saved(
    qtbot: Any, manager_screen: CatalogScreen, ui_ctx: ServiceContext, session_for: SessionFor
) -> None:
    dialog = manager_screen.open_product_dialog()
    dialog.name_field.setText("Rye crackers")
    dialog.sku_field.setText("RYE-CRACK")
    dialog.price_field.setText("two euros")
    dialog.save_button.click()
    assert dialog.errors.message("price") == "Enter an amount such as 12.50."
    assert dialog.errors.label("price").objectName() == "priceError"
    assert dialog.errors.message("name") == ""
    assert not dialog.busy
    dialog.price_field.setText("1.999")
    dialog.save_button.click()
    assert dialog.errors.message("price") == "Use at most 2 decimals."
    found = catalog.list_products(ui_ctx, session_for(Role.MANAGER).user, search="RYE")
    assert found.total == 0


def test_a_duplicate_sku_from_the_service_shows_next_to_the_sku(
    qtbot: Any, manager_screen: CatalogScreen
) -> None:
    dialog = manager_screen.open_product_dialog()
    dialog.name_field.setText("Another cola")
    dialog.sku_field.setText("COLA-330")
    dialog.price_field.setText("1.00")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("sku") != "", timeout=5000)
    assert "COLA-330" in dialog.errors.message("sku")
    assert dialog.errors.message("price") == ""
    assert dialog.isVisible()


def test_a_new_category_and_product_appear_in_the_tables(
    qtbot: Any, manager_screen: CatalogScreen
) -> None:
    screen = manager_screen
    category_dialog = screen.open_category_dialog()
    category_dialog.name_field.setText("Frozen food")
    category = save(qtbot, category_dialog)
    assert category.slug == "frozen-food"
    qtbot.waitUntil(lambda: screen.category_filter.findText("Frozen food") >= 0, timeout=5000)
    qtbot.waitUntil(lambda: screen.categories.rowCount() == 3, timeout=5000)
    dialog = screen.open_product_dialog()
    dialog.name_field.setText("Frozen peas 1 kg")
    dialog.category_field.setCurrentIndex(dialog.category_field.findText("Frozen food"))
    dialog.sku_field.setText("FRO-PEAS")
    dialog.price_field.setText("2,49")
    assert dialog.initial_stock_field is not None
    dialog.initial_stock_field.setValue(3)
    product = save(qtbot, dialog)
    assert (product.price_cents, product.quantity, product.category_name) == (249, 3, "Frozen food")
    qtbot.waitUntil(lambda: "Frozen peas 1 kg" in names(screen), timeout=5000)
    qtbot.waitUntil(lambda: screen.selected_product() == product, timeout=5000)


def test_editing_a_product_changes_its_price(qtbot: Any, manager_screen: CatalogScreen) -> None:
    screen = manager_screen
    screen.product_view.selectRow(0)
    first = screen.selected_product()
    assert first is not None
    screen.edit_product_button.click()
    dialog = screen.findChild(ProductDialog)
    assert dialog is not None
    assert dialog.price_field.text() == "1.50"
    dialog.price_field.setText("12.34")
    saved = save(qtbot, dialog)
    assert (saved.id, saved.price_cents) == (first.id, 1234)
    qtbot.waitUntil(lambda: screen.products.rows()[0].price_cents == 1234, timeout=5000)


def test_deactivate_and_reactivate_a_product(
    qtbot: Any, manager_screen: CatalogScreen, ui_ctx: ServiceContext, session_for: SessionFor
) -> None:
    screen = manager_screen
    screen.product_view.selectRow(1)
    product = screen.selected_product()
    assert product is not None and product.is_active
    assert screen.product_active_button.text() == "Deactivate"
    with qtbot.waitSignal(screen.message, timeout=5000):
        screen.product_active_button.click()
    assert screen.products.rows()[1].is_active is False
    assert screen.products.data(screen.products.index(1, ProductColumn.ACTIVE)) == "No"
    assert screen.product_active_button.text() == "Reactivate"
    with qtbot.waitSignal(screen.message, timeout=5000):
        screen.product_active_button.click()
    assert catalog.get_product(ui_ctx, session_for(Role.MANAGER).user, product.id).is_active


def test_a_cashier_sees_the_catalog_but_cannot_change_it(
    qtbot: Any, open_screen: Callable[[UiSession], CatalogScreen], session_for: SessionFor
) -> None:
    screen = open_screen(session_for(Role.CASHIER))
    screen.product_view.selectRow(0)
    assert screen.selected_product() is not None
    for button in (
        screen.new_product_button,
        screen.edit_product_button,
        screen.product_active_button,
        screen.new_category_button,
    ):
        assert not button.isEnabled()
    screen.product_view.activated.emit(screen.products.index(0, 0))
    assert screen.findChild(ProductDialog) is None


def test_shortcuts_focus_the_filter_and_open_the_form(
    qtbot: Any, manager_screen: CatalogScreen
) -> None:
    screen = manager_screen
    activate(qtbot, screen)
    screen.product_view.setFocus()
    qtbot.keyClick(screen.product_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(screen.filter_field.hasFocus)
    qtbot.keyClick(screen.filter_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.findChild(ProductDialog) is not None)
    new_dialog = screen.findChild(ProductDialog)
    assert new_dialog.windowTitle() == "New product"
    new_dialog.reject()
    qtbot.waitUntil(lambda: screen.findChild(ProductDialog) is None)
    screen.product_view.selectRow(2)
    activate(qtbot, screen)
    screen.product_view.setFocus()
    qtbot.keyClick(screen.product_view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: screen.findChild(ProductDialog) is not None)
    edit_dialog = screen.findChild(ProductDialog)
    assert edit_dialog.name_field.text() == "Milk chocolate bar"
    edit_dialog.reject()
    qtbot.waitUntil(lambda: screen.findChild(ProductDialog) is None)
    activate(qtbot, screen)
    screen.product_view.setFocus()
    qtbot.keyClick(screen.product_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.findChild(ProductDialog) is not None)


def test_catalog_models_keep_the_rules_of_qt_models(
    qtmodeltester: Any, manager_screen: CatalogScreen
) -> None:
    qtmodeltester.check(manager_screen.products)
    qtmodeltester.check(manager_screen.categories)
    assert manager_screen.categories.rowCount(QModelIndex()) == 2


def test_a_category_is_created_and_edited_with_its_tax_rate(
    qtbot: Any,
    manager_screen: CatalogScreen,
    ui_ctx: ServiceContext,
    session_for: SessionFor,
) -> None:
    screen = manager_screen
    dialog = screen.open_category_dialog()
    assert dialog.tax_rate_field.text() == "0"  # the shop's default rate
    dialog.name_field.setText("Wine")
    dialog.tax_rate_field.setText("abc")
    dialog.save_button.click()
    assert dialog.errors.message("tax_rate_bp") == "Enter a tax rate such as 19 or 7.5."
    dialog.tax_rate_field.setText("19")
    wine = save(qtbot, dialog)
    assert wine.tax_rate_bp == 1900
    qtbot.waitUntil(lambda: any(c.name == "Wine" for c in screen.categories.rows()))
    row = next(i for i, c in enumerate(screen.categories.rows()) if c.name == "Wine")
    assert screen.categories.index(row, CategoryColumn.TAX).data() == "19 %"

    edit = CategoryDialog(screen._session, wine, screen)
    assert edit.tax_rate_field.text() == "19"
    edit.tax_rate_field.setText("7,5")
    assert save(qtbot, edit).tax_rate_bp == 750
    owner = session_for(Role.OWNER).user
    [change] = audit.list_audit(ui_ctx, owner, action=audit.TAX_RATE_CHANGED).items
    assert (change.detail["old_rate_bp"], change.detail["new_rate_bp"]) == (1900, 750)


def test_the_product_list_sorts_names_without_regard_to_case(
    qtbot: Any, manager_screen: CatalogScreen, ui_ctx: ServiceContext, session_for: SessionFor
) -> None:
    manager = session_for(Role.MANAGER).user
    drinks = manager_screen.products.rows()[0].category_id
    for name, sku in (("iced tea", "ICE-1"), ("Zest lemonade", "ZEST-1")):
        catalog.create_product(
            ui_ctx, manager, name=name, category_id=drinks, sku=sku, price_cents=100
        )
    manager_screen.refresh()
    qtbot.waitUntil(lambda: len(names(manager_screen)) == 6, timeout=5000)
    assert names(manager_screen) == sorted(names(manager_screen), key=str.casefold)
    assert names(manager_screen).index("iced tea") < names(manager_screen).index(
        "Milk chocolate bar"
    )
