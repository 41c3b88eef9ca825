"""Login and the home page of each role in real Chromium, with an axe-core scan."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from tests.companies.factories import CompanyFactory, ContactPersonFactory
from tests.csrprogram.factories import TEST_PASSWORD, ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"] if v["impact"] in {"serious", "critical"}
    ]
    assert serious == [], "\n".join(serious)


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/konto/login/")
    assert_accessible(page)
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind").click()


@pytest.mark.parametrize(("role", "heading"), [
    (Role.CONSULTANT, "Mit arbejde"),
    (Role.TEAM_LEADER, "Programmernes mål"),
    (Role.COMPANY_CONTACT, "Min virksomhed"),
])
def test_each_role_logs_in_to_its_home_page(live_server, page: Page, role, heading):
    user = UserFactory(email=f"{role.value}@jobcenter.example", roles=[role])
    ProgrammeFactory(name="CSR Strategi 2017", members=[user])
    if role == Role.COMPANY_CONTACT:
        company = CompanyFactory(name="Alfa Bageri ApS")
        ContactPersonFactory(company=company, user=user, is_primary=True)

    log_in(page, live_server.url, user.email)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page)

    # The user menu names each language in its own language.
    page.get_by_role("button", name=f"Brugermenu: {user}").click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english = {"Mit arbejde": "My work", "Programmernes mål": "Programme targets",
               "Min virksomhed": "My company"}[heading]
    expect(page.get_by_role("heading", name=english)).to_be_visible()
    assert_accessible(page)


def test_skip_link_moves_focus_to_main(live_server, page: Page):
    user = UserFactory(email="skip@jobcenter.example", roles=[Role.CONSULTANT])
    log_in(page, live_server.url, user.email)
    expect(page.get_by_role("heading", name="Mit arbejde")).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Spring til indhold")
    expect(skip).to_be_focused()
    skip.press("Enter")
    assert page.url.endswith("#main")


def test_administrator_home_page_fits_desktop_and_phone(live_server, page: Page):
    """The administrator's own home page (it used to say the account had no role)."""
    import os
    from pathlib import Path

    from django.utils import timezone

    from csrprogram.models import WorkerHeartbeat

    admin = UserFactory(email="admin@jobcenter.example", first_name="Sofie", is_staff=True,
                        roles=[Role.ADMINISTRATOR])
    UserFactory(email="k@jobcenter.example", roles=[Role.CONSULTANT])
    ProgrammeFactory(name="CSR Strategi 2017", members=[admin])
    WorkerHeartbeat.objects.create(pk=1, last_seen=timezone.now())
    log_in(page, live_server.url, admin.email)
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    expect(page.get_by_text("Din konto har endnu ingen rolle")).to_have_count(0)
    expect(page.get_by_text("Baggrundsprocessen kører.")).to_be_visible()
    expect(page.get_by_role("link", name="Brugere og roller")).to_be_visible()
    folder = os.environ.get("HOME_SCREENSHOTS")
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        if folder:
            page.screenshot(path=str(Path(folder) / f"admin_home_{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
