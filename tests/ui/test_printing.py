from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pos_app.services import checkout, receipts, refunds, shifts
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.money import ShopFormat
from pos_app.services.payments import CARD, CASH, PaymentIn
from pos_app.services.roles import Role
from pos_app.ui import documents, printing
from pos_app.ui.printing import PrintOutcome, documents_dir, print_html, save_pdf
from pos_app.ui.receipts import view
from pos_app.ui.session import UiSession
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan, two_tax_rates

SessionFor = Callable[[Role], UiSession]


def sell(ctx: ServiceContext, session: UiSession, products: dict[str, ProductInfo]) -> int:
    lines = [
        PurchaseLine(products["COLA-330"].id, 2),
        PurchaseLine(products["CRISP-SALT"].id, 1),
    ]
    payments = [PaymentIn(CARD, 200), PaymentIn(CASH, 299, 500)]
    result = checkout.purchase(ctx, session.user, lines, payments=payments)
    assert result.sale_id is not None
    return result.sale_id


def test_a_pdf_is_written_on_a_receipt_roll_or_on_a4(tmp_path: Path, qtbot: QtBot) -> None:
    html = "<p>Corner Shop</p>" + "<p>line</p>" * 40
    roll = save_pdf(html, tmp_path / "deep" / "roll.pdf", page_width_mm=80)
    page = save_pdf(html, tmp_path / "a4.pdf")
    for path in (roll, page):
        assert path.read_bytes().startswith(b"%PDF")
    assert b"/MediaBox" in roll.read_bytes()


def test_without_a_printer_printing_returns_at_once(qtbot: QtBot) -> None:
    assert QPrinterInfo.availablePrinters() == []
    parent = QWidget()
    qtbot.addWidget(parent)
    assert print_html(parent, "<p>x</p>") is PrintOutcome.NO_PRINTER
    assert printing.outcome_message(PrintOutcome.NO_PRINTER, Path("/tmp/R1.pdf")) == (
        "No printer is connected to this till. A PDF copy is kept at /tmp/R1.pdf."
    )


def test_with_a_printer_the_document_is_sent_to_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "printed.pdf"

    def pdf_printer() -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(printing, "default_printer", pdf_printer)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert print_html(parent, "<p>Receipt</p>", preview=False) is PrintOutcome.PRINTED
    assert target.read_bytes().startswith(b"%PDF")


def test_print_on_a_till_without_printer_says_so_and_keeps_the_pdf(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "COLA-330")
    dialog = confirm(qtbot, screen, open_pay(qtbot, screen))
    pdf = documents_dir(session.settings) / "receipts" / f"{dialog.receipt.number}.pdf"
    pdf.unlink()
    dialog.print_button.click()
    message = dialog.status_label.text()
    assert message.startswith("No printer is connected to this till.")
    assert str(pdf) in message
    assert dialog.status_label.property("role") == "error"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert dialog.isVisible()


def test_save_pdf_writes_where_the_cashier_chose(
    qtbot: QtBot,
    session_for: SessionFor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "WATER-500")
    dialog = confirm(qtbot, screen, open_pay(qtbot, screen))
    chosen = tmp_path / "usb" / "copy.pdf"
    monkeypatch.setattr(view, "ask_pdf_path", lambda parent, suggested: chosen)
    dialog.save_button.click()
    assert chosen.read_bytes().startswith(b"%PDF")
    assert dialog.status_label.text() == f"Saved {chosen}."
    monkeypatch.setattr(view, "ask_pdf_path", lambda parent, suggested: None)
    dialog.save_button.click()
    assert dialog.status_label.text() == f"Saved {chosen}."


def test_a_receipt_shows_tax_per_rate_payments_and_escapes_names(
    ui_ctx: ServiceContext,
    session_for: SessionFor,
    products: dict[str, ProductInfo],
) -> None:
    owner = session_for(Role.OWNER)
    two_tax_rates(ui_ctx, owner.user, products)
    sale_id = sell(ui_ctx, owner, products)
    receipt = receipts.get_receipt(ui_ctx, owner.user, sale_id, shop_name="<Shop & Co>")
    html = documents.receipt_html(receipt, ShopFormat())
    assert "&lt;Shop &amp; Co&gt;" in html and "<Shop" not in html
    for expected in ("7 %", "19 %", receipt.number, "€4.99", "€2.00", "€5.00", "€2.01"):
        assert expected in html
    assert "COPY" not in html and "COPY" in documents.receipt_html(receipt, ShopFormat(), copy=True)


@pytest.mark.usefixtures("closed_till")
def test_refund_slips_and_z_reports_render(
    ui_ctx: ServiceContext,
    session_for: SessionFor,
    products: dict[str, ProductInfo],
) -> None:
    cashier = session_for(Role.CASHIER)
    shifts.open_shift(ui_ctx, cashier.user, 5000)
    sale_id = sell(ui_ctx, cashier, products)
    receipt = receipts.get_receipt(ui_ctx, cashier.user, sale_id)
    item = receipt.lines[0]
    refund = refunds.refund(
        ui_ctx,
        cashier.user,
        sale_id,
        [(item.sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    slip = documents.refund_html(refund, ShopFormat(), shop_name="Corner Shop")
    assert refund.number in slip and receipt.number in slip and "-€1.50" in slip
    again = receipts.get_receipt(ui_ctx, cashier.user, sale_id)
    assert refund.number in documents.receipt_html(again, ShopFormat())
    report = shifts.close_shift(ui_ctx, cashier.user, 5299 - 150)
    z = documents.zreport_html(report, ShopFormat(), shop_name="Corner Shop")
    assert "Z report" in z and "€4.99" in z and "Expected cash" in z
