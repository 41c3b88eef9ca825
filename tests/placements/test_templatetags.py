import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.placements.factories import JobOpeningFactory

pytestmark = pytest.mark.django_db


def _render(source, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load placements_tags %}" + source).render(
        Context({"request": request, **context}))


def test_company_openings_for_staff(alice, programme, company_a, company_b,
                                    django_assert_max_num_queries):
    JobOpeningFactory(programme=programme, company=company_a, title="Bagerlærling")
    JobOpeningFactory(programme=programme, company=company_b, title="Murerhjælper")
    with django_assert_max_num_queries(3):
        html = _render("{% company_openings company %}", alice, company=company_a)
    assert "Bagerlærling" in html
    assert "Murerhjælper" not in html


def test_portal_openings_only_own_company(carol, dave, programme, company_a):
    JobOpeningFactory(programme=programme, company=company_a, title="Bagerlærling")
    assert "Bagerlærling" in _render("{% portal_openings %}", carol)
    assert "Bagerlærling" not in _render("{% portal_openings %}", dave)
