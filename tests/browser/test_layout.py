"""Issue 13, parts 1 and 2 in real Chromium: each list's primary action on a 390 px phone
without sideways scrolling, the error summary after a failed submit, the login error, the
filter fold on a phone, the team leader's dashboard on a phone.

``LAYOUT_SCREENSHOTS=/some/dir`` keeps screenshots of the dashboard (1366 and 390 px) and of
a list with its filter fold (390 px) there, for a look."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from placements import services as placement_services
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.citizens.factories import CitizenFactory, EnrolmentFactory
from tests.companies.factories import CompanyFactory
from tests.csrprogram.dashboard_metrics import register_test_metrics, unregister_test_metrics
from tests.csrprogram.factories import ProgrammeFactory, TargetFactory, UserFactory
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


SCREENSHOTS = os.environ.get("LAYOUT_SCREENSHOTS")


def keep_screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.wait_for_timeout(500)  # a collapse's animation ends
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_the_filters_fold_behind_one_button_on_a_phone(live_server, page: Page, consultant):
    page.set_viewport_size({"width": 390, "height": 844})
    # Without Bootstrap's transitions: the contrast check must not meet a colour half-way
    # through the button's hover fade or the fold's slide.
    page.emulate_media(reduced_motion="reduce")
    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/borgere/")
    filters = page.get_by_role("form", name="Filtrér borgere")
    search = filters.get_by_label("Søg på navn")
    toggle = filters.get_by_role("button", name="Filtre")
    target_group = filters.get_by_label("Målgruppe")
    expect(search).to_be_visible()
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(target_group).to_be_hidden()
    # The search and the buttons take less than a third of the phone's height.
    assert filters.bounding_box()["height"] < 844 / 3
    toggle.click()
    expect(target_group).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    keep_screenshot(page, "citizens_filters_open_390")
    assert_accessible(page)

    # Two filters in use: the button counts them; the fold stays closed.
    page.goto(f"{live_server.url}/borgere/?q=Jens&target_group=long_term_unemployed"
              "&status=active")
    expect(toggle).to_have_accessible_name("Filtre 2 i brug")
    expect(target_group).to_be_hidden()
    keep_screenshot(page, "citizens_filters_closed_390")
    # A filter with an error: the fold starts open and shows it.
    page.goto(f"{live_server.url}/borgere/?enrolled_from=31.13.2026")
    expect(filters.get_by_label("Visiteret fra")).to_be_visible()
    expect(filters.get_by_label("Visiteret fra")).to_have_attribute("aria-invalid", "true")
    expect(toggle).to_have_attribute("aria-expanded", "true")

    # On a desktop the filters stand in one row as before, without the button.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/borgere/")
    expect(target_group).to_be_visible()
    expect(toggle).to_be_hidden()
    assert abs(target_group.bounding_box()["y"] - search.bounding_box()["y"]) < 2


def test_the_filters_are_reachable_without_javascript(live_server, browser, page: Page,
                                                      consultant):
    log_in(page, live_server.url, consultant.email)
    expect(page.locator("#user-menu")).to_be_attached()
    # The same session in a browser that runs no scripts.
    context = browser.new_context(java_script_enabled=False, locale="da-DK",
                                  viewport={"width": 390, "height": 844})
    context.add_cookies(page.context.cookies())
    no_script = context.new_page()
    try:
        no_script.goto(f"{live_server.url}/borgere/")
        filters = no_script.get_by_role("form", name="Filtrér borgere")
        expect(filters.get_by_label("Målgruppe")).to_be_visible()
        expect(filters.get_by_role("button", name="Filtre")).to_be_hidden()
    finally:
        context.close()


@pytest.fixture
def registered_test_metrics():
    register_test_metrics()
    yield
    unregister_test_metrics()


@pytest.fixture
def dashboard_url(live_server, registered_test_metrics):
    """A team leader's dashboard of six targets on five metrics (their definitions are up to
    three lines long), with long company names in the breakdown."""
    leader = UserFactory(email="leder@jobcenter.example", first_name="Lene",
                         roles=[Role.TEAM_LEADER])
    today = timezone.localdate()
    programme = ProgrammeFactory(name=LONG_NAME, members=[leader],
                                 starts_on=today - dt.timedelta(days=300),
                                 ends_on=today + dt.timedelta(days=400))
    for key, value, days in (("test_companies_registered", 4, 100),
                             ("test_companies_registered", 12, 400),
                             ("citizens_enrolled", 150, 400),
                             ("citizens_into_job", 60, 400),
                             ("retained_at_3_months", 40, 400),
                             ("share_retained", 60, 400)):
        TargetFactory(programme=programme, metric_key=key, value=value,
                      deadline=today + dt.timedelta(days=days))
    for name in ("Alfa Bageri og Konditori ved Gudenåen Anpartsselskab",
                 "Beta Byg og Anlæg Østjylland A/S", "Gamma Gartneri"):
        CompanyFactory(name=name)
    return leader, f"{live_server.url}/programmer/{programme.pk}/dashboard/"


# Each chart's text in CSS px as drawn: its font size times the SVG's scale on the screen.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('svg.chart')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => [...svg.querySelectorAll('text')].map(
        text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a))"""


def test_the_dashboard_fits_a_phone(live_server, page: Page, dashboard_url):
    leader, url = dashboard_url
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, leader.email)
    page.goto(url)
    expect(page.get_by_role("heading", name=f"Måltal for {LONG_NAME}")).to_be_visible()
    sizes = page.evaluate(CHART_TEXT_SIZES)
    assert sizes
    assert min(sizes) >= 11, sizes
    keep_screenshot(page, "dashboard_1366")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard is {width} px wide"
    targets = page.get_by_role("table", name="Måltal og resultater")
    rows = targets.locator("tbody tr")
    expect(rows).to_have_count(6)
    for row in rows.all():
        for cell in (row.get_by_role("rowheader"), row.locator("td.text-end").nth(1),
                     row.locator(".badge")):
            expect(cell).to_be_visible()
            box = cell.bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= 390, box
        # A row is a few lines, not the fifteen of a written-out definition.
        assert row.bounding_box()["height"] < 150, row.inner_text()
    # The definition is one tap away.
    first = rows.first
    definition = first.locator(".metric-definition")
    expect(definition).to_be_hidden()
    first.locator("summary").click()
    expect(definition).to_be_visible()
    # Chart text stays readable: the phone's drawing of each chart (an image loaded only
    # here, 340 units wide with 12-unit text), not the desktop's shrunk.
    assert page.evaluate(CHART_TEXT_SIZES) == []  # no inline drawing shows
    phone_chart = page.locator(".chart-phone").get_by_role(
        "img", name=re.compile(r"^Registrerede virksomheder over tid\. Kumulativt resultat for"))
    expect(phone_chart).to_be_visible()
    phone_chart.scroll_into_view_if_needed()  # a lazy image loads when it comes near
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=phone_chart.element_handle())
    width = phone_chart.bounding_box()["width"]
    assert 12 * width / 340 >= 11, width
    # The breakdown scrolls inside its own box, never the page.
    breakdown = page.get_by_role("table", name="Fordelt på virksomhed")
    expect(breakdown).to_contain_text("Gamma Gartneri")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    keep_screenshot(page, "dashboard_390")
    assert_accessible(page)


def test_a_table_scrolling_sideways_does_not_widen_the_page(live_server, page: Page, consultant):
    """A wide table scrolls inside its ``.table-responsive`` box; its visually hidden texts
    (absolutely positioned) stay in that box too, so the page itself never scrolls sideways
    (the event and network pages did, by up to 186 px at 390 px)."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/virksomheder/")
    page.evaluate("""() => {
        const box = document.createElement('div');
        box.className = 'table-responsive';
        const cells = Array.from({length: 8}, (_, i) =>
            `<td>Kolonne ${i}<span class="visually-hidden"> skjult tekst ${i}</span></td>`);
        box.innerHTML = `<table class="table"><tbody><tr>${cells.join('')}</tr></tbody></table>`;
        document.querySelector('main').appendChild(box);
    }""")
    assert page.evaluate("document.querySelector('main .table-responsive:last-child table')"
                         ".getBoundingClientRect().width") > 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
