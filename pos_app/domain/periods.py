"""Report periods: a range of shop-local calendar days cut into days, ISO weeks, months or years.

A bucket is clipped to the range, so the first and last buckets may be shorter than their period.
Days are the shop's local days, fixed when a sale is written: a daylight-saving day (23 or 25
hours) is one day here like any other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from pos_app.domain.errors import ValidationError

MAX_YEARS = 50


class Bucket(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


def clean_bucket(raw: object) -> Bucket:
    """The bucket named by ``raw``; ValidationError naming the choices otherwise."""
    if isinstance(raw, str) and raw in {member.value for member in Bucket}:
        return Bucket(raw)
    names = ", ".join(member.value for member in Bucket)
    raise ValidationError(f"Group the report by one of: {names}.", field="bucket")


def check_range(start: object, end: object) -> None:
    """ValidationError unless ``start``..``end`` is a valid report range of calendar dates."""
    for value, name in ((start, "start"), (end, "end")):
        if not isinstance(value, date) or isinstance(value, datetime):
            raise ValidationError("Choose a calendar date.", field=name)
    assert isinstance(start, date) and isinstance(end, date)
    if start > end:
        raise ValidationError("The first day must not be after the last day.", field="start")
    if start.year + MAX_YEARS <= date.max.year:
        day = 28 if (start.month, start.day) == (2, 29) else start.day
        if end > date(start.year + MAX_YEARS, start.month, day):
            raise ValidationError(
                f"A report covers at most {MAX_YEARS} years; choose a shorter range.",
                field="end",
            )


def period_start(day: date, bucket: Bucket) -> date:
    """The first day of the calendar period (week, month, year) that contains ``day``."""
    if bucket is Bucket.WEEKLY:
        return day - timedelta(days=day.weekday())
    if bucket is Bucket.MONTHLY:
        return day.replace(day=1)
    if bucket is Bucket.YEARLY:
        return day.replace(month=1, day=1)
    return day


def period_end(day: date, bucket: Bucket) -> date:
    """The last day of the calendar period (week, month, year) that contains ``day``."""
    if bucket is Bucket.DAILY:
        return day
    if bucket is Bucket.WEEKLY:
        try:
            return day + timedelta(days=6 - day.weekday())
        except OverflowError:
            return date.max
    if bucket is Bucket.MONTHLY:
        if day.month == 12:
            return date(day.year, 12, 31)
        return date(day.year, day.month + 1, 1) - timedelta(days=1)
    return date(day.year, 12, 31)


def bucket_bounds(start: date, end: date, bucket: Bucket | str) -> list[tuple[date, date]]:
    """The (first, last) day of each bucket from ``start`` to ``end``, both clipped to the range."""
    kind = clean_bucket(bucket)
    check_range(start, end)
    if kind is Bucket.NONE:
        return [(start, end)]
    bounds: list[tuple[date, date]] = []
    cursor = start
    while True:
        last = min(period_end(cursor, kind), end)
        bounds.append((cursor, last))
        if last >= end:
            return bounds
        cursor = last + timedelta(days=1)


def bucket_locator(start: date, bucket: Bucket, starts: Sequence[date]) -> Callable[[date], int]:
    """A function from a day inside the range to the number of its bucket.

    ``starts`` are the first days of the buckets as :func:`bucket_bounds` gives them for a range
    beginning on ``start``. Days already seen are remembered: a report asks for the same few
    hundred days tens of thousands of times.
    """
    positions = {first: number for number, first in enumerate(starts)}
    known: dict[date, int] = {}

    def position(day: date) -> int:
        if bucket is Bucket.NONE:
            return 0
        return positions[max(period_start(day, bucket), start)]

    def index_of(day: date) -> int:
        found = known.get(day)
        if found is None:
            found = known[day] = position(day)
        return found

    return index_of


# The periods a stored rollup can hold whole, coarsest first, and the finer ones that fill in
# where a whole period does not fit: weeks do not nest in months, so a week is filled with days.
ROLLUP_PERIODS = (Bucket.WEEKLY, Bucket.MONTHLY, Bucket.YEARLY)
_FINER = {
    Bucket.NONE: (Bucket.YEARLY, Bucket.MONTHLY, Bucket.DAILY),
    Bucket.YEARLY: (Bucket.YEARLY, Bucket.MONTHLY, Bucket.DAILY),
    Bucket.MONTHLY: (Bucket.MONTHLY, Bucket.DAILY),
    Bucket.WEEKLY: (Bucket.WEEKLY, Bucket.DAILY),
    Bucket.DAILY: (Bucket.DAILY,),
}


class Span(NamedTuple):
    """Days ``first``..``last`` read as whole periods of ``kind`` (DAILY: as single days)."""

    kind: Bucket
    first: date
    last: date


def cover(start: date, end: date, bucket: Bucket) -> list[Span]:
    """``start``..``end`` cut into spans of whole years, months, weeks and single days, as few
    rows as possible, each period inside one ``bucket`` of the report (which is all a report
    of that bucket may add up)."""
    check_range(start, end)
    return _cover(start, end, _FINER[clean_bucket(bucket)])


def _cover(start: date, end: date, kinds: Sequence[Bucket]) -> list[Span]:
    kind, finer = kinds[0], kinds[1:]
    if not finer:
        return [Span(kind, start, end)]
    first = start if period_start(start, kind) == start else _next_day(period_end(start, kind))
    last = end if period_end(end, kind) == end else _previous_day(period_start(end, kind))
    if first is None or last is None or first > last:
        return _cover(start, end, finer)
    spans = [Span(kind, first, last)]
    if start < first:
        spans = _cover(start, first - timedelta(days=1), finer) + spans
    if last < end:
        spans += _cover(last + timedelta(days=1), end, finer)
    return spans


def _next_day(day: date) -> date | None:
    return None if day == date.max else day + timedelta(days=1)


def _previous_day(day: date) -> date | None:
    return None if day == date.min else day - timedelta(days=1)


def weekday_counts(start: date, end: date) -> list[int]:
    """How many Mondays, Tuesdays, ... Sundays the range ``start``..``end`` holds."""
    length = (end - start).days + 1
    return [
        length // 7 + (1 if (weekday - start.weekday()) % 7 < length % 7 else 0)
        for weekday in range(7)
    ]


__all__ = [
    "MAX_YEARS",
    "ROLLUP_PERIODS",
    "Bucket",
    "Span",
    "bucket_bounds",
    "bucket_locator",
    "check_range",
    "clean_bucket",
    "cover",
    "period_end",
    "period_start",
    "weekday_counts",
]
