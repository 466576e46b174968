"""Scale labels: EAN-13 codes a shop's scale prints, carrying an item code and a price or weight.

Codes starting 20 to 29 are for use inside a shop; what their digits mean is the shop's choice,
so the layout is a setting (``POS_SCALE_LABEL_LAYOUT``): the name of a preset below, or one rule
or more separated by ``;``, each ``PREFIXES=PATTERN``:

* ``PREFIXES``: the two-digit prefixes the rule reads, each from 20 to 29: ``28``, ``28,29`` or
  a range ``20-24``.
* ``PATTERN``: thirteen symbols, one per digit of the code (spaces are ignored). It starts with
  ``PP`` (the prefix) and ends with ``K`` (the EAN-13 check digit); in between:

  - ``C`` the item code, one run of 1 to 6 digits: the product's scale code (PLU);
  - ``P`` the price, in cents, or ``W`` the weight, in grams: one run of 3 to 6 digits;
  - ``V`` the price check digit: right before a price or weight of 4 or 5 digits, checked
    with the GS1 weighted price check digit algorithm;
  - ``X`` a digit that is ignored.

So ``28,29=PP CCCCC V WWWW K`` reads ``2812345`` + check + ``0455`` as 455 g of item 12345.

Both the EAN-13 check digit and, where the layout has one, the price check digit are verified; a
code whose prefix no rule reads is no scale label and is looked up as an ordinary barcode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.barcodes import ean13_check_digit, is_valid_gtin
from pos_app.domain.errors import ValidationError

FIELD = "scale_label_layout"
LABEL_LENGTH = 13
PRESETS: dict[str, str] = {
    # GS1 Germany: 21/22 a price up to 99.99, 28/29 a weight up to 9.999 kg, each after a price
    # check digit; five-digit item codes.
    "gs1-de": "21,22=PP CCCCC V PPPP K; 28,29=PP CCCCC V WWWW K",
    # Five-digit item code, five-digit value, no price check digit (many scales' default).
    "code5-price5": "20-29=PP CCCCC PPPPP K",
    "code5-weight5": "20-29=PP CCCCC WWWWW K",
    # Four-digit item code, price check digit, price up to 999.99.
    "code4-price5": "20-29=PP CCCC V PPPPP K",
}
DEFAULT_LAYOUT = "gs1-de"

# Weighted products of the GS1 price check digit (General Specifications 7.9.3): for each
# weighting factor, the digit it turns each digit 0-9 into.
_TIMES_2_MINUS = (0, 2, 4, 6, 8, 9, 1, 3, 5, 7)
_TIMES_3 = (0, 3, 6, 9, 2, 5, 8, 1, 4, 7)
_TIMES_5_PLUS = (0, 5, 1, 6, 2, 7, 3, 8, 4, 9)
_TIMES_5_MINUS = (0, 5, 9, 4, 8, 3, 7, 2, 6, 1)
_FOUR_DIGIT_FACTORS = (_TIMES_2_MINUS, _TIMES_2_MINUS, _TIMES_3, _TIMES_5_MINUS)
_FIVE_DIGIT_FACTORS = (_TIMES_5_PLUS, _TIMES_2_MINUS, _TIMES_5_MINUS, _TIMES_5_PLUS, _TIMES_2_MINUS)
_RUN = re.compile(r"(.)\1*")


class LabelValue(StrEnum):
    PRICE = "price"
    WEIGHT = "weight"


@dataclass(frozen=True)
class LabelRule:
    """How the codes with some prefixes are read: where the item code and value are."""

    prefixes: frozenset[str]
    pattern: str
    code: slice
    value: slice
    value_kind: LabelValue
    price_check: int | None

    def read(self, barcode: str) -> ScaleLabel:
        digits = barcode[self.value]
        if self.price_check is not None:
            expected = price_check_digit(digits)
            if barcode[self.price_check] != expected:
                raise ValidationError(
                    "The scale label's price check digit is wrong; scan it again or type the "
                    "weight.",
                    field="barcode",
                )
        value = int(digits)
        return ScaleLabel(
            barcode=barcode,
            item_code=int(barcode[self.code]),
            price_cents=value if self.value_kind is LabelValue.PRICE else None,
            grams=value if self.value_kind is LabelValue.WEIGHT else None,
        )

    def make(self, prefix: str, item_code: int, value: int) -> str:
        """The label this rule reads as ``item_code`` with ``value`` (cents or grams)."""
        if prefix not in self.prefixes:
            raise ValueError(f"prefix {prefix} is not read by this rule")
        code = _digits(item_code, self.code.stop - self.code.start)
        amount = _digits(value, self.value.stop - self.value.start)
        digits = list(prefix) + ["0"] * (LABEL_LENGTH - 3)
        digits[self.code] = code
        digits[self.value] = amount
        if self.price_check is not None:
            digits[self.price_check] = price_check_digit(amount)
        first12 = "".join(digits)
        return first12 + ean13_check_digit(first12)


@dataclass(frozen=True)
class LabelLayout:
    """A shop's rules for its scale labels, at most one per prefix."""

    rules: tuple[LabelRule, ...]

    def rule_for(self, barcode: str) -> LabelRule | None:
        return next((rule for rule in self.rules if barcode[:2] in rule.prefixes), None)

    @property
    def prefixes(self) -> frozenset[str]:
        return frozenset(prefix for rule in self.rules for prefix in rule.prefixes)


@dataclass(frozen=True)
class ScaleLabel:
    """What a scale label says: the item code and either a price (cents) or a weight (grams)."""

    barcode: str
    item_code: int
    price_cents: int | None
    grams: int | None


def price_check_digit(value: str) -> str:
    """The GS1 price check digit of a 4- or 5-digit price (or weight) field."""
    if len(value) == 4 and value.isascii() and value.isdigit():
        total = sum(factor[int(d)] for factor, d in zip(_FOUR_DIGIT_FACTORS, value, strict=True))
        return str(total * 3 % 10)
    if len(value) == 5 and value.isascii() and value.isdigit():
        total = sum(factor[int(d)] for factor, d in zip(_FIVE_DIGIT_FACTORS, value, strict=True))
        return str(_TIMES_5_MINUS.index((10 - total % 10) % 10))
    raise ValueError("a price check digit covers 4 or 5 digits")


def _digits(value: int, width: int) -> str:
    text = str(value)
    if value < 0 or len(text) > width:
        raise ValueError(f"{value} does not fit in {width} digits")
    return text.zfill(width)


def parse_layout(text: object) -> LabelLayout:
    """A preset name or ``PREFIXES=PATTERN`` rules; a mistake raises a ValidationError."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(_problem("name a preset or give rules"), field=FIELD)
    cleaned = text.strip()
    source = PRESETS.get(cleaned.lower(), cleaned)
    rules = tuple(_parse_rule(part) for part in source.split(";") if part.strip())
    if not rules:
        raise ValidationError(_problem("name a preset or give rules"), field=FIELD)
    seen: set[str] = set()
    for rule in rules:
        if clash := sorted(seen & rule.prefixes):
            raise ValidationError(_problem(f"prefix {clash[0]} has two rules"), field=FIELD)
        seen |= rule.prefixes
    return LabelLayout(rules)


def _problem(what: str) -> str:
    presets = ", ".join(PRESETS)
    return f"The scale label layout is not valid: {what} (presets: {presets})."


def _parse_rule(text: str) -> LabelRule:
    head, equals, pattern_text = text.partition("=")
    if not equals:
        raise ValidationError(
            _problem(f"'{text.strip()}' needs the form PREFIXES=PATTERN"), field=FIELD
        )
    prefixes = _parse_prefixes(head)
    pattern = "".join(pattern_text.split()).upper()
    return _rule_from_pattern(prefixes, pattern)


def _parse_prefixes(text: str) -> frozenset[str]:
    prefixes: set[str] = set()
    for part in text.split(","):
        first, dash, last = part.strip().partition("-")
        ends = (first.strip(), last.strip() if dash else first.strip())
        if not all(end.isascii() and end.isdigit() and 20 <= int(end) <= 29 for end in ends):
            raise ValidationError(
                _problem(f"'{part.strip()}' is not a prefix from 20 to 29"), field=FIELD
            )
        low, high = int(ends[0]), int(ends[1])
        if low > high:
            raise ValidationError(_problem(f"the range '{part.strip()}' is backwards"), field=FIELD)
        prefixes.update(str(number) for number in range(low, high + 1))
    return frozenset(prefixes)


def _rule_from_pattern(prefixes: frozenset[str], pattern: str) -> LabelRule:
    if len(pattern) != LABEL_LENGTH:
        raise ValidationError(
            _problem(f"'{pattern}' has {len(pattern)} digits; an EAN-13 label has 13"),
            field=FIELD,
        )
    if not pattern.startswith("PP") or not pattern.endswith("K"):
        raise ValidationError(
            _problem(f"'{pattern}' must start with PP (the prefix) and end with K"), field=FIELD
        )
    runs: dict[str, slice] = {}
    for match in _RUN.finditer(pattern[2:-1]):
        symbol, run = match[1], slice(match.start() + 2, match.end() + 2)
        if symbol not in "CPWVX":
            raise ValidationError(_problem(f"'{symbol}' is not a pattern symbol"), field=FIELD)
        if symbol in runs and symbol != "X":
            raise ValidationError(_problem(f"'{symbol}' must be one run of digits"), field=FIELD)
        runs[symbol] = run
    return _checked_rule(prefixes, pattern, runs)


def _checked_rule(prefixes: frozenset[str], pattern: str, runs: dict[str, slice]) -> LabelRule:
    code = runs.get("C")
    if code is None or code.stop - code.start > 6:
        raise ValidationError(_problem(f"'{pattern}' needs an item code of 1 to 6 C"), field=FIELD)
    kinds = [kind for kind in (LabelValue.PRICE, LabelValue.WEIGHT) if _symbol(kind) in runs]
    if len(kinds) != 1:
        raise ValidationError(
            _problem(f"'{pattern}' needs either a price (P) or a weight (W)"), field=FIELD
        )
    value = runs[_symbol(kinds[0])]
    width = value.stop - value.start
    if not 3 <= width <= 6:
        raise ValidationError(_problem(f"'{pattern}' needs a value of 3 to 6 digits"), field=FIELD)
    check = runs.get("V")
    if check is not None and (check.stop - check.start != 1 or check.stop != value.start):
        raise ValidationError(
            _problem(f"'{pattern}': one V goes right before the price or weight"), field=FIELD
        )
    if check is not None and width not in (4, 5):
        raise ValidationError(
            _problem(f"'{pattern}': a price check digit covers 4 or 5 digits"), field=FIELD
        )
    return LabelRule(
        prefixes, pattern, code, value, kinds[0], None if check is None else check.start
    )


def _symbol(kind: LabelValue) -> str:
    return "P" if kind is LabelValue.PRICE else "W"


def read_scale_label(code: object, layout: LabelLayout) -> ScaleLabel | None:
    """The label a scanned code is, or None when the layout reads no code with its prefix.

    A code the layout reads must have a right EAN-13 check digit and price check digit.
    """
    if not isinstance(code, str):
        return None
    text = code.strip()
    if len(text) != LABEL_LENGTH or not (text.isascii() and text.isdigit()):
        return None
    rule = layout.rule_for(text)
    if rule is None:
        return None
    if not is_valid_gtin(text):
        raise ValidationError(
            "The scale label's check digit is wrong; scan it again or type the weight.",
            field="barcode",
        )
    return rule.read(text)


__all__ = [
    "DEFAULT_LAYOUT",
    "PRESETS",
    "LabelLayout",
    "LabelRule",
    "LabelValue",
    "ScaleLabel",
    "parse_layout",
    "price_check_digit",
    "read_scale_label",
]
