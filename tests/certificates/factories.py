import datetime as dt
from zoneinfo import ZoneInfo

from certificates.models import Certificate
from certificates.services import certificate_issue
from tests.companies.factories import CompanyFactory, ContactPersonFactory, assessment

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def certificate(*, programme, leader, consultant, company=None, issued_at=None, met=3,
                queue_pdf=False, with_contact=True) -> Certificate:
    """A certificate issued through the service from a fresh eligible assessment."""
    company = company or CompanyFactory()
    if with_contact and not company.contacts.filter(is_primary=True).exists():
        ContactPersonFactory(company=company, is_primary=True,
                             email=f"primary{company.pk}@virksomhed.example")
    issued_at = issued_at or at(2017, 9, 1)
    found = assessment(company=company, programme=programme, by=consultant, met=met,
                       assessed_on=issued_at.astimezone(COPENHAGEN).date() - dt.timedelta(days=1))
    return certificate_issue(assessment=found, actor=leader, issued_at=issued_at,
                             queue_pdf=queue_pdf)
