"""The home pages are work queues (issue 13): hand-made rows, counted per role.

Today is Wednesday 18 November 2026. The programme runs 2026–2027; alice is the consultant,
bob the team leader, carol the contact of company A.
"""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from citizens.models import AccessLog
from csrprogram import queues
from followups.choices import VisitKind, VisitStatus
from followups.models import Visit
from placements.choices import CandidacyStatus, OpeningStatus
from placements.models import Candidacy
from tests.certificates.factories import at, certificate
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import CompanyFactory, assessment
from tests.csrprogram.factories import ProgrammeFactory, TargetFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory, PlacementFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(at(2026, 11, 18, 9), tick=False):
        yield


@pytest.fixture
def running(alice, bob):
    return ProgrammeFactory(name="CSR Nu", starts_on=dt.date(2026, 1, 5),
                            ends_on=dt.date(2027, 12, 31), members=[alice, bob])


def _citizen(programme, consultant, name, enrolled_on=dt.date(2026, 3, 2)):
    citizen = CitizenFactory(name=name, consultant=consultant, weekly_hours=20)
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=enrolled_on)
    return citizen


def _visit(placement, due, **extra):
    return Visit.objects.create(placement=placement, kind=VisitKind.EXTRA, due_date=due,
                                **extra)


@pytest.fixture
def world(running, alice, bob, carol, company_a, company_b):
    """The rows of every queue, with decoys that must not be counted."""
    placed = _citizen(running, alice, "Pia Placeret")
    opening = JobOpeningFactory(programme=running, company=company_a, positions=1,
                                status=OpeningStatus.FILLED, positions_filled=1,
                                registered_on=dt.date(2026, 9, 1))
    placement = PlacementFactory(opening=opening, citizen=placed, consultant=alice,
                                 start_date=dt.date(2026, 10, 1))
    _visit(placement, dt.date(2026, 11, 10))                       # overdue
    _visit(placement, dt.date(2026, 11, 20))                       # this week
    _visit(placement, dt.date(2026, 11, 2), escalated_at=timezone.now())  # overdue, escalated
    _visit(placement, dt.date(2026, 11, 25))                       # next week: not due yet
    _visit(placement, dt.date(2026, 10, 16), status=VisitStatus.DONE,
           done_on=dt.date(2026, 10, 16), match_quality="good")       # done

    waiting_long = _citizen(running, alice, "Lars Længe")
    waiting_short = _citizen(running, alice, "Kim Kort")
    only_proposed = _citizen(running, alice, "Ulla Ufremlagt")
    asked = JobOpeningFactory(programme=running, company=company_a, positions=2,
                              title="Kantinemedhjælper", registered_on=dt.date(2026, 10, 1))
    CandidacyFactory(opening=asked, citizen=waiting_long, presented_on=dt.date(2026, 11, 2))
    CandidacyFactory(opening=asked, citizen=waiting_short, presented_on=dt.date(2026, 11, 16))
    CandidacyFactory(opening=asked, citizen=only_proposed, status=CandidacyStatus.PROPOSED,
                     presented_on=None)
    # Openings: one without any candidate (counted), one in an ended programme (not).
    JobOpeningFactory(programme=running, company=company_b, title="Lagermedhjælper",
                      registered_on=dt.date(2026, 10, 20))
    ended = ProgrammeFactory(name="Gammelt", members=[alice, bob])
    JobOpeningFactory(programme=ended, company=company_b)
    # Citizens: one enrolled long ago without any proposal (counted), one enrolled last week.
    _citizen(running, alice, "Nina Nyvisiteret", enrolled_on=dt.date(2026, 11, 11))
    _citizen(running, alice, "Ole Overset", enrolled_on=dt.date(2026, 6, 1))

    # Certificates: company A's expires within 30 days; company B has an eligible assessment
    # waiting; an ineligible one is not counted.
    certificate(programme=running, leader=bob, consultant=alice, company=company_a,
                issued_at=at(2025, 12, 10))
    assessment(company=company_b, programme=running, by=alice, met=4,
               assessed_on=dt.date(2026, 11, 3))
    assessment(company=CompanyFactory(name="Gamma ApS"), programme=running, by=alice, met=1,
               assessed_on=dt.date(2026, 11, 4))
    # Targets: enrolments 100 by the end of 2027 is behind; 5 is reached.
    TargetFactory(programme=running, metric_key="citizens_enrolled", value=100,
                  deadline=dt.date(2027, 12, 31))
    TargetFactory(programme=running, metric_key="citizens_enrolled", value=5,
                  deadline=dt.date(2026, 12, 31))


def _counts(user) -> dict[str, int]:
    return {shown.queue.key: shown.count for shown in queues.queues_for(user, today=TODAY)}


def test_the_consultant_s_queues(world, alice):
    assert _counts(alice) == {
        "visits-due": 3, "candidacies-awaiting": 1, "openings-without-candidate": 1,
        "citizens-without-proposal": 1, "my-escalations": 1,
    }


def test_the_team_leader_s_queues(world, bob):
    assert _counts(bob) == {
        "assessments-awaiting-certificate": 1, "certificates-expiring": 1,
        "escalated-visits": 1, "targets-behind": 1,
    }


def test_the_company_contact_s_queues(world, carol):
    assert _counts(carol) == {
        "candidates-for-company": 2, "company-certificate": 1, "next-visit": 2,
        "company-consultant": 1,
    }


def test_the_home_page_links_each_item_to_its_action(world, client, alice, bob, carol,
                                                     company_b):
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert "Lars Længe" in html
    assert "Kim Kort" not in html
    assert "Ole Overset" in html
    assert "Nina Nyvisiteret" not in html
    overdue = Visit.objects.get(due_date=dt.date(2026, 11, 10))
    assert reverse("followups:visit-detail", args=[overdue.pk]) in html
    # The citizens shown are logged (DESIGN.md §6).
    assert AccessLog.objects.filter(actor=alice,
                                    purpose="Visning i arbejdsliste på forsiden").exists()

    client.force_login(bob)
    html = client.get("/").content.decode()
    waiting = company_b.assessments.get(met_count=4)
    assert reverse("certificates:certificate-issue", args=[waiting.pk]) in html
    assert "4 kriterier opfyldt (krav: 3)" in html

    client.force_login(carol)
    html = client.get("/").content.decode()
    # The employer sees a number, not the name, until asking to meet (issue 16, part 6).
    waiting_for_carol = Candidacy.objects.get(citizen__name="Lars Længe")
    assert f"Kandidat nr. {waiting_for_carol.pk}" in html
    assert "Lars Længe" not in html
    assert "Ulla Ufremlagt" not in html
    assert "Alice" in html  # their consultant


def test_a_long_queue_shows_its_first_items_and_links_to_all(world, client, alice, running,
                                                             company_b):
    for number in range(queues.HOME_LIMIT + 2):
        JobOpeningFactory(programme=running, company=company_b, title=f"Job {number}",
                          registered_on=dt.date(2026, 11, 1))
    client.force_login(alice)
    html = client.get("/").content.decode()
    url = reverse("queue-detail", args=["openings-without-candidate"])
    assert url in html
    assert f"Vis alle ({queues.HOME_LIMIT + 3})" in html
    full = client.get(url).content.decode()
    assert all(f"Job {number}" in full for number in range(queues.HOME_LIMIT + 2))
    assert client.get(reverse("queue-detail", args=["targets-behind"])).status_code == 404


@pytest.mark.parametrize("role", ["alice", "bob", "carol"])
def test_home_page_query_budget(world, client, request, role, running, alice, company_a):
    user = request.getfixturevalue(role)
    client.force_login(user)
    placement = PlacementFactory(
        opening=JobOpeningFactory(programme=running, company=company_a),
        citizen=_citizen(running, alice, "Budget"), consultant=alice,
        start_date=dt.date(2026, 10, 1))
    opening = JobOpeningFactory(programme=running, company=company_a, positions=50)

    def add_rows(count):
        for number in range(count):
            _visit(placement, dt.date(2026, 11, 9), escalated_at=timezone.now())
            _visit(placement, dt.date(2026, 11, 27))
            citizen = _citizen(running, alice, f"Kandidat {number}")
            CandidacyFactory(opening=opening, citizen=citizen, presented_on=dt.date(2026, 11, 2))
            _citizen(running, alice, f"Uden forslag {number}")

    assert_query_budget(client, "/", add_rows=add_rows, budget=45)


def test_the_targets_behind_are_kept_in_the_cache_for_the_configured_time(
        world, bob, running, settings):
    """Issue 14: each programme's verdicts are a dashboard computation; within
    CSR_DASHBOARD_CACHE_SECONDS the queue reuses them (and so may be that much behind)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from csrprogram.home_queues import targets_behind_queue

    settings.CSR_DASHBOARD_CACHE_SECONDS = 600
    # A cache of this test's own: the suite's workers share one Redis and primary keys.
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    first = targets_behind_queue(bob, TODAY, 5)
    assert first.count == 1
    with CaptureQueriesContext(connection) as reusing:
        again = targets_behind_queue(bob, TODAY, 5)
    assert (again.count, again.items[0].detail) == (first.count, first.items[0].detail)

    settings.CSR_DASHBOARD_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as computing:
        computed = targets_behind_queue(bob, TODAY, 5)
    assert computed.count == 1
    assert len(reusing) == 2  # the programmes, and the running one's targets (the key)
    assert len(computing) > 1  # the dashboard computed anew


def test_the_company_s_consultant_is_the_newest_placement_s_then_the_newest_opening_s(
        db, carol, company_a):
    """"Jeres konsulent": the consultant of the company's most recent placement, else whoever
    registered its most recent opening; one query (issue 14)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from csrprogram.choices import Role
    from placements.home_queues import company_consultant_queue
    from tests.csrprogram.factories import UserFactory
    from tests.placements.factories import JobOpeningFactory, PlacementFactory

    anna, bent, carl = (UserFactory(first_name=name, roles=[Role.CONSULTANT])
                        for name in ("Anna", "Bent", "Carl"))
    assert company_consultant_queue(carol, TODAY, 5).count == 0
    JobOpeningFactory(company=company_a, created_by=carl, registered_on=dt.date(2026, 1, 5))
    JobOpeningFactory(company=company_a, created_by=anna, registered_on=dt.date(2025, 1, 5))
    assert company_consultant_queue(carol, TODAY, 5).items[0].label.startswith("Carl")
    PlacementFactory(opening__company=company_a, consultant=bent,
                     start_date=dt.date(2026, 3, 2))
    PlacementFactory(opening__company=company_a, consultant=anna,
                     start_date=dt.date(2025, 3, 2))
    with CaptureQueriesContext(connection) as queries:
        queue = company_consultant_queue(carol, TODAY, 5)
    assert queue.items[0].label.startswith("Bent")
    assert len([q for q in queries if "csrprogram_user" in q["sql"]]) == 1
