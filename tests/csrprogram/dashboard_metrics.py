"""Test-only metrics for the targets and the dashboard, over real tables.

The apps' own metrics arrive from their own branches; the dashboard is generic, so these stand
in: companies registered (by ``Company.created_at``) and staff users joined (by
``User.date_joined``). Both count in Europe/Copenhagen days with one aggregate query, the way a
real metric must.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse

from companies.models import Company
from csrprogram.metrics import BreakdownRow, Dimension, Metric, registry
from csrprogram.models import User

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=COPENHAGEN)


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in Copenhagen."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=COPENHAGEN)


class CompaniesRegistered(Metric):
    key = "test_companies_registered"
    label = "Registrerede virksomheder"
    breakdowns = (Dimension.COMPANY, Dimension.TARGET_GROUP)

    def _rows(self, start, end):
        return Company.objects.filter(created_at__gte=local_midnight(start),
                                      created_at__lt=local_midnight(end + dt.timedelta(days=1)))

    def daily(self, programme, *, start, end):
        rows = (self._rows(start, end)
                .annotate(day=TruncDate("created_at", tzinfo=COPENHAGEN))
                .values("day").annotate(n=Count("id")).order_by("day"))
        return {row["day"]: row["n"] for row in rows}

    def records_url(self, programme, *, start, end):
        # The programme page stands in for a filtered list of records.
        return reverse("programme-detail", args=[programme.pk])

    def breakdown(self, programme, *, start, end, by):
        if by == Dimension.COMPANY:
            rows = (self._rows(start, end).values("id", "name").annotate(n=Count("id"))
                    .order_by("name"))
            return [BreakdownRow(key=str(r["id"]), label=r["name"], count=r["n"],
                                 url=reverse("programme-detail", args=[programme.pk]))
                    for r in rows]
        # Industry stands in for a target group.
        rows = self._rows(start, end).values("industry").annotate(n=Count("id")).order_by(
            "industry")
        return [BreakdownRow(key=r["industry"], label=r["industry"], count=r["n"])
                for r in rows]


class UsersJoined(Metric):
    key = "test_users_joined"
    label = "Nye medarbejdere"
    breakdowns = (Dimension.CONSULTANT,)

    def _rows(self, start, end):
        return User.objects.filter(date_joined__gte=local_midnight(start),
                                   date_joined__lt=local_midnight(end + dt.timedelta(days=1)))

    def daily(self, programme, *, start, end):
        rows = (self._rows(start, end)
                .annotate(day=TruncDate("date_joined", tzinfo=COPENHAGEN))
                .values("day").annotate(n=Count("id")).order_by("day"))
        return {row["day"]: row["n"] for row in rows}

    def breakdown(self, programme, *, start, end, by):
        # Each user counts for themself: a stand-in for "the consultant who registered it".
        rows = (self._rows(start, end).values("id", "email").annotate(n=Count("id"))
                .order_by("email"))
        return [BreakdownRow(key=str(r["id"]), label=r["email"], count=r["n"],
                             url=reverse("programme-list")) for r in rows]


TEST_METRICS = (CompaniesRegistered, UsersJoined)


def register_test_metrics() -> None:
    for metric_class in TEST_METRICS:
        if metric_class.key not in registry:
            registry.register(metric_class())


def unregister_test_metrics() -> None:
    for metric_class in TEST_METRICS:
        registry.unregister(metric_class.key)
