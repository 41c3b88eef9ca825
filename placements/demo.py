"""Demo openings, candidacies and placements for the two Randers programmes.

CSR Strategi 2017 gets many internship openings (about 900 places by the end of 2018) and
internships for most of its citizens; the retention programme gets CSR-jobs. Everything goes
through the services, so positions, enrolment statuses and the follow-up hooks are real.
Own seeded random generator; a re-run finds the demo openings and stops.
"""

import datetime as dt
import random

from django.core.exceptions import ValidationError

from citizens.choices import JobCategory
from citizens.models import Citizen
from csrprogram.demo import DemoContext
from placements import services
from placements.choices import OpeningKind, OpeningSource, PlacementOutcome
from placements.models import JobOpening

DEMO_NOTE = "Demodata"
TITLES = {
    JobCategory.RETAIL: "Butiksmedhjælper", JobCategory.WAREHOUSE: "Lagermedarbejder",
    JobCategory.CLEANING: "Rengøringsassistent", JobCategory.KITCHEN: "Køkkenmedhjælper",
    JobCategory.CARE: "Omsorgsmedhjælper", JobCategory.OFFICE: "Kontormedhjælper",
    JobCategory.CONSTRUCTION: "Håndværkermedhjælper", JobCategory.GARDENING: "Gartnermedhjælper",
    JobCategory.PRODUCTION: "Produktionsmedarbejder", JobCategory.TRANSPORT: "Chaufførmedhjælper",
    JobCategory.HOSPITALITY: "Hotelmedhjælper", JobCategory.MAINTENANCE: "Pedelmedhjælper",
    JobCategory.IT: "IT-supporter",
}
SOURCES = [OpeningSource.SPOT_A_JOB, OpeningSource.SPOT_A_JOB, OpeningSource.EVENT,
           OpeningSource.COMPANY_VISIT, OpeningSource.PHONE]


def _openings(rng, programme, companies, consultant, *, kind, count, positions, first, last):
    span = (last - first).days
    openings = []
    for _ in range(count):
        category = rng.choice(list(TITLES))
        openings.append(services.opening_create(actor=consultant, data={
            "programme": programme, "company": rng.choice(companies), "kind": kind,
            "title": TITLES[category], "job_category": category,
            "tasks": "Praktiske opgaver efter aftale med virksomheden.",
            "weekly_hours": rng.choice([10, 12, 15, 20, 25, 30]),
            "positions": rng.randint(*positions),
            "can_accommodate": rng.random() < 0.5,
            "source": rng.choice(SOURCES),
            "registered_on": first + dt.timedelta(days=rng.randint(0, span)),
            "notes": DEMO_NOTE,
        }))
    return openings


def _match(rng, citizen, enrolled_on, openings, consultant, programme):
    """Propose the citizen for a fitting open opening and let the employer decide."""
    candidates = [o for o in openings if o.registered_on <= enrolled_on + dt.timedelta(days=60)]
    rng.shuffle(candidates)
    for opening in candidates[:4]:
        opening.refresh_from_db()
        if not opening.is_open:
            continue
        proposed = max(enrolled_on, opening.registered_on) + dt.timedelta(days=rng.randint(5, 30))
        decided = proposed + dt.timedelta(days=rng.randint(3, 14))
        start = decided + dt.timedelta(days=rng.randint(5, 14))
        if start > programme.ends_on - dt.timedelta(days=30):
            return None
        try:
            candidacy = services.candidacy_propose(
                opening=opening, citizen=citizen, actor=consultant,
                motivation="Motiveret og mødestabil.",
                hours_override_reason="Optrapning aftalt med borgeren.")
            services.candidacy_present(candidacy=candidacy, actor=consultant,
                                       presented_on=proposed)
            if rng.random() < 0.25:
                services.candidacy_decline(candidacy=candidacy, actor=consultant,
                                           decided_on=decided,
                                           reason="Virksomheden valgte en anden kandidat.")
                continue
            return services.candidacy_accept(candidacy=candidacy, actor=consultant,
                                             decided_on=decided, start_date=start,
                                             planned_end=start + dt.timedelta(weeks=13))
        except ValidationError:
            continue
    return None


def _end(rng, placement, consultant, *, job_share: float):
    roll = rng.random()
    if roll < job_share:
        outcome = rng.choice([PlacementOutcome.ORDINARY_JOB, PlacementOutcome.ORDINARY_JOB,
                              PlacementOutcome.EDUCATION])
    elif roll < job_share + 0.15:
        outcome = rng.choice([PlacementOutcome.ENDED_BY_EMPLOYER, PlacementOutcome.DROPPED_OUT])
    elif roll < job_share + 0.35:
        outcome = PlacementOutcome.OTHER
    else:
        return  # still running
    end = placement.start_date + dt.timedelta(weeks=rng.randint(8, 20))
    services.placement_end(placement=placement, end_date=end, outcome=outcome,
                           actor=consultant, note="")


def seed(context: DemoContext) -> None:
    if JobOpening.objects.filter(notes=DEMO_NOTE).exists():
        return
    rng = random.Random(20175)
    companies = context.extra["companies"]
    consultant = context.users["consultant"]
    strategy = context.programmes["strategy"]
    retention = context.programmes["retention"]

    internships = _openings(rng, strategy, companies, consultant, kind=OpeningKind.INTERNSHIP,
                            count=150, positions=(3, 9), first=dt.date(2017, 6, 19),
                            last=dt.date(2018, 12, 15))
    internships += _openings(rng, strategy, companies, consultant, kind=OpeningKind.CSR_JOB,
                             count=15, positions=(1, 2), first=dt.date(2017, 8, 1),
                             last=dt.date(2018, 10, 1))
    csr_jobs = _openings(rng, retention, companies, consultant, kind=OpeningKind.CSR_JOB,
                         count=45, positions=(1, 2), first=dt.date(2021, 8, 1),
                         last=dt.date(2022, 8, 31))
    csr_jobs += _openings(rng, retention, companies, consultant, kind=OpeningKind.FLEX_JOB,
                          count=5, positions=(1, 1), first=dt.date(2021, 9, 1),
                          last=dt.date(2022, 6, 30))

    citizens = (Citizen.objects.filter(enrolments__programme__in=[strategy, retention])
                .prefetch_related("enrolments").order_by("pk"))
    for citizen in citizens:
        enrolment = citizen.enrolments.all()[0]
        programme = enrolment.programme
        openings = internships if programme == strategy else csr_jobs
        actor = citizen.consultant or consultant
        placement = _match(rng, citizen, enrolment.enrolled_on, openings, actor, programme)
        if placement is not None:
            _end(rng, placement, actor, job_share=0.4 if programme == strategy else 0.5)
