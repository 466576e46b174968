"""The demo shop's money in the shop's currency.

The demo catalog is priced in euro cents. A shop in another currency gets those prices scaled
by a rough price level and rounded the way shops in that currency price goods: a yen shop sells
bread for ¥240 (to ten yen), a Bahraini shop for BHD 0.610 (to five fils), never "¥1.49". The
drawer's float and the notes customers pay with follow the currency too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pos_app.domain.banknotes import banknotes
from pos_app.domain.money import minor_units

# currency: (about how many of its major units buy what a euro buys, the step prices round to,
# in minor units)
_LEVELS: dict[str, tuple[str, int]] = {
    "EUR": ("1", 1),
    "USD": ("1.1", 1),
    "CAD": ("1.5", 1),
    "AUD": ("1.6", 1),
    "GBP": ("0.85", 1),
    "CHF": ("1", 5),
    "SEK": ("11.5", 10),
    "NOK": ("11.5", 10),
    "DKK": ("7.5", 5),
    "PLN": ("4.3", 1),
    "CZK": ("25", 100),
    "JPY": ("160", 10),
    "KRW": ("1450", 100),
    "KWD": ("0.33", 5),
    "BHD": ("0.41", 5),
    "OMR": ("0.42", 5),
    "JOD": ("0.77", 5),
}
# A currency not in the table, by its decimals: without minor units it counts in hundreds,
# with three decimals in fractions of a unit.
_BY_DECIMALS: dict[int, tuple[str, int]] = {0: ("100", 10), 3: ("0.4", 5)}
_USUAL = ("1", 1)
DEMO_FLOAT_EUR_CENTS = 10_000


@dataclass(frozen=True)
class DemoMoney:
    currency: str
    per_euro: Decimal
    step: int

    @classmethod
    def of(cls, currency: str) -> DemoMoney:
        code = currency.upper()
        level, step = _LEVELS.get(code) or _BY_DECIMALS.get(minor_units(code), _USUAL)
        return cls(code, Decimal(level), step)

    def price(self, euro_cents: int) -> int:
        """A euro-cent price of the demo list in the shop's minor units, rounded to the step."""
        minor = (Decimal(euro_cents).scaleb(-2) * self.per_euro).scaleb(minor_units(self.currency))
        steps = (minor / self.step).to_integral_value(rounding=ROUND_HALF_UP)
        return max(int(steps), 1) * self.step

    @property
    def float_amount(self) -> int:
        """The cash in the drawer when a demo day opens: about a hundred euros' worth, in notes."""
        smallest = self.notes[0]
        return -(-self.price(DEMO_FLOAT_EUR_CENTS) // smallest) * smallest

    @property
    def notes(self) -> tuple[int, ...]:
        return banknotes(self.currency)

    def handed_over(self, total: int) -> int:
        """What a customer paying cash hands over: the first note that covers the total, else
        the total rounded up to the smallest note."""
        smallest = self.notes[0]
        return next(
            (note for note in self.notes if note >= total), -(-total // smallest) * smallest
        )


__all__ = ["DemoMoney"]
