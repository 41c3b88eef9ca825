"""The casebank in real Chromium: a consultant writes a story from a placement, the check
points at the citizen's name, the consultant fixes it and submits; a team leader publishes it
and binds it into a collection whose PDF is rendered and downloaded. axe-core on every page."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from citizens.choices import ConsentKind
from citizens.models import Consent
from csrprogram.choices import Role
from tests.browser.helpers import log_out
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory
from tests.placements.factories import JobOpeningFactory, PlacementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set CASES_SCREENSHOTS to a directory to keep pictures of the editor (1366 and 390 px).
SHOTS = os.environ.get("CASES_SCREENSHOTS")


def shoot(page: Page, name: str) -> None:
    if not SHOTS:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_placement_story_review_publish_collection_pdf(live_server, page: Page):
    consultant = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                             last_name="Kjær", roles=[Role.CONSULTANT])
    leader = UserFactory(email="hanne@jobcenter.example", roles=[Role.TEAM_LEADER])
    today = timezone.localdate()
    programme = ProgrammeFactory(name="CSR Strategi", members=[consultant, leader],
                                 starts_on=today - dt.timedelta(days=180),
                                 ends_on=today + dt.timedelta(days=365))
    citizen = CitizenFactory(name="Karen Marie Vestergaard", consultant=consultant)
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=today)
    Consent.objects.create(citizen=citizen, kind=ConsentKind.CASE_STORY, given_on=today)
    opening = JobOpeningFactory(programme=programme, company=CompanyFactory(name="Alfa Bageri"))
    placement = PlacementFactory(opening=opening, citizen=citizen, start_date=today)

    # The consultant writes the story from the placement ...
    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/forloeb/{placement.pk}/")
    page.get_by_role("link", name="Skriv casebeskrivelse").click()
    page.get_by_label("Overskrift").fill("Fra praktik til job")
    page.get_by_label("Situationen før").fill("Karens situation var svær efter mange år uden job.")
    page.get_by_label("Det gjorde vi").fill("En praktik på 15 timer om ugen med en mentor.")
    page.get_by_label("Resultatet").fill("Hun blev ansat og var i job efter tre måneder.")
    assert_accessible(page)
    shoot(page, "story-editor")
    page.get_by_role("button", name="Gem og kontrollér").click()
    # ... the check says exactly where the name is ...
    expect(page.get_by_text("1 åbent fund")).to_be_visible()
    expect(page.get_by_text("linje 1, tegn 1")).to_be_visible()
    expect(page.locator("mark")).to_have_text("Karens")
    assert_accessible(page)
    page.get_by_role("link", name="Ret").click()
    page.get_by_label("Situationen før").fill("Hendes situation var svær efter mange år uden job.")
    page.get_by_role("button", name="Gem og kontrollér").click()
    expect(page.get_by_text("Kontrollen fandt intet")).to_have_count(2)
    page.get_by_role("button", name="Send til godkendelse").click()
    expect(page.get_by_text("sendt til godkendelse hos en teamleder")).to_be_visible()
    story_url = page.url
    log_out(page)

    # The team leader reviews and publishes it ...
    log_in(page, live_server.url, leader.email)
    page.goto(story_url)
    assert_accessible(page)
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text("Casebeskrivelsen er offentliggjort.")).to_be_visible()

    # ... and binds it into a collection; the PDF is rendered in the background.
    page.get_by_role("link", name="Casebank").first.click()
    page.get_by_role("link", name="Casesamlinger").click()
    page.get_by_role("link", name="Ny casesamling").click()
    page.get_by_role("button", name="Vælg cases").click()
    page.get_by_label("Forord").fill("Af hensyn til den enkelte borger er casen anonymiseret.")
    page.get_by_label("Fra praktik til job").fill("1")
    page.get_by_label("Offentlig webside").check()
    assert_accessible(page)
    page.get_by_role("button", name="Gem og dan PDF").click()
    expect(page.get_by_role("link", name="Hent casesamlingen (PDF)")).to_be_visible(
        timeout=60_000)
    assert_accessible(page)
    href = page.get_by_role("link", name="Hent casesamlingen (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.body()[:5] == b"%PDF-"
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text("Casesamlingen er offentliggjort.")).to_be_visible()
    # The public page at its unguessable address, for anyone, accessible.
    public_url = page.get_by_role("link", name="/casesamling/").get_attribute("href")
    log_out(page)
    page.goto(public_url)
    expect(page.get_by_role("heading", name="Fra praktik til job")).to_be_visible()
    assert_accessible(page)
