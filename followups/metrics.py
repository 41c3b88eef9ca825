"""Follow-up metrics for programme targets and the dashboard (see csrprogram.metrics).

Retention follows seed 001 ("30 ud af de 50 ledige jobkandidater er fortsat i beskæftigelse
tre måneder efter jobopstart i CSR-job"): it counts *candidates*, not placements, and only
placements of the kinds the programme measures retention for (``Programme.retention_kinds``,
by default the CSR-job). A candidate's 3-month result is known at the closing (start +
``retention_months``), so the metrics count the candidate on the start date of their first
measured job, once that job's closing has been recorded; a job started in the programme's last
months therefore appears when it is closed, after the programme's end. The dashboard accounts
for this lag (``lag_months``).

- ``closed_at_3_months``: distinct candidates with at least one closed measured job.
- ``retained_at_3_months``: those of them still employed at a closing (in the job, or having
  moved on to ordinary work; the rule is ``followups.services.is_retained``).
- ``share_retained``: retained / closed in percent, a share (``ratio()``); a target on it is
  compared with the share ("at least 60 %": 30 of 50).

Breakdowns attribute a candidate to the follow-up consultant and company of their first
measured job and to their target group, so the rows add up to the total.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Case, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import ExtractIsoWeekDay
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from csrprogram import metrics
from csrprogram.workdays import add_working_days, holidays_between
from followups.choices import VisitKind, VisitStatus
from followups.models import Visit
from placements.models import Placement


# Any tolerance of working days is reached within this many calendar days of it (at most
# two working days in any 7 days, Easter's five days off included), and holidays further
# than that from a due date do not move its deadline.
def _reach(tolerance: int) -> int:
    return 4 * tolerance + 7


@lru_cache(maxsize=32)
def _lateness_days(tolerance: int, first: dt.date, last: dt.date) -> tuple[dict[int, int],
                                                                           dict[int, tuple]]:
    """(days of lateness allowed by ISO weekday of the due date, without holidays; {days:
    due dates in ``[first, last]`` that a public holiday gives another number of days})."""
    by_weekday = {}
    monday = dt.date(2001, 1, 1)  # a Monday; the weekday rule ignores holidays
    for offset in range(7):
        day = current = monday + dt.timedelta(days=offset)
        remaining = tolerance
        while remaining:
            current += dt.timedelta(days=1)
            if current.weekday() < 5:
                remaining -= 1
        by_weekday[offset + 1] = (current - day).days
    exceptions: dict[int, set] = {}
    for holiday in holidays_between(first, last + dt.timedelta(days=_reach(tolerance))):
        for back in range(_reach(tolerance) + 1):
            due = holiday - dt.timedelta(days=back)
            if not first <= due <= last:
                continue
            days = (add_working_days(due, tolerance) - due).days
            if days != by_weekday[due.isoweekday()]:
                exceptions.setdefault(days, set()).add(due)
    return by_weekday, {days: tuple(sorted(dues)) for days, dues in exceptions.items()}


def allowed_lateness(due_field: str, tolerance: int, *, start: dt.date, end: dt.date) -> Case:
    """An expression: how late (a duration) a visit due on ``due_field`` may be done and still
    be on time, ``tolerance`` Danish working days after its due date (the rule of
    ``csrprogram.workdays.add_working_days``), for visits done in ``[start, end]``. A due date
    more than ``_reach`` days before ``start`` gets its weekday's lateness: a visit done
    that late is late anyway."""
    by_weekday, exceptions = _lateness_days(
        tolerance, start - dt.timedelta(days=_reach(tolerance)), end)
    whens = [When(**{f"{due_field}__in": dues}, then=Value(dt.timedelta(days=days)))
             for days, dues in sorted(exceptions.items())]
    weekday = ExtractIsoWeekDay(due_field)
    whens += [When(Exact(weekday, iso), then=Value(dt.timedelta(days=days)))
              for iso, days in by_weekday.items()]
    return Case(*whens, output_field=DurationField())


class _Retention(metrics.ItemMetric):
    # Each candidate's closed measured jobs; a candidate counts on the start date of the
    # first and is attributed to its consultant, company and the candidate's target group.
    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP,
                  metrics.Dimension.COMPANY)
    item_model = "citizens.Citizen"
    item_keys = {metrics.Dimension.TARGET_GROUP: "target_group"}

    def lag_months(self, programme):
        return programme.retention_months

    def events(self, programme):
        return [metrics.events(
            Placement.objects.filter(programme=programme, kind__in=programme.retention_kinds,
                                     closed_at__isnull=False),
            item="citizen_id", day="start_date", order=("pk",), flag="retained",
            keys={metrics.Dimension.CONSULTANT: "consultant",
                  metrics.Dimension.COMPANY: "company"})]

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "start_from": start.isoformat(),
                "start_to": end.isoformat()}

    def list_url(self, params):
        return f"{reverse('placements:placement-list')}?{urlencode(params)}"


@metrics.register
class RetainedAtThreeMonths(_Retention):
    key = "retained_at_3_months"
    # Retained at a closing of any of the candidate's measured jobs up to the range's end.
    only_flagged = True
    label = _("Fastholdt efter 3 måneder")
    description = _("Forskellige kandidater, hvis CSR-job (de forløbstyper, programmet måler "
                    "fastholdelse for) startede i programmet, og som 3 måneder efter start "
                    "stadig er i beskæftigelse – i jobbet eller videre i ordinært job; talt "
                    "på startdatoen for kandidatens første af disse job.")


@metrics.register
class ClosedAtThreeMonths(_Retention):
    key = "closed_at_3_months"
    label = _("Afsluttet efter 3 måneder")
    description = _("Forskellige kandidater, hvis CSR-job (de forløbstyper, programmet måler "
                    "fastholdelse for) er afsluttet 3 måneder efter start, fastholdt eller "
                    "ej; talt på startdatoen for kandidatens første af disse job.")


@metrics.register
class ShareRetained(metrics.Metric):
    key = "share_retained"
    label = _("Andel fastholdt (%)")
    description = _("Fastholdt efter 3 måneder i procent af de kandidater, der er afsluttet "
                    "efter 3 måneder (tæller og nævner vises); et mål på andelen sammenlignes "
                    "med andelen.")
    is_share = True

    def lag_months(self, programme):
        return programme.retention_months

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        """The numerator per day (retained candidates), for a chart of the count."""
        return RetainedAtThreeMonths().daily(programme, start=start, end=end)

    def ratio(self, programme, *, start, end) -> tuple[int, int]:
        """(retained candidates, closed candidates) in ``[start, end]``: one query."""
        return ClosedAtThreeMonths().flagged(programme, start=start, end=end)

    def count(self, programme, *, start, end) -> int:
        """The share in whole percent, rounded down (0 when no candidate is closed)."""
        retained, closed = self.ratio(programme, start=start, end=end)
        return 100 * retained // closed if closed else 0


@metrics.register
class FollowupsOnTime(metrics.Metric):
    key = "followups_on_time"
    label = _("Opfølgningsbesøg til tiden")
    description = _("Gennemførte ½- og 2½-månedsbesøg, der er lavet senest på datoen plus "
                    "tolerancen, talt på besøgsdatoen.")

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        tolerance = settings.FOLLOWUP_ON_TIME_TOLERANCE_WORKING_DAYS
        # The tolerance is in working days, which SQL cannot count: the days a visit may be
        # late by (``allowed_lateness``) are given per weekday of the due date, and per date
        # for the due dates near a public holiday; one aggregate query. The on-time test is
        # the aggregate's FILTER, not a WHERE condition: PostgreSQL then evaluates it only
        # for the programme's visits after the join, not for every done visit of every
        # programme during the table scan (issue 14: 130 ms → 50 ms at municipal scale).
        rows = (Visit.objects
                .filter(placement__programme=programme, status=VisitStatus.DONE,
                        kind__in=(VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS),
                        done_on__range=(start, end))
                .annotate(lateness=ExpressionWrapper(F("done_on") - F("due_date"),
                                                     output_field=DurationField()),
                          allowed=allowed_lateness("due_date", tolerance, start=start, end=end))
                .values("done_on")
                .annotate(n=Count("pk", filter=Q(lateness__lte=F("allowed"))))
                .order_by())
        return {row["done_on"]: row["n"] for row in rows if row["n"]}

    def records_url(self, programme, *, start, end):
        return (f"{reverse('followups:visit-list')}?"
                f"{urlencode({'programme': programme.pk, 'period': 'done'})}")
