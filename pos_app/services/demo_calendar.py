"""When the demo shop's customers come: the days it is open, how busy each day and each hour
is, and the moment of each sale of its invented history.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError

OPEN_SECONDS = (7 * 3600, 21 * 3600)
HOUR_WEIGHTS = {7: 3, 8: 5, 9: 4, 10: 4, 11: 6, 12: 10, 13: 9, 14: 5, 15: 5, 16: 7, 17: 10, 18: 10,
                19: 7, 20: 4}  # fmt: skip
WEEKDAY_WEIGHTS = (0.85, 0.85, 0.9, 0.95, 1.15, 1.35, 0.9)  # Monday .. Sunday
CLOSED_DAYS = {(12, 25), (12, 26), (1, 1)}


def summer_of(day: date) -> float:
    """+1 in mid-July, -1 in mid-January."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)


def _day_weight(day: date) -> float:
    if (day.month, day.day) in CLOSED_DAYS:
        return 0.0
    weight = WEEKDAY_WEIGHTS[day.weekday()] * (1 + 0.12 * summer_of(day))
    if day.month == 12 and 10 <= day.day <= 23:
        weight *= 1.3
    return weight


def days_with_counts(
    ctx: ServiceContext, rng: random.Random, total: int, first_day: date, now: datetime
) -> list[tuple[date, int, int]]:
    """(day, number of sales, seconds after midnight before which they happen) per shop day."""
    today = ctx.local_date(now)
    now_local = now.astimezone(ctx.timezone)
    now_second = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
    plan: list[tuple[date, float, int]] = []
    day = first_day
    while day <= today:
        limit = OPEN_SECONDS[1] if day < today else min(OPEN_SECONDS[1], now_second)
        plan.append((day, _day_weight(day) * _open_share(limit) * rng.uniform(0.9, 1.1), limit))
        day += timedelta(days=1)
    if not any(weight for _d, weight, _l in plan):
        raise ValidationError(
            "The shop is closed on every chosen day; choose more days.", field="days"
        )
    chosen = Counter(rng.choices(range(len(plan)), [weight for _d, weight, _l in plan], k=total))
    return [(d, chosen[i], limit) for i, (d, _w, limit) in enumerate(plan) if chosen[i]]


def _open_share(limit: int) -> float:
    weighted = sum(w * _hour_fraction(hour, limit) for hour, w in HOUR_WEIGHTS.items())
    return weighted / sum(HOUR_WEIGHTS.values())


def _hour_fraction(hour: int, limit: int) -> float:
    return max(0.0, min(1.0, (limit - hour * 3600) / 3600))


def sale_times(
    ctx: ServiceContext, rng: random.Random, day: date, count: int, limit: int
) -> Iterator[datetime]:
    hours = [h for h in HOUR_WEIGHTS if _hour_fraction(h, limit) > 0]
    weights = [HOUR_WEIGHTS[h] * _hour_fraction(h, limit) for h in hours]
    seconds = sorted(
        h * 3600 + rng.randrange(max(1, min(3600, limit - h * 3600)))
        for h in rng.choices(hours, weights, k=count)
    )
    # Opening hours lie far from midnight, where zones change offset, so one offset serves the day.
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ctx.timezone)
    start = midnight - (noon.utcoffset() or timedelta(0))
    for second in seconds:
        yield start + timedelta(seconds=second)


__all__ = [
    "CLOSED_DAYS",
    "HOUR_WEIGHTS",
    "OPEN_SECONDS",
    "days_with_counts",
    "sale_times",
    "summer_of",
]
