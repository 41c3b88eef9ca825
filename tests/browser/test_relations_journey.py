"""The company relationship's journey: a consultant creates an event, invites a company, spots
three jobs on a phone-sized screen; an opening becomes a placement; the team leader's
dashboard counts it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from placements import services as placements
from placements.models import JobOpening
from relations.models import SpottedOpening
from tests.browser.helpers import log_out
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.citizens.factories import EnrolmentFactory
from tests.companies.factories import CompanyFactory, ContactPersonFactory
from tests.csrprogram.factories import ProgrammeFactory, TargetFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = "/tmp/i15-relations"


def test_event_invite_spot_three_jobs_place_one_and_the_dashboard_counts_it(
        live_server, page: Page):
    consultant = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                             last_name="Kjær", roles=[Role.CONSULTANT])
    leader = UserFactory(email="hanne@jobcenter.example", roles=[Role.TEAM_LEADER])
    today = timezone.localdate()
    programme = ProgrammeFactory(name="CSR Strategi", members=[consultant, leader],
                                 starts_on=today - dt.timedelta(days=100),
                                 ends_on=today + dt.timedelta(days=400))
    TargetFactory(programme=programme, metric_key="spotted_openings_filled", value=5,
                  deadline=today + dt.timedelta(days=200))
    company = CompanyFactory(name="Alfa Bageri ApS")
    ContactPersonFactory(company=company, name="Carol Alfa", email="carol@alfa.example",
                         is_primary=True)
    second = CompanyFactory(name="Beta Byg A/S")

    log_in(page, live_server.url, consultant.email)
    page.get_by_role("link", name="Arrangementer").first.click()
    page.get_by_role("link", name="Opret arrangement").click()
    page.get_by_label("Titel").fill("Morgenmøde: Spot et job")
    page.get_by_label("Type").select_option("breakfast_meeting")
    page.get_by_label("Program").select_option(label="CSR Strategi")
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_label("Starter kl.").fill("08:00")
    page.get_by_label("Slutter kl.").fill("10:00")
    page.get_by_label("Sted").fill("Randers Stadion")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Arrangementet er oprettet.")).to_be_visible()

    page.get_by_role("link", name="Invitér virksomheder").click()
    page.get_by_label("Eller CVR-nummer").fill(f"DK {company.cvr}")
    assert_accessible(page)
    page.get_by_role("button", name="Invitér").click()
    expect(page.get_by_role("table", name="Inviterede virksomheder")).to_contain_text(
        "Alfa Bageri ApS")

    # Three jobs on the "Spot et job" sheet, on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Spot et job").click()
    for index, (name, title, hours) in enumerate([
            ("Alfa Bageri ApS", "Bagermedhjælper", "10"),
            ("Alfa Bageri ApS", "Opvasker", "8"),
            ("Beta Byg A/S", "Pedelmedhjælper", "12")]):
        page.locator(f"#id_spot-{index}-company").select_option(label=name)
        page.locator(f"#id_spot-{index}-title").fill(title)
        page.locator(f"#id_spot-{index}-weekly_hours").fill(hours)
        page.locator(f"#id_spot-{index}-job_category").select_option("kitchen")
    page.screenshot(path=f"{SCREENSHOTS}-spot-390.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the sheet is {width} px wide on a 390 px phone"
    assert_accessible(page)
    page.get_by_role("button", name="Gem spottede job").click()
    expect(page.get_by_text("3 job er spottet og følges op.")).to_be_visible()
    spotted = page.get_by_role("table", name="Spottede job")
    expect(spotted).to_contain_text("Pedelmedhjælper")
    assert SpottedOpening.objects.count() == 3
    assert SpottedOpening.objects.filter(opening__company=second).count() == 1
    page.set_viewport_size({"width": 1366, "height": 900})

    # The employer chooses a candidate for one of the spotted jobs (recorded by the consultant).
    opening = JobOpening.objects.get(title="Opvasker")
    citizen = EnrolmentFactory(programme=programme, enrolled_on=today).citizen
    candidacy = placements.candidacy_propose(opening=opening, citizen=citizen, actor=consultant)
    placements.candidacy_accept(candidacy=candidacy, actor=consultant, start_date=today)
    log_out(page)

    log_in(page, live_server.url, leader.email)
    page.goto(f"{live_server.url}/programmer/{programme.pk}/dashboard/")
    targets = page.get_by_role("table", name="Måltal og resultater")
    expect(targets).to_contain_text("Spottede job besat")
    row = targets.get_by_role("row").filter(has_text="Spottede job besat")
    expect(row.get_by_role("link", name="1", exact=True)).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}-dashboard.png", full_page=True)
    assert_accessible(page)
