"""Follow-up metrics for programme targets and the dashboard (see csrprogram.metrics).

``share_retained`` is a percentage, which does not add up day by day the way the registry's
``daily()`` counts do. It therefore keeps ``daily()`` meaning "events per day" (placements
closed as retained, the numerator, so a cumulative chart still makes sense) and overrides
``count()`` to return the share for the whole range: 100 * retained / closed, rounded to a
whole percent (0 when nothing was closed). A target on it reads "at least 60 %" (30 of 50).

The dashboard, however, sums ``daily()``; there the share is best set as a *percentage*
target on ``retained_at_3_months`` (60 %) of a target on ``closed_at_3_months`` with the
"actual" basis, which the targets support: the actual retained count is then compared with
60 % of the candidates actually closed.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from csrprogram import metrics
from csrprogram.workdays import add_working_days
from followups.choices import VisitKind, VisitStatus
from followups.models import Visit
from placements.models import Placement


def _closed(programme, start, end):
    return Placement.objects.filter(programme=programme, closed_at__range=(start, end))


@metrics.register
class RetainedAtThreeMonths(metrics.Metric):
    key = "retained_at_3_months"
    label = _("Fastholdt efter 3 måneder")
    description = _("Kandidater, der stadig er i job, når de afsluttes 3 måneder efter "
                    "jobstart, talt på afslutningsdatoen.")

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        rows = (_closed(programme, start, end).filter(retained=True)
                .values("closed_at").annotate(n=Count("pk")).order_by())
        return {row["closed_at"]: row["n"] for row in rows}


@metrics.register
class ClosedAtThreeMonths(metrics.Metric):
    key = "closed_at_3_months"
    label = _("Afsluttet efter 3 måneder")
    description = _("Kandidater, der er afsluttet 3 måneder efter jobstart (fastholdt eller "
                    "ej), talt på afslutningsdatoen.")

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        rows = (_closed(programme, start, end)
                .values("closed_at").annotate(n=Count("pk")).order_by())
        return {row["closed_at"]: row["n"] for row in rows}


@metrics.register
class ShareRetained(metrics.Metric):
    key = "share_retained"
    label = _("Andel fastholdt (%)")
    description = _("Andelen af de kandidater, der er afsluttet efter 3 måneder, som stadig "
                    "er i job, i procent. Dagstallene er antallet fastholdte.")

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        return RetainedAtThreeMonths().daily(programme, start=start, end=end)

    def count(self, programme, *, start, end) -> int:
        totals = _closed(programme, start, end).aggregate(
            closed=Count("pk"), retained=Count("pk", filter=Q(retained=True)))
        if not totals["closed"]:
            return 0
        return round(100 * totals["retained"] / totals["closed"])


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
