"""Products sold by weight on the catalog and inventory screens: price per kg, scale code, kg."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from pos_app.services import catalog, inventory
from pos_app.services.catalog import ProductInfo
from pos_app.services.roles import Role
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.catalog.columns import ProductColumn
from pos_app.ui.catalog.dialogs import PRICE_LABEL, PRICE_PER_KG_LABEL, ProductDialog
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.inventory.columns import MovementColumn, StockColumn
from pos_app.ui.inventory.dialogs import AdjustDialog
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks
from tests.ui.conftest import ScreenOpener

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def manager(session_for: SessionFor) -> UiSession:
    return session_for(Role.MANAGER)


@pytest.fixture
def cheese(manager: UiSession, products: dict[str, ProductInfo]) -> ProductInfo:
    snacks = products["CRISP-SALT"].category_id
    return catalog.create_product(
        manager.ctx, manager.user, name="Gouda", category_id=snacks, sku="GOUDA",
        price_cents=1290, sold_by="weight", scale_code=12345, initial_stock=5250,
    )  # fmt: skip


@pytest.fixture
def catalog_screen(screen_opener: ScreenOpener, manager: UiSession) -> CatalogScreen:
    screen = screen_opener(CatalogScreen, manager)
    assert isinstance(screen, CatalogScreen)
    return screen


def save(qtbot: Any, dialog: ProductDialog | AdjustDialog) -> Any:
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        dialog.save_button.click()
    return blocker.args[0]


def row_visible(dialog: ProductDialog, field: Any) -> bool:
    return not field.parentWidget().isHidden() and dialog.form.isRowVisible(field.parentWidget())


def test_sold_by_weight_switches_the_price_to_per_kg_and_offers_the_scale_code(
    qtbot: Any, catalog_screen: CatalogScreen
) -> None:
    dialog = catalog_screen.open_product_dialog()
    assert dialog.price_label.text() == PRICE_LABEL
    assert not row_visible(dialog, dialog.scale_code_field)
    assert dialog.initial_weight_field is not None and dialog.initial_stock_field is not None
    assert not row_visible(dialog, dialog.initial_weight_field)
    dialog.sold_by_weight_field.setChecked(True)
    assert dialog.price_label.text() == PRICE_PER_KG_LABEL
    assert row_visible(dialog, dialog.scale_code_field)
    assert row_visible(dialog, dialog.initial_weight_field)
    assert not row_visible(dialog, dialog.initial_stock_field)
    assert dialog.height() <= 768
    dialog.sold_by_weight_field.setChecked(False)
    assert dialog.price_label.text() == PRICE_LABEL
    dialog.reject()


def test_a_new_weighed_product_is_saved_with_its_price_per_kg_and_stock_in_kg(
    qtbot: Any, catalog_screen: CatalogScreen
) -> None:
    dialog = catalog_screen.open_product_dialog()
    dialog.name_field.setText("Emmental")
    dialog.sku_field.setText("EMMENTAL")
    dialog.sold_by_weight_field.setChecked(True)
    dialog.price_field.setText("18,90")
    dialog.scale_code_field.setText("4711")
    assert dialog.initial_weight_field is not None
    dialog.initial_weight_field.setText("2.5")
    product = save(qtbot, dialog)
    assert (product.sold_by, product.price_cents, product.scale_code, product.quantity) == (
        "weight", 1890, 4711, 2500
    )  # fmt: skip
    screen = catalog_screen
    qtbot.waitUntil(lambda: screen.selected_product() == product, timeout=5000)
    row = [p.id for p in screen.products.rows()].index(product.id)
    assert screen.products.data(screen.products.index(row, ProductColumn.STOCK)) == "2.500 kg"
    price = screen.products.data(screen.products.index(row, ProductColumn.PRICE))
    assert price.endswith("18.90/kg")


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("scale_code", "12a", "scale code as a number"),
        ("initial_weight", "2.5555", "three decimals"),
    ],
)
def test_bad_weighed_input_is_shown_next_to_its_field(
    qtbot: Any, catalog_screen: CatalogScreen, field: str, text: str, message: str
) -> None:
    dialog = catalog_screen.open_product_dialog()
    dialog.name_field.setText("Brie")
    dialog.sku_field.setText("BRIE")
    dialog.price_field.setText("20.00")
    dialog.sold_by_weight_field.setChecked(True)
    widget = dialog.scale_code_field if field == "scale_code" else dialog.initial_weight_field
    assert widget is not None
    widget.setText(text)
    dialog.save_button.click()
    assert message in dialog.errors.message(field)
    dialog.reject()


def test_a_scale_code_of_another_product_is_shown_next_to_the_scale_code(
    qtbot: Any, catalog_screen: CatalogScreen, cheese: ProductInfo
) -> None:
    dialog = catalog_screen.open_product_dialog()
    dialog.name_field.setText("Edam")
    dialog.sku_field.setText("EDAM")
    dialog.price_field.setText("10.00")
    dialog.sold_by_weight_field.setChecked(True)
    dialog.scale_code_field.setText("12345")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("scale_code") != "", timeout=5000)
    assert "12345" in dialog.errors.message("scale_code")
    dialog.reject()


def test_editing_a_weighed_product_shows_its_price_per_kg_and_scale_code(
    qtbot: Any, catalog_screen: CatalogScreen, cheese: ProductInfo
) -> None:
    dialog = catalog_screen.open_product_dialog(cheese)
    assert dialog.sold_by_weight_field.isChecked()
    assert dialog.price_label.text() == PRICE_PER_KG_LABEL
    assert (dialog.price_field.text(), dialog.scale_code_field.text()) == ("12.90", "12345")
    dialog.scale_code_field.setText("")
    saved = save(qtbot, dialog)
    assert (saved.sold_by, saved.scale_code) == ("weight", None)


@pytest.fixture
def inventory_screen(qtbot: Any, manager: UiSession, cheese: ProductInfo) -> InventoryScreen:
    screen = InventoryScreen(manager)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    return screen


def cheese_row(screen: InventoryScreen) -> int:
    return [level.product_name for level in screen.stock.rows()].index("Gouda")


def test_the_inventory_shows_kg_with_three_decimals_and_restocks_in_kg(
    qtbot: Any, inventory_screen: InventoryScreen, manager: UiSession, cheese: ProductInfo
) -> None:
    screen = inventory_screen
    row = cheese_row(screen)
    assert screen.stock.data(screen.stock.index(row, StockColumn.QUANTITY)) == "5.250 kg"
    screen.stock_view.selectRow(row)
    qtbot.waitUntil(lambda: screen.movements.rowCount() == 1, timeout=5000)
    change = screen.movements.data(screen.movements.index(0, MovementColumn.CHANGE))
    assert change == "+5.250 kg"
    panel = screen.restock_panel
    assert "5.250 kg in stock" in panel.product_label.text()
    assert panel.amount_field is panel.weight_field
    panel.weight_field.setText("1,2")
    with qtbot.waitSignal(panel.restocked, timeout=5000) as restocked:
        panel.add_button.click()
    assert restocked.args[0].quantity == 6450
    assert "6.450 kg in stock" in panel.product_label.text()
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def test_a_weighed_product_found_by_its_code_asks_for_kg(
    qtbot: Any, inventory_screen: InventoryScreen, manager: UiSession, cheese: ProductInfo
) -> None:
    panel = inventory_screen.restock_panel
    panel.code_field.setText("gouda")
    panel.quantity_field.setValue(3)
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.errors.message("weight") != "", timeout=5000)
    assert "counted in kg" in panel.errors.message("weight")
    assert panel.amount_field is panel.weight_field
    assert catalog.get_product(manager.ctx, manager.user, cheese.id).quantity == 5250
    panel.weight_field.setText("455 g")
    with qtbot.waitSignal(panel.restocked, timeout=5000) as restocked:
        panel.add_button.click()
    assert restocked.args[0].quantity == 5705
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def test_an_adjustment_of_a_weighed_product_takes_kg(
    qtbot: Any, inventory_screen: InventoryScreen, manager: UiSession, cheese: ProductInfo
) -> None:
    screen = inventory_screen
    screen.stock_view.selectRow(cheese_row(screen))
    dialog = screen.open_adjust_dialog(screen.stock.rows()[cheese_row(screen)])
    label = dialog.findChild(QLabel, "adjustProduct")
    assert label is not None and "5.250 kg in stock" in label.text()
    assert dialog.change_field.isHidden() and not dialog.weight_change_field.isHidden()
    dialog.weight_change_field.setText("-6")
    dialog.note_field.setText("Cut into samples")
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: "only 5.250 kg in stock" in dialog.errors.message("change"), timeout=5000
    )
    dialog.weight_change_field.setText("-0.250")
    assert save(qtbot, dialog).quantity == 5000
    history = inventory.movement_history(manager.ctx, manager.user, cheese.id).items
    assert [m.quantity_change for m in history] == [-250, 5250]
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def test_a_german_inventory_writes_weights_and_counts_the_german_way(
    qtbot: Any, manager: UiSession, cheese: ProductInfo, products: dict[str, ProductInfo]
) -> None:
    settings = replace(manager.settings, locale="de_DE")
    german = replace(manager, settings=settings, ctx=replace(manager.ctx, locale="de_DE"))
    inventory.adjust_stock(
        german.ctx, german.user, products["COLA-330"].id, 1230, note="Pallet delivered"
    )
    screen = InventoryScreen(german)
    qtbot.addWidget(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    messages: list[str] = []
    screen.message.connect(lambda text, _error: messages.append(text))
    row = cheese_row(screen)
    assert screen.stock.data(screen.stock.index(row, StockColumn.QUANTITY)) == "5,250 kg"
    cola = [level.product_name for level in screen.stock.rows()].index("Cola 330 ml")
    assert screen.stock.data(screen.stock.index(cola, StockColumn.QUANTITY)) == "1.250"
    screen.stock_view.selectRow(row)
    qtbot.waitUntil(lambda: screen.movements.rowCount() == 1, timeout=5000)
    change = screen.movements.data(screen.movements.index(0, MovementColumn.CHANGE))
    assert change == "+5,250 kg"
    panel = screen.restock_panel
    assert "5,250 kg in stock" in panel.product_label.text()
    panel.weight_field.setText("1,2")
    with qtbot.waitSignal(panel.restocked, timeout=5000):
        panel.add_button.click()
    assert "6,450 kg in stock" in panel.product_label.text()
    assert messages[-1] == "Gouda: now 6,450 kg in stock."
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
