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
    Span,
    bucket_bounds,
    bucket_locator,
    check_range,
    cover,
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


@given(
    start=st.dates(date(2019, 1, 1), date(2030, 12, 31)),
    length=st.integers(0, 1200),
    bucket=st.sampled_from(list(Bucket)),
)
def test_a_cover_reads_every_day_once_in_whole_periods_inside_one_bucket(
    start: date, length: int, bucket: Bucket
) -> None:
    end = start + timedelta(days=length)
    spans = cover(start, end, bucket)
    assert spans[0].first == start and spans[-1].last == end
    assert all(left.last + timedelta(days=1) == right.first for left, right in pairwise(spans))
    bounds = bucket_bounds(start, end, bucket)
    for span in spans:
        if span.kind is not Bucket.DAILY:
            assert period_start(span.first, span.kind) == span.first
            assert period_end(span.last, span.kind) == span.last
        day = span.first
        while day <= span.last:  # each stored period (or day) lies inside one bucket
            last = day if span.kind is Bucket.DAILY else period_end(day, span.kind)
            holding = next(bucket_end for first, bucket_end in bounds if first <= day <= bucket_end)
            assert last <= holding
            day = last + timedelta(days=1)


def test_a_year_by_month_reads_whole_months_and_the_days_at_either_end() -> None:
    spans = cover(date(2025, 12, 6), date(2026, 12, 5), Bucket.MONTHLY)
    assert spans == [
        Span(Bucket.DAILY, date(2025, 12, 6), date(2025, 12, 31)),
        Span(Bucket.MONTHLY, date(2026, 1, 1), date(2026, 11, 30)),
        Span(Bucket.DAILY, date(2026, 12, 1), date(2026, 12, 5)),
    ]
    assert cover(date(2026, 1, 1), date(2027, 2, 28), Bucket.NONE) == [
        Span(Bucket.YEARLY, date(2026, 1, 1), date(2026, 12, 31)),
        Span(Bucket.MONTHLY, date(2027, 1, 1), date(2027, 2, 28)),
    ]
    assert cover(date(2026, 1, 1), date(2026, 1, 31), Bucket.WEEKLY) == [
        Span(Bucket.DAILY, date(2026, 1, 1), date(2026, 1, 4)),
        Span(Bucket.WEEKLY, date(2026, 1, 5), date(2026, 1, 25)),
        Span(Bucket.DAILY, date(2026, 1, 26), date(2026, 1, 31)),
    ]
