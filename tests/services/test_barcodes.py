from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos_app.services.barcodes import (
    ean13_check_digit,
    is_valid_gtin,
    normalize_barcode,
    normalize_sku,
)
from pos_app.services.errors import ValidationError

TWELVE_DIGITS = st.text(alphabet="0123456789", min_size=12, max_size=12)


@pytest.mark.parametrize(
    "code", ["4006381333931", "5901234123457", "9780306406157", "036000291452", "012345678905"]
)
def test_known_ean13_and_upca_codes_are_valid(code: str) -> None:
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code",
    [
        "4006381333932",  # wrong check digit
        "036000291453",
        "400638133393",  # 12 digits, not a UPC-A check digit
        "40063813339311",
        "4006381333",
        "",
        "40063813339a1",
        "\uff14006381333931",  # a full-width digit four
        " 4006381333931",
    ],
)
def test_malformed_codes_are_not_valid(code: str) -> None:
    assert not is_valid_gtin(code)


@pytest.mark.parametrize("value", [None, 4006381333931, 4.0, b"4006381333931", ["4006381333931"]])
def test_non_text_is_never_a_valid_code(value: object) -> None:
    assert not is_valid_gtin(value)


def test_check_digit_completes_twelve_digits() -> None:
    assert ean13_check_digit("400638133393") == "1"
    assert ean13_check_digit("590123412345") == "7"


@pytest.mark.parametrize("value", ["40063813339", "4006381333931", "40063813339x", 400638133393])
def test_check_digit_needs_exactly_twelve_digits(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        ean13_check_digit(value)  # type: ignore[arg-type]
    assert error.value.field == "barcode"


@settings(max_examples=50, deadline=None)
@given(TWELVE_DIGITS, st.integers(min_value=1, max_value=9))
def test_any_twelve_digits_with_their_check_digit_are_valid_and_others_are_not(
    first12: str, shift: int
) -> None:
    check = ean13_check_digit(first12)
    assert is_valid_gtin(first12 + check)
    assert not is_valid_gtin(first12 + str((int(check) + shift) % 10))


def test_normalize_keeps_ean13_and_widens_upca_to_thirteen_digits() -> None:
    assert normalize_barcode(" 4006381333931 ") == "4006381333931"
    assert normalize_barcode("036000291452") == "0036000291452"


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_blank_barcode_means_none(blank: str | None) -> None:
    assert normalize_barcode(blank) is None


@pytest.mark.parametrize("value", ["4006381333932", "abc", "4006-3813-3393-1", 4006381333931, 1.5])
def test_normalize_rejects_bad_barcodes_naming_the_field(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_barcode(value)
    assert error.value.field == "barcode"


def test_sku_is_trimmed_and_kept_as_typed() -> None:
    assert normalize_sku("  Cola-33cl/6 ") == "Cola-33cl/6"
    assert normalize_sku("x" * 64) == "x" * 64


@pytest.mark.parametrize(
    "value", ["", "   ", "has space", "tab\there", "é-sku", "x" * 65, 42, None]
)
def test_sku_rejects_blank_whitespace_non_ascii_and_long_values(value: object) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_sku(value)
    assert error.value.field == "sku"


@settings(max_examples=50, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.integers(), st.none(), st.floats()))
def test_barcode_and_sku_checks_only_ever_raise_validation_errors(value: object) -> None:
    for check in (normalize_barcode, normalize_sku):
        with contextlib.suppress(ValidationError):
            check(value)


@pytest.mark.parametrize(
    ("code", "told"),
    [
        (
            "4006381333932",
            "4006381333932 has the 13 digits of an EAN-13 barcode, but its check digit (the last) "
            "does not fit: it should be 1. Check the number for a typo.",
        ),
        (
            "036000291453",
            "036000291453 has the 12 digits of a UPC-A barcode, but its check digit (the last) "
            "does not fit: it should be 2. Check the number for a typo.",
        ),
        (
            "40063813",
            "40063813 has 8 digits; enter a valid EAN-13 (13 digits) or UPC-A (12 digits) barcode.",
        ),
        ("ABC", "A barcode has digits only; enter a valid EAN-13 (13 digits) or UPC-A"),
    ],
)
def test_a_bad_barcode_is_told_in_terms_of_what_was_given(code: str, told: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_barcode(code)
    assert str(error.value).startswith(told)
    assert error.value.field == "barcode"
