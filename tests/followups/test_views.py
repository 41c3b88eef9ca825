import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from followups.choices import MatchQuality, VisitKind, VisitStatus
from followups.models import CalendarFeed, Visit
from tests.csrprogram.factories import ProgrammeFactory, UserFactory
from tests.followups.factories import VisitFactory
from tests.placements.factories import JobOpeningFactory, PlacementFactory
from tests.query_budget import assert_query_budget

D = dt.date
NOW = dt.datetime(2017, 11, 8, 9, 0, tzinfo=dt.UTC)  # Wednesday


@pytest.fixture
def visit(start_placement):
    return start_placement(start_date=D(2017, 10, 2)).visits.get(kind=VisitKind.HALF_MONTH)


@time_machine.travel(NOW, tick=False)
def test_recording_a_visit_through_the_form(client, alice, visit):
    client.force_login(alice)
    url = reverse("followups:visit-record", args=[visit.pk])
    response = client.get(url)
    assert "Registrér besøg" in response.text
    assert "fastholdelse" not in response.text, "retention is asked at the 2½-month visit"
    response = client.post(url, {"done_on": "2017-10-18", "met_whom": "Lederen Lis",
                                 "match_quality": MatchQuality.GOOD, "notes": "Fint.",
                                 "agreed_actions": ""})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.done_on, visit.met_whom) == (VisitStatus.DONE, D(2017, 10, 18),
                                                             "Lederen Lis")
    page = client.get(response["Location"])
    assert "Besøget er registreret." in page.text
    assert "Godt match" in page.text


@time_machine.travel(NOW, tick=False)
def test_a_visit_before_the_start_gets_a_clear_message(client, alice, visit):
    client.force_login(alice)
    response = client.post(reverse("followups:visit-record", args=[visit.pk]),
                           {"done_on": "2017-09-29", "match_quality": MatchQuality.GOOD})
    assert response.status_code == 200
    assert "Besøget kan ikke ligge før forløbets start (02.10.2017)." in response.text
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


@time_machine.travel(NOW, tick=False)
def test_a_cancelled_visit_cannot_be_recorded(client, alice, visit):
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.CANCELLED)
    client.force_login(alice)
    response = client.post(reverse("followups:visit-record", args=[visit.pk]),
                           {"done_on": "2017-10-18", "match_quality": MatchQuality.GOOD})
    assert "Et aflyst besøg kan ikke registreres." in response.text


@time_machine.travel(NOW, tick=False)
def test_rescheduling_into_the_past_is_refused_and_a_reason_is_kept(client, alice, visit):
    client.force_login(alice)
    url = reverse("followups:visit-reschedule", args=[visit.pk])
    response = client.post(url, {"due_date": "2017-11-07", "reason": "Ferie"})
    assert "Et besøg kan ikke flyttes til en dato, der er passeret." in response.text
    response = client.post(url, {"due_date": "2017-11-10", "reason": "Lederen er på ferie"})
    assert response.status_code == 302
    detail = client.get(reverse("followups:visit-detail", args=[visit.pk]))
    assert "Lederen er på ferie" in detail.text


@time_machine.travel(NOW, tick=False)
def test_planning_an_extra_visit(client, alice, visit):
    client.force_login(alice)
    response = client.post(reverse("followups:visit-extra", args=[visit.placement_id]),
                           {"due_date": "2017-11-20", "notes": "Samtale om timer"})
    assert response.status_code == 302
    assert visit.placement.visits.filter(kind=VisitKind.EXTRA, due_date=D(2017, 11, 20)).exists()


@time_machine.travel(NOW, tick=False)
def test_the_work_list_buckets_and_filters(client, alice, programme, start_placement,
                                           company_b):
    mette = UserFactory(email="mette@jobcenter.example", roles=["consultant"])
    programme.members.add(mette)
    start_placement(start_date=D(2017, 10, 2), name="Overskredet Olsen")     # due 17 Oct
    start_placement(start_date=D(2017, 10, 25), name="Ugens Ulla")           # due 9 Nov
    start_placement(start_date=D(2017, 11, 6), name="Kommende Karl", consultant=mette,
                    company=company_b)                                       # due 21 Nov
    client.force_login(alice)
    url = reverse("followups:visit-list")
    response = client.get(url)
    assert response.context["counts"] == {"overdue": 1, "this_week": 1, "upcoming": 4}
    assert {v.placement.citizen.name for v in response.context["visits"]} == {
        "Overskredet Olsen", "Ugens Ulla", "Kommende Karl"}
    overdue = client.get(url, {"period": "overdue"})
    assert [v.placement.citizen.name for v in overdue.context["visits"]] == ["Overskredet Olsen"]
    mine = client.get(url, {"consultant": mette.pk})
    assert {v.placement.citizen.name for v in mine.context["visits"]} == {"Kommende Karl"}
    assert mine.context["counts"] == {"overdue": 0, "this_week": 0, "upcoming": 2}
    by_company = client.get(url, {"company": company_b.pk, "period": "upcoming"})
    assert len(by_company.context["visits"]) == 2


def test_a_consultant_outside_the_programme_gets_404(client, visit):
    outsider = UserFactory(roles=["consultant"])
    ProgrammeFactory(members=[outsider])
    client.force_login(outsider)
    assert client.get(reverse("followups:visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("followups:visit-record", args=[visit.pk])).status_code == 404
    assert client.get(reverse("followups:visit-list")).context["visits"].count() == 0


def test_work_list_query_budget(client, alice, programme, company_a):
    client.force_login(alice)
    opening = JobOpeningFactory(programme=programme, company=company_a, positions=50)

    def add_rows(count):
        for _ in range(count):
            placement = PlacementFactory(opening=opening, consultant=alice)
            VisitFactory(placement=placement, kind=VisitKind.HALF_MONTH,
                         due_date=D(2030, 1, 2))

    assert_query_budget(client, reverse("followups:visit-list"), add_rows=add_rows, budget=12)


def test_visit_detail_query_budget(client, alice, visit):
    client.force_login(alice)

    def add_rows(count):
        from followups.models import VisitReschedule
        for number in range(count):
            VisitReschedule.objects.create(visit=visit, previous_due_date=D(2017, 10, 17),
                                           new_due_date=D(2017, 10, 18 + number), reason="x",
                                           changed_by=alice)

    assert_query_budget(client, reverse("followups:visit-detail", args=[visit.pk]),
                        add_rows=add_rows, budget=10)


# --- The calendar --------------------------------------------------------------------------------

@time_machine.travel(NOW, tick=False)
def test_calendar_feed_create_use_and_revoke(client, alice, visit):
    client.force_login(alice)
    client.post(reverse("followups:calendar"))
    token = CalendarFeed.objects.get(user=alice).token
    assert len(token) >= 40
    page = client.get(reverse("followups:calendar"))
    assert token in page.text

    client.logout()
    feed_url = reverse("followups:calendar-feed", args=[token])
    response = client.get(feed_url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "X-WR-TIMEZONE:Europe/Copenhagen" in text
    assert "DTSTART;VALUE=DATE:20171017" in text
    assert "DTEND;VALUE=DATE:20171018" in text
    assert "DTSTART;VALUE=DATE:20171218" in text  # 2½ months: Sunday 17 Dec → 18
    assert visit.placement.citizen.name not in text, "no citizen names leave the job centre"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))

    client.force_login(alice)
    client.post(reverse("followups:calendar"))  # a new address replaces the old one
    assert client.get(feed_url).status_code == 404
    new_token = CalendarFeed.objects.get(user=alice).token
    client.post(reverse("followups:calendar-revoke"))
    assert client.get(reverse("followups:calendar-feed", args=[new_token])).status_code == 404
    assert client.get(reverse("followups:calendar-feed", args=["guess"])).status_code == 404


def test_done_and_cancelled_visits_are_not_in_the_feed(client, alice, visit):
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.CANCELLED)
    feed = CalendarFeed.objects.create(user=alice, token="t" * 43)
    with time_machine.travel(NOW, tick=False):
        text = client.get(reverse("followups:calendar-feed", args=[feed.token])).text
    assert text.count("BEGIN:VEVENT") == 1


# --- Snippets for the citizen, company and home pages --------------------------------------------

def _render(source: str, user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load followups_tags %}" + source).render(
        Context({"request": request, **context}))


@time_machine.travel(NOW, tick=False)
def test_snippets_show_the_visits_to_staff_only(alice, bob, carol, visit,
                                                django_assert_max_num_queries):
    citizen, company = visit.placement.citizen, visit.placement.company
    with django_assert_max_num_queries(4):
        html = _render("{% citizen_visits citizen %}", alice, citizen=citizen)
    assert "½ måned efter start" in html
    assert "Overskredet" in html
    assert "Jens Jensen" in _render("{% company_visits company %}", bob, company=company)
    assert "½ måned efter start" in _render("{% my_visits %}", alice)
    html = _render("{% placement_visits placement %}", alice, placement=visit.placement)
    assert "2½ måned efter start" in html
    assert reverse("followups:visit-extra", args=[visit.placement_id]) in html
    assert "½ måned" not in _render("{% company_visits company %}", carol, company=company)


@time_machine.travel(dt.datetime(2022, 5, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_aftercare_is_offered_on_the_citizen_page_and_planned(client, alice, start_placement):
    from followups import services

    placement = start_placement(start_date=D(2022, 1, 31))
    services.placements_close_due(today=D(2022, 5, 2))
    html = _render("{% citizen_visits citizen %}", alice, citizen=placement.citizen)
    url = reverse("followups:aftercare-plan", args=[placement.pk])
    assert url in html
    client.force_login(alice)
    response = client.post(url, {"visits": 3, "interval_months": 1})
    assert response.status_code == 302
    assert placement.visits.filter(kind=VisitKind.AFTERCARE).count() == 3
    assert url not in _render("{% citizen_visits citizen %}", alice, citizen=placement.citizen)


@time_machine.travel(NOW, tick=False)
def test_the_citizen_page_shows_the_visits_through_the_real_tag(client, alice, visit):
    client.force_login(alice)
    page = client.get(reverse("citizens:citizen-detail", args=[visit.placement.citizen_id]))
    assert reverse("followups:visit-detail", args=[visit.pk]) in page.text
