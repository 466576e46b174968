from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from pos_app.services import catalog, checkout, receipt_search, receipts
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.payments import CARD, CASH, PaymentIn, PaymentLine
from pos_app.services.roles import Role
from pos_app.ui.checkout.receipt_dialog import ReceiptDialog
from pos_app.ui.checkout.screen import CheckoutScreen
from pos_app.ui.checkout.tender import Method, evaluate
from pos_app.ui.printing import documents_dir
from pos_app.ui.session import UiSession
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


def stock_of(ctx: ServiceContext, session: UiSession, product: ProductInfo) -> int:
    return catalog.get_product(ctx, session.user, product.id).quantity


def test_a_cash_sale_shows_the_change_live_and_keeps_the_receipt_as_a_pdf(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "2*COLA-330")
    scan(qtbot, screen, "CRISP-SALT")
    pay = open_pay(qtbot, screen)
    assert pay.total_label.text() == "€4.99"
    assert pay.method is Method.CASH
    assert [button.isEnabled() for button in pay.quick_buttons] == [True] * 5
    pay.tendered_edit.setText("4")
    assert "€0.99 still to pay" in pay.change_label.text()
    assert not pay.confirm_button.isEnabled()
    pay.quick_buttons[1].click()
    assert pay.tendered_edit.text() == "10.00"
    assert pay.change_label.text() == "€5.01"
    assert pay.confirm_button.isEnabled()

    dialog = confirm(qtbot, screen, pay)
    stored = dialog.receipt
    assert dialog.findChild(object, "receiptSummary").text() == "Change due: €5.01"
    assert stored.payments == [PaymentLine(CASH, 499, 1000, 501)]
    assert stored.change_cents == 501
    text = dialog.plain_text()
    for expected in (stored.number, "Corner Shop", "1 Market Street", "Cara Cashier", "€10.00"):
        assert expected in text
    pdf = documents_dir(session.settings) / "receipts" / f"{stored.number}.pdf"
    assert dialog.pdf_path == pdf
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in dialog.status_label.text()
    assert screen.cart_model.is_empty()
    assert f"Sale {stored.number} saved" in screen.message_label.text()
    dialog.done_button.click()
    qtbot.waitUntil(screen.scan_field.hasFocus)


def test_split_tender_stores_a_card_and_a_cash_payment(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "3*CHOC-MILK")
    pay = open_pay(qtbot, screen)
    pay.split_button.click()
    assert pay.card_panel.isVisible() and pay.cash_panel.isVisible()
    assert not pay.confirm_button.isEnabled()
    pay.card_edit.setText("9.99")
    assert not pay.confirm_button.isEnabled()
    assert pay.card_error.isVisible()
    pay.set_card_amount(500)
    assert pay.cash_due_label.text() == "€2.47"
    assert pay.confirm_button.isEnabled()
    pay.set_tendered(1000)
    assert pay.change_label.text() == "€7.53"

    dialog = confirm(qtbot, screen, pay)
    stored = receipts.get_receipt(ui_ctx, session.user, dialog.receipt.number)
    assert stored.payments == [PaymentLine(CARD, 500, 500, 0), PaymentLine(CASH, 247, 1000, 753)]
    assert stored.total_cents == 747 and stored.change_cents == 753
    text = dialog.plain_text()
    assert "Card" in text and "€5.00" in text and "€7.53" in text


def test_a_card_payment_records_the_whole_amount(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "WATER-500")
    pay = open_pay(qtbot, screen)
    pay.card_button.click()
    assert not pay.cash_panel.isVisible()
    dialog = confirm(qtbot, screen, pay)
    assert dialog.receipt.payments == [PaymentLine(CARD, 99, 99, 0)]
    assert dialog.findChild(object, "receiptSummary").text() == "Paid by card."


def test_too_little_cash_cannot_be_confirmed_and_nothing_is_sold(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    products: dict[str, ProductInfo],
) -> None:
    session = session_for(Role.CASHIER)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "CHOC-MILK")
    pay = open_pay(qtbot, screen)
    pay.set_tendered(200)
    assert not pay.confirm_button.isEnabled()
    assert pay.change_label.text() == "Too little: €0.49 still to pay"
    pay.confirm_button.click()
    pay.tendered_edit.setText("two euros")
    assert not pay.confirm_button.isEnabled()
    assert pay.tendered_error.isVisible() and "12.50" in pay.tendered_error.text()
    pay.cancel_button.click()
    qtbot.waitUntil(lambda: not pay.isVisible())
    assert screen.receipt_dialog is None
    assert screen.cart_model.rowCount() == 1
    assert stock_of(ui_ctx, session, products["CHOC-MILK"]) == 3
    assert receipt_search.find_receipts(ui_ctx, session.user) == []


def test_a_payment_the_service_refuses_is_shown_next_to_its_field(
    qtbot: QtBot,
    session_for: SessionFor,
    ui_ctx: ServiceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> checkout.PurchaseResult:
        raise ValidationError(
            "2.00 handed over is less than the 2.49 due in cash.", field="tendered"
        )

    monkeypatch.setattr(checkout, "purchase", refuse)
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "CHOC-MILK")
    pay = open_pay(qtbot, screen)
    pay.confirm_button.click()
    qtbot.waitUntil(pay.tendered_error.isVisible)
    assert "less than the 2.49 due" in pay.tendered_error.text()
    assert pay.isVisible() and not pay.busy
    assert screen.cart_model.rowCount() == 1
    pay.reject()


def test_the_tender_rules_without_widgets() -> None:
    assert evaluate(Method.CASH, 499).payments == [PaymentIn(CASH, 499, 499)]
    short = evaluate(Method.CASH, 499, tendered_text="4.98")
    assert not short.ready and short.tendered_cents == 498
    assert evaluate(Method.CARD, 499).payments == [PaymentIn(CARD, 499)]
    whole_card = evaluate(Method.SPLIT, 499, card_text="4.99", tendered_text="1")
    assert whole_card.payments == [PaymentIn(CARD, 499)] and whole_card.change_cents == 0
    split = evaluate(Method.SPLIT, 499, card_text="1,50", tendered_text="5")
    assert split.payments == [PaymentIn(CARD, 150), PaymentIn(CASH, 349, 500)]
    assert split.change_cents == 151
    for card_text in ("", "0", "5.00", "-1", "abc", "1.234"):
        refused = evaluate(Method.SPLIT, 499, card_text=card_text)
        assert not refused.ready and refused.problem_field == "card", card_text


def receipt_of_a_sale(
    qtbot: QtBot, session_for: SessionFor
) -> tuple[CheckoutScreen, ReceiptDialog]:
    """A cashier's checkout showing the receipt of a sale just paid."""
    screen = open_checkout(qtbot, session_for(Role.CASHIER))
    scan(qtbot, screen, "COLA-330")
    dialog = confirm(qtbot, screen, open_pay(qtbot, screen))
    qtbot.waitExposed(dialog)
    return screen, dialog


def test_a_scan_while_the_receipt_shows_starts_the_next_sale_with_nothing_lost(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    screen, dialog = receipt_of_a_sale(qtbot, session_for)

    qtbot.keyClick(dialog.focusWidget() or dialog, "C")  # the scanner's first character
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(screen.scan_field.hasFocus)
    qtbot.keyClicks(screen.scan_field, "RISP-SALT")  # the rest goes where the focus now is
    assert screen.scan_field.text() == "CRISP-SALT"
    qtbot.keyClick(screen.scan_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not screen.busy and not screen.cart_model.is_empty())
    assert [line.name for line in screen.cart_model.lines()] == ["Crisps, sea salt"]


def test_the_receipt_keeps_its_own_keys(
    qtbot: QtBot, session_for: SessionFor, ui_ctx: ServiceContext
) -> None:
    screen, dialog = receipt_of_a_sale(qtbot, session_for)

    qtbot.keyClick(
        dialog.focusWidget() or dialog, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
    )
    assert dialog.isVisible()
    assert screen.scan_field.text() == ""
