"""The placements selectors narrow through the access policy (what the company page's and the
portal's sections show)."""

import pytest

from placements import selectors
from tests.csrprogram.factories import ProgrammeFactory
from tests.placements.factories import JobOpeningFactory

pytestmark = pytest.mark.django_db


def test_staff_see_openings_of_their_programmes(alice, bob, programme, company_a):
    JobOpeningFactory(programme=programme, company=company_a, title="Bagerlærling")
    JobOpeningFactory(programme=ProgrammeFactory(name="Andet"), company=company_a,
                      title="Murerhjælper")
    assert {o.title for o in selectors.opening_list(alice)} == {"Bagerlærling"}
    assert {o.title for o in selectors.opening_list(bob)} == {"Bagerlærling", "Murerhjælper"}


def test_portal_openings_only_own_company(carol, dave, alice, programme, company_a):
    JobOpeningFactory(programme=programme, company=company_a, title="Bagerlærling")
    assert [o.title for o in selectors.portal_openings(carol)] == ["Bagerlærling"]
    assert list(selectors.portal_openings(dave)) == []
    assert list(selectors.portal_openings(alice)) == []
    assert selectors.company_of_contact(carol) == company_a
    assert selectors.company_of_contact(alice) is None


def test_the_match_pool_is_narrowed_to_the_citizens_the_user_may_see(alice):
    """A member of the opening's programme sees its whole pool (every citizen enrolled in it is
    in their scope, so no scope is added); another consultant only the citizens in their own
    scope, here their own caseload."""
    from csrprogram.choices import Role
    from tests.citizens.factories import CitizenFactory, EnrolmentFactory
    from tests.csrprogram.factories import UserFactory

    outsider = UserFactory(email="ib@jobcenter.example", roles=[Role.CONSULTANT])
    other = ProgrammeFactory(name="Andet program", members=[alice])
    opening = JobOpeningFactory(programme=other)
    alices = CitizenFactory(consultant=alice)
    outsiders = CitizenFactory(consultant=outsider)
    for citizen in (alices, outsiders):
        EnrolmentFactory(citizen=citizen, programme=other)

    assert set(selectors.match_pool_visible_to(alice, opening)) == {alices, outsiders}
    assert set(selectors.match_pool_visible_to(outsider, opening)) == {outsiders}
    assert set(selectors.match_pool(opening)) == {alices, outsiders}


def test_the_match_pool_keeps_the_scope_for_a_member_without_the_ability_or_when_narrowed(
        alice):
    """The shortcut is taken only for a user whose reach covers the programme's citizens and
    only while no narrowing is registered: a member without a role sees no one, and a
    narrowing applies to the pool as to every ``restrict()``."""
    from csrprogram import policy
    from tests.citizens.factories import CitizenFactory, EnrolmentFactory
    from tests.csrprogram.factories import UserFactory

    roleless = UserFactory(email="uden.rolle@jobcenter.example", roles=[])
    programme = ProgrammeFactory(name="Tredje program", members=[alice, roleless])
    opening = JobOpeningFactory(programme=programme)
    kept, hidden = CitizenFactory(consultant=alice), CitizenFactory(consultant=alice)
    for citizen in (kept, hidden):
        EnrolmentFactory(citizen=citizen, programme=programme)

    assert set(selectors.match_pool_visible_to(roleless, opening)) == set()

    def without_hidden(queryset, user, ability):
        return queryset.exclude(pk=hidden.pk) if queryset.model is type(hidden) else queryset

    policy.add_narrowing(without_hidden)
    try:
        assert set(selectors.match_pool_visible_to(alice, opening)) == {kept}
    finally:
        policy.remove_narrowing(without_hidden)
    assert set(selectors.match_pool_visible_to(alice, opening)) == {kept, hidden}
