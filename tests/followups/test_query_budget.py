"""Query budgets (issue 14, item 4) for the pages the benchmark found slow or that had no
budget yet, each at two data sizes: a small fixture (2 rows) and a larger one (40 rows, more
than a page of 25), so a count that grows with the data fails. The budgets are the counts
the benchmark measures for the same pages (docs/performance.md)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import CompanyFactory
from tests.placements.factories import JobOpeningFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db
LARGER = 40


@pytest.fixture
def placements_of(start_placement):
    def add(count):
        for _ in range(count):
            start_placement(start_date=dt.date(2017, 10, 2), company=CompanyFactory())
    return add


@pytest.mark.parametrize("query", ["", "?period=overdue", "?company={company}",
                                   "?consultant={consultant}", "?q=Jens&page=2",
                                   "?sort=citizen&page=2"])
def test_work_list_budget(client, alice, company_a, placements_of, query):
    client.force_login(alice)
    url = reverse("followups:visit-list") + query.format(company=company_a.cvr,
                                                         consultant=alice.pk)
    if "page=2" in query:
        placements_of(30)  # a second page exists at both sizes
    # 13: the other apps' due work on the list (followups.worklist: spotted jobs, next steps)
    # is two fixed queries.
    assert_query_budget(client, url, add_rows=placements_of, budget=13, many=LARGER)


def test_visit_and_placement_pages_budget(client, alice, start_placement):
    placement = start_placement(start_date=dt.date(2017, 10, 2))
    visit = placement.visits.first()
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            start_placement(start_date=dt.date(2017, 10, 2), company=placement.company)

    assert_query_budget(client, reverse("followups:visit-detail", args=[visit.pk]),
                        add_rows=add, budget=8, many=LARGER)
    assert_query_budget(client, reverse("placements:placement-detail", args=[placement.pk]),
                        add_rows=add, budget=8, many=LARGER)


@pytest.mark.parametrize("name", ["placements:opening-list", "placements:placement-list"])
def test_lists_filtered_by_a_company_budget(client, bob, company_a, placements_of, name):
    client.force_login(bob)
    assert_query_budget(client, f"{reverse(name)}?company={company_a.pk}",
                        add_rows=placements_of, budget=10, many=LARGER)


def test_placement_list_sorted_by_citizen_budget(client, bob, placements_of):
    """Sorted by citizen (``citizen_sort_name``, issue 16), a second page (past the middle
    at the small size, read from the end) at the list's budget."""
    client.force_login(bob)
    placements_of(30)  # a second page exists at both sizes
    assert_query_budget(client, f"{reverse('placements:placement-list')}?sort=-citizen&page=2",
                        add_rows=placements_of, budget=10, many=LARGER)


@pytest.mark.parametrize("name", ["placements:opening-create", "placements:opening-spot"])
def test_opening_forms_do_not_grow_with_the_company_register(client, alice, programme, name):
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            JobOpeningFactory(programme=programme, company=CompanyFactory())

    assert_query_budget(client, reverse(name), add_rows=add, budget=8, many=LARGER)


def test_autocomplete_budget(client, alice):
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            CompanyFactory(name="Bageriet i byen")

    assert_query_budget(client, reverse("companies:company-autocomplete") + "?q=bager",
                        add_rows=add, budget=5, many=LARGER)


def test_suggestions_budget_with_more_citizens_than_shown(client, alice, programme, company_a):
    opening = JobOpeningFactory(programme=programme, company=company_a)
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            EnrolmentFactory(citizen=CitizenFactory(consultant=alice), programme=programme)

    assert_query_budget(client, reverse("placements:opening-match", args=[opening.pk]),
                        add_rows=add, budget=10, many=LARGER)
    page = client.get(reverse("placements:opening-match", args=[opening.pk])).content.decode()
    assert page.count('name="citizen"') == 25
    assert "Viser de 25 bedste af 40 mulige kandidater." in page
    assert "?vis=50" in page
    more = client.get(reverse("placements:opening-match", args=[opening.pk]) + "?vis=50")
    assert more.content.decode().count('name="citizen"') == 40


@pytest.mark.parametrize(("name", "budget"), [
    ("placements:placement-list", 9), ("followups:visit-list", 12),
    ("citizens:citizen-list", 10), ("placements:opening-list", 6),
    ("companies:company-list", 7)])
def test_last_pages_budget(client, alice, placements_of, name, budget, monkeypatch):
    """The last page (read from the end by ``ListPaginator``) costs what the first costs: at
    40 rows it is page 2 of 2, past the middle, at 2 rows page 1 of 1."""
    # Making 40 placements can take over a minute on a loaded machine: the session's activity
    # stamp (written at most once a minute) must not land in one of the two counts.
    monkeypatch.setattr("csrprogram.login_session.TOUCH_SECONDS", 3600)
    client.force_login(alice)
    assert_query_budget(client, reverse(name) + "?page=last", add_rows=placements_of,
                        budget=budget, many=LARGER)
    page = client.get(reverse(name) + "?page=last").context["page_obj"]
    assert page.number == page.paginator.num_pages
