from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.services import held_sale_json, held_sales
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.checkout import sale_actions
from pos_app.ui.checkout.held_dialog import RecallDialog
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.session import UiSession
from tests.ui.test_discounts_ui import cola_week, give_discount
from tests.ui.till_helpers import open_checkout, scan

SessionFor = Callable[[Role], UiSession]


def park(
    qtbot: QtBot, screen: CheckoutScreen, monkeypatch: pytest.MonkeyPatch, label: str | None
) -> None:
    monkeypatch.setattr(sale_actions, "ask_label", lambda parent: label)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: not screen.busy)


def open_recall(qtbot: QtBot, screen: CheckoutScreen) -> RecallDialog:
    screen.recall_button.click()
    dialog = screen.sale_actions.recall_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.busy)
    return dialog


def test_a_parked_sale_is_recalled_into_the_cart(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "3*COLA-330")
    scan(qtbot, screen, "CRISP-SALT")
    park(qtbot, screen, monkeypatch, "Mrs Smith")
    assert screen.cart_model.is_empty()
    assert "Mrs Smith" in screen.message_label.text()
    [held] = held_sales.list_held(ui_ctx, session.user)
    assert held.label == "Mrs Smith" and held.total_cents == 3 * 150 + 199

    scan(qtbot, screen, "WATER-500")
    assert not screen.recall_button.isEnabled()
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F8)
    assert screen.sale_actions.recall_dialog is None
    assert "Finish or park" in screen.message_label.text()
    screen.sale_actions.remove_line()

    dialog = open_recall(qtbot, screen)
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    assert dialog.status_label.text() == "1 held sale, oldest first."
    assert dialog.table.model().index(0, 0).data() == "Mrs Smith"
    dialog.recall_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [(line.sku, line.quantity) for line in screen.cart_model.lines()] == [
        ("COLA-330", 3),
        ("CRISP-SALT", 1),
    ]
    assert screen.total_label.text() == "€6.49"
    assert screen.message_label.text() == "Recalled sale “Mrs Smith” (2 lines)."
    assert held_sales.list_held(ui_ctx, session.user) == []


def test_a_sale_recalled_elsewhere_first_is_refused_in_place(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "WATER-500")
    park(qtbot, screen, monkeypatch, "")
    dialog = open_recall(qtbot, screen)
    assert dialog.model.rowCount() == 1
    held = dialog.selected()
    assert held is not None
    held_sales.recall(ui_ctx, session_for(Role.MANAGER).user, held.id)

    dialog.recall_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible() and not dialog.busy)
    assert dialog.error_label.text() == "This held sale was already recalled."
    assert dialog.isVisible() and dialog.model.rowCount() == 0
    assert screen.cart_model.is_empty()
    dialog.reject()


def test_cancelling_the_label_keeps_the_cart(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    park(qtbot, screen, monkeypatch, "never")
    assert "nothing to park" in screen.message_label.text()
    scan(qtbot, screen, "COLA-330")
    park(qtbot, screen, monkeypatch, None)
    assert screen.cart_model.rowCount() == 1
    assert held_sales.list_held(ui_ctx, session.user) == []


def test_a_changed_price_survives_parking(
    qtbot: QtBot,
    session_for: SessionFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_checkout(qtbot, session_for(Role.MANAGER))
    scan(qtbot, screen, "2*COLA-330")
    screen.cart_model.set_override(0, 100)
    park(qtbot, screen, monkeypatch, "discount")
    dialog = open_recall(qtbot, screen)
    dialog.recall_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    line = screen.cart_model.line(0)
    assert (line.unit_price_cents, line.override_cents, line.total_cents) == (150, 100, 200)
    assert screen.cart_model.cart.price_overrides() == {line.product_id: 100}


def test_the_recall_list_shows_what_the_parked_cart_costs_and_saves(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = session_for(Role.MANAGER)
    cola_week(ui_ctx, session.user, products["COLA-330"])
    screen = open_checkout(qtbot, session)
    screen.refresh()
    scan(qtbot, screen, "3*COLA-330")
    scan(qtbot, screen, "2*CRISP-SALT")
    scan(qtbot, screen, "WATER-500")
    screen.cart_model.set_override(2, 50)
    screen.select_row(1)
    give_discount(qtbot, screen, "10", "Damaged packaging")
    give_discount(qtbot, screen, "10", "Regular customer", cart=True)
    shown = screen.total_label.text()
    park(qtbot, screen, monkeypatch, "Mr Jones")

    dialog = open_recall(qtbot, screen)
    total, saved = (dialog.model.index(0, column).data() for column in (5, 6))
    # cola 3 x 1.50 less 20 %, crisps 2 x 1.99 less 10 %, water at 0.50, then 10 % off the cart
    assert (total, shown) == ("€6.91", "€6.91")
    assert saved == "€2.56"  # against 3 x 1.50 + 2 x 1.99 + 0.99 at list prices
    dialog.recall_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert screen.total_label.text() == total


def test_a_cart_recalled_first_thing_is_charged_todays_promotions_as_listed(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    cola = products["COLA-330"]
    cola_week(ui_ctx, session_for(Role.MANAGER).user, cola)
    session = session_for(Role.CASHIER)
    held_sales.hold_cart(ui_ctx, session.user, [held_sale_json.HeldLine(cola.id, 3)], "Ms Park")
    screen = open_checkout(qtbot, session)

    dialog = open_recall(qtbot, screen)
    assert dialog.model.index(0, 5).data() == "€3.60"  # 3 x 1.50 less the 20 % of Cola week
    dialog.recall_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible() and not screen.busy)
    assert screen.total_label.text() == "€3.60"
