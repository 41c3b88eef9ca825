"""Lists and pages make the same number of queries however many rows they show."""

import datetime as dt

import pytest
from django.urls import reverse

from citizens.choices import ConsentKind
from citizens.models import Consent
from placements.choices import CandidacyStatus
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory, PlacementFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db


def _citizens(programme, consultant):
    def add(count):
        for _ in range(count):
            citizen = CitizenFactory(consultant=consultant)
            EnrolmentFactory(citizen=citizen, programme=programme)
    return add


def test_citizen_list_budget(client, alice, programme):
    client.force_login(alice)
    assert_query_budget(client, reverse("citizens:citizen-list"),
                        add_rows=_citizens(programme, alice), budget=10)


def test_citizen_page_budget(client, alice, programme, company_a):
    citizen = CitizenFactory(consultant=alice)
    EnrolmentFactory(citizen=citizen, programme=programme)
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            opening = JobOpeningFactory(programme=programme, company=company_a)
            CandidacyFactory(opening=opening, citizen=citizen, status=CandidacyStatus.DECLINED,
                             decline_reason="Nej tak", decided_on=dt.date(2017, 9, 9))
            PlacementFactory(opening=opening, citizen=citizen)
            Consent.objects.create(citizen=citizen, kind=ConsentKind.PARTICIPATION,
                                   given_on=dt.date(2017, 8, 1), recorded_by=alice,
                                   withdrawn_on=dt.date(2017, 8, 2))

    assert_query_budget(client, reverse("citizens:citizen-detail", args=[citizen.pk]),
                        add_rows=add, budget=14)


def test_opening_list_budget(client, bob, programme):
    client.force_login(bob)

    def add(count):
        for _ in range(count):
            JobOpeningFactory(programme=programme)

    assert_query_budget(client, reverse("placements:opening-list"), add_rows=add, budget=10)


def test_opening_page_budget(client, alice, programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a, positions=20)
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            citizen = CitizenFactory()
            candidacy = CandidacyFactory(opening=opening, citizen=citizen,
                                         status=CandidacyStatus.ACCEPTED, proposed_by=alice)
            PlacementFactory(opening=opening, citizen=citizen, candidacy=candidacy)

    assert_query_budget(client, reverse("placements:opening-detail", args=[opening.pk]),
                        add_rows=add, budget=10)


def test_match_page_budget(client, alice, programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a)
    client.force_login(alice)
    assert_query_budget(client, reverse("placements:opening-match", args=[opening.pk]),
                        add_rows=_citizens(programme, alice), budget=10)


def test_placement_list_budget(client, bob, programme):
    client.force_login(bob)

    def add(count):
        for _ in range(count):
            PlacementFactory(opening=JobOpeningFactory(programme=programme),
                             citizen=CitizenFactory(), consultant=bob)

    assert_query_budget(client, reverse("placements:placement-list"), add_rows=add, budget=10)


def test_portal_pages_budget(client, carol, programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a)
    client.force_login(carol)

    def add_openings(count):
        for _ in range(count):
            JobOpeningFactory(programme=programme, company=company_a)

    def add_candidates(count):
        for _ in range(count):
            CandidacyFactory(opening=opening, status=CandidacyStatus.PRESENTED)

    assert_query_budget(client, reverse("placements:portal-opening-list"),
                        add_rows=add_openings, budget=8)
    assert_query_budget(client, reverse("placements:portal-opening-detail", args=[opening.pk]),
                        add_rows=add_candidates, budget=8)
