"""Dates and times in the shop's locale: short forms for lists, receipts and reports."""

from __future__ import annotations

from datetime import date, datetime

import pytest

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
