import datetime as dt
import itertools

import factory

from citizens.choices import JobCategory
from citizens.models import Citizen, Enrolment
from csrprogram.choices import TargetGroup
from tests.csrprogram.factories import ProgrammeFactory


def _cprs():
    """Valid CPR numbers (format and date), different every time; most fail modulus 11."""
    for n in itertools.count():
        day = 1 + n % 28
        month = 1 + (n // 28) % 12
        year = 60 + (n // 336) % 40
        serial = 1000 + n % 9000
        yield f"{day:02d}{month:02d}{year:02d}{serial:04d}"


_cpr_numbers = _cprs()


def next_cpr() -> str:
    return next(_cpr_numbers)


class CitizenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citizen

    name = factory.Faker("name", locale="da_DK")
    phone = "12345678"
    target_group = TargetGroup.ACTIVITY_READY
    competencies = "Erfaring med lager og rengøring."
    wishes = factory.LazyFunction(lambda: [JobCategory.WAREHOUSE])
    weekly_hours = 20

    cpr = factory.LazyFunction(next_cpr)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raw = kwargs.pop("cpr")
        obj = model_class(*args, **kwargs)
        obj.set_cpr(raw)
        return obj

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = cls._build(model_class, *args, **kwargs)
        obj.save()
        return obj


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    citizen = factory.SubFactory(CitizenFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    enrolled_on = dt.date(2017, 8, 1)
