"""The five metrics against hand-counted fixtures, including the deadline-day edges."""

import datetime as dt

import pytest
from django.urls import reverse

from citizens.choices import ExitReason
from csrprogram.metrics import registry
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.csrprogram.factories import ProgrammeFactory
from tests.placements.factories import JobOpeningFactory, PlacementFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2017, 6, 19), dt.date(2017, 12, 31)


@pytest.fixture
def other():
    return ProgrammeFactory(name="Andet program")


def test_all_five_are_registered():
    for key in ("citizens_enrolled", "citizens_into_job_or_education", "internships_started",
                "internship_places_offered", "csr_jobs_started"):
        assert key in registry


def test_citizens_enrolled(programme, other, django_assert_num_queries):
    for day in (dt.date(2017, 6, 18), START, START, dt.date(2017, 9, 1), END,
                dt.date(2018, 1, 1)):
        EnrolmentFactory(programme=programme, enrolled_on=day)
    EnrolmentFactory(programme=other, enrolled_on=dt.date(2017, 9, 1))
    metric = registry.get("citizens_enrolled")
    with django_assert_num_queries(1):
        daily = metric.daily(programme, start=START, end=END)
    assert daily == {START: 2, dt.date(2017, 9, 1): 1, END: 1}
    assert metric.count(programme, start=START, end=END) == 4


def test_citizens_into_job_or_education(programme, django_assert_num_queries):
    cases = [(END, ExitReason.ORDINARY_JOB), (END, ExitReason.EDUCATION),
             (dt.date(2018, 1, 1), ExitReason.ORDINARY_JOB), (dt.date(2017, 10, 1),
                                                               ExitReason.OTHER)]
    for exit_date, reason in cases:
        EnrolmentFactory(programme=programme, enrolled_on=START, status="closed",
                         exit_date=exit_date, exit_reason=reason)
    metric = registry.get("citizens_into_job_or_education")
    with django_assert_num_queries(1):
        assert metric.daily(programme, start=START, end=END) == {END: 2}


def test_placements_started_by_kind(programme, other, django_assert_num_queries):
    internship = JobOpeningFactory(programme=programme, kind="internship")
    csr_job = JobOpeningFactory(programme=programme, kind="csr_job")
    for day in (START, END, dt.date(2018, 1, 1), dt.date(2017, 6, 18)):
        PlacementFactory(opening=internship, citizen=CitizenFactory(), start_date=day)
    PlacementFactory(opening=csr_job, citizen=CitizenFactory(), start_date=END)
    PlacementFactory(opening=JobOpeningFactory(programme=other, kind="internship"),
                     citizen=CitizenFactory(), start_date=END)
    internships = registry.get("internships_started")
    with django_assert_num_queries(1):
        assert internships.daily(programme, start=START, end=END) == {START: 1, END: 1}
    assert registry.get("csr_jobs_started").daily(programme, start=START, end=END) == {END: 1}


def test_internship_places_offered_sums_positions(programme, django_assert_num_queries):
    JobOpeningFactory(programme=programme, kind="internship", positions=3, registered_on=START)
    JobOpeningFactory(programme=programme, kind="internship", positions=2, registered_on=END)
    JobOpeningFactory(programme=programme, kind="internship", positions=4, registered_on=END,
                      status="withdrawn")
    JobOpeningFactory(programme=programme, kind="internship", positions=5,
                      registered_on=dt.date(2018, 1, 1))
    JobOpeningFactory(programme=programme, kind="csr_job", positions=7, registered_on=END)
    metric = registry.get("internship_places_offered")
    with django_assert_num_queries(1):
        # The withdrawn opening's 4 positions are not offered places; they are shown apart.
        assert metric.daily(programme, start=START, end=END) == {START: 3, END: 2}
    assert registry.get("internship_places_withdrawn").daily(
        programme, start=START, end=END) == {END: 4}


def test_records_urls_list_the_records_behind_the_numbers(client, bob, programme):
    EnrolmentFactory(programme=programme, enrolled_on=END,
                     citizen=CitizenFactory(name="Talt Med"))
    EnrolmentFactory(programme=programme, enrolled_on=dt.date(2018, 1, 1),
                     citizen=CitizenFactory(name="Efter Fristen"))
    client.force_login(bob)
    url = registry.get("citizens_enrolled").records_url(programme, start=START, end=END)
    assert url.startswith(reverse("citizens:citizen-list"))
    page = client.get(url).content.decode()
    assert "Talt Med" in page
    assert "Efter Fristen" not in page

    opening = JobOpeningFactory(programme=programme, kind="internship", title="Praktik X",
                                registered_on=END)
    PlacementFactory(opening=opening, citizen=CitizenFactory(name="Praktikant"),
                     start_date=END)
    for key, expected in (("internships_started", "Praktikant"),
                          ("internship_places_offered", "Praktik X")):
        url = registry.get(key).records_url(programme, start=START, end=END)
        assert expected in client.get(url).content.decode()
    # No list shows "first started a job" yet: no link rather than a list of other records.
    assert registry.get("citizens_into_job_or_education").records_url(
        programme, start=START, end=END) is None


def test_breakdowns_by_consultant_target_group_and_company(
        client, bob, alice, programme, company_a, company_b, django_assert_num_queries):
    from csrprogram.metrics import Dimension

    mine = CitizenFactory(name="Alices Borger", consultant=alice, target_group="flex")
    other = CitizenFactory(name="Uden Konsulent", consultant=None, target_group="job_ready")
    for citizen in (mine, other):
        EnrolmentFactory(programme=programme, citizen=citizen, enrolled_on=END)
    enrolled = registry.get("citizens_enrolled")
    with django_assert_num_queries(1):
        rows = enrolled.breakdown(programme, start=START, end=END, by=Dimension.CONSULTANT)
    by_key = {row.key: row for row in rows}
    assert by_key[str(alice.pk)].count == 1
    assert by_key[str(alice.pk)].label == alice.get_full_name()
    assert by_key[""].link() is None
    client.force_login(bob)
    page = client.get(by_key[str(alice.pk)].link()).content.decode()
    assert "Alices Borger" in page
    assert "Uden Konsulent" not in page
    groups = {row.key: row.count for row in enrolled.breakdown(
        programme, start=START, end=END, by=Dimension.TARGET_GROUP)}
    assert groups == {"flex": 1, "job_ready": 1}

    internship_a = JobOpeningFactory(programme=programme, company=company_a, kind="internship",
                                     positions=4, registered_on=START)
    JobOpeningFactory(programme=programme, company=company_b, kind="internship", positions=2,
                      registered_on=END)
    PlacementFactory(opening=internship_a, citizen=mine, start_date=END, consultant=alice)
    started = registry.get("internships_started")
    with django_assert_num_queries(1):
        rows = started.breakdown(programme, start=START, end=END, by=Dimension.COMPANY)
    assert [(row.label, row.count) for row in rows] == [(company_a.name, 1)]
    page = client.get(rows[0].link()).content.decode()
    assert "Alices Borger" in page
    rows = started.breakdown(programme, start=START, end=END, by=Dimension.TARGET_GROUP)
    assert client.get(rows[0].link()).status_code == 200
    places = registry.get("internship_places_offered").breakdown(
        programme, start=START, end=END, by=Dimension.COMPANY)
    assert [(row.label, row.count) for row in places] == [(company_a.name, 4),
                                                          (company_b.name, 2)]
