"""The lists' paginator (``csrprogram.views_base.ListPaginator``, issue 14): a page is the
same rows in the same order as Django's plain slicing, on either side of the middle, with
ties in the order; the filters (the access scope) are applied once, in the inner query of
primary keys; the rows keep their joins and annotations; one query per page."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Company
from companies.selectors import company_list
from csrprogram.views_base import ListPaginator
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sixty_companies(alice):
    """60 companies whose names tie in threes ("Firma 00" three times, ...), so only the
    primary key orders them inside a name: the paginator must keep that order total."""
    companies = [CompanyFactory(name=f"Firma {n // 3:02d}", responsible_consultant=alice)
                 for n in range(60)]
    return sorted(companies, key=lambda company: (company.name, company.pk))


@pytest.mark.parametrize("orphans", [0, 5])
def test_every_page_is_the_plain_slice(sixty_companies, orphans):
    expected = [company.pk for company in sixty_companies]
    paginator = ListPaginator(Company.objects.order_by("name"), 25, orphans=orphans)
    pages = [[company.pk for company in paginator.page(number).object_list]
             for number in paginator.page_range]
    # 60 rows: 25 + 25 + 10, or with 5 orphans still 25 + 25 + 10 (10 > 5).
    assert [len(page) for page in pages] == [25, 25, 10]
    assert [pk for page in pages for pk in page] == expected


def test_descending_order_and_a_page_past_the_middle(sixty_companies):
    expected = [company.pk for company in reversed(sixty_companies)]
    paginator = ListPaginator(Company.objects.order_by("-name", "-pk"), 7)
    # 60 rows in pages of 7: page 8 (rows 49-55) lies past the middle, page 9 is the last 4.
    assert [c.pk for c in paginator.page(8).object_list] == expected[49:56]
    assert [c.pk for c in paginator.page(9).object_list] == expected[56:60]
    assert [c.pk for c in paginator.page(2).object_list] == expected[7:14]


def test_the_last_page_is_read_from_the_end_without_an_offset(sixty_companies):
    paginator = ListPaginator(Company.objects.order_by("name", "pk"), 25)
    paginator.count  # noqa: B018 - counted first, as the view does
    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.page(3).object_list)
    assert [c.pk for c in rows] == [c.pk for c in sixty_companies[50:]]
    assert len(queries) == 1
    sql = queries[0]["sql"]
    # The inner query pages the keys in the reversed order: the 10 first from the end.
    assert "LIMIT 10" in sql
    assert "OFFSET" not in sql
    assert '."name" DESC' in sql  # the inner query's table is aliased (U0)


def test_the_scope_is_applied_once_and_rows_keep_joins_and_annotations(
        sixty_companies, alice):
    queryset = company_list(user=alice)
    paginator = ListPaginator(queryset, 25)
    assert paginator.count == 60
    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.page(2).object_list)
        # select_related and the annotations came along: no further query.
        assert {row.responsible_consultant.pk for row in rows} == {alice.pk}
        assert {row.certificate_count for row in rows} == {0}
        assert {row.valid_certificate_until for row in rows} == {None}
    assert [c.pk for c in rows] == [c.pk for c in sixty_companies[25:50]]
    assert len(queries) == 1
    sql = queries[0]["sql"]
    # The outer query selects by key only; the filters live in the inner one.
    # (The annotations' subqueries in its SELECT have WHERE clauses of their own.)
    outer = sql[:sql.index(" IN (SELECT")]
    outer_from = outer[outer.rindex(' FROM "companies_company"'):]
    assert outer_from.count("WHERE") == 1
    assert outer_from.endswith('WHERE "companies_company"."id"')


def test_a_distinct_queryset_is_sliced_as_django_does(sixty_companies):
    paginator = ListPaginator(Company.objects.order_by("name", "pk").distinct(), 25)
    assert [c.pk for c in paginator.page(3).object_list] == [
        c.pk for c in sixty_companies[50:]]


def test_the_company_lists_last_page(client, alice, sixty_companies):
    """Through the view: ``?page=last`` shows the 10 last companies, hand-counted."""
    client.force_login(alice)
    response = client.get(reverse("companies:company-list") + "?page=last")
    assert response.status_code == 200
    shown = [c.pk for c in response.context["page_obj"].object_list]
    assert shown == [c.pk for c in sixty_companies[50:]]
    assert response.context["page_obj"].number == 3


def test_a_sorted_list_past_the_middle(client, alice, sixty_companies):
    """``?sort=-name`` on page 3 of 3: the first 10 by name, in descending order."""
    client.force_login(alice)
    response = client.get(reverse("companies:company-list") + "?sort=-name&page=3")
    shown = [c.pk for c in response.context["page_obj"].object_list]
    assert shown == [c.pk for c in reversed(sixty_companies)][50:]


def test_an_annotation_over_a_join_is_sliced_as_django_does(sixty_companies, alice):
    """An annotation naming a joined table cannot be computed again without the join: the
    paginator leaves such a queryset to Django's slicing, with the same rows."""
    queryset = Company.objects.annotate(
        consultant_email=F("responsible_consultant__email")).order_by("name", "pk")
    with CaptureQueriesContext(connection) as queries:
        rows = list(ListPaginator(queryset, 25).page(3).object_list)
    assert [c.pk for c in rows] == [c.pk for c in sixty_companies[50:]]
    assert {row.consultant_email for row in rows} == {alice.email}
    assert "OFFSET 50" in queries[-1]["sql"]
