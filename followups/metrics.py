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
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from csrprogram import metrics
from csrprogram.workdays import add_working_days
from followups.choices import VisitKind, VisitStatus
from followups.models import Visit
from placements.models import Placement


def _candidates(programme, *, end: dt.date) -> list[tuple[metrics.Item, bool]]:
    """Each candidate with a closed measured job started by ``end``, with whether retained."""
    rows = (Placement.objects
            .filter(programme=programme, kind__in=programme.retention_kinds,
                    closed_at__isnull=False, start_date__lte=end)
            .values("pk", "citizen_id", "start_date", "retained", "company", "company__name",
                    "consultant", "consultant__first_name", "consultant__last_name",
                    "consultant__email", "citizen__target_group")
            .order_by("start_date", "pk"))
    firsts: dict[int, metrics.Item] = {}
    retained: set[int] = set()
    for row in rows:
        citizen = row["citizen_id"]
        if row["retained"]:
            retained.add(citizen)
        if citizen in firsts:
            continue
        firsts[citizen] = metrics.Item(day=row["start_date"], rows={
            metrics.Dimension.CONSULTANT: metrics.person_row(
                row["consultant"], row["consultant__first_name"],
                row["consultant__last_name"], row["consultant__email"]),
            metrics.Dimension.COMPANY: (str(row["company"]), row["company__name"]),
            metrics.Dimension.TARGET_GROUP: metrics.target_group_row(
                row["citizen__target_group"]),
        })
    return [(item, citizen in retained) for citizen, item in firsts.items()]


class _Retention(metrics.ItemMetric):
    only_retained: bool
    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP,
                  metrics.Dimension.COMPANY)

    def lag_months(self, programme):
        return programme.retention_months

    def items(self, programme, *, end):
        return [item for item, retained in _candidates(programme, end=end)
                if retained or not self.only_retained]

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "start_from": start.isoformat(),
                "start_to": end.isoformat()}

    def list_url(self, params):
        return f"{reverse('placements:placement-list')}?{urlencode(params)}"


@metrics.register
class RetainedAtThreeMonths(_Retention):
    key = "retained_at_3_months"
    only_retained = True
    label = _("Fastholdt efter 3 måneder")
    description = _("Forskellige kandidater, hvis CSR-job (de forløbstyper, programmet måler "
                    "fastholdelse for) startede i programmet, og som 3 måneder efter start "
                    "stadig er i beskæftigelse – i jobbet eller videre i ordinært job; talt "
                    "på startdatoen for kandidatens første af disse job.")


@metrics.register
class ClosedAtThreeMonths(_Retention):
    key = "closed_at_3_months"
    only_retained = False
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
        candidates = [retained for item, retained in _candidates(programme, end=end)
                      if start <= item.day <= end]
        return sum(candidates), len(candidates)

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
        rows = (Visit.objects
                .filter(placement__programme=programme, status=VisitStatus.DONE,
                        kind__in=(VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS),
                        done_on__range=(start, end))
                .values_list("done_on", "due_date").order_by())
        counts: dict[dt.date, int] = {}
        # The tolerance is in working days, which SQL cannot count; the rows are the visits
        # of one programme and period, fetched in one query.
        for done_on, due_date in rows:
            if done_on <= add_working_days(due_date, tolerance):
                counts[done_on] = counts.get(done_on, 0) + 1
        return counts

    def records_url(self, programme, *, start, end):
        return (f"{reverse('followups:visit-list')}?"
                f"{urlencode({'programme': programme.pk, 'period': 'done'})}")
