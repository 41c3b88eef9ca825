"""Writes for openings, candidacies and placements.

The employer always chooses: a candidacy is accepted or declined by the company (in the portal,
or recorded by the consultant), and an acceptance starts the placement in the same transaction.
Every write that fills a position locks the opening row first (``select_for_update``) and then
re-reads it, so two acceptances at the same moment cannot both take the last position; the
``opening_not_overfilled`` check constraint is the last line of defence.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens.choices import AccessAction, EnrolmentStatus, ExitReason
from citizens.models import Citizen, Enrolment
from citizens.services import (
    access_log_record,
    enrolment_set_in_job,
    has_employer_sharing_consent,
    require_unrestricted,
)
from csrprogram.importing import ImportResult, tabular_import
from csrprogram.models import Programme, User
from csrprogram.policy import permits, require
from placements.choices import (
    CandidacyStatus,
    OpeningStatus,
    PlacementOutcome,
    PlacementStatus,
)
from placements.forms import OPENING_IMPORT_COLUMNS, OpeningImportRowForm
from placements.models import Candidacy, JobOpening, Placement
from placements.signals import placement_ended, placement_start_changed, placement_started

OPENING_FIELDS = ("programme", "company", "kind", "title", "job_category", "tasks",
                  "weekly_hours", "positions", "can_accommodate", "source", "contact_person",
                  "registered_on", "closing_date", "notes")
DECIDABLE = (CandidacyStatus.PROPOSED, CandidacyStatus.PRESENTED)


# --- Openings ------------------------------------------------------------------------------------

def _check_contact_person(opening: JobOpening) -> None:
    if opening.contact_person_id and opening.contact_person.company_id != opening.company_id:
        raise ValidationError(
            {"contact_person": _("Kontaktpersonen skal være ansat i virksomheden.")})


@transaction.atomic
def opening_create(*, actor: User | None, data: dict) -> JobOpening:
    require(actor, "placements.add_jobopening")
    opening = JobOpening(**{field: data[field] for field in OPENING_FIELDS if field in data},
                         created_by=actor)
    if opening.registered_on is None:
        opening.registered_on = timezone.localdate()
    _check_contact_person(opening)
    opening.full_clean()
    opening.save()
    return opening


@transaction.atomic
def opening_update(*, opening: JobOpening, actor: User | None, data: dict) -> JobOpening:
    require(actor, "placements.change_jobopening", opening)
    opening = JobOpening.objects.select_for_update().get(pk=opening.pk)
    for field in OPENING_FIELDS:
        if field in data:
            setattr(opening, field, data[field])
    if opening.positions < opening.positions_filled:
        raise ValidationError({"positions": _(
            "Der er allerede besat %(filled)s pladser; antallet kan ikke være lavere."
        ) % {"filled": opening.positions_filled}})
    if opening.status != OpeningStatus.WITHDRAWN:
        opening.status = (OpeningStatus.FILLED if opening.positions_filled >= opening.positions
                          else OpeningStatus.OPEN)
    _check_contact_person(opening)
    opening.full_clean()
    opening.save()
    return opening


@transaction.atomic
def opening_withdraw(*, opening: JobOpening, actor: User) -> JobOpening:
    require(actor, "placements.change_jobopening", opening)
    opening = JobOpening.objects.select_for_update().get(pk=opening.pk)
    if opening.status == OpeningStatus.WITHDRAWN:
        raise ValidationError(_("Jobåbningen er allerede trukket tilbage."))
    opening.status = OpeningStatus.WITHDRAWN
    opening.save(update_fields=["status"])
    opening.candidacies.filter(status__in=DECIDABLE).update(status=CandidacyStatus.WITHDRAWN)
    return opening


def candidacies_close_for_filled(*, opening: JobOpening, today: dt.date) -> int:
    """Close the open candidacies (proposed or presented) of an opening that is now filled.

    Called inside ``start_placement``'s transaction, with the opening locked. The status
    ``CLOSED`` is the reason shown to the consultant and to the company ("the position was
    filled by another candidate"); the portal no longer lists them as waiting for an answer.
    ``closed_on`` is the day the position was filled (the placement's start date, not before
    the candidacy's presentation). Returns how many candidacies were closed.
    """
    closed = 0
    for candidacy in opening.candidacies.filter(status__in=DECIDABLE).select_for_update():
        candidacy.status = CandidacyStatus.CLOSED
        candidacy.closed_on = max(filter(None, (today, candidacy.presented_on)))
        candidacy.save(update_fields=["status", "closed_on"])
        closed += 1
    return closed


@transaction.atomic
def openings_import(*, actor: User, programme: Programme, uploaded) -> ImportResult:
    """Create the openings of filled-in "Spot et job" sheets (CSV/XLSX), all or none.

    ``uploaded`` is a file object whose columns are ``OPENING_IMPORT_COLUMNS``; every row
    becomes an opening of ``programme`` created by ``actor``, for the company of the register
    with the row's CVR number (written as people write it: "DK30000013", "30 00 00 13"). An
    empty source is a "Spot et job" sheet, an empty registration date is Copenhagen's today.
    Never raises for the file's content: see ``csrprogram.importing.tabular_import``.
    """
    require(actor, "placements.add_jobopening")
    today = timezone.localdate()

    def save_row(cleaned: dict) -> JobOpening:
        return opening_create(actor=actor, data={
            **cleaned, "programme": programme,
            "registered_on": cleaned.get("registered_on") or today})

    return tabular_import(uploaded=uploaded, columns=OPENING_IMPORT_COLUMNS,
                          form_class=OpeningImportRowForm, save_row=save_row)


# --- Candidacies ---------------------------------------------------------------------------------

def _active_enrolment(citizen: Citizen, opening: JobOpening) -> Enrolment:
    enrolment = (Enrolment.objects
                 .filter(citizen=citizen, programme_id=opening.programme_id,
                         status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.IN_JOB))
                 .first())
    if enrolment is None:
        raise ValidationError(_("Borgeren er ikke visiteret til jobåbningens program."))
    return enrolment


def _require_open(opening: JobOpening) -> None:
    if opening.status == OpeningStatus.WITHDRAWN:
        raise ValidationError(_("Jobåbningen er trukket tilbage."))
    if opening.status == OpeningStatus.FILLED or opening.positions_left <= 0:
        raise ValidationError(_("Alle pladser i jobåbningen er besat."))


def _check_hours(*, hours: int, citizen: Citizen, override_reason: str) -> None:
    if hours > citizen.weekly_hours and not override_reason.strip():
        raise ValidationError({"hours_override_reason": _(
            "Jobbet er på %(hours)s timer om ugen, men borgeren kan arbejde %(capacity)s timer. "
            "Angiv en begrundelse, hvis du vil fortsætte."
        ) % {"hours": hours, "capacity": citizen.weekly_hours}}, code="hours_over_capacity")


@transaction.atomic
def candidacy_propose(*, opening: JobOpening, citizen: Citizen, actor: User,
                      motivation: str = "", hours_override_reason: str = "") -> Candidacy:
    require(actor, "placements.add_candidacy", opening)
    require_unrestricted(citizen)
    opening = JobOpening.objects.select_for_update().get(pk=opening.pk)
    _require_open(opening)
    _active_enrolment(citizen, opening)
    if Candidacy.objects.filter(opening=opening, citizen=citizen).exists():
        raise ValidationError(_("Borgeren er allerede foreslået til denne jobåbning."))
    _check_hours(hours=opening.weekly_hours, citizen=citizen,
                 override_reason=hours_override_reason)
    candidacy = Candidacy(opening=opening, citizen=citizen, proposed_by=actor,
                          motivation=motivation, hours_override_reason=hours_override_reason)
    candidacy.full_clean()
    candidacy.save()
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Forslag til jobåbning: %(opening)s") % {"opening": opening})
    return candidacy


def _require_decision(actor: User | None, candidacy: Candidacy) -> None:
    """The employer's answer is recorded by the consultant or given by the company's contact."""
    if not (permits(actor, "placements.change_candidacy", candidacy)
            or permits(actor, "placements.decide_candidacy", candidacy)):
        raise PermissionDenied("placements.decide_candidacy")


def _require_decidable(candidacy: Candidacy) -> None:
    if candidacy.status == CandidacyStatus.CLOSED:
        raise ValidationError(_("Stillingen er besat af en anden kandidat, så kandidaturet er "
                                "lukket."))
    if candidacy.status not in DECIDABLE:
        raise ValidationError(_("Virksomheden har allerede svaret på denne kandidat."))


def _locked(candidacy: Candidacy) -> tuple[JobOpening, Candidacy]:
    """Lock the opening first, then the candidacy (always in this order: no deadlocks)."""
    opening = JobOpening.objects.select_for_update().get(pk=candidacy.opening_id)
    candidacy = (Candidacy.objects.select_for_update().select_related("citizen")
                 .get(pk=candidacy.pk))
    candidacy.opening = opening
    return opening, candidacy


@transaction.atomic
def candidacy_present(*, candidacy: Candidacy, actor: User,
                      presented_on: dt.date | None = None) -> Candidacy:
    """Present a proposed candidate to the employer (issue 16, part 6).

    Only while the citizen's consent to share the profile with employers is recorded and in
    force (``ConsentKind.EMPLOYER_SHARING``); the employer then sees the profile without the
    name until asking to meet (``candidacy_request_meeting``).
    """
    require(actor, "placements.change_candidacy", candidacy)
    opening, candidacy = _locked(candidacy)
    if candidacy.status != CandidacyStatus.PROPOSED:
        raise ValidationError(_("Kun foreslåede kandidater kan præsenteres for virksomheden."))
    _require_open(opening)
    require_unrestricted(candidacy.citizen)
    if not has_employer_sharing_consent(candidacy.citizen,
                                        on=presented_on or timezone.localdate()):
        raise ValidationError(_(
            "Kandidaten kan ikke præsenteres: borgeren har ikke givet samtykke til, at "
            "profilen deles med virksomheder. Registrér samtykket på borgerens side først."),
            code="no_sharing_consent")
    candidacy.status = CandidacyStatus.PRESENTED
    candidacy.presented_on = presented_on or timezone.localdate()
    candidacy.save(update_fields=["status", "presented_on"])
    access_log_record(citizen=candidacy.citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Præsenteret for %(company)s") % {"company": opening.company})
    return candidacy


@transaction.atomic
def candidacy_accept(*, candidacy: Candidacy, actor: User, start_date: dt.date,
                     decided_on: dt.date | None = None, weekly_hours: int | None = None,
                     planned_end: dt.date | None = None,
                     consultant: User | None = None) -> Placement:
    """The employer chooses this candidate: accept and start the placement, atomically."""
    _require_decision(actor, candidacy)
    opening, candidacy = _locked(candidacy)
    _require_decidable(candidacy)
    _require_open(opening)
    candidacy.status = CandidacyStatus.ACCEPTED
    candidacy.decided_on = decided_on or timezone.localdate()
    candidacy.decided_by = actor
    candidacy.full_clean()
    candidacy.save()
    return start_placement(candidacy=candidacy, start_date=start_date, actor=actor,
                           weekly_hours=weekly_hours, planned_end=planned_end,
                           consultant=consultant)


@transaction.atomic
def candidacy_decline(*, candidacy: Candidacy, actor: User, reason: str,
                      decided_on: dt.date | None = None) -> Candidacy:
    _require_decision(actor, candidacy)
    _opening, candidacy = _locked(candidacy)
    _require_decidable(candidacy)
    if not reason.strip():
        raise ValidationError({"decline_reason": _("Angiv en begrundelse for fravalget.")})
    candidacy.status = CandidacyStatus.DECLINED
    candidacy.decline_reason = reason.strip()
    candidacy.decided_on = decided_on or timezone.localdate()
    candidacy.decided_by = actor
    candidacy.full_clean()
    candidacy.save()
    return candidacy


@transaction.atomic
def candidacy_withdraw(*, candidacy: Candidacy, actor: User) -> Candidacy:
    require(actor, "placements.change_candidacy", candidacy)
    _opening, candidacy = _locked(candidacy)
    if candidacy.status not in DECIDABLE:
        raise ValidationError(_("Kun kandidater uden svar kan trækkes tilbage."))
    candidacy.status = CandidacyStatus.WITHDRAWN
    candidacy.save(update_fields=["status"])
    return candidacy


@transaction.atomic
def candidacy_request_meeting(*, candidacy: Candidacy, actor: User) -> Candidacy:
    """The employer asks to meet a presented candidate: the name and contact details are
    disclosed to the company from now on, and the disclosure is written to the citizen's
    access log (issue 16, part 6). Asking again changes nothing and logs nothing.

    Only the company's contact (``placements.decide_candidacy``), only while the candidacy is
    presented or accepted, and only while the consent to share the profile is in force.
    """
    require(actor, "placements.decide_candidacy", candidacy)
    _opening, candidacy = _locked(candidacy)
    if candidacy.identity_disclosed_at is not None:
        return candidacy
    if candidacy.status not in (CandidacyStatus.PRESENTED, CandidacyStatus.ACCEPTED):
        raise ValidationError(_("Kandidaten er ikke længere præsenteret for virksomheden."))
    if not has_employer_sharing_consent(candidacy.citizen):
        raise ValidationError(_("Kandidatens samtykke til deling er trukket tilbage."))
    candidacy.identity_disclosed_at = timezone.now()
    candidacy.identity_disclosed_to = actor
    candidacy.save(update_fields=["identity_disclosed_at", "identity_disclosed_to"])
    access_log_record(
        citizen=candidacy.citizen, actor=actor, action=AccessAction.DISCLOSE,
        purpose=_("Navn og kontaktoplysninger videregivet til %(company)s (ønske om møde)")
        % {"company": candidacy.opening.company})
    return candidacy


def candidacies_withdraw_for_consent(*, citizen: Citizen, actor: User | None) -> list[Candidacy]:
    """The consent to share the profile is gone: withdraw the citizen's open presentations
    and tell the consultants who proposed them (one e-mail each, after commit, naming the
    citizen by record number only). Called by the ``consent_withdrawn`` receiver inside the
    withdrawal's transaction. Returns the withdrawn candidacies."""
    if has_employer_sharing_consent(citizen):
        return []  # another sharing consent is still in force
    withdrawn = list(Candidacy.objects.select_for_update(of=("self",))
                     .filter(citizen=citizen, status=CandidacyStatus.PRESENTED)
                     .select_related("opening__company", "proposed_by"))
    if not withdrawn:
        return []
    Candidacy.objects.filter(pk__in=[c.pk for c in withdrawn]).update(
        status=CandidacyStatus.WITHDRAWN)
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Præsentationer trukket tilbage: samtykke til deling "
                                "trukket tilbage"))
    recipients: dict[str, list[Candidacy]] = {}
    for candidacy in withdrawn:
        consultant = candidacy.proposed_by or citizen.consultant
        if consultant is not None and consultant.email:
            recipients.setdefault(consultant.email, []).append(candidacy)
    transaction.on_commit(lambda: _tell_consultants_of_withdrawal(citizen.pk, recipients))
    return withdrawn


def _tell_consultants_of_withdrawal(citizen_pk: int,
                                    recipients: dict[str, list[Candidacy]]) -> None:
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.urls import reverse

    link = settings.SITE_URL + reverse("citizens:citizen-detail", kwargs={"pk": citizen_pk})
    for address, candidacies in recipients.items():
        lines = "\n".join(f"- {c.opening.title} – {c.opening.company}" for c in candidacies)
        body = _(
            "Borger nr. %(number)s har trukket sit samtykke til deling af profilen med "
            "virksomheder tilbage. Disse præsentationer er derfor trukket tilbage:\n\n"
            "%(lines)s\n\nBorgerens side: %(link)s\n"
        ) % {"number": citizen_pk, "lines": lines, "link": link}
        EmailMessage(subject=_("Samtykke trukket tilbage – præsentationer trukket tilbage"),
                     body=body, to=[address]).send()


# --- Placements ----------------------------------------------------------------------------------

@transaction.atomic
def start_placement(*, candidacy: Candidacy, start_date: dt.date, actor: User,
                    weekly_hours: int | None = None, planned_end: dt.date | None = None,
                    consultant: User | None = None,
                    hours_override_reason: str = "") -> Placement:
    """Start the placement of an accepted candidacy and fill one position of its opening.

    Sends ``placement_started`` inside the transaction (the follow-up schedule hooks in there).
    """
    opening, candidacy = _locked(candidacy)
    if candidacy.status != CandidacyStatus.ACCEPTED:
        raise ValidationError(_("Kun en kandidat, som virksomheden har valgt, kan starte."))
    if Placement.objects.filter(candidacy=candidacy).exists():
        raise ValidationError(_("Forløbet er allerede startet."))
    _require_open(opening)
    citizen = candidacy.citizen
    enrolment = _active_enrolment(citizen, opening)
    if start_date < enrolment.enrolled_on:
        raise ValidationError({"start_date": _(
            "Forløbet kan ikke starte før borgerens visitering (%(date)s)."
        ) % {"date": date_format(enrolment.enrolled_on, "SHORT_DATE_FORMAT")}})
    if planned_end is not None and planned_end < start_date:
        raise ValidationError(
            {"planned_end": _("Den planlagte slutdato kan ikke ligge før startdatoen.")})
    hours = weekly_hours or opening.weekly_hours
    _check_hours(hours=hours, citizen=citizen,
                 override_reason=hours_override_reason or candidacy.hours_override_reason)

    placement = Placement(
        citizen=citizen, company_id=opening.company_id, opening=opening, candidacy=candidacy,
        programme_id=opening.programme_id, kind=opening.kind, start_date=start_date,
        weekly_hours=hours, planned_end=planned_end,
        hours_override_reason=hours_override_reason or candidacy.hours_override_reason,
        consultant=consultant or citizen.consultant or actor, created_by=actor,
    )
    placement.full_clean()
    placement.save()

    opening.positions_filled += 1
    if opening.positions_filled >= opening.positions:
        opening.status = OpeningStatus.FILLED
    opening.save(update_fields=["positions_filled", "status"])
    if opening.status == OpeningStatus.FILLED:
        candidacies_close_for_filled(opening=opening, today=start_date)
    # Which kinds are a job is the programme's setting ("Borgere i job" counts the same kinds).
    if opening.kind in opening.programme.job_kinds:
        enrolment_set_in_job(enrolment=enrolment)
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Start af forløb hos %(company)s") % {"company": opening.company})
    placement_started.send(sender=Placement, placement=placement)
    return placement


@transaction.atomic
def placement_change_start(*, placement: Placement, start_date: dt.date,
                           actor: User) -> Placement:
    """Correct a placement's start date (the follow-up dates move with it)."""
    require(actor, "placements.change_placement", placement)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != PlacementStatus.ACTIVE:
        raise ValidationError(_("Startdatoen kan kun rettes for et forløb, der er i gang."))
    previous = placement.start_date
    if previous == start_date:
        return placement
    enrolment = Enrolment.objects.filter(citizen_id=placement.citizen_id,
                                         programme_id=placement.programme_id).first()
    if enrolment and start_date < enrolment.enrolled_on:
        raise ValidationError({"start_date": _(
            "Forløbet kan ikke starte før borgerens visitering (%(date)s)."
        ) % {"date": date_format(enrolment.enrolled_on, "SHORT_DATE_FORMAT")}})
    placement.start_date = start_date
    placement.full_clean()
    placement.save(update_fields=["start_date"])
    access_log_record(citizen=placement.citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Rettelse af forløbets startdato"))
    placement_start_changed.send(sender=Placement, placement=placement,
                                 previous_start_date=previous)
    return placement


def _enrolment_follow_placements(placement: Placement) -> None:
    """An enrolment "I job" goes back to "Aktiv" when the citizen's last running job ended."""
    enrolment = (Enrolment.objects.select_for_update()
                 .filter(citizen_id=placement.citizen_id, programme_id=placement.programme_id,
                         status=EnrolmentStatus.IN_JOB).first())
    if enrolment is None:
        return
    still_in_job = Placement.objects.filter(
        citizen_id=placement.citizen_id, programme_id=placement.programme_id,
        status=PlacementStatus.ACTIVE, kind__in=placement.programme.job_kinds).exists()
    enrolment_set_in_job(enrolment=enrolment, in_job=still_in_job)


@transaction.atomic
def placement_end(*, placement: Placement, end_date: dt.date, outcome: str, actor: User,
                  note: str = "") -> Placement:
    """End a placement with its outcome; a job or education also closes the enrolment."""
    require(actor, "placements.change_placement", placement)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != PlacementStatus.ACTIVE:
        raise ValidationError(_("Forløbet er allerede afsluttet."))
    if outcome not in PlacementOutcome.values:
        raise ValidationError({"outcome": _("Vælg et resultat.")})
    if end_date < placement.start_date:
        raise ValidationError({"end_date": _("Slutdatoen kan ikke ligge før startdatoen.")})
    placement.status = PlacementStatus.ENDED
    placement.end_date = end_date
    placement.outcome = outcome
    placement.end_note = note
    placement.full_clean()
    placement.save()
    exit_reason = {PlacementOutcome.ORDINARY_JOB: ExitReason.ORDINARY_JOB,
                   PlacementOutcome.EDUCATION: ExitReason.EDUCATION}.get(outcome)
    if exit_reason:
        enrolment = (Enrolment.objects.select_for_update()
                     .filter(citizen_id=placement.citizen_id, programme_id=placement.programme_id,
                             status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.IN_JOB))
                     .first())
        if enrolment is not None and end_date >= enrolment.enrolled_on:
            enrolment.status = EnrolmentStatus.CLOSED
            enrolment.exit_date = end_date
            enrolment.exit_reason = exit_reason
            enrolment.save(update_fields=["status", "exit_date", "exit_reason"])
    else:
        _enrolment_follow_placements(placement)
    access_log_record(citizen=placement.citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Afslutning af forløb"))
    placement_ended.send(sender=Placement, placement=placement)
    return placement
