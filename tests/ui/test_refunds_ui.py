from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.services import auth, catalog, checkout, refunds
from pos_app.services.access import REFUND_APPROVAL, ApprovalToken, UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError, DatabaseUnavailableError
from pos_app.services.payments import CARD, PaymentIn
from pos_app.services.roles import Role
from pos_app.ui.approval import ApprovalDialog
from pos_app.ui.printing import documents_dir
from pos_app.ui.refunds import RefundsScreen
from pos_app.ui.refunds.lines_model import Column
from pos_app.ui.session import UiSession
from tests.ui.conftest import EMAILS, PASSWORDS

SessionFor = Callable[[Role], UiSession]


def sell(
    ctx: ServiceContext,
    user: UserSession,
    product: ProductInfo,
    quantity: int,
    payments: tuple[PaymentIn, ...] = (),
) -> int:
    result = checkout.purchase(ctx, user, [PurchaseLine(product.id, quantity)], payments=payments)
    assert result.sale_id is not None
    return result.sale_id


def open_screen(qtbot: QtBot, session: UiSession) -> RefundsScreen:
    screen = RefundsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1200, 640)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def load(qtbot: QtBot, screen: RefundsScreen, sale_id: int) -> None:
    screen.number_edit.setText(f"R{sale_id:08d}")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None and screen.receipt.sale_id == sale_id)


def cell(screen: RefundsScreen, row: int, column: Column) -> Any:
    return screen.model.index(row, column).data()


@pytest.fixture
def cashier(session_for: SessionFor) -> UiSession:
    return session_for(Role.CASHIER)


def test_part_of_a_receipt_is_refunded_and_its_stock_comes_back(
    qtbot: QtBot,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    qtmodeltester,  # type: ignore[no-untyped-def]
) -> None:
    cola = products["COLA-330"]
    sale_id = sell(ui_ctx, cashier.user, cola, 3)
    screen = open_screen(qtbot, cashier)
    load(qtbot, screen, sale_id)
    qtmodeltester.check(screen.model)
    assert cell(screen, 0, Column.PRODUCT) == "Cola 330 ml"
    assert (cell(screen, 0, Column.SOLD), cell(screen, 0, Column.RETURNABLE)) == ("3", "3")
    assert not screen.refund_button.isEnabled()

    spin = screen.lines_view.spin_box(0)
    assert spin is not None and spin.maximum() == 3
    spin.setValue(1)
    assert screen.model.chosen_lines() == [(screen.model.lines()[0].sale_item_id, 1)]
    assert screen.total_label.text() == "€1.50"
    assert cell(screen, 0, Column.AMOUNT) == "€1.50"
    screen.reason_field.setEditText("Changed mind")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None and refund.total_cents == 150 and refund.tender == "cash"
    qtbot.waitUntil(lambda: cell(screen, 0, Column.RETURNABLE) == "2")

    assert cell(screen, 0, Column.RETURNED) == "1"
    assert catalog.get_product(ui_ctx, cashier.user, cola.id).quantity == 20 - 3 + 1
    pdf = documents_dir(cashier.settings) / "refunds" / f"{refund.number}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert screen.message_label.text() == (
        f"Refund {refund.number}: €1.50 paid back in cash. No printer is connected to this "
        f"till. A PDF copy is kept at {pdf}."
    )
    assert screen.preview_title.text() == f"Refund slip {refund.number}"
    assert "REFUND" in screen.preview.toPlainText()

    spin = screen.lines_view.spin_box(0)
    assert spin is not None and spin.maximum() == 2
    spin.setValue(5)
    assert spin.value() == 2 and screen.model.quantity(0) == 2
    assert not screen.model.set_quantity(0, 3)
    assert not screen.model.setData(screen.model.index(0, Column.REFUND), 3)
    assert not screen.model.setData(screen.model.index(0, Column.SOLD), 1)
    assert screen.model.quantity(0) == 2
    item_id = screen.model.lines()[0].sale_item_id
    with pytest.raises(ConflictError, match="Only 2 of Cola 330 ml can still be returned"):
        refunds.refund(
            ui_ctx,
            cashier.user,
            sale_id,
            [(item_id, 3)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )


def test_a_fully_refunded_line_has_no_spin_box_and_all_returnable_takes_the_rest(
    qtbot: QtBot, cashier: UiSession, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    lines = [PurchaseLine(products["COLA-330"].id, 1), PurchaseLine(products["WATER-500"].id, 2)]
    result = checkout.purchase(ui_ctx, cashier.user, lines)
    assert result.sale_id is not None
    screen = open_screen(qtbot, cashier)
    load(qtbot, screen, result.sale_id)
    cola_item = screen.model.lines()[0].sale_item_id
    refunds.refund(
        ui_ctx,
        cashier.user,
        result.sale_id,
        [(cola_item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    screen.refresh()
    qtbot.waitUntil(lambda: cell(screen, 0, Column.RETURNABLE) == "0")
    assert screen.lines_view.spin_box(0) is None
    assert not screen.model.flags(screen.model.index(0, Column.REFUND)) & Qt.ItemFlag.ItemIsEditable
    assert "refunded so far €1.50" in screen.receipt_label.text()
    screen.all_button.click()
    assert [quantity for _, quantity in screen.model.chosen_lines()] == [2]
    assert screen.total_label.text() == "€1.98"
    screen.none_button.click()
    assert screen.model.chosen_lines() == [] and not screen.refund_button.isEnabled()


def test_a_refund_above_the_threshold_asks_a_manager_and_then_goes_through(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain = session_for(Role.CASHIER)
    ctx = replace(ui_ctx, refund_approval_cents=200)
    cashier = UiSession(ctx, plain.settings, plain.user)
    sale_id = sell(ctx, cashier.user, products["COLA-330"], 2, (PaymentIn(CARD, 300),))
    screen = open_screen(qtbot, cashier)
    load(qtbot, screen, sale_id)
    assert screen.card_radio.isChecked() and screen.tender() == CARD

    asked: list[str] = []

    def refuse(
        parent: object, session: UiSession, reason: str = "", *, action: str = ""
    ) -> ApprovalToken | None:
        asked.append(reason)
        return None

    monkeypatch.setattr(ApprovalDialog, "ask", refuse)
    screen.reason_field.setEditText("Changed mind")
    screen.all_button.click()
    screen.refund_button.click()
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(lambda: "needs a manager's approval" in screen.message_label.text())
    assert asked == ["A refund of €3.00 is above €2.00; a manager must approve it."]
    assert screen.last_refund is None and refunds.sale_refunds(ctx, cashier.user, sale_id) == []

    def approve(
        parent: object, session: UiSession, reason: str = "", *, action: str = ""
    ) -> ApprovalToken | None:
        asked.append(reason)
        assert action == REFUND_APPROVAL
        return auth.approve(
            ctx, session.user, EMAILS[Role.MANAGER], PASSWORDS[Role.MANAGER], action=action
        )

    monkeypatch.setattr(ApprovalDialog, "ask", approve)
    screen.refund_button.click()
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None
    assert refund.approved_by_name == "Max Manager" and refund.tender == CARD
    assert "Approved by" in screen.preview.toPlainText()
    assert "paid back to the card" in screen.message_label.text()
    # After a refund the screen reads the receipt again in the background; the test ends once
    # that answer is shown, not while it is still on its way.
    qtbot.waitUntil(lambda: cell(screen, 0, Column.RETURNED) == "2")
    assert cell(screen, 0, Column.RETURNABLE) == "0"


def test_a_retry_after_a_lost_connection_reuses_the_refund_id(
    qtbot: QtBot,
    cashier: UiSession,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sale_id = sell(ui_ctx, cashier.user, products["CRISP-SALT"], 2)
    screen = open_screen(qtbot, cashier)
    load(qtbot, screen, sale_id)
    real = refunds.refund
    keys: list[str] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        keys.append(kwargs["refund_uuid"])
        if len(keys) == 1:
            real(*args, **kwargs)
            raise DatabaseUnavailableError("The connection to the database was lost.")
        return real(*args, **kwargs)

    monkeypatch.setattr(refunds, "refund", flaky)
    screen.reason_field.setEditText("Changed mind")
    screen.all_button.click()
    screen.refund_button.click()
    qtbot.waitUntil(lambda: "connection" in screen.message_label.text())
    assert screen.message_label.property("role") == "error"
    screen.refund_button.click()
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    assert keys[0] == keys[1]
    assert len(refunds.sale_refunds(ui_ctx, cashier.user, sale_id)) == 1
    qtbot.waitUntil(lambda: cell(screen, 0, Column.RETURNABLE) == "0")


def test_an_unknown_receipt_is_told_in_place(qtbot: QtBot, cashier: UiSession) -> None:
    screen = open_screen(qtbot, cashier)
    screen.find_button.click()
    assert screen.message_label.text() == "Scan or type a receipt number first."
    screen.look_up("R99999999")
    qtbot.waitUntil(lambda: screen.message_label.text() == "There is no receipt R99999999.")
    assert screen.receipt is None and screen.model.rowCount() == 0


def test_the_card_refund_limit_is_told_in_the_shops_currency(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    plain = session_for(Role.CASHIER)
    ctx = replace(ui_ctx, currency="GBP")
    cashier = UiSession(ctx, replace(plain.settings, currency="GBP"), plain.user)
    payments = (PaymentIn(CARD, 100), PaymentIn("cash", 200))
    sale_id = sell(ctx, cashier.user, products["COLA-330"], 2, payments)
    screen = open_screen(qtbot, cashier)
    load(qtbot, screen, sale_id)
    screen.card_radio.click()
    screen.reason_field.setEditText("Changed mind")
    screen.all_button.click()
    screen.refund_button.click()
    qtbot.waitUntil(lambda: "can go back to the card" in screen.message_label.text())
    assert "Only £1.00 can go back to the card" in screen.message_label.text()
    assert "€" not in screen.message_label.text() and screen.last_refund is None


def test_a_refund_by_keyboard_alone_takes_a_reason_from_the_list(
    qtbot: QtBot, cashier: UiSession, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    sale_id = sell(ui_ctx, cashier.user, products["COLA-330"], 2)
    screen = open_screen(qtbot, cashier)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    qtbot.keyClicks(screen.number_edit, f"R{sale_id:08d}")
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt is not None)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F6)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F8)
    view = screen.reason_field.view()
    qtbot.waitUntil(view.isVisible)
    assert [screen.reason_field.itemText(row) for row in range(screen.reason_field.count())] == [
        "Damaged",
        "Wrong item",
        "Changed mind",
        "Not as described",
        "Other (type the reason)",
    ]
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible())
    assert screen.reason_field.reason() == "Wrong item"
    # The offscreen platform makes the closed list its active window a moment later; a real
    # window manager gives the screen back, so the test does the same.
    qtbot.wait(20)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    assert screen.reason_field.hasFocus()
    qtbot.keyClick(screen.reason_field, Qt.Key.Key_Down)
    assert screen.reason_field.reason() == "Changed mind"
    qtbot.keyClick(screen.reason_field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None and refund.reason == "Changed mind"
    qtbot.waitUntil(lambda: not screen.busy and cell(screen, 0, Column.RETURNABLE) == "0")
    assert screen.number_edit.hasFocus()
    assert screen.reason_field.reason() == ""
    assert "Changed mind" in screen.preview.toPlainText()


def test_without_a_reason_nothing_is_refunded_and_a_typed_one_goes_through_with_enter(
    qtbot: QtBot, cashier: UiSession, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    sale_id = sell(ui_ctx, cashier.user, products["COLA-330"], 1)
    screen = open_screen(qtbot, cashier)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    load(qtbot, screen, sale_id)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F6)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F12)
    assert screen.message_label.text() == "Choose or type the reason for the refund."
    assert screen.message_label.property("role") == "error"
    assert screen.reason_field.hasFocus() and screen.last_refund is None
    assert refunds.sale_refunds(ui_ctx, cashier.user, sale_id) == []

    screen.reason_field.setCurrentIndex(screen.reason_field.count() - 1)
    screen.reason_field.activated.emit(screen.reason_field.count() - 1)
    assert screen.reason_field.reason() == ""
    edit = screen.reason_field.lineEdit()
    assert edit is not None and edit.placeholderText() == "Type the reason"
    qtbot.keyClicks(edit, "Seal broken at home")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None and refund.reason == "Seal broken at home"
    assert refunds.sale_refunds(ui_ctx, cashier.user, sale_id)[0].reason == "Seal broken at home"
    qtbot.waitUntil(lambda: not screen.busy and cell(screen, 0, Column.RETURNABLE) == "0")
    assert screen.number_edit.hasFocus()


def test_on_a_till_screen_the_quantity_to_refund_is_in_view_beside_the_product(
    qtbot: QtBot, cashier: UiSession, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    sale_id = sell(ui_ctx, cashier.user, products["COLA-330"], 2)
    screen = open_screen(qtbot, cashier)
    screen.resize(1000, 680)  # the screen's part of a 1024x768 window
    load(qtbot, screen, sale_id)
    view = screen.lines_view
    viewport = view.viewport().rect()
    for column in (Column.PRODUCT, Column.REFUND, Column.AMOUNT, Column.RETURNABLE):
        assert viewport.contains(view.visualRect(screen.model.index(0, column))), column.name
    assert view.horizontalHeader().visualIndex(Column.REFUND) == 1


def test_typing_while_the_reason_list_is_open_types_the_reason(
    qtbot: QtBot, cashier: UiSession, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    sale_id = sell(ui_ctx, cashier.user, products["COLA-330"], 1)
    screen = open_screen(qtbot, cashier)
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    load(qtbot, screen, sale_id)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F6)
    qtbot.keyClick(screen.number_edit, Qt.Key.Key_F12)
    assert screen.message_label.property("role") == "error"
    qtbot.keyClick(screen.reason_field, Qt.Key.Key_F8)
    view = screen.reason_field.view()
    qtbot.waitUntil(view.isVisible)
    # On X11 a fast typist's next letters still reach the list while it closes.
    qtbot.keyClicks(view, "Br")
    qtbot.waitUntil(lambda: not view.isVisible())
    qtbot.keyClicks(screen.reason_field, "oken seal")
    assert screen.reason_field.reason() == "Broken seal"
    assert screen.message_label.text() == ""
    qtbot.keyClick(screen.reason_field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.last_refund is not None)
    refund = screen.last_refund
    assert refund is not None and refund.reason == "Broken seal"


def test_on_a_1024_pixel_screen_the_product_name_keeps_its_room(
    qtbot: QtBot, cashier: UiSession, ui_ctx: ServiceContext, products: dict[str, ProductInfo]
) -> None:
    sale_id = sell(ui_ctx, cashier.user, products["COLA-330"], 1)
    screen = open_screen(qtbot, cashier)
    screen.resize(1000, 640)
    load(qtbot, screen, sale_id)
    view = screen.lines_view
    qtbot.waitUntil(lambda: view.isColumnHidden(Column.SKU))
    assert view.columnWidth(Column.PRODUCT) >= 170
    spin_box = view.spin_box(0)
    assert spin_box is not None
    qtbot.waitUntil(
        lambda: abs(spin_box.geometry().x() - view.columnViewportPosition(Column.REFUND)) <= 2
    )
    assert view.horizontalScrollBar().maximum() == 0
    assert not view.isColumnHidden(Column.AMOUNT) and not view.isColumnHidden(Column.RETURNABLE)
    # A hidden column is measured by its title too, else it would come back at the next resize.
    view.setColumnHidden(Column.UNIT_PRICE, True)
    title = Column.UNIT_PRICE.title
    assert view._column_width(Column.UNIT_PRICE) > view.fontMetrics().horizontalAdvance(title)
    screen.resize(1900, 640)
    qtbot.waitUntil(lambda: not view.isColumnHidden(Column.SKU))
    assert not view.isColumnHidden(Column.UNIT_PRICE)
