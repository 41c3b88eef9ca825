import datetime as dt
import email
import io

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from citizens.choices import ConsentKind, JobCategory
from companies.models import Company
from csrprogram.choices import Role
from placements.choices import OpeningKind, OpeningSource
from placements.models import JobOpening
from relations import services
from relations.choices import ContactKind, Rsvp
from relations.models import (
    ContactLogEntry,
    Event,
    Invitation,
    MentorCourse,
    Responsibility,
    SpottedOpening,
)
from tests.citizens.factories import EnrolmentFactory
from tests.companies.factories import ContactPersonFactory
from tests.csrprogram.factories import UserFactory
from tests.relations.factories import EventFactory, InvitationFactory, TraineeFactory, cph

NOW = dt.datetime(2017, 10, 5, 12, 0, tzinfo=dt.UTC)


def _row(company, title="Lagermedhjælper", hours=12):
    return {"company": company, "title": title, "tasks": "Pakke varer", "weekly_hours": hours,
            "kind": OpeningKind.CSR_JOB, "job_category": JobCategory.WAREHOUSE,
            "positions": 1, "notes": ""}


# --- Events and invitations ------------------------------------------------------------------

def test_an_event_ending_before_it_starts_is_refused_and_nothing_saved(programme, alice):
    with pytest.raises(ValidationError) as caught:
        services.event_create(actor=alice, data={
            "title": "Dialogforum", "kind": "dialogue_forum", "programme": programme,
            "place": "Rådhuset", "starts_at": cph(2017, 10, 5, 10),
            "ends_at": cph(2017, 10, 5, 9)})
    assert "slutte efter" in str(caught.value)
    assert not Event.objects.exists()


def test_a_team_leader_may_not_create_events(programme, bob):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=bob, data={"title": "x"})


def test_inviting_a_company_twice_refuses_the_whole_batch(event, alice, company_a, company_b):
    services.event_invite(actor=alice, event=event, companies=[company_a])
    with pytest.raises(ValidationError) as caught:
        services.event_invite(actor=alice, event=event, companies=[company_b, company_a])
    assert "Allerede inviteret: Alfa Bageri ApS" in str(caught.value)
    assert list(event.invitations.values_list("company__name", flat=True)) == ["Alfa Bageri ApS"]


def test_the_invitation_is_addressed_to_the_primary_contact(event, alice, carol, company_a):
    ContactPersonFactory(company=company_a, name="Anden Kontakt", is_primary=False)
    [invitation] = services.event_invite(actor=alice, event=event, companies=[company_a])
    assert invitation.contact.name == "Carol Alfa"


def test_a_duplicate_rsvp_is_refused_but_a_changed_answer_is_recorded(event, alice, company_a):
    invitation = InvitationFactory(event=event, company=company_a)
    services.invitation_rsvp(actor=alice, invitation=invitation, answer=Rsvp.YES,
                             answered_on=dt.date(2017, 9, 20))
    with pytest.raises(ValidationError, match="allerede registreret"):
        services.invitation_rsvp(actor=alice, invitation=invitation, answer=Rsvp.YES,
                                 answered_on=dt.date(2017, 9, 21))
    services.invitation_rsvp(actor=alice, invitation=invitation, answer=Rsvp.NO,
                             answered_on=dt.date(2017, 9, 22))
    invitation.refresh_from_db()
    assert (invitation.rsvp, invitation.rsvp_on) == (Rsvp.NO, dt.date(2017, 9, 22))


def test_attending_counts_as_the_companys_latest_contact(event, alice, company_a):
    invitation = InvitationFactory(event=event, company=company_a)
    services.invitation_attendance(actor=alice, invitation=invitation, attended=True)
    company_a.refresh_from_db()
    assert company_a.last_contact_on == dt.date(2017, 10, 5)


@time_machine.travel(NOW, tick=False)
def test_the_invitation_email_carries_the_letter_and_an_ical_that_parses(
        event, alice, carol, company_a, django_capture_on_commit_callbacks):
    services.event_invite(actor=alice, event=event, companies=[company_a])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_invitations_send(actor=alice, event=event) == 1
    [message] = mail.outbox
    assert message.to == [company_a.contacts.get(is_primary=True).email]
    assert "Morgenmøde i Task Forcen" in message.subject
    parsed = email.message_from_bytes(message.message().as_bytes())
    parts = {part.get_content_type(): part for part in parsed.walk()}
    pdf = parts["application/pdf"].get_payload(decode=True)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Alfa Bageri ApS" in text
    assert "Torben Hansen, borgmester" in text
    calendar = icalendar.Calendar.from_ical(parts["text/calendar"].get_payload(decode=True))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Morgenmøde i Task Forcen"
    assert vevent.decoded("DTSTART") == cph(2017, 10, 5, 8)
    assert vevent.decoded("DTEND") == cph(2017, 10, 5, 10)
    invitation = Invitation.objects.get()
    assert invitation.sent_at is not None
    # Sent once: a second request or a redelivered task sends nothing.
    assert services.invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_an_invitation_without_an_email_address_records_the_problem(event, alice, company_b):
    ContactPersonFactory(company=company_b, name="Uden Mail", email="", is_primary=True)
    [invitation] = services.event_invite(actor=alice, event=event, companies=[company_b])
    assert services.invitation_send(invitation_id=invitation.pk) is False
    invitation.refresh_from_db()
    assert "ingen e-mailadresse" in invitation.send_error
    assert mail.outbox == []


def test_the_sweep_finds_invitations_a_lost_broker_left_unsent(event, alice, carol, company_a):
    services.event_invite(actor=alice, event=event, companies=[company_a])
    Invitation.objects.update(send_requested_at=NOW)
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        assert services.invitations_due() == [Invitation.objects.get().pk]
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert services.invitations_due() == []


def test_a_story_needs_the_citizens_consent(event, alice, programme):
    citizen = EnrolmentFactory(programme=programme).citizen
    with pytest.raises(ValidationError, match="samtykke"):
        services.event_story_add(actor=alice, event=event, citizen=citizen)
    # The consent to publish an anonymised case description is not a consent to tell it.
    citizen.consents.create(kind=ConsentKind.CASE_STORY, given_on=dt.date(2017, 9, 1))
    with pytest.raises(ValidationError, match="samtykke"):
        services.event_story_add(actor=alice, event=event, citizen=citizen)
    citizen.consents.create(kind=ConsentKind.EVENT_STORY, given_on=dt.date(2017, 9, 1))
    assert services.event_story_add(actor=alice, event=event, citizen=citizen).pk


# --- Spotting jobs ----------------------------------------------------------------------------

@time_machine.travel(NOW, tick=False)
def test_spotted_jobs_become_openings_of_the_event_with_a_follow_up_in_three_working_days(
        event, alice, company_a, company_b):
    services.responsible_consultant_set(actor=alice, company=company_a, consultant=alice,
                                        started_on=dt.date(2017, 9, 1))
    spotted = services.spotted_openings_create(actor=alice, event=event, rows=[
        _row(company_a), _row(company_a, "Kantinemedhjælper"), _row(company_b)])
    assert len(spotted) == 3
    openings = JobOpening.objects.filter(spotted__event=event)
    assert openings.count() == 3
    assert set(openings.values_list("source", flat=True)) == {OpeningSource.EVENT}
    assert set(openings.values_list("registered_on", flat=True)) == {dt.date(2017, 10, 5)}
    # Thursday 5 October + 3 working days = Tuesday 10 October (the weekend is skipped).
    assert {s.due_on for s in spotted} == {dt.date(2017, 10, 10)}
    assert [s.consultant for s in spotted] == [alice, alice, None]


def test_the_follow_up_skips_christmas(programme, alice, company_a):
    event = EventFactory(programme=programme, starts_at=cph(2017, 12, 22, 9),
                         ends_at=cph(2017, 12, 22, 11))
    [spotted] = services.spotted_openings_create(actor=alice, event=event, rows=[_row(company_a)])
    # Friday 22 December; 25 and 26 December are public holidays: 27, 28, 29.
    assert spotted.due_on == dt.date(2017, 12, 29)


def test_the_working_days_are_a_programme_setting(programme, alice, company_a):
    programme.spotted_followup_working_days = 1
    programme.save()
    event = EventFactory(programme=programme)
    [spotted] = services.spotted_openings_create(actor=alice, event=event, rows=[_row(company_a)])
    assert spotted.due_on == dt.date(2017, 10, 6)


def test_a_spotted_job_without_a_company_saves_nothing(event, alice, company_a):
    with pytest.raises(ValidationError, match="skal have en virksomhed"):
        services.spotted_openings_create(actor=alice, event=event, rows=[
            _row(company_a), _row(None)])
    assert not JobOpening.objects.exists()
    assert not SpottedOpening.objects.exists()


def test_a_filled_in_sheet_is_imported_through_the_one_importer(event, alice, company_a):
    content = ("sep=;\r\nCVR-nummer;Type;Stillingsbetegnelse;Jobkategori;Timer pr. uge\r\n"
               f"DK {company_a.cvr};CSR-job (småjob);Pedelmedhjælper;Lager og logistik;10\r\n"
               f"{company_a.cvr};CSR-job (småjob);Lagermedhjælper;Lager og logistik;12\r\n"
               ).encode("cp1252")
    result = services.spotted_openings_import(
        actor=alice, event=event, uploaded=SimpleUploadedFile("ark.csv", content))
    assert result.ok, result.errors
    assert SpottedOpening.objects.filter(event=event).count() == 2


def test_an_imported_sheet_with_an_unknown_company_saves_nothing(event, alice, company_a):
    content = ("CVR-nummer;Type;Stillingsbetegnelse;Jobkategori;Timer pr. uge\r\n"
               f"{company_a.cvr};CSR-job (småjob);Pedelmedhjælper;Lager og logistik;10\r\n"
               "30000013;CSR-job (småjob);Lagermedhjælper;Lager og logistik;12\r\n").encode()
    result = services.spotted_openings_import(
        actor=alice, event=event, uploaded=SimpleUploadedFile("ark.csv", content))
    assert not result.ok
    assert "30000013" in " ".join(str(e) for e in result.errors)
    assert not SpottedOpening.objects.exists()


def test_contacting_the_company_completes_the_follow_up_and_logs_the_contact(
        event, alice, company_a):
    [spotted] = services.spotted_openings_create(actor=alice, event=event, rows=[_row(company_a)])
    services.spotted_opening_contacted(actor=alice, spotted=spotted,
                                       contacted_on=dt.date(2017, 10, 9))
    spotted.refresh_from_db()
    assert spotted.in_time is True
    entry = ContactLogEntry.objects.get()
    assert (entry.company, entry.staff, entry.event) == (company_a, alice, event)
    with pytest.raises(ValidationError, match="allerede kontaktet"):
        services.spotted_opening_contacted(actor=alice, spotted=spotted,
                                           contacted_on=dt.date(2017, 10, 9))


# --- Mentor courses ---------------------------------------------------------------------------

def test_a_mentor_course_needs_participants(programme, alice):
    with pytest.raises(ValidationError, match="mindst én deltager"):
        services.mentor_course_create(actor=alice, data={
            "title": "Mentorkursus", "programme": programme, "starts_on": dt.date(2017, 11, 1),
            "ends_on": dt.date(2017, 11, 2)}, trainees=[])
    assert not MentorCourse.objects.exists()


def test_the_completion_certificate_is_a_one_page_pdf(alice, company_a):
    trainee = TraineeFactory(company=company_a, name="Lone Mentor",
                             completed_on=dt.date(2017, 11, 15))
    filename, data = services.mentor_certificate(trainee)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Lone Mentor" in text
    assert "Alfa Bageri ApS" in text
    assert filename.endswith(".pdf")


def test_no_certificate_before_completion(company_a):
    with pytest.raises(ValidationError):
        services.mentor_certificate(TraineeFactory(company=company_a))


# --- Contact log and responsibility -----------------------------------------------------------

def test_the_contact_log_keeps_the_latest_contact_date(alice, company_a):
    for day in (dt.date(2017, 10, 2), dt.date(2017, 9, 1)):
        services.contact_log_record(actor=alice, company=company_a, data={
            "kind": ContactKind.VISIT, "occurred_on": day, "summary": "Besøg"})
    company_a.refresh_from_db()
    assert company_a.last_contact_on == dt.date(2017, 10, 2)


def test_a_next_step_needs_a_text_and_a_date_after_the_contact(alice, company_a):
    with pytest.raises(ValidationError, match="næste skridt er"):
        services.contact_log_record(actor=alice, company=company_a, data={
            "kind": ContactKind.PHONE, "occurred_on": dt.date(2017, 10, 2), "summary": "x",
            "next_step_on": dt.date(2017, 10, 9)})
    with pytest.raises(ValidationError, match="før kontakten"):
        services.contact_log_record(actor=alice, company=company_a, data={
            "kind": ContactKind.PHONE, "occurred_on": dt.date(2017, 10, 2), "summary": "x",
            "next_step": "Ring", "next_step_on": dt.date(2017, 10, 1)})
    assert not ContactLogEntry.objects.exists()
    assert Company.objects.get(pk=company_a.pk).last_contact_on is None


def test_changing_the_responsible_consultant_keeps_the_history(alice, bob, company_a):
    mads = UserFactory(first_name="Mads", roles=[Role.CONSULTANT])
    services.responsible_consultant_set(actor=bob, company=company_a, consultant=alice,
                                        started_on=dt.date(2017, 8, 1))
    services.responsible_consultant_set(actor=bob, company=company_a, consultant=mads,
                                        started_on=dt.date(2017, 10, 1))
    company_a.refresh_from_db()
    assert company_a.responsible_consultant == mads
    history = list(Responsibility.objects.filter(company=company_a).order_by("started_on")
                   .values_list("consultant__first_name", "started_on", "ended_on"))
    assert history == [("Alice", dt.date(2017, 8, 1), dt.date(2017, 10, 1)),
                       ("Mads", dt.date(2017, 10, 1), None)]
    with pytest.raises(ValidationError, match="allerede"):
        services.responsible_consultant_set(actor=bob, company=company_a, consultant=mads,
                                            started_on=dt.date(2017, 11, 1))
    with pytest.raises(ValidationError, match="konsulent"):
        services.responsible_consultant_set(actor=bob, company=company_a, consultant=bob,
                                            started_on=dt.date(2017, 11, 1))


def test_a_company_contact_may_not_log_contacts(carol, company_a):
    with pytest.raises(PermissionDenied):
        services.contact_log_record(actor=carol, company=company_a, data={})

