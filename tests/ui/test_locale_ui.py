"""A shop in its own locale: a German till shows and takes 12,50 € and 05.12.26; a yen till
has no decimals anywhere, from the amount fields to the receipt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from PySide6.QtCore import QDate, QLocale
from pytestqt.qtbot import QtBot

from pos_app.domain.shop_format import ShopFormat
from pos_app.services.roles import Role
from pos_app.ui.audit.screen import AuditScreen
from pos_app.ui.checkout.pay_dialog import PayDialog
from pos_app.ui.checkout.price_dialog import PriceDialog
from pos_app.ui.receipts import ReceiptsScreen
from pos_app.ui.session import UiSession
from pos_app.ui.translation import day_entry_format
from tests.ui.till_helpers import confirm, open_checkout, open_pay, scan

SessionFor = Callable[[Role], UiSession]


def in_locale(session: UiSession, locale: str, currency: str = "EUR") -> UiSession:
    settings = replace(session.settings, locale=locale, currency=currency)
    ctx = replace(session.ctx, currency=settings.currency, locale=settings.locale)
    return replace(session, settings=settings, ctx=ctx)


def test_a_german_till_takes_and_shows_money_and_dates_the_german_way(
    qtbot: QtBot, session_for: SessionFor
) -> None:
    session = in_locale(session_for(Role.CASHIER), "de_DE")
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "2*COLA-330")
    scan(qtbot, screen, "CRISP-SALT")
    pay = open_pay(qtbot, screen)
    assert pay.total_label.text() == "4,99\xa0€"
    assert pay.tendered_edit.placeholderText() == "4,99"
    assert pay.quick_buttons[1].text().startswith("10\xa0€")
    pay.tendered_edit.setText("4,50")
    assert "0,49\xa0€" in pay.change_label.text()
    pay.tendered_edit.setText("1.000,00 €")
    assert pay.change_label.text() == "995,01\xa0€"
    pay.tendered_edit.setText("10,00")
    assert pay.change_label.text() == "5,01\xa0€"
    receipt = confirm(qtbot, screen, pay)
    html = receipt.html
    day = session.fmt.date(receipt.receipt.local_time)
    assert "." in day and day in html
    for amount in ("4,99\xa0€", "10,00\xa0€", "5,01\xa0€"):
        assert amount in html
    receipt.close()


@pytest.mark.parametrize(
    ("locale", "currency", "typed", "price"),
    [("de_DE", "EUR", "1,99", 199), ("de_DE", "EUR", "2.49", 249), ("ja_JP", "JPY", "150", 150)],
)
def test_the_price_field_takes_the_locale_s_way(
    qtbot: QtBot, session_for: SessionFor, locale: str, currency: str, typed: str, price: int
) -> None:
    session = in_locale(session_for(Role.MANAGER), locale, currency)
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "COLA-330")
    dialog = PriceDialog(screen.cart_model.line(0), session.fmt, None, screen)
    qtbot.addWidget(dialog)
    dialog.set_price_text(typed)
    dialog.apply_button.click()
    assert dialog.price_cents == price


def test_a_yen_till_has_no_decimals(qtbot: QtBot, session_for: SessionFor) -> None:
    session = in_locale(session_for(Role.CASHIER), "ja_JP", "JPY")
    screen = open_checkout(qtbot, session)
    scan(qtbot, screen, "COLA-330")
    pay = open_pay(qtbot, screen)
    assert pay.total_label.text() == "￥150"
    assert pay.tendered_edit.placeholderText() == "150"
    pay.tendered_edit.setText("150.5")
    assert pay.tendered_error.text() == "This currency has no decimals: enter a whole amount."
    pay.tendered_edit.setText("abc")
    assert pay.tendered_error.text() == "Enter an amount such as 12."
    pay.tendered_edit.setText("200")
    assert pay.change_label.text() == "￥50"
    pay.reject()


def _never_charged(payments: object) -> object:
    raise AssertionError("the test does not confirm the payment")


@pytest.mark.parametrize(
    ("locale", "currency", "total", "notes", "click", "change"),
    [
        ("ja_JP", "JPY", 1234, ["￥1,000", "￥5,000", "￥10,000"], 1, "￥3,766"),
        ("en_US", "KWD", 2750, ["KWD0.500", "KWD1", "KWD5", "KWD10", "KWD20"], 2, "KWD2.250"),
        ("en_US", "BHD", 12345, ["BHD0.500", "BHD1", "BHD5", "BHD10", "BHD20"], 4, "BHD7.655"),
    ],
)
def test_the_quick_tender_notes_are_the_currencys_own(
    qtbot: QtBot,
    locale: str,
    currency: str,
    total: int,
    notes: list[str],
    click: int,
    change: str,
) -> None:
    pay = PayDialog(total, ShopFormat(locale, currency), _never_charged)  # type: ignore[arg-type]
    qtbot.addWidget(pay)
    pay.show()
    assert [button.text() for button in pay.quick_buttons] == notes
    assert [button.isEnabled() for button in pay.quick_buttons][:click] == [False] * click
    pay.quick_buttons[click].click()
    assert pay.change_label.text() == change


@pytest.mark.parametrize(
    ("locale", "shown"),
    [("en_US", "Sat 12/5/2026"), ("de_DE", "Sa. 05.12.2026")],
)
def test_a_day_is_typed_the_way_the_shop_writes_its_dates(
    qtbot: QtBot, session_for: SessionFor, locale: str, shown: str
) -> None:
    before = QLocale()
    QLocale.setDefault(QLocale(locale))
    try:
        screen = ReceiptsScreen(session_for(Role.CASHIER))
        qtbot.addWidget(screen)
        screen.date_edit.setDate(QDate(2026, 12, 5))
        assert screen.date_edit.text() == shown
        assert AuditScreen._date_edit("auditFrom").displayFormat() == day_entry_format()
    finally:
        QLocale.setDefault(before)
