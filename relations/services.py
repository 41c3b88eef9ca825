"""Writes of the company relationship (issue 15): networks, events and invitations, jobs spotted
at events and their due follow-up, employee mentor courses, the contact log and the responsible
consultant. Keyword-only, ``actor`` first checked by the access policy, atomic, validated with
``full_clean()`` so nothing is saved half-way.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from citizens.choices import AccessAction
from citizens.models import Citizen
from citizens.services import access_log_record
from companies.models import Company, ContactPerson
from csrprogram import ical
from csrprogram.importing import ImportResult, tabular_import
from csrprogram.models import User
from csrprogram.pdf import render_pdf
from csrprogram.policy import permits, require
from csrprogram.workdays import add_working_days
from placements.choices import OpeningSource
from placements.forms import OPENING_IMPORT_COLUMNS, OpeningImportRowForm
from placements.models import JobOpening
from placements.services import opening_create
from relations.choices import ContactKind, Rsvp
from relations.models import (
    ContactLogEntry,
    Event,
    EventStory,
    Invitation,
    MentorCourse,
    MentorTrainee,
    Network,
    NetworkMembership,
    Responsibility,
    SpottedOpening,
)
from relations.selectors import event_day, story_consent_in_force

logger = logging.getLogger(__name__)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


# --- Networks ------------------------------------------------------------------------------------

@transaction.atomic
def network_create(*, actor: User | None, data: dict, programmes=()) -> Network:
    """A new network; ``data`` holds name, kind, organiser and description."""
    require(actor, "relations.add_network")
    network = _save(Network(**data))
    network.programmes.set(programmes)
    return network


def _check_representative(company: Company, representative: ContactPerson | None) -> None:
    if representative is not None and representative.company_id != company.pk:
        raise ValidationError({"representative": _(
            "%(name)s er ikke kontaktperson hos %(company)s. Vælg en af virksomhedens "
            "kontaktpersoner.") % {"name": representative.name, "company": company.name}})


def representative_choices(company: Company):
    """The contact persons who may represent ``company`` in a network: its own contacts
    (a contact person belongs to one company; a portal login may reach several, but the
    representative is the company's contact row)."""
    return ContactPerson.objects.filter(company=company).order_by("-is_primary", "name", "pk")


@transaction.atomic
def network_member_add(*, actor: User | None, network: Network, company: Company,
                       joined_on: dt.date,
                       representative: ContactPerson | None = None) -> NetworkMembership:
    """A company joins ``network``: refused while it is a current member, and before the day
    it last left (the history of memberships may not overlap). ``representative`` must be one
    of the company's contact persons."""
    require(actor, "relations.change_network", network)
    _check_representative(company, representative)
    # The company row is the lock: two staff adding it at once queue up here.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    if NetworkMembership.objects.filter(network=network, company=company,
                                        left_on__isnull=True).exists():
        raise ValidationError({"company": _("%(company)s er allerede medlem af netværket.")
                               % {"company": company.name}})
    last_left = (NetworkMembership.objects.filter(network=network, company=company)
                 .order_by("-left_on").values_list("left_on", flat=True).first())
    if last_left is not None and joined_on < last_left:
        raise ValidationError({"joined_on": _(
            "%(company)s udtrådte af netværket den %(date)s. Indtrædelsen kan ikke ligge før.")
            % {"company": company.name, "date": date_format(last_left, "SHORT_DATE_FORMAT")}})
    return _save(NetworkMembership(network=network, company=company, joined_on=joined_on,
                                   representative=representative))


@transaction.atomic
def network_member_leave(*, actor: User | None, membership: NetworkMembership,
                         left_on: dt.date) -> NetworkMembership:
    """The company leaves the network on ``left_on`` (not before it joined). The membership
    row stays, with both dates: the network's history of members."""
    require(actor, "relations.change_network", membership.network)
    membership = (NetworkMembership.objects.select_for_update()
                  .select_related("company").get(pk=membership.pk))
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("%(company)s er allerede udtrådt af netværket "
                                            "den %(date)s.") % {
            "company": membership.company.name,
            "date": date_format(membership.left_on, "SHORT_DATE_FORMAT")}})
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _(
            "Udtrædelsen kan ikke ligge før indtrædelsen den %(date)s.")
            % {"date": date_format(membership.joined_on, "SHORT_DATE_FORMAT")}})
    membership.left_on = left_on
    return _save(membership)


@transaction.atomic
def network_representative_set(*, actor: User | None, membership: NetworkMembership,
                               representative: ContactPerson | None) -> NetworkMembership:
    """Choose (or clear, ``None``) who represents the company in the network: one of the
    company's contact persons; a contact of another company is refused at the field."""
    require(actor, "relations.change_network", membership.network)
    membership = (NetworkMembership.objects.select_for_update()
                  .select_related("company").get(pk=membership.pk))
    _check_representative(membership.company, representative)
    membership.representative = representative
    return _save(membership)


# --- Events and invitations ----------------------------------------------------------------------

EVENT_FIELDS = ("title", "kind", "programme", "network", "organiser", "place", "starts_at",
                "ends_at", "description", "letter_signatory", "letter_body")


@transaction.atomic
def event_create(*, actor: User | None, data: dict) -> Event:
    """A new event. An event ending before it starts is refused (``ends_at``)."""
    require(actor, "relations.add_event")
    event = Event(**{field: data[field] for field in EVENT_FIELDS if field in data},
                  created_by=actor)
    if event.programme_id and not permits(actor, "csrprogram.view_programme", event.programme):
        raise ValidationError({"programme": _("Du arbejder ikke i dette program.")})
    _check_times(event)
    return _save(event)


def _check_times(event: Event) -> None:
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        raise ValidationError({"ends_at": _("Arrangementet skal slutte efter det starter.")})


@transaction.atomic
def event_update(*, actor: User | None, event: Event, data: dict) -> Event:
    """Change an event's fields (``EVENT_FIELDS`` present in ``data``) with the same rules as
    ``event_create``: it must end after it starts (``ends_at``) and its programme must be one
    the actor works in. The change history (django-auditlog) records who changed what.

    Jobs already spotted at the event keep their follow-up date; letters already sent are not
    sent again.
    """
    require(actor, "relations.change_event", event)
    event = Event.objects.select_for_update().get(pk=event.pk)
    for field in EVENT_FIELDS:
        if field in data:
            setattr(event, field, data[field])
    if (event.programme_id and "programme" in data
            and not permits(actor, "csrprogram.view_programme", event.programme)):
        raise ValidationError({"programme": _("Du arbejder ikke i dette program.")})
    _check_times(event)
    return _save(event)


def _contact_for(company: Company) -> ContactPerson | None:
    contacts = sorted(company.contacts.all(), key=lambda c: (not c.is_primary, c.name, c.pk))
    return contacts[0] if contacts else None


@transaction.atomic
def event_invite(*, actor: User | None, event: Event, companies) -> list[Invitation]:
    """Invite ``companies`` to ``event`` (each addressed to its primary contact), all or none.

    A company already invited is refused with its name, and nothing is saved. Queue the letters
    with ``event_invitations_send``.
    """
    require(actor, "relations.change_event", event)
    companies = list(companies)
    if not companies:
        raise ValidationError({"companies": _("Vælg mindst én virksomhed.")})
    already = set(Invitation.objects.filter(event=event, company__in=companies)
                  .values_list("company__name", flat=True))
    if already:
        raise ValidationError({"companies": _(
            "Allerede inviteret: %(names)s.") % {"names": ", ".join(sorted(already))}})
    return [_save(Invitation(event=event, company=company, contact=_contact_for(company)))
            for company in companies]


def event_invitations_send(*, actor: User | None, event: Event) -> int:
    """Queue the letters of every invitation not yet sent (after commit); returns how many.

    The sending task claims each invitation itself, so queuing twice sends nothing twice.
    """
    from relations.tasks import invitation_send_task

    require(actor, "relations.change_event", event)
    unsent = event.invitations.filter(sent_at__isnull=True)
    ids = list(unsent.values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=ids).update(send_requested_at=timezone.now(),
                                                 send_error="")
    for invitation_id in ids:
        transaction.on_commit(lambda pk=invitation_id: invitation_send_task.delay(pk))
    return len(ids)


def invitations_due(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> list[int]:
    """Invitations asked to be sent a while ago and still unsent (no recorded problem)."""
    return list(Invitation.objects.filter(
        send_requested_at__lt=timezone.now() - older_than, sent_at__isnull=True,
        send_error="").order_by("pk").values_list("pk", flat=True))


def _recipient(invitation: Invitation) -> str:
    if invitation.contact and invitation.contact.email:
        return invitation.contact.email
    return ""


def invitation_letter(invitation: Invitation) -> tuple[str, bytes]:
    """The personal invitation letter as a PDF, ``(filename, bytes)``, in the company's
    language (Danish by default)."""
    event = invitation.event
    return render_pdf(
        template_name="relations/pdf/invitation_letter.html",
        context={"invitation": invitation, "event": event, "company": invitation.company,
                 "contact": invitation.contact,
                 "today": timezone.localdate()},
        filename=f"invitation-{event.pk}-{invitation.company.cvr}.pdf",
        language=invitation.company.language or settings.LANGUAGE_CODE)


def event_ical(event: Event, *, stamp: dt.datetime | None = None) -> str:
    """The event as an iCalendar invitation (one VEVENT with start and end times in UTC)."""
    stamp = stamp or timezone.now()
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ical.PRODID}", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@csrprogram",
        f"DTSTAMP:{ical.ical_utc(stamp)}",
        f"DTSTART:{ical.ical_utc(event.starts_at)}",
        f"DTEND:{ical.ical_utc(event.ends_at)}",
        f"SUMMARY:{ical.escape(event.title)}",
        f"LOCATION:{ical.escape(event.place)}",
        f"DESCRIPTION:{ical.escape(event.description)}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return ical.join_lines(lines)


def invitation_send(*, invitation_id: int) -> bool:
    """Email one invitation letter (PDF) with the event's iCal; True if sent now.

    The row is locked and ``sent_at`` re-checked while the email is sent, so two workers (or a
    redelivered task) send it once. A missing row or an invitation without an email address
    is skipped (the address problem is recorded on the row and shown on the event page).
    """
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                      .select_related("event", "company", "contact")
                      .filter(pk=invitation_id, sent_at__isnull=True).first())
        if invitation is None:
            return False
        to = _recipient(invitation)
        if not to:
            invitation.send_error = _("Kontaktpersonen har ingen e-mailadresse.")
            invitation.save(update_fields=["send_error"])
            return False
        filename, pdf = invitation_letter(invitation)
        language = invitation.company.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("Invitation: %(title)s") % {"title": invitation.event.title}
            body = _("Kære %(name)s\n\nVi har fornøjelsen at invitere %(company)s til "
                     "%(title)s den %(date)s. Invitationen er vedhæftet, og arrangementet kan "
                     "lægges i kalenderen med den vedhæftede fil.\n\nVenlig hilsen\n"
                     "%(signatory)s") % {
                "name": invitation.contact.name if invitation.contact else "",
                "company": invitation.company.name, "title": invitation.event.title,
                "date": date_format(timezone.localtime(invitation.event.starts_at),
                                    "SHORT_DATETIME_FORMAT"),
                "signatory": invitation.event.letter_signatory or invitation.event.organiser}
        message = EmailMessage(subject=subject, body=body, to=[to])
        message.attach(filename, pdf, "application/pdf")
        message.attach("invitation.ics", event_ical(invitation.event),
                       "text/calendar; method=PUBLISH; charset=utf-8")
        message.send()
        invitation.sent_at = timezone.now()
        invitation.send_error = ""
        invitation.save(update_fields=["sent_at", "send_error"])
    logger.info("Sent invitation %s", invitation_id)
    return True


@transaction.atomic
def invitation_rsvp(*, actor: User | None, invitation: Invitation, answer: str,
                    answered_on: dt.date) -> Invitation:
    """Record the company's answer; the same answer twice is refused as a duplicate."""
    require(actor, "relations.change_event", invitation.event)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if answer not in (Rsvp.YES, Rsvp.NO):
        raise ValidationError({"rsvp": _("Vælg, om virksomheden deltager.")})
    if invitation.rsvp == answer:
        raise ValidationError({"rsvp": _("Svaret er allerede registreret for %(company)s.")
                               % {"company": invitation.company.name}})
    invitation.rsvp, invitation.rsvp_on = answer, answered_on
    return _save(invitation)


@transaction.atomic
def invitation_attendance(*, actor: User | None, invitation: Invitation,
                          attended: bool) -> Invitation:
    """Record whether the company came; attending is also a contact in the contact log."""
    require(actor, "relations.change_event", invitation.event)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation.attended = attended
    _save(invitation)
    if attended:
        event = invitation.event
        _touch_last_contact(invitation.company_id, timezone.localtime(event.starts_at).date())
    return invitation


@transaction.atomic
def event_story_add(*, actor: User | None, event: Event, citizen: Citizen,
                    note: str = "") -> EventStory:
    """A citizen tells their story at ``event``: only with the consent to do so
    (``ConsentKind.EVENT_STORY``) in force on the event's day and today (a consent
    withdrawn since a past event stops the recording too). A restricted or erased citizen,
    a missing consent or the same citizen twice is refused at the ``citizen`` field."""
    require(actor, "relations.change_event", event)
    require(actor, "citizens.view_citizen", citizen)
    if citizen.erased_at is not None or citizen.restricted_at is not None:
        raise ValidationError({"citizen": _(
            "Behandlingen af borgerens oplysninger er begrænset; borgeren kan ikke tilføjes.")})
    for day in dict.fromkeys([event_day(event), timezone.localdate()]):
        if not Citizen.objects.filter(story_consent_in_force(day), pk=citizen.pk).exists():
            raise ValidationError({"citizen": _(
                "Borgeren har ikke et gældende samtykke til at fortælle sin historie ved "
                "arrangementer (den %(date)s). Registrér samtykket på borgerens side først.")
                % {"date": date_format(day, "SHORT_DATE_FORMAT")}})
    if EventStory.objects.filter(event=event, citizen=citizen).exists():
        raise ValidationError({"citizen": _("Borgeren fortæller allerede ved arrangementet.")})
    return _save(EventStory(event=event, citizen=citizen, note=note))


@transaction.atomic
def event_story_remove(*, actor: User | None, story: EventStory) -> None:
    """The citizen no longer tells their story at the event: the row is deleted (it is the
    citizen's personal data; nothing counts it)."""
    require(actor, "relations.change_event", story.event)
    EventStory.objects.filter(pk=story.pk).delete()


@transaction.atomic
def event_stories_remove_for_consent(*, citizen: Citizen, actor: User | None) -> int:
    """The citizen has withdrawn the consent to tell their story at events
    (``ConsentKind.EVENT_STORY``): delete their stories at the events that have not yet
    started whose day the consents in force no longer cover (the rule of
    ``event_story_add``: a consent in force on the event's day and today; a withdrawal dated
    ahead keeps the stories before that date). Returns the number of stories removed.

    Called by the ``consent_withdrawn`` receiver inside the withdrawal's transaction,
    whatever the actor may do to the events: the consequence of a withdrawal is not a
    choice. The removal is in the citizen's access log (without the events' titles).

    The stories at events that have started or taken place stay, shown as before: they are
    the record of what happened while the consent was in force, and a withdrawal does not
    make that earlier processing unlawful (GDPR art. 7(3)). A citizen who wants them gone
    too asks for erasure, which deletes them all (``relations.personal_data``).
    """
    coming = list(EventStory.objects.select_for_update(of=("self",))
                  .filter(citizen=citizen, event__starts_at__gt=timezone.now())
                  .select_related("event").order_by("pk"))
    if not coming:
        return 0

    def covered(day: dt.date) -> bool:
        return Citizen.objects.filter(story_consent_in_force(day), pk=citizen.pk).exists()

    in_force_today = covered(timezone.localdate())
    removed = [story.pk for story in coming
               if not in_force_today or not covered(event_day(story.event))]
    if not removed:
        return 0
    EventStory.objects.filter(pk__in=removed).delete()
    access_log_record(citizen=citizen, actor=actor, action=AccessAction.CHANGE,
                      purpose=_("Fortællinger ved kommende arrangementer fjernet: samtykke "
                                "trukket tilbage"))
    return len(removed)


# --- Jobs spotted at events ----------------------------------------------------------------------

def followup_due_on(event: Event) -> dt.date:
    """The day the company must have been contacted about a job spotted at ``event``: the
    programme's ``spotted_followup_working_days`` Danish working days after the event's day
    (seed 002: "i de første dage efter")."""
    day = timezone.localtime(event.starts_at).date()
    return add_working_days(day, event.programme.spotted_followup_working_days)


def _spot(*, actor: User | None, event: Event, data: dict) -> SpottedOpening:
    if not data.get("company"):
        raise ValidationError({"company": _("Et spottet job skal have en virksomhed.")})
    opening = opening_create(actor=actor, data={
        **data, "programme": event.programme, "source": OpeningSource.EVENT,
        "registered_on": data.get("registered_on") or timezone.localtime(event.starts_at).date(),
    })
    # Read from the row, not the caller's (possibly stale) company object.
    consultant_id = (Company.objects.filter(pk=opening.company_id)
                     .values_list("responsible_consultant", flat=True).first())
    return _save(SpottedOpening(opening=opening, event=event, due_on=followup_due_on(event),
                                consultant_id=consultant_id))


@transaction.atomic
def spotted_openings_create(*, actor: User | None, event: Event,
                            rows: list[dict]) -> list[SpottedOpening]:
    """The "Spot et job" sheet: one opening per row, linked to ``event``, all or none.

    Each row holds the opening's fields (company, title, kind, job_category, tasks,
    weekly_hours, positions, contact_person). Each creates a due follow-up for the company's
    responsible consultant (``followup_due_on``).
    """
    require(actor, "relations.change_event", event)
    if not rows:
        raise ValidationError(_("Skriv mindst ét job på arket."))
    return [_spot(actor=actor, event=event, data=row) for row in rows]


@transaction.atomic
def spotted_openings_import(*, actor: User, event: Event, uploaded) -> ImportResult:
    """A filled-in "Spot et job" sheet (CSV/XLSX) uploaded after ``event``, through the one
    importer with the openings' columns (``OPENING_IMPORT_COLUMNS``): all rows or none, every
    problem in Danish by row and column, never a server error."""
    require(actor, "relations.change_event", event)

    def save_row(cleaned: dict) -> JobOpening:
        return _spot(actor=actor, event=event, data=cleaned).opening

    return tabular_import(uploaded=uploaded, columns=OPENING_IMPORT_COLUMNS,
                          form_class=OpeningImportRowForm, save_row=save_row)


@transaction.atomic
def spotted_opening_contacted(*, actor: User | None, spotted: SpottedOpening,
                              contacted_on: dt.date, kind: str = ContactKind.PHONE,
                              summary: str = "") -> SpottedOpening:
    """The company was contacted about the spotted job: the follow-up is done and the contact
    goes into the contact log."""
    require(actor, "relations.change_spottedopening", spotted)
    spotted = SpottedOpening.objects.select_for_update().select_related(
        "opening__company").get(pk=spotted.pk)
    if spotted.contacted_on is not None:
        raise ValidationError(_("Virksomheden er allerede kontaktet om jobbet."))
    spotted.contacted_on, spotted.contacted_by = contacted_on, actor
    _save(spotted)
    contact_log_record(actor=actor, company=spotted.opening.company,
                       staff=actor or spotted.consultant, data={
        "kind": kind, "occurred_on": contacted_on, "event": spotted.event,
        "summary": summary or _("Opfølgning på spottet job: %(title)s")
        % {"title": spotted.opening.title}})
    return spotted


# --- Mentor courses ------------------------------------------------------------------------------

@transaction.atomic
def mentor_course_create(*, actor: User | None, data: dict,
                         trainees: list[dict]) -> MentorCourse:
    """A mentor course with its participants (``company``, ``name``, ``job_title``); a course
    with no participants is refused."""
    require(actor, "relations.add_mentorcourse")
    if not trainees:
        raise ValidationError(_("Et mentorkursus skal have mindst én deltager."))
    course = MentorCourse(**data, created_by=actor)
    if course.starts_on and course.ends_on and course.ends_on < course.starts_on:
        raise ValidationError({"ends_on": _("Kurset kan ikke slutte før det starter.")})
    _save(course)
    seen = set()
    for trainee in trainees:
        key = (trainee["company"].pk, trainee["name"].strip().casefold())
        if key in seen:
            raise ValidationError(_("%(name)s står to gange på deltagerlisten.")
                                  % {"name": trainee["name"]})
        seen.add(key)
        _save(MentorTrainee(course=course, **trainee))
    return course


@transaction.atomic
def mentor_trainees_complete(*, actor: User | None, course: MentorCourse, trainees,
                             completed_on: dt.date) -> int:
    """Mark participants as having completed the course (earns them the certificate)."""
    require(actor, "relations.change_mentorcourse", course)
    if completed_on < course.starts_on:
        raise ValidationError({"completed_on": _(
            "Kurset kan ikke være gennemført før det starter.")})
    return course.trainees.filter(pk__in=[t.pk for t in trainees]).update(
        completed_on=completed_on)


def mentor_certificate(trainee: MentorTrainee) -> tuple[str, bytes]:
    """The certificate of completion as a one-page PDF, ``(filename, bytes)``."""
    if trainee.completed_on is None:
        raise ValidationError(_("Medarbejderen har ikke gennemført kurset."))
    return render_pdf(
        template_name="relations/pdf/mentor_certificate.html",
        context={"trainee": trainee, "course": trainee.course, "company": trainee.company},
        filename=f"mentorbevis-{trainee.course_id}-{trainee.pk}.pdf",
        language=trainee.company.language or settings.LANGUAGE_CODE)


# --- Contact log and the responsible consultant --------------------------------------------------

def _touch_last_contact(company_id: int, day: dt.date) -> None:
    # Only ever moves forward: an older contact logged late does not hide a newer one.
    Company.objects.filter(pk=company_id).filter(
        Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=day)).update(last_contact_on=day)


CONTACT_FIELDS = ("kind", "occurred_on", "company_person", "summary", "next_step",
                  "next_step_on", "event")


@transaction.atomic
def contact_log_record(*, actor: User | None, company: Company, data: dict,
                       staff: User | None = None) -> ContactLogEntry:
    """Log a contact with ``company`` (by ``staff``, default the actor); a next step needs a
    text, and its date may not lie before the contact."""
    require(actor, "relations.add_contactlogentry")
    entry = ContactLogEntry(company=company, staff=staff or actor,
                            **{field: data[field] for field in CONTACT_FIELDS if field in data})
    if entry.next_step_on and entry.occurred_on and entry.next_step_on < entry.occurred_on:
        raise ValidationError({"next_step_on": _(
            "Det næste skridt kan ikke ligge før kontakten.")})
    if entry.next_step_on and not entry.next_step.strip():
        raise ValidationError({"next_step": _("Skriv, hvad det næste skridt er.")})
    _save(entry)
    _touch_last_contact(company.pk, entry.occurred_on)
    return entry


@transaction.atomic
def next_step_done(*, actor: User | None, entry: ContactLogEntry,
                   done_on: dt.date) -> ContactLogEntry:
    """The agreed next step is done: it leaves the work list."""
    require(actor, "relations.change_contactlogentry", entry)
    entry = ContactLogEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.next_step_on is None:
        raise ValidationError(_("Kontakten har intet næste skridt."))
    if entry.next_step_done_on is not None:
        raise ValidationError(_("Det næste skridt er allerede udført."))
    entry.next_step_done_on = done_on
    return _save(entry)


@transaction.atomic
def responsible_consultant_set(*, actor: User | None, company: Company, consultant: User,
                               started_on: dt.date) -> Responsibility:
    """Make ``consultant`` the company's responsible consultant from ``started_on``; the
    previous period ends that day (the history is kept)."""
    require(actor, "relations.change_responsibility")
    if not permits(consultant, "csrprogram.carry_caseload"):
        raise ValidationError({"consultant": _("Vælg en konsulent.")})
    company = Company.objects.select_for_update().get(pk=company.pk)
    current = Responsibility.objects.filter(company=company, ended_on__isnull=True).first()
    if current is not None:
        if current.consultant_id == consultant.pk:
            raise ValidationError({"consultant": _(
                "%(name)s er allerede virksomhedens ansvarlige konsulent.")
                % {"name": consultant.get_full_name() or consultant.email}})
        if started_on < current.started_on:
            raise ValidationError({"started_on": _(
                "Skiftet kan ikke ligge før den nuværende konsulent blev ansvarlig.")})
        current.ended_on = started_on
        _save(current)
    period = _save(Responsibility(company=company, consultant=consultant,
                                  started_on=started_on, changed_by=actor))
    Company.objects.filter(pk=company.pk).update(responsible_consultant=consultant)
    # Open follow-ups of spotted jobs move to the new consultant.
    SpottedOpening.objects.filter(opening__company=company, contacted_on__isnull=True).update(
        consultant=consultant)
    return period
