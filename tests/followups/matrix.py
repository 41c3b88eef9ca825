import datetime as dt

from followups.choices import VisitKind
from followups.models import CalendarFeed
from tests.followups.factories import VisitFactory
from tests.permission_matrix import LOGIN, Expect
from tests.placements.factories import JobOpeningFactory, PlacementFactory


def build_world(world: dict) -> None:
    opening = JobOpeningFactory(programme=world["programme"], company=world["company_own"])
    placement = PlacementFactory(opening=opening, consultant=world["consultant"],
                                 start_date=dt.date(2017, 10, 2))
    world["followup_placement"] = placement
    world["visit"] = VisitFactory(placement=placement, kind=VisitKind.HALF_MONTH,
                                  due_date=dt.date(2017, 10, 17))
    world["calendar_feed"] = CalendarFeed.objects.create(user=world["consultant"],
                                                         token="matrix-calendar-token")


def _visit(world):
    return {"pk": world["visit"].pk}


def _placement(world):
    return {"pk": world["followup_placement"].pk}


STAFF_READ = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
              "consultant": 200, "team_leader": 200,
    "administrator": 200}
# Recording and planning visits is the consultants' work; team leaders read and get escalations.
CASEWORK = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403,
            "consultant": 200, "team_leader": 403,
    "administrator": 200}
CASEWORK_POST = {**CASEWORK, "consultant": 302, "administrator": 302}
# The calendar feed's secret token is its only credential (Outlook subscribes without a login).
TOKEN = {"anonymous": 200, "contact_own": 200, "contact_other": 200, "consultant": 200,
         "team_leader": 200,
    "administrator": 200}

EXPECTATIONS = {
    "followups:visit-list": Expect(**STAFF_READ),
    "followups:visit-detail": Expect(**STAFF_READ, kwargs=_visit),
    "followups:visit-record": Expect(**CASEWORK, kwargs=_visit),
    "followups:visit-reschedule": Expect(**CASEWORK, kwargs=_visit),
    "followups:visit-extra": Expect(**CASEWORK, kwargs=_placement),
    "followups:aftercare-plan": Expect(**CASEWORK, kwargs=_placement),
    "followups:calendar": Expect(**CASEWORK),
    "followups:calendar-revoke": Expect(**CASEWORK_POST, method="post"),
    "followups:calendar-feed": Expect(**TOKEN,
                                      kwargs=lambda w: {"token": w["calendar_feed"].token}),
}
