"""Demo companies in and around Randers, with contacts; one is the demo contact's company."""

from companies.choices import SizeBand
from companies.models import Company, ContactPerson
from csrprogram.demo import DemoContext

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
    contact = {
        "name": faker.name(),
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
