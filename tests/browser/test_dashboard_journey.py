"""The team leader's journey: home page → dashboard → a number's records → the funder report."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from csrprogram.choices import Role
from tests.browser.test_role_journeys import assert_accessible, log_in
from tests.companies.factories import CompanyFactory
from tests.csrprogram.dashboard_metrics import register_test_metrics, unregister_test_metrics
from tests.csrprogram.factories import ProgrammeFactory, TargetFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registered_test_metrics():
    register_test_metrics()
    yield
    unregister_test_metrics()


def test_team_leader_opens_dashboard_follows_a_number_and_downloads_the_report(
        live_server, page: Page, registered_test_metrics, tmp_path):
    leader = UserFactory(email="leder@jobcenter.example", roles=[Role.TEAM_LEADER])
    today = dt.date.today()
    programme = ProgrammeFactory(name="CSR Strategi 2017", members=[leader],
                                 starts_on=today - dt.timedelta(days=100),
                                 ends_on=today + dt.timedelta(days=400))
    TargetFactory(programme=programme, value=10, deadline=today + dt.timedelta(days=200))
    for name in ("Alfa Bageri ApS", "Beta Byg A/S", "Gamma Gartneri"):
        CompanyFactory(name=name)

    log_in(page, live_server.url, leader.email)
    expect(page.get_by_role("heading", name="Programmernes mål")).to_be_visible()
    page.get_by_role("link", name="Dashboard for CSR Strategi 2017").click()

    expect(page.get_by_role("heading", name="Måltal for CSR Strategi 2017")).to_be_visible()
    # Each chart is drawn for a wide column and for a phone; a desktop shows the wide one.
    charts = page.locator("figure").filter(
        has=page.get_by_role("img", name="Registrerede virksomheder over tid", include_hidden=True))
    expect(charts).to_have_count(2)
    expect(page.locator(".chart-wide").get_by_role(
        "img", name="Registrerede virksomheder over tid")).to_be_visible()
    expect(page.locator(".chart-phone").first).to_be_hidden()
    expect(page.get_by_role("table", name="Fordelt på virksomhed")).to_contain_text(
        "Beta Byg A/S")
    assert_accessible(page)

    # The actual links to the records behind it (here the programme page stands in).
    targets = page.get_by_role("table", name="Måltal og resultater")
    targets.get_by_role("link", name="3").click()
    expect(page.get_by_role("heading", name="CSR Strategi 2017")).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Rapport til bevillingsgiver").click()
    page.get_by_role("button", name="Dan ny rapport").click()
    # The page refreshes itself until the report is ready.
    download_link = page.get_by_role("link", name="Hent rapporten (PDF)")
    expect(download_link).to_be_visible(timeout=30_000)
    assert_accessible(page)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Statusrapport for CSR Strategi 2017" in " ".join(text.split())
