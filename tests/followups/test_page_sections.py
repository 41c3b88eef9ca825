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


def test_the_company_page_shows_the_latest_visits_and_links_to_the_rest(
        client, alice, programme, company_a):
    """A company with more visits than its page shows: the latest by due date, and links to
    the company's open and its done visits on the work list."""
    from followups.selectors import COMPANY_VISITS_SHOWN

    placement = PlacementFactory(opening__programme=programme, opening__company=company_a,
                                 consultant=alice, start_date=dt.date(2026, 1, 5))
    first = dt.date(2026, 2, 2)
    done = Visit.objects.create(placement=placement, kind="extra", due_date=first,
                                status="done", done_on=first, match_quality="good")
    visits = [Visit.objects.create(placement=placement, kind="extra",
                                   due_date=first + dt.timedelta(days=day))
              for day in range(1, COMPANY_VISITS_SHOWN + 1)]
    client.force_login(alice)
    page = reverse("companies:company-detail", args=[company_a.pk])
    html = client.get(page).content.decode()
    work_list = reverse("followups:visit-list")
    open_url = f"{work_list}?company={company_a.pk}"
    done_url = f"{work_list}?company={company_a.pk}&amp;period=done"
    assert open_url in html
    assert done_url in html
    assert reverse("followups:visit-detail", args=[visits[-1].pk]) in html  # the latest
    assert reverse("followups:visit-detail", args=[done.pk]) not in html  # the earliest
    assert reverse("followups:visit-detail", args=[visits[0].pk]) in client.get(
        open_url).content.decode()
    assert reverse("followups:visit-detail", args=[done.pk]) in client.get(
        done_url.replace("&amp;", "&")).content.decode()

    done.delete()  # exactly as many as shown: no links
    assert open_url not in client.get(page).content.decode()
