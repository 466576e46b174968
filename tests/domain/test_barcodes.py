"""Barcodes: GTIN check digits; UPC-A is stored as EAN-13 with a leading zero."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.barcodes import (
    ean13_check_digit,
    is_valid_gtin,
    normalize_barcode,
    normalize_sku,
)
from pos_app.domain.errors import ValidationError

DIGITS12 = st.text("0123456789", min_size=12, max_size=12)


@given(DIGITS12)
def test_twelve_digits_and_their_check_digit_make_a_valid_ean13(first12: str) -> None:
    code = first12 + ean13_check_digit(first12)
    assert is_valid_gtin(code)
    assert normalize_barcode(code) == code
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not is_valid_gtin(wrong)


@given(DIGITS12)
def test_a_upc_a_code_is_the_ean13_code_without_its_leading_zero(first12: str) -> None:
    code = "0" + first12[1:] + ean13_check_digit("0" + first12[1:])
    assert is_valid_gtin(code[1:])
    assert normalize_barcode(code[1:]) == code


def test_known_codes() -> None:
    assert ean13_check_digit("400638133393") == "1"
    assert normalize_barcode("036000291452") == "0036000291452"
    assert normalize_barcode("  ") is None and normalize_barcode(None) is None


@pytest.mark.parametrize("raw", ["4006381333932", "12345", "\uff10" * 13, 12])
def test_bad_barcodes_are_refused(raw: object) -> None:
    with pytest.raises(ValidationError) as raised:
        normalize_barcode(raw)
    assert raised.value.field == "barcode"


def test_skus_are_printable_ascii_without_spaces() -> None:
    assert normalize_sku("  AB-12 ") == "AB-12"
    for bad in ["", "a b", "é", "x" * 65, None]:
        with pytest.raises(ValidationError):
            normalize_sku(bad)
