"""Demo citizens: 50 in each Randers programme, enrolled over the programme's first year, and
20 in the current programme, enrolled over its first ten months.

Uses its own seeded random generators, so the rows are the same on every run and a re-run
(which finds the first demo citizen and stops) leaves the shared generators untouched.
"""

import datetime as dt
import random

from faker import Faker

from citizens import cpr as cpr_tools
from citizens.choices import ConsentKind, JobCategory
from citizens.models import Citizen
from citizens.services import citizen_create, consent_record
from csrprogram.choices import TargetGroup
from csrprogram.demo import DemoContext, person_name

CITIZENS_PER_PROGRAMME = 50
COMPETENCIES = [
    "Erfaring fra lager og pakning. Truckcertifikat.",
    "Har arbejdet i køkken og kantine. Hygiejnebevis.",
    "Rengøringserfaring fra hotel. Stabil og grundig.",
    "Butikserfaring og god til kunder.",
    "Gartnerlærling i to år. Glad for udendørs arbejde.",
    "Kontorerfaring, Word og Excel. Taler dansk, engelsk og arabisk.",
    "Håndværkerbaggrund (maler). Kørekort B.",
    "Plejehjemserfaring som afløser.",
]
NEEDS = [
    "", "", "", "Kan ikke løfte over 10 kg.", "Har brug for faste pauser.",
    "Korte arbejdsdage i starten (3–4 timer).", "Skal have rolige omgivelser.",
]
HOURS = [10, 12, 15, 15, 20, 20, 25, 30, 37]


def _cpr(rng: random.Random, used: set[str]) -> str:
    while True:
        birth = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 38))
        serial = rng.randint(0, 3999)  # 0–3999: born in the 1900s by the century rule
        number = f"{birth:%d%m%y}{serial:04d}"
        if number not in used:
            used.add(number)
            return number


def seed(context: DemoContext) -> None:
    rng = random.Random(20174)
    faker = Faker("da_DK")
    faker.seed_instance(20174)
    used: set[str] = set()
    plans = []
    for key in ("strategy", "retention"):
        programme = context.programmes[key]
        groups = programme.target_groups or [TargetGroup.ACTIVITY_READY]
        for index in range(CITIZENS_PER_PROGRAMME):
            consultant = context.users["consultant" if index % 2 else "consultant2"]
            enrolled_on = programme.starts_on + dt.timedelta(days=rng.randint(0, 330))
            plans.append((programme, consultant, enrolled_on, _cpr(rng, used), {
                "name": person_name(faker.name()),
                "phone": faker.phone_number(),
                "email": f"borger{len(plans)}@borger.example",
                "target_group": rng.choice(groups),
                "competencies": rng.choice(COMPETENCIES),
                "wishes": rng.sample(JobCategory.values[:-1], k=rng.randint(1, 3)),
                "accommodation_needs": rng.choice(NEEDS),
                "weekly_hours": rng.choice(HOURS),
                "consultant": consultant,
            }, rng.random() < 0.2))
    first_cpr = plans[0][3]
    if Citizen.objects.filter(cpr_index=cpr_tools.cpr_index(first_cpr)).exists():
        context.extra["citizens"] = list(Citizen.objects.order_by("pk"))
        _seed_current(context, used)
        return
    citizens = []
    for programme, consultant, enrolled_on, number, data, case_story in plans:
        citizen = citizen_create(actor=consultant, cpr=number, data=data,
                                 programme=programme, enrolled_on=enrolled_on)
        consent_record(citizen=citizen, kind=ConsentKind.PARTICIPATION, given_on=enrolled_on,
                       actor=consultant)
        # Sharing the profile with employers: given at the first meeting, before the
        # enrolment, so every demo presentation (some dated before it) is covered.
        consent_record(citizen=citizen, kind=ConsentKind.EMPLOYER_SHARING,
                       given_on=enrolled_on - dt.timedelta(days=30), actor=consultant)
        if case_story:
            consent_record(citizen=citizen, kind=ConsentKind.CASE_STORY,
                           given_on=enrolled_on + dt.timedelta(days=30), actor=consultant)
        citizens.append(citizen)
    context.extra["citizens"] = citizens
    _seed_current(context, used)


CURRENT_CITIZENS = 20


def _seed_current(context: DemoContext, used: set[str]) -> None:
    """The current programme's citizens, enrolled between its start and ten months later.
    Own generators; a re-run finds the first of them and stops."""
    rng = random.Random(2026)
    faker = Faker("da_DK")
    faker.seed_instance(2026)
    programme = context.programmes["current"]
    groups = programme.target_groups or [TargetGroup.ACTIVITY_READY]
    plans = []
    for index in range(CURRENT_CITIZENS):
        consultant = context.users["consultant" if index % 3 else "consultant2"]
        enrolled_on = programme.starts_on + dt.timedelta(days=5 + index * 15
                                                         + rng.randint(0, 10))
        plans.append((consultant, enrolled_on, _cpr(rng, used), {
            "name": person_name(faker.name()),
            "phone": faker.phone_number(),
            "email": f"borger-nu{index}@borger.example",
            "target_group": rng.choice(groups),
            "competencies": rng.choice(COMPETENCIES),
            "wishes": rng.sample(JobCategory.values[:-1], k=rng.randint(1, 3)),
            "accommodation_needs": rng.choice(NEEDS),
            "weekly_hours": rng.choice(HOURS),
            "consultant": consultant,
        }))
    if Citizen.objects.filter(cpr_index=cpr_tools.cpr_index(plans[0][2])).exists():
        return
    for consultant, enrolled_on, number, data in plans:
        citizen = citizen_create(actor=consultant, cpr=number, data=data,
                                 programme=programme, enrolled_on=enrolled_on)
        consent_record(citizen=citizen, kind=ConsentKind.PARTICIPATION, given_on=enrolled_on,
                       actor=consultant)
        consent_record(citizen=citizen, kind=ConsentKind.EMPLOYER_SHARING,
                       given_on=enrolled_on, actor=consultant)
