"""Demo openings, candidacies and placements for the two Randers programmes, and the current
programme's openings and candidates waiting for the employers' answers.

CSR Strategi 2017 gets many internship openings (about 900 places by the end of 2018) and
internships for most of its citizens; the retention programme gets CSR-jobs. Everything goes
through the services, so positions, enrolment statuses and the follow-up hooks are real.
Own seeded random generator; a re-run finds the demo openings and stops.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone

from citizens.choices import JobCategory
from citizens.models import Citizen
from csrprogram.demo import DemoContext
from placements import services
from placements.choices import OpeningKind, OpeningSource, PlacementOutcome
from placements.models import Candidacy, JobOpening

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
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def date_proposed(candidacy: Candidacy, day: dt.date) -> None:
    """Date the proposal on the day it was made (``proposed_at`` is set on creation, which
    in the demo is today): proposed before presented before answered."""
    Candidacy.objects.filter(pk=candidacy.pk).update(
        proposed_at=dt.datetime(day.year, day.month, day.day, 9, tzinfo=COPENHAGEN))


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
            date_proposed(candidacy, proposed)
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


# The current programme's openings: (position in the company list, kind, title, category,
# positions, days before today registered). The first is at the demo contact's company.
CURRENT_OPENINGS = [
    (0, OpeningKind.CSR_JOB, "Servicemedarbejder", JobCategory.CLEANING, 2, 75),
    (12, OpeningKind.INTERNSHIP, "Lagermedarbejder", JobCategory.WAREHOUSE, 3, 60),
    (13, OpeningKind.CSR_JOB, "Køkkenmedhjælper", JobCategory.KITCHEN, 1, 30),
    (14, OpeningKind.INTERNSHIP, "Butiksmedhjælper", JobCategory.RETAIL, 2, 20),
    (15, OpeningKind.CSR_JOB, "Pedelmedhjælper", JobCategory.MAINTENANCE, 1, 8),
]
CURRENT_NOTE = "Demodata – nu"
# (citizen from the end of the programme's list, opening, days before today presented
# (None: only proposed), the employer's answer).
CURRENT_CANDIDACIES = [
    (1, 0, 12, None), (2, 1, 9, None), (3, 0, 2, None), (4, 2, None, None),
    (5, 1, 40, "Virksomheden valgte en kandidat med truckcertifikat."),
]


def _seed_current(context: DemoContext) -> None:
    """Openings of the current programme, two without any candidate, and candidates waiting
    for the employers' answers (two of them longer than a week)."""
    if JobOpening.objects.filter(notes=CURRENT_NOTE).exists():
        return
    today = timezone.localdate()
    programme = context.programmes["current"]
    companies = context.extra["companies"]
    consultant = context.users["consultant"]
    openings = [services.opening_create(actor=consultant, data={
        "programme": programme, "company": companies[position], "kind": kind,
        "title": title, "job_category": category,
        "tasks": "Praktiske opgaver efter aftale med virksomheden.", "weekly_hours": 12,
        "positions": positions, "can_accommodate": True, "source": OpeningSource.SPOT_A_JOB,
        "registered_on": today - dt.timedelta(days=ago), "notes": CURRENT_NOTE,
    }) for position, kind, title, category, positions, ago in CURRENT_OPENINGS]
    citizens = list(Citizen.objects.filter(enrolments__programme=programme).order_by("-pk"))
    for from_end, opening_index, presented_ago, decline in CURRENT_CANDIDACIES:
        citizen = citizens[from_end - 1]
        actor = citizen.consultant or consultant
        candidacy = services.candidacy_propose(
            opening=openings[opening_index], citizen=citizen, actor=actor,
            motivation="Stabilt fremmøde i praktik; glad for praktiske opgaver.",
            hours_override_reason="Optrapning aftalt med borgeren.")
        if presented_ago is None:
            date_proposed(candidacy, today - dt.timedelta(days=1))
            continue
        presented_on = today - dt.timedelta(days=presented_ago)
        services.candidacy_present(candidacy=candidacy, actor=actor, presented_on=presented_on)
        date_proposed(candidacy, presented_on - dt.timedelta(days=2))
        if decline:
            services.candidacy_decline(candidacy=candidacy, actor=actor, reason=decline,
                                       decided_on=presented_on + dt.timedelta(days=6))


def seed(context: DemoContext) -> None:
    _seed_current(context)
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
