"""The due-date function: month ends, leap years, Easter, Christmas and Store Bededag.

Time is frozen at the placement's start (time-machine), as a consultant would register it, to
show the dates follow the start date and the calendar, never the clock.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from followups.choices import VisitKind
from followups.schedule import (
    aftercare_due_dates,
    closing_date,
    followup_due_date,
    scheduled_due_dates,
)

D = dt.date
RANDERS = SimpleNamespace(first_followup_days=15, second_followup_months=2,
                          second_followup_days=15, retention_months=3)
HALF, TWO_HALF = VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS

CASES = [
    # start, ½ month, 2½ months, why
    (D(2022, 1, 31), D(2022, 2, 15), D(2022, 4, 19),
     "31 Jan + 2 months clips to 31 Mar; +15 = Good Friday 15 Apr 2022 → after Easter Monday"),
    (D(2023, 1, 31), D(2023, 2, 15), D(2023, 4, 17),
     "31 Jan 2023: 2½ months lands on Saturday 15 Apr → Monday 17 Apr"),
    (D(2023, 12, 15), D(2024, 1, 2), D(2024, 3, 1),
     "leap year: 15 Feb 2024 + 15 days = 1 Mar (29 days in February); ½ month is New Year's"
     " Eve's eve (Saturday 30 Dec) → Sunday, 1 Jan holiday → 2 Jan"),
    (D(2022, 12, 15), D(2022, 12, 30), D(2023, 3, 2),
     "no leap year: 15 Feb 2023 + 15 days = 2 Mar"),
    (D(2024, 2, 14), D(2024, 2, 29), D(2024, 4, 29), "½ month lands on 29 February 2024"),
    (D(2024, 2, 29), D(2024, 3, 15), D(2024, 5, 14), "a start on the leap day itself"),
    (D(2022, 3, 30), D(2022, 4, 19), D(2022, 6, 14),
     "Easter: 14 Apr 2022 is Maundy Thursday → Good Friday, weekend, Easter Monday → 19 Apr"),
    (D(2020, 12, 10), D(2020, 12, 28), D(2021, 2, 25),
     "Christmas: 25 Dec 2020 (Fri), 26 Dec (Sat), 27 Dec (Sun) → Monday 28 Dec"),
    (D(2021, 12, 10), D(2021, 12, 27), D(2022, 2, 25),
     "Christmas: 25 Dec 2021 (Sat), 26 Dec (Sun) → Monday 27 Dec"),
    (D(2020, 12, 9), D(2020, 12, 24), D(2021, 2, 24),
     "Christmas Eve is customary, not a public holiday: the visit stays on 24 Dec"),
    (D(2023, 4, 20), D(2023, 5, 8), D(2023, 7, 5),
     "Store Bededag 5 May 2023 was still a holiday (Friday) → Monday 8 May"),
    (D(2024, 4, 11), D(2024, 4, 26), D(2024, 6, 26),
     "Store Bededag is no holiday from 2024: 26 Apr 2024 is a working day"),
]


@pytest.mark.parametrize(("start", "half", "two_half", "why"), CASES,
                         ids=[case[3][:40] for case in CASES])
def test_scheduled_due_dates(start, half, two_half, why):
    with time_machine.travel(dt.datetime(start.year, start.month, start.day, 9, 0), tick=False):
        assert scheduled_due_dates(start, RANDERS) == {HALF: half, TWO_HALF: two_half}, why


@pytest.mark.parametrize(("start", "closes"), [
    (D(2022, 1, 31), D(2022, 4, 30)),   # 31 Jan + 3 months clips to 30 April
    (D(2023, 11, 30), D(2024, 2, 29)),  # leap year
    (D(2022, 11, 30), D(2023, 2, 28)),
    (D(2022, 12, 10), D(2023, 3, 10)),
])
def test_closing_date_is_three_calendar_months_and_not_moved_to_a_working_day(start, closes):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0), tick=False):
        assert closing_date(start, RANDERS) == closes


def test_the_offsets_are_the_programmes():
    weekly = SimpleNamespace(first_followup_days=7, second_followup_months=1,
                             second_followup_days=0, retention_months=6)
    start = D(2024, 1, 31)
    assert scheduled_due_dates(start, weekly) == {HALF: D(2024, 2, 7), TWO_HALF: D(2024, 2, 29)}
    assert closing_date(start, weekly) == D(2024, 7, 31)


def test_followup_due_date_keeps_a_working_day_and_moves_a_weekend():
    assert followup_due_date(D(2024, 6, 3)) == D(2024, 6, 3)
    assert followup_due_date(D(2024, 6, 1)) == D(2024, 6, 3)
    # Constitution Day (5 June) is customary, not statutory.
    assert followup_due_date(D(2024, 6, 5)) == D(2024, 6, 5)


def test_aftercare_series_is_monthly_on_working_days():
    assert aftercare_due_dates(D(2022, 4, 30), visits=3, interval_months=1) == [
        D(2022, 5, 30), D(2022, 6, 30), D(2022, 8, 1)]  # 30 July 2022 is a Saturday
