"""Dashboard metrics about certificates (registered in csrprogram.metrics).

Dates are Europe/Copenhagen calendar dates: ``Certificate.issued_on`` is stored as the local
date of issue, so a certificate issued on 31 December at 23:30 counts for that day and year.

- ``certificates_issued``: certificates issued per day (renewals included).
- ``certified_companies``: a company counts on the day of its *first* certificate in the
  programme, so summing the days gives distinct companies (a renewal or a second certificate
  never counts a company twice). Certificates later revoked still count: the company was
  certified. For a range starting at the programme's start this is exactly "distinct
  companies certified in the period".
- ``active_certificates`` is a stock, not a flow. ``daily`` gives the opening balance on the
  first day (certificates valid that day) and then the net change per day (+1 on a
  certificate's first valid day, -1 on the day after its last: expiry, revocation or
  renewal), so the cumulative sum is the number valid on each day and ``count(start, end)``
  is the number valid on ``end``.

Breakdowns by consultant use the consultant who made the assessment behind the certificate.
For ``certified_companies`` a company is attributed to the consultant behind its *first*
certificate in the programme (a renewal by another consultant does not move or repeat it), so
the rows add up to the total.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from csrprogram import metrics


def _list_url(**params) -> str:
    query = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse('certificates:certificate-list')}?{urlencode(query)}"


def _by_consultant(programme, *, start, end, count):
    issued = Certificate.objects.filter(programme=programme, issued_on__range=(start, end))
    return metrics.breakdown_rows(
        issued, by=metrics.Dimension.CONSULTANT,
        paths={metrics.Dimension.CONSULTANT: "assessment__assessed_by"}, count=count,
        url=lambda key: _list_url(programme=programme.pk, issued_from=start.isoformat(),
                                  issued_to=end.isoformat(), assessed_by=key))


@metrics.register
class CertificatesIssued(metrics.Metric):
    key = "certificates_issued"
    label = _("Udstedte certifikater")
    description = _("Certifikater udstedt i perioden, fornyelser medregnet.")

    def daily(self, programme, *, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        rows = (Certificate.objects.filter(programme=programme, issued_on__range=(start, end))
                .values("issued_on").annotate(n=Count("pk")).order_by("issued_on"))
        return {row["issued_on"]: row["n"] for row in rows}

    breakdowns = (metrics.Dimension.CONSULTANT,)

    def records_url(self, programme, *, start, end):
        return _list_url(programme=programme.pk, issued_from=start.isoformat(),
                         issued_to=end.isoformat())

    def breakdown(self, programme, *, start, end, by):
        return _by_consultant(programme, start=start, end=end, count=Count("pk"))


@metrics.register
class CertifiedCompanies(metrics.ItemMetric):
    key = "certified_companies"
    label = _("Certificerede virksomheder")
    description = _("Forskellige virksomheder, der har fået deres første certifikat i "
                    "programmet i perioden (fornyelser tæller ikke igen), talt på "
                    "udstedelsesdatoen.")
    breakdowns = (metrics.Dimension.CONSULTANT,)

    def events(self, programme):
        # A company's first certificate (day, then moment of issue) names its consultant.
        return [metrics.events(
            Certificate.objects.filter(programme=programme), item="company", day="issued_on",
            order=("issued_at", "pk"),
            keys={metrics.Dimension.CONSULTANT: "assessment__assessed_by"})]

    def list_params(self, programme, *, start, end):
        return {"programme": programme.pk, "issued_from": start.isoformat(),
                "issued_to": end.isoformat(), "first": "true"}

    def list_url(self, params):
        # The certificate list filters by the assessing consultant as ``assessed_by``.
        if "consultant" in params:
            params = {**params, "assessed_by": params.pop("consultant")}
        return _list_url(**params)


def _last_valid_day(valid_until: dt.date, *ended_at: dt.datetime | None) -> dt.date:
    last = valid_until
    for moment in ended_at:
        if moment is not None:
            last = min(last, timezone.localdate(moment) - dt.timedelta(days=1))
    return last


@metrics.register
class ActiveCertificates(metrics.Metric):
    key = "active_certificates"
    label = _("Gyldige certifikater")
    description = _("Certifikater, der er gyldige på periodens sidste dag.")

    def daily(self, programme, *, start: dt.date, end: dt.date) -> dict[dt.date, int]:
        rows = (Certificate.objects.filter(programme=programme, valid_from__lte=end,
                                           valid_until__gte=start)
                .values_list("valid_from", "valid_until", "revoked_at", "superseded_at")
                .order_by())
        changes: Counter = Counter()
        for valid_from, valid_until, revoked_at, superseded_at in rows:
            first = max(valid_from, start)
            last = min(_last_valid_day(valid_until, revoked_at, superseded_at), end)
            if first > last:
                continue
            changes[first] += 1
            if last < end:
                changes[last + dt.timedelta(days=1)] -= 1
        return {day: n for day, n in sorted(changes.items()) if n}

    def records_url(self, programme, *, start, end):
        return _list_url(programme=programme.pk, active_on=end.isoformat())
