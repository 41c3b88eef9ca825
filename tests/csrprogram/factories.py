import datetime as dt

import factory
from django.contrib.auth.models import Group

from csrprogram.choices import Role
from csrprogram.models import Programme, Target, User

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@jobcenter.example")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            group, _ = Group.objects.get_or_create(name=Role(role).value)
            self.groups.add(group)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    municipality = "Randers Kommune"
    starts_on = dt.date(2017, 6, 19)
    ends_on = dt.date(2018, 12, 31)
    funder = "Socialfonden"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        for user in extracted or []:
            self.members.add(user)


class TargetFactory(factory.django.DjangoModelFactory):
    """A target saved without validation (the metric key need not be registered)."""

    class Meta:
        model = Target

    programme = factory.SubFactory(ProgrammeFactory)
    metric_key = "test_companies_registered"
    value = 10
    deadline = dt.date(2017, 12, 31)
