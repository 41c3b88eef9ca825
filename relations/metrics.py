"""Metrics of the company relationship for programme targets and the dashboard (issue 15).

Seed 002 ("Spot et job"): Task Forces spot small jobs at events and the job centre follows up
every opening "i de første dage efter". Seed 001: companies' employees are trained as mentors.
Contacts and networks are the job centre's company service: contacts are not bound to a
programme, so the contact metrics count every contact of the job centre; events, spotted jobs,
mentor courses and networks count for the programme they belong to.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from csrprogram import metrics
from csrprogram.metrics import Dimension
from relations.models import (
    ContactLogEntry,
    Event,
    Invitation,
    MentorTrainee,
    NetworkMembership,
    SpottedOpening,
)

NO_CONTACT_MONTHS = 6


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _company_row(pk, name) -> tuple[str, str]:
    return (str(pk), name) if pk else ("", str(_("Ingen")))


class _Counted(metrics.Metric):
    """A metric that counts rows of a queryset on a date field, with breakdowns by paths."""

    date_field: str
    paths: dict[Dimension, str] = {}
    list_name = "relations:event-list"

    def records(self, programme, *, start, end):
        raise NotImplementedError

    def daily(self, programme, *, start, end):
        rows = (self.records(programme, start=start, end=end)
                .values(self.date_field).annotate(n=Count("pk")).order_by())
        return {row[self.date_field]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        return _url(self.list_name)

    def breakdown(self, programme, *, start, end, by):
        return metrics.breakdown_rows(
            self.records(programme, start=start, end=end), by=by, paths=self.paths,
            count=Count("pk"), url=lambda key: None)


@metrics.register
class CompanyContacts(_Counted):
    key = "company_contacts"
    label = _("Virksomhedskontakter")
    description = _("Kontakter med virksomheder i kontaktloggen (besøg, telefon, møde, e-mail, "
                    "arrangement), talt på kontaktdatoen; jobcentrets kontakter i alle "
                    "programmer.")
    date_field = "occurred_on"
    breakdowns = (Dimension.CONSULTANT, Dimension.COMPANY)
    paths = {Dimension.CONSULTANT: "staff", Dimension.COMPANY: "company"}

    def records(self, programme, *, start, end):
        return ContactLogEntry.objects.filter(occurred_on__range=(start, end))

    def records_url(self, programme, *, start, end):
        return _url("companies:company-list")


@metrics.register
class CompaniesWithoutContact(metrics.Metric):
    key = "companies_without_contact"
    label = _("Virksomheder uden kontakt i 6 måneder")
    description = _("Virksomheder med en ansvarlig konsulent, som ikke er kontaktet i de seneste "
                    "6 måneder, opgjort på periodens sidste dag (eller i dag, hvis den ligger "
                    "senere).")
    breakdowns = (Dimension.CONSULTANT,)

    def _day(self, end: dt.date) -> dt.date:
        return min(end, timezone.localdate())

    def records(self, end: dt.date):
        since = self._day(end) - relativedelta(months=NO_CONTACT_MONTHS)
        return Company.objects.filter(responsible_consultant__isnull=False).filter(
            Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=since))

    def daily(self, programme, *, start, end):
        if self._day(end) < start:
            return {}
        return {self._day(end): self.records(end).count()}

    def records_url(self, programme, *, start, end):
        return _url("companies:company-list", no_contact=NO_CONTACT_MONTHS)

    def breakdown(self, programme, *, start, end, by):
        if self._day(end) < start:
            return []
        return metrics.breakdown_rows(
            self.records(end), by=by, paths={Dimension.CONSULTANT: "responsible_consultant"},
            count=Count("pk"),
            url=lambda key: _url("companies:company-list", no_contact=NO_CONTACT_MONTHS,
                                 responsible_consultant=key))


@metrics.register
class EventsHeld(metrics.Metric):
    key = "events_held"
    label = _("Arrangementer afholdt")
    description = _("Arrangementer i programmet (Task Force-møder, dialogforummer, morgenmøder "
                    "m.fl.), talt på dagen de blev holdt.")
    breakdowns = (Dimension.CONSULTANT,)

    def records(self, programme, *, start, end):
        return (Event.objects.filter(programme=programme)
                .annotate(day=TruncDate("starts_at", tzinfo=timezone.get_current_timezone()))
                .filter(day__range=(start, end)))

    def daily(self, programme, *, start, end):
        rows = self.records(programme, start=start, end=end).values("day").annotate(
            n=Count("pk")).order_by()
        return {row["day"]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        return _url("relations:event-list", programme=programme.pk)

    def breakdown(self, programme, *, start, end, by):
        return metrics.breakdown_rows(
            self.records(programme, start=start, end=end), by=by,
            paths={Dimension.CONSULTANT: "created_by"}, count=Count("pk"), url=lambda key: None)


@metrics.register
class CompaniesReachedByEvents(metrics.ItemMetric):
    key = "companies_reached_by_events"
    label = _("Virksomheder nået ved arrangementer")
    description = _("Forskellige virksomheder, der har deltaget i et af programmets "
                    "arrangementer, hver talt én gang på dagen for det første.")
    breakdowns = (Dimension.COMPANY,)

    def events(self, programme):
        tz = timezone.get_current_timezone()
        return [metrics.events(
            Invitation.objects.filter(event__programme=programme, attended=True),
            item="company", day=TruncDate("event__starts_at", tzinfo=tz), order=("pk",),
            keys={Dimension.COMPANY: "company"})]

    def list_url(self, params):
        return None


class _Spotted(metrics.Metric):
    breakdowns = (Dimension.CONSULTANT, Dimension.COMPANY)
    paths = {Dimension.CONSULTANT: "consultant", Dimension.COMPANY: "opening__company"}

    def records(self, programme, *, start, end):
        return SpottedOpening.objects.filter(event__programme=programme,
                                             opening__registered_on__range=(start, end))

    def daily(self, programme, *, start, end):
        rows = (self.records(programme, start=start, end=end)
                .values("opening__registered_on").annotate(n=Count("pk")).order_by())
        return {row["opening__registered_on"]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        return _url("relations:event-list", programme=programme.pk)

    def breakdown(self, programme, *, start, end, by):
        return metrics.breakdown_rows(
            self.records(programme, start=start, end=end), by=by, paths=self.paths,
            count=Count("pk"), url=lambda key: None)


@metrics.register
class OpeningsSpottedAtEvents(_Spotted):
    key = "openings_spotted_at_events"
    label = _("Job spottet ved arrangementer")
    description = _("Jobåbninger spottet på ”Spot et job”-ark ved programmets arrangementer, "
                    "talt på registreringsdatoen.")


@metrics.register
class SpottedOpeningsFilled(_Spotted):
    key = "spotted_openings_filled"
    label = _("Spottede job besat")
    description = _("Jobåbninger spottet ved arrangementer, som er blevet til et forløb, talt "
                    "én gang på startdatoen for det første forløb.")

    def records(self, programme, *, start, end):
        return (SpottedOpening.objects.filter(event__programme=programme)
                .annotate(first_start=Min("opening__placements__start_date"))
                .filter(first_start__range=(start, end)))

    def daily(self, programme, *, start, end):
        counts: dict[dt.date, int] = {}
        for day in self.records(programme, start=start, end=end).values_list(
                "first_start", flat=True):
            counts[day] = counts.get(day, 0) + 1
        return counts

    def breakdown(self, programme, *, start, end, by):
        ids = self.records(programme, start=start, end=end).values("pk")
        return metrics.breakdown_rows(
            SpottedOpening.objects.filter(pk__in=ids), by=by, paths=self.paths,
            count=Count("pk"), url=lambda key: None)


@metrics.register
class SpottedFollowedUpInTime(metrics.Metric):
    key = "spotted_followed_up_in_time"
    label = _("Spottede job fulgt op til tiden")
    description = _("Andelen af de spottede job med kontaktfrist i perioden (og fristen nået), "
                    "hvor virksomheden er kontaktet senest på fristen (programmets antal "
                    "arbejdsdage efter arrangementet); tæller og nævner vises.")
    is_share = True

    def _due(self, programme, *, start, end):
        today = timezone.localdate()
        # A follow-up not yet due and not yet made is not late yet: it is left out.
        return SpottedOpening.objects.filter(event__programme=programme,
                                             due_on__range=(start, end)).filter(
            Q(due_on__lt=today) | Q(contacted_on__isnull=False))

    def _in_time(self) -> Q:
        from django.db.models import F

        return Q(contacted_on__isnull=False, contacted_on__lte=F("due_on"))

    def daily(self, programme, *, start, end):
        rows = (self._due(programme, start=start, end=end).filter(self._in_time())
                .values("due_on").annotate(n=Count("pk")).order_by())
        return {row["due_on"]: row["n"] for row in rows}

    def ratio(self, programme, *, start, end):
        totals = self._due(programme, start=start, end=end).aggregate(
            in_time=Count("pk", filter=self._in_time()), due=Count("pk"))
        return totals["in_time"], totals["due"]

    def count(self, programme, *, start, end):
        in_time, due = self.ratio(programme, start=start, end=end)
        return 100 * in_time // due if due else 0



@metrics.register
class MentorsTrained(metrics.Metric):
    key = "mentors_trained"
    label = _("Medarbejdermentorer uddannet")
    description = _("Virksomhedsmedarbejdere, der har gennemført et af programmets "
                    "mentorkurser, talt på dagen de gennemførte.")
    breakdowns = (Dimension.COMPANY,)

    def records(self, programme, *, start, end):
        return MentorTrainee.objects.filter(course__programme=programme,
                                            completed_on__range=(start, end))

    def daily(self, programme, *, start, end):
        rows = (self.records(programme, start=start, end=end).values("completed_on")
                .annotate(n=Count("pk")).order_by())
        return {row["completed_on"]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        return _url("relations:course-list")

    def breakdown(self, programme, *, start, end, by):
        return metrics.breakdown_rows(
            self.records(programme, start=start, end=end), by=by,
            paths={Dimension.COMPANY: "company"}, count=Count("pk"), url=lambda key: None)


@metrics.register
class NetworkMembers(metrics.ItemMetric):
    key = "network_members"
    label = _("Virksomheder i netværk")
    description = _("Forskellige virksomheder, der er trådt ind i et af programmets netværk "
                    "(Task Force, Dialogforum, Ledermentor m.fl.), hver talt én gang på den "
                    "første indtrædelsesdato.")
    breakdowns = (Dimension.COMPANY,)

    def events(self, programme):
        return [metrics.events(
            NetworkMembership.objects.filter(network__programmes=programme),
            item="company", day="joined_on", order=("pk",), keys={Dimension.COMPANY: "company"})]

    def list_url(self, params):
        return None
