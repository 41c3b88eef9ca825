"""Demo data of the company relationship (issue 15): a responsible consultant and a few logged
contacts for every demo company with openings, Dialogforum and Ledermentor Randers with
members, a Task Force with two meetings, a breakfast meeting with spotted jobs, and a mentor
course with trained employees. Everything goes through the services; a re-run finds the
Task Force and stops."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

from django.utils import timezone

from citizens.choices import ConsentKind, JobCategory
from citizens.models import Citizen
from citizens.services import consent_record
from companies.models import Company
from csrprogram.demo import DemoContext
from placements.choices import OpeningKind
from relations import services
from relations.choices import ContactKind, EventKind, NetworkKind, Rsvp
from relations.models import Network

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
TASK_FORCE = "Task Force Randers"
SUMMARIES = [
    ("Drøftet mulige småjob i lageret.", "Send forslag til kandidater", 14),
    ("Opfølgning på praktikforløb – virksomheden er tilfreds.", "", 0),
    ("Invitation til morgenmøde drøftet; virksomheden deltager gerne.", "", 0),
    ("Gennemgået CSR-kriterierne; mentorordning er på vej.", "Aftal besøg om mentorordning", 21),
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=CPH)


def _event(programme, actor, *, title, kind, day, network=None, place="Jobcenter Randers"):
    return services.event_create(actor=actor, data={
        "title": title, "kind": kind, "programme": programme, "network": network,
        "place": place, "starts_at": _at(day, 8), "ends_at": _at(day, 10),
        "letter_signatory": "Torben Hansen, borgmester i Randers Kommune",
        "description": "Lokale virksomheder mødes om socialt ansvar og spotter småjob."})


def seed(context: DemoContext) -> None:
    if Network.objects.filter(name=TASK_FORCE).exists():
        return
    rng = random.Random(2015)
    strategy = context.programmes["strategy"]
    consultants = [context.users["consultant"], context.users["consultant2"]]
    actor = consultants[0]
    companies = list(Company.objects.filter(openings__isnull=False).distinct().order_by("pk"))
    if not companies:
        return

    # The relationship: one responsible consultant and a few contacts per company with openings.
    for index, company in enumerate(companies):
        consultant = consultants[index % 2]
        services.responsible_consultant_set(actor=None, company=company, consultant=consultant,
                                            started_on=dt.date(2017, 6, 19))
        for _ in range(rng.randint(1, 3)):
            summary, step, days = SUMMARIES[rng.randrange(len(SUMMARIES))]
            day = dt.date(2017, 7, 1) + dt.timedelta(days=rng.randint(0, 500))
            entry = services.contact_log_record(
                actor=None, staff=consultant, company=company, data={
                    "kind": rng.choice(list(ContactKind)), "occurred_on": day,
                    "summary": summary, "company_person": "", "next_step": step,
                    "next_step_on": day + dt.timedelta(days=days) if step else None})
            # The historic programme's agreed steps were all taken.
            if step:
                services.next_step_done(actor=None, entry=entry, done_on=entry.next_step_on)
    # Today's relationship work: a few recent contacts whose next steps are due now, one
    # of them overdue, on the consultants' work lists.
    today = timezone.localdate()
    for index, company in enumerate(companies[:4]):
        summary, step, _days = next(item for item in SUMMARIES if item[1])
        services.contact_log_record(
            actor=None, staff=consultants[index % 2], company=company, data={
                "kind": ContactKind.PHONE, "occurred_on": today - dt.timedelta(days=10 + index),
                "summary": summary, "company_person": "", "next_step": step,
                "next_step_on": today + dt.timedelta(days=index * 3 - 2)})

    # Networks with members.
    members = companies[:24]
    networks = {}
    for name, kind, organiser, chunk in [
            ("Dialogforum Randers", NetworkKind.DIALOGUE_FORUM, "Jobcentret", members[:8]),
            ("Ledermentor Randers", NetworkKind.LEADER_MENTOR, "Jobcentret", members[8:14]),
            (TASK_FORCE, NetworkKind.TASK_FORCE, "Jobcentret", members[14:22]),
            ("Randers FC's sponsornetværk", NetworkKind.SPONSOR_NETWORK, "Randers FC",
             members[4:10])]:
        network = services.network_create(actor=None, data={
            "name": name, "kind": kind, "organiser": organiser}, programmes=[strategy])
        for company in chunk:
            services.network_member_add(actor=None, network=network, company=company,
                                        joined_on=dt.date(2017, 8, 1)
                                        + dt.timedelta(days=rng.randint(0, 120)))
        networks[kind] = network

    # A Task Force with two meetings, and a breakfast meeting with spotted jobs.
    task_force = networks[NetworkKind.TASK_FORCE]
    for day in (dt.date(2017, 9, 14), dt.date(2017, 11, 9)):
        meeting = _event(strategy, actor, title=f"Task Force-møde {day:%d.%m.%Y}",
                         kind=EventKind.TASK_FORCE_MEETING, day=day, network=task_force)
        invited = services.event_invite(actor=None, event=meeting, companies=members[14:22])
        for invitation in invited[:6]:
            services.invitation_rsvp(actor=None, invitation=invitation, answer=Rsvp.YES,
                                     answered_on=day - dt.timedelta(days=7))
            services.invitation_attendance(actor=None, invitation=invitation, attended=True)
    breakfast = _event(strategy, actor, title="Morgenmøde: Spot et job",
                       kind=EventKind.BREAKFAST_MEETING, day=dt.date(2017, 10, 5),
                       place="Randers Stadion, Fynsvej", network=networks[
                           NetworkKind.SPONSOR_NETWORK])
    guests = members[4:14]
    for invitation in services.event_invite(actor=None, event=breakfast, companies=guests):
        services.invitation_rsvp(actor=None, invitation=invitation, answer=Rsvp.YES,
                                 answered_on=dt.date(2017, 9, 28))
        services.invitation_attendance(actor=None, invitation=invitation, attended=True)
    rows = [{"company": company, "title": title, "tasks": tasks, "weekly_hours": hours,
             "kind": OpeningKind.CSR_JOB, "job_category": category, "positions": 1,
             "notes": "Spottet ved morgenmødet"}
            for company, (title, tasks, hours, category) in zip(guests[:6], [
                ("Pedelmedhjælper", "Små reparationer og oprydning", 10,
                 JobCategory.MAINTENANCE),
                ("Kantinemedhjælper", "Opvask og anretning", 8, JobCategory.KITCHEN),
                ("Lagermedhjælper", "Pakning af ordrer", 12, JobCategory.WAREHOUSE),
                ("Rengøringsassistent", "Rengøring af kontorer", 6, JobCategory.CLEANING),
                ("Butiksmedhjælper", "Opfyldning af varer", 10, JobCategory.RETAIL),
                ("Gartnermedhjælper", "Pasning af grønne områder", 12, JobCategory.GARDENING),
            ], strict=False)]
    spotted = services.spotted_openings_create(actor=None, event=breakfast, rows=rows)
    # All were followed up, four in time and the rest a few days late.
    for number, item in enumerate(spotted):
        late = number >= 4
        services.spotted_opening_contacted(actor=None, spotted=item,
                                           contacted_on=item.due_on + dt.timedelta(
                                               days=rng.randint(1, 4) if late
                                               else -rng.randint(0, 2)))

    # A mentor course with trained employees.
    course = services.mentor_course_create(actor=None, data={
        "title": "Medarbejdermentoruddannelse, hold 1", "programme": strategy,
        "organiser": "Jobcentret", "place": "Jobcenter Randers",
        "starts_on": dt.date(2017, 11, 1), "ends_on": dt.date(2017, 11, 22)},
        trainees=[{"company": company, "name": context.faker.name(),
                   "job_title": "Mentor"} for company in members[:8]])
    services.mentor_trainees_complete(actor=None, course=course,
                                      trainees=list(course.trainees.all()[:6]),
                                      completed_on=dt.date(2017, 11, 22))

    _seed_memberships(networks)
    _seed_story(strategy, breakfast)


def _seed_memberships(networks: dict) -> None:
    """Every current member is represented by its primary contact (where it has one), and
    one company left Dialogforum Randers: its membership stays in the history."""
    for network in networks.values():
        for membership in network.memberships.select_related("company").order_by("pk"):
            contact = services.representative_choices(membership.company).first()
            if contact is not None:
                services.network_representative_set(actor=None, membership=membership,
                                                    representative=contact)
    leaving = (networks[NetworkKind.DIALOGUE_FORUM].memberships.order_by("pk").first())
    if leaving is not None:
        services.network_member_leave(actor=None, membership=leaving,
                                      left_on=dt.date(2018, 3, 31))


def _seed_story(programme, event) -> None:
    """One citizen of the programme consented to tell her story at events and tells it at
    the breakfast meeting."""
    citizen = (Citizen.objects.filter(enrolments__programme=programme,
                                      restricted_at__isnull=True, erased_at__isnull=True)
               .order_by("pk").first())
    if citizen is None:
        return
    if not citizen.consents.filter(kind=ConsentKind.EVENT_STORY,
                                   withdrawn_on__isnull=True).exists():
        consent_record(citizen=citizen, kind=ConsentKind.EVENT_STORY,
                       given_on=dt.date(2017, 9, 20), actor=None,
                       note="Vil gerne fortælle om sit småjob på lageret.")
    services.event_story_add(actor=None, event=event, citizen=citizen,
                             note="Fortæller om vejen fra ledighed til småjob.")
