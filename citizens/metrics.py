"""Citizen metrics for programme targets and the dashboard (see csrprogram.metrics)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.choices import ExitReason
from citizens.filters import JOB_OR_EDUCATION
from citizens.models import Enrolment
from csrprogram import metrics


def _daily(queryset, date_field: str) -> dict[dt.date, int]:
    rows = queryset.values(date_field).annotate(n=Count("citizen_id", distinct=True)).order_by()
    return {row[date_field]: row["n"] for row in rows}


def _citizen_list(**params) -> str:
    return f"{reverse('citizens:citizen-list')}?{urlencode(params)}"


@metrics.register
class CitizensEnrolled(metrics.Metric):
    key = "citizens_enrolled"
    label = _("Borgere visiteret")
    description = _("Borgere visiteret til programmet, talt på visitationsdatoen.")

    def daily(self, programme, *, start, end):
        return _daily(Enrolment.objects.filter(programme=programme,
                                               enrolled_on__range=(start, end)), "enrolled_on")

    def records_url(self, programme, *, start, end):
        return _citizen_list(programme=programme.pk, enrolled_from=start.isoformat(),
                             enrolled_to=end.isoformat())


@metrics.register
class CitizensIntoJobOrEducation(metrics.Metric):
    key = "citizens_into_job_or_education"
    label = _("Borgere i job eller uddannelse")
    description = _("Borgere udskrevet til ordinært job eller uddannelse, talt på "
                    "udskrivningsdatoen.")

    def daily(self, programme, *, start, end):
        return _daily(Enrolment.objects.filter(
            programme=programme, exit_date__range=(start, end),
            exit_reason__in=(ExitReason.ORDINARY_JOB, ExitReason.EDUCATION)), "exit_date")

    def records_url(self, programme, *, start, end):
        return _citizen_list(programme=programme.pk, exit_reason=JOB_OR_EDUCATION,
                             exit_from=start.isoformat(), exit_to=end.isoformat())
