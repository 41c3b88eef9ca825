"""A consultant records a follow-up visit from the work list, in real Chromium with axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from followups.choices import VisitKind, VisitStatus
from followups.models import Visit
from placements import services as placement_services
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_records_an_overdue_visit_from_the_work_list(live_server, page: Page):
    consultant = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                             roles=[Role.CONSULTANT])
    programme = ProgrammeFactory(name="Fastholdelse 2021-22", members=[consultant])
    today = timezone.localdate()
    start = today - dt.timedelta(days=25)
    citizen = CitizenFactory(name="Jens Jensen", consultant=consultant)
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=start)
    opening = JobOpeningFactory(programme=programme, company=CompanyFactory(name="Alfa Bageri"))
    placement = placement_services.candidacy_accept(
        candidacy=CandidacyFactory(opening=opening, citizen=citizen), actor=consultant,
        start_date=start)
    visit = placement.visits.get(kind=VisitKind.HALF_MONTH)

    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/opfoelgning/?period=overdue")
    expect(page.get_by_role("heading", name="Opfølgningsbesøg")).to_be_visible()
    row = page.get_by_role("row", name="Jens Jensen")
    expect(row.get_by_text("Overskredet")).to_be_visible()
    assert_accessible(page)

    row.get_by_role("link", name="Registrér").click()
    expect(page.get_by_role("heading", name="Registrér besøg")).to_be_visible()
    assert_accessible(page)
    # A date before the start is refused with a clear message.
    page.get_by_label("Besøgt den").fill((start - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Godt match").check()
    page.get_by_role("button", name="Gem besøget").click()
    # In the error summary (a link to the field) and at the field itself.
    expect(page.get_by_role("link", name="Besøgt den: Besøget kan ikke ligge før forløbets "
                                        "start")).to_be_visible()
    expect(page.locator("strong", has_text="Besøget kan ikke ligge før forløbets start")
           ).to_be_visible()

    page.get_by_label("Besøgt den").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_label("Hvem mødte du").fill("Lederen og Jens")
    page.get_by_label("Godt match").check()
    page.get_by_label("Aftalte handlinger").fill("Fast pause kl. 10.")
    page.get_by_role("button", name="Gem besøget").click()

    expect(page.get_by_text("Besøget er registreret.")).to_be_visible()
    expect(page.get_by_text("Fast pause kl. 10.")).to_be_visible()
    assert_accessible(page)
    visit.refresh_from_db()
    assert (visit.status, visit.met_whom) == (VisitStatus.DONE, "Lederen og Jens")
    assert Visit.objects.filter(placement=placement, status=VisitStatus.PLANNED).count() == 1
