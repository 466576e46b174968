"""Tax contained in tax-inclusive prices: half up per line, summed per rate, always exact."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.tax import (
    MAX_TAX_RATE_BP,
    check_rate,
    format_rate,
    parse_tax_rate,
    tax_contained,
    tax_summary,
    taxed_line,
)

RATES = st.sampled_from([0, 500, 700, 1000, 1900, 2000, 2500, MAX_TAX_RATE_BP])
GROSS = st.integers(-(10**9), 10**9)
LINES = st.lists(st.tuples(GROSS, RATES), max_size=40)


@given(GROSS, RATES)
def test_the_tax_is_the_exact_share_rounded_half_up_to_the_cent(gross: int, rate: int) -> None:
    tax = tax_contained(gross, rate)
    exact_times_two = 2 * abs(gross) * rate  # twice the exact tax, times (10000 + rate)
    denominator = 10_000 + rate
    # |tax| is the nearest cent to the exact share, halves rounded away from zero
    assert 2 * abs(tax) * denominator - exact_times_two <= denominator
    assert exact_times_two - 2 * abs(tax) * denominator < denominator
    assert (tax < 0) == (gross < 0 and tax != 0)


@given(GROSS, RATES)
def test_a_refund_contains_exactly_the_tax_of_the_sale_turned_around(gross: int, rate: int) -> None:
    assert tax_contained(-gross, rate) == -tax_contained(gross, rate)


@given(st.integers(0, 10**9), RATES)
def test_tax_never_exceeds_the_gross_and_net_is_never_negative(gross: int, rate: int) -> None:
    tax = tax_contained(gross, rate)
    assert 0 <= tax <= gross


@given(LINES)
def test_the_summary_per_rate_adds_up_to_the_lines_exactly(lines: list[tuple[int, int]]) -> None:
    taxed = [taxed_line(gross, rate) for gross, rate in lines]
    summary = tax_summary(taxed)
    assert [total.rate_bp for total in summary] == sorted({rate for _, rate in lines})
    for total in summary:
        mine = [line for line in taxed if line.tax_rate_bp == total.rate_bp]
        assert total.tax_cents == sum(line.tax_cents for line in mine)
        assert total.gross_cents == sum(line.gross_cents for line in mine)
        assert total.net_cents == total.gross_cents - total.tax_cents
    assert sum(total.tax_cents for total in summary) == sum(line.tax_cents for line in taxed)
    assert sum(total.gross_cents for total in summary) == sum(gross for gross, _ in lines)


def test_known_amounts_round_as_a_receipt_shows_them() -> None:
    assert tax_contained(119, 1900) == 19
    assert tax_contained(100, 1900) == 16
    assert tax_contained(1, 10_000) == 1
    assert tax_contained(999, 0) == 0


def test_a_negative_rate_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        tax_contained(100, -1)


@pytest.mark.parametrize(("typed", "rate"), [("19", 1900), ("7.5 %", 750), ("19,0", 1900), (0, 0)])
def test_rates_typed_as_percent_become_basis_points(typed: object, rate: int) -> None:
    assert parse_tax_rate(typed) == rate


@pytest.mark.parametrize("typed", ["abc", "7.555", "-1", "101", True, None, "inf"])
def test_bad_rates_are_refused(typed: object) -> None:
    with pytest.raises(ValidationError):
        parse_tax_rate(typed)


@given(st.integers(0, MAX_TAX_RATE_BP))
def test_every_valid_rate_formats_and_parses_back(rate: int) -> None:
    assert check_rate(rate) == rate
    assert parse_tax_rate(format_rate(rate)) == rate
