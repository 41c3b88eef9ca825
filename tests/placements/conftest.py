import datetime as dt

import pytest

from citizens.choices import ConsentKind
from citizens.models import Consent
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import JobOpeningFactory


@pytest.fixture
def citizen(programme, alice):
    citizen = CitizenFactory(name="Jens Jensen", consultant=alice, weekly_hours=20)
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    # Presenting to an employer needs the consent to share the profile (issue 16, part 6).
    Consent.objects.create(citizen=citizen, kind=ConsentKind.EMPLOYER_SHARING,
                           given_on=dt.date(2017, 8, 1))
    return citizen


@pytest.fixture
def opening(programme, company_a):
    return JobOpeningFactory(programme=programme, company=company_a, weekly_hours=15,
                             positions=1)
