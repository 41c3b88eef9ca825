import datetime as dt

from relations.models import EventStory
from tests.citizens.factories import EnrolmentFactory
from tests.permission_matrix import LOGIN, Expect
from tests.relations.factories import (
    ContactFactory,
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    MentorCourseFactory,
    NetworkFactory,
    SpottedOpeningFactory,
    TraineeFactory,
)


def build_world(world: dict) -> None:
    event = EventFactory(programme=world["programme"])
    world["event"] = event
    world["invitation"] = InvitationFactory(event=event, company=world["company_own"])
    world["spotted"] = SpottedOpeningFactory(event=event,
                                             opening__company=world["company_own"])
    network = NetworkFactory()
    world["membership"] = MembershipFactory(network=network, company=world["company_own"])
    world["network"] = network
    citizen = EnrolmentFactory(programme=world["programme"]).citizen
    world["story"] = EventStory.objects.create(event=event, citizen=citizen)
    course = MentorCourseFactory(programme=world["programme"])
    world["course"] = course
    world["trainee"] = TraineeFactory(course=course, company=world["company_own"],
                                      completed_on=dt.date(2017, 11, 15))
    world["contact"] = ContactFactory(company=world["company_own"], staff=world["consultant"],
                                      next_step="Ring igen", next_step_on=dt.date(2017, 11, 1))


STAFF_READ = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403, "consultant": 200,
              "team_leader": 200, "administrator": 200}
# Events, networks, courses and the contact log are the consultants' casework.
CASEWORK = {**STAFF_READ, "team_leader": 403}
CASEWORK_POST = {**CASEWORK, "consultant": 302, "administrator": 302}
# Who is responsible for a company: consultants hand over, the team leader decides.
RESPONSIBILITY = STAFF_READ


def _event(world):
    return {"pk": world["event"].pk}


def _membership(world):
    return {"pk": world["network"].pk, "membership": world["membership"].pk}


EXPECTATIONS = {
    "relations:event-list": Expect(**STAFF_READ),
    "relations:event-create": Expect(**CASEWORK),
    "relations:event-detail": Expect(**STAFF_READ, kwargs=_event),
    "relations:event-invite": Expect(**CASEWORK, kwargs=_event),
    "relations:event-update": Expect(**CASEWORK, kwargs=_event),
    # Citizens who tell their story: staff who work the event; company contacts never.
    "relations:event-stories": Expect(**CASEWORK, kwargs=_event),
    "relations:event-story-remove": Expect(
        **CASEWORK_POST, method="post",
        kwargs=lambda w: {"pk": w["event"].pk, "story": w["story"].pk}),
    "relations:event-send": Expect(**CASEWORK_POST, kwargs=_event, method="post"),
    "relations:event-ical": Expect(**STAFF_READ, kwargs=_event),
    "relations:event-spot": Expect(**CASEWORK, kwargs=_event),
    "relations:event-spot-import": Expect(**CASEWORK, kwargs=_event),
    "relations:invitation-letter": Expect(**STAFF_READ,
                                          kwargs=lambda w: {"pk": w["invitation"].pk}),
    "relations:invitation-rsvp": Expect(**CASEWORK_POST, method="post",
                                        kwargs=lambda w: {"pk": w["invitation"].pk},
                                        data=lambda w: {"answer": "yes"}),
    "relations:spotted-contacted": Expect(**CASEWORK, kwargs=lambda w: {"pk": w["spotted"].pk}),
    "relations:network-list": Expect(**STAFF_READ),
    "relations:network-create": Expect(**CASEWORK),
    "relations:network-detail": Expect(**STAFF_READ, kwargs=lambda w: {"pk": w["network"].pk}),
    "relations:membership-leave": Expect(**CASEWORK, kwargs=_membership),
    "relations:membership-representative": Expect(**CASEWORK, kwargs=_membership),
    "relations:course-list": Expect(**STAFF_READ),
    "relations:course-create": Expect(**CASEWORK),
    "relations:course-detail": Expect(**STAFF_READ, kwargs=lambda w: {"pk": w["course"].pk}),
    "relations:trainee-certificate": Expect(**STAFF_READ,
                                            kwargs=lambda w: {"pk": w["trainee"].pk}),
    "relations:contact-create": Expect(**CASEWORK,
                                       kwargs=lambda w: {"pk": w["company_own"].pk}),
    "relations:responsible-set": Expect(**RESPONSIBILITY,
                                        kwargs=lambda w: {"pk": w["company_own"].pk}),
    "relations:next-step-done": Expect(**CASEWORK_POST, method="post",
                                       kwargs=lambda w: {"pk": w["contact"].pk}),
}
