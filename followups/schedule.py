"""The follow-up calendar as pure functions: no database, no clock.

The programme description (seed 001) says a company consultant visits the employer ½ month and
2½ months after the job start, and that the candidate is closed after 3 months of employment.
In days and months:

* ½ month   = start + ``first_followup_days`` (15) days;
* 2½ months = start + ``second_followup_months`` (2) calendar months + ``second_followup_days``
  (15) days. Calendar months come from ``dateutil.relativedelta``, which adds the months first
  and clips to the end of a short month (31 January + 2 months = 31 March; 30 December + 2
  months = 28/29 February), then adds the days;
* a visit date on a weekend or a Danish public holiday moves forward to the next working day
  (``csrprogram.workdays``: the ``holidays`` package, where Store Bededag stops being a holiday
  from 2024);
* the 3-month closing is start + ``retention_months`` (3) calendar months. It is the date the
  retention is *measured*, not a visit, so it is not moved to a working day.

The offsets are settings of the programme (``csrprogram.models.Programme``).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from dateutil.relativedelta import relativedelta

from csrprogram.workdays import next_working_day
from followups.choices import VisitKind


class FollowupOffsets(Protocol):
    """What the schedule reads from a programme (any object with these attributes)."""

    first_followup_days: int
    second_followup_months: int
    second_followup_days: int
    retention_months: int


def followup_due_date(start: dt.date, *, months: int = 0, days: int = 0) -> dt.date:
    """``start`` + ``months`` calendar months + ``days`` days, on the next Danish working day."""
    return next_working_day(start + relativedelta(months=months, days=days))


def scheduled_due_dates(start: dt.date, offsets: FollowupOffsets) -> dict[str, dt.date]:
    """The due dates of the ½- and 2½-month visits of a placement starting on ``start``."""
    return {
        VisitKind.HALF_MONTH: followup_due_date(start, days=offsets.first_followup_days),
        VisitKind.TWO_AND_HALF_MONTHS: followup_due_date(
            start, months=offsets.second_followup_months, days=offsets.second_followup_days),
    }


def closing_date(start: dt.date, offsets: FollowupOffsets) -> dt.date:
    """The day the candidate is closed and retention is recorded (start + 3 calendar months)."""
    return start + relativedelta(months=offsets.retention_months)


def aftercare_due_dates(closed_on: dt.date, *, visits: int,
                        interval_months: int) -> list[dt.date]:
    """An aftercare series: one visit every ``interval_months`` after the closing."""
    return [followup_due_date(closed_on, months=interval_months * number)
            for number in range(1, visits + 1)]
