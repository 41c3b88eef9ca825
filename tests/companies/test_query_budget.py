import pytest
from django.urls import reverse

from tests.certificates.factories import certificate
from tests.companies.factories import CompanyFactory, ContactPersonFactory, assessment
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db


def test_company_list_budget(client, alice, bob, programme):
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            company = CompanyFactory()
            ContactPersonFactory(company=company, is_primary=True)
            certificate(programme=programme, leader=bob, consultant=alice, company=company)

    assert_query_budget(client, reverse("companies:company-list"), add_rows=add, budget=10)


def test_company_detail_budget(client, alice, bob, programme):
    company = CompanyFactory()
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            ContactPersonFactory(company=company)
            assessment(company=company, programme=programme, by=alice, met=1)
        # One certificate per programme at a time: add renewals through new programmes.
        from tests.csrprogram.factories import ProgrammeFactory
        for _ in range(count):
            certificate(programme=ProgrammeFactory(), leader=bob, consultant=alice,
                        company=company)

    # 12 for the company and the sections below it, 6 for the relationship section
    # (contact log, responsible consultants, networks, events, spotted jobs, mentors).
    assert_query_budget(client, reverse("companies:company-detail", args=[company.pk]),
                        add_rows=add, budget=18)


def test_portal_budget(client, carol, company_a, alice, bob):
    from tests.csrprogram.factories import ProgrammeFactory

    client.force_login(carol)

    def add(count):
        for _ in range(count):
            certificate(programme=ProgrammeFactory(), leader=bob, consultant=alice,
                        company=company_a)

    assert_query_budget(client, reverse("companies:portal"), add_rows=add, budget=8)


def test_assessment_detail_budget(client, alice, programme):
    from tests.companies.factories import CsrCriterionFactory

    found = assessment(company=CompanyFactory(), programme=programme, by=alice, met=1)
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            criterion = CsrCriterionFactory()
            found.answers.create(criterion=criterion, is_met=False)

    assert_query_budget(client, reverse("companies:assessment-detail", args=[found.pk]),
                        add_rows=add, budget=8)
