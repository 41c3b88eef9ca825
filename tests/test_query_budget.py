import pytest
from django.urls import reverse

from tests.csrprogram.factories import ProgrammeFactory
from tests.query_budget import assert_query_budget


def _programmes_for(members):
    def add(count):
        for _ in range(count):
            ProgrammeFactory(members=members)
    return add


@pytest.mark.urls("tests.harness_urls")
def test_harness_catches_a_query_per_row(client, alice):
    client.force_login(alice)
    with pytest.raises(AssertionError, match="queries with"):
        assert_query_budget(client, reverse("n-plus-one"), add_rows=_programmes_for([alice]),
                            budget=50)


def test_harness_catches_a_page_over_budget(client, bob):
    client.force_login(bob)
    with pytest.raises(AssertionError, match="budget 1"):
        assert_query_budget(client, reverse("programme-list"), add_rows=_programmes_for([bob]),
                            budget=1)


def test_programme_list_budget(client, bob, alice):
    client.force_login(bob)
    assert_query_budget(client, reverse("programme-list"),
                        add_rows=_programmes_for([bob, alice]), budget=6)


def test_programme_detail_budget(client, bob, alice):
    programme = ProgrammeFactory(members=[bob])
    client.force_login(bob)

    def add_members(count):
        from tests.csrprogram.factories import UserFactory
        for _ in range(count):
            programme.members.add(UserFactory())

    assert_query_budget(client, reverse("programme-detail", args=[programme.pk]),
                        add_rows=add_members, budget=6)
