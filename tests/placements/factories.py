import datetime as dt

import factory

from citizens.choices import JobCategory
from placements.choices import CandidacyStatus, OpeningKind, PlacementStatus
from placements.models import Candidacy, JobOpening, Placement
from tests.citizens.factories import CitizenFactory
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import ProgrammeFactory


class JobOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOpening

    programme = factory.SubFactory(ProgrammeFactory)
    company = factory.SubFactory(CompanyFactory)
    kind = OpeningKind.CSR_JOB
    title = "Lagermedarbejder"
    job_category = JobCategory.WAREHOUSE
    tasks = "Pakning og oprydning på lageret."
    weekly_hours = 15
    positions = 1
    registered_on = dt.date(2017, 9, 1)


class CandidacyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidacy

    opening = factory.SubFactory(JobOpeningFactory)
    citizen = factory.SubFactory(CitizenFactory)
    status = CandidacyStatus.PRESENTED
    presented_on = dt.date(2017, 9, 5)


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement row made directly (services are tested separately)."""

    class Meta:
        model = Placement

    opening = factory.SubFactory(JobOpeningFactory)
    citizen = factory.SubFactory(CitizenFactory)
    company = factory.SelfAttribute("opening.company")
    programme = factory.SelfAttribute("opening.programme")
    kind = factory.SelfAttribute("opening.kind")
    start_date = dt.date(2017, 10, 2)
    weekly_hours = 15
    status = PlacementStatus.ACTIVE
