"""Demo certificates: most assessed companies certified in the 2017–18 programme.

Issue dates follow the assessments, spread over 2017–2018 so the dashboard shows a trend. Two
certificates are revoked; the 2017–18 certificates have since expired, so a few companies
(the demo contact's company among them) were reassessed and renewed recently and hold a valid
certificate today. PDFs are not rendered here: they are rendered on demand when downloaded.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_revoke
from companies.models import CsrAssessment
from companies.services import assessment_create
from csrprogram.demo import DemoContext

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
REVOKED = {
    5: "Virksomheden har ikke haft praktikanter i over et år og opfylder ikke længere "
       "kriteriet om løbende praktikpladser.",
    17: "Virksomheden er gået konkurs.",
}
RENEWED_RECENTLY = {0, 1, 2, 3, 4, 6}


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=COPENHAGEN)


def seed(context: DemoContext) -> None:
    programme = context.programmes["strategy"]
    team_leader = context.users["team_leader"]
    companies = context.extra["companies"]
    criteria = context.extra["criteria"]
    today = timezone.localdate()
    plans = [(context.rng.randint(2, 20), context.rng.randint(120, 200),
              context.rng.randint(20, 60), context.rng.randint(1, 10))
             for _ in companies]

    _seed_register(context)
    for index, company in enumerate(companies):
        issue_delay, revoke_after, reassessed_ago, renew_delay = plans[index]
        assessments = list(CsrAssessment.objects.filter(company=company, programme=programme)
                           .order_by("pk"))
        if not assessments or Certificate.objects.filter(company=company,
                                                         programme=programme).exists():
            continue
        first = assessments[0]
        if not first.is_eligible:
            continue
        issued_on = min(first.assessed_on + dt.timedelta(days=issue_delay),
                        dt.date(2018, 12, 20))
        certificate = certificate_issue(assessment=first, actor=team_leader,
                                        issued_at=_at(issued_on), history=True)
        # The email about the issue belongs to history; do not send it now.
        Certificate.objects.filter(pk=certificate.pk).update(
            issue_email_sent_at=certificate.issued_at,
            reminder_sent_at=_at(certificate.valid_until - dt.timedelta(days=30)))
        if index in REVOKED:
            certificate_revoke(certificate=certificate, actor=team_leader,
                               reason=REVOKED[index],
                               revoked_at=_at(issued_on + dt.timedelta(days=revoke_after)))
            continue
        if index in RENEWED_RECENTLY:
            reassessed_on = today - dt.timedelta(days=reassessed_ago)
            renewal = assessment_create(
                company=company, programme=programme, assessed_by=first.assessed_by,
                assessed_on=reassessed_on,
                answers={c.pk: (position < 5, "Bekræftet ved genvurdering." if position < 5
                                else "") for position, c in enumerate(criteria)},
                notes="Genvurdering ved fornyelse af certifikatet.",
            )
            renewed_on = min(reassessed_on + dt.timedelta(days=renew_delay), today)
            renewed = certificate_issue(assessment=renewal, actor=team_leader,
                                        issued_at=_at(renewed_on, 9), history=True)
            Certificate.objects.filter(pk=renewed.pk).update(
                issue_email_sent_at=renewed.issued_at)
    _seed_current(context)


# The current programme's certificates: (position in the company list, days from the
# assessment to the issue). Position 8's, issued two weeks into the programme, expires within
# the next month (the team leader's queue); position 9's assessment waits for its certificate.
CURRENT_CERTIFICATES = [(7, 3), (8, 0), (11, 5)]


def _seed_current(context: DemoContext) -> None:
    programme = context.programmes["current"]
    team_leader = context.users["team_leader"]
    companies = context.extra["companies"]
    for position, delay in CURRENT_CERTIFICATES:
        company = companies[position]
        found = (CsrAssessment.objects.filter(company=company, programme=programme)
                 .order_by("pk").first())
        if (found is None or not found.is_eligible
                or Certificate.objects.filter(company=company, programme=programme).exists()):
            continue
        certificate = certificate_issue(
            assessment=found, actor=team_leader,
            issued_at=_at(found.assessed_on + dt.timedelta(days=delay)), history=True)
        Certificate.objects.filter(pk=certificate.pk).update(
            issue_email_sent_at=certificate.issued_at)


def _seed_register(context: DemoContext) -> None:
    """Certify the larger register of companies (see companies.demo), a few days after their
    assessment; their certificates have expired by now."""
    programme = context.programmes["strategy"]
    team_leader = context.users["team_leader"]
    for company in context.extra["register_companies"]:
        if Certificate.objects.filter(company=company, programme=programme).exists():
            continue
        found = (CsrAssessment.objects.filter(company=company, programme=programme)
                 .order_by("pk").first())
        if found is None or not found.is_eligible:
            continue
        issued_on = found.assessed_on + dt.timedelta(days=company.pk % 7 + 1)
        certificate = certificate_issue(assessment=found, actor=team_leader,
                                        issued_at=_at(issued_on, 11), history=True)
        Certificate.objects.filter(pk=certificate.pk).update(
            issue_email_sent_at=certificate.issued_at,
            reminder_sent_at=_at(certificate.valid_until - dt.timedelta(days=30)))
