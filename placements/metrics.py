"""Placement metrics for programme targets and the dashboard (see csrprogram.metrics)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from csrprogram import metrics
from placements.choices import OpeningKind
from placements.models import JobOpening, Placement


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


class _PlacementsStarted(metrics.Metric):
    kind: str

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        rows = (Placement.objects
                .filter(programme=programme, kind=self.kind, start_date__range=(start, end))
                .values("start_date").annotate(n=Count("pk")).order_by())
        return {row["start_date"]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        return _url("placements:placement-list", programme=programme.pk, kind=self.kind,
                    start_from=start.isoformat(), start_to=end.isoformat())


@metrics.register
class InternshipsStarted(_PlacementsStarted):
    key = "internships_started"
    kind = OpeningKind.INTERNSHIP
    label = _("Virksomhedspraktikker startet")
    description = _("Forløb af typen virksomhedspraktik, talt på startdatoen.")


@metrics.register
class CsrJobsStarted(_PlacementsStarted):
    key = "csr_jobs_started"
    kind = OpeningKind.CSR_JOB
    label = _("CSR-job startet")
    description = _("Forløb af typen CSR-job (småjob), talt på startdatoen.")


@metrics.register
class InternshipPlacesOffered(metrics.Metric):
    key = "internship_places_offered"
    label = _("Praktikpladser udbudt")
    description = _("Summen af pladser på jobåbninger af typen virksomhedspraktik, talt på "
                    "registreringsdatoen (også jobåbninger, der senere er trukket tilbage).")

    def daily(self, programme, *, start, end):
        rows = (JobOpening.objects
                .filter(programme=programme, kind=OpeningKind.INTERNSHIP,
                        registered_on__range=(start, end))
                .values("registered_on").annotate(n=Sum("positions")).order_by())
        return {row["registered_on"]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        return _url("placements:opening-list", programme=programme.pk,
                    kind=OpeningKind.INTERNSHIP, registered_from=start.isoformat(),
                    registered_to=end.isoformat())
