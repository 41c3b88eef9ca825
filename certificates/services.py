"""The certificate lifecycle: issue, renew, revoke; its PDF; and the emails about it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateCounter, RenderBatch
from companies.models import CsrAssessment
from companies.selectors import assessment_is_superseded
from csrprogram.models import User
from csrprogram.pdf import image_data_uri, render_pdf
from csrprogram.policy import permits, require

logger = logging.getLogger(__name__)

# Bump when the PDF template changes in a way that should re-render every certificate.
PDF_TEMPLATE_VERSION = 2
REMINDER_DAYS_DEFAULT = 30


def certificate_number(year: int, sequence: int) -> str:
    return f"CSR-{year}-{sequence:04d}"


def _next_sequence(year: int) -> int:
    # Make sure the year's counter row exists without racing another issuer to create it,
    # then lock it: a concurrent issue waits here until this transaction ends.
    CertificateCounter.objects.bulk_create(
        [CertificateCounter(year=year, last_sequence=0)], ignore_conflicts=True
    )
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return counter.last_sequence


def certificate_valid_until(*, valid_from: dt.date, months: int) -> dt.date:
    """The last valid day: one period after the first, minus a day (1 Jan → 31 Dec)."""
    return valid_from + relativedelta(months=months) - dt.timedelta(days=1)


def public_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificates:public",
                                       kwargs={"token": certificate.public_token})


@transaction.atomic
def certificate_issue(
    *,
    assessment: CsrAssessment,
    actor: User,
    valid_from: dt.date | None = None,
    issued_at: dt.datetime | None = None,
    queue_pdf: bool = True,
) -> Certificate:
    """Issue a certificate from an eligible, current assessment.

    If the company already holds a current certificate in the programme, this is a renewal:
    the old certificate is marked as superseded by the new one. After commit a task renders
    the PDF and emails it (``queue_pdf=False`` is for back-filled history such as the demo
    data, whose PDFs are rendered on demand).
    """
    if not permits(actor, "certificates.issue_certificate"):
        raise PermissionDenied(_("Du har ikke tilladelse til at udstede certifikater."))
    # Lock the assessment so that two clicks on "issue" cannot both pass the checks below.
    # Only the assessment row: locking the joined programme would serialise every issue in it.
    assessment = (CsrAssessment.objects.select_for_update(of=("self",))
                  .select_related("company", "programme").get(pk=assessment.pk))
    if Certificate.objects.filter(assessment=assessment).exists():
        raise ValidationError(
            _("Der er allerede udstedt et certifikat på grundlag af denne vurdering."),
            code="already_issued",
        )
    if not assessment.is_eligible:
        raise ValidationError(
            _("Vurderingen opfylder ikke kravet: %(met)s af %(threshold)s kriterier er "
              "opfyldt.") % {"met": assessment.met_count, "threshold": assessment.threshold},
            code="not_eligible",
        )
    if assessment_is_superseded(assessment):
        raise ValidationError(
            _("Der findes en nyere vurdering af virksomheden. Udsted certifikatet fra den "
              "nyeste vurdering."),
            code="superseded",
        )

    issued_at = issued_at or timezone.now()
    issued_on = timezone.localdate(issued_at)
    valid_from = valid_from or issued_on
    if valid_from < assessment.assessed_on:
        raise ValidationError(
            {"valid_from": _("Certifikatet kan ikke gælde fra før vurderingsdatoen (%(date)s).")
             % {"date": date_format(assessment.assessed_on, "SHORT_DATE_FORMAT")}},
            code="before_assessment",
        )
    programme = assessment.programme
    valid_until = certificate_valid_until(valid_from=valid_from,
                                          months=programme.certificate_validity_months)

    previous = (Certificate.objects.select_for_update().current()
                .filter(company=assessment.company, programme=programme).first())
    if previous is not None:
        previous.superseded_at = issued_at
        previous.save(update_fields=["superseded_at"])

    sequence = _next_sequence(issued_on.year)
    certificate = Certificate(
        company=assessment.company, programme=programme, assessment=assessment,
        number=certificate_number(issued_on.year, sequence), year=issued_on.year,
        sequence=sequence, issued_at=issued_at, issued_on=issued_on, issued_by=actor,
        valid_from=valid_from, valid_until=valid_until,
        public_token=secrets.token_urlsafe(24),
    )
    certificate.full_clean()
    certificate.save()
    if previous is not None:
        previous.superseded_by = certificate
        previous.save(update_fields=["superseded_by"])

    if queue_pdf:
        from certificates.tasks import certificate_pdf_render_task

        certificate_pdf_render_task.delay_on_commit(certificate.pk)
    return certificate


@transaction.atomic
def certificate_renew(
    *, certificate: Certificate, assessment: CsrAssessment, actor: User,
    valid_from: dt.date | None = None,
) -> Certificate:
    """Replace a certificate with a new one from a newer assessment of the same company."""
    if (assessment.company_id != certificate.company_id
            or assessment.programme_id != certificate.programme_id):
        raise ValidationError(
            _("Vurderingen hører til en anden virksomhed eller et andet program."),
            code="wrong_assessment",
        )
    if certificate.revoked_at or certificate.superseded_at:
        raise ValidationError(
            _("Kun et aktuelt certifikat kan fornyes. Udsted et nyt i stedet."),
            code="not_current",
        )
    if assessment.pk <= certificate.assessment_id:
        raise ValidationError(
            _("En fornyelse kræver en ny vurdering, lavet efter certifikatets vurdering."),
            code="old_assessment",
        )
    return certificate_issue(assessment=assessment, actor=actor, valid_from=valid_from)


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor: User, reason: str,
    revoked_at: dt.datetime | None = None,
) -> Certificate:
    if not permits(actor, "certificates.revoke_certificate", certificate):
        raise PermissionDenied(_("Du har ikke tilladelse til at tilbagekalde certifikater."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Angiv en begrundelse for tilbagekaldelsen.")},
                              code="reason_required")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at:
        raise ValidationError(_("Certifikatet er allerede tilbagekaldt."),
                              code="already_revoked")
    certificate.revoked_at = revoked_at or timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return certificate


# --- PDF ------------------------------------------------------------------------------------------


# The QR code: error correction M (15 % of the code may be damaged, enough for a print behind
# glass), a quiet zone of 4 modules as ISO/IEC 18004 requires, and 10 pixels a module, so that
# the 36 mm square on the page holds about 300 pixels an inch: a viewer or a printer scales it
# down or draws it as is, never blurs it up.
QR_ERROR = "m"
QR_BORDER = 4
QR_SCALE = 10
# Rendering steps from the most generous layout to the most compact: certificate.css defines
# fit-0 to fit-9.
PDF_FIT_STEPS = 10


def certificate_qr_png_data_uri(certificate: Certificate) -> str:
    """The QR code to the public page as a PNG ``data:`` URI, quiet zone included."""
    import segno

    return segno.make(public_url(certificate), error=QR_ERROR, micro=False).png_data_uri(
        scale=QR_SCALE, border=QR_BORDER)


def certificate_municipality(certificate: Certificate) -> str:
    """The municipality named on the certificate: CSR_MUNICIPALITY_NAME, else the programme's."""
    return settings.CSR_MUNICIPALITY_NAME or certificate.programme.municipality


def _company_name_size(name: str) -> str:
    """The type size class (certificate.css name-*) of a company name of this length."""
    length = len(name)
    if length <= 32:
        return "s"
    if length <= 64:
        return "m"
    if length <= 120:
        return "l"
    return "xl"


def _criteria_columns(criteria: list[str]) -> list[list[str]]:
    """Up to six criteria in one column; more in two, the first column the longer."""
    if len(criteria) <= 6:
        return [criteria]
    half = (len(criteria) + 1) // 2
    return [criteria[:half], criteria[half:]]


def certificate_pdf_content(certificate: Certificate) -> dict:
    """Everything the PDF shows. Its hash decides whether the PDF must be rendered again.

    The logo is represented by its SHA-256, so a new logo file re-renders the certificates.
    """
    language = certificate.company.language
    answers = certificate.assessment.answers.filter(is_met=True).select_related(
        "criterion").order_by("criterion__order", "criterion__pk")
    logo = settings.CSR_MUNICIPALITY_LOGO
    return {
        "template_version": PDF_TEMPLATE_VERSION,
        "language": language,
        "company_name": certificate.company.name,
        "cvr": certificate.company.cvr,
        "criteria": [answer.criterion.title_in(language) for answer in answers],
        "number": certificate.number,
        "issued_on": certificate.issued_on.isoformat(),
        "issued_by_name": str(certificate.issued_by),
        "issued_by_title": certificate.issued_by.job_title,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "programme": certificate.programme.name,
        "municipality": certificate_municipality(certificate),
        "logo": hashlib.sha256(logo.read_bytes()).hexdigest() if logo else "",
        "public_url": public_url(certificate),
    }


def content_hash(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def certificate_pdf_render(*, certificate_id: int) -> bool:
    """Render and store the certificate's PDF if its content changed; True if it rendered.

    Tolerates a missing row. The row is locked while rendering so that two workers never
    render the same certificate at once.
    """
    with transaction.atomic():
        certificate = (Certificate.objects.select_for_update(of=("self",))
                       .select_related("company", "programme", "assessment", "issued_by")
                       .filter(pk=certificate_id).first())
        if certificate is None:
            logger.info("Certificate %s no longer exists; nothing to render", certificate_id)
            return False
        content = certificate_pdf_content(certificate)
        digest = content_hash(content)
        now = timezone.now()
        if (certificate.pdf and certificate.pdf_hash == digest
                and certificate.pdf.storage.exists(certificate.pdf.name)):
            Certificate.objects.filter(pk=certificate.pk).update(pdf_checked_at=now)
            return False
        logo = settings.CSR_MUNICIPALITY_LOGO
        filename, data = render_pdf(
            template_name="certificates/pdf/certificate.html",
            context={**content, "certificate": certificate,
                     "issued_on": certificate.issued_on,
                     "valid_from": certificate.valid_from, "valid_until": certificate.valid_until,
                     "company_name_size": _company_name_size(content["company_name"]),
                     "criteria_columns": _criteria_columns(content["criteria"]),
                     "logo_data_uri": image_data_uri(logo) if logo else "",
                     "qr_data_uri": certificate_qr_png_data_uri(certificate)},
            filename=f"{certificate.number}.pdf",
            language=content["language"],
            fit_steps=PDF_FIT_STEPS,
        )
        old_name = certificate.pdf.name
        certificate.pdf.save(filename, ContentFile(data), save=False)
        certificate.pdf_hash = digest
        certificate.pdf_rendered_at = now
        certificate.pdf_checked_at = now
        certificate.save(update_fields=["pdf", "pdf_hash", "pdf_rendered_at", "pdf_checked_at"])
        if old_name and old_name != certificate.pdf.name:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return True


@transaction.atomic
def render_batch_create(*, certificates, actor: User) -> RenderBatch:
    """Queue the PDF rendering of ``certificates`` as one batch whose progress can be shown."""
    require(actor, "certificates.add_renderbatch")
    from certificates.tasks import certificate_pdf_render_task

    batch = RenderBatch.objects.create(created_by=actor)
    ids = list(certificates.values_list("pk", flat=True))
    batch.certificates.set(ids)
    for certificate_id in ids:
        certificate_pdf_render_task.delay_on_commit(certificate_id)
    return batch


def render_batch_progress(batch: RenderBatch) -> tuple[int, int]:
    """(done, total): a certificate is done once a render task has checked it after the start."""
    through = batch.certificates.through.objects.filter(renderbatch=batch)
    total = through.count()
    done = through.filter(certificate__pdf_checked_at__gte=batch.created_at).count()
    return done, total


# --- Emails ---------------------------------------------------------------------------------------


def _primary_contact(certificate: Certificate):
    return certificate.company.contacts.filter(is_primary=True).exclude(email="").first()


def _email(*, template: str, certificate: Certificate, to: str, extra: dict | None = None):
    context = {"certificate": certificate, "company": certificate.company,
               "programme": certificate.programme, "public_url": public_url(certificate),
               **(extra or {})}
    with translation.override(certificate.company.language):
        subject = render_to_string(f"certificates/email/{template}_subject.txt", context)
        body = render_to_string(f"certificates/email/{template}_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[to])


def certificate_issue_email_send(*, certificate_id: int) -> bool:
    """Email the primary contact that the certificate is issued, with the PDF attached.

    Sent once: the row is claimed with a conditional update; if sending fails the claim rolls
    back with it and the next render task or sweep tries again.
    """
    with transaction.atomic():
        certificate = (Certificate.objects.select_related("company", "programme")
                       .filter(pk=certificate_id).exclude(pdf_hash="").first())
        if certificate is None or not certificate.pdf:
            return False
        contact = _primary_contact(certificate)
        if contact is None:
            return False
        claimed = Certificate.objects.filter(
            pk=certificate.pk, issue_email_sent_at__isnull=True, revoked_at__isnull=True,
        ).update(issue_email_sent_at=timezone.now())
        if not claimed:
            return False
        message = _email(template="issued", certificate=certificate, to=contact.email,
                         extra={"contact": contact})
        with certificate.pdf.open("rb") as handle:
            message.attach(f"{certificate.number}.pdf", handle.read(), "application/pdf")
        message.send()
    return True


def certificates_due_for_reminder(*, today: dt.date | None = None):
    today = today or timezone.localdate()
    days = getattr(settings, "CSR_CERTIFICATE_REMINDER_DAYS", REMINDER_DAYS_DEFAULT)
    return (Certificate.objects.current()
            .filter(reminder_sent_at__isnull=True, valid_until__gte=today,
                    valid_until__lte=today + dt.timedelta(days=days))
            .order_by("valid_until", "pk"))


def certificate_expiry_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind primary contacts of certificates that expire soon. Safe to run twice at once."""
    sent = 0
    for certificate_id in certificates_due_for_reminder(today=today).values_list("pk",
                                                                                  flat=True):
        try:
            with transaction.atomic():
                claimed = Certificate.objects.filter(
                    pk=certificate_id, reminder_sent_at__isnull=True, revoked_at__isnull=True,
                    superseded_at__isnull=True,
                ).update(reminder_sent_at=timezone.now())
                if not claimed:
                    continue  # another sweep got it
                certificate = Certificate.objects.select_related("company", "programme").get(
                    pk=certificate_id)
                contact = _primary_contact(certificate)
                if contact is None:
                    logger.warning("Certificate %s has no primary contact with an email",
                                   certificate.number)
                    continue
                _email(template="reminder", certificate=certificate, to=contact.email,
                       extra={"contact": contact}).send()
                sent += 1
        except OSError:
            # The claim rolled back with the failed send; the next sweep tries again.
            logger.exception("Could not send the expiry reminder for certificate %s",
                             certificate_id)
    return sent
