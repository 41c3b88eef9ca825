"""The relations pages: bad input answered in Danish with nothing saved, query budgets, the
company list's relationship filters."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from relations.models import Event, Invitation, MentorCourse, SpottedOpening
from tests.companies.factories import CompanyFactory
from tests.query_budget import assert_query_budget
from tests.relations.factories import (
    ContactFactory,
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    MentorCourseFactory,
    NetworkFactory,
    SpottedOpeningFactory,
    TraineeFactory,
)

NOW = dt.datetime(2017, 10, 5, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_an_event_ending_before_it_starts_is_a_form_error(client, alice, programme):
    client.force_login(alice)
    response = client.post(reverse("relations:event-create"), {
        "title": "Dialogforum", "kind": "dialogue_forum", "programme": programme.pk,
        "organiser": "Jobcentret", "place": "Rådhuset", "day": "2017-10-12",
        "starts": "10:00", "ends": "09:00"})
    assert response.status_code == 200
    assert "Arrangementet skal slutte efter det starter." in response.content.decode()
    assert not Event.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_unknown_cvr_offers_to_create_the_company(client, alice, event):
    client.force_login(alice)
    response = client.post(reverse("relations:event-invite", args=[event.pk]),
                           {"cvr": "DK 30 00 00 13"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ingen virksomhed med CVR-nummer 30000013" in page
    assert reverse("companies:company-create") + "?cvr=30000013" in page
    bad = client.post(reverse("relations:event-invite", args=[event.pk]), {"cvr": "12345678"})
    assert bad.status_code == 200
    assert not Invitation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_duplicate_rsvp_is_answered_with_a_message(client, alice, event, company_a):
    invitation = InvitationFactory(event=event, company=company_a)
    client.force_login(alice)
    url = reverse("relations:invitation-rsvp", args=[invitation.pk])
    client.post(url, {"answer": "yes"})
    response = client.post(url, {"answer": "yes"}, follow=True)
    assert "Svaret er allerede registreret for Alfa Bageri ApS." in response.content.decode()
    assert client.post(url, {"answer": "maybe"}).status_code == 302


def _sheet(rows):
    data = {"spot-TOTAL_FORMS": "5", "spot-INITIAL_FORMS": "0", "spot-MIN_NUM_FORMS": "0",
            "spot-MAX_NUM_FORMS": "50"}
    for index in range(5):
        data.update({f"spot-{index}-kind": "csr_job", f"spot-{index}-job_category": "warehouse",
                     f"spot-{index}-positions": "1"})
    for index, row in enumerate(rows):
        data.update({f"spot-{index}-{key}": value for key, value in row.items()})
    return data


@time_machine.travel(NOW, tick=False)
def test_the_spot_sheet_refuses_a_job_without_a_company(client, alice, event, company_a):
    client.force_login(alice)
    response = client.post(reverse("relations:event-spot", args=[event.pk]), _sheet([
        {"company": company_a.pk, "title": "Pedel", "weekly_hours": "10"},
        {"title": "Kantine", "weekly_hours": "8"}]))
    assert response.status_code == 200
    assert "Et spottet job skal have en virksomhed." in response.content.decode()
    assert not SpottedOpening.objects.exists()
    response = client.post(reverse("relations:event-spot", args=[event.pk]), _sheet([
        {"company": company_a.pk, "title": "Pedel", "weekly_hours": "99"}]))
    assert response.status_code == 200
    assert not SpottedOpening.objects.exists()
    response = client.post(reverse("relations:event-spot", args=[event.pk]), _sheet([
        {"company": company_a.pk, "title": "Pedel", "weekly_hours": "10"},
        {"company": company_a.pk, "title": "Kantine", "weekly_hours": "8"}]))
    assert response.status_code == 302
    assert SpottedOpening.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_course_without_participants_is_refused(client, alice, programme, company_a):
    client.force_login(alice)
    data = {"title": "Mentorkursus", "programme": programme.pk, "organiser": "Jobcentret",
            "starts_on": "2017-11-01", "ends_on": "2017-11-02", "participants": "  \n"}
    response = client.post(reverse("relations:course-create"), data)
    assert "Dette felt er påkrævet." in response.content.decode()
    data["participants"] = f"{company_a.cvr}; Lone Mentor; Lagerchef\n30000013; Ukendt"
    response = client.post(reverse("relations:course-create"), data)
    assert "Linje 2: der er ingen virksomhed med CVR-nummer 30000013" in (
        response.content.decode())
    assert not MentorCourse.objects.exists()
    data["participants"] = f"{company_a.cvr}; Lone Mentor; Lagerchef"
    assert client.post(reverse("relations:course-create"), data).status_code == 302
    assert MentorCourse.objects.get().trainees.get().name == "Lone Mentor"


@time_machine.travel(NOW, tick=False)
def test_control_characters_are_refused(client, alice, company_a):
    client.force_login(alice)
    response = client.post(reverse("relations:contact-create", args=[company_a.pk]), {
        "kind": "phone", "occurred_on": "2017-10-05", "summary": "Hej\x1b[31m"})
    assert response.status_code == 200
    assert not company_a.contact_log.exists()


@time_machine.travel(NOW, tick=False)
def test_the_company_list_filters_by_consultant_and_missing_contact(client, alice, bob):
    recent = CompanyFactory(name="Nylig Kontakt", responsible_consultant=alice,
                            last_contact_on=dt.date(2017, 9, 1))
    CompanyFactory(name="Glemt Kontakt", responsible_consultant=alice,
                   last_contact_on=dt.date(2017, 1, 1))
    CompanyFactory(name="Aldrig Kontakt", responsible_consultant=bob)
    client.force_login(alice)
    url = reverse("companies:company-list")
    page = client.get(url, {"no_contact": "6"}).content.decode()
    assert "Glemt Kontakt" in page
    assert "Aldrig Kontakt" in page
    assert recent.name not in page
    page = client.get(url, {"no_contact": "6", "responsible_consultant": alice.pk}).content
    assert "Glemt Kontakt" in page.decode()
    assert "Aldrig Kontakt" not in page.decode()


@pytest.mark.parametrize("name", ["event-list", "network-list", "course-list"])
def test_list_budgets(client, alice, programme, name):
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            event = EventFactory(programme=programme)
            InvitationFactory(event=event)
            SpottedOpeningFactory(event=event)
            MembershipFactory(network=NetworkFactory())
            TraineeFactory(course=MentorCourseFactory(programme=programme))

    assert_query_budget(client, reverse(f"relations:{name}"), add_rows=add, budget=8)


def test_detail_budgets(client, alice, programme):
    event = EventFactory(programme=programme)
    network = NetworkFactory()
    course = MentorCourseFactory(programme=programme)
    company = CompanyFactory()
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            other = CompanyFactory()
            InvitationFactory(event=event, company=other)
            SpottedOpeningFactory(event=event, opening__company=other)
            MembershipFactory(network=network, company=other)
            TraineeFactory(course=course, company=other)
            ContactFactory(company=company, staff=alice)
            SpottedOpeningFactory(event=event, opening__company=company)
            TraineeFactory(course=course, company=company)
            InvitationFactory(event=EventFactory(programme=programme), company=company)

    for url, budget in [(reverse("relations:event-detail", args=[event.pk]), 12),
                        (reverse("relations:network-detail", args=[network.pk]), 12),
                        (reverse("relations:course-detail", args=[course.pk]), 12)]:
        assert_query_budget(client, url, add_rows=add, budget=budget)


@time_machine.travel(NOW, tick=False)
def test_trained_mentors_are_offered_as_evidence_in_an_assessment(client, alice, company_a):
    TraineeFactory(company=company_a, name="Lone Mentor", completed_on=dt.date(2017, 9, 15))
    TraineeFactory(company=company_a, name="Ikke Færdig")
    client.force_login(alice)
    page = client.get(reverse("companies:assessment-create", args=[company_a.pk])).content
    assert "Uddannet medarbejdermentor: Lone Mentor" in page.decode()
    assert "Ikke Færdig" not in page.decode()
