"""Issue 13, parts 1 and 2 in real Chromium: each list's primary action on a 390 px phone
without sideways scrolling, the error summary after a failed submit, the login error."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from placements import services as placement_services
from tests.browser.test_role_journeys import log_in
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import CompanyFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory
from tests.placements.factories import CandidacyFactory, JobOpeningFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Randers Kommunes Særlige Beskæftigelsesindsats for Unge og Voksne 2026–2028"


@pytest.fixture
def consultant(db):
    """A consultant with a running programme of a long name and one placement whose first
    visit is overdue (so the visit list has a "Registrér" button)."""
    user = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                       roles=[Role.CONSULTANT])
    today = timezone.localdate()
    programme = ProgrammeFactory(name=LONG_NAME, members=[user],
                                 starts_on=today - dt.timedelta(days=200),
                                 ends_on=today + dt.timedelta(days=400))
    start = today - dt.timedelta(days=25)
    citizen = CitizenFactory(name="Jens Peter Christian Vestergaard-Andersen", consultant=user)
    EnrolmentFactory(citizen=citizen, programme=programme, enrolled_on=start)
    company = CompanyFactory(name="Alfa Bageri og Konditori ved Gudenåen Anpartsselskab")
    opening = JobOpeningFactory(programme=programme, company=company, registered_on=start,
                                title="Bagerimedhjælper til morgenholdet i butikken")
    placement_services.candidacy_accept(
        candidacy=CandidacyFactory(opening=opening, citizen=citizen), actor=user,
        start_date=start)
    return user


# (list URL, the primary action's accessible name)
PHONE_LISTS = [
    ("/virksomheder/", "Opret virksomhed"),
    ("/borgere/", "Opret borger"),
    ("/jobaabninger/", "Spot et job"),
    ("/opfoelgning/?period=overdue", "Registrér"),
    ("/forloeb/", "Jens Peter Christian Vestergaard-Andersen"),
    ("/certifikater/", "Filtrér"),
]


def test_each_list_fits_the_phone_with_its_primary_action_in_view(live_server, page: Page,
                                                                   consultant):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, consultant.email)
    for url, action in PHONE_LISTS:
        page.goto(f"{live_server.url}{url}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide"
        target = page.locator("main").get_by_role("link", name=action).or_(
            page.locator("main").get_by_role("button", name=action)).first
        expect(target).to_be_visible()
        box = target.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390, f"{action} on {url} ends at {box}"
        # Every table fits inside the page: nothing is cut at the right edge.
        for table in page.locator("main table").all():
            table_box = table.bounding_box()
            assert table_box["x"] + table_box["width"] <= 390, f"a table on {url}: {table_box}"


def test_a_long_name_stays_on_one_line_with_its_full_text_in_the_title(live_server, page: Page,
                                                                     consultant):
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/borgere/")
    row = page.locator("tbody tr").first
    cell = row.locator("td[title*='Særlige Beskæftigelsesindsats']")
    expect(cell).to_have_count(1)
    # One line: the row is not taller than two lines of text.
    assert row.bounding_box()["height"] < 48


def test_a_failed_submit_moves_focus_to_the_error_summary(live_server, page: Page, consultant):
    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/jobaabninger/spot-et-job/")
    page.get_by_label("Stillingsbetegnelse").fill("Lagermedhjælper")
    page.get_by_label("Timer pr. uge").fill("99")
    # The browser's own min/max check is switched off: the server's answer is under test.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form [type=submit]").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    assert page.title().startswith("Fejl: ")
    hours = page.get_by_label("Timer pr. uge")
    expect(hours).to_have_attribute("aria-invalid", "true")
    described_by = hours.get_attribute("aria-describedby").split()
    messages = " ".join(page.locator(f"#{name}").inner_text() for name in described_by)
    assert "37" in messages
    # The summary's link takes focus to the field.
    summary.get_by_role("link", name="Timer pr. uge").click()
    expect(hours).to_be_focused()


def test_a_failed_login_is_announced(live_server, page: Page):
    UserFactory(email="mette@jobcenter.example", roles=[Role.CONSULTANT])
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-mailadresse").fill("mette@jobcenter.example")
    page.get_by_label("Adgangskode").fill("forkert-kode")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_focused()
    assert page.title().startswith("Fejl: ")
