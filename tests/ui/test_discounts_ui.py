"""Discounts and promotions at the till: shown on the lines, given with Ctrl+D and Ctrl+Shift+D,
approved above the limit, kept when parked, and charged as shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.promotions import PromotionKind
from pos_app.services import audit, promotions, shifts
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.promotion_drafts import PromotionDraft
from pos_app.services.roles import Role, UserInfo
from pos_app.ui import leave_guard
from pos_app.ui.checkout import cart_keeper as keeper_module
from pos_app.ui.checkout import sale_actions
from pos_app.ui.checkout.cart_keeper import RESTORE, VOID
from pos_app.ui.checkout.cart_model import Column
from pos_app.ui.checkout.discount_dialog import DiscountDialog
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.main_window import MainWindow
from pos_app.ui.session import UiSession
from tests.ui.test_price_override_ui import answer_approvals, park_and_recall
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


def give_discount(
    qtbot: Any, screen: CheckoutScreen, value: str, reason: str, *, cart: bool = False
) -> None:
    key = Qt.Key.Key_D
    modifiers = Qt.KeyboardModifier.ControlModifier
    if cart:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(screen.scan_field, key, modifiers)
    qtbot.waitUntil(
        lambda: screen.discounts.dialog is not None and screen.discounts.dialog.isVisible()
    )
    dialog = screen.discounts.dialog
    assert isinstance(dialog, DiscountDialog)
    dialog.value_field.setText(value)
    dialog.reason_field.setCurrentText(reason)
    dialog.apply_button.click()


def cola_week(ctx: ServiceContext, manager: UserInfo, product: ProductInfo) -> None:
    today = ctx.local_date(ctx.now())
    promotions.create_promotion(
        ctx,
        manager,
        PromotionDraft(
            "Cola week", PromotionKind.PRICE_CUT, today, today + timedelta(days=6),
            product_ids=frozenset({product.id}), percent_bp=2000,
        ),
    )  # fmt: skip


def cell(screen: CheckoutScreen, row: int, column: Column) -> str:
    return str(screen.cart_model.index(row, column).data())


def test_a_promotion_shows_on_its_line_and_is_charged_as_shown(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    cola_week(ui_ctx, session_for(Role.MANAGER).user, products["COLA-330"])
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    screen.refresh()
    scan(qtbot, screen, "3*COLA-330")
    scan(qtbot, screen, "WATER-500")
    assert cell(screen, 0, Column.PRODUCT) == "Cola 330 ml  · Cola week"
    assert (cell(screen, 0, Column.DISCOUNT), cell(screen, 0, Column.LINE_TOTAL)) == (
        "-€0.90",
        "€3.60",
    )
    assert cell(screen, 1, Column.DISCOUNT) == ""
    assert screen.total_label.text() == "€4.59"
    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert receipt.receipt.total_cents == 459
    assert receipt.receipt.saved_cents == 90
    assert [line.discount_name for line in receipt.receipt.lines] == ["Cola week", ""]


def test_a_cashier_discounts_a_line_within_the_limit_without_asking(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answer_approvals(monkeypatch, None)
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "2*CRISP-SALT")
    give_discount(qtbot, screen, "10", "Damaged packaging")
    assert asked == []
    assert cell(screen, 0, Column.DISCOUNT) == "-€0.40"
    assert screen.total_label.text() == "€3.58"
    assert "saves €0.40" in screen.message_label.text()
    confirm(qtbot, screen, open_pay(qtbot, screen))
    owner = session_for(Role.OWNER).user
    [entry] = audit.list_audit(ui_ctx, owner, action=audit.DISCOUNT).items
    assert entry.subject == "Damaged packaging"


def test_a_cart_discount_above_the_limit_needs_a_manager_or_is_taken_back(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "COLA-330")
    scan(qtbot, screen, "CHOC-MILK")
    asked = answer_approvals(monkeypatch, None)
    give_discount(qtbot, screen, "25", "Regular customer", cart=True)
    assert asked == ["A discount of 25 % needs a manager or the owner to approve it."]
    assert screen.cart_model.cart_discount is None
    assert screen.total_label.text() == "€3.99"
    assert "nobody approved it" in screen.message_label.text()
    manager = session_for(Role.MANAGER).user
    answer_approvals(monkeypatch, Role.MANAGER)
    give_discount(qtbot, screen, "25", "Regular customer", cart=True)
    approver = screen.cart_model.approvals.discount_approver
    assert approver is not None and approver.id == manager.id
    assert [cell(screen, row, Column.DISCOUNT) for row in (0, 1)] == ["-€0.38", "-€0.62"]
    assert screen.total_label.text() == "€2.99"
    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert receipt.receipt.total_cents == 299
    owner = session_for(Role.OWNER).user
    [entry] = audit.list_audit(ui_ctx, owner, action=audit.DISCOUNT).items
    assert entry.detail["approved_by_id"] == manager.id


def test_a_manager_cannot_approve_beyond_the_managers_limit(
    qtbot: QtBot, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "COLA-330")
    answer_approvals(monkeypatch, Role.MANAGER)
    give_discount(qtbot, screen, "60", "Broken")
    assert screen.cart_model.line(0).discount is None
    assert "ask the owner" in screen.message_label.text()


def test_a_parked_cart_keeps_its_discounts(
    qtbot: QtBot,
    session_for: SessionFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "2*CRISP-SALT")
    give_discount(qtbot, screen, "0.50", "Dented", cart=False)
    screen.discounts.dialog = None
    give_discount(qtbot, screen, "5", "Staff", cart=True)
    total = screen.total_label.text()
    park_and_recall(qtbot, screen, monkeypatch)
    assert screen.cart_model.line(0).discount == Discount(DiscountKind.PERCENT, 50, "Dented")
    assert screen.cart_model.cart_discount == Discount(DiscountKind.PERCENT, 500, "Staff")
    assert screen.total_label.text() == total


def test_a_cart_given_back_after_a_crash_shows_today_s_promotion_and_charges_it(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cola_week(ui_ctx, session_for(Role.MANAGER).user, products["COLA-330"])
    first = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, first, "3*COLA-330")
    assert first.cart_keeper.flush()
    first.hide()  # the till dies with the cart rung up
    monkeypatch.setattr(keeper_module, "ask_restore", lambda *args: RESTORE)
    again = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.waitUntil(lambda: again.cart_model.rowCount() == 1)
    qtbot.waitUntil(lambda: not again.busy)
    assert cell(again, 0, Column.PRODUCT) == "Cola 330 ml  · Cola week"
    assert again.total_label.text() == "€3.60"
    receipt = confirm(qtbot, again, open_pay(qtbot, again))
    assert receipt.receipt.total_cents == 360


def ring_up_a_discounted_cart(
    qtbot: QtBot, screen: CheckoutScreen, ctx: ServiceContext, manager: UserInfo, cola: ProductInfo
) -> int:
    """Three colas at 20 % off and a water, 5 % off the whole cart: what the till shows."""
    cola_week(ctx, manager, cola)
    screen.refresh()
    scan(qtbot, screen, "3*COLA-330")
    scan(qtbot, screen, "WATER-500")
    give_discount(qtbot, screen, "5", "Staff", cart=True)
    shown = screen.cart_model.total_cents
    assert screen.total_label.text() == screen._session.money(shown)
    assert shown < 3 * 150 + 99 - 90
    return shown


def voided_on_the_z_report(ctx: ServiceContext, session_for: SessionFor) -> tuple[int, int]:
    cashier = session_for(Role.CASHIER).user
    shift = shifts.current_shift(ctx, cashier)
    assert shift is not None
    report = shifts.z_report(ctx, cashier, shift.id)
    return report.voids_count, report.voids_cents


def test_a_voided_cart_counts_on_the_z_report_at_its_discounted_total(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    manager = session_for(Role.MANAGER).user
    shown = ring_up_a_discounted_cart(qtbot, screen, ui_ctx, manager, products["COLA-330"])
    monkeypatch.setattr(sale_actions, "confirm_clear", lambda parent, lines: True)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F9)
    assert screen.cart_model.is_empty()
    qtbot.waitUntil(lambda: screen.sale_actions.pending_voids == 0)
    assert voided_on_the_z_report(ui_ctx, session_for) == (1, shown)


def test_a_cart_voided_at_log_out_counts_at_its_discounted_total(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    ui_settings: Settings,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(session_for(Role.CASHIER), ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    screen = window.screens["checkout"]
    assert isinstance(screen, CheckoutScreen)
    manager = session_for(Role.MANAGER).user
    shown = ring_up_a_discounted_cart(qtbot, screen, ui_ctx, manager, products["COLA-330"])
    monkeypatch.setattr(leave_guard, "ask_open_cart", lambda *args: VOID)
    with qtbot.waitSignal(window.logged_out, timeout=5000):
        window.logout_action.trigger()
    assert voided_on_the_z_report(ui_ctx, session_for) == (1, shown)


def test_a_cart_found_after_a_crash_and_voided_counts_at_its_discounted_total(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = open_checkout(qtbot, session_for(Role.CASHIER))
    manager = session_for(Role.MANAGER).user
    shown = ring_up_a_discounted_cart(qtbot, first, ui_ctx, manager, products["COLA-330"])
    assert first.cart_keeper.flush()
    path = first.cart_keeper.path
    first.hide()
    monkeypatch.setattr(keeper_module, "ask_restore", lambda *args: VOID)
    again = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.waitUntil(lambda: not path.exists())
    qtbot.waitUntil(lambda: not again.busy)
    assert voided_on_the_z_report(ui_ctx, session_for) == (1, shown)
    first.sale.reset()
