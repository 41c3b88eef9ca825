import datetime as dt
import hashlib

from django.utils import timezone

from companies.models import ContactInvitation
from tests.companies.factories import CompanyFactory, ContactPersonFactory, assessment
from tests.permission_matrix import LOGIN, Expect


def ensure_assessments(world: dict) -> None:
    """An eligible assessment of each company (shared with the certificates' rows)."""
    if "assessment_own" in world:
        return
    world["assessment_own"] = assessment(
        company=world["company_own"], programme=world["programme"],
        by=world["consultant"], met=3, assessed_on=dt.date(2017, 8, 1))
    world["assessment_other"] = assessment(
        company=world["company_other"], programme=world["programme"],
        by=world["consultant"], met=3, assessed_on=dt.date(2017, 8, 1))
    world["criterion"] = world["assessment_own"].answers.first().criterion


def build_world(world: dict) -> None:
    ensure_assessments(world)
    # The contact of the own company is also the contact of a second company (a chain): the
    # rows below must hold for a contact of several companies, who never reaches the other.
    world["company_second"] = CompanyFactory(name="Alfa Bageri Vest ApS")
    ContactPersonFactory(company=world["company_second"], user=world["contact_own"],
                         name="Carol Alfa")
    world["invitation_token"] = "matrix-invitation-token"
    ContactInvitation.objects.create(
        contact=ContactPersonFactory(company=world["company_own"], name="Ny Kontakt",
                                     email="ny@alfa.example"),
        email="ny@alfa.example", token_hash=hashlib.sha256(b"matrix-invitation-token")
        .hexdigest(), expires_at=timezone.now() + dt.timedelta(days=7))


STAFF_ONLY = {"anonymous": LOGIN, "contact_own": 403, "contact_other": 403, "consultant": 200,
              "team_leader": 200,
    "administrator": 200}
EDITORS = {**STAFF_ONLY, "team_leader": 403}
LEADERS = {**STAFF_ONLY, "consultant": 403}


def _company(w):
    return {"pk": w["company_own"].pk}


EXPECTATIONS = {
    "companies:company-list": Expect(**STAFF_ONLY),
    "companies:company-autocomplete": Expect(**STAFF_ONLY),
    "companies:company-create": Expect(**EDITORS),
    "companies:company-import": Expect(**EDITORS),
    "companies:company-detail": Expect(**STAFF_ONLY, kwargs=_company),
    "companies:company-update": Expect(**EDITORS, kwargs=_company),
    # Only consultants assess companies.
    "companies:assessment-create": Expect(**{**EDITORS, "administrator": 403}, kwargs=_company),
    "companies:assessment-detail": Expect(**STAFF_ONLY,
                                          kwargs=lambda w: {"pk": w["assessment_own"].pk}),
    "companies:criterion-list": Expect(**STAFF_ONLY),
    "companies:criterion-create": Expect(**LEADERS),
    "companies:criterion-update": Expect(**LEADERS,
                                         kwargs=lambda w: {"pk": w["criterion"].pk}),
    # The portal is the company contact's own page; staff have the company register instead.
    "companies:portal": Expect(anonymous=LOGIN, contact_own=200, contact_other=200,
                               consultant=403, team_leader=403, administrator=403),
    # Portal access (issue 12): consultants and administrators invite and revoke.
    "companies:contact-invite": Expect(**EDITORS, kwargs=_company),
    "companies:contact-access-revoke": Expect(
        **{**EDITORS, "consultant": 302, "administrator": 302}, method="post",
        kwargs=lambda w: {"pk": w["company_own"].pk,
                          "contact_pk": w["contact_own"].company_contacts.get(
                              company=w["company_own"]).pk}),
    # The emailed link is public; a logged-in visitor is told what to do.
    "companies:invitation-accept": Expect(
        anonymous=200, contact_own=200, contact_other=200, consultant=200, team_leader=200,
        administrator=200, kwargs=lambda w: {"token": w["invitation_token"]}),
    # A contact switches only to a company they are the contact of (carol: her second one).
    "companies:company-switch": Expect(
        anonymous=LOGIN, contact_own=302, contact_other=404, consultant=403, team_leader=403,
        administrator=403, method="post",
        data=lambda w: {"company": w["company_second"].pk}),
}
