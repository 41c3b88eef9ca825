import datetime as dt

import pytest

from cases import services
from citizens.choices import ConsentKind
from citizens.models import Consent
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.placements.factories import JobOpeningFactory, PlacementFactory

STORY = {
    "title": "Fra praktik til CSR-job",
    "situation": "Kvinden havde været ledig i flere år og ønskede at arbejde med mennesker.",
    "action": "Konsulenten fandt en praktik på 15 timer om ugen med en medarbejdermentor.",
    "result": "Hun blev ansat i et CSR-job og var stadig i job efter tre måneder.",
    "quote": "Det betød alt, at der var en, der tog imod mig.",
    "illustration": "",
    "name_company": False,
}


@pytest.fixture
def citizen(programme, alice):
    citizen = CitizenFactory(name="Jens Peter Sørensen", consultant=alice, phone="+45 21 43 65 87",
                             email="jps@mail.example", address="Vestergade 12, 2. tv",
                             cpr="1203854321")
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    return citizen


@pytest.fixture
def placement(programme, company_a, citizen):
    opening = JobOpeningFactory(programme=programme, company=company_a, positions=3)
    return PlacementFactory(opening=opening, citizen=citizen)


@pytest.fixture
def consent(citizen):
    return Consent.objects.create(citizen=citizen, kind=ConsentKind.CASE_STORY,
                                  given_on=dt.date(2017, 9, 1))


@pytest.fixture
def story(placement, alice):
    return services.story_create(placement=placement, actor=alice, **STORY)


@pytest.fixture
def submitted(story, alice):
    return services.story_submit(story=story, actor=alice)


@pytest.fixture
def published(submitted, bob, consent):
    return services.story_publish(story=submitted, actor=bob)
