"""Report periods: shop-local days cut into days, ISO weeks, months and years, clipped."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.errors import ValidationError
from pos_app.domain.periods import (
    MAX_YEARS,
    Bucket,
    bucket_bounds,
    bucket_locator,
    check_range,
    period_end,
    period_start,
    weekday_counts,
)

DAYS = st.dates(date(1990, 1, 1), date(2100, 12, 31))
KINDS = st.sampled_from(list(Bucket))


def test_weeks_start_on_monday_and_the_edges_are_clipped() -> None:
    assert bucket_bounds(date(2024, 1, 3), date(2024, 1, 16), Bucket.WEEKLY) == [
        (date(2024, 1, 3), date(2024, 1, 7)),
        (date(2024, 1, 8), date(2024, 1, 14)),
        (date(2024, 1, 15), date(2024, 1, 16)),
    ]


def test_months_and_years_are_calendar_ones() -> None:
    assert bucket_bounds(date(2024, 1, 31), date(2024, 3, 1), "monthly") == [
        (date(2024, 1, 31), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 1)),
    ]
    assert bucket_bounds(date(2023, 12, 31), date(2024, 1, 1), "yearly") == [
        (date(2023, 12, 31), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 1, 1)),
    ]
    assert bucket_bounds(date(2024, 1, 1), date(2024, 5, 1), "none") == [
        (date(2024, 1, 1), date(2024, 5, 1))
    ]


@given(DAYS, st.integers(0, 800), KINDS)
def test_buckets_cover_the_range_without_gaps_or_overlaps(
    start: date, length: int, kind: Bucket
) -> None:
    end = start + timedelta(days=length)
    bounds = bucket_bounds(start, end, kind)
    assert bounds[0][0] == start and bounds[-1][1] == end
    for (_, last), (first, _) in pairwise(bounds):
        assert first == last + timedelta(days=1)
    locate = bucket_locator(start, kind, [first for first, _ in bounds])
    for number, (first, last) in enumerate(bounds):
        assert first <= last
        assert locate(first) == locate(last) == number
        if kind is not Bucket.NONE:
            assert period_start(first, kind) <= first and period_end(last, kind) >= last


@given(DAYS, st.integers(0, 800))
def test_a_range_holds_as_many_weekdays_as_its_days(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    counts = weekday_counts(start, end)
    assert sum(counts) == length + 1
    assert counts[start.weekday()] == max(counts)
    assert max(counts) - min(counts) <= 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2024, 2, 1), date(2024, 1, 1), "start"),
        (datetime(2024, 1, 1), date(2024, 1, 2), "start"),
        (date(2024, 1, 1), "2024-02-01", "end"),
        (date(2000, 2, 29), date(2000 + MAX_YEARS, 3, 1), "end"),
    ],
)
def test_bad_ranges_name_the_field(start: object, end: object, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        check_range(start, end)
    assert raised.value.field == field


def test_an_unknown_bucket_lists_the_choices() -> None:
    with pytest.raises(ValidationError, match="none, daily, weekly, monthly, yearly"):
        bucket_bounds(date(2024, 1, 1), date(2024, 1, 2), "hourly")


def test_the_last_week_of_the_calendar_ends_with_it() -> None:
    assert period_end(date.max, Bucket.WEEKLY) == date.max
