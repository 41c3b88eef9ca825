import datetime as dt

from cases import services
from cases.models import StoryFinding
from citizens.choices import ConsentKind
from citizens.models import Consent
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.permission_matrix import LOGIN, Expect
from tests.placements.factories import JobOpeningFactory, PlacementFactory

STORY = {"title": "Praktik blev til job", "situation": "Ledig i flere år.",
         "action": "Praktik med mentor.", "result": "Ansat i CSR-job.", "quote": "",
         "illustration": "", "name_company": False}


def build_world(world: dict) -> None:
    programme, consultant, leader = (world["programme"], world["consultant"],
                                     world["team_leader"])
    opening = JobOpeningFactory(programme=programme, company=world["company_own"], positions=5)

    def placement():
        citizen = CitizenFactory(consultant=consultant)
        EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=dt.date(2017, 8, 1))
        Consent.objects.create(citizen=citizen, kind=ConsentKind.CASE_STORY,
                               given_on=dt.date(2017, 9, 1))
        return PlacementFactory(opening=opening, citizen=citizen)

    world["case_placement"] = placement()
    draft = services.story_create(placement=world["case_placement"], actor=consultant, **STORY)
    world["story_draft"] = draft
    submitted = services.story_create(placement=placement(), actor=consultant,
                                      **{**STORY, "quote": f"Tak til {consultant.first_name}"})
    world["story_submitted"] = services.story_submit(story=submitted, actor=consultant)
    world["finding"] = StoryFinding.objects.get(story=submitted)
    published = services.story_create(placement=placement(), actor=consultant, **STORY)
    services.story_submit(story=published, actor=consultant)
    world["story_published"] = services.story_publish(story=published, actor=leader)
    collection = services.collection_create(
        programme=programme, actor=leader, entries=[("story", published.pk)],
        title="Casesamling", foreword="", language="da", public_page=True)
    world["collection"] = services.collection_publish(collection=collection, actor=leader)


STAFF = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403, "consultant": 200,
         "team_leader": 200, "administrator": 200}
CASEWORK = {**STAFF, "team_leader": 403}
LEADERS = {**STAFF, "consultant": 403}
# A POST that acts and redirects back to the page (302), for those who may.
CASEWORK_POST = {**CASEWORK, "consultant": 302, "administrator": 302}
LEADERS_POST = {**LEADERS, "team_leader": 302, "administrator": 302}
PUBLIC = dict.fromkeys(("anonymous", "contact_own", "contact_other", "consultant",
                        "team_leader", "administrator"), 200)


def _pk(key):
    return lambda w: {"pk": w[key].pk}


def _programme(w):
    return {"pk": w["programme"].pk}


def _token(w):
    return {"token": w["collection"].public_token}


EXPECTATIONS = {
    "cases:story-list": Expect(**STAFF),
    "cases:story-create": Expect(**CASEWORK,
                                 kwargs=lambda w: {"placement_pk": w["case_placement"].pk}),
    "cases:story-detail": Expect(**STAFF, kwargs=_pk("story_draft")),
    "cases:story-update": Expect(**CASEWORK, kwargs=_pk("story_draft")),
    "cases:story-submit": Expect(**CASEWORK_POST, method="post", kwargs=_pk("story_draft")),
    "cases:story-return": Expect(**LEADERS_POST, method="post", kwargs=_pk("story_submitted"),
                                 data=lambda w: {"comment": "Ret citatet."}),
    "cases:story-publish": Expect(**LEADERS_POST, method="post",
                                  kwargs=_pk("story_submitted")),
    "cases:story-withdraw": Expect(**LEADERS_POST, method="post",
                                   kwargs=_pk("story_published")),
    "cases:finding-dismiss": Expect(**LEADERS_POST, method="post", kwargs=_pk("finding"),
                                    data=lambda w: {"reason": "Konsulentens navn."}),
    "cases:company-consent": Expect(**CASEWORK, kwargs=_pk("company_own")),
    "cases:description-detail": Expect(**STAFF, kwargs=_programme),
    "cases:description-update": Expect(**LEADERS, kwargs=_programme),
    "cases:collection-list": Expect(**STAFF),
    "cases:collection-create": Expect(**LEADERS),
    "cases:collection-detail": Expect(**STAFF, kwargs=_pk("collection")),
    "cases:collection-update": Expect(**LEADERS, kwargs=_pk("collection")),
    "cases:collection-publish": Expect(**LEADERS_POST, method="post",
                                       kwargs=_pk("collection")),
    # The PDF is rendered after commit; inside the matrix's transaction it is not there yet.
    "cases:collection-pdf": Expect(**{**STAFF, "consultant": 404, "team_leader": 404,
                                      "administrator": 404}, kwargs=_pk("collection")),
    "cases:public": Expect(**PUBLIC, kwargs=_token),
    "cases:public-pdf": Expect(**dict.fromkeys(PUBLIC, 404), kwargs=_token),
}
