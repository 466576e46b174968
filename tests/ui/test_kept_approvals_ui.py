"""A cart put back keeps what was approved on it: after a crash (the crash journal) and after
parking. An approval that has run out is asked for again at Pay, and the till says so."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from pos_app.services import audit
from pos_app.services.context import ServiceContext
from pos_app.services.open_cart import OpenCart
from pos_app.services.roles import Role
from pos_app.ui.checkout import cart_keeper as keeper_module
from pos_app.ui.checkout.cart_keeper import RESTORE
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.session import UiSession
from tests.ui.test_discounts_ui import give_discount
from tests.ui.test_price_override_ui import answer_approvals, approve_new_price, park_and_recall
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]
DISCOUNT_ASKED = "A discount of 25 % needs a manager or the owner to approve it."


def discounted_cart(
    qtbot: QtBot, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> CheckoutScreen:
    """A cashier's cart with a line discount of their own and a cart discount a manager
    approved."""
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "2*CRISP-SALT")
    scan(qtbot, screen, "COLA-330")
    screen.cart_view.select(0)
    give_discount(qtbot, screen, "5", "Dented")
    screen.discounts.dialog = None
    answer_approvals(monkeypatch, Role.MANAGER)
    give_discount(qtbot, screen, "25", "Regular customer", cart=True)
    assert screen.cart_model.approvals.discount_approver is not None
    assert screen.cart_keeper.flush()
    return screen


def crash_and_restore(
    qtbot: QtBot, screen: CheckoutScreen, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> CheckoutScreen:
    screen.hide()  # the till dies: nothing settles the cart
    monkeypatch.setattr(keeper_module, "ask_restore", lambda *args: RESTORE)
    again = open_checkout(qtbot, session_for(Role.CASHIER))
    qtbot.waitUntil(lambda: again.cart_model.rowCount() == 2 and not again.busy)
    return again


def discount_entries(ctx: ServiceContext, session_for: SessionFor) -> list[audit.AuditEvent]:
    return audit.list_audit(ctx, session_for(Role.OWNER).user, action=audit.DISCOUNT).items


def test_a_cart_restored_after_a_crash_keeps_its_discounts_and_their_approval(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = discounted_cart(qtbot, session_for, monkeypatch)
    total = first.total_label.text()
    line_discount, cart_discount = first.cart_model.line(0).discount, first.cart_model.cart_discount
    again = crash_and_restore(qtbot, first, session_for, monkeypatch)

    assert again.cart_model.line(0).discount == line_discount
    assert again.cart_model.cart_discount == cart_discount
    assert again.total_label.text() == total
    assert "approval" not in again.message_label.text()
    asked = answer_approvals(monkeypatch, None)
    confirm(qtbot, again, open_pay(qtbot, again))
    assert asked == []  # the manager's approval was still good
    manager = session_for(Role.MANAGER).user
    entries = discount_entries(ui_ctx, session_for)
    assert {entry.detail["approved_by_id"] for entry in entries} == {manager.id}


def test_a_restored_cart_whose_approval_ran_out_says_so_and_asks_again_at_pay(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = discounted_cart(qtbot, session_for, monkeypatch)
    total = first.total_label.text()
    path = first.cart_keeper.path
    stored = json.loads(path.read_text())
    long_ago = datetime.now(UTC) - timedelta(minutes=30)
    for approval in stored["approvals"]:
        approval["expires_at"] = long_ago.isoformat()
    path.write_text(json.dumps(stored))
    again = crash_and_restore(qtbot, first, session_for, monkeypatch)

    assert again.total_label.text() == total
    assert "Its approval has run out" in again.message_label.text()
    assert again.cart_model.approvals.discount_approver is None
    asked = answer_approvals(monkeypatch, None)
    again.pay_button.click()
    assert asked == [DISCOUNT_ASKED] and again.pay_dialog is None
    asked = answer_approvals(monkeypatch, Role.OWNER)
    confirm(qtbot, again, open_pay(qtbot, again))
    assert asked == [DISCOUNT_ASKED]
    owner = session_for(Role.OWNER).user
    entries = discount_entries(ui_ctx, session_for)
    assert {entry.detail["approved_by_id"] for entry in entries} == {owner.id}


def test_the_journal_of_another_cashier_carries_no_approval_over(
    qtbot: QtBot, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = discounted_cart(qtbot, session_for, monkeypatch)
    first.hide()
    seen: list[OpenCart] = []

    def ask(parent: object, cart: OpenCart, total: str, when: str) -> str:
        seen.append(cart)
        return RESTORE

    monkeypatch.setattr(keeper_module, "ask_restore", ask)
    again = open_checkout(qtbot, session_for(Role.MANAGER))
    qtbot.waitUntil(lambda: again.cart_model.rowCount() == 2 and not again.busy)
    assert seen[0].approvals  # kept in the file, signed for the cashier only
    assert again.cart_model.approvals.tokens() == {}
    assert again.cart_model.cart_discount is not None


def test_a_recalled_cart_keeps_the_approved_price_and_discount(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = session_for(Role.CASHIER)
    manager = session_for(Role.MANAGER).user
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, "2*COLA-330")
    approve_new_price(qtbot, screen, "1.00")
    answer_approvals(monkeypatch, Role.MANAGER)
    screen.cart_discount_button.click()
    dialog = screen.discounts.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.value_field.setText("25")
    dialog.reason_field.setCurrentText("Regular customer")
    dialog.apply_button.click()
    assert screen.cart_model.approvals.discount_approver is not None
    total = screen.total_label.text()
    park_and_recall(qtbot, screen, monkeypatch)

    assert screen.total_label.text() == total
    assert not screen.cart_model.approvals.needs_override_approval()
    asked = answer_approvals(monkeypatch, None)
    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert asked == []
    assert [item.unit_price_cents for item in receipt.receipt.lines] == [100]
    overrides = audit.list_audit(ui_ctx, session_for(Role.OWNER).user, action=audit.PRICE_OVERRIDE)
    assert [entry.detail["approved_by_id"] for entry in overrides.items] == [manager.id]


def test_the_cart_model_is_a_well_behaved_qt_model(
    qtbot: QtBot, qtmodeltester: Any, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = discounted_cart(qtbot, session_for, monkeypatch)
    qtmodeltester.check(screen.cart_model)
    screen.cart_model.remove_row(0)
    qtmodeltester.check(screen.cart_model)
