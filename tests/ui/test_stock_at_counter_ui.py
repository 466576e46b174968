"""Stock at the counter: bad quantities are refused with a message, and a manager can count
the stock of a short line from the till and sell it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from pos_app.services import audit, auth, catalog
from pos_app.services.access import STOCK_COUNT_APPROVAL, ApprovalToken
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui import approval
from pos_app.ui.checkout.cart_model import Column
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.session import UiSession
from tests.ui.conftest import EMAILS, PASSWORDS
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0*COLA-330", "A quantity of 0 is not possible; enter from 1 to 9,999."),
        ("-1*COLA-330", "A quantity of -1 is not possible; enter from 1 to 9,999."),
        ("99999*COLA-330", "A quantity of 99999 is not possible; enter from 1 to 9,999."),
    ],
)
def test_a_quantity_out_of_range_is_refused_with_a_message_not_changed(
    qtbot: QtBot, session_for: SessionFor, typed: str, message: str
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, typed)
    assert screen.cart_model.is_empty()
    assert screen.message_label.text() == f"Nothing was added. {message}"


def test_the_quantity_editor_refuses_zero_and_too_many_and_keeps_the_line(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "2*COLA-330")
    for typed, shown in (("0", "0"), ("-1", "-1"), ("99999", "99999")):
        screen.cart_view.edit_quantity(0)
        editor = screen.cart_view.findChild(QSpinBox, "quantityEditor")
        assert editor is not None
        editor.lineEdit().setText(typed)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(screen.scan_field.hasFocus)
        assert screen.cart_model.line(0).quantity == 2
        assert screen.message_label.text() == (
            f"A quantity of {shown} is not possible; enter from 1 to 9,999."
        )
    scan(qtbot, screen, "9998*COLA-330")
    assert screen.cart_model.line(0).quantity == 2
    assert screen.message_label.text() == (
        "Nothing was added. Cola 330 ml has 2 in the cart; a line can have at most 9,999."
    )


def test_too_many_for_the_stock_warns_when_entered_in_the_editor(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "CHOC-MILK")
    screen.cart_view.edit_quantity(0)
    editor = screen.cart_view.findChild(QSpinBox, "quantityEditor")
    assert editor is not None
    editor.setValue(5)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(screen.scan_field.hasFocus)
    assert screen.message_label.text().startswith("Milk chocolate bar: 5 wanted but only 3")
    assert not screen.pay_button.isEnabled()


def count_and_sell(qtbot: QtBot, screen: CheckoutScreen, counted: int, reason: str) -> None:
    screen.count_button.click()
    qtbot.waitUntil(lambda: screen.stock_count.dialog is not None)
    dialog = screen.stock_count.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.counted_spin.setValue(counted)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.errors.message("reason")))  # a reason is needed
    assert not dialog.busy
    dialog.reason_edit.setText(reason)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.save_button.click()


def test_a_cashier_has_a_manager_approve_a_count_then_sells_the_short_line(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = session_for(Role.MANAGER).user
    asked: list[str] = []

    def approve(
        parent: object, session: UiSession, reason: str, *, action: str = ""
    ) -> ApprovalToken:
        asked.append(reason)
        assert action == STOCK_COUNT_APPROVAL
        return auth.approve(
            session.ctx, session.user, EMAILS[Role.MANAGER], PASSWORDS[Role.MANAGER], action=action
        )

    monkeypatch.setattr(approval.ApprovalDialog, "ask", staticmethod(approve))
    cashier = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, cashier)
    scan(qtbot, screen, "5*CHOC-MILK")
    assert screen.cart_model.index(0, Column.STOCK).data() == "Only 3 in stock"
    count_and_sell(qtbot, screen, 6, "a box behind the counter")
    assert asked == [
        "A manager or the owner must approve counting the stock of Milk chocolate bar."
    ]
    assert screen.message_label.text() == (
        "Stock of Milk chocolate bar counted: 6 (the till had 3)."
    )
    assert screen.cart_model.index(0, Column.STOCK).data() == ""
    assert screen.pay_button.isEnabled()
    confirm(qtbot, screen, open_pay(qtbot, screen))
    chocolate = catalog.get_product(ui_ctx, cashier.user, products["CHOC-MILK"].id)
    assert chocolate.quantity == 1
    owner = session_for(Role.OWNER).user
    [entry] = audit.list_audit(ui_ctx, owner, action=audit.STOCK_COUNTED).items
    assert entry.detail["approved_by_id"] == manager.id and entry.detail["counted"] == 6


def test_without_approval_nothing_is_counted(
    qtbot: QtBot, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(approval.ApprovalDialog, "ask", staticmethod(lambda *args, **kw: None))
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "5*CHOC-MILK")
    screen.count_button.click()
    assert screen.stock_count.dialog is None
    assert screen.message_label.text() == (
        "The stock was not counted: it needs a manager's approval."
    )
    assert not screen.pay_button.isEnabled()
