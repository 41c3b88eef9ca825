"""Demo companies in and around Randers, with contacts; one is the demo contact's company.

Also the CSR criteria catalogue (ten criteria, the first three from the Randers programme
text) and an assessment of most companies in the 2017–18 programme.
"""

import datetime as dt
import random

from faker import Faker

from companies.choices import EvidenceSource, SizeBand
from companies.models import Company, ContactPerson, CsrCriterion
from companies.services import assessment_create
from csrprogram.demo import DemoContext, person_name, unique_company_name

RANDERS_AREA = [
    ("8900", "Randers C"), ("8920", "Randers NV"), ("8930", "Randers NØ"),
    ("8940", "Randers SV"), ("8960", "Randers SØ"), ("8870", "Langå"),
    ("8950", "Ørsted"), ("8981", "Spentrup"),
]
INDUSTRIES = [
    "Detailhandel", "Industri", "Bygge og anlæg", "Hotel og restauration", "Transport",
    "Rengøring", "Landbrug", "Sundhed og omsorg", "Lager og logistik", "Kontor og service",
]
DEMO_COMPANY_COUNT = 40
DEMO_CONTACT_COMPANY_CVR = "35487638"


def valid_cvr(rng) -> str:
    """A random CVR number that passes the modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(6)]
        check = (-sum(d * w for d, w in zip(digits, weights, strict=True))) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _company(context: DemoContext, cvr: str, name: str) -> Company:
    faker, rng = context.faker, context.rng
    # Draw every random value before looking the row up, so that a re-run draws the same
    # sequence whether or not the rows exist.
    postcode, city = rng.choice(RANDERS_AREA)
    name = unique_company_name(name, context.extra.setdefault("company_names", set()), city)
    contact = {
        "name": person_name(faker.name()),
        "job_title": rng.choice(["Direktør", "HR-chef", "Driftsleder", "Indehaver"]),
        "email": f"kontakt{cvr}@virksomhed.example",
        "phone": faker.phone_number(),
    }
    company, created = Company.objects.get_or_create(
        cvr=cvr,
        defaults={
            "name": name,
            "address": faker.street_address(),
            "postcode": postcode,
            "city": city,
            "industry": rng.choice(INDUSTRIES),
            "size_band": rng.choice(SizeBand.values),
            "is_social_economy": rng.random() < 0.15,
        },
    )
    if created:
        ContactPerson.objects.create(company=company, is_primary=True, **contact)
    return company


def seed(context: DemoContext) -> None:
    companies = [_company(context, DEMO_CONTACT_COMPANY_CVR, "Randers Rengøring & Service ApS")]
    for _ in range(DEMO_COMPANY_COUNT - 1):
        companies.append(_company(context, valid_cvr(context.rng), context.faker.company()))

    contact_user = context.users["company_contact"]
    demo_company = companies[0]
    if not ContactPerson.objects.filter(user=contact_user).exists():
        primary = demo_company.contacts.filter(is_primary=True).first()
        primary.name = contact_user.get_full_name()
        primary.email = contact_user.email
        primary.user = contact_user
        primary.save()
    context.extra["companies"] = companies
    criteria = _seed_criteria()
    context.extra["criteria"] = criteria
    _seed_assessments(context, companies, criteria)
    context.extra["register_companies"] = _seed_register(context, criteria)
    _seed_current(context, companies, criteria)


# The current programme's assessments: (position in the company list, days after the
# programme's start or, if negative, days before today, criteria met). Positions 7 and 8 are
# certified by certificates.demo (8's certificate expires within a month); 9 waits for a team
# leader to issue its certificate; 10 is not eligible.
CURRENT_ASSESSMENTS = [(7, 40, 5), (8, 14, 4), (9, -4, 4), (10, -20, 2), (11, 90, 6)]


def _seed_current(context: DemoContext, companies: list[Company],
                  criteria: list[CsrCriterion]) -> None:
    from django.utils import timezone

    programme = context.programmes["current"]
    today = timezone.localdate()
    consultant = context.users["consultant"]
    for position, days, met in CURRENT_ASSESSMENTS:
        company = companies[position]
        if company.assessments.filter(programme=programme).exists():
            continue
        assessed_on = (programme.starts_on + dt.timedelta(days=days) if days >= 0
                       else today + dt.timedelta(days=days))
        assessment_create(
            company=company, programme=programme, assessed_by=consultant,
            assessed_on=assessed_on,
            answers={criterion.pk: (index < met, EVIDENCE[index].format(n=2) if index < met
                                    else "")
                     for index, criterion in enumerate(criteria)},
        )


CRITERIA = [
    ("Virksomheden tilbyder løbende praktikpladser",
     "The company continuously offers internship places",
     "Virksomheden har jævnligt borgere i virksomhedspraktik og stiller pladser til rådighed "
     "igen, når et forløb slutter.",
     "The company regularly hosts citizens in internships and offers places again when one "
     "ends."),
    ("Virksomheden engagerer sig i socialøkonomiske aktiviteter",
     "The company engages in social-economy activities",
     "F.eks. samarbejde med eller støtte til socialøkonomiske virksomheder.",
     "For example cooperation with or support for social-economy enterprises."),
    ("Virksomheden har en aktiv personalepolitik med plads til mangfoldighed",
     "The company has an active HR policy with room for diversity",
     "Personalepolitikken beskriver, hvordan virksomheden rummer medarbejdere med forskellig "
     "baggrund og arbejdsevne.",
     "The HR policy describes how the company includes employees of different backgrounds "
     "and working capacity."),
    ("Virksomheden tilbyder småjob (CSR-job) med få ugentlige timer",
     "The company offers small jobs (CSR jobs) with few weekly hours",
     "Ansættelser på 1–37 timer om ugen til borgere på kanten af arbejdsmarkedet.",
     "Jobs of 1–37 hours a week for citizens on the edge of the labour market."),
    ("Virksomheden har uddannede medarbejdermentorer",
     "The company has trained employee mentors",
     "Medarbejdere, der er uddannet til at tage imod og støtte nye kolleger.",
     "Employees trained to receive and support new colleagues."),
    ("Virksomheden tager hensyn til skånebehov",
     "The company accommodates special needs",
     "Fleksibilitet i arbejdstid, opgaver og tempo.",
     "Flexibility in working hours, tasks and pace."),
    ("Virksomheden har ansatte i fleksjob eller løntilskud",
     "The company employs people in flex jobs or with wage subsidy",
     "", ""),
    ("Virksomheden samarbejder med jobcentret om rekruttering",
     "The company works with the job centre on recruitment",
     "F.eks. via \"Spot et job\" eller faste aftaler om jobåbninger.",
     "For example through \"Spot a job\" or standing agreements about openings."),
    ("Virksomheden deltager i netværk og arrangementer om socialt ansvar",
     "The company takes part in networks and events on social responsibility",
     "F.eks. Task Force, Dialogforum eller Ledermentor.",
     "For example Task Force, Dialogue Forum or Leader Mentor."),
    ("Virksomheden fastholder medarbejdere ved sygdom eller nedsat arbejdsevne",
     "The company retains employees during illness or reduced working capacity",
     "", ""),
]

EVIDENCE = [
    "Har haft {n} borgere i praktik det seneste år.",
    "Samarbejder med en lokal socialøkonomisk virksomhed om {n} opgaver.",
    "Personalepolitikken er gennemgået på mødet; mangfoldighed er et fast punkt.",
    "Tilbyder {n} småjob på 8–15 timer om ugen.",
    "{n} medarbejdere har gennemført mentoruddannelsen.",
    "Tilpasser arbejdstid og opgaver efter aftale med jobkonsulenten.",
    "Har {n} ansatte i fleksjob.",
    "Har meldt jobåbninger ind via \"Spot et job\".",
    "Deltog i Dialogforum.",
    "Har en fastholdelsespolitik og bruger delvis raskmelding.",
]

# Demo CVR numbers are drawn at random; these positions in the company list get a special
# story: never assessed, assessed but not eligible, and certificates revoked later.
NOT_ASSESSED = {37, 38, 39}
NOT_ELIGIBLE = {34, 35, 36}
PROGRAMME_START = dt.date(2017, 6, 19)
ISSUE_WINDOW_DAYS = (dt.date(2018, 11, 30) - dt.date(2017, 6, 26)).days


# The criterion that trained employee mentors answer by themselves in a new assessment.
EVIDENCE_SOURCES = {"Virksomheden har uddannede medarbejdermentorer": EvidenceSource.MENTORS}


def _seed_criteria() -> list[CsrCriterion]:
    criteria = []
    for order, (title_da, title_en, description_da, description_en) in enumerate(CRITERIA, 1):
        criterion, _created = CsrCriterion.objects.get_or_create(
            title_da=title_da,
            defaults={"title_en": title_en, "description_da": description_da,
                      "description_en": description_en, "order": order},
        )
        source = EVIDENCE_SOURCES.get(title_da, "")
        if (source and not criterion.evidence_source
                and not CsrCriterion.objects.filter(evidence_source=source).exists()):
            criterion.evidence_source = source
            criterion.save(update_fields=["evidence_source"])
        criteria.append(criterion)
    return criteria


def _demo_assessment_date(index: int, rng) -> dt.date:
    # Spread over the programme, front-loaded: the programme aimed at 100 by the end of 2017.
    fraction = (index / DEMO_COMPANY_COUNT) ** 1.6
    offset = int(fraction * ISSUE_WINDOW_DAYS) + rng.randint(0, 6)
    return dt.date(2017, 6, 19) + dt.timedelta(days=offset)


def _seed_assessments(context: DemoContext, companies: list[Company],
                      criteria: list[CsrCriterion]) -> None:
    programme = context.programmes["strategy"]
    consultants = [context.users["consultant"], context.users["consultant2"]]
    plans = []
    for index, _company_row in enumerate(companies):
        # Draw every random value first, whatever the database holds (see _company).
        assessed_on = _demo_assessment_date(index, context.rng)
        met_count = (context.rng.randint(1, 2) if index in NOT_ELIGIBLE
                     else context.rng.randint(3, 7))
        met = set(context.rng.sample(range(len(criteria)), met_count))
        numbers = [context.rng.randint(1, 6) for _ in criteria]
        consultant = context.rng.choice(consultants)
        plans.append((assessed_on, met, numbers, consultant))
    for index, company in enumerate(companies):
        assessed_on, met, numbers, consultant = plans[index]
        if index in NOT_ASSESSED or company.assessments.filter(programme=programme).exists():
            continue
        assessment_create(
            company=company, programme=programme, assessed_by=consultant,
            assessed_on=assessed_on,
            answers={
                criterion.pk: (position in met,
                               EVIDENCE[position].format(n=numbers[position])
                               if position in met else "")
                for position, criterion in enumerate(criteria)
            },
        )


# The programme's figures: 100 companies certified by the end of 2017 and 150 by the end of
# 2018. The 40 companies above tell the detailed stories; this larger register of companies,
# each assessed once, brings the certificate count up to the programme's figures. It draws from
# its own random generators so the shared ones (and the other apps' demo data) are unaffected.
REGISTER_2017 = 81
REGISTER_2018 = 37


def _spread(start: dt.date, end: dt.date, count: int, index: int) -> dt.date:
    return start + dt.timedelta(days=(end - start).days * index // max(count - 1, 1))


def _seed_register(context: DemoContext, criteria: list[CsrCriterion]) -> list[Company]:
    rng = random.Random(2018)
    faker = Faker("da_DK")
    faker.seed_instance(2018)
    programme = context.programmes["strategy"]
    consultants = [context.users["consultant"], context.users["consultant2"]]
    dates = ([_spread(dt.date(2017, 6, 22), dt.date(2017, 12, 12), REGISTER_2017, i)
              for i in range(REGISTER_2017)]
             + [_spread(dt.date(2018, 1, 4), dt.date(2018, 12, 6), REGISTER_2018, i)
                for i in range(REGISTER_2018)])
    taken = set(Company.objects.values_list("cvr", flat=True))
    register = []
    for assessed_on in dates:
        cvr = valid_cvr(rng)
        name = faker.company()
        postcode, city = rng.choice(RANDERS_AREA)
        industry = rng.choice(INDUSTRIES)
        size_band = rng.choice(SizeBand.values)
        met = set(rng.sample(range(len(criteria)), rng.randint(3, 6)))
        consultant = rng.choice(consultants)
        contact_name = person_name(faker.name())
        name = unique_company_name(name, context.extra.setdefault("company_names", set()),
                                   city)
        if cvr in taken and not Company.objects.filter(cvr=cvr, name=name).exists():
            continue  # a clash with another demo company's random CVR: skip this one
        company, created = Company.objects.get_or_create(
            cvr=cvr, defaults={"name": name, "postcode": postcode, "city": city,
                               "industry": industry, "size_band": size_band},
        )
        taken.add(cvr)
        if created:
            ContactPerson.objects.create(company=company, name=contact_name, is_primary=True,
                                         email=f"kontakt{cvr}@virksomhed.example")
        if not company.assessments.filter(programme=programme).exists():
            assessment_create(
                company=company, programme=programme, assessed_by=consultant,
                assessed_on=assessed_on,
                answers={c.pk: (i in met, EVIDENCE[i].format(n=2) if i in met else "")
                         for i, c in enumerate(criteria)},
            )
        register.append(company)
    return register
