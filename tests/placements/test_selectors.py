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
