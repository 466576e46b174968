"""The counter's devices in the GUI: printer state in the status bar, the drawer after a cash
sale, the customer display following a sale, and No sale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pos_app.services import audit, checkout, drawer, shifts
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.receipt_text import Slip, printer_test_slip
from pos_app.services.roles import Role
from pos_app.services.shifts import ShiftInfo
from pos_app.ui.checkout import CheckoutScreen
from pos_app.ui.hardware import no_sale
from pos_app.ui.hardware.devices import TillDevices, current_devices, install_devices
from pos_app.ui.main_window import MainWindow
from pos_app.ui.printing import documents_dir, receipt_pdf_path
from pos_app.ui.receipts.view import print_receipt
from pos_app.ui.refunds import RefundsScreen
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.zreport_dialog import ZReportDialog
from pos_app.ui.tasks import pending_tasks
from tests.hardware.fake_printer import FakePrinter, closed_port
from tests.ui.till_helpers import confirm, open_pay, scan

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.stop()


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[Callable[[UiSession, str], MainWindow]]:
    windows: list[MainWindow] = []

    def make(session: UiSession, printer_url: str) -> MainWindow:
        settings = replace(session.settings, receipt_printer=printer_url)
        window = MainWindow(replace(session, settings=settings), settings)
        qtbot.addWidget(window)
        windows.append(window)
        window.resize(1024, 768)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    for window in windows:
        window.close()
    assert current_devices() is None


def _till_shift(session: UiSession) -> ShiftInfo:
    """The till's shift (the seeded database opens one for the cashier)."""
    shift = shifts.current_shift(session.ctx, session.user)
    assert shift is not None
    return shift


def _checkout(window: MainWindow) -> CheckoutScreen:
    screen = window.screens["checkout"]
    assert isinstance(screen, CheckoutScreen)
    return screen


def _sell_for_cash(qtbot: QtBot, screen: CheckoutScreen, code: str, tendered: str) -> None:
    scan(qtbot, screen, code)
    pay = open_pay(qtbot, screen)
    pay.tendered_edit.setText(tendered)
    confirm(qtbot, screen, pay)


def test_status_bar_shows_the_printer_offline_then_ready_after_retry(
    qtbot: QtBot, session_for: SessionFor, open_window: Callable[[UiSession, str], MainWindow]
) -> None:
    port = closed_port()
    window = open_window(session_for(Role.CASHIER), f"tcp://127.0.0.1:{port}")
    label = window.till.printer_label
    assert label.text() == "Printer ready"
    devices = window.till.devices
    assert devices.kick_drawer("test")
    qtbot.waitUntil(lambda: label.text().startswith("Printer offline"), timeout=5000)
    assert "cannot be reached" in label.toolTip()
    assert label.property("error") is True
    fake = FakePrinter()
    try:
        assert devices.queue is not None
        devices.queue.target = replace(devices.queue.target, port=fake.port)
        devices.print_slip(_any_slip(window))
        window.till.retry_print_action.trigger()
        qtbot.waitUntil(lambda: label.text() == "Printer ready", timeout=5000)
        assert fake.decoded().cuts == ["partial"]
        assert fake.decoded().kicks == 0  # the failed kick was never sent late
    finally:
        fake.stop()


def _any_slip(window: MainWindow) -> Slip:
    return printer_test_slip(window.till.devices.layout, "test", datetime(2026, 3, 10, tzinfo=UTC))


def test_a_cash_sale_opens_the_drawer_prints_the_receipt_and_is_audited(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession, str], MainWindow],
    printer: FakePrinter,
    products: dict[str, ProductInfo],
) -> None:
    session = session_for(Role.CASHIER)
    shift = _till_shift(session)
    window = open_window(session, printer.url)
    screen = _checkout(window)
    _sell_for_cash(qtbot, screen, products["COLA-330"].barcode or "", "5")
    qtbot.waitUntil(lambda: printer.job_count() >= 2, timeout=5000)
    decoded = printer.decoded(jobs=2)
    assert decoded.kicks == 1
    assert any(line.startswith("Cola 330 ml") for line in decoded.lines)
    assert decoded.barcodes and decoded.barcodes[0][1].startswith("{BR")
    # The opening is recorded once the printer's news reaches the GUI thread, after the bytes.
    qtbot.waitUntil(
        lambda: shifts.z_report(session.ctx, session.user, shift.id).drawer_openings == 1,
        timeout=5000,
    )


def test_customer_display_follows_the_cart_and_thanks_after_the_sale(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession, str], MainWindow],
    products: dict[str, ProductInfo],
) -> None:
    session = session_for(Role.CASHIER)
    window = open_window(session, "pdf")
    window.till.customer_display_action.trigger()
    display = window.till.customer_display
    assert display is not None and display.isVisible()
    assert "Welcome" in display.message_label.text()
    assert not display.lines_view.isVisible()
    screen = _checkout(window)
    scan(qtbot, screen, products["COLA-330"].barcode or "")
    scan(qtbot, screen, products["CRISP-SALT"].barcode or "")
    assert display.lines_view.model().rowCount() == 2
    assert display.lines_view.isVisible()
    view, model = display.lines_view, display.lines_view.model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    visible = [title for c, title in enumerate(titles) if not view.isColumnHidden(c)]
    assert visible == ["Product", "Qty", "Unit price", "Line total"]
    assert display.total_label.text() == "Total  €3.49"
    assert display.message_label.text() == ""
    pay = open_pay(qtbot, screen)
    pay.tendered_edit.setText("5")
    confirm(qtbot, screen, pay)
    assert display.total_label.text() == "Total  €3.49"
    assert display.change_label.text() == "Change  €1.51"
    assert display.message_label.text() == "Thank you for shopping at Corner Shop!"
    assert display.lines_view.model().rowCount() == 0
    assert not display.lines_view.isVisible()
    window.till.customer_display_action.trigger()
    assert window.till.customer_display is None


def test_no_sale_is_for_managers_asks_a_reason_kicks_and_records(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession, str], MainWindow],
    printer: FakePrinter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier_window = open_window(session_for(Role.CASHIER), printer.url)
    assert not cashier_window.till.no_sale_action.isVisible()
    cashier_window.close()
    manager = session_for(Role.MANAGER)
    window = open_window(manager, printer.url)
    assert window.till.no_sale_action.isVisible()
    monkeypatch.setattr(no_sale, "ask_reason", lambda _parent: "no")
    window.till.no_sale_action.trigger()
    qtbot.waitUntil(lambda: not window.till.no_sale.running)
    assert "Say why" in window.message_bar.label.text()
    monkeypatch.setattr(no_sale, "ask_reason", lambda _parent: "Change for a 50 note")
    window.till.no_sale_action.trigger()
    qtbot.waitUntil(lambda: not window.till.no_sale.running)
    assert window.message_bar.label.text() == "Drawer opened (no sale); the reason is recorded."
    qtbot.waitUntil(lambda: printer.job_count() == 1, timeout=5000)
    assert printer.decoded().kicks == 1
    owner = session_for(Role.OWNER)
    events = audit.list_audit(owner.ctx, owner.user, action=audit.NO_SALE).items
    assert [event.detail["reason"] for event in events] == ["Change for a 50 note"]


def test_customer_display_opens_at_start_when_set(
    session_for: SessionFor, open_window: Callable[[UiSession, str], MainWindow]
) -> None:
    session = session_for(Role.CASHIER)
    session = replace(session, settings=replace(session.settings, customer_display=True))
    window = open_window(session, "system")
    assert window.till.customer_display is not None and window.till.customer_display.isVisible()
    assert window.till.printer_label.text() == "Receipts: system printer"


@pytest.fixture
def installed_devices(qtbot: QtBot) -> Iterator[Callable[[UiSession, str], TillDevices]]:
    made: list[TillDevices] = []

    def make(session: UiSession, printer_url: str) -> TillDevices:
        settings = replace(session.settings, receipt_printer=printer_url)
        devices = TillDevices(replace(session, settings=settings))
        install_devices(devices)
        made.append(devices)
        return devices

    yield make
    qtbot.waitUntil(lambda: pending_tasks() == 0, timeout=10_000)
    for devices in made:
        devices.shutdown()


def test_a_cash_refund_prints_its_slip_opens_the_drawer_and_keeps_the_pdf(
    qtbot: QtBot,
    session_for: SessionFor,
    installed_devices: Callable[[UiSession, str], TillDevices],
    printer: FakePrinter,
    products: dict[str, ProductInfo],
) -> None:
    cashier = session_for(Role.CASHIER)
    shift = _till_shift(cashier)
    sold = checkout.purchase(
        cashier.ctx, cashier.user, [PurchaseLine(products["COLA-330"].id, 2)], payments=()
    )
    assert sold.sale_id is not None
    installed_devices(cashier, printer.url)
    screen = RefundsScreen(cashier)
    qtbot.addWidget(screen)
    screen.show()
    screen.number_edit.setText(f"R{sold.sale_id:08d}")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None)
    spin = screen.lines_view.spin_box(0)
    assert spin is not None
    spin.setValue(1)
    screen.reason_field.setEditText("Changed mind")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None
    # The slip is sent to the printer off the UI thread; the message says so once it is.
    qtbot.waitUntil(
        lambda: screen.message_label.text().endswith("Sent to the receipt printer."), timeout=5000
    )
    pdf = documents_dir(cashier.settings) / "refunds" / f"{refund.number}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: printer.job_count() == 1, timeout=5000)
    decoded = printer.decoded()
    assert decoded.kicks == 1 and decoded.barcodes == [("CODE128", "{B" + refund.number)]
    qtbot.waitUntil(
        lambda: shifts.z_report(cashier.ctx, cashier.user, shift.id).drawer_openings == 1,
        timeout=5000,
    )


def test_a_sale_completes_and_keeps_its_pdf_while_the_printer_is_off(
    qtbot: QtBot,
    session_for: SessionFor,
    open_window: Callable[[UiSession, str], MainWindow],
    products: dict[str, ProductInfo],
) -> None:
    session = session_for(Role.CASHIER)
    shift = _till_shift(session)
    window = open_window(session, f"tcp://127.0.0.1:{closed_port()}")
    screen = _checkout(window)
    scan(qtbot, screen, products["WATER-500"].barcode or "")
    pay = open_pay(qtbot, screen)
    pay.tendered_edit.setText("1")
    receipt = confirm(qtbot, screen, pay)
    assert screen.cart_model.is_empty()
    pdf = receipt_pdf_path(window.session.settings, receipt.receipt.number)
    qtbot.waitUntil(pdf.is_file, timeout=5000)
    qtbot.waitUntil(
        lambda: window.till.printer_label.text() == "Printer offline (1 waiting)", timeout=5000
    )
    assert [job.title for job in window.till.devices.queue.pending()] == [  # type: ignore[union-attr]
        f"Receipt {receipt.receipt.number}"
    ]
    assert "cash drawer did not open" in window.message_bar.label.text()
    qtbot.waitUntil(lambda: pending_tasks() == 0)
    assert shifts.z_report(session.ctx, session.user, shift.id).drawer_openings == 0


def test_a_closed_shifts_z_report_prints_with_its_drawer_openings(
    qtbot: QtBot,
    session_for: SessionFor,
    installed_devices: Callable[[UiSession, str], TillDevices],
    printer: FakePrinter,
) -> None:
    manager = session_for(Role.MANAGER)
    drawer.no_sale(manager.ctx, manager.user, "Change for the bakery")
    report = shifts.close_shift(manager.ctx, manager.user, 5000)
    installed_devices(manager, printer.url)
    dialog = ZReportDialog(manager, report)
    qtbot.addWidget(dialog)
    dialog.print_button.click()
    qtbot.waitUntil(lambda: printer.job_count() == 1, timeout=5000)
    lines = printer.decoded().lines
    assert any(line.startswith("Drawer openings") and line.endswith("1") for line in lines)
    assert any("Change for the bakery" in line for line in lines)
    assert dialog.status_label.text() == "Sent to the receipt printer."


def test_a_pdf_only_till_keeps_the_pdf_and_says_so(
    qtbot: QtBot,
    session_for: SessionFor,
    installed_devices: Callable[[UiSession, str], TillDevices],
) -> None:
    session = session_for(Role.CASHIER)
    settings = replace(session.settings, receipt_printer="pdf")
    installed_devices(session, "pdf")
    parent = QWidget()
    qtbot.addWidget(parent)
    text, ok = print_receipt(parent, settings, "R00000007", "<p>receipt</p>")
    pdf = receipt_pdf_path(settings, "R00000007")
    assert not ok and pdf.is_file()
    assert text == f"No printer is connected to this till. A PDF copy is kept at {pdf}."
