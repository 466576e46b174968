"""How this shop writes money and dates: the one place screens, receipts and reports ask.

A :class:`ShopFormat` binds the shop's locale (``POS_LOCALE``) and currency (``POS_CURRENCY``).
Money goes through :mod:`pos_app.domain.money`; dates and times through Babel's CLDR patterns
(``12/5/26`` in en_US, ``05.12.26`` in de_DE). Times handed in are already in the shop's zone:
turning UTC into the shop's zone stays with the caller, who knows the zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_decimal_symbol

from pos_app.domain.money import (
    DEFAULT_LOCALE,
    example_amount,
    format_money,
    format_plain,
    minor_to_decimal,
    minor_units,
    parse_money,
)

NOTES = (5, 10, 20, 50, 100)  # whole units of the currency, offered as quick tender buttons


@dataclass(frozen=True)
class ShopFormat:
    locale: str = DEFAULT_LOCALE
    currency: str = "EUR"

    @property
    def minor_units(self) -> int:
        return minor_units(self.currency)

    def money(self, amount: int) -> str:
        """Minor units as the shop writes money: '€12.50', '12,50 €', '¥1,250'."""
        return format_money(amount, self.currency, self.locale)

    def parse_money(self, text: object, field: str = "price") -> int:
        """What a cashier typed, in the shop's own way or as :meth:`money` showed it."""
        return parse_money(text, field, self.currency, self.locale)

    def amount(self, amount: int) -> str:
        """Minor units as the number an amount field shows, without the currency: '12,50'."""
        places = self.minor_units
        pattern = "0." + "0" * places if places else "0"
        value = minor_to_decimal(amount, self.currency)
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def whole_money(self, amount: int) -> str:
        """Money without decimals when they are all zero: '€20', '20 €' for a note."""
        places = self.minor_units
        if places == 0 or amount % 10**places:
            return self.money(amount)
        zeros = str(get_decimal_symbol(self.locale)) + "0" * places
        return self.money(amount).replace(zeros, "")

    def notes(self) -> tuple[int, ...]:
        """The quick-tender notes 5, 10, 20, 50 and 100 of the currency, in minor units."""
        return tuple(note * 10**self.minor_units for note in NOTES)

    def plain(self, amount: int) -> str:
        """Minor units for machines: a dot and the currency's decimals ('12.50', '1250')."""
        return format_plain(amount, self.currency)

    def example(self) -> str:
        """An amount to show in a placeholder or a message: '12.50', '12,50', '12'."""
        return example_amount(self.currency, self.locale)

    def date(self, day: dt.date | dt.datetime) -> str:
        """The locale's short date: '12/5/26' (en_US), '05.12.26' (de_DE)."""
        return str(format_date(_day(day), format="short", locale=self.locale))

    def long_date(self, day: dt.date | dt.datetime) -> str:
        """The weekday and the locale's medium date, for headings: 'Sat, Dec 5, 2026'."""
        weekday = format_date(_day(day), format="EEE", locale=self.locale)
        return f"{weekday}, {format_date(_day(day), format='medium', locale=self.locale)}"

    def pattern(self, day: dt.date | dt.datetime, pattern: str) -> str:
        """A date in a CLDR pattern ('MMM y'), with the locale's month and day names."""
        return str(format_date(_day(day), format=pattern, locale=self.locale))

    def time(self, moment: dt.datetime) -> str:
        """The locale's short time: '11:34 AM' (en_US), '11:34' (de_DE)."""
        return str(format_time(moment.time(), format="short", locale=self.locale))

    def time_with_seconds(self, moment: dt.datetime) -> str:
        return str(format_time(moment.time(), format="medium", locale=self.locale))

    def date_time(self, moment: dt.datetime) -> str:
        """Short date and short time: '12/5/26 11:34 AM', '05.12.26 11:34'."""
        return f"{self.date(moment)} {self.time(moment)}"


DEFAULT_FORMAT = ShopFormat()
"""The format of a shop that set neither locale nor currency."""


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


__all__ = ["DEFAULT_FORMAT", "ShopFormat"]
