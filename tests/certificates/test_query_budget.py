import pytest
from django.urls import reverse

from tests.certificates.factories import certificate
from tests.companies.factories import CsrCriterionFactory
from tests.query_budget import assert_query_budget

pytestmark = pytest.mark.django_db


def test_certificate_list_budget(client, alice, bob, programme):
    client.force_login(bob)

    def add(count):
        for _ in range(count):
            certificate(programme=programme, leader=bob, consultant=alice)

    assert_query_budget(client, reverse("certificates:certificate-list"), add_rows=add,
                        budget=10)


def test_certificate_detail_budget(client, alice, bob, programme):
    issued = certificate(programme=programme, leader=bob, consultant=alice)
    client.force_login(bob)

    def add(count):
        for _ in range(count):
            issued.assessment.answers.create(criterion=CsrCriterionFactory(), is_met=True,
                                             evidence="Ja")

    assert_query_budget(client, reverse("certificates:certificate-detail", args=[issued.pk]),
                        add_rows=add, budget=8)


def test_public_page_budget(client, alice, bob, programme):
    issued = certificate(programme=programme, leader=bob, consultant=alice)

    def add(count):
        for _ in range(count):
            issued.assessment.answers.create(criterion=CsrCriterionFactory(), is_met=True,
                                             evidence="Ja")

    assert_query_budget(client, reverse("certificates:public", args=[issued.public_token]),
                        add_rows=add, budget=4)
