"""The shop-day screens for scripts/screenshots.py: refund, shift, Z report and audit log.

Plays a short day on the till first (log-ins, two earlier shifts, sales, refunds, a void), so the
screens show figures a shop would see.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from pos_app.services import auth, catalog, checkout, receipts, refunds, shifts, voids
from pos_app.services.access import UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import AuthenticationError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.money import format_plain
from pos_app.services.paging import PageRequest
from pos_app.services.payments import CARD, CASH, PaymentIn
from pos_app.ui.audit import AuditScreen
from pos_app.ui.main_window import MainWindow
from pos_app.ui.refunds import RefundsScreen
from pos_app.ui.shifts import ShiftScreen

Settle = Callable[..., None]
Save = Callable[[QWidget, Path, str], None]


def _sell(
    ctx: ServiceContext, user: UserSession, items: list[tuple[ProductInfo, int]], card: bool
) -> int:
    total = sum(product.price_cents * quantity for product, quantity in items)
    paid = PaymentIn(CARD, total) if card else PaymentIn(CASH, total, -(-total // 500) * 500)
    lines = [PurchaseLine(product.id, quantity) for product, quantity in items]
    result = checkout.purchase(ctx, user, lines, payments=[paid])
    if result.sale_id is None:
        raise SystemExit(f"a demo sale failed: {result.failed}")
    return result.sale_id


def _refund_first_line(ctx: ServiceContext, user: UserSession, sale_id: int) -> None:
    line = receipts.get_receipt(ctx, user, sale_id).lines[0]
    refunds.refund(
        ctx,
        user,
        sale_id,
        [(line.sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )


def _past_shift(
    ctx: ServiceContext, user: UserSession, stock: list[ProductInfo], short_cents: int
) -> None:
    shift = shifts.open_shift(ctx, user, 15_000)
    for number in range(6):
        picks = [(stock[(number * 3 + k) % len(stock)], 1 + (number + k) % 3) for k in range(3)]
        _sell(ctx, user, picks, card=number % 3 == 0)
    expected = shifts.z_report(ctx, user, shift.id).expected_cash_cents
    shifts.close_shift(ctx, user, expected - short_cents)


def play_the_day(ctx: ServiceContext, owner: UserSession) -> int:
    """Earlier shifts, then an open one with sales and refunds; returns a sale to refund from."""
    cashier = auth.login(ctx, "cashier@till.example", "cashier-pass-1").session
    manager = auth.login(ctx, "manager@till.example", "manager-pass-1").session
    with suppress(AuthenticationError):
        auth.login(ctx, "manager@till.example", "not-my-password")
    listed = catalog.list_products(
        ctx, owner, page=PageRequest(limit=80), include_inactive=False
    ).items
    stock = [product for product in listed if product.quantity >= 20][:12]
    _past_shift(ctx, cashier, stock, short_cents=0)
    _past_shift(ctx, manager, stock[4:], short_cents=250)
    shifts.open_shift(ctx, owner, 15_000)
    for number in range(5):
        picks = [(stock[(number + k) % len(stock)], 1 + k) for k in range(2)]
        sale_id = _sell(ctx, owner, picks, card=number % 2 == 1)
        if number == 1:
            _refund_first_line(ctx, owner, sale_id)
    voids.void_cart(ctx, owner, [HeldLine(stock[0].id, 2)])
    return _sell(ctx, owner, [(stock[2], 2), (stock[5], 1), (stock[7], 3)], card=False)


def shoot_shop_day(
    app: QApplication,
    window: MainWindow,
    ctx: ServiceContext,
    out: Path,
    settle: Settle,
    save: Save,
) -> None:
    sale_id = play_the_day(ctx, window.session.user)

    window.show_screen("refunds")
    refund_screen = window.screens["refunds"]
    assert isinstance(refund_screen, RefundsScreen)
    refund_screen.look_up(receipts.receipt_number(sale_id))
    settle(app, lambda: refund_screen.receipt is not None)
    spin = refund_screen.lines_view.spin_box(2)
    if spin is not None:
        spin.setValue(1)
    refund_screen.lines_view.selectRow(2)
    refund_screen.reason_field.setEditText("Wrong item")
    settle(app)
    save(window, out, "refund")

    window.show_screen("shift")
    shift_screen = window.screens["shift"]
    assert isinstance(shift_screen, ShiftScreen)
    history = shift_screen.history
    settle(app, lambda: shift_screen.shift is not None and (history is None or history.model.total))
    save(window, out, "shift")

    shift = shift_screen.shift
    assert shift is not None
    expected = shifts.z_report(ctx, window.session.user, shift.id).expected_cash_cents
    shift_screen.close_button.click()
    settle(app, lambda: shift_screen.close_dialog is not None)
    close = shift_screen.close_dialog
    assert close is not None
    close.counted_edit.setText(format_plain(expected - 340))
    close.save_button.click()
    settle(app, lambda: shift_screen.zreport_dialog is not None)
    report = shift_screen.zreport_dialog
    assert report is not None
    settle(app)
    save(report, out, "zreport")
    report.accept()

    window.show_screen("audit")
    audit_screen = window.screens["audit"]
    assert isinstance(audit_screen, AuditScreen)
    settle(app, lambda: audit_screen.model.rowCount() > 0)
    refund_row = next(
        (row for row, event in enumerate(audit_screen.model.rows()) if event.action == "refund"),
        0,
    )
    audit_screen.table.selectRow(refund_row)
    settle(app)
    save(window, out, "audit")
