import datetime as dt

from citizens.choices import ConsentKind
from citizens.models import Consent, RetentionReview
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.permission_matrix import LOGIN, Expect


def build_world(world: dict) -> None:
    citizen = CitizenFactory(name="Matrix Borger", consultant=world["consultant"])
    world["citizen"] = citizen
    world["enrolment"] = EnrolmentFactory(citizen=citizen, programme=world["programme"])
    world["consent"] = Consent.objects.create(
        citizen=citizen, kind=ConsentKind.PARTICIPATION, given_on=dt.date(2017, 8, 1),
        recorded_by=world["consultant"])
    world["retention_review"] = RetentionReview.objects.create(
        as_of=dt.date(2017, 9, 1), citizen_ids=[citizen.pk])


def _citizen(world):
    return {"pk": world["citizen"].pk}


# Company contacts never see the citizens app; team leaders read but do not change records.
STAFF_READ = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
              "consultant": 200, "team_leader": 200,
    "administrator": 200}
CASEWORK = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
            "consultant": 200, "team_leader": 403,
    "administrator": 200}
LEADER = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
          "consultant": 403, "team_leader": 200,
    "administrator": 200}

EXPECTATIONS = {
    "citizens:citizen-list": Expect(**STAFF_READ),
    "citizens:citizen-lookup": Expect(**STAFF_READ),
    "citizens:citizen-create": Expect(**CASEWORK),
    "citizens:citizen-detail": Expect(**STAFF_READ, kwargs=_citizen),
    "citizens:citizen-update": Expect(**CASEWORK, kwargs=_citizen),
    "citizens:citizen-reveal-cpr": Expect(**CASEWORK, kwargs=_citizen, method="post"),
    "citizens:enrolment-create": Expect(**CASEWORK, kwargs=_citizen),
    "citizens:enrolment-close": Expect(
        **CASEWORK, kwargs=lambda w: {"pk": w["citizen"].pk,
                                      "enrolment_pk": w["enrolment"].pk}),
    "citizens:consent-create": Expect(**CASEWORK, kwargs=_citizen),
    "citizens:consent-withdraw": Expect(
        **{**CASEWORK, "consultant": 302, "administrator": 302}, method="post",
        kwargs=lambda w: {"pk": w["citizen"].pk, "consent_pk": w["consent"].pk},
        data=lambda w: {"withdrawn_on": "2017-09-01"}),
    "citizens:access-log": Expect(**LEADER, kwargs=_citizen),
    "citizens:access-log-export": Expect(**LEADER, kwargs=_citizen),
    # A citizen's rights (issue 16): team leaders (and administrators) only.
    "citizens:citizen-rights": Expect(**LEADER, kwargs=_citizen),
    "citizens:citizen-export-json": Expect(**LEADER, kwargs=_citizen, method="post",
                                           data=lambda w: {"purpose": "Indsigtsanmodning"}),
    "citizens:citizen-export-pdf": Expect(**LEADER, kwargs=_citizen, method="post",
                                          data=lambda w: {"purpose": "Indsigtsanmodning"}),
    "citizens:citizen-restrict": Expect(
        **{**LEADER, "team_leader": 302, "administrator": 302}, kwargs=_citizen,
        method="post", data=lambda w: {"reason": "Borgeren gør indsigelse"}),
    # Step 1 only (the reason): answers with the confirmation page, erases nothing.
    "citizens:citizen-erase": Expect(**LEADER, kwargs=_citizen, method="post",
                                     data=lambda w: {"reason": "Borgerens anmodning"}),
    "citizens:erasure-list": Expect(**LEADER),
    "citizens:retention-review-list": Expect(**LEADER),
    "citizens:retention-review-detail": Expect(
        **LEADER, kwargs=lambda w: {"pk": w["retention_review"].pk}),
}
