"""Writes for citizens: every change runs in a transaction and leaves an access-log entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens import cpr as cpr_tools
from citizens.choices import AccessAction, ConsentKind, EnrolmentStatus, ExitReason
from citizens.models import AccessLog, Citizen, Consent, Enrolment
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
    # One UPDATE per (exit date, reason): bulk_update's CASE per row costs seconds.
    groups: dict[tuple, list[int]] = {}
    for enrolment in changed:
        groups.setdefault((enrolment.exit_date, enrolment.exit_reason), []).append(enrolment.pk)
    for (exit_date, exit_reason), pks in groups.items():
        Enrolment.objects.filter(pk__in=pks).update(
            status=EnrolmentStatus.CLOSED, exit_date=exit_date, exit_reason=exit_reason)
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


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: dt.date, actor: User) -> Consent:
    """Record that a consent was withdrawn on ``withdrawn_on`` (not before it was given)."""
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
    return consent


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
    citizens = list(Citizen.objects.select_for_update().only("pk", "cpr_encrypted")
                    .order_by("pk"))
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
