import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.choices import CertificateStatus, PdfStatus
from csrprogram.policy import COMPANY, PROGRAMMES, UNRESTRICTED, RestrictedQuerySet


class CertificateQuerySet(RestrictedQuerySet):
    def current(self):
        """Neither revoked nor replaced by a renewal (it may still have expired)."""
        return self.filter(revoked_at__isnull=True, superseded_at__isnull=True)

    def valid_on(self, day: dt.date):
        return self.current().filter(valid_from__lte=day, valid_until__gte=day)

    def with_status(self, day: dt.date | None = None):
        """Annotate ``current_status`` (a CertificateStatus value) as of ``day`` (default today)."""
        day = day or timezone.localdate()
        return self.annotate(current_status=Case(
            When(revoked_at__isnull=False, then=Value(CertificateStatus.REVOKED)),
            When(superseded_at__isnull=False, then=Value(CertificateStatus.SUPERSEDED)),
            When(valid_from__gt=day, then=Value(CertificateStatus.PENDING)),
            When(valid_until__lt=day, then=Value(CertificateStatus.EXPIRED)),
            default=Value(CertificateStatus.VALID),
            output_field=models.CharField(),
        ))


class Certificate(models.Model):
    """A CSR certificate, issued to a company from an eligible assessment.

    Its status is never stored: it follows from the validity dates, a revocation and a renewal
    (``status_on``). The number is gap-free per year (see services.certificate_issue).
    """

    company = models.ForeignKey("companies.Company", verbose_name=_("virksomhed"),
                                on_delete=models.PROTECT, related_name="certificates")
    programme = models.ForeignKey("csrprogram.Programme", verbose_name=_("program"),
                                  on_delete=models.PROTECT, related_name="certificates")
    assessment = models.OneToOneField(
        "companies.CsrAssessment", verbose_name=_("vurdering"), on_delete=models.PROTECT,
        related_name="certificate",
    )
    number = models.CharField(_("certifikatnummer"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("år"))
    sequence = models.PositiveIntegerField(_("løbenummer"))
    issued_at = models.DateTimeField(_("udstedt"))
    # The issue date in Europe/Copenhagen, stored so that counting per day needs no time-zone
    # arithmetic in the database (a certificate issued 31 December at 23:30 belongs to that year).
    issued_on = models.DateField(_("udstedelsesdato"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("udstedt af"),
                                  on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("gyldig fra"))
    valid_until = models.DateField(_("gyldig til"))
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tilbagekaldt af"),
                                   on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True)
    revocation_reason = models.TextField(_("begrundelse for tilbagekaldelse"), blank=True)
    superseded_at = models.DateTimeField(_("erstattet"), null=True, blank=True)
    superseded_by = models.ForeignKey("self", verbose_name=_("erstattet af"),
                                      on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    public_token = models.CharField(_("offentlig nøgle"), max_length=64, unique=True,
                                    editable=False)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    pdf_hash = models.CharField(_("PDF-indholdets fingeraftryk"), max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(_("PDF dannet"), null=True, blank=True)
    pdf_checked_at = models.DateTimeField(_("PDF kontrolleret"), null=True, blank=True)
    # The PDF and the issue email are due work in the database (DESIGN.md §5): a sweep finds
    # what is due by these fields, so a lost broker, a killed worker or a failed render only
    # delays them. A "next attempt" in the future is a lease: the work is queued, or waits
    # for its back-off after a failure; NULL means nothing is scheduled.
    pdf_status = models.CharField(_("PDF-status"), max_length=10, choices=PdfStatus.choices,
                                  default=PdfStatus.PENDING)
    pdf_attempts = models.PositiveSmallIntegerField(_("mislykkede PDF-forsøg"), default=0)
    pdf_error = models.TextField(_("seneste PDF-fejl"), blank=True)
    pdf_next_attempt_at = models.DateTimeField(_("næste PDF-forsøg"), null=True, blank=True)
    issue_email_sent_at = models.DateTimeField(_("e-mail om udstedelse sendt"), null=True,
                                               blank=True)
    # NULL for back-filled history (the demo's certificates), whose issue was never announced.
    issue_email_next_attempt_at = models.DateTimeField(_("næste forsøg på e-mail om udstedelse"),
                                                       null=True, blank=True)
    issue_email_attempts = models.PositiveSmallIntegerField(
        _("mislykkede forsøg på e-mail om udstedelse"), default=0)
    issue_email_error = models.TextField(_("seneste fejl ved e-mail om udstedelse"), blank=True)
    reminder_sent_at = models.DateTimeField(_("påmindelse om udløb sendt"), null=True,
                                            blank=True)

    objects = CertificateQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    access_scopes = {PROGRAMMES: UNRESTRICTED, COMPANY: "company"}

    class Meta:
        verbose_name = _("CSR-certifikat")
        verbose_name_plural = _("CSR-certifikater")
        ordering = ["-issued_at", "-pk"]
        permissions = [
            ("issue_certificate", _("Kan udstede CSR-certifikater")),
            ("revoke_certificate", _("Kan tilbagekalde CSR-certifikater")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "programme"],
                condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="certificate_one_current_per_company_programme",
                violation_error_message=_(
                    "Virksomheden har allerede et certifikat i dette program. Forny det i "
                    "stedet for at udstede et nyt."
                ),
            ),
            models.UniqueConstraint(
                fields=["year", "sequence"], name="certificate_sequence_unique_per_year",
                violation_error_message=_("Certifikatnummeret er allerede brugt."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("valid_from")),
                name="certificate_valid_until_after_from",
                violation_error_message=_(
                    "Gyldighedsperioden skal slutte efter den starter."
                ),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="certificate_revocation_has_reason",
                violation_error_message=_("Angiv en begrundelse for tilbagekaldelsen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.company}"

    def status_on(self, day: dt.date | None = None) -> str:
        day = day or timezone.localdate()
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if self.superseded_at:
            return CertificateStatus.SUPERSEDED
        if day < self.valid_from:
            return CertificateStatus.PENDING
        if day > self.valid_until:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_on()

    def get_status_display(self) -> str:
        return str(CertificateStatus(self.status).label)

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID


class CertificateCounter(models.Model):
    """The last certificate sequence number used in a year.

    Issuing locks this row (SELECT … FOR UPDATE) and increments it in the same transaction as
    the certificate insert, so two issues at once queue up and a rolled-back issue gives its
    number back: the numbers have no gaps and no duplicates.
    """

    year = models.PositiveSmallIntegerField(_("år"), primary_key=True)
    last_sequence = models.PositiveIntegerField(_("sidste løbenummer"), default=0)

    class Meta:
        verbose_name = _("nummertæller")
        verbose_name_plural = _("nummertællere")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_sequence}"


class RenderBatch(models.Model):
    """A bulk PDF rendering started from the certificate list; its progress is derived."""

    created_at = models.DateTimeField(_("startet"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("startet af"),
                                   on_delete=models.PROTECT, related_name="+")
    certificates = models.ManyToManyField(Certificate, verbose_name=_("certifikater"),
                                          related_name="+")

    objects = RestrictedQuerySet.as_manager()
    # What each reach of the access policy covers (see csrprogram.policy).
    # Only roles with ALL reach hold the batch abilities.
    access_scopes = {}

    class Meta:
        verbose_name = _("PDF-kørsel")
        verbose_name_plural = _("PDF-kørsler")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"
