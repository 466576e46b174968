"""Selling and refunding need an open shift: the till asks for the float instead of refusing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pos_app.services import checkout, shifts
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.roles import Role
from pos_app.services.shifts import ShiftInfo
from pos_app.ui.refunds import RefundsScreen
from pos_app.ui.refunds.lines_model import Column
from pos_app.ui.session import UiSession
from pos_app.ui.shifts.open_dialog import OpenShiftDialog
from tests.ui.till_helpers import open_checkout

SessionFor = Callable[[Role], UiSession]
Ask = Callable[[QWidget | None, UiSession, str], ShiftInfo | None]


def fill_float(qtbot: QtBot, typed: str, asked: list[str]) -> Ask:
    """Stands in for the modal ``ask``: types the float into the real dialog and saves it."""

    def ask(parent: QWidget | None, session: UiSession, why: str) -> ShiftInfo | None:
        asked.append(why)
        dialog = OpenShiftDialog(session, why, parent)
        opened: list[ShiftInfo] = []
        dialog.saved.connect(opened.append)
        dialog.open()
        dialog.float_edit.setText("-5")
        dialog.save_button.click()
        assert dialog.errors.message("float_cents") and not opened
        dialog.float_edit.setText(typed)
        with qtbot.waitSignal(dialog.saved):
            dialog.save_button.click()
        return opened[0]

    return ask


@pytest.mark.usefixtures("closed_till")
def test_the_first_scan_with_no_shift_asks_for_the_float_and_opens_one(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, cashier)
    asked: list[str] = []
    monkeypatch.setattr(OpenShiftDialog, "ask", staticmethod(fill_float(qtbot, "50.00", asked)))
    screen.scan("COLA-330")
    qtbot.waitUntil(lambda: screen.cart_model.rowCount() == 1)
    qtbot.waitUntil(lambda: not screen.busy)
    assert asked == ["No shift is open on this till."]
    shift = shifts.current_shift(ui_ctx, cashier.user)
    assert shift is not None and shift.float_cents == 5_000
    assert screen.message_label.text() == f"Shift {shift.id} opened with a float of €50.00."
    screen.scan("COLA-330")
    qtbot.waitUntil(lambda: screen.cart_model.line(0).quantity == 2)
    assert len(asked) == 1


@pytest.mark.usefixtures("closed_till")
def test_going_back_from_the_float_adds_nothing_and_says_why(
    qtbot: QtBot, session_for: SessionFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    monkeypatch.setattr(OpenShiftDialog, "ask", staticmethod(lambda parent, session, why: None))
    screen.scan("COLA-330")
    screen.scan("WATER-500")
    qtbot.waitUntil(lambda: not screen.busy)
    assert screen.cart_model.is_empty()
    assert screen.message_label.text() == (
        "Nothing was added. Open a shift on this till before selling."
    )


def test_a_refund_with_no_shift_open_asks_for_one_and_lands_on_it(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cashier = session_for(Role.CASHIER)
    sale = checkout.purchase(ui_ctx, cashier.user, [PurchaseLine(products["COLA-330"].id, 2)])
    assert sale.sale_id is not None
    shifts.close_shift(ui_ctx, cashier.user, 300)
    screen = RefundsScreen(cashier)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    asked: list[str] = []
    monkeypatch.setattr(OpenShiftDialog, "ask", staticmethod(fill_float(qtbot, "20", asked)))
    screen.number_edit.setText(f"R{sale.sale_id:08d}")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None)
    spin = screen.lines_view.spin_box(0)
    assert spin is not None
    spin.setValue(1)
    screen.reason_field.setEditText("Changed mind")
    screen.refund_button.click()
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    shift = shifts.current_shift(ui_ctx, cashier.user)
    assert shift is not None and shift.float_cents == 2_000 and len(asked) == 1
    report = shifts.z_report(ui_ctx, cashier.user, shift.id)
    assert (report.refunds_count, report.cash_refunds_cents) == (1, 150)
    # the receipt is read again after the refund: wait for it before the test ends
    qtbot.waitUntil(lambda: screen.model.index(0, Column.RETURNED).data() == "1")
