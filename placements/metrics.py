"""Placement metrics for programme targets and the dashboard (see csrprogram.metrics)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.metrics_breakdown import breakdown_rows
from csrprogram import metrics
from placements.choices import OpeningKind
from placements.models import JobOpening, Placement


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


class _PlacementsStarted(metrics.Metric):
    kind: str
    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP,
                  metrics.Dimension.COMPANY)
    # Placements are split by their follow-up consultant, the citizen's group and the company.
    paths = {metrics.Dimension.CONSULTANT: "consultant",
             metrics.Dimension.TARGET_GROUP: "citizen__target_group",
             metrics.Dimension.COMPANY: "company"}

    def records(self, programme, *, start, end):
        return Placement.objects.filter(programme=programme, kind=self.kind,
                                        start_date__range=(start, end))

    def daily(self, programme, *, start, end) -> dict[dt.date, int]:
        rows = (self.records(programme, start=start, end=end)
                .values("start_date").annotate(n=Count("pk")).order_by())
        return {row["start_date"]: row["n"] for row in rows}

    def _params(self, programme, start, end) -> dict:
        return {"programme": programme.pk, "kind": self.kind,
                "start_from": start.isoformat(), "start_to": end.isoformat()}

    def records_url(self, programme, *, start, end):
        return _url("placements:placement-list", **self._params(programme, start, end))

    def breakdown(self, programme, *, start, end, by):
        params = self._params(programme, start, end)
        return breakdown_rows(
            self.records(programme, start=start, end=end), by=by, paths=self.paths,
            count=Count("pk"),
            url=lambda key: _url("placements:placement-list", **params, **{by.value: key}))


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

    breakdowns = (metrics.Dimension.COMPANY,)

    def records(self, programme, *, start, end):
        return JobOpening.objects.filter(programme=programme, kind=OpeningKind.INTERNSHIP,
                                         registered_on__range=(start, end))

    def daily(self, programme, *, start, end):
        rows = (self.records(programme, start=start, end=end)
                .values("registered_on").annotate(n=Sum("positions")).order_by())
        return {row["registered_on"]: row["n"] for row in rows}

    def _params(self, programme, start, end) -> dict:
        return {"programme": programme.pk, "kind": OpeningKind.INTERNSHIP,
                "registered_from": start.isoformat(), "registered_to": end.isoformat()}

    def records_url(self, programme, *, start, end):
        return _url("placements:opening-list", **self._params(programme, start, end))

    def breakdown(self, programme, *, start, end, by):
        params = self._params(programme, start, end)
        return breakdown_rows(
            self.records(programme, start=start, end=end), by=by,
            paths={metrics.Dimension.COMPANY: "company"}, count=Sum("positions"),
            url=lambda key: _url("placements:opening-list", **params, company=key))
