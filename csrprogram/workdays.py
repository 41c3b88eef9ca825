"""Danish working days: weekends and public holidays are not working days.

The holiday calendar comes from the ``holidays`` package, which knows that Store Bededag stopped
being a public holiday from 2024. Only statutory holidays count (not e.g. Constitution Day or
Christmas Eve, which are customary days off but not public holidays).
"""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("DK", years=year).keys())


def holidays_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The public holidays in ``[first, last]``, in order."""
    return sorted(day for year in range(first.year, last.year + 1)
                  for day in _holidays_for(year) if first <= day <= last)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days after ``day`` (count >= 0)."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    remaining = count
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def subtract_working_days(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days before ``day`` (count >= 0): something dated on
    or before it has waited at least ``count`` working days by ``day``."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    remaining = count
    while remaining:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    days = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days
