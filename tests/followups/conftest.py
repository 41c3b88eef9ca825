import datetime as dt

import pytest

from placements import services as placement_services
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory


@pytest.fixture
def start_placement(programme, alice, company_a):
    """Start a placement through the placement services (so the signals fire)."""

    def start(*, start_date=dt.date(2017, 10, 2), consultant=None, company=None,
              kind=None, name="Jens Jensen"):
        citizen = CitizenFactory(name=name, consultant=alice, weekly_hours=20)
        EnrolmentFactory(citizen=citizen, programme=programme,
                         enrolled_on=min(dt.date(2017, 8, 1), start_date))
        extra = {"kind": kind} if kind else {}
        opening = JobOpeningFactory(programme=programme, company=company or company_a,
                                    weekly_hours=15, positions=1, **extra)
        candidacy = CandidacyFactory(opening=opening, citizen=citizen)
        return placement_services.candidacy_accept(
            candidacy=candidacy, actor=alice, start_date=start_date,
            consultant=consultant or alice)

    return start
