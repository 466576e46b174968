"""The inventory screen: low stock highlighted, restock by code or row, adjustments, history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from pos_app.services import catalog, inventory
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.catalog import CatalogScreen
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.inventory.columns import MovementColumn, StockColumn
from pos_app.ui.inventory.dialogs import AdjustDialog
from pos_app.ui.inventory.screen import LOW_STOCK
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def keep(qtbot: Any) -> Iterator[Callable[[Any], Any]]:
    """Keep widgets alive until their background work has been delivered."""
    widgets: list[Any] = []

    def hold(widget: Any) -> Any:
        qtbot.addWidget(widget)
        widgets.append(widget)
        return widget

    yield hold
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    widgets.clear()


@pytest.fixture
def manager(session_for: SessionFor) -> UiSession:
    return session_for(Role.MANAGER)


@pytest.fixture
def screen(qtbot: Any, keep: Callable[[Any], Any], manager: UiSession) -> InventoryScreen:
    widget: InventoryScreen = keep(InventoryScreen(manager))
    widget.refresh()
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)
    return widget


def names(screen: InventoryScreen) -> list[str]:
    return [level.product_name for level in screen.stock.rows()]


def row_of(screen: InventoryScreen, name: str) -> int:
    return names(screen).index(name)


def settle(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


def test_low_stock_rows_are_highlighted_by_the_threshold(
    qtbot: Any, screen: InventoryScreen
) -> None:
    assert screen.threshold_field.value() == 5
    background = Qt.ItemDataRole.BackgroundRole
    chocolate = screen.stock.index(row_of(screen, "Milk chocolate bar"), StockColumn.QUANTITY)
    crisps = screen.stock.index(row_of(screen, "Crisps, sea salt"), StockColumn.QUANTITY)
    assert screen.stock.data(chocolate, background) == LOW_STOCK
    assert screen.stock.data(crisps, background) is None
    assert (
        screen.stock.data(chocolate, Qt.ItemDataRole.TextAlignmentRole)
        & Qt.AlignmentFlag.AlignRight
    )
    screen.threshold_field.setValue(10)
    assert screen.stock.data(crisps, background) == LOW_STOCK
    assert screen.count_label.text().endswith("2 at or below 10 shown")


def test_low_stock_only_lists_products_at_or_below_the_threshold(
    qtbot: Any, screen: InventoryScreen
) -> None:
    screen.low_only_box.setChecked(True)
    qtbot.waitUntil(lambda: names(screen) == ["Milk chocolate bar"], timeout=5000)
    screen.threshold_field.setValue(20)
    qtbot.waitUntil(lambda: len(names(screen)) == 3, timeout=5000)
    screen.filter_field.setText("cri")
    qtbot.waitUntil(lambda: names(screen) == ["Crisps, sea salt"], timeout=5000)


def test_manager_creates_a_product_restocks_it_and_it_leaves_the_low_stock_list(
    qtbot: Any, keep: Callable[[Any], Any], manager: UiSession, screen: InventoryScreen
) -> None:
    catalog_screen: CatalogScreen = keep(CatalogScreen(manager))
    catalog_screen.refresh()
    settle(qtbot)
    category_dialog = catalog_screen.open_category_dialog()
    category_dialog.name_field.setText("Frozen food")
    with qtbot.waitSignal(category_dialog.saved, timeout=5000):
        category_dialog.save_button.click()
    qtbot.waitUntil(lambda: catalog_screen.category_filter.findText("Frozen food") >= 0)
    dialog = catalog_screen.open_product_dialog()
    dialog.name_field.setText("Frozen peas 1 kg")
    dialog.category_field.setCurrentIndex(dialog.category_field.findText("Frozen food"))
    dialog.sku_field.setText("FRO-PEAS")
    dialog.price_field.setText("2.49")
    assert dialog.initial_stock_field is not None
    dialog.initial_stock_field.setValue(2)
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save_button.click()
    product: ProductInfo = saved.args[0]
    settle(qtbot)

    screen.low_only_box.setChecked(True)
    qtbot.waitUntil(lambda: "Frozen peas 1 kg" in names(screen), timeout=5000)
    panel = screen.restock_panel
    panel.code_field.setText("fro-peas")
    qtbot.keyClick(panel.code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Frozen peas 1 kg" in panel.product_label.text(), timeout=5000)
    panel.quantity_field.setValue(10)
    panel.note_field.setText("Delivery 4711")
    with qtbot.waitSignal(panel.restocked, timeout=5000) as restocked:
        panel.add_button.click()
    assert restocked.args[0].quantity == 12
    qtbot.waitUntil(lambda: "Frozen peas 1 kg" not in names(screen), timeout=5000)
    assert names(screen) == ["Milk chocolate bar"]
    settle(qtbot)
    history = inventory.movement_history(manager.ctx, manager.user, product.id).items
    assert [(m.quantity_change, m.reason) for m in history] == [(10, "restock"), (2, "restock")]


def test_selecting_a_row_shows_its_movements_and_fills_the_restock_form(
    qtbot: Any, screen: InventoryScreen
) -> None:
    screen.stock_view.selectRow(row_of(screen, "Cola 330 ml"))
    qtbot.waitUntil(lambda: screen.movements.rowCount() == 1, timeout=5000)
    first = screen.movements.index(0, MovementColumn.CHANGE)
    assert screen.movements.data(first) == "+20"
    assert screen.movements.data(screen.movements.index(0, MovementColumn.REASON)) == "Restock"
    assert screen.restock_panel.code_field.text() != ""
    with qtbot.waitSignal(screen.restock_panel.restocked, timeout=5000):
        screen.restock_panel.add_button.click()
    qtbot.waitUntil(lambda: screen.movements.rowCount() == 2, timeout=5000)
    assert screen.selected_level() is not None
    assert screen.selected_level().quantity == 21  # type: ignore[union-attr]


def test_an_unknown_code_is_shown_next_to_the_code_field(
    qtbot: Any, screen: InventoryScreen
) -> None:
    panel = screen.restock_panel
    panel.code_field.setText("NO-SUCH-THING")
    panel.add_button.click()
    qtbot.waitUntil(lambda: panel.errors.message("code") != "", timeout=5000)
    assert "NO-SUCH-THING" in panel.errors.message("code")


def test_an_adjustment_needs_a_reason_and_cannot_go_below_zero(
    qtbot: Any, screen: InventoryScreen, manager: UiSession, products: dict[str, ProductInfo]
) -> None:
    screen.stock_view.selectRow(row_of(screen, "Milk chocolate bar"))
    screen.adjust_button.click()
    dialog = screen.findChild(AdjustDialog)
    assert dialog is not None
    dialog.change_field.setValue(-2)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.errors.message("note") != "", timeout=5000)
    assert dialog.errors.message("note") == "Enter a reason."
    assert dialog.form.labelForField(dialog.errors.label("note").parentWidget()).text() == "&Reason"
    dialog.change_field.setValue(-5)
    dialog.note_field.setText("Counted after closing")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "only 3 in stock" in dialog.errors.message("change"), timeout=5000)
    dialog.change_field.setValue(-2)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: screen.movements.rowCount() == 2, timeout=5000)
    settle(qtbot)
    level = screen.selected_level()
    assert level is not None and level.quantity == 1
    note = screen.movements.data(screen.movements.index(0, MovementColumn.NOTE))
    assert note == "Counted after closing"


def test_a_cashier_cannot_restock(
    qtbot: Any, keep: Callable[[Any], Any], session_for: SessionFor
) -> None:
    screen: InventoryScreen = keep(InventoryScreen(session_for(Role.CASHIER)))
    with qtbot.waitSignal(screen.message, timeout=5000) as blocker:
        screen.refresh()
    assert blocker.args[1] is True
    assert not screen.restock_panel.isEnabled()
    assert not screen.adjust_button.isEnabled()


def test_inventory_models_keep_the_rules_of_qt_models(
    qtbot: Any, qtmodeltester: Any, screen: InventoryScreen, ui_ctx: ServiceContext
) -> None:
    qtmodeltester.check(screen.stock)
    screen.stock_view.selectRow(0)
    qtbot.waitUntil(lambda: screen.movements.rowCount() == 1, timeout=5000)
    qtmodeltester.check(screen.movements)


def test_an_inactive_product_is_not_low_stock_in_the_list_nor_highlighted(
    qtbot: Any,
    screen: InventoryScreen,
    manager: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    catalog.set_product_active(ui_ctx, manager.user, products["CHOC-MILK"].id, False)
    screen.refresh()
    settle(qtbot)
    chocolate = screen.stock.index(row_of(screen, "Milk chocolate bar"), StockColumn.QUANTITY)
    assert screen.stock.data(chocolate, Qt.ItemDataRole.BackgroundRole) is None
    screen.low_only_box.setChecked(True)
    qtbot.waitUntil(lambda: names(screen) == [], timeout=5000)
    screen.threshold_field.setValue(20)
    qtbot.waitUntil(lambda: len(names(screen)) == 2, timeout=5000)
    low = inventory.low_stock(ui_ctx, manager.user, 20).items
    assert names(screen) == sorted(level.product_name for level in low)


def test_down_in_the_filter_goes_to_the_rows_and_picks_the_first(
    qtbot: Any, screen: InventoryScreen
) -> None:
    screen.show()
    qtbot.waitExposed(screen)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.filter_field.setFocus()
    qtbot.keyClicks(screen.filter_field, "cri")
    qtbot.waitUntil(lambda: names(screen) == ["Crisps, sea salt"], timeout=5000)
    qtbot.keyClick(screen.filter_field, Qt.Key.Key_Down)
    assert screen.stock_view.hasFocus()
    level = screen.selected_level()
    assert level is not None and level.product_name == "Crisps, sea salt"
    assert screen.adjust_button.isEnabled()
