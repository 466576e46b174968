"""Dates and times in the shop's locale: short forms for lists, receipts and reports."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pos_app.domain.errors import ConflictError
from pos_app.domain.refunds import check_returnable
from pos_app.domain.shop_format import ShopFormat

MOMENT = datetime(2026, 12, 5, 14, 7, 9)


@pytest.mark.parametrize(
    ("locale", "day", "when", "heading"),
    [
        ("en_US", "12/5/26", "12/5/26 2:07\u202fPM", "Sat, Dec 5, 2026"),
        ("de_DE", "05.12.26", "05.12.26 14:07", "Sa., 05.12.2026"),
        ("ja_JP", "2026/12/05", "2026/12/05 14:07", "土, 2026/12/05"),
    ],
)
def test_dates_use_the_locale_s_short_form(locale: str, day: str, when: str, heading: str) -> None:
    shop = ShopFormat(locale)
    assert shop.date(date(2026, 12, 5)) == day
    assert shop.date(MOMENT) == day
    assert shop.date_time(MOMENT) == when
    assert shop.long_date(MOMENT) == heading


def test_times_with_seconds_for_the_clock_and_the_audit_log() -> None:
    assert ShopFormat("de_DE").time_with_seconds(MOMENT) == "14:07:09"


@pytest.mark.parametrize(
    ("locale", "weight", "count", "pieces", "decimal"),
    [
        ("en_US", "1.250 kg", "12,345", "1,250", "2.5"),
        ("de_DE", "1,250 kg", "12.345", "1.250", "2,5"),
    ],
)
def test_weights_counts_and_decimals_follow_the_shops_locale(
    locale: str, weight: str, count: str, pieces: str, decimal: str
) -> None:
    shop = ShopFormat(locale, "EUR")
    assert shop.weight(1250) == weight
    assert shop.quantity(1250, "weight") == weight
    assert shop.number(12345) == count
    assert shop.quantity(1250, "piece") == pieces
    assert shop.decimal(2.5) == decimal


def test_a_refund_of_more_than_is_left_says_so_in_the_shops_locale() -> None:
    with pytest.raises(ConflictError, match=r"Only 0,257 kg of Gouda can still be returned"):
        check_returnable("Gouda", 457, 200, 300, "weight", "de_DE")
    with pytest.raises(ConflictError, match=r"Only 1,200 of Cups can still be returned"):
        check_returnable("Cups", 1500, 300, 1300)
