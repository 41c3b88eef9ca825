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
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.choices import PdfStatus
from certificates.models import Certificate, CertificateCounter, RenderBatch
from companies.models import ContactPerson, CsrAssessment
from companies.selectors import assessment_is_superseded
from csrprogram.duework import document_lease_until, document_next_attempt, failure_reason
from csrprogram.emails import email_render, language_of
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
    history: bool = False,
) -> Certificate:
    """Issue a certificate from an eligible, current assessment.

    If the company already holds a current certificate in the programme, this is a renewal:
    the old certificate is marked as superseded by the new one. After commit a task renders
    the PDF and emails it. Both are due work on the row: if the task is lost (or not queued,
    ``queue_pdf=False``), the documents sweep queues it once its lease has run out.
    ``history=True`` is for back-filled history such as the demo data: nothing is due, the
    PDF is rendered on demand and the issue is never emailed.
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
    if not history:
        lease = document_lease_until(timezone.now())
        certificate.pdf_next_attempt_at = lease
        certificate.issue_email_next_attempt_at = lease
    certificate.full_clean()
    certificate.save()
    if previous is not None:
        previous.superseded_by = certificate
        previous.save(update_fields=["superseded_by"])

    if queue_pdf and not history:
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
    render the same certificate at once, and a second delivery of the same work finds the
    content hash unchanged and renders nothing. A failure (WeasyPrint, a font, the storage)
    is recorded on the row with its reason and retried with back-off by the documents sweep
    (``certificate_pdf_failure_record``); it is not raised.
    """
    try:
        return _certificate_pdf_render(certificate_id)
    except Exception as error:  # any failure of a render is recorded, not lost
        logger.exception("Could not render the PDF of certificate %s", certificate_id)
        certificate_pdf_failure_record(certificate_id=certificate_id, error=error)
        return False


@transaction.atomic
def certificate_pdf_failure_record(*, certificate_id: int, error: BaseException) -> None:
    """Count a failed render; schedule the next attempt with back-off, or mark it failed."""
    certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
    if certificate is None:
        return
    now = timezone.now()
    failures = certificate.pdf_attempts + 1
    next_attempt = document_next_attempt(failures=failures, now=now)
    Certificate.objects.filter(pk=certificate_id).update(
        pdf_attempts=failures, pdf_error=failure_reason(error), pdf_next_attempt_at=next_attempt,
        pdf_status=PdfStatus.PENDING if next_attempt else PdfStatus.FAILED,
    )


def _certificate_pdf_render(certificate_id: int) -> bool:
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
            Certificate.objects.filter(pk=certificate.pk).update(
                pdf_checked_at=now, pdf_status=PdfStatus.RENDERED, pdf_next_attempt_at=None,
                pdf_error="")
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
        certificate.pdf_status = PdfStatus.RENDERED
        certificate.pdf_next_attempt_at = None
        certificate.pdf_error = ""
        certificate.save(update_fields=["pdf", "pdf_hash", "pdf_rendered_at", "pdf_checked_at",
                                        "pdf_status", "pdf_next_attempt_at", "pdf_error"])
        if old_name and old_name != certificate.pdf.name:
            storage = certificate.pdf.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return True


def certificate_pdf_available(*, certificate_id: int) -> Certificate | None:
    """The certificate with its stored PDF, rendered now if it is due or its file is missing.

    For the PDF links, which must never fail: None when there is no PDF to give (the render
    failed now or has failed too often; the row records why and staff can retry).
    """
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return None
    stored = bool(certificate.pdf) and certificate.pdf.storage.exists(certificate.pdf.name)
    if certificate.pdf_status == PdfStatus.RENDERED and stored:
        return certificate
    if certificate.pdf_status != PdfStatus.FAILED:
        certificate_pdf_render(certificate_id=certificate_id)
        certificate.refresh_from_db()
    if certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name):
        return certificate
    return None


@transaction.atomic
def certificate_pdf_retry(*, certificate: Certificate, actor: User) -> Certificate:
    """Start the PDF (and the issue email it carries) over after failures: a staff action.

    Allowed to whoever may issue certificates. The failure count starts again from zero.
    """
    from certificates.tasks import certificate_pdf_render_task

    if not permits(actor, "certificates.issue_certificate"):
        raise PermissionDenied(_("Du har ikke tilladelse til at danne certifikatets PDF."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    now = timezone.now()
    certificate.pdf_status = PdfStatus.PENDING
    certificate.pdf_attempts = 0
    certificate.pdf_error = ""
    certificate.pdf_next_attempt_at = document_lease_until(now)
    update_fields = ["pdf_status", "pdf_attempts", "pdf_error", "pdf_next_attempt_at"]
    if certificate.issue_email_next_attempt_at and not certificate.issue_email_sent_at:
        certificate.issue_email_attempts = 0
        certificate.issue_email_error = ""
        update_fields += ["issue_email_attempts", "issue_email_error"]
    certificate.full_clean()
    certificate.save(update_fields=update_fields)
    certificate_pdf_render_task.delay_on_commit(certificate.pk)
    return certificate


@transaction.atomic
def render_batch_create(*, certificates, actor: User) -> RenderBatch:
    """Check (and render where the content changed) the PDFs of many certificates.

    Each certificate becomes due work again, so a lost task is queued again by the sweep and
    the batch always finishes.
    """
    require(actor, "certificates.add_renderbatch")
    from certificates.tasks import certificate_pdf_render_task

    batch = RenderBatch.objects.create(created_by=actor)
    ids = list(certificates.values_list("pk", flat=True))
    batch.certificates.set(ids)
    Certificate.objects.filter(pk__in=ids).update(
        pdf_status=PdfStatus.PENDING, pdf_attempts=0, pdf_error="",
        pdf_next_attempt_at=document_lease_until(timezone.now()))
    for certificate_id in ids:
        certificate_pdf_render_task.delay_on_commit(certificate_id)
    return batch


def render_batch_progress(batch: RenderBatch) -> tuple[int, int, int]:
    """(done, failed, total): a certificate is done once a render task has checked it after
    the start, failed once its render has failed too often (the staff must retry it)."""
    through = batch.certificates.through.objects.filter(renderbatch=batch)
    total = through.count()
    done = through.filter(certificate__pdf_checked_at__gte=batch.created_at).count()
    failed = through.filter(certificate__pdf_status=PdfStatus.FAILED).count()
    return done, failed, total


# --- The documents sweep --------------------------------------------------------------------------

# Rows queued by one sweep at most; the rest wait for the next one (a minute later).
SWEEP_BATCH = 200


def _claim_due(queryset, field: str, now: dt.datetime) -> list[int]:
    """Move the lease of the due rows ahead and return their ids; call in a transaction.

    Rows another transaction holds (a render in progress, another sweep) are skipped, so two
    sweeps at once never queue the same row.
    """
    ids = list(queryset.select_for_update(skip_locked=True, of=("self",))
               .filter(**{f"{field}__lte": now}).order_by(field, "pk")
               .values_list("pk", flat=True)[:SWEEP_BATCH])
    Certificate.objects.filter(pk__in=ids).update(**{field: document_lease_until(now)})
    return ids


def certificates_pdf_due():
    """Certificates whose PDF is to be rendered (or checked) by a worker."""
    return Certificate.objects.filter(pdf_status=PdfStatus.PENDING,
                                      pdf_next_attempt_at__isnull=False)


def certificates_issue_email_due():
    """Certificates whose issue email is wanted, not sent, and can be sent (PDF and contact)."""
    contacts = ContactPerson.objects.filter(company=OuterRef("company"), is_primary=True
                                             ).exclude(email="")
    return Certificate.objects.filter(
        Exists(contacts), issue_email_sent_at__isnull=True,
        issue_email_next_attempt_at__isnull=False, revoked_at__isnull=True,
        pdf_status=PdfStatus.RENDERED)


def certificate_documents_sweep(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Queue the due PDF renders and issue emails again: (renders queued, emails queued).

    What is due: queued work whose lease ran out undone (the broker lost it, a worker was
    killed) and failed work whose back-off is over. Safe to run twice or in two workers.
    """
    from certificates.tasks import certificate_issue_email_send_task, certificate_pdf_render_task

    now = now or timezone.now()
    with transaction.atomic():
        renders = _claim_due(certificates_pdf_due(), "pdf_next_attempt_at", now)
        emails = _claim_due(certificates_issue_email_due(), "issue_email_next_attempt_at", now)
        for certificate_id in renders:
            certificate_pdf_render_task.delay_on_commit(certificate_id)
        for certificate_id in emails:
            certificate_issue_email_send_task.delay_on_commit(certificate_id)
    if renders or emails:
        logger.info("Documents sweep queued %s renders and %s issue emails", len(renders),
                    len(emails))
    return len(renders), len(emails)


# --- Emails ---------------------------------------------------------------------------------------


def _primary_contact(certificate: Certificate):
    return certificate.company.contacts.filter(is_primary=True).exclude(email="").first()


def _email(*, template: str, certificate: Certificate, to: str, extra: dict | None = None):
    """The email to the company's contact, in the contact's language (their user's preferred
    language, else the company's), with the programme and job centre as sender."""
    context = {"certificate": certificate, "company": certificate.company,
               "programme": certificate.programme, "public_url": public_url(certificate),
               **(extra or {})}
    contact = context.get("contact")
    subject, body = email_render(
        subject_template=f"certificates/email/{template}_subject.txt",
        body_template=f"certificates/email/{template}_body.txt", context=context,
        language=language_of(getattr(contact, "user", None), certificate.company.language),
        programme=certificate.programme, name=getattr(contact, "name", ""))
    return EmailMessage(subject=subject, body=body, to=[to])


def certificate_issue_email_send(*, certificate_id: int) -> bool:
    """Email the primary contact that the certificate is issued, with the PDF attached.

    Sent once: the row is claimed with a conditional update (a second task waits for the
    first one's transaction and then finds nothing to claim); if sending fails the claim
    rolls back with it, the failure is recorded with its reason and the documents sweep
    tries again after a back-off, a bounded number of times. Only for certificates whose
    issue is to be announced (``issue_email_next_attempt_at`` set by the issue).
    """
    try:
        with transaction.atomic():
            certificate = (Certificate.objects.select_related("company", "programme")
                           .filter(pk=certificate_id, pdf_status=PdfStatus.RENDERED).first())
            if certificate is None or not certificate.pdf:
                return False
            contact = _primary_contact(certificate)
            if contact is None:
                return False
            claimed = Certificate.objects.filter(
                pk=certificate.pk, issue_email_sent_at__isnull=True, revoked_at__isnull=True,
                issue_email_next_attempt_at__isnull=False,
            ).update(issue_email_sent_at=timezone.now(), issue_email_next_attempt_at=None,
                     issue_email_error="")
            if not claimed:
                return False
            message = _email(template="issued", certificate=certificate, to=contact.email,
                             extra={"contact": contact})
            message.extra_headers["X-CSR-Certificate"] = certificate.number
            with certificate.pdf.open("rb") as handle:
                message.attach(f"{certificate.number}.pdf", handle.read(), "application/pdf")
            message.send()
    except OSError as error:  # the mail server (smtplib's errors are OSErrors) or the file
        logger.exception("Could not send the issue email of certificate %s", certificate_id)
        _issue_email_failure_record(certificate_id=certificate_id, error=error)
        return False
    return True


@transaction.atomic
def _issue_email_failure_record(*, certificate_id: int, error: BaseException) -> None:
    certificate = Certificate.objects.select_for_update().filter(
        pk=certificate_id, issue_email_sent_at__isnull=True).first()
    if certificate is None:
        return
    failures = certificate.issue_email_attempts + 1
    Certificate.objects.filter(pk=certificate_id).update(
        issue_email_attempts=failures, issue_email_error=failure_reason(error),
        issue_email_next_attempt_at=document_next_attempt(failures=failures,
                                                          now=timezone.now()))


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
