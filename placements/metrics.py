"""Placement metrics for programme targets and the dashboard (see csrprogram.metrics).

"Into job" follows seed 000 ("25 % af borgerne i projektet vil overgå til job"): distinct
enrolled citizens, each counted once on the day their first paid employment starts. Paid
employment is a placement of a kind the programme counts as a job (``Programme.job_kinds``:
by default CSR-job, flexjob, wage subsidy and ordinary job), and, when ordinary jobs count,
an ordinary job found by the citizen: a placement ended because the citizen moved on to an
ordinary job (on its end date) or an enrolment closed with that reason (on its exit date).
"Into education" counts the same way from the placement outcome or exit reason "education",
and "into job or education" counts a citizen once, on the first of the two.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citizens.choices import ExitReason
from citizens.metrics import CitizenItemMetric, citizen_target_group
from citizens.models import Enrolment
from csrprogram import metrics
from placements.choices import OpeningKind, OpeningStatus, PlacementOutcome
from placements.models import JobOpening, Placement


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


class _PlacementsStarted(metrics.ItemMetric):
    """Placements of one kind, each counted on its start date (each placement is its own
    thing: one event each), split by their follow-up consultant, the citizen's target group
    and the company; the daily counts and every breakdown from one query (issue 14)."""

    kind: str
    breakdowns = (metrics.Dimension.CONSULTANT, metrics.Dimension.TARGET_GROUP,
                  metrics.Dimension.COMPANY)

    def events(self, programme):
        return [metrics.events(
            Placement.objects.filter(programme=programme, kind=self.kind), item="pk",
            day="start_date",
            keys={metrics.Dimension.CONSULTANT: "consultant",
                  metrics.Dimension.TARGET_GROUP: citizen_target_group(),
                  metrics.Dimension.COMPANY: "company"})]

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "kind": self.kind,
                "start_from": start.isoformat(), "start_to": end.isoformat()}

    def list_url(self, params):
        return _url("placements:placement-list", **params)


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


class _InternshipPlaces(metrics.Metric):
    withdrawn: bool
    breakdowns = (metrics.Dimension.COMPANY,)

    def records(self, programme, *, start, end):
        status = Q(status=OpeningStatus.WITHDRAWN)
        return JobOpening.objects.filter(
            status if self.withdrawn else ~status, programme=programme,
            kind=OpeningKind.INTERNSHIP, registered_on__range=(start, end))

    def daily(self, programme, *, start, end):
        rows = (self.records(programme, start=start, end=end)
                .values("registered_on").annotate(n=Sum("positions")).order_by())
        return {row["registered_on"]: row["n"] for row in rows}

    def _params(self, programme, start, end) -> dict:
        params = {"programme": programme.pk, "kind": OpeningKind.INTERNSHIP,
                  "registered_from": start.isoformat(), "registered_to": end.isoformat()}
        if self.withdrawn:
            params["status"] = OpeningStatus.WITHDRAWN
        return params

    def records_url(self, programme, *, start, end):
        return _url("placements:opening-list", **self._params(programme, start, end))

    def breakdown(self, programme, *, start, end, by):
        params = self._params(programme, start, end)
        return metrics.breakdown_rows(
            self.records(programme, start=start, end=end), by=by,
            paths={metrics.Dimension.COMPANY: "company"}, count=Sum("positions"),
            url=lambda key: _url("placements:opening-list", **params, company=key))


@metrics.register
class InternshipPlacesOffered(_InternshipPlaces):
    key = "internship_places_offered"
    withdrawn = False
    label = _("Praktikpladser udbudt")
    description = _("Antal pladser på jobåbninger af typen virksomhedspraktik, der er "
                    "registreret i perioden og ikke trukket tilbage, talt på "
                    "registreringsdatoen.")


@metrics.register
class InternshipPlacesWithdrawn(_InternshipPlaces):
    key = "internship_places_withdrawn"
    withdrawn = True
    label = _("Praktikpladser trukket tilbage")
    description = _("Antal pladser på jobåbninger af typen virksomhedspraktik, der er "
                    "registreret i perioden og siden trukket tilbage, talt på "
                    "registreringsdatoen.")


def _citizen_events(queryset, day: str):
    return metrics.events(queryset, item="citizen_id", day=day)


def _job_events(programme):
    """The events of every start of paid employment (``metrics.events``)."""
    events = [_citizen_events(Placement.objects.filter(programme=programme,
                                                       kind__in=programme.job_kinds),
                              "start_date")]
    if OpeningKind.ORDINARY_JOB in programme.job_kinds:
        events.append(_citizen_events(
            Placement.objects.filter(programme=programme, outcome=PlacementOutcome.ORDINARY_JOB,
                                     end_date__isnull=False), "end_date"))
        events.append(_citizen_events(
            Enrolment.objects.filter(programme=programme, exit_reason=ExitReason.ORDINARY_JOB,
                                     exit_date__isnull=False), "exit_date"))
    return events


def _education_events(programme):
    """The events of every start of education (``metrics.events``)."""
    return [
        _citizen_events(Placement.objects.filter(programme=programme,
                                                 outcome=PlacementOutcome.EDUCATION,
                                                 end_date__isnull=False), "end_date"),
        _citizen_events(Enrolment.objects.filter(programme=programme,
                                                 exit_reason=ExitReason.EDUCATION,
                                                 exit_date__isnull=False), "exit_date"),
    ]


class _CitizensInto(CitizenItemMetric):
    job: bool = False
    education: bool = False

    def events(self, programme):
        # The union of every kind of event; a citizen counts on the first (the attribution is
        # the citizen's, so which of a day's events comes first does not matter).
        return ((_job_events(programme) if self.job else [])
                + (_education_events(programme) if self.education else []))


@metrics.register
class CitizensIntoJob(_CitizensInto):
    key = "citizens_into_job"
    job = True
    label = _("Borgere i job")
    description = _("Forskellige visiterede borgere, der er startet i lønnet job (de "
                    "forløbstyper, programmet regner som job, eller ordinært job), talt én "
                    "gang på den dag, det første job startede.")


@metrics.register
class CitizensIntoEducation(_CitizensInto):
    key = "citizens_into_education"
    education = True
    label = _("Borgere i uddannelse")
    description = _("Forskellige visiterede borgere, der er gået i uddannelse (forløb eller "
                    "visitering afsluttet med uddannelse), talt én gang på den første dag.")


@metrics.register
class CitizensIntoJobOrEducation(_CitizensInto):
    key = "citizens_into_job_or_education"
    job = True
    education = True
    label = _("Borgere i job eller uddannelse")
    description = _("Forskellige visiterede borgere, der er startet i lønnet job eller "
                    "uddannelse, talt én gang på den første af de to dage.")
