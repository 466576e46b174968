"""How this shop writes money and dates: the one place screens, receipts and reports ask.

A :class:`ShopFormat` binds the shop's locale (``POS_LOCALE``) and currency (``POS_CURRENCY``).
Money goes through :mod:`pos_app.domain.money`, weights through :mod:`pos_app.domain.weights`;
counts and other numbers take the locale's grouping and decimal mark (``1,250`` and ``1.5`` in
en_US, ``1.250`` and ``1,5`` in de_DE); dates and times go through Babel's CLDR patterns
(``12/5/26`` in en_US, ``05.12.26`` in de_DE). Times handed in are already in the shop's zone:
turning UTC into the shop's zone stays with the caller, who knows the zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, get_decimal_symbol

from pos_app.domain.banknotes import banknotes
from pos_app.domain.money import (
    DEFAULT_LOCALE,
    example_amount,
    format_money,
    format_plain,
    minor_to_decimal,
    minor_units,
    parse_money,
)
from pos_app.domain.weights import format_quantity, format_weight


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
        """The currency's usual banknotes, in minor units, for the quick-tender buttons."""
        return banknotes(self.currency)

    def number(self, value: int) -> str:
        """A count with the locale's grouping: '12,345' (en_US), '12.345' (de_DE)."""
        return str(format_decimal(value, format="#,##0", locale=self.locale))

    def decimal(self, value: float | Decimal, places: int = 1) -> str:
        """A number with ``places`` decimals in the locale's way: '2.5', '2,5'."""
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def weight(self, grams: int) -> str:
        """Grams as kilograms with three decimals: '1.250 kg' (en_US), '1,250 kg' (de_DE)."""
        return format_weight(grams, self.locale)

    def quantity(self, quantity: int, sold_by: str) -> str:
        """A line's or a stock's quantity: a count of pieces, or the weight of a weighed one."""
        return format_quantity(quantity, sold_by, self.locale)

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
