import datetime as dt

from placements.choices import CandidacyStatus
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.permission_matrix import LOGIN, Expect
from tests.placements.factories import CandidacyFactory, JobOpeningFactory, PlacementFactory


def build_world(world: dict) -> None:
    programme = world["programme"]
    opening = JobOpeningFactory(programme=programme, company=world["company_own"],
                                positions=3)
    candidate = CitizenFactory(name="Kandidat Matrix", weekly_hours=30)
    EnrolmentFactory(citizen=candidate, programme=programme, enrolled_on=dt.date(2017, 8, 1))
    world["opening"] = opening
    world["candidacy"] = CandidacyFactory(opening=opening, citizen=candidate,
                                          status=CandidacyStatus.PRESENTED)
    world["placement"] = PlacementFactory(opening=opening, citizen=CitizenFactory())


def _opening(world):
    return {"pk": world["opening"].pk}


def _candidacy(world):
    return {"pk": world["candidacy"].pk}


def _placement(world):
    return {"pk": world["placement"].pk}


STAFF_READ = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
              "consultant": 200, "team_leader": 200,
    "administrator": 200}
CASEWORK = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
            "consultant": 200, "team_leader": 403,
    "administrator": 200}
CASEWORK_POST = {**CASEWORK, "consultant": 302, "administrator": 302}
# The portal: a company's own contact sees its records; another company's contact gets 404.
PORTAL = {"anonymous": LOGIN, "contact_own": 200, "contact_other": 404,
          "consultant": 403, "team_leader": 403,
    "administrator": 403}

EXPECTATIONS = {
    "placements:opening-list": Expect(**STAFF_READ),
    "placements:opening-create": Expect(**CASEWORK),
    "placements:opening-spot": Expect(**CASEWORK),
    "placements:opening-import": Expect(**CASEWORK),
    "placements:opening-detail": Expect(**STAFF_READ, kwargs=_opening),
    "placements:opening-update": Expect(**CASEWORK, kwargs=_opening),
    "placements:opening-withdraw": Expect(**CASEWORK_POST, kwargs=_opening, method="post"),
    "placements:opening-match": Expect(**CASEWORK, kwargs=_opening),
    "placements:candidacy-present": Expect(**CASEWORK_POST, kwargs=_candidacy,
                                           method="post"),
    "placements:candidacy-decide": Expect(**CASEWORK, kwargs=_candidacy),
    "placements:candidacy-withdraw": Expect(**CASEWORK_POST, kwargs=_candidacy,
                                            method="post"),
    "placements:placement-list": Expect(**STAFF_READ),
    "placements:placement-detail": Expect(**STAFF_READ, kwargs=_placement),
    "placements:placement-end": Expect(**CASEWORK, kwargs=_placement),
    "placements:placement-start": Expect(**CASEWORK, kwargs=_placement),
    "placements:portal-opening-list": Expect(**{**PORTAL, "contact_other": 200}),
    "placements:portal-opening-detail": Expect(**PORTAL, kwargs=_opening),
    "placements:portal-candidacy": Expect(**PORTAL, kwargs=_candidacy),
}
