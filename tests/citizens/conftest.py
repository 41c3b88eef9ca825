import datetime as dt

import pytest

from tests.citizens.factories import CitizenFactory, EnrolmentFactory

# A valid CPR number (real date, plausible serial) that fails the old modulus-11 check.
CPR_MOD11_FAILS = "0101901235"


@pytest.fixture
def citizen(programme, alice):
    citizen = CitizenFactory(name="Jens Jensen", consultant=alice, cpr=CPR_MOD11_FAILS,
                             accommodation_needs="Tåler ikke løft over 10 kg.")
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    return citizen
