"""Scale labels: the layout setting, the GS1 price check digit and reading labels back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.barcodes import ean13_check_digit, is_valid_gtin
from pos_app.domain.errors import ValidationError
from pos_app.domain.scale_labels import (
    PRESETS,
    LabelValue,
    ScaleLabel,
    parse_layout,
    price_check_digit,
    read_scale_label,
)

GS1_DE = parse_layout("gs1-de")


@pytest.mark.parametrize(("value", "digit"), [("2875", "9"), ("14685", "6"), ("0000", "0")])
def test_the_gs1_price_check_digit_of_known_prices(value: str, digit: str) -> None:
    assert price_check_digit(value) == digit


@given(st.text("0123456789", min_size=4, max_size=5), st.integers(0, 4), st.integers(1, 9))
def test_the_price_check_digit_catches_every_single_wrong_digit(
    value: str, position: int, change: int
) -> None:
    position %= len(value)
    wrong = value[:position] + str((int(value[position]) + change) % 10) + value[position + 1 :]
    assert price_check_digit(wrong) != price_check_digit(value)


def test_gs1_germany_reads_prices_on_21_and_22_and_weights_on_28_and_29() -> None:
    price_rule = GS1_DE.rule_for("21")
    weight_rule = GS1_DE.rule_for("29")
    assert price_rule is not None and price_rule.value_kind is LabelValue.PRICE
    assert weight_rule is not None and weight_rule.value_kind is LabelValue.WEIGHT
    assert GS1_DE.prefixes == {"21", "22", "28", "29"}
    assert GS1_DE.rule_for("2000000000000") is None


def test_a_weight_label_from_its_digits() -> None:
    body = "2812345" + price_check_digit("0455") + "0455"
    code = body + ean13_check_digit(body)
    assert read_scale_label(code, GS1_DE) == ScaleLabel(code, 12345, None, 455)


def test_a_price_label_from_its_digits() -> None:
    body = "2100042" + price_check_digit("2875") + "2875"
    code = body + ean13_check_digit(body)
    assert read_scale_label(code, GS1_DE) == ScaleLabel(code, 42, 2875, None)


def test_a_five_digit_value_layout_without_price_check_digit() -> None:
    layout = parse_layout("code5-weight5")
    body = "250012301250"
    code = body + ean13_check_digit(body)
    assert read_scale_label(code, layout) == ScaleLabel(code, 123, None, 1250)


def test_a_four_digit_code_and_a_five_digit_price_with_its_check_digit() -> None:
    layout = parse_layout("code4-price5")
    body = "2012346" + "14685"
    code = body + ean13_check_digit(body)
    assert read_scale_label(code, layout) == ScaleLabel(code, 1234, 14685, None)


@given(
    st.sampled_from(sorted(PRESETS)),
    st.integers(20, 29),
    st.integers(0, 999_999),
    st.integers(0, 999_999),
)
def test_every_label_a_layout_makes_it_reads_back(
    preset: str, prefix: int, item_code: int, value: int
) -> None:
    layout = parse_layout(preset)
    rule = layout.rule_for(str(prefix))
    if rule is None:
        return
    item_code %= 10 ** (rule.code.stop - rule.code.start)
    value %= 10 ** (rule.value.stop - rule.value.start)
    code = rule.make(str(prefix), item_code, value)
    assert is_valid_gtin(code)
    label = read_scale_label(code, layout)
    assert label is not None and label.item_code == item_code
    assert (label.price_cents if rule.value_kind is LabelValue.PRICE else label.grams) == value


@given(st.integers(0, 99_999), st.integers(0, 9_999), st.integers(1, 9))
def test_a_label_with_a_wrong_price_check_digit_is_refused(
    item_code: int, grams: int, change: int
) -> None:
    rule = GS1_DE.rule_for("28")
    assert rule is not None and rule.price_check is not None
    good = rule.make("28", item_code, grams)
    at = rule.price_check
    body = good[:at] + str((int(good[at]) + change) % 10) + good[at + 1 : 12]
    bad = body + ean13_check_digit(body)
    with pytest.raises(ValidationError, match="price check digit") as raised:
        read_scale_label(bad, GS1_DE)
    assert raised.value.field == "barcode"


def test_a_label_with_a_wrong_check_digit_is_refused() -> None:
    rule = GS1_DE.rule_for("28")
    assert rule is not None
    good = rule.make("28", 12345, 455)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match="check digit is wrong"):
        read_scale_label(bad, GS1_DE)


@pytest.mark.parametrize("code", ["4006381333931", "2000000000000"[:12], "21abc", None, ""])
def test_codes_that_are_no_label_of_the_layout_are_left_to_the_barcode_lookup(
    code: object,
) -> None:
    assert read_scale_label(code, GS1_DE) is None


def test_a_layout_of_several_rules_with_ranges_and_spaces() -> None:
    layout = parse_layout(" 20-23 = PP CCCCC PPPPP K ;24,25=PP XCCCC V WWWW K ")
    assert layout.prefixes == {"20", "21", "22", "23", "24", "25"}
    rule = layout.rule_for("24")
    assert rule is not None and rule.code == slice(3, 7) and rule.price_check == 7


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "name a preset"),
        ("gs1-fr", "PREFIXES=PATTERN"),
        ("21=PP CCCCC V PPPPP K", "has 14 digits"),
        ("19=PP CCCCC PPPPP K", "'19' is not a prefix"),
        ("24-21=PP CCCCC PPPPP K", "backwards"),
        ("21=CC CCCCC PPPPP K", "must start with PP"),
        ("21=PP CCCCC PPPPP 0", "end with K"),
        ("21=PP CCCCC PPPPZ K", "'Z' is not a pattern symbol"),
        ("21=PP CCXCC PPPPP K", "one run"),
        ("21=PP XXXXX PPPPP K", "item code"),
        ("21=PP CCCCC WWPPP K", "either a price"),
        ("21=PP CCCCC XXXPP K", "3 to 6 digits"),
        ("21=PP CCCC V XPPPP K", "right before"),
        ("21=PP CCC V PPPPPP K", "4 or 5 digits"),
        ("21=PP CCCCC PPPPP K;20-22=PP CCCCC WWWWW K", "prefix 21 has two rules"),
    ],
)
def test_a_wrong_layout_names_its_mistake(text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem) as raised:
        parse_layout(text)
    assert raised.value.field == "scale_label_layout"
