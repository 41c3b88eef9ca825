import datetime as dt
import zoneinfo

import factory

from relations.choices import ContactKind, EventKind, NetworkKind
from relations.models import (
    ContactLogEntry,
    Event,
    Invitation,
    MentorCourse,
    MentorTrainee,
    Network,
    NetworkMembership,
    SpottedOpening,
)
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import ProgrammeFactory
from tests.placements.factories import JobOpeningFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def cph(year, month, day, hour=8, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Task Force {n}")
    kind = NetworkKind.TASK_FORCE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    company = factory.SubFactory(CompanyFactory)
    joined_on = dt.date(2017, 9, 1)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = "Morgenmøde i Task Forcen"
    kind = EventKind.BREAKFAST_MEETING
    programme = factory.SubFactory(ProgrammeFactory)
    place = "Jobcenter Randers, Laksetorvet"
    starts_at = cph(2017, 10, 5, 8)
    ends_at = cph(2017, 10, 5, 10)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(EventFactory)
    company = factory.SubFactory(CompanyFactory)


class SpottedOpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpottedOpening

    event = factory.SubFactory(EventFactory)
    opening = factory.SubFactory(JobOpeningFactory, programme=factory.SelfAttribute(
        "..event.programme"))
    due_on = dt.date(2017, 10, 10)


class MentorCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorCourse

    title = "Medarbejdermentoruddannelse, hold 1"
    starts_on = dt.date(2017, 11, 1)
    ends_on = dt.date(2017, 11, 15)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorTrainee

    course = factory.SubFactory(MentorCourseFactory)
    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Medarbejder {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactLogEntry

    company = factory.SubFactory(CompanyFactory)
    kind = ContactKind.PHONE
    occurred_on = dt.date(2017, 10, 2)
    summary = "Talt om småjob på lageret."
