"""The banknotes a customer hands over, per currency: the Pay dialog's quick-tender buttons.

Notes are written in major units and turned into minor units with the currency's own decimals,
so a yen shop offers ¥1,000, ¥5,000 and ¥10,000 and a dinar shop 1, 5, 10 and 20 dinars
(1,000 to 20,000 fils), never "10.00". A currency not in the table gets the notes its number of
decimals suggests: a currency without minor units counts in thousands, one with three decimals
in single units, and the rest in fives to hundreds.
"""

from __future__ import annotations

from decimal import Decimal

from pos_app.domain.money import decimal_to_minor, minor_units

_NOTES: dict[str, tuple[str, ...]] = {
    "EUR": ("5", "10", "20", "50", "100"),
    "USD": ("5", "10", "20", "50", "100"),
    "CAD": ("5", "10", "20", "50", "100"),
    "AUD": ("5", "10", "20", "50", "100"),
    "NZD": ("5", "10", "20", "50", "100"),
    "GBP": ("5", "10", "20", "50"),
    "CHF": ("10", "20", "50", "100", "200"),
    "SEK": ("20", "50", "100", "200", "500"),
    "NOK": ("50", "100", "200", "500"),
    "DKK": ("50", "100", "200", "500"),
    "PLN": ("10", "20", "50", "100", "200"),
    "CZK": ("100", "200", "500", "1000", "2000"),
    "HUF": ("1000", "2000", "5000", "10000", "20000"),
    "ISK": ("500", "1000", "5000", "10000"),
    "JPY": ("1000", "5000", "10000"),
    "KRW": ("1000", "5000", "10000", "50000"),
    "KWD": ("0.5", "1", "5", "10", "20"),
    "BHD": ("0.5", "1", "5", "10", "20"),
    "OMR": ("1", "5", "10", "20", "50"),
    "JOD": ("1", "5", "10", "20", "50"),
}
_BY_DECIMALS: dict[int, tuple[str, ...]] = {
    0: ("1000", "5000", "10000"),
    3: ("1", "5", "10", "20"),
}
_USUAL = ("5", "10", "20", "50", "100")


def banknotes(currency: str) -> tuple[int, ...]:
    """The usual notes of ``currency`` in minor units, smallest first."""
    code = currency.upper()
    notes = _NOTES.get(code) or _BY_DECIMALS.get(minor_units(code), _USUAL)
    return tuple(decimal_to_minor(Decimal(note), code) for note in notes)


__all__ = ["banknotes"]
