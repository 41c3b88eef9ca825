"""Writes for citizens: every change runs in a transaction and leaves an access-log entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CharField, DateField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens import cpr as cpr_tools
from citizens import rights
from citizens.choices import (
    AccessAction,
    ConsentKind,
    EnrolmentStatus,
    ErasureKind,
    ExitReason,
    RetentionReviewStatus,
)
from citizens.models import (
    AccessLog,
    Citizen,
    Consent,
    Enrolment,
    ErasureRecord,
    RetentionReview,
)
from citizens.signals import consent_withdrawn
from csrprogram.bulk import case_by_value
from csrprogram.logging import redact_cpr
from csrprogram.models import Programme, User
from csrprogram.policy import require

CITIZEN_FIELDS = ("name", "email", "phone", "address", "postcode", "city", "target_group",
                  "competencies", "wishes", "accommodation_needs", "weekly_hours", "consultant")


def access_log_record(*, citizen: Citizen, actor: User | None, action: str,
                      purpose: str) -> AccessLog:
    """Log a read or change of a citizen record. The purpose never contains the CPR."""
    return AccessLog.objects.create(citizen=citizen, actor=actor, action=action,
                                    purpose=redact_cpr(str(purpose))[:200])


def access_log_record_many(*, citizen_ids: Iterable[int], actor: User | None, action: str,
                           purpose: str) -> list[AccessLog]:
    """Log one read per citizen shown together (a list page, matching suggestions).

    ``citizen_ids`` are primary keys in display order; repeats are logged once. One INSERT
    whatever the number of citizens. The purpose never contains the CPR.
    """
    purpose = redact_cpr(str(purpose))[:200]
    entries = [AccessLog(citizen_id=pk, actor=actor, action=action, purpose=purpose)
               for pk in dict.fromkeys(citizen_ids)]
    return AccessLog.objects.bulk_create(entries)


def require_unrestricted(citizen: Citizen) -> None:
    """Refuse a change of a restricted (or erased) citizen's record: it is read-only."""
    if citizen.erased_at is not None:
        raise ValidationError(_("Borgerens oplysninger er slettet og kan ikke ændres."))
    if citizen.restricted_at is not None:
        raise ValidationError(_(
            "Behandlingen af borgerens oplysninger er begrænset; de kan ikke ændres, før "
            "begrænsningen ophæves."))


def has_employer_sharing_consent(citizen: Citizen, *, on: dt.date | None = None) -> bool:
    """Whether ``citizen`` has a consent to share the profile with employers in force on
    ``on`` (Copenhagen's today by default): given on or before it and not withdrawn."""
    on = on or timezone.localdate()
    return citizen.consents.filter(kind=ConsentKind.EMPLOYER_SHARING, given_on__lte=on,
                                   withdrawn_on__isnull=True).exists()


def _ensure_cpr_free(citizen: Citizen) -> None:
    indexes = [citizen.cpr_index]
    if settings.CPR_INDEX_OLD_KEY:
        # Mid-rotation, other rows may still carry the old index key's value.
        number = cpr_tools.decrypt_cpr(citizen.cpr_encrypted)
        indexes = cpr_tools.cpr_index_candidates(number) if number else indexes
    clash = Citizen.objects.filter(cpr_index__in=indexes)
    if citizen.pk:
        clash = clash.exclude(pk=citizen.pk)
    if clash.exists():
        raise ValidationError({"cpr": _("Der findes allerede en borger med dette CPR-nummer.")})


def _save_citizen(citizen: Citizen) -> None:
    _ensure_cpr_free(citizen)
    try:
        citizen.full_clean()
    except ValidationError as error:
        # The blind index is not a form field; report its clash on the CPR field.
        if hasattr(error, "error_dict") and "cpr_index" in error.error_dict:
            raise ValidationError(
                {"cpr": _("Der findes allerede en borger med dette CPR-nummer.")}) from None
        raise
    try:
        with transaction.atomic():
            citizen.save()
    except IntegrityError:
        # Two consultants registering the same person at the same moment.
        raise ValidationError(
            {"cpr": _("Der findes allerede en borger med dette CPR-nummer.")}) from None


def _set_cpr(citizen: Citizen, raw: str) -> None:
    try:
        citizen.set_cpr(raw)
    except ValidationError as error:
        raise ValidationError({"cpr": error.messages}) from None


@transaction.atomic
def citizen_create(*, actor: User, cpr: str, data: dict,
                   programme: Programme | None = None,
                   enrolled_on: dt.date | None = None) -> Citizen:
    """Register a citizen and, if a programme is given, enrol them (visitering) at once.

    PermissionDenied unless ``actor`` may add citizens (``csrprogram.policy``).
    """
    require(actor, "citizens.add_citizen")
    citizen = Citizen(**{field: data[field] for field in CITIZEN_FIELDS if field in data})
    if citizen.consultant_id is None:
        citizen.consultant = actor
    _set_cpr(citizen, cpr)
    _save_citizen(citizen)
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CREATE,
                      purpose=_("Oprettelse af borger"))
    if programme is not None:
        enrolment_create(citizen=citizen, programme=programme,
                         enrolled_on=enrolled_on or timezone.localdate(),
                         referring_consultant=actor, actor=actor)
    return citizen


@transaction.atomic
def citizen_update(*, citizen: Citizen, actor: User, data: dict, cpr: str = "") -> Citizen:
    """Change a citizen's record (and CPR number), logged. PermissionDenied outside the
    actor's reach."""
    require(actor, "citizens.change_citizen", citizen)
    require_unrestricted(citizen)
    changed = []
    for field in CITIZEN_FIELDS:
        if field in data and getattr(citizen, field) != data[field]:
            setattr(citizen, field, data[field])
            changed.append(field)
    if cpr:
        _set_cpr(citizen, cpr)
        changed.append("cpr")
    _save_citizen(citizen)
    purpose = _("Ændring af borgeroplysninger")
    if changed:
        labels = [str(Citizen._meta.get_field(f).verbose_name) if f != "cpr"
                  else _("CPR-nummer") for f in changed]
        purpose = f"{purpose}: {', '.join(labels)}"
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=purpose)
    return citizen


@transaction.atomic
def enrolment_create(*, citizen: Citizen, programme: Programme, enrolled_on: dt.date,
                     referring_consultant: User | None, actor: User, notes: str = "") -> Enrolment:
    """Enrol ``citizen`` in ``programme`` (visitering), or re-enrol them after an exit.

    A re-enrolment is a new row: the earlier enrolments, with their exit dates and reasons,
    stay as the citizen's history, and "Borgere visiteret" still counts the citizen once.
    Raises ValidationError while an enrolment in the programme is open, or when the new
    enrolment would start before the last one ended.
    """
    require(actor, "citizens.change_citizen", citizen)
    require_unrestricted(citizen)
    earlier = Enrolment.objects.filter(citizen=citizen, programme=programme)
    if earlier.filter(exit_date__isnull=True).exists():
        raise ValidationError(_("Borgeren er allerede visiteret til dette program."))
    last_exit = max((e for e in earlier.values_list("exit_date", flat=True)), default=None)
    if last_exit is not None and enrolled_on < last_exit:
        raise ValidationError({"enrolled_on": _(
            "Borgeren kan tidligst visiteres igen den dag, den sidste visitering sluttede "
            "(%(date)s).") % {"date": date_format(last_exit, "SHORT_DATE_FORMAT")}})
    enrolment = Enrolment(citizen=citizen, programme=programme, enrolled_on=enrolled_on,
                          referring_consultant=referring_consultant, notes=notes)
    enrolment.full_clean()
    enrolment.save()
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Visitering til %(programme)s") % {"programme": programme})
    return enrolment


@transaction.atomic
def enrolment_close(*, enrolment: Enrolment, actor: User, status: str, exit_date: dt.date,
                    exit_reason: str = "") -> Enrolment:
    """Close an enrolment (afslutning or frafald) with the date and, if known, the reason.

    The 3-month sweep closes enrolments as ``SYSTEM``.
    """
    require(actor, "citizens.change_citizen", enrolment.citizen)
    if status not in (EnrolmentStatus.CLOSED, EnrolmentStatus.DROPPED_OUT):
        raise ValidationError({"status": _("Vælg afsluttet eller frafaldet.")})
    if exit_reason and exit_reason not in ExitReason.values:
        raise ValidationError({"exit_reason": _("Ukendt udskrivningsårsag.")})
    enrolment.status = status
    enrolment.exit_date = exit_date
    enrolment.exit_reason = exit_reason
    enrolment.full_clean()
    enrolment.save()
    access_log_record(citizen=enrolment.citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Afslutning af visitering"))
    return enrolment


@transaction.atomic
def enrolments_close_at_retention(*, closings: list[tuple[Enrolment, dt.date, str]]) -> int:
    """Close many open enrolments at once, as the ``SYSTEM`` (the 3-month sweep).

    ``closings`` are ``(enrolment, exit_date, exit_reason)``; the enrolments come locked by
    the caller, with ``citizen`` and ``programme`` loaded. Status "afsluttet". Set-based: one
    UPDATE, one INSERT of access-log rows and one of audit-log rows for all of them (issue 14:
    ``enrolment_close`` costs about fifteen queries per enrolment, thousands in a sweep). The
    rules of ``enrolment_close`` that can apply here are checked in Python: a known exit
    reason and an exit date not before the enrolment.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    changed, entries = [], []
    content_type = ContentType.objects.get_for_model(Enrolment)
    for enrolment, exit_date, exit_reason in closings:
        if exit_reason and exit_reason not in ExitReason.values:
            raise ValidationError({"exit_reason": _("Ukendt udskrivningsårsag.")})
        if exit_date < enrolment.enrolled_on:
            continue
        changes = {"status": [enrolment.status, EnrolmentStatus.CLOSED.value],
                   "exit_date": [str(enrolment.exit_date), str(exit_date)],
                   "exit_reason": [enrolment.exit_reason, exit_reason]}
        enrolment.status = EnrolmentStatus.CLOSED
        enrolment.exit_date = exit_date
        enrolment.exit_reason = exit_reason
        changed.append(enrolment)
        entries.append(LogEntry(content_type=content_type, object_pk=str(enrolment.pk),
                                object_id=enrolment.pk, object_repr=str(enrolment)[:255],
                                action=LogEntry.Action.UPDATE, changes=changes))
    if not changed:
        return 0
    # One UPDATE, one CASE branch per distinct exit date and reason (csrprogram.bulk).
    Enrolment.objects.filter(pk__in=[e.pk for e in changed]).update(
        status=EnrolmentStatus.CLOSED,
        exit_date=case_by_value(changed, "exit_date", output_field=DateField()),
        exit_reason=case_by_value(changed, "exit_reason", output_field=CharField()))
    LogEntry.objects.bulk_create(entries)
    access_log_record_many(citizen_ids=[e.citizen_id for e in changed], actor=None,
                           action=AccessAction.CHANGE, purpose=_("Afslutning af visitering"))
    return len(changed)


@transaction.atomic
def enrolment_set_in_job(*, enrolment: Enrolment, in_job: bool = True) -> Enrolment:
    """Make an open enrolment's status follow its placements.

    ``in_job`` is whether the citizen has a placement of a kind the programme counts as a job
    running (placements decides); an active enrolment becomes "I job", and one in job goes
    back to "Aktiv" when that job has ended (e.g. ended by the employer). Closed and
    dropped-out enrolments are left alone.
    """
    if in_job and enrolment.status == EnrolmentStatus.ACTIVE:
        enrolment.status = EnrolmentStatus.IN_JOB
        enrolment.save(update_fields=["status"])
    elif not in_job and enrolment.status == EnrolmentStatus.IN_JOB:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.save(update_fields=["status"])
    return enrolment


@transaction.atomic
def consent_record(*, citizen: Citizen, kind: str, given_on: dt.date, actor: User,
                   note: str = "") -> Consent:
    """Record a consent the citizen has given (one open consent per kind)."""
    require(actor, "citizens.change_citizen", citizen)
    require_unrestricted(citizen)
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": _("Ukendt samtykketype.")})
    if citizen.consents.filter(kind=kind, withdrawn_on__isnull=True).exists():
        raise ValidationError({"kind": _("Borgeren har allerede givet dette samtykke.")})
    consent = Consent(citizen=citizen, kind=kind, given_on=given_on, recorded_by=actor,
                      note=note)
    consent.full_clean()
    consent.save()
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Registrering af samtykke"))
    return consent


@dataclass(frozen=True)
class ConsentWithdrawal:
    """What ``consent_withdraw`` did: the consent, and what the apps above did because of it
    (``consequences``: sentences for the staff member's flash message, naming no citizen)."""

    consent: Consent
    consequences: list[str]


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: dt.date,
                     actor: User) -> ConsentWithdrawal:
    """Record that a consent was withdrawn on ``withdrawn_on`` (not before it was given).

    The apps above react in this transaction through ``citizens.signals.consent_withdrawn``
    (this app does not know them); what their receivers report is returned as the
    withdrawal's ``consequences``."""
    require(actor, "citizens.change_citizen", consent.citizen)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Samtykket er allerede trukket tilbage."))
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("Et samtykke kan ikke trækkes tilbage før det er givet.")})
    consent.withdrawn_on = withdrawn_on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    access_log_record(citizen=consent.citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Tilbagetrækning af samtykke"))
    # The apps above react inside this transaction (placements withdraws the open
    # presentations when the consent to share the profile with employers goes; relations
    # removes the stories at coming events when the consent to tell one's story goes).
    responses = consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    return ConsentWithdrawal(consent=consent, consequences=[
        str(reported) for _receiver, reported in responses if reported])


@dataclass(frozen=True)
class CprRotationResult:
    rotated: int
    unreadable: list[int]


@transaction.atomic
def cpr_keys_rotate(*, dry_run: bool = False) -> CprRotationResult:
    """Re-encrypt every CPR number under the current key and re-index it under the current
    index key (issue 16, part 5; how to rotate: docs/security.md).

    All rows or none, in one transaction that locks the citizens. A row that no configured key
    (``CPR_ENCRYPTION_KEY`` or ``CPR_ENCRYPTION_OLD_KEYS``) opens is listed by primary key in
    ``unreadable`` and nothing is written; with ``dry_run`` only the check is made. Running it
    twice is harmless. Neither the numbers nor their indexes are logged.
    """
    # An erased citizen has no CPR number left to rotate.
    citizens = list(Citizen.objects.select_for_update().only("pk", "cpr_encrypted")
                    .exclude(cpr_encrypted="").order_by("pk"))
    unreadable = []
    for citizen in citizens:
        try:
            citizen.cpr_encrypted = cpr_tools.reencrypt_cpr(citizen.cpr_encrypted)
        except InvalidToken:
            unreadable.append(citizen.pk)
            continue
        citizen.cpr_index = cpr_tools.cpr_index(cpr_tools.decrypt_cpr(citizen.cpr_encrypted))
    if unreadable or dry_run:
        return CprRotationResult(rotated=0, unreadable=unreadable)
    Citizen.objects.bulk_update(citizens, ["cpr_encrypted", "cpr_index"], batch_size=500)
    return CprRotationResult(rotated=len(citizens), unreadable=[])


# --- A citizen's rights (issue 16, part 1) -------------------------------------------------------

def _purpose(purpose: str) -> str:
    purpose = redact_cpr(str(purpose or "")).strip()
    if not purpose:
        raise ValidationError({"purpose": _("Angiv formålet.")})
    return purpose[:200]


@transaction.atomic
def citizen_restrict(*, citizen: Citizen, actor: User | None, reason: str) -> Citizen:
    """Restrict the processing of a citizen's data (GDPR art. 18): the record becomes
    read-only and is hidden from the lists and the matching. Logged with the reason."""
    require(actor, "citizens.restrict_citizen", citizen)
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if citizen.erased_at is not None:
        raise ValidationError(_("Borgerens oplysninger er slettet."))
    if citizen.restricted_at is not None:
        raise ValidationError(_("Behandlingen er allerede begrænset."))
    reason = _purpose(reason)
    Citizen.objects.filter(pk=citizen.pk).update(restricted_at=timezone.now(),
                                                 restriction_reason=reason[:300])
    citizen.refresh_from_db()
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.RESTRICT,
                      purpose=_("Begrænsning af behandling: %(reason)s") % {"reason": reason})
    return citizen


@transaction.atomic
def citizen_restriction_lift(*, citizen: Citizen, actor: User | None, reason: str) -> Citizen:
    """Lift a restriction: the record can be changed and is shown in lists again. Logged."""
    require(actor, "citizens.restrict_citizen", citizen)
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if citizen.erased_at is not None:
        raise ValidationError(_("Borgerens oplysninger er slettet."))
    if citizen.restricted_at is None:
        raise ValidationError(_("Behandlingen er ikke begrænset."))
    reason = _purpose(reason)
    Citizen.objects.filter(pk=citizen.pk).update(restricted_at=None, restriction_reason="")
    citizen.refresh_from_db()
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.RESTRICT,
                      purpose=_("Begrænsning ophævet: %(reason)s") % {"reason": reason})
    return citizen


@transaction.atomic
def citizen_export(*, citizen: Citizen, actor: User | None, purpose: str) -> dict:
    """Everything the product holds about ``citizen`` (GDPR art. 15), as a JSON-able dict:
    ``{"generated_at": ISO time, "citizen_id": int, "sections": {app_label: app_export}}``
    where each ``app_export`` comes from the app's ``personal_data.citizen_export``
    (``citizens.rights``). The export is logged, with ``purpose``, before it is collected, so
    it lists itself. PermissionDenied without ``citizens.export_citizen``."""
    require(actor, "citizens.export_citizen", citizen)
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.EXPORT,
                      purpose=_("Indsigt: %(purpose)s") % {"purpose": _purpose(purpose)})
    sections = {}
    for module in rights.personal_data_modules():
        sections[module.app_label] = module.export(citizen)
    return {"generated_at": timezone.localtime().isoformat(timespec="seconds"),
            "citizen_id": citizen.pk, "sections": sections}


def citizen_export_pdf(*, export: dict, citizen: Citizen,
                       language: str = "da") -> tuple[str, bytes]:
    """The export of ``citizen_export`` as a readable PDF, ``(filename, bytes)``. The
    filename carries the record's number, never the name or CPR number."""
    from csrprogram.pdf import render_pdf

    blocks = []
    for section in export["sections"].values():
        blocks += rights.export_blocks(section)
    return render_pdf(template_name="citizens/pdf/citizen_export.html",
                      context={"blocks": blocks, "export": export, "citizen": citizen,
                               "generated_at": timezone.localtime()},
                      filename=f"indsigt-borger-{citizen.pk}.pdf", language=language)


@dataclass(frozen=True)
class ErasurePreview:
    """What an erasure would touch, shown at the confirmation step (counts only)."""

    enrolments: int
    consents: int
    access_log_entries: int
    modules: list[str]


def citizen_erasure_preview(*, citizen: Citizen) -> ErasurePreview:
    return ErasurePreview(
        enrolments=citizen.enrolments.count(), consents=citizen.consents.count(),
        access_log_entries=citizen.access_logs.count(),
        modules=[module.title for module in rights.personal_data_modules()])


@transaction.atomic
def citizen_erase(*, citizen: Citizen, actor: User | None, reason: str,
                  kind: str = ErasureKind.REQUEST,
                  review: RetentionReview | None = None) -> ErasureRecord:
    """Erase a citizen's personal data everywhere, keeping the anonymous rows the
    programme's figures count (issue 16, part 1).

    In one transaction, with the citizen row locked: every app's ``personal_data``
    ``citizen_erase`` (the apps above first, this app last, which anonymises the row), then
    the identifiers (name, CPR number in every common form, e-mail, phone, address) are
    removed from the change history, the access log's purposes, the stored files and the
    stored e-mails (``citizens.rights``). What stays is a record *that* the erasure happened:
    an ``ErasureRecord`` (when, by whom, why) and an access-log entry.
    ValidationError when already erased or without a reason; PermissionDenied without
    ``citizens.erase_citizen``.
    """
    require(actor, "citizens.erase_citizen", citizen)
    citizen = Citizen.objects.select_for_update().get(pk=citizen.pk)
    if citizen.erased_at is not None:
        raise ValidationError(_("Borgerens oplysninger er allerede slettet."))
    needles = rights.identifiers(citizen)
    reason = rights.scrub_text(_purpose(reason), needles)
    for module in reversed(rights.personal_data_modules()):
        module.erase(citizen, actor=actor)
    rights.audit_entries_scrub(citizen=citizen, needles=needles)
    rights.access_log_scrub(needles=needles)
    citizen.refresh_from_db()
    record = ErasureRecord.objects.create(citizen=citizen, kind=kind, erased_by=actor,
                                          reason=reason[:300], retention_review=review)
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.ERASE,
                      purpose=_("Sletning af personoplysninger: %(reason)s") % {"reason": reason})
    # Files and e-mails last: a failure above rolls everything back with nothing deleted.
    rights.stored_files_scrub(needles=needles)
    rights.stored_mails_scrub(needles=needles)
    return record


# --- Retention (issue 16, part 2) ----------------------------------------------------------------

def retention_months(programme: Programme | None) -> int:
    """How long a citizen's data is kept after an enrolment in ``programme`` ended: the
    programme's own period, or ``CSR_CITIZEN_RETENTION_MONTHS`` (default 60)."""
    if programme is not None and programme.personal_data_retention_months:
        return programme.personal_data_retention_months
    return settings.CSR_CITIZEN_RETENTION_MONTHS


def citizen_retention_due_on(citizen: Citizen) -> dt.date | None:
    """The day ``citizen``'s data is due for anonymisation, or None while it must be kept.

    None while any enrolment is open. Otherwise the latest of, per enrolment, its exit date
    plus its programme's period; a citizen never enrolled counts from the day they were
    registered with the installation's period. Uses prefetched ``enrolments`` if present.
    """
    from dateutil.relativedelta import relativedelta

    enrolments = list(citizen.enrolments.all())
    if any(enrolment.exit_date is None for enrolment in enrolments):
        return None
    if not enrolments:
        registered = timezone.localtime(citizen.created_at).date()
        return registered + relativedelta(months=retention_months(None))
    return max(enrolment.exit_date + relativedelta(months=retention_months(enrolment.programme))
               for enrolment in enrolments)


def citizens_due_for_retention(*, as_of: dt.date) -> list[int]:
    """Primary keys of the citizens, not yet erased, whose retention period ended on or
    before ``as_of``, in key order."""
    from django.db.models import Prefetch

    candidates = (Citizen.objects.filter(erased_at__isnull=True)
                  .exclude(enrolments__exit_date__isnull=True, enrolments__isnull=False)
                  .prefetch_related(Prefetch("enrolments",
                                             queryset=Enrolment.objects.select_related(
                                                 "programme")))
                  .only("pk", "created_at").order_by("pk"))
    due = []
    for citizen in candidates.iterator(chunk_size=500):
        due_on = citizen_retention_due_on(citizen)
        if due_on is not None and due_on <= as_of:
            due.append(citizen.pk)
    return due


@transaction.atomic
def retention_review_prepare(*, as_of: dt.date | None = None) -> RetentionReview | None:
    """The dry run: list the citizens due for anonymisation in a report for a team leader.

    Nothing is changed. Returns None when a report is already waiting or being carried out,
    or when no one is due. Called by the sweep as ``SYSTEM``.
    """
    as_of = as_of or timezone.localdate()
    open_statuses = (RetentionReviewStatus.PENDING, RetentionReviewStatus.APPROVED)
    if RetentionReview.objects.select_for_update().filter(status__in=open_statuses).exists():
        return None
    due = citizens_due_for_retention(as_of=as_of)
    if not due:
        return None
    return RetentionReview.objects.create(as_of=as_of, citizen_ids=due)


@transaction.atomic
def retention_review_decide(*, review: RetentionReview, actor: User | None,
                            approve: bool) -> RetentionReview:
    """A team leader approves (the sweep then anonymises) or rejects a pending report."""
    require(actor, "citizens.approve_retentionreview")
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    if review.status != RetentionReviewStatus.PENDING:
        raise ValidationError(_("Gennemgangen er allerede besluttet."))
    review.status = (RetentionReviewStatus.APPROVED if approve
                     else RetentionReviewStatus.REJECTED)
    review.decided_by = actor
    review.decided_at = timezone.now()
    if not approve:
        review.finished_at = review.decided_at
    review.save(update_fields=["status", "decided_by", "decided_at", "finished_at"])
    return review


@transaction.atomic
def retention_batch_anonymise(*, batch_size: int | None = None,
                              as_of: dt.date | None = None) -> int:
    """Anonymise the next batch of an approved report's citizens; returns how many.

    Claims the approved report under a row lock (``skip_locked``: a second worker finds
    nothing to do). Each listed citizen is re-checked: one already erased, re-enrolled since
    the report, or no longer due is skipped, so running twice erases nothing twice. The report
    is done when no listed citizen is left. Acts as ``SYSTEM``.
    """
    batch_size = batch_size or settings.CSR_RETENTION_BATCH_SIZE
    as_of = as_of or timezone.localdate()
    review = (RetentionReview.objects.select_for_update(skip_locked=True)
              .filter(status=RetentionReviewStatus.APPROVED).order_by("pk").first())
    if review is None:
        return 0
    # The report's list is walked with a cursor, so a skipped citizen is not met again.
    ids = review.citizen_ids[review.position:review.position + batch_size]
    citizens = {citizen.pk: citizen for citizen in
                Citizen.objects.filter(pk__in=ids).prefetch_related("enrolments__programme")}
    anonymised = skipped = 0
    for pk in ids:
        citizen = citizens.get(pk)
        due_on = citizen_retention_due_on(citizen) if citizen is not None else None
        if citizen is None or citizen.erased_at is not None or due_on is None or due_on > as_of:
            skipped += 1
            continue
        citizen_erase(citizen=citizen, actor=None, kind=ErasureKind.RETENTION, review=review,
                      reason=_("Opbevaringsperioden er udløbet"))
        anonymised += 1
    review.position += len(ids)
    review.anonymised += anonymised
    review.skipped += skipped
    if review.position >= len(review.citizen_ids):
        review.status = RetentionReviewStatus.DONE
        review.finished_at = timezone.now()
    review.save(update_fields=["position", "anonymised", "skipped", "status", "finished_at"])
    return anonymised
