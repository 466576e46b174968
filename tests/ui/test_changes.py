"""What changed: screens refresh on a change they care about, a hidden one only when shown,
and switching screens with nothing changed reads nothing."""

from __future__ import annotations

import gc
import inspect
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services import (
    analytics,
    audit,
    catalog,
    inventory,
    promotions,
    receipts,
    shifts,
    users,
)
from pos_app.services.catalog import ProductInfo
from pos_app.services.roles import Role
from pos_app.ui.changes import SHARED_DATA_MAX_AGE_S, Changes, Freshness, announce
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.inventory import InventoryScreen
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from pos_app.ui.tasks import pending_tasks

SessionFor = Callable[[Role], UiSession]
READ_BY_SCREENS = (analytics, audit, catalog, inventory, promotions, receipts, shifts, users)


class Calls:
    """Counts the calls of every service function (one taking the context) that screens read."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.names.append(name)
            return function(*args, **kwargs)

        return counted


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    counter = Calls()
    for module in READ_BY_SCREENS:
        for name, function in _public_functions(module):
            monkeypatch.setattr(module, name, counter.wrap(f"{module.__name__}.{name}", function))
    return counter


def _public_functions(module: ModuleType) -> list[tuple[str, Callable[..., Any]]]:
    return [
        (name, value)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
        and next(iter(inspect.signature(value).parameters), "") == "ctx"  # reads the database
    ]


def settle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=5000)


@pytest.fixture
def open_window(qtbot: QtBot, ui_settings: Settings) -> Iterator[Callable[[UiSession], MainWindow]]:
    def make(session: UiSession) -> MainWindow:
        window = MainWindow(session, ui_settings)
        qtbot.addWidget(window)
        window.resize(1024, 740)
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot)
        return window

    yield make
    settle(qtbot)


def visit(qtbot: QtBot, window: MainWindow, key: str) -> None:
    window.show_screen(key)
    settle(qtbot)


def stale_screens(window: MainWindow) -> set[str]:
    return {
        key
        for key, screen in window.screens.items()
        if (freshness := screen.findChild(Freshness)) is not None and freshness.stale
    }


def test_a_hidden_screen_reads_nothing_on_a_change_and_refreshes_once_when_shown(
    qtbot: QtBot, session_for: SessionFor, calls: Calls
) -> None:
    screen = InventoryScreen(session_for(Role.MANAGER))
    qtbot.addWidget(screen)
    screen.show()
    settle(qtbot)
    assert calls.names.count("pos_app.services.inventory.list_stock") == 1
    screen.hide()
    calls.names.clear()

    announce(Changes(stock=True))
    announce(Changes(catalog=True, stock=True))
    settle(qtbot)
    assert calls.names == []
    assert screen.freshness.stale

    screen.show()
    settle(qtbot)
    assert calls.names == ["pos_app.services.inventory.list_stock"]
    assert not screen.freshness.stale


def test_a_visible_screen_refreshes_at_once_and_ignores_changes_it_does_not_show(
    qtbot: QtBot, session_for: SessionFor, calls: Calls
) -> None:
    screen = InventoryScreen(session_for(Role.MANAGER))
    qtbot.addWidget(screen)
    screen.show()
    settle(qtbot)
    calls.names.clear()

    announce(Changes(users=True, promotions=True))
    settle(qtbot)
    assert calls.names == []

    announce(Changes(stock=True))
    settle(qtbot)
    assert calls.names == ["pos_app.services.inventory.list_stock"]


def test_a_change_made_by_the_screen_itself_does_not_read_it_again(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    part = QWidget(screen)
    refreshes: list[int] = []
    freshness = Freshness(screen, Changes(stock=True), lambda: refreshes.append(1))
    screen.show()
    assert refreshes == [1]
    announce(Changes(stock=True), part)
    assert refreshes == [1]
    announce(Changes(stock=True), None)
    assert refreshes == [1, 1]
    assert not freshness.stale


def test_switching_between_screens_with_nothing_changed_reads_nothing(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession], MainWindow],
    calls: Calls,
) -> None:
    window = open_window(session_for(Role.OWNER))
    for key in window.screens:
        visit(qtbot, window, key)
    calls.names.clear()

    for key in ("checkout", "inventory", "catalog", "analytics", "checkout", "inventory"):
        visit(qtbot, window, key)
    assert calls.names == []


def test_a_sale_marks_inventory_and_analytics_stale_and_a_restock_the_checkout(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession], MainWindow],
) -> None:
    window = open_window(session_for(Role.OWNER))
    for key in window.screens:
        visit(qtbot, window, key)
    visit(qtbot, window, "checkout")

    announce(Changes(sales=True, stock=True, shifts=True), window.screens["checkout"])
    assert stale_screens(window) == {
        "receipts",
        "refunds",
        "shift",
        "catalog",
        "inventory",
        "analytics",
        "audit",
    }

    visit(qtbot, window, "inventory")
    announce(Changes(stock=True), window.screens["inventory"])
    stale_after_restock = {"checkout", "receipts", "refunds", "shift", "catalog", "analytics"}
    assert stale_screens(window) == stale_after_restock | {"audit"}


def test_a_restock_then_switching_to_checkout_shows_the_new_stock(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession], MainWindow],
    products: dict[str, ProductInfo],
) -> None:
    window = open_window(session_for(Role.MANAGER))
    checkout = window.screens["checkout"]
    assert isinstance(checkout, CheckoutScreen)
    chocolate = products["CHOC-MILK"]  # 3 in stock
    checkout.scan(f"5*{chocolate.sku}")
    qtbot.waitUntil(lambda: not checkout.busy and not checkout.cart_model.is_empty())
    assert checkout.cart_model.line(0).in_stock == 3
    assert not checkout.pay_button.isEnabled()

    visit(qtbot, window, "inventory")
    inventory_screen = window.screens["inventory"]
    assert isinstance(inventory_screen, InventoryScreen)
    panel = inventory_screen.restock_panel
    panel.code_field.setText(chocolate.sku)
    panel.quantity_field.setValue(10)
    with qtbot.waitSignal(panel.restocked, timeout=5000):
        panel.add_button.click()
    assert checkout.cart_model.line(0).in_stock == 3  # hidden: only marked stale

    visit(qtbot, window, "checkout")
    qtbot.waitUntil(lambda: checkout.cart_model.line(0).in_stock == 13, timeout=5000)
    assert checkout.pay_button.isEnabled()
    assert checkout.message_label.text() == "Milk chocolate bar now has 13 in stock."
    checkout.sale.reset()


def test_a_screen_shown_again_after_a_while_reads_what_other_tills_may_have_written(
    qtbot: QtBot,
) -> None:
    now = [100.0]
    reads: list[float] = []
    screen = QWidget()
    qtbot.addWidget(screen)
    freshness = Freshness(
        screen, Changes(sales=True), lambda: reads.append(now[0]), clock=lambda: now[0]
    )

    screen.show()
    screen.hide()
    now[0] += SHARED_DATA_MAX_AGE_S / 2
    screen.show()
    screen.hide()
    assert reads == [100.0]

    now[0] += SHARED_DATA_MAX_AGE_S
    screen.show()
    assert len(reads) == 2
    assert not freshness.stale


def test_a_screen_dropped_while_shown_goes_without_an_error_from_its_freshness(
    qtbot: QtBot, capfd: pytest.CaptureFixture[str]
) -> None:
    reads: list[int] = []
    screen = QWidget()
    Freshness(screen, Changes(catalog=True), lambda: reads.append(1))
    screen.show()
    qtbot.waitUntil(lambda: reads == [1])
    del screen  # the widget and its freshness go with the last reference, as a bench's screen does
    gc.collect()
    QApplication.processEvents()
    assert "Error calling Python override" not in capfd.readouterr().err
