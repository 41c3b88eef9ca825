"""Demo follow-up visits: the history of both Randers programmes and today's work.

Runs after the placements demo (INSTALLED_APPS order), whose placements were started through
the services, so their ½- and 2½-month visits already exist. This step

1. registers the past visits the way consultants did: most on time, some a few days late,
   with whom they met, a judgement of the match and agreed actions; a few needed an extra visit;
2. starts a handful of CSR-jobs in the last weeks of the *current* programme (its period
   holds today) through the placement services, so the consultants' work list today has a
   realistic mix of done, due this week, upcoming and overdue visits; the first two are at
   the demo contact's company, whose home page then shows its next visit;
3. runs the 3-month closing for every placement whose closing date has passed, so the
   retention programme (2021–22) shows its retained share (the rule is in
   ``followups.services``; the 2½-month visit sometimes records that the citizen has stopped).

A re-run finds the demo's own openings of step 2 and stops. Own seeded random generator.
"""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from citizens.choices import EnrolmentStatus
from citizens.models import Enrolment
from csrprogram.demo import DemoContext
from followups import services
from followups.choices import MatchQuality, VisitKind, VisitStatus
from followups.models import Visit
from placements import services as placement_services
from placements.choices import OpeningKind, OpeningSource, PlacementStatus
from placements.demo import date_proposed
from placements.models import JobOpening, Placement

DEMO_NOTE = "Demodata – opfølgning"
MET = ["Nærmeste leder og borgeren", "Indehaveren", "Driftslederen og borgeren",
       "HR-konsulenten", "Medarbejdermentoren og borgeren"]
NOTES = {
    MatchQuality.GOOD: ["Borgeren er faldet godt til og møder stabilt.",
                        "Lederen er meget tilfreds; kollegerne har taget godt imod borgeren."],
    MatchQuality.SOME_ISSUES: ["Enkelte sene fremmøder; aftalt faste mødetider.",
                               "Opgaverne var for mange i starten; der er skruet ned."],
    MatchQuality.POOR: ["Borgeren har svært ved tempoet; lederen er bekymret.",
                        "Flere fraværsdage; borgeren overvejer at stoppe."],
}
ACTIONS = ["", "Opfølgende telefonopkald om en måned.", "Fast pause kl. 10 aftalt.",
           "Timetallet trappes op med to timer fra næste måned."]


def _quality(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return MatchQuality.GOOD
    return MatchQuality.SOME_ISSUES if roll < 0.92 else MatchQuality.POOR


def _record_history(rng: random.Random, today: dt.date) -> None:
    """Register the programmes' past visits, as the consultants did at the time."""
    history = (Visit.objects.filter(status=VisitStatus.PLANNED, due_date__lt=today,
                                    kind__in=(VisitKind.HALF_MONTH,
                                              VisitKind.TWO_AND_HALF_MONTHS))
               .exclude(placement__opening__notes=DEMO_NOTE)
               .select_related("placement").order_by("due_date", "pk"))
    for visit in history:
        placement = visit.placement
        actor = placement.consultant
        quality = _quality(rng)
        done_on = visit.due_date + dt.timedelta(days=rng.choice([-2, 0, 0, 0, 1, 2, 5, 9]))
        done_on = max(done_on, placement.start_date)
        if placement.end_date is not None:
            done_on = min(done_on, placement.end_date)
        # Some 2½-month visits find that the citizen is about to stop.
        retained = False if (visit.kind == VisitKind.TWO_AND_HALF_MONTHS
                             and quality == MatchQuality.POOR) else None
        try:
            services.visit_record(
                visit=visit, actor=actor, done_on=done_on, match_quality=quality,
                met_whom=rng.choice(MET), notes=rng.choice(NOTES[quality]),
                agreed_actions=rng.choice(ACTIONS), retained=retained, today=today)
        except ValidationError:
            continue


def _current_work(rng: random.Random, context: DemoContext, today: dt.date) -> None:
    """A few CSR-jobs started in the last weeks, with their visits in every state."""
    programme = context.programmes["current"]
    companies = context.extra["companies"]
    enrolments = list(
        Enrolment.objects.filter(programme=programme,
                                 status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.IN_JOB))
        .exclude(citizen__placements__status=PlacementStatus.ACTIVE)
        .select_related("citizen").order_by("pk")[:10])
    days_ago = [95, 80, 60, 45, 30, 24, 17, 12, 8, 3]
    for number, (enrolment, ago) in enumerate(zip(enrolments, days_ago, strict=False)):
        citizen = enrolment.citizen
        actor = citizen.consultant or context.users["consultant"]
        start = max(today - dt.timedelta(days=ago), enrolment.enrolled_on)
        company = rng.choice(companies)
        opening = placement_services.opening_create(actor=actor, data={
            "programme": programme, "company": companies[0] if number in (2, 7) else company,
            "kind": OpeningKind.CSR_JOB, "title": "Servicemedarbejder",
            "job_category": "maintenance", "tasks": "Lettere service- og pedelopgaver.",
            "weekly_hours": min(citizen.weekly_hours, 15), "positions": 1,
            "source": OpeningSource.SPOT_A_JOB, "registered_on": start - dt.timedelta(days=21),
            "notes": DEMO_NOTE,
        })
        candidacy = placement_services.candidacy_propose(opening=opening, citizen=citizen,
                                                         actor=actor)
        placement_services.candidacy_present(candidacy=candidacy, actor=actor,
                                             presented_on=start - dt.timedelta(days=14))
        date_proposed(candidacy, start - dt.timedelta(days=16))
        placement = placement_services.candidacy_accept(
            candidacy=candidacy, actor=actor, start_date=start,
            decided_on=start - dt.timedelta(days=7))
        # Most visits that are due by now are registered; some are left overdue.
        for visit in placement.visits.filter(due_date__lt=today).order_by("due_date"):
            if rng.random() < 0.3:
                continue
            quality = _quality(rng)
            services.visit_record(
                visit=visit, actor=actor,
                done_on=min(visit.due_date + dt.timedelta(days=rng.randint(0, 3)), today),
                match_quality=quality, met_whom=rng.choice(MET),
                notes=rng.choice(NOTES[quality]), today=today)
    # The visits overdue beyond the escalation limit were escalated to the team leader (as
    # the sweep does; set here so the demo sends no email about its own history).
    Visit.objects.filter(placement__programme=programme, status=VisitStatus.PLANNED,
                         due_date__lte=services.escalation_cutoff(today)).update(
        escalated_at=timezone.now())


def seed(context: DemoContext) -> None:
    if JobOpening.objects.filter(notes=DEMO_NOTE).exists():
        return
    rng = random.Random(20176)
    today = timezone.localdate()
    # Placements made without the services (none today) get their visits too.
    for placement in Placement.objects.filter(visits__isnull=True).select_related("programme"):
        services.visits_schedule(placement=placement)
    _record_history(rng, today)
    _current_work(rng, context, today)
    services.placements_close_due(today=today)
