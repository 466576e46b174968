from __future__ import annotations

import pytest

from pos_app.domain.banknotes import banknotes
from pos_app.domain.shop_format import ShopFormat


@pytest.mark.parametrize(
    ("currency", "notes"),
    [
        ("EUR", (500, 1000, 2000, 5000, 10000)),
        ("GBP", (500, 1000, 2000, 5000)),
        ("JPY", (1000, 5000, 10000)),
        ("jpy", (1000, 5000, 10000)),
        ("KRW", (1000, 5000, 10000, 50000)),
        ("KWD", (500, 1000, 5000, 10000, 20000)),
        ("BHD", (500, 1000, 5000, 10000, 20000)),
    ],
)
def test_the_notes_are_the_currencys_own_in_its_minor_units(
    currency: str, notes: tuple[int, ...]
) -> None:
    assert banknotes(currency) == notes


@pytest.mark.parametrize(
    ("currency", "notes"),
    [
        ("CLP", (1000, 5000, 10000)),  # no minor units: thousands of pesos
        ("TND", (1000, 5000, 10000, 20000)),  # three decimals: 1 to 20 dinars
        ("MXN", (500, 1000, 2000, 5000, 10000)),
    ],
)
def test_a_currency_not_in_the_table_gets_notes_that_fit_its_decimals(
    currency: str, notes: tuple[int, ...]
) -> None:
    assert banknotes(currency) == notes


def test_the_buttons_read_as_whole_notes_in_the_shops_locale() -> None:
    yen = ShopFormat("ja_JP", "JPY")
    assert [yen.whole_money(note) for note in yen.notes()] == ["￥1,000", "￥5,000", "￥10,000"]
    dinar = ShopFormat("en_US", "KWD")
    assert [dinar.whole_money(note) for note in dinar.notes()][1:] == [
        "KWD1",
        "KWD5",
        "KWD10",
        "KWD20",
    ]
    assert dinar.whole_money(dinar.notes()[0]) == "KWD0.500"
