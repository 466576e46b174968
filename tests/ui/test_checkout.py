from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSpinBox
from pytestqt.qtbot import QtBot

from pos_app.config import Settings
from pos_app.services import audit, catalog, checkout
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.errors import DatabaseUnavailableError
from pos_app.services.roles import Role
from pos_app.ui.checkout import sale_actions
from pos_app.ui.checkout.cart_model import CartModel, Column
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.login_dialog import LoginDialog
from pos_app.ui.session import UiSession
from tests.ui.conftest import EMAILS, PASSWORDS
from tests.ui.till_helpers import confirm, open_checkout, open_pay

SessionFor = Callable[[Role], UiSession]


@pytest.fixture
def screen(qtbot: QtBot, session_for: SessionFor) -> CheckoutScreen:
    widget = CheckoutScreen(session_for(Role.CASHIER))
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def scan(qtbot: QtBot, screen: CheckoutScreen, code: str) -> None:
    screen.scan(code)
    qtbot.waitUntil(lambda: not screen.busy)


def stock_of(ctx: ServiceContext, session: UiSession, product: ProductInfo) -> int:
    return catalog.get_product(ctx, session.user, product.id).quantity


def test_cart_model_passes_the_model_tester(
    qtmodeltester, products: dict[str, ProductInfo]
) -> None:  # type: ignore[no-untyped-def]
    model = CartModel(lambda cents: f"{cents / 100:.2f}")
    model.add_product(products["COLA-330"])
    model.add_product(products["CHOC-MILK"], 2)
    model.set_quantity(0, 4)
    qtmodeltester.check(model)
    assert model.total_cents == 4 * 150 + 2 * 249
    assert model.headerData(Column.LINE_TOTAL, Qt.Orientation.Horizontal) == "Line total"
    alignment = model.data(model.index(0, Column.QTY), Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & Qt.AlignmentFlag.AlignRight
    assert not model.setData(model.index(0, Column.QTY), 0)
    assert not model.setData(model.index(0, Column.PRODUCT), "renamed")


def test_a_cashier_logs_in_sells_three_products_and_stock_goes_down(
    qtbot: QtBot,
    ui_ctx: ServiceContext,
    ui_settings: Settings,
    products: dict[str, ProductInfo],
) -> None:
    from pos_app.ui.main_window import MainWindow

    login = LoginDialog(ui_ctx, ui_settings)
    qtbot.addWidget(login)
    login.show()
    qtbot.keyClicks(login.email_edit, EMAILS[Role.CASHIER])
    qtbot.keyClicks(login.password_edit, PASSWORDS[Role.CASHIER])
    with qtbot.waitSignal(login.accepted, timeout=5000):
        qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    assert login.session is not None
    window = MainWindow(login.session, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert list(window.screens) == ["checkout", "receipts", "refunds", "shift"]
    screen = window.screens["checkout"]
    assert isinstance(screen, CheckoutScreen)
    field = screen.scan_field
    qtbot.waitUntil(field.hasFocus)

    cola, water, crisps = products["COLA-330"], products["WATER-500"], products["CRISP-SALT"]
    for code in (cola.barcode, "water-500", crisps.barcode):
        assert code is not None
        qtbot.keyClicks(field, code)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not screen.busy)
    model = screen.cart_model
    assert [line.sku for line in model.lines()] == ["COLA-330", "WATER-500", "CRISP-SALT"]

    screen.cart_view.select(0)
    qtbot.keyClick(field, Qt.Key.Key_F2)
    editor = screen.cart_view.findChild(QSpinBox, "quantityEditor")
    assert editor is not None
    editor.setValue(3)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(field.hasFocus)
    assert model.line(0).quantity == 3
    assert screen.total_label.text() == "€7.48"

    qtbot.keyClick(field, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: screen.pay_dialog is not None and screen.pay_dialog.isVisible())
    pay = screen.pay_dialog
    assert pay is not None
    assert [button.text() for button in pay.quick_buttons] == [
        "€5",
        "€10",
        "€20",
        "€50",
        "€100",
    ]
    assert not pay.quick_buttons[0].isEnabled()
    pay.quick_buttons[1].click()
    assert pay.change_label.text() == "€2.52"
    pay.confirm_button.click()
    qtbot.waitUntil(lambda: screen.receipt_dialog is not None, timeout=5000)
    receipt = screen.receipt_dialog
    assert receipt is not None
    text = receipt.plain_text()
    for expected in ("Corner Shop", "Cola 330 ml", "€7.48", "€10.00", "€2.52", "Cara Cashier"):
        assert expected in text
    assert model.is_empty() and screen.total_label.text() == "€0.00"
    receipt.done_button.click()
    qtbot.waitUntil(field.hasFocus)

    session = window.session
    assert stock_of(ui_ctx, session, cola) == 20 - 3
    assert stock_of(ui_ctx, session, water) == 30 - 1
    assert stock_of(ui_ctx, session, crisps) == 10 - 1


def test_scanning_a_product_twice_raises_its_quantity(
    qtbot: QtBot, screen: CheckoutScreen, products: dict[str, ProductInfo]
) -> None:
    code = products["COLA-330"].barcode
    assert code is not None
    scan(qtbot, screen, code)
    scan(qtbot, screen, code)
    scan(qtbot, screen, "3*" + code)
    assert screen.cart_model.rowCount() == 1
    assert screen.cart_model.line(0).quantity == 5


def test_a_fast_scanner_adds_every_code_in_order(
    qtbot: QtBot, screen: CheckoutScreen, products: dict[str, ProductInfo]
) -> None:
    field = screen.scan_field
    codes = [products[sku].barcode for sku in ("CRISP-SALT", "COLA-330", "WATER-500")]
    for code in codes:
        assert code is not None
        qtbot.keyClicks(field, code)
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.text() == ""
    qtbot.waitUntil(lambda: screen.cart_model.rowCount() == 3 and not screen.busy)
    assert [line.sku for line in screen.cart_model.lines()] == [
        "CRISP-SALT",
        "COLA-330",
        "WATER-500",
    ]


def test_an_unknown_code_is_reported_and_the_cart_is_unchanged(
    qtbot: QtBot, screen: CheckoutScreen
) -> None:
    scan(qtbot, screen, "0000000000000")
    assert screen.cart_model.is_empty()
    assert "0000000000000" in screen.message_label.text()
    assert screen.message_label.property("role") == "error"


def test_typing_a_name_suggests_products_and_enter_adds_the_picked_one(
    qtbot: QtBot, screen: CheckoutScreen
) -> None:
    field = screen.scan_field
    qtbot.keyClicks(field, "choc")
    qtbot.waitUntil(lambda: screen.suggestions.isVisible() and screen.suggestions.count() == 1)
    assert "Milk chocolate bar" in screen.suggestions.item(0).text()
    qtbot.keyClick(field, Qt.Key.Key_Down)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy)
    assert [line.sku for line in screen.cart_model.lines()] == ["CHOC-MILK"]
    assert not screen.suggestions.isVisible() and field.text() == ""


def test_remove_and_clear_keep_the_total_right(
    qtbot: QtBot,
    screen: CheckoutScreen,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for sku in ("COLA-330", "WATER-500", "CRISP-SALT"):
        scan(qtbot, screen, sku)
    screen.cart_view.select(1)
    screen.remove_button.click()
    assert [line.sku for line in screen.cart_model.lines()] == ["COLA-330", "CRISP-SALT"]
    assert screen.total_label.text() == "€3.49"
    monkeypatch.setattr(sale_actions, "confirm_clear", lambda parent, lines: True)
    screen.clear_button.click()
    assert screen.cart_model.is_empty() and screen.sale_uuid is None
    assert screen.total_label.text() == "€0.00"
    qtbot.waitUntil(lambda: screen.sale_actions.pending_voids == 0)


def test_a_line_short_of_stock_says_why_in_its_row_and_keeps_pay_off(
    qtbot: QtBot, screen: CheckoutScreen, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, screen, "COLA-330")
    scan(qtbot, screen, "9*CHOC-MILK")
    assert screen.message_label.text() == (
        "Milk chocolate bar: 9 wanted but only 3 in stock. "
        "Change the quantity, or count the stock (F6)."
    )
    model = screen.cart_model
    qtmodeltester.check(model)
    stock = model.index(1, Column.STOCK)
    assert stock.data() == "Only 3 in stock"
    assert stock.data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(0, Column.STOCK).data() == ""
    assert model.index(0, Column.STOCK).data(Qt.ItemDataRole.DecorationRole) is None
    assert not screen.pay_button.isEnabled()
    blocked = (
        "Pay is off: line 2, Milk chocolate bar, cannot be sold: Only 3 in stock, 9 wanted. "
        "Change the quantity, remove the line, or count the stock (F6)."
    )
    assert screen.blocked_label.text() == blocked
    assert screen.blocked_label.isVisible()
    screen._on_pay_clicked()  # F12 too
    assert screen.pay_dialog is None and screen.message_label.text() == blocked
    model.set_quantity(1, 3)
    assert screen.pay_button.isEnabled() and not screen.blocked_label.isVisible()
    assert model.index(1, Column.STOCK).data() == ""


def test_lines_another_till_sold_out_are_marked_and_nothing_is_charged(
    qtbot: QtBot,
    screen: CheckoutScreen,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    scan(qtbot, screen, "COLA-330")
    scan(qtbot, screen, "2*CHOC-MILK")
    first_uuid = screen.sale_uuid
    session = screen._session
    chocolates = [checkout.PurchaseLine(products["CHOC-MILK"].id, 3)]
    assert checkout.purchase(ui_ctx, session.user, chocolates).committed  # the last three
    screen.pay_button.click()
    pay = screen.pay_dialog
    assert pay is not None
    pay.card_button.click()
    pay.confirm_button.click()
    qtbot.waitUntil(lambda: not pay.isVisible(), timeout=5000)
    model = screen.cart_model
    chocolate = model.index(1, Column.PRODUCT)
    assert model.data(chocolate, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(chocolate, Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, Column.STOCK).data() == "Milk chocolate bar is out of stock."
    assert model.data(model.index(0, Column.PRODUCT), Qt.ItemDataRole.ToolTipRole) is None
    assert "Nothing was charged" in screen.message_label.text()
    assert not screen.pay_button.isEnabled()
    assert screen.receipt_dialog is None and screen.sale_uuid != first_uuid
    assert stock_of(ui_ctx, session, products["COLA-330"]) == 20
    assert stock_of(ui_ctx, session, products["CHOC-MILK"]) == 0


def test_a_lost_connection_keeps_the_cart_and_the_retry_sells_once(
    qtbot: QtBot,
    screen: CheckoutScreen,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scan(qtbot, screen, "COLA-330")
    sale_uuid = screen.sale_uuid
    real_purchase = checkout.purchase
    calls: list[str | None] = []

    def flaky(*args: object, **kwargs: object) -> checkout.PurchaseResult:
        calls.append(kwargs.get("sale_uuid"))  # type: ignore[arg-type]
        if len(calls) == 1:
            raise DatabaseUnavailableError("The connection to the database was lost.")
        return real_purchase(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(checkout, "purchase", flaky)
    screen.pay_button.click()
    pay = screen.pay_dialog
    assert pay is not None
    pay.confirm_button.click()
    qtbot.waitUntil(pay.error_label.isVisible)
    assert "connection to the database was lost" in pay.error_label.text()
    assert pay.isVisible() and screen.cart_model.rowCount() == 1
    pay.confirm_button.click()
    qtbot.waitUntil(lambda: screen.receipt_dialog is not None, timeout=5000)
    assert calls == [sale_uuid, sale_uuid]
    assert stock_of(ui_ctx, screen._session, products["COLA-330"]) == 19
    assert screen.cart_model.is_empty()


def test_pay_with_an_empty_cart_only_explains(qtbot: QtBot, screen: CheckoutScreen) -> None:
    assert not screen.pay_button.isEnabled()
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F12)
    assert screen.pay_dialog is None
    assert "empty" in screen.message_label.text()


def voids(ctx: ServiceContext, owner: UiSession, action: str) -> list[dict[str, object]]:
    return [event.detail for event in audit.list_audit(ctx, owner.user, action=action).items]


def test_removing_a_line_and_voiding_the_cart_are_recorded_in_the_audit_log(
    qtbot: QtBot,
    screen: CheckoutScreen,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner = session_for(Role.OWNER)
    scan(qtbot, screen, "3*COLA-330")
    scan(qtbot, screen, "CRISP-SALT")
    scan(qtbot, screen, "WATER-500")
    screen.cart_view.select(0)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F4)
    assert "Removed Cola 330 ml (voided €4.50)" in screen.message_label.text()
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: screen.sale_actions.pending_voids == 0)
    lines = voids(ui_ctx, owner, audit.VOID_LINE)
    assert {(d["product_id"], d["quantity"], d["amount_cents"]) for d in lines} == {
        (products["COLA-330"].id, 3, 450),
        (products["CRISP-SALT"].id, 1, 199),
    }

    asked: list[int] = []
    monkeypatch.setattr(
        sale_actions, "confirm_clear", lambda parent, lines: asked.append(lines) or False
    )
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F9)
    assert asked == [1] and screen.cart_model.rowCount() == 1
    monkeypatch.setattr(sale_actions, "confirm_clear", lambda parent, lines: True)
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_F9)
    assert screen.cart_model.is_empty()
    qtbot.waitUntil(lambda: screen.sale_actions.pending_voids == 0)
    [cart] = voids(ui_ctx, owner, audit.VOID_CART)
    assert (cart["amount_cents"], cart["quantity"]) == (99, 1)


def test_a_manager_changes_a_price_and_the_sale_charges_it(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    manager = session_for(Role.MANAGER)
    screen = open_checkout(qtbot, manager)
    scan(qtbot, screen, "2*COLA-330")
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert screen.sale_actions.approval_dialog is None
    dialog = screen.sale_actions.price_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.set_price_text("abc")
    dialog.apply_button.click()
    assert dialog.error_label.isVisible() and dialog.isVisible()
    dialog.set_price_text("1.00")
    dialog.apply_button.click()
    assert screen.total_label.text() == "€2.00"
    assert "€1.00 instead of €1.50" in screen.message_label.text()

    receipt = confirm(qtbot, screen, open_pay(qtbot, screen))
    assert [(line.unit_price_cents, line.gross_cents) for line in receipt.receipt.lines] == [
        (100, 200)
    ]
    owner = session_for(Role.OWNER)
    [event] = audit.list_audit(ui_ctx, owner.user, action=audit.PRICE_OVERRIDE).items
    assert (event.detail["old_price_cents"], event.detail["new_price_cents"]) == (150, 100)


def test_a_cashier_needs_a_manager_to_approve_a_price_change(
    qtbot: QtBot, screen: CheckoutScreen
) -> None:
    scan(qtbot, screen, "CRISP-SALT")
    screen.price_button.click()
    approval = screen.sale_actions.approval_dialog
    assert approval is not None and approval.isVisible()
    assert screen.sale_actions.price_dialog is None
    approval.email_edit.setText(EMAILS[Role.CASHIER])
    approval.password_edit.setText(PASSWORDS[Role.CASHIER])
    approval.approve_button.click()
    qtbot.waitUntil(lambda: approval.error_label.isVisible() and not approval.busy)
    assert approval.error_label.text() == "Only a manager or the owner can approve this."
    approval.email_edit.setText(EMAILS[Role.MANAGER])
    approval.password_edit.setText("wrong-password")
    approval.approve_button.click()
    qtbot.waitUntil(lambda: not approval.busy and approval.password_edit.text() == "")
    assert approval.isVisible() and approval.error_label.isVisible()
    approval.password_edit.setText(PASSWORDS[Role.MANAGER])
    approval.approve_button.click()
    qtbot.waitUntil(lambda: screen.sale_actions.price_dialog is not None)
    price = screen.sale_actions.price_dialog
    assert price is not None
    approved = price.findChild(QLabel, "priceApprovedBy")
    assert approved is not None and approved.text() == "Approved by Max Manager."
    price.set_price_text("0.99")
    price.apply_button.click()
    assert screen.cart_model.cart.price_overrides() == {screen.cart_model.line(0).product_id: 99}
    assert screen.total_label.text() == "€0.99"
