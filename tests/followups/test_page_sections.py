"""The visits appear on the consultant's home page, the company page and the placement page."""

import datetime as dt

import pytest
from django.urls import reverse

from followups.models import Visit
from tests.placements.factories import PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(programme, alice, company_a):
    placement = PlacementFactory(opening__programme=programme, opening__company=company_a,
                                 consultant=alice, start_date=dt.date(2026, 11, 2))
    return Visit.objects.create(placement=placement, kind="half_month",
                                due_date=dt.date(2026, 11, 17))


def test_visit_shows_on_home_company_and_placement_pages(client, alice, visit, company_a):
    client.force_login(alice)
    detail = reverse("followups:visit-detail", args=[visit.pk])
    for url in (reverse("home"),
                reverse("companies:company-detail", args=[company_a.pk]),
                reverse("placements:placement-detail", args=[visit.placement.pk])):
        html = client.get(url).content.decode()
        assert detail in html, url


def test_portal_never_shows_visits(client, carol, visit):
    client.force_login(carol)
    html = client.get(reverse("companies:portal")).content.decode()
    assert reverse("followups:visit-detail", args=[visit.pk]) not in html
