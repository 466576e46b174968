"""Product codes: GTIN barcodes (EAN-13, UPC-A) and stock-keeping units (SKUs).

Barcodes are stored in their 13-digit form: a UPC-A code is an EAN-13 code with a leading zero,
so a scanner that reports either form finds the same product.
"""

from __future__ import annotations

from pos_app.domain.errors import ValidationError

MAX_SKU_LENGTH = 64
BAD_BARCODE = "Enter a valid EAN-13 (13 digits) or UPC-A (12 digits) barcode."
BAD_SKU = (
    f"Enter an SKU of 1 to {MAX_SKU_LENGTH} letters, digits or symbols (plain ASCII, no spaces)."
)


def _is_digits(code: str) -> bool:
    return code.isascii() and code.isdigit()


def _check_digit(data: str) -> str:
    """The GTIN check digit for ``data``: weights 3, 1, 3, ... from the rightmost digit."""
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(data[::-1]))
    return str((10 - total % 10) % 10)


def ean13_check_digit(first12: str) -> str:
    """The check digit completing the 12 digits ``first12`` into an EAN-13 code."""
    if not isinstance(first12, str) or len(first12) != 12 or not _is_digits(first12):
        raise ValidationError("An EAN-13 code starts with exactly 12 digits.", field="barcode")
    return _check_digit(first12)


def is_valid_gtin(code: object) -> bool:
    """True for an EAN-13 or UPC-A code whose check digit is right."""
    if not isinstance(code, str) or len(code) not in (12, 13) or not _is_digits(code):
        return False
    return _check_digit(code[:-1]) == code[-1]


def normalize_barcode(raw: object) -> str | None:
    """A scanned or typed barcode in its stored 13-digit form; blank means no barcode."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise ValidationError(BAD_BARCODE, field="barcode")
    code = raw.strip()
    if not code:
        return None
    if not is_valid_gtin(code):
        raise ValidationError(barcode_problem(code), field="barcode")
    return code if len(code) == 13 else "0" + code


def barcode_problem(code: str) -> str:
    """What is wrong with ``code`` (not a valid GTIN), in the words of what was given."""
    if not _is_digits(code):
        return "A barcode has digits only; " + BAD_BARCODE[0].lower() + BAD_BARCODE[1:]
    if len(code) not in (12, 13):
        return f"{code} has {len(code)} digits; {BAD_BARCODE[0].lower()}{BAD_BARCODE[1:]}"
    kind = "an EAN-13" if len(code) == 13 else "a UPC-A"
    return (
        f"{code} has the {len(code)} digits of {kind} barcode, but its check digit (the last) "
        f"does not fit: it should be {_check_digit(code[:-1])}. Check the number for a typo."
    )


def normalize_sku(raw: object) -> str:
    """An SKU as stored: printable ASCII without whitespace, 1 to 64 characters."""
    if not isinstance(raw, str):
        raise ValidationError(BAD_SKU, field="sku")
    sku = raw.strip()
    if not 1 <= len(sku) <= MAX_SKU_LENGTH or not all("!" <= char <= "~" for char in sku):
        raise ValidationError(BAD_SKU, field="sku")
    return sku


__all__ = [
    "BAD_BARCODE",
    "BAD_SKU",
    "MAX_SKU_LENGTH",
    "barcode_problem",
    "ean13_check_digit",
    "is_valid_gtin",
    "normalize_barcode",
    "normalize_sku",
]
