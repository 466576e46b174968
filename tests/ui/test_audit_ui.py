from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from pos_app.services import audit, auth, catalog, checkout, receipts, refunds, shifts, voids
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.paging import PageRequest
from pos_app.services.roles import Role
from pos_app.ui.approval import ApprovalDialog
from pos_app.ui.audit import AuditScreen
from pos_app.ui.audit.columns import key_label, summary
from pos_app.ui.session import UiSession
from tests.ui.conftest import EMAILS, PASSWORDS

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def screen(
    closed_till: None,
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> AuditScreen:
    """A cashier's shift with a sale refunded, a failed log-in, and the owner at the screen."""
    cashier = session_for(Role.CASHIER).user
    shifts.open_shift(ui_ctx, cashier, 2_000)
    sale = checkout.purchase(ui_ctx, cashier, [PurchaseLine(products["COLA-330"].id, 2)])
    assert sale.sale_id is not None
    line = receipts.get_receipt(ui_ctx, cashier, sale.sale_id).lines[0]
    refunds.refund(
        ui_ctx,
        cashier,
        sale.sale_id,
        [(line.sale_item_id, 1)],
        reason="Wrong size",
        refund_uuid=refunds.new_refund_uuid(),
    )
    with pytest.raises(AuthenticationError):
        auth.login(ui_ctx, EMAILS[Role.MANAGER], "wrong-password")
    widget = AuditScreen(session_for(Role.OWNER))
    qtbot.addWidget(widget)
    widget.resize(1200, 640)
    widget.show()
    qtbot.waitExposed(widget)
    widget.refresh()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0 and widget.user_combo.count() == 4)
    return widget


def actions(screen: AuditScreen) -> list[str]:
    return [row.action for row in screen.model.rows()]


def test_the_audit_log_lists_entries_newest_first_and_filters_by_action(
    qtbot: QtBot,
    screen: AuditScreen,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    qtmodeltester.check(screen.model)
    assert actions(screen)[0] == audit.LOGIN  # the owner's own log-in
    assert {audit.REFUND, audit.SHIFT_OPEN, audit.LOGIN_FAILED} <= set(actions(screen))
    assert screen.count_label.text() == f"{screen.model.total} entries."

    screen.set_action(audit.REFUND)
    qtbot.waitUntil(lambda: actions(screen) == [audit.REFUND])
    assert screen.count_label.text() == "1 entry."
    assert screen.model.index(0, 3).data() == "Refund"
    assert screen.model.index(0, 1).data() == "Cara Cashier"
    details = screen.model.index(0, 5).data()
    assert "Total: €1.50" in details and "Tender: cash" in details
    assert "Reason: Wrong size" in details
    screen.table.selectRow(0)
    panel = screen.detail.toPlainText()
    assert "Refund" in panel and "Cara Cashier" in panel and "€1.50" in panel
    assert "Wrong size" in panel

    screen.set_action(audit.LOGIN_FAILED)
    qtbot.waitUntil(lambda: actions(screen) == [audit.LOGIN_FAILED])
    assert screen.model.index(0, 1).data() == "Max Manager"
    assert "choose an entry" in screen.detail.toPlainText().lower()
    screen.clear_button.click()
    qtbot.waitUntil(lambda: len(actions(screen)) > 2)


def test_the_user_and_the_days_narrow_the_entries(
    qtbot: QtBot, screen: AuditScreen, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    cashier = next(
        screen.user_combo.itemData(i)
        for i in range(screen.user_combo.count())
        if screen.user_combo.itemText(i) == "Cara Cashier"
    )
    screen.set_user(cashier)
    # the seeded shift's opening and closing, then the fixture's shift, refund and log-ins
    done = {audit.LOGIN, audit.SHIFT_OPEN, audit.SHIFT_CLOSE, audit.REFUND}
    qtbot.waitUntil(lambda: set(actions(screen)) == done)
    assert all(row.user_id == cashier for row in screen.model.rows())

    today = ui_ctx.local_date(ui_ctx.now())
    screen.set_days(today - timedelta(days=3), today - timedelta(days=1))
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0 and not screen.model.is_loading)
    assert screen.count_label.text() == "0 entries."
    screen.set_days(today, today)
    # with the cashier's log-ins that opened and closed the seeded shift
    qtbot.waitUntil(lambda: screen.model.rowCount() == 7)
    screen.set_days(today, today - timedelta(days=1))
    assert screen.count_label.text() == "The first day is after the last one."
    assert screen.count_label.property("role") == "error"


def test_the_log_pages_lazily(
    qtbot: QtBot, screen: AuditScreen, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    cashier = session_for(Role.CASHIER).user
    product = catalog.list_products(ui_ctx, cashier, page=PageRequest(limit=1)).items[0]
    for number in range(120):
        voids.void_cart(ui_ctx, cashier, [HeldLine(product.id, 1 + number)])
    screen.set_action(audit.VOID_CART)
    qtbot.waitUntil(lambda: screen.model.total == 120 and not screen.model.is_loading)
    assert screen.model.rowCount() == 100 and screen.model.canFetchMore()
    assert "100 loaded" in screen.count_label.text()
    screen.model.fetchMore()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 120)
    assert screen.count_label.text() == "120 entries."


def test_details_read_as_words() -> None:
    assert key_label("total_cents") == "Total"
    assert key_label("old_rate_bp") == "Old rate"
    assert key_label("sale_id") == "Sale id"
    event = audit.AuditEvent(
        1,
        datetime(2024, 5, 1, tzinfo=UTC),
        None,
        None,
        "t",
        audit.REFUND,
        "R1",
        {"lines": [[4, 2]], "ok": True, "reason": "", "by_id": None, "total_cents": 150},
    )
    assert summary(event, lambda cents: f"€{cents / 100:.2f}") == (
        "Total: €1.50, Lines: 2 of #4, Ok: yes"
    )


def test_a_managers_approval_and_a_price_change_read_as_what_they_are(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    cashier = session_for(Role.CASHIER)
    dialog = ApprovalDialog(cashier, "A new price for Cola 330 ml.")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.email_edit.setText(EMAILS[Role.MANAGER])
    dialog.password_edit.setText(PASSWORDS[Role.MANAGER])
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.approve_button.click()
    manager = session_for(Role.MANAGER).user
    catalog.update_product(ui_ctx, manager, products["COLA-330"].id, price_cents=399)

    widget = AuditScreen(session_for(Role.OWNER))
    qtbot.addWidget(widget)
    widget.resize(1000, 640)
    widget.show()
    widget.refresh()
    widget.set_action(audit.APPROVAL)
    qtbot.waitUntil(lambda: actions(widget) == [audit.APPROVAL])
    row = [widget.model.index(0, column).data() for column in (1, 3, 4, 5)]
    assert row[:3] == ["Max Manager", "Manager approval", "A new price for Cola 330 ml."]
    assert "For user: Cara Cashier" in row[3] and "Approved by: Max Manager" in row[3]
    widget.set_action(audit.PRODUCT_CHANGED)
    qtbot.waitUntil(lambda: actions(widget) == [audit.PRODUCT_CHANGED])
    assert widget.model.index(0, 3).data() == "Product changed"
    assert "Changes: Price: €1.50 → €3.99" in widget.model.index(0, 5).data()
    widget.table.selectRow(0)
    assert "Price: €1.50 → €3.99" in widget.detail.toPlainText()
