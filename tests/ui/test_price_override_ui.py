from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.services import audit, auth, checkout, users
from pos_app.services.access import PRICE_APPROVAL, ApprovalToken
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.approval import ApprovalDialog
from pos_app.ui.checkout import sale_actions
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.session import UiSession
from tests.ui.conftest import EMAILS, PASSWORDS
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


def answer_approvals(monkeypatch: pytest.MonkeyPatch, approver: Role | None) -> list[str]:
    """Replace the manager's login at Pay (``approver`` types their password, or nobody does);
    returns the reasons it was asked with."""
    asked: list[str] = []

    def ask(
        parent: object, session: UiSession, reason: str = "", *, action: str = PRICE_APPROVAL
    ) -> ApprovalToken | None:
        asked.append(reason)
        if approver is None:
            return None
        return auth.approve(
            session.ctx, session.user, EMAILS[approver], PASSWORDS[approver], action=action
        )

    monkeypatch.setattr(ApprovalDialog, "ask", ask)
    return asked


def approve_new_price(qtbot: QtBot, screen: CheckoutScreen, price: str) -> None:
    """Change the selected line's price as a cashier, with the manager logging in on the till."""
    screen.price_button.click()
    approval = screen.sale_actions.approval_dialog
    assert approval is not None and approval.isVisible()
    approval.email_edit.setText(EMAILS[Role.MANAGER])
    approval.password_edit.setText(PASSWORDS[Role.MANAGER])
    approval.approve_button.click()
    qtbot.waitUntil(lambda: screen.sale_actions.price_dialog is not None)
    dialog = screen.sale_actions.price_dialog
    assert dialog is not None
    dialog.set_price_text(price)
    dialog.apply_button.click()


def park_and_recall(qtbot: QtBot, screen: CheckoutScreen, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sale_actions, "ask_label", lambda parent: "later")
    screen.park_button.click()
    qtbot.waitUntil(lambda: not screen.busy and screen.cart_model.is_empty())
    recall_parked(qtbot, screen)


def recall_parked(qtbot: QtBot, screen: CheckoutScreen) -> None:
    """Recall the one parked cart."""
    screen.recall_button.click()
    dialog = screen.sale_actions.recall_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.busy and dialog.model.rowCount() == 1)
    dialog.recall_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: not screen.busy)  # today's promotions are read for the cart


def override_entries(ctx: ServiceContext, session_for: SessionFor) -> list[audit.AuditEvent]:
    owner = session_for(Role.OWNER).user
    return audit.list_audit(ctx, owner, action=audit.PRICE_OVERRIDE).items


def sales_count(ctx: ServiceContext, session_for: SessionFor) -> int:
    return len(checkout.recent_sales(ctx, session_for(Role.OWNER).user, limit=50))


def test_a_price_a_manager_approved_is_charged_and_audited_with_the_manager(
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
    line = screen.cart_model.line(0)
    assert line.approver is not None and line.approver.id == manager.id
    assert screen.cart_model.approvals.override_approver() == line.approver
    tip = screen.cart_model.data(screen.cart_model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Price changed from €1.50, approved by Max Manager"
    asked = answer_approvals(monkeypatch, None)

    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert asked == []
    assert [(item.unit_price_cents, item.gross_cents) for item in receipt.receipt.lines] == [
        (100, 200)
    ]
    [entry] = override_entries(ui_ctx, session_for)
    assert entry.user_id == cashier.user.id
    assert (entry.detail["approved_by_id"], entry.detail["approved_by"]) == (
        manager.id,
        "Max Manager",
    )


def test_a_recalled_cart_whose_approver_left_meanwhile_asks_at_pay(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = session_for(Role.CASHIER)
    owner = session_for(Role.OWNER).user
    manager = session_for(Role.MANAGER).user
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, "2*COLA-330")
    approve_new_price(qtbot, screen, "1.00")
    monkeypatch.setattr(sale_actions, "ask_label", lambda parent: "later")
    screen.park_button.click()
    qtbot.waitUntil(lambda: not screen.busy and screen.cart_model.is_empty())
    users.set_user_active(ui_ctx, owner, manager.id, False)
    recall_parked(qtbot, screen)
    assert screen.cart_model.cart.price_overrides() == {screen.cart_model.line(0).product_id: 100}
    assert screen.cart_model.approvals.needs_override_approval()

    asked = answer_approvals(monkeypatch, None)
    screen.pay_button.click()
    assert asked == ["A manager or the owner must approve the changed prices in this sale."]
    assert screen.pay_dialog is None
    assert "Nothing was sold" in screen.message_label.text()
    assert screen.cart_model.rowCount() == 1 and sales_count(ui_ctx, session_for) == 0

    asked = answer_approvals(monkeypatch, Role.OWNER)
    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert len(asked) == 1
    assert [item.unit_price_cents for item in receipt.receipt.lines] == [100]
    [entry] = override_entries(ui_ctx, session_for)
    assert (entry.user_id, entry.detail["approved_by_id"]) == (cashier.user.id, owner.id)


def test_a_manager_pays_a_recalled_changed_price_without_approval(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = session_for(Role.MANAGER)
    screen = open_checkout(qtbot, manager)
    scan(qtbot, screen, "COLA-330")
    screen.cart_model.set_override(0, 120)
    park_and_recall(qtbot, screen, monkeypatch)
    asked = answer_approvals(monkeypatch, None)
    confirm(qtbot, screen, open_pay(qtbot, screen))
    assert asked == []
    [entry] = override_entries(ui_ctx, session_for)
    assert entry.user_id == entry.detail["approved_by_id"] == manager.user.id


def test_an_approval_the_service_refuses_is_asked_for_again(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = session_for(Role.CASHIER)
    owner = session_for(Role.OWNER).user
    manager = session_for(Role.MANAGER).user
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, "COLA-330")
    approve_new_price(qtbot, screen, "1.00")
    users.set_user_active(ui_ctx, owner, manager.id, False)

    pay = open_pay(qtbot, screen)
    pay.confirm_button.click()
    qtbot.waitUntil(lambda: pay.error_label.isVisible() and not pay.busy)
    assert "deactivated" in pay.error_label.text()
    pay.reject()
    qtbot.waitUntil(lambda: not pay.isVisible())
    assert screen.cart_model.approvals.needs_override_approval()
    assert sales_count(ui_ctx, session_for) == 0

    asked = answer_approvals(monkeypatch, Role.OWNER)
    confirm(qtbot, screen, open_pay(qtbot, screen))
    assert len(asked) == 1
    [entry] = override_entries(ui_ctx, session_for)
    assert (entry.user_id, entry.detail["approved_by_id"]) == (cashier.user.id, owner.id)
