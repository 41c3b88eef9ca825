"""The benchmark's dataset: a municipality (or a pool of partner job centres) at scale.

Built with bulk inserts through the models, in a few minutes at LARGE. Everything is drawn
from one seeded random generator and dated relative to the day of the build, so two builds on
the same day are the same dataset. The shapes follow the product's workflows:

* programmes of partner job centres, each with targets on every registered metric; a
  consultant works in a few programmes, a team leader in one or two;
* companies with valid CVR numbers (modulus 11, checked with python-stdnum), a primary contact
  each, a user account for the contacts of the busiest companies; openings spread over the
  companies with a long tail (a few companies have hundreds of openings);
* CSR assessments of most companies with answers per criterion, certificates from the eligible
  ones (renewals supersede, a few are revoked), numbered gap-free per year;
* citizens with CPR numbers encrypted and indexed by the product's own ``Citizen.set_cpr``,
  enrolled in one or two programmes, with a participation consent;
* placements started from accepted candidacies (plus proposed, presented and declined ones),
  the ½- and 2½-month visits of each, and the state the follow-up sweep leaves behind: every
  closing, reminder and escalation that is due has been done, so a sweep right after the build
  has nothing to do (``bench.background`` makes work due on purpose).

To add rows for a new app, write a step ``def step_x(ctx: BuildContext) -> int`` (returning the
number of rows) and append it to ``STEPS``.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import io
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from faker import Faker
from stdnum.dk import cvr as stdnum_cvr

from certificates.models import Certificate, CertificateCounter
from citizens.choices import AccessAction, ConsentKind, EnrolmentStatus, ExitReason, JobCategory
from citizens.models import AccessLog, Citizen, Consent, Enrolment
from companies.choices import Language, SizeBand
from companies.models import (
    Company,
    ContactPerson,
    CsrAssessment,
    CsrAssessmentAnswer,
    CsrCriterion,
)
from csrprogram.choices import PercentageBasis, Role, TargetGroup, TargetKind
from csrprogram.metrics import registry
from csrprogram.models import Programme, Target, User
from followups.choices import MatchQuality, VisitKind, VisitStatus
from followups.models import CalendarFeed, Visit
from placements.choices import (
    CandidacyStatus,
    OpeningKind,
    OpeningSource,
    OpeningStatus,
    PlacementOutcome,
    PlacementStatus,
)
from placements.models import Candidacy, JobOpening, Placement

# The people the benchmark logs in as (one per role).
CONSULTANT_EMAIL = "konsulent@bench.example"
TEAM_LEADER_EMAIL = "teamleder@bench.example"
CONTACT_EMAIL = "kontakt@bench.example"
ADMIN_EMAIL = "admin@bench.example"


@dataclass(frozen=True)
class Size:
    name: str
    companies: int
    citizens: int
    openings: int
    placements: int  # two scheduled visits each
    programmes: int
    consultants: int
    team_leaders: int
    contact_users: int  # company contacts with a login (the busiest companies')
    access_log_entries: int  # on one citizen, for the access-log pages and export


SIZES = {
    "small": Size("small", companies=1_000, citizens=5_000, openings=2_000, placements=10_000,
                  programmes=4, consultants=20, team_leaders=4, contact_users=200,
                  access_log_entries=500),
    "large": Size("large", companies=10_000, citizens=50_000, openings=20_000,
                  placements=100_000, programmes=12, consultants=120, team_leaders=12,
                  contact_users=2_000, access_log_entries=5_000),
}

MUNICIPALITIES = [
    "Randers", "Favrskov", "Norddjurs", "Syddjurs", "Viborg", "Silkeborg", "Skanderborg",
    "Horsens", "Hedensted", "Vejle", "Herning", "Ikast-Brande", "Holstebro", "Skive",
    "Mariagerfjord", "Aarhus",
]
TOWNS = [
    ("8900", "Randers C"), ("8920", "Randers NV"), ("8930", "Randers NØ"), ("8940", "Randers SV"),
    ("8960", "Randers SØ"), ("8870", "Langå"), ("8950", "Ørsted"), ("8981", "Spentrup"),
    ("8850", "Bjerringbro"), ("8800", "Viborg"), ("8600", "Silkeborg"), ("8660", "Skanderborg"),
    ("8700", "Horsens"), ("8722", "Hedensted"), ("7100", "Vejle"), ("7400", "Herning"),
    ("7430", "Ikast"), ("7500", "Holstebro"), ("7800", "Skive"), ("9500", "Hobro"),
    ("8000", "Aarhus C"), ("8200", "Aarhus N"), ("8210", "Aarhus V"), ("8260", "Viby J"),
    ("8370", "Hadsten"), ("8382", "Hinnerup"), ("8450", "Hammel"), ("8500", "Grenaa"),
    ("8400", "Ebeltoft"), ("8410", "Rønde"),
]
INDUSTRIES = [
    "Detailhandel", "Industri", "Bygge og anlæg", "Hotel og restauration", "Transport",
    "Rengøring", "Landbrug", "Sundhed og omsorg", "Lager og logistik", "Kontor og service",
    "Engroshandel", "IT og kommunikation", "Frisør og skønhed", "Autobranchen",
]
TITLES = {
    JobCategory.RETAIL: ["Butiksassistent", "Kasseassistent", "Varepasser"],
    JobCategory.WAREHOUSE: ["Lagermedarbejder", "Pakkeriassistent", "Truckfører"],
    JobCategory.CLEANING: ["Rengøringsassistent", "Servicemedarbejder"],
    JobCategory.KITCHEN: ["Køkkenmedhjælper", "Opvasker", "Kantineassistent"],
    JobCategory.CARE: ["Omsorgsmedhjælper", "Praktisk hjælper"],
    JobCategory.OFFICE: ["Kontorassistent", "Receptionist"],
    JobCategory.CONSTRUCTION: ["Håndværkermedhjælper", "Arbejdsmand"],
    JobCategory.GARDENING: ["Gartnermedhjælper", "Anlægsgartnermedhjælper"],
    JobCategory.PRODUCTION: ["Produktionsmedarbejder", "Maskinpasser"],
    JobCategory.TRANSPORT: ["Chaufførmedhjælper", "Budchauffør"],
    JobCategory.HOSPITALITY: ["Tjenerelev", "Hotelassistent"],
    JobCategory.MAINTENANCE: ["Pedelmedhjælper", "Viceværtassistent"],
    JobCategory.IT: ["IT-supporter"],
    JobCategory.OTHER: ["Medhjælper"],
}
CRITERIA = [
    "Virksomheden tilbyder løbende praktikpladser",
    "Virksomheden engagerer sig i socialøkonomiske aktiviteter",
    "Virksomheden har en aktiv personalepolitik med plads til mangfoldighed",
    "Virksomheden tilbyder småjob (CSR-job) med få ugentlige timer",
    "Virksomheden har uddannede medarbejdermentorer",
    "Virksomheden tager hensyn til skånebehov",
    "Virksomheden har ansatte i fleksjob eller løntilskud",
    "Virksomheden samarbejder med jobcentret om rekruttering",
    "Virksomheden deltager i netværk om socialt ansvar",
    "Virksomheden tilbyder efterværn til nyansatte",
]
KIND_WEIGHTS = {OpeningKind.INTERNSHIP: 40, OpeningKind.CSR_JOB: 30,
                OpeningKind.WAGE_SUBSIDY: 12, OpeningKind.FLEX_JOB: 8,
                OpeningKind.ORDINARY_JOB: 10}
NEEDS = [
    "Kan ikke løfte tungt.", "Har brug for faste pauser.", "Skal have en fast kontaktperson.",
    "Kan ikke arbejde i støjende omgivelser.", "Starter med få timer og trapper op.",
]


@dataclass
class BuildContext:
    """What the steps share: the generator, the day, and the rows made so far (in memory)."""

    size: Size
    rng: random.Random
    faker: Faker
    today: dt.date
    groups: dict[str, Group] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)  # the logins, by role
    consultants: list[User] = field(default_factory=list)
    team_leaders: list[User] = field(default_factory=list)
    programmes: list[Programme] = field(default_factory=list)
    members: dict[int, list[User]] = field(default_factory=dict)  # programme pk → consultants
    companies: list[Company] = field(default_factory=list)  # busiest first
    company_weights: list[float] = field(default_factory=list)  # cumulative
    primary_contacts: dict[int, ContactPerson] = field(default_factory=dict)
    citizens: list[Citizen] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    openings: list[JobOpening] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def moment(self, day: dt.date) -> dt.datetime:
        """A time during office hours on ``day`` (Copenhagen)."""
        naive = dt.datetime.combine(day, dt.time(8 + self.rng.randint(0, 7),
                                                 self.rng.randint(0, 59)))
        return timezone.make_aware(naive)

    def company_pick(self) -> Company:
        """A company drawn with the long tail: the first companies get most openings."""
        point = self.rng.random() * self.company_weights[-1]
        return self.companies[bisect.bisect_left(self.company_weights, point)]


def _copy_value(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.date):  # datetimes too: isoformat keeps the offset
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def insert(model, rows: list, batch: int = 20_000) -> list:
    """Insert model instances with COPY through Django's connection; sets their primary keys.

    Much faster than ``bulk_create`` (which spends its time compiling the INSERT): the primary
    keys come from the table's own sequence, foreign keys from the related instances (inserted
    before); an ``auto_now_add`` field keeps the (historical) value set on the instance, or gets
    the current time.
    """
    if not rows:
        return rows
    opts = model._meta
    fields = opts.concrete_fields
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                       "FROM generate_series(1, %s)", [opts.db_table, opts.pk.column, len(rows)])
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        for start in range(0, len(rows), batch):
            buffer = io.StringIO()
            for row in rows[start:start + batch]:
                values = []
                for model_field in fields:
                    value = getattr(row, model_field.attname)
                    if value is None:
                        if model_field.is_relation and model_field.is_cached(row):
                            related = model_field.get_cached_value(row)
                            value = related.pk if related is not None else None
                        elif getattr(model_field, "auto_now_add", False) or \
                                getattr(model_field, "auto_now", False):
                            value = now
                    values.append(_copy_value(value))
                buffer.write("\t".join(values) + "\n")
            buffer.seek(0)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN", buffer)
    for row in rows:
        row._state.adding = False
        row._state.db = "default"
    return rows


def cvr_numbers(rng: random.Random, count: int) -> Iterator[str]:
    """Distinct CVR numbers that pass the modulus-11 check (python-stdnum validates each)."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    base = rng.randint(1_000_000, 2_000_000)
    made = 0
    while made < count:
        base += rng.randint(1, 40)
        digits = [int(d) for d in f"{base:07d}"]
        check = (-sum(d * w for d, w in zip(digits, weights, strict=True))) % 11
        if check == 10:
            continue
        number = f"{base:07d}{check}"
        stdnum_cvr.validate(number)
        made += 1
        yield number


def cpr_numbers(rng: random.Random, count: int) -> Iterator[str]:
    """Distinct CPR numbers of people born 1960–1999 (sequence digit 0–3: the 1900s)."""
    seen = set()
    first = dt.date(1960, 1, 1)
    while len(seen) < count:
        born = first + dt.timedelta(days=rng.randint(0, 365 * 40))
        number = f"{born:%d%m%y}{rng.randint(0, 3)}{rng.randint(0, 999):03d}"
        if number not in seen:
            seen.add(number)
            yield number


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(144).to_bytes(18, "big")).decode()


# --- The steps --------------------------------------------------------------------------------

def step_people_and_programmes(ctx: BuildContext) -> int:
    """The logins, consultants and team leaders, the programmes, their members and targets."""
    size, rng, faker = ctx.size, ctx.rng, ctx.faker
    ctx.groups = {role.value: Group.objects.get(name=role.value) for role in Role}

    def person(email: str, **extra) -> User:
        return User(email=email, first_name=faker.first_name(), last_name=faker.last_name(),
                    password="!", **extra)  # noqa: S106 (an unusable password)

    ctx.consultants = [person(CONSULTANT_EMAIL, job_title="Jobkonsulent")] + [
        person(f"konsulent{i}@bench.example", job_title="Virksomhedskonsulent")
        for i in range(1, size.consultants)]
    ctx.team_leaders = [person(TEAM_LEADER_EMAIL, job_title="Teamleder")] + [
        person(f"teamleder{i}@bench.example", job_title="Teamleder")
        for i in range(1, size.team_leaders)]
    admin = person(ADMIN_EMAIL, is_staff=True)
    insert(User, [*ctx.consultants, *ctx.team_leaders, admin])
    ctx.users = {Role.CONSULTANT.value: ctx.consultants[0],
                 Role.TEAM_LEADER.value: ctx.team_leaders[0],
                 Role.ADMINISTRATOR.value: admin}
    through = User.groups.through
    insert(through, [
        *(through(user_id=u.pk, group_id=ctx.groups[Role.CONSULTANT].pk) for u in ctx.consultants),
        *(through(user_id=u.pk, group_id=ctx.groups[Role.TEAM_LEADER].pk)
          for u in ctx.team_leaders),
        through(user_id=admin.pk, group_id=ctx.groups[Role.ADMINISTRATOR].pk),
    ])

    starts = dt.date(ctx.today.year - 5, 1, 1)
    ends = dt.date(ctx.today.year + 1, 12, 31)
    ctx.programmes = insert(Programme, [
        Programme(name=f"CSR-programmet {MUNICIPALITIES[i % len(MUNICIPALITIES)]} "
                       f"{starts.year}–{ends.year}" + (f" ({i + 1})" if i >= len(MUNICIPALITIES)
                                                       else ""),
                  municipality=f"{MUNICIPALITIES[i % len(MUNICIPALITIES)]} Kommune",
                  starts_on=starts, ends_on=ends, funder="Socialfonden",
                  target_groups=rng.sample(TargetGroup.values, 4),
                  description="Benchmark-data.")
        for i in range(size.programmes)])

    # The bench consultant works in the first three programmes; every other consultant in
    # two to four; each team leader in one or two (the bench team leader in the first).
    members = Programme.members.through
    rows = []
    ctx.members = {p.pk: [] for p in ctx.programmes}
    for index, consultant in enumerate(ctx.consultants):
        chosen = (ctx.programmes[:3] if index == 0
                  else rng.sample(ctx.programmes, min(rng.randint(2, 4), len(ctx.programmes))))
        for programme in chosen:
            ctx.members[programme.pk].append(consultant)
            rows.append(members(programme_id=programme.pk, user_id=consultant.pk))
    for index, leader in enumerate(ctx.team_leaders):
        chosen = [ctx.programmes[0]] if index == 0 else rng.sample(ctx.programmes, 2)
        rows += [members(programme_id=p.pk, user_id=leader.pk) for p in chosen]
    insert(members, rows)

    # Two cumulative milestones on every registered metric, and a percentage target.
    scale = size.placements // size.programmes // 10
    middle = starts + (ends - starts) / 2
    targets = [Target(programme=p, metric_key=metric.key, value=scale * (1 + k), deadline=day)
               for p in ctx.programmes for metric in registry.all()
               for k, day in enumerate((middle, ends))]
    insert(Target, targets)
    share = [Target(programme=t.programme, metric_key=t.metric_key, kind=TargetKind.PERCENTAGE,
                    value=25, reference=t, basis=PercentageBasis.ACTUAL,
                    deadline=t.deadline - dt.timedelta(days=1))
             for t in targets[::2 * len(registry.all())]]
    insert(Target, share)
    return len(ctx.consultants) + len(ctx.team_leaders) + 1 + len(ctx.programmes) + len(rows) \
        + len(targets) + len(share)


def step_companies(ctx: BuildContext) -> int:
    """Companies (busiest first), primary and secondary contacts, contacts' logins."""
    size, rng, faker = ctx.size, ctx.rng, ctx.faker
    companies = []
    for cvr in cvr_numbers(rng, size.companies):
        postcode, city = rng.choice(TOWNS)
        companies.append(Company(
            cvr=cvr, name=faker.company(), address=faker.street_address(), postcode=postcode,
            city=city, industry=rng.choice(INDUSTRIES), size_band=rng.choice(SizeBand.values),
            is_social_economy=rng.random() < 0.12,
            language=Language.ENGLISH if rng.random() < 0.05 else Language.DANISH))
    ctx.companies = insert(Company, companies)
    # A long tail: weight 1/(rank + 3)^1.1 gives the busiest company a few hundred openings
    # at LARGE and most companies one or none.
    ctx.company_weights = list(itertools.accumulate(1 / (rank + 3) ** 1.1
                                                    for rank in range(len(companies))))

    contact_users = [User(email=CONTACT_EMAIL, first_name="Karen", last_name="Kontakt",
                          password="!")]  # noqa: S106
    contact_users += [User(email=f"kontakt{i}@bench.example", first_name=faker.first_name(),
                           last_name=faker.last_name(), password="!")  # noqa: S106
                      for i in range(1, size.contact_users)]
    insert(User, contact_users)
    through = User.groups.through
    insert(through, [through(user_id=u.pk, group_id=ctx.groups[Role.COMPANY_CONTACT].pk)
                     for u in contact_users])
    ctx.users[Role.COMPANY_CONTACT.value] = contact_users[0]

    contacts = []
    for index, company in enumerate(ctx.companies):
        user = contact_users[index] if index < len(contact_users) else None
        contacts.append(ContactPerson(
            company=company, name=user.get_full_name() if user else faker.name(),
            job_title=rng.choice(["Direktør", "HR-chef", "Driftsleder", "Indehaver"]),
            email=user.email if user else f"kontakt{company.cvr}@virksomhed.example",
            phone=faker.phone_number(), is_primary=True, user=user))
        if rng.random() < 0.3:
            contacts.append(ContactPerson(company=company, name=faker.name(),
                                          job_title="Mester", phone=faker.phone_number()))
    insert(ContactPerson, contacts)
    ctx.primary_contacts = {c.company_id: c for c in contacts if c.is_primary}
    return len(companies) + len(contact_users) * 2 + len(contacts)


def step_certificates(ctx: BuildContext) -> int:
    """Criteria, assessments with their answers, certificates (renewed, revoked, expired)."""
    rng = ctx.rng
    criteria = list(CsrCriterion.objects.filter(is_active=True).order_by("order", "pk"))
    if not criteria:
        criteria = insert(CsrCriterion, [CsrCriterion(title_da=t, title_en=t, order=i)
                                         for i, t in enumerate(CRITERIA)])
    assessors = ctx.consultants
    assessments, plans = [], []
    for company in ctx.companies:
        if rng.random() > 0.6:
            continue
        programme = rng.choice(ctx.programmes)
        first = ctx.days_ago(60, 365 * 5 - 60)
        days = [first] + ([first + dt.timedelta(days=rng.randint(300, 420))]
                          if rng.random() < 0.25 else [])
        for day in days:
            if day >= ctx.today:
                continue
            met = rng.choices(range(1, 9), weights=(3, 6, 14, 18, 16, 12, 8, 4))[0]
            assessments.append(CsrAssessment(
                company=company, programme=programme, assessed_on=day,
                assessed_by=rng.choice(assessors), met_count=met, threshold=3,
                notes="Vurderet ved virksomhedsbesøg."))
            plans.append(rng.sample(range(len(criteria)), met))
    for assessment in assessments:
        assessment.created_at = ctx.moment(assessment.assessed_on)
    insert(CsrAssessment, assessments)
    answers = [CsrAssessmentAnswer(assessment=a, criterion=c, is_met=index in met,
                                   evidence="Dokumenteret ved besøget." if index in met else "")
               for a, met in zip(assessments, plans, strict=True)
               for index, c in enumerate(criteria)]
    insert(CsrAssessmentAnswer, answers)

    certificates = []
    for assessment in assessments:
        if not assessment.is_eligible:
            continue
        issued_on = min(assessment.assessed_on + dt.timedelta(days=rng.randint(0, 20)),
                        ctx.today)
        issued_at = ctx.moment(issued_on)
        valid_until = issued_on + relativedelta(months=12) - dt.timedelta(days=1)
        certificates.append(Certificate(
            company=assessment.company, programme=assessment.programme, assessment=assessment,
            issued_at=issued_at, issued_on=issued_on, issued_by=rng.choice(ctx.team_leaders),
            valid_from=issued_on, valid_until=valid_until, public_token=_token(rng),
            issue_email_sent_at=issued_at,
            reminder_sent_at=(ctx.moment(valid_until - dt.timedelta(days=30))
                              if valid_until - dt.timedelta(days=30) <= ctx.today else None)))
    certificates.sort(key=lambda c: (c.issued_at, c.company.pk))
    counters: dict[int, int] = defaultdict(int)
    current: dict[tuple[int, int], Certificate] = {}
    for certificate in certificates:
        year = certificate.issued_on.year
        counters[year] += 1
        certificate.year, certificate.sequence = year, counters[year]
        certificate.number = f"CSR-{year}-{counters[year]:04d}"
        key = (certificate.company.pk, certificate.programme.pk)
        previous = current.get(key)
        if previous is not None:
            previous.superseded_at = certificate.issued_at
            previous.renewal = certificate
        current[key] = certificate
    for certificate in current.values():
        if rng.random() < 0.03:
            certificate.revoked_at = ctx.moment(
                min(certificate.issued_on + dt.timedelta(days=rng.randint(10, 200)), ctx.today))
            certificate.revoked_by = rng.choice(ctx.team_leaders)
            certificate.revocation_reason = "Virksomheden opfylder ikke længere kriterierne."
    insert(Certificate, certificates)
    renewed = [c for c in certificates if getattr(c, "renewal", None) is not None]
    for certificate in renewed:
        certificate.superseded_by = certificate.renewal
    Certificate.objects.bulk_update(renewed, ["superseded_by"], batch_size=2_000)
    CertificateCounter.objects.bulk_create(
        [CertificateCounter(year=y, last_sequence=n) for y, n in counters.items()])
    return len(assessments) + len(answers) + len(certificates) + len(counters)


def step_citizens(ctx: BuildContext) -> int:
    """Citizens with encrypted, indexed CPR numbers (Citizen.set_cpr), and their enrolments."""
    size, rng, faker = ctx.size, ctx.rng, ctx.faker
    citizens = []
    categories = JobCategory.values
    for index, number in enumerate(cpr_numbers(rng, size.citizens)):
        postcode, city = rng.choice(TOWNS)
        programme = ctx.programmes[0] if index == 0 else rng.choice(ctx.programmes)
        consultant = (ctx.consultants[0] if index == 0
                      else rng.choice(ctx.members[programme.pk] or ctx.consultants))
        citizen = Citizen(
            name=f"{faker.first_name()} {faker.last_name()}", postcode=postcode, city=city,
            address=faker.street_address(), phone=faker.phone_number(),
            target_group=rng.choice(TargetGroup.values),
            wishes=[] if rng.random() < 0.1 else rng.sample(categories, rng.randint(1, 3)),
            accommodation_needs=rng.choice(NEEDS) if rng.random() < 0.25 else "",
            weekly_hours=37 if rng.random() < 0.6 else rng.randint(8, 32),
            competencies="Erfaring fra tidligere job; mødestabil.", consultant=consultant)
        citizen.set_cpr(number)  # the product's own validation, encryption and blind index
        citizen.first_programme = programme
        citizens.append(citizen)
    ctx.citizens = insert(Citizen, citizens)

    enrolments = []
    for citizen in citizens:
        programmes = [citizen.first_programme]
        if len(ctx.programmes) > 1 and rng.random() < 0.3:
            programmes.append(rng.choice([p for p in ctx.programmes
                                          if p is not citizen.first_programme]))
        for programme in programmes:
            enrolments.append(Enrolment(
                citizen=citizen, programme=programme,
                enrolled_on=max(programme.starts_on, ctx.days_ago(30, 365 * 5)),
                referring_consultant=citizen.consultant))
    ctx.enrolments = enrolments  # inserted with their final status by step_placements
    return len(citizens)


def step_openings(ctx: BuildContext) -> int:
    """Openings over the companies' long tail (positions and status settled later)."""
    rng = ctx.rng
    kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    openings = []
    for _ in range(ctx.size.openings):
        company = ctx.company_pick()
        programme = rng.choice(ctx.programmes)
        kind = rng.choices(kinds, weights)[0]
        category = rng.choice(list(TITLES))
        hours = rng.randint(5, 20) if kind == OpeningKind.CSR_JOB else rng.randint(15, 37)
        openings.append(JobOpening(
            programme=programme, company=company, kind=kind, title=rng.choice(TITLES[category]),
            job_category=category, tasks="Opgaverne aftales med nærmeste leder.",
            weekly_hours=hours, positions=1, can_accommodate=rng.random() < 0.4,
            source=rng.choice(OpeningSource.values),
            contact_person=ctx.primary_contacts.get(company.pk),
            registered_on=ctx.days_ago(0, 365 * 5 - 30),
            created_by=rng.choice(ctx.members[programme.pk] or ctx.consultants)))
    ctx.openings = openings  # inserted by step_placements, once positions are known
    return 0


@cache
def _schedule(start: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """(½-month due, 2½-month due, 3-month closing) with the programmes' default offsets."""
    from followups.schedule import closing_date, scheduled_due_dates

    offsets = Programme(first_followup_days=15, second_followup_months=2,
                        second_followup_days=15, retention_months=3)
    dues = scheduled_due_dates(start, offsets)
    return (dues[VisitKind.HALF_MONTH], dues[VisitKind.TWO_AND_HALF_MONTHS],
            closing_date(start, offsets))


def step_placements(ctx: BuildContext) -> int:
    """Placements from accepted candidacies, more candidacies, openings, enrolments, visits.

    Leaves the state a sweep would: closed at 3 months where due, visits done or reminded and
    escalated where due.
    """
    from followups.services import escalation_cutoff, reminder_window_end

    rng, today = ctx.rng, ctx.today
    active_since = today - dt.timedelta(days=150)
    by_programme: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in ctx.enrolments:
        by_programme[enrolment.programme.pk].append(enrolment)
    openings_by_programme: dict[int, list[JobOpening]] = defaultdict(list)
    for opening in ctx.openings:
        opening.positions_filled = 0
        if opening.registered_on < today - dt.timedelta(days=3):
            openings_by_programme[opening.programme.pk].append(opening)
    pairs: set[tuple[int, int]] = set()  # (opening id(), citizen pk): one candidacy each
    in_job: set[int] = set()  # citizens in an active placement
    placements, accepted = [], []
    while len(placements) < ctx.size.placements:
        programme = rng.choice(ctx.programmes)
        opening = rng.choice(openings_by_programme[programme.pk])
        enrolment = rng.choice(by_programme[programme.pk])
        citizen = enrolment.citizen
        if (id(opening), citizen.pk) in pairs:
            continue
        start = min(opening.registered_on + dt.timedelta(days=rng.randint(3, 90)),
                    today - dt.timedelta(days=1))
        active = start > active_since and citizen.pk not in in_job and rng.random() < 0.85
        pairs.add((id(opening), citizen.pk))
        enrolment.enrolled_on = max(programme.starts_on,
                                    min(enrolment.enrolled_on, start - dt.timedelta(days=14)))
        consultant = (citizen.consultant if citizen.consultant in ctx.members[programme.pk]
                      else rng.choice(ctx.members[programme.pk] or ctx.consultants))
        decided = start - dt.timedelta(days=rng.randint(1, 9))
        candidacy = Candidacy(
            opening=opening, citizen=citizen, status=CandidacyStatus.ACCEPTED,
            proposed_by=consultant, proposed_at=ctx.moment(decided - dt.timedelta(days=10)),
            motivation="Passer godt til opgaverne.", presented_on=decided - dt.timedelta(days=5),
            decided_on=decided, decided_by=consultant)
        placement = Placement(
            citizen=citizen, company=opening.company, opening=opening, candidacy=candidacy,
            programme=programme, kind=opening.kind, start_date=start,
            weekly_hours=min(opening.weekly_hours, 37), consultant=consultant,
            created_by=consultant,
            planned_end=start + dt.timedelta(days=rng.choice((91, 182, 365))))
        if active:
            in_job.add(citizen.pk)
        else:
            placement.status = PlacementStatus.ENDED
            placement.end_date = min(start + dt.timedelta(days=rng.randint(14, 300)),
                                     today - dt.timedelta(days=1))
            placement.outcome = rng.choices(
                PlacementOutcome.values, weights=(35, 10, 20, 20, 15))[0]
        half, two_and_half, closes = _schedule(start)
        if closes <= today:
            placement.closed_at = closes
            if placement.end_date and placement.end_date < closes:
                placement.retained = placement.outcome == PlacementOutcome.ORDINARY_JOB
            else:
                placement.retained = rng.random() < 0.8
        placement.dues = (half, two_and_half)
        opening.positions_filled += 1
        placements.append(placement)
        accepted.append(candidacy)

    # Openings: recent ones are open with a free place or two, older ones filled (or withdrawn
    # when nobody started).
    for opening in ctx.openings:
        if opening.registered_on > today - dt.timedelta(days=180):
            opening.status = OpeningStatus.OPEN
            opening.positions = opening.positions_filled + rng.randint(1, 2)
        elif opening.positions_filled:
            opening.status = OpeningStatus.FILLED
            opening.positions = opening.positions_filled
        else:
            opening.status = OpeningStatus.WITHDRAWN
    for opening in ctx.openings:
        opening.created_at = ctx.moment(opening.registered_on)
    insert(JobOpening, ctx.openings)

    # More candidacies: proposed and presented ones on open openings, declined on older ones.
    others = []
    for opening in ctx.openings:
        pool = by_programme[opening.programme.pk]
        count = rng.randint(0, 6) if opening.status == OpeningStatus.OPEN else rng.randint(0, 2)
        for _ in range(count):
            citizen = rng.choice(pool).citizen
            if (id(opening), citizen.pk) in pairs:
                continue
            pairs.add((id(opening), citizen.pk))
            proposed = min(opening.registered_on + dt.timedelta(days=rng.randint(1, 20)), today)
            status = (rng.choice((CandidacyStatus.PROPOSED, CandidacyStatus.PRESENTED))
                      if opening.status == OpeningStatus.OPEN else CandidacyStatus.DECLINED)
            consultant = rng.choice(ctx.members[opening.programme.pk] or ctx.consultants)
            others.append(Candidacy(
                opening=opening, citizen=citizen, status=status, proposed_by=consultant,
                proposed_at=ctx.moment(proposed), motivation="Har vist interesse for faget.",
                presented_on=proposed if status != CandidacyStatus.PROPOSED else None,
                decided_on=proposed if status == CandidacyStatus.DECLINED else None,
                decided_by=consultant if status == CandidacyStatus.DECLINED else None,
                decline_reason=("Virksomheden valgte en anden kandidat."
                                if status == CandidacyStatus.DECLINED else "")))
    insert(Candidacy, accepted)
    insert(Candidacy, others)
    for placement in placements:
        placement.created_at = ctx.moment(placement.start_date)
    insert(Placement, placements)
    ctx.placements = placements

    # Enrolments: in job while a placement runs; otherwise active, closed or dropped out.
    running = {(p.citizen.pk, p.programme.pk) for p in placements
               if p.status == PlacementStatus.ACTIVE}
    for enrolment in ctx.enrolments:
        if (enrolment.citizen.pk, enrolment.programme.pk) in running:
            enrolment.status = EnrolmentStatus.IN_JOB
            continue
        draw = rng.random()
        if draw < 0.55 or enrolment.enrolled_on >= today - dt.timedelta(days=30):
            continue
        enrolment.status = EnrolmentStatus.CLOSED if draw < 0.85 else EnrolmentStatus.DROPPED_OUT
        enrolment.exit_date = enrolment.enrolled_on + dt.timedelta(
            days=rng.randint(0, (today - enrolment.enrolled_on).days))
        enrolment.exit_reason = (rng.choice(ExitReason.values)
                                 if enrolment.status == EnrolmentStatus.CLOSED else "")
    for enrolment in ctx.enrolments:
        enrolment.created_at = ctx.moment(enrolment.enrolled_on)
    insert(Enrolment, ctx.enrolments)

    # Visits: done when past (a few overdue ones left open), cancelled after an early end,
    # planned ahead; reminded and escalated wherever that is due.
    window_end, cutoff = reminder_window_end(today), escalation_cutoff(today)
    visits = []
    for placement in placements:
        for kind, due in zip((VisitKind.HALF_MONTH, VisitKind.TWO_AND_HALF_MONTHS),
                             placement.dues, strict=True):
            visit = Visit(placement=placement, kind=kind, due_date=due)
            if placement.end_date and placement.end_date < due:
                visit.status = VisitStatus.CANCELLED
                visit.cancel_reason = "Forløbet er afsluttet"
            elif due < today and not (due > today - dt.timedelta(days=90)
                                      and rng.random() < 0.04):
                visit.status = VisitStatus.DONE
                visit.done_on = min(due + dt.timedelta(days=rng.randint(0, 4)), today)
                visit.match_quality = rng.choices(MatchQuality.values, weights=(70, 22, 8))[0]
                visit.met_whom = "Nærmeste leder og borgeren"
                visit.notes = "Det går godt. Aftalt at fortsætte som planlagt."
                visit.recorded_by = placement.consultant
            if visit.status == VisitStatus.PLANNED and placement.status == PlacementStatus.ACTIVE:
                if due <= window_end:
                    visit.reminded_at = ctx.moment(due - dt.timedelta(days=3))
                if due <= cutoff:
                    visit.escalated_at = ctx.moment(due + dt.timedelta(days=7))
            visits.append(visit)
    for visit in visits:
        visit.created_at = visit.placement.created_at
    insert(Visit, visits)
    return len(placements) * 2 + len(others) + len(ctx.openings) + len(ctx.enrolments) \
        + len(visits)


def step_records(ctx: BuildContext) -> int:
    """Consents, the access log (one citizen's is long), the consultant's calendar feed."""
    rng = ctx.rng
    first_enrolled: dict[int, dt.date] = {}
    for enrolment in ctx.enrolments:
        day = first_enrolled.get(enrolment.citizen.pk)
        if day is None or enrolment.enrolled_on < day:
            first_enrolled[enrolment.citizen.pk] = enrolment.enrolled_on
    consents = insert(Consent, [
        Consent(citizen=c, kind=ConsentKind.PARTICIPATION, given_on=first_enrolled[c.pk],
                recorded_by=c.consultant, recorded_at=ctx.moment(first_enrolled[c.pk]))
        for c in ctx.citizens])
    logs = [AccessLog(citizen=c, actor=c.consultant, action=AccessAction.CREATE,
                      purpose="Oprettelse af borger", at=ctx.moment(first_enrolled[c.pk]))
            for c in ctx.citizens]
    watched = ctx.citizens[0]
    staff = ctx.consultants + ctx.team_leaders
    logs += [AccessLog(citizen=watched, actor=rng.choice(staff), action=AccessAction.VIEW,
                       purpose="Visning af borgerside",
                       at=ctx.moment(ctx.days_ago(0, 900)))
             for _ in range(ctx.size.access_log_entries)]
    insert(AccessLog, logs)
    CalendarFeed.objects.create(user=ctx.consultants[0], token=_token(rng) + _token(rng))
    return len(consents) + len(logs) + 1


STEPS: list[Callable[[BuildContext], int]] = [
    step_people_and_programmes,
    step_companies,
    step_certificates,
    step_citizens,
    step_openings,
    step_placements,
    step_records,
]


def build(size: Size, *, seed: int, say: Callable[[str], None] = print) -> dict:
    """Insert the dataset; returns {step name: {"rows": n, "seconds": s}} and the total."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, reproducible by seed)
    faker = Faker("da_DK")
    faker.seed_instance(seed)
    ctx = BuildContext(size=size, rng=rng, faker=faker, today=timezone.localdate())
    steps = {}
    started = time.perf_counter()
    for step in STEPS:
        began = time.perf_counter()
        rows = step(ctx)
        seconds = time.perf_counter() - began
        name = step.__name__.removeprefix("step_")
        steps[name] = {"rows": rows, "seconds": round(seconds, 2)}
        say(f"  {name:<26} {rows:>9,} rows {seconds:>7.1f} s")
    began = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum does after bulk inserts by the time users come: statistics for the
        # planner, and the visibility map that lets an index-only scan skip the table.
        cursor.execute("VACUUM ANALYZE")
    steps["analyze"] = {"rows": 0, "seconds": round(time.perf_counter() - began, 2)}
    return {"steps": steps, "seconds": round(time.perf_counter() - started, 1),
            "today": ctx.today.isoformat()}
