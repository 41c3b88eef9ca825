"""Ending a company's membership of a network, choosing its representative, and adding a
company: the pages on the network page, their Danish messages and the kept history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from relations import services
from relations.models import NetworkMembership
from tests.companies.factories import ContactPersonFactory
from tests.query_budget import assert_query_budget
from tests.relations.factories import MembershipFactory, NetworkFactory

NOW = dt.datetime(2017, 12, 1, 12, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(company_a):
    """Alfa Bageri joined Task Force 1 on 1 September 2017."""
    return MembershipFactory(network=NetworkFactory(name="Task Force Randers"),
                             company=company_a, joined_on=dt.date(2017, 9, 1))


def _leave_url(membership):
    return reverse("relations:membership-leave", args=[membership.network_id, membership.pk])


def _representative_url(membership):
    return reverse("relations:membership-representative",
                   args=[membership.network_id, membership.pk])


@time_machine.travel(NOW, tick=False)
def test_leaving_before_joining_is_a_danish_message_at_the_field(client, alice, membership):
    client.force_login(alice)
    response = client.post(_leave_url(membership), {"left_on": "2017-08-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["left_on"] == [
        "Udtrædelsen kan ikke ligge før indtrædelsen den 01.09.2017."]
    membership.refresh_from_db()
    assert membership.left_on is None


@time_machine.travel(NOW, tick=False)
def test_leaving_keeps_the_membership_in_the_history(client, alice, membership):
    client.force_login(alice)
    response = client.post(_leave_url(membership), {"left_on": "2017-11-30"})
    assert response.status_code == 302
    assert response["Location"] == reverse("relations:network-detail",
                                           args=[membership.network_id])
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2017, 11, 30)
    page = client.get(response["Location"]).content.decode()
    assert "Alfa Bageri ApS" in page
    assert "30.11.2017" in page
    # Leaving twice is refused; the date stays.
    response = client.post(_leave_url(membership), {"left_on": "2017-12-01"})
    assert "er allerede udtrådt af netværket den 30.11.2017" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_rejoining_after_leaving_starts_a_new_membership(alice, membership, company_a):
    services.network_member_leave(actor=alice, membership=membership,
                                  left_on=dt.date(2017, 10, 31))
    with pytest.raises(ValidationError) as caught:
        services.network_member_add(actor=alice, network=membership.network,
                                    company=company_a, joined_on=dt.date(2017, 10, 1))
    assert caught.value.message_dict["joined_on"] == [
        "Alfa Bageri ApS udtrådte af netværket den 31.10.2017. Indtrædelsen kan ikke ligge "
        "før."]
    services.network_member_add(actor=alice, network=membership.network, company=company_a,
                                joined_on=dt.date(2017, 11, 15))
    assert list(NetworkMembership.objects.filter(company=company_a).order_by("joined_on")
                .values_list("joined_on", "left_on")) == [
        (dt.date(2017, 9, 1), dt.date(2017, 10, 31)), (dt.date(2017, 11, 15), None)]


@time_machine.travel(NOW, tick=False)
def test_adding_a_company_that_is_a_member_is_refused_by_name(client, alice, membership,
                                                             company_a, company_b):
    client.force_login(alice)
    url = reverse("relations:network-detail", args=[membership.network_id])
    response = client.post(url, {"company": company_a.cvr, "joined_on": "2017-11-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["company"] == [
        "Alfa Bageri ApS er allerede medlem af netværket."]
    response = client.post(url, {"company": company_b.cvr, "joined_on": "2017-11-01"})
    assert response.status_code == 302
    assert membership.network.memberships.filter(left_on__isnull=True).count() == 2


@time_machine.travel(NOW, tick=False)
def test_the_representative_is_one_of_the_companys_contacts(client, alice, membership,
                                                           company_b):
    own = ContactPersonFactory(company=membership.company, name="Hanne Alfa",
                               job_title="Direktør")
    other = ContactPersonFactory(company=company_b, name="Bent Beta")
    client.force_login(alice)
    page = client.get(_representative_url(membership)).content.decode()
    assert "Hanne Alfa, Direktør" in page
    assert "Bent Beta" not in page
    response = client.post(_representative_url(membership), {"representative": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["representative"] == [
        "Bent Beta er ikke kontaktperson hos Alfa Bageri ApS. Vælg en af virksomhedens "
        "kontaktpersoner."]
    membership.refresh_from_db()
    assert membership.representative is None
    assert client.post(_representative_url(membership),
                       {"representative": own.pk}).status_code == 302
    membership.refresh_from_db()
    assert membership.representative == own
    # Changed to none.
    assert client.post(_representative_url(membership),
                       {"representative": ""}).status_code == 302
    membership.refresh_from_db()
    assert membership.representative is None


def test_a_membership_of_another_network_is_not_found(client, alice, membership):
    other = NetworkFactory()
    client.force_login(alice)
    url = reverse("relations:membership-leave", args=[other.pk, membership.pk])
    assert client.get(url).status_code == 404


def test_membership_page_budgets(client, alice, membership):
    client.force_login(alice)

    def add(count):
        for _ in range(count):
            ContactPersonFactory(company=membership.company)
            MembershipFactory(network=membership.network)

    assert_query_budget(client, _representative_url(membership), add_rows=add, budget=10)
    assert_query_budget(client, _leave_url(membership), add_rows=add, budget=10)
