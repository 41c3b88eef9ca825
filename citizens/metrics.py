"""Citizen metrics for programme targets and the dashboard (see csrprogram.metrics)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.choices import ExitReason
from citizens.filters import JOB_OR_EDUCATION
from citizens.metrics_breakdown import breakdown_rows
from citizens.models import Enrolment
from csrprogram import metrics


def _daily(queryset, date_field: str) -> dict[dt.date, int]:
    rows = queryset.values(date_field).annotate(n=Count("citizen_id", distinct=True)).order_by()
    return {row[date_field]: row["n"] for row in rows}


def _citizen_list(**params) -> str:
    return f"{reverse('citizens:citizen-list')}?{urlencode(params)}"


# Citizens are split by their assigned job consultant and their target group.
PATHS = {metrics.Dimension.CONSULTANT: "citizen__consultant",
         metrics.Dimension.TARGET_GROUP: "citizen__target_group"}
FILTERS = {metrics.Dimension.CONSULTANT: "consultant",
           metrics.Dimension.TARGET_GROUP: "target_group"}


class _CitizenMetric(metrics.Metric):
    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP)

    def records(self, programme, *, start, end):
        raise NotImplementedError

    def list_params(self, programme, *, start, end) -> dict:
        raise NotImplementedError

    def breakdown(self, programme, *, start, end, by):
        params = self.list_params(programme, start=start, end=end)
        return breakdown_rows(
            self.records(programme, start=start, end=end), by=by, paths=PATHS,
            count=Count("citizen_id", distinct=True),
            url=lambda key: _citizen_list(**params, **{FILTERS[by]: key}))

    def records_url(self, programme, *, start, end):
        return _citizen_list(**self.list_params(programme, start=start, end=end))


@metrics.register
class CitizensEnrolled(_CitizenMetric):
    key = "citizens_enrolled"
    label = _("Borgere visiteret")
    description = _("Borgere visiteret til programmet, talt på visitationsdatoen.")

    def records(self, programme, *, start, end):
        return Enrolment.objects.filter(programme=programme, enrolled_on__range=(start, end))

    def daily(self, programme, *, start, end):
        return _daily(self.records(programme, start=start, end=end), "enrolled_on")

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "enrolled_from": start.isoformat(),
                "enrolled_to": end.isoformat()}


@metrics.register
class CitizensIntoJobOrEducation(_CitizenMetric):
    key = "citizens_into_job_or_education"
    label = _("Borgere i job eller uddannelse")
    description = _("Borgere udskrevet til ordinært job eller uddannelse, talt på "
                    "udskrivningsdatoen.")

    def records(self, programme, *, start, end):
        return Enrolment.objects.filter(
            programme=programme, exit_date__range=(start, end),
            exit_reason__in=(ExitReason.ORDINARY_JOB, ExitReason.EDUCATION))

    def daily(self, programme, *, start, end):
        return _daily(self.records(programme, start=start, end=end), "exit_date")

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "exit_reason": JOB_OR_EDUCATION,
                "exit_from": start.isoformat(), "exit_to": end.isoformat()}
