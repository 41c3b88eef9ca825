"""Demo data for the base: the two historical Randers programmes, a current programme whose
period is computed from today (so a newcomer sees today's work), and one user per role.

``manage.py seed_demo`` runs the ``seed`` function of every installed app's ``demo.py`` in
INSTALLED_APPS order, passing one shared DemoContext. Every step looks rows up by a natural
key before creating them, so running the command again changes nothing.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.utils import timezone
from faker import Faker

from csrprogram.choices import Role, TargetGroup
from csrprogram.models import Programme, User
from csrprogram.policy import SYSTEM

DEMO_PASSWORD = "csr-demo-2026"  # noqa: S105  (documented in the README; demo only)
DEMO_DOMAIN = "randers.example"


@dataclass
class DemoContext:
    faker: Faker
    rng: random.Random
    programmes: dict[str, Programme] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


# Faker's Danish names carry titles ("Dr.", "Univ.Prof.", "Fru", "Hr"); nobody writes them in
# a case file. Removing them keeps every random draw as it was.
NAME_TITLES = frozenset({"Dr.", "Prof.", "Univ.Prof.", "Fru", "Hr", "Hr.", "Frk."})


def person_name(raw: str) -> str:
    """A Faker name without its titles: "Univ.Prof. Lena Karlsen" → "Lena Karlsen"."""
    return " ".join(word for word in raw.split() if word not in NAME_TITLES)


def unique_company_name(name: str, taken: set[str], city: str = "") -> str:
    """``name``, or a distinct variant when another demo company already has it ("Lind & Søn
    ApS" → "Lind & Søn ApS, Langå"); the chosen name is added to ``taken``."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}, {city}" if number == 2 and city else f"{name} ({number})"
    taken.add(candidate)
    return candidate


# The current programme runs from a year before the day the demo is first seeded to a year
# after it (its rows keep the dates of that first day, so a re-run changes nothing). A year
# back lets a certificate issued early in the programme expire within the next month.
CURRENT_PROGRAMME = "Rummelige virksomheder i Randers"
CURRENT_MONTHS_BEFORE, CURRENT_MONTHS_AFTER = 12, 12


def demo_users() -> list[tuple[str, str, str, str, Role]]:
    """(key, email, first name, last name, role) of the demo logins the README lists."""
    return [
        ("consultant", f"konsulent@{DEMO_DOMAIN}", "Mette", "Kjær", Role.CONSULTANT),
        ("consultant2", f"konsulent2@{DEMO_DOMAIN}", "Jonas", "Bech", Role.CONSULTANT),
        ("team_leader", f"teamleder@{DEMO_DOMAIN}", "Hanne", "Lund", Role.TEAM_LEADER),
        ("company_contact", f"virksomhed@{DEMO_DOMAIN}", "Peter", "Holm", Role.COMPANY_CONTACT),
        ("administrator", f"admin@{DEMO_DOMAIN}", "Sofie", "Dahl", Role.ADMINISTRATOR),
    ]


def _seed_users(context: DemoContext) -> None:
    titles = {
        Role.CONSULTANT: "Jobkonsulent",
        Role.TEAM_LEADER: "Teamleder",
        Role.COMPANY_CONTACT: "HR-ansvarlig",
        Role.ADMINISTRATOR: "Systemadministrator",
    }
    for key, email, first_name, last_name, role in demo_users():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first_name,
                last_name=last_name, job_title=titles[role],
                is_staff=role == Role.ADMINISTRATOR,
            )
        user.groups.add(Group.objects.get(name=role.value))
        context.users[key] = user


def _seed_programmes(context: DemoContext) -> None:
    strategy, _ = Programme.objects.get_or_create(
        name="CSR Strategi 2017",
        defaults={
            "description": (
                "Indslusningsforløb, der udbreder kendskabet til virksomheder, der tager et "
                "socialt ansvar. Virksomheder, der skaber praktikpladser for borgere på kanten "
                "af arbejdsmarkedet, belønnes med et CSR-certifikat, og 50 borgere matches med "
                "virksomhedspraktikker i de certificerede virksomheder."
            ),
            "municipality": "Randers Kommune",
            "starts_on": dt.date(2017, 6, 19),
            "ends_on": dt.date(2018, 12, 31),
            "funder": "Socialfonden",
            "geography": "Randers Kommune",
            "target_groups": [
                TargetGroup.ACTIVITY_READY, TargetGroup.FLEX, TargetGroup.SICKNESS_BENEFIT,
                TargetGroup.INTEGRATION, TargetGroup.JOB_READY,
            ],
            "csr_threshold": 3,
            "certificate_validity_months": 12,
        },
    )
    retention, _ = Programme.objects.get_or_create(
        name="Fastholdelse af medarbejdere og understøttelse af rummelige virksomheder",
        defaults={
            "description": (
                "Styrket jobmatch i CSR-job (småjob) og systematisk opfølgning ½ og 2½ måned "
                "efter jobstart, så jobkandidaten fastholdes. Målet er, at 30 af 50 stadig er i "
                "job tre måneder efter start."
            ),
            "municipality": "Randers Kommune",
            "starts_on": dt.date(2021, 8, 1),
            "ends_on": dt.date(2022, 12, 31),
            "funder": "Socialfonden",
            "total_budget": Decimal("4200000.00"),
            "eu_support": Decimal("2100000.00"),
            "other_funding": Decimal("2100000.00"),
            "geography": "Randers Kommune",
            "target_groups": [TargetGroup.FLEX, TargetGroup.MENTALLY_VULNERABLE,
                              TargetGroup.DISABILITY],
            "partner_job_centres": "Jobcenter Randers",
            "csr_threshold": 3,
        },
    )
    today = timezone.localdate()
    current, _ = Programme.objects.get_or_create(
        name=CURRENT_PROGRAMME,
        defaults={
            "description": (
                "Det igangværende program: CSR-certificering af virksomheder, jobmatch i "
                "CSR-job og praktik og systematisk opfølgning ½ og 2½ måned efter jobstart."
            ),
            "municipality": "Randers Kommune",
            "starts_on": today - relativedelta(months=CURRENT_MONTHS_BEFORE),
            "ends_on": today + relativedelta(months=CURRENT_MONTHS_AFTER),
            "funder": "Socialfonden",
            "geography": "Randers Kommune",
            "target_groups": [TargetGroup.JOB_READY, TargetGroup.ACTIVITY_READY,
                              TargetGroup.FLEX, TargetGroup.MENTALLY_VULNERABLE],
            "partner_job_centres": "Jobcenter Randers",
            "csr_threshold": 3,
        },
    )
    for programme in (strategy, retention, current):
        programme.members.add(context.users["consultant"], context.users["consultant2"],
                              context.users["team_leader"])
    context.programmes["strategy"] = strategy
    context.programmes["retention"] = retention
    context.programmes["current"] = current


# The seeds' targets: (programme, metric, value, deadline, percentage of (metric, deadline)).
DEMO_TARGETS = [
    # "100 virksomheder ... ved udgangen af 2017 og yderligere 50 ved udgangen af 2018"
    ("strategy", "certified_companies", 100, dt.date(2017, 12, 31), None),
    ("strategy", "certified_companies", 150, dt.date(2018, 12, 31), None),
    # "en gruppe på 50 borgere"; "25 % af borgerne ... vil overgå til job dvs. 13 ud af de 50":
    # into *job* (education is its own metric), a percentage of the enrolment target.
    ("strategy", "citizens_enrolled", 50, dt.date(2018, 12, 31), None),
    ("strategy", "citizens_into_job", 25, dt.date(2018, 12, 31),
     ("citizens_enrolled", dt.date(2018, 12, 31))),
    # "praktikpladser ... forventes at være steget til omkring 900 ved udgangen af 2018"
    ("strategy", "internship_places_offered", 900, dt.date(2018, 12, 31), None),
    # "visiteres 50 ledige jobkandidater ind i projektet": enrolled citizens, not CSR-jobs.
    ("retention", "citizens_enrolled", 50, dt.date(2022, 12, 31), None),
    # "30 ud af de 50 ledige jobkandidater er fortsat i beskæftigelse tre måneder efter
    # jobopstart i CSR-job": distinct candidates retained at the 3-month closing.
    ("retention", "retained_at_3_months", 30, dt.date(2022, 12, 31), None),
]


def current_targets(programme: Programme) -> list[tuple]:
    """The current programme's targets, at its end: enrolments on track (the demo enrols
    20 citizens in its first year), certified companies behind (3 certified)."""
    return [("current", "citizens_enrolled", 30, programme.ends_on, None),
            ("current", "certified_companies", 20, programme.ends_on, None)]


def _seed_targets(context: DemoContext) -> None:
    """The seeds' targets and the current programme's. A target whose metric no app registers
    (yet) is skipped quietly."""
    from csrprogram import services
    from csrprogram.choices import TargetKind
    from csrprogram.metrics import registry
    from csrprogram.models import Target

    targets = DEMO_TARGETS + current_targets(context.programmes["current"])
    for programme_key, metric_key, value, deadline, percentage_of in targets:
        if metric_key not in registry:
            continue
        programme = context.programmes[programme_key]
        if Target.objects.filter(programme=programme, metric_key=metric_key,
                                 deadline=deadline).exists():
            continue
        reference = None
        if percentage_of is not None:
            reference = Target.objects.filter(programme=programme, metric_key=percentage_of[0],
                                              deadline=percentage_of[1]).first()
            if reference is None:
                continue
        services.target_create(
            programme=programme, actor=SYSTEM, metric_key=metric_key, value=value,
            deadline=deadline,
            kind=TargetKind.PERCENTAGE if reference else TargetKind.ABSOLUTE,
            reference=reference,
        )


def seed(context: DemoContext) -> None:
    _seed_users(context)
    _seed_programmes(context)
    _seed_targets(context)
