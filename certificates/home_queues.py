"""The certificate queues of the home pages (see ``csrprogram.queues``).

Team leader: eligible assessments waiting for a certificate (issued from the queue through the
issue page) and certificates expiring within ``EXPIRING_DAYS`` days. Company contact: their
company's certificate, its status and expiry.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.choices import CertificateStatus
from certificates.models import Certificate
from companies.models import CsrAssessment
from csrprogram.policy import company_id_of
from csrprogram.queues import HomeQueue, QueueItem, QueueResult, register

EXPIRING_DAYS = 30


def assessments_awaiting_certificate_queue(user, today: dt.date, limit: int) -> QueueResult:
    """Eligible assessments with no certificate that no newer assessment of the same company
    in the same programme replaces (the rule of ``assessment_is_superseded``)."""
    newer = CsrAssessment.objects.filter(company_id=OuterRef("company_id"),
                                         programme_id=OuterRef("programme_id"),
                                         pk__gt=OuterRef("pk"))
    queryset = (CsrAssessment.objects.restrict(user, ability="certificates.issue_certificate")
                .filter(met_count__gte=F("threshold"), certificate__isnull=True)
                .filter(~Exists(newer)).select_related("company", "programme"))
    items = [QueueItem(
        label=assessment.company.name,
        detail=_("%(met)s kriterier opfyldt (krav: %(required)s) · %(programme)s") % {
            "met": assessment.met_count, "required": assessment.threshold,
            "programme": assessment.programme.name},
        url=reverse("certificates:certificate-issue", args=[assessment.pk]),
        action_label=_("Udsted certifikat"), day=assessment.assessed_on,
        day_label=_("vurderet"),
    ) for assessment in queryset.order_by("assessed_on", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


def certificates_expiring_queue(user, today: dt.date, limit: int) -> QueueResult:
    """Current certificates whose validity ends within ``EXPIRING_DAYS`` days."""
    queryset = (Certificate.objects.restrict(user).current()
                .filter(valid_from__lte=today, valid_until__gte=today,
                        valid_until__lte=today + dt.timedelta(days=EXPIRING_DAYS))
                .select_related("company"))
    items = [QueueItem(
        label=certificate.company.name, detail=certificate.number,
        url=reverse("certificates:certificate-detail", args=[certificate.pk]),
        action_label=_("Se certifikatet"), day=certificate.valid_until,
        day_label=_("udløber"),
        warning=certificate.valid_until <= today + dt.timedelta(days=7),
    ) for certificate in queryset.order_by("valid_until", "pk")[:limit]]
    return QueueResult(count=queryset.count(), items=items)


def company_certificate_queue(user, today: dt.date, limit: int) -> QueueResult:
    """The contact's company's certificates that are not replaced: status and expiry."""
    if company_id_of(user) is None:
        return QueueResult(count=0)
    queryset = (Certificate.objects
                .restrict(user, ability="certificates.download_certificate")
                .filter(superseded_at__isnull=True).with_status(today)
                .select_related("programme"))
    items = []
    for certificate in queryset.order_by("-valid_until", "-pk")[:limit]:
        status = CertificateStatus(certificate.current_status)
        if status == CertificateStatus.VALID:
            detail = _("%(status)s til og med %(date)s") % {
                "status": status.label,
                "date": date_format(certificate.valid_until, "DATE_FORMAT")}
        else:
            detail = str(status.label)
        items.append(QueueItem(
            label=certificate.number, detail=f"{detail} · {certificate.programme.name}",
            url=reverse("companies:portal"), action_label=_("Se certifikatet"),
            warning=(status != CertificateStatus.VALID
                     or certificate.valid_until <= today + dt.timedelta(days=EXPIRING_DAYS))))
    return QueueResult(count=queryset.count(), items=items)


register(HomeQueue(
    key="assessments-awaiting-certificate",
    title=gettext_lazy("Vurderinger, der venter på et certifikat"),
    ability="certificates.issue_certificate", items=assessments_awaiting_certificate_queue,
    order=10, empty_text=gettext_lazy("Ingen godkendte vurderinger venter på et certifikat."),
))
register(HomeQueue(
    key="certificates-expiring",
    title=format_lazy(gettext_lazy("Certifikater, der udløber inden for {days} dage"),
                      days=EXPIRING_DAYS),
    ability="certificates.issue_certificate", items=certificates_expiring_queue, order=20,
    empty_text=gettext_lazy("Ingen certifikater udløber den næste måned."),
))
register(HomeQueue(
    key="company-certificate", title=gettext_lazy("Jeres CSR-certifikat"),
    ability="companies.view_portal", items=company_certificate_queue, order=20,
    empty_text=gettext_lazy("I har endnu ikke et CSR-certifikat."),
))
