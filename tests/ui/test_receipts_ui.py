from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.services import checkout, receipts, refunds
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.ui.printing import documents_dir
from pos_app.ui.receipts import ReceiptsScreen, view
from pos_app.ui.session import UiSession

SessionFor = Callable[[Role], UiSession]


def sell(ctx: ServiceContext, session: UiSession, product: ProductInfo, quantity: int) -> int:
    result = checkout.purchase(ctx, session.user, [PurchaseLine(product.id, quantity)])
    assert result.sale_id is not None
    return result.sale_id


@pytest.fixture
def cashier(session_for: SessionFor) -> UiSession:
    return session_for(Role.CASHIER)


@pytest.fixture
def screen(qtbot: QtBot, cashier: UiSession) -> ReceiptsScreen:
    widget = ReceiptsScreen(cashier)
    qtbot.addWidget(widget)
    widget.resize(1100, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_scanned_receipt_number_opens_that_receipt(
    qtbot: QtBot,
    screen: ReceiptsScreen,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    first = sell(ui_ctx, cashier, products["COLA-330"], 2)
    sell(ui_ctx, cashier, products["WATER-500"], 1)
    number = f"R{first:08d}"
    qtbot.keyClicks(screen.number_edit, number)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None and screen.receipt.sale_id == first)
    assert screen.model.rowCount() == 1
    assert screen.model.index(0, 0).data() == number
    text = screen.preview.toPlainText()
    assert number in text and "Cola 330 ml" in text and "Corner Shop" in text
    assert f"Receipt {number} from" in screen.message_label.text()

    screen.look_up(f"r{first}")
    qtbot.waitUntil(lambda: screen.message_label.text().startswith(f"Receipt {number}"))
    screen.look_up("R99999999")
    qtbot.waitUntil(lambda: screen.message_label.property("role") == "error")
    assert screen.message_label.text() == "There is no receipt R99999999."
    screen.look_up("not a number")
    qtbot.waitUntil(lambda: "such as R00000042" in screen.message_label.text())


def test_a_day_lists_its_receipts_newest_first(
    qtbot: QtBot,
    screen: ReceiptsScreen,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    older = sell(ui_ctx, cashier, products["COLA-330"], 1)
    newer = sell(ui_ctx, cashier, products["CRISP-SALT"], 1)
    today = ui_ctx.local_date(ui_ctx.now())
    screen.refresh()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2)
    qtmodeltester.check(screen.model)
    assert [row.sale_id for row in screen.model.rows()] == [newer, older]
    assert "2 receipts on" in screen.message_label.text()
    qtbot.waitUntil(lambda: screen.receipt is not None and screen.receipt.sale_id == newer)
    screen.table.selectRow(1)
    qtbot.waitUntil(lambda: screen.receipt is not None and screen.receipt.sale_id == older)
    assert "Cola 330 ml" in screen.preview.toPlainText()

    screen.show_day(today - timedelta(days=1))
    qtbot.waitUntil(lambda: screen.model.rowCount() == 0)
    assert screen.message_label.text().startswith("No receipts on")
    assert screen.receipt is None and not screen.print_button.isEnabled()
    screen.show_day(today)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2)
    # the listing selects the newest receipt and reads it: wait for that before the test ends
    qtbot.waitUntil(lambda: screen.receipt is not None and screen.receipt.sale_id == newer)


def test_a_reprint_without_printer_says_so_and_keeps_the_pdf(
    qtbot: QtBot,
    screen: ReceiptsScreen,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sale_id = sell(ui_ctx, cashier, products["CHOC-MILK"], 1)
    screen.look_up(str(sale_id))
    qtbot.waitUntil(lambda: screen.receipt is not None)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F5)
    pdf = documents_dir(cashier.settings) / "receipts" / f"R{sale_id:08d}.pdf"
    assert screen.message_label.text() == (
        f"No printer is connected to this till. A PDF copy is kept at {pdf}."
    )
    assert pdf.read_bytes().startswith(b"%PDF")

    chosen = tmp_path / "copy.pdf"
    monkeypatch.setattr(view, "ask_pdf_path", lambda parent, suggested: chosen)
    screen.save_button.click()
    assert chosen.read_bytes().startswith(b"%PDF")
    assert screen.message_label.text() == f"Saved {chosen}."


def test_refunded_receipts_are_marked_and_a_refund_slip_is_found_by_number(
    qtbot: QtBot,
    screen: ReceiptsScreen,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    partly = sell(ui_ctx, cashier, products["COLA-330"], 2)
    wholly = sell(ui_ctx, cashier, products["WATER-500"], 1)
    kept = sell(ui_ctx, cashier, products["CRISP-SALT"], 1)
    slips = {}
    for sale_id, quantity in ((partly, 1), (wholly, 1)):
        item = receipts.get_receipt(ui_ctx, cashier.user, sale_id).lines[0].sale_item_id
        slips[sale_id] = refunds.refund(
            ui_ctx,
            cashier.user,
            sale_id,
            [(item, quantity)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    screen.show_day(screen.chosen_day())
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3)
    marks = {
        screen.model.index(row, 0).data(): screen.model.index(row, 5).data() for row in range(3)
    }
    assert marks == {f"R{partly:08d}": "€1.50", f"R{wholly:08d}": "all", f"R{kept:08d}": ""}

    slip = slips[partly]
    qtbot.keyClicks(screen.number_edit, slip.number)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.message_label.text().startswith(f"Refund slip {slip.number}"))
    assert f"R{partly:08d}" in screen.message_label.text()
    assert "REFUND" in screen.preview.toPlainText() and slip.number in screen.preview.toPlainText()


def test_a_refund_slip_found_by_number_is_reprinted_and_saved_like_a_receipt(
    qtbot: QtBot,
    screen: ReceiptsScreen,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sale_id = sell(ui_ctx, cashier, products["COLA-330"], 2)
    item = receipts.get_receipt(ui_ctx, cashier.user, sale_id).lines[0].sale_item_id
    slip = refunds.refund(
        ui_ctx,
        cashier.user,
        sale_id,
        [(item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    screen.look_up(slip.number)
    qtbot.waitUntil(lambda: screen.refund is not None)
    assert screen.receipt is None and screen.print_button.isEnabled()
    assert "COPY" not in screen.preview.toPlainText()
    assert (
        "Reason" in screen.preview.toPlainText() and "Changed mind" in screen.preview.toPlainText()
    )
    assert screen.message_label.text() == (
        f"Refund slip {slip.number}: €1.50 paid back against receipt {slip.receipt_number}. "
        "Reason: Changed mind"
    )

    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F5)
    pdf = documents_dir(cashier.settings) / "refunds" / f"{slip.number}.pdf"
    assert screen.message_label.text() == (
        f"No printer is connected to this till. A PDF copy is kept at {pdf}."
    )
    assert pdf.read_bytes().startswith(b"%PDF")

    pages: list[str] = []
    chosen = tmp_path / "slip.pdf"

    def ask(parent: object, suggested: object) -> Path:
        return chosen

    real_save = view.save_pdf_as
    monkeypatch.setattr(view, "ask_pdf_path", ask)
    monkeypatch.setattr(
        view,
        "save_pdf_as",
        lambda parent, number, html, asker: (
            pages.append(html) or real_save(parent, number, html, asker)
        ),
    )
    screen.save_button.click()
    assert chosen.read_bytes().startswith(b"%PDF")
    assert "REFUND COPY" in pages[0] and slip.number in pages[0]

    screen.look_up(f"R{sale_id:08d}")  # a receipt shown again: the slip is no longer what prints
    qtbot.waitUntil(lambda: screen.receipt is not None)
    assert screen.refund is None
