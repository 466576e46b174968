from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from pos_app.db.models import Sale
from pos_app.services import checkout, receipts, refunds, shifts
from pos_app.services.access import UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.payments import CARD, CASH, PaymentIn
from pos_app.services.roles import Role
from pos_app.ui.printing import documents_dir
from pos_app.ui.session import UiSession
from pos_app.ui.shifts import ShiftScreen
from pos_app.ui.shifts import zreport_dialog as zreport_module
from pos_app.ui.shifts.zreport_dialog import ZReportDialog

SessionFor = Callable[[Role], UiSession]


def open_screen(qtbot: QtBot, session: UiSession) -> ShiftScreen:
    screen = ShiftScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    qtbot.waitUntil(lambda: screen.loaded)
    return screen


def trade(ctx: ServiceContext, user: UserSession, products: dict[str, ProductInfo]) -> None:
    """Cash €3.00 (paid with €5.00), card €2.49, then €1.50 back in cash."""
    cola, choc = products["COLA-330"], products["CHOC-MILK"]
    cash = checkout.purchase(
        ctx, user, [PurchaseLine(cola.id, 2)], payments=[PaymentIn(CASH, 300, 500)]
    )
    checkout.purchase(ctx, user, [PurchaseLine(choc.id, 1)], payments=[PaymentIn(CARD, 249)])
    assert cash.sale_id is not None
    line = receipts.get_receipt(ctx, user, cash.sale_id).lines[0]
    refunds.refund(
        ctx,
        user,
        cash.sale_id,
        [(line.sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )


def wait_report(qtbot: QtBot, screen: ShiftScreen, previous: object = None) -> ZReportDialog:
    qtbot.waitUntil(
        lambda: screen.zreport_dialog is not None and screen.zreport_dialog is not previous
    )
    dialog = screen.zreport_dialog
    assert dialog is not None
    return dialog


@pytest.mark.usefixtures("closed_till")
def test_a_shift_opened_with_a_float_and_closed_short_shows_the_z_report(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    cashier = session_for(Role.CASHIER)
    screen = open_screen(qtbot, cashier)
    assert screen.pages.currentWidget() is screen.open_page and screen.history is None
    screen.float_edit.setText("-5")
    screen.open_button.click()
    assert screen.float_errors.message("float_cents") == "The amount cannot be negative."
    screen.float_edit.setText("100,00")
    qtbot.keyClick(screen.float_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.current_page)
    shift = screen.shift
    assert shift is not None and shift.float_cents == 10_000
    assert screen.message_label.text() == f"Shift {shift.id} opened with a float of €100.00."
    assert "float of €100.00" in screen.shift_details.text()

    trade(ui_ctx, cashier.user, products)
    qtbot.keyClick(screen.refresh_button, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: "€101.50" in screen.live_report.toPlainText())

    qtbot.keyClick(screen.refresh_button, Qt.Key.Key_F10)
    dialog = screen.close_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.counted_edit.setText("a lot")
    dialog.save_button.click()
    assert dialog.errors.message("counted_cents") == "Enter an amount such as 12.50."
    dialog.counted_edit.setText("101.00")
    dialog.save_button.click()
    report_dialog = wait_report(qtbot, screen)
    report = report_dialog.report
    assert report.sales_count == 2 and report.revenue_cents == 549
    assert report.expected_cash_cents == 10_000 + 300 - 150
    assert report.counted_cents == 10_100 and report.difference_cents == -50
    assert report_dialog.summary_label.text() == "The drawer is short by €0.50."
    text = report_dialog.plain_text()
    for expected in ("Expected cash", "€101.50", "Counted", "€101.00", "Difference", "-€0.50"):
        assert expected in text
    assert "Refunds (1)" in text and "Cash (1)" in text and "Card (1)" in text
    pdf = documents_dir(cashier.settings) / "zreports" / f"Z{shift.id:08d}.pdf"
    assert report_dialog.pdf_path == pdf
    assert pdf.read_bytes().startswith(b"%PDF")
    assert report_dialog.status_label.text() == f"Saved as {pdf}"
    report_dialog.print_button.click()
    assert report_dialog.status_label.text() == (
        f"No printer is connected to this till. A PDF copy is kept at {pdf}."
    )
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.open_page)
    assert screen.shift is None and screen.message_label.text() == f"Shift {shift.id} is closed."


@pytest.mark.usefixtures("closed_till")
def test_a_past_z_report_is_reopened_from_the_list_of_shifts(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    cashier = session_for(Role.CASHIER).user
    first = shifts.open_shift(ui_ctx, cashier, 5_000)
    trade(ui_ctx, cashier, products)
    shifts.close_shift(ui_ctx, cashier, 5_150)
    second = shifts.open_shift(ui_ctx, cashier, 2_000)

    screen = open_screen(qtbot, session_for(Role.MANAGER))
    history = screen.history
    assert history is not None
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)  # the seeded shift is the third
    qtmodeltester.check(history.model)
    assert [row.id for row in history.model.rows()][:2] == [second.id, first.id]
    assert history.model.index(1, 8).data() == "€0.00"
    assert history.model.index(0, 4).data() == "open"
    assert history.count_label.text() == "3 shifts"
    assert screen.shift is not None and screen.shift.id == second.id

    pdf = documents_dir(screen._session.settings) / "zreports" / f"Z{first.id:08d}.pdf"
    history.select(1)
    history.show_button.click()
    dialog = wait_report(qtbot, screen)
    assert dialog.report.shift.id == first.id
    assert dialog.report.expected_cash_cents == 5_150 and dialog.report.difference_cents == 0
    assert dialog.summary_label.text() == "The drawer matches the expected cash."
    assert pdf.read_bytes().startswith(b"%PDF")

    chosen = tmp_path / "again.pdf"
    monkeypatch.setattr(zreport_module, "ask_pdf_path", lambda parent, suggested: chosen)
    dialog.save_button.click()
    assert chosen.read_bytes().startswith(b"%PDF")
    assert dialog.status_label.text() == f"Saved {chosen}."

    history.table.doubleClicked.emit(history.model.index(0, 0))
    still_open = wait_report(qtbot, screen, dialog)
    assert still_open.report.shift.id == second.id and still_open.pdf_path is None
    assert still_open.summary_label.text().startswith("The shift is still open")


def test_the_owner_sees_the_sales_rung_with_no_shift_and_a_manager_does_not(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    owner = session_for(Role.OWNER)
    screen = open_screen(qtbot, owner)
    unshifted = screen.unshifted
    assert unshifted is not None
    qtbot.waitUntil(lambda: unshifted.count_label.text().startswith("None"))

    cashier = session_for(Role.CASHIER).user
    sale = checkout.purchase(ui_ctx, cashier, [PurchaseLine(products["COLA-330"].id, 2)])
    assert sale.sale_id is not None
    with ui_ctx.unit_of_work() as session:  # as a sale rung before shifts were required
        session.execute(update(Sale).where(Sale.id == sale.sale_id).values(shift_id=None))
        session.commit()
    screen.refresh()
    qtbot.waitUntil(lambda: unshifted.model.rowCount() == 1)
    qtmodeltester.check(unshifted.model)
    assert [unshifted.model.index(0, c).data() for c in (0, 1, 2, 4, 5)] == [
        "Sale",
        f"R{sale.sale_id:08d}",
        "till-ui",
        "Cara Cashier",
        "€3.00",
    ]
    assert unshifted.count_label.text() == (
        "1 sale or refund is on no Z report; reconcile it by hand."
    )
    assert open_screen(qtbot, session_for(Role.MANAGER)).unshifted is None
