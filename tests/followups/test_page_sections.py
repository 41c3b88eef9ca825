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


def test_the_company_page_shows_the_latest_visits_and_links_to_all(client, alice, programme,
                                                                   company_a):
    """A company with more visits than its page shows: the latest by due date, and a link to
    all of them on the work list, filtered by the company."""
    from followups.selectors import COMPANY_VISITS_SHOWN

    placement = PlacementFactory(opening__programme=programme, opening__company=company_a,
                                 consultant=alice, start_date=dt.date(2026, 1, 5))
    first = dt.date(2026, 2, 1)
    visits = [Visit.objects.create(placement=placement, kind="extra",
                                   due_date=first + dt.timedelta(days=day))
              for day in range(COMPANY_VISITS_SHOWN + 1)]
    client.force_login(alice)
    html = client.get(reverse("companies:company-detail", args=[company_a.pk])).content.decode()
    work_list = f'{reverse("followups:visit-list")}?company={company_a.pk}'
    assert work_list in html
    assert reverse("followups:visit-detail", args=[visits[-1].pk]) in html  # the latest
    assert reverse("followups:visit-detail", args=[visits[0].pk]) not in html  # the earliest
    listed = client.get(work_list).content.decode()
    assert reverse("followups:visit-detail", args=[visits[0].pk]) in listed

    Visit.objects.filter(pk=visits[0].pk).delete()  # exactly as many as shown: no link
    html = client.get(reverse("companies:company-detail", args=[company_a.pk])).content.decode()
    assert work_list not in html
