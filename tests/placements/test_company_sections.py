"""The company page shows the company's openings and placements; the portal its openings."""

import pytest
from django.urls import reverse

from tests.placements.factories import CandidacyFactory, JobOpeningFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def test_company_page_shows_its_openings_and_placements(client, alice, programme, company_a,
                                                       company_b, citizen, opening):
    opening.title = "Kantinemedhjælper"
    opening.save()
    PlacementFactory(opening=opening, citizen=citizen)
    JobOpeningFactory(programme=programme, company=company_b, title="Chauffør")
    client.force_login(alice)
    html = client.get(reverse("companies:company-detail", args=[company_a.pk])).content.decode()
    assert "Kantinemedhjælper" in html
    assert "Chauffør" not in html
    assert citizen.name in html
    assert reverse("placements:placement-list") + f"?company={company_a.pk}" in html


def test_portal_shows_own_openings_with_presented_candidates(client, carol, programme,
                                                             company_a, company_b, citizen,
                                                             opening):
    opening.title = "Kantinemedhjælper"
    opening.save()
    CandidacyFactory(opening=opening, citizen=citizen)
    JobOpeningFactory(programme=programme, company=company_b, title="Chauffør")
    client.force_login(carol)
    html = client.get(reverse("companies:portal")).content.decode()
    assert "Kantinemedhjælper" in html
    assert "Chauffør" not in html
    assert reverse("placements:portal-opening-detail", args=[opening.pk]) in html
    # Candidates are behind the opening's page; the CPR never shows anywhere.
    assert "XXXX" not in html
