"""Issue 16, part 4 in real Chromium: a CPR number typed into a list's search box is sent as a
POST to the look-up by static/js/cpr-search.js and never appears in a URL."""

import pytest
from playwright.sync_api import Page, expect

from csrprogram.choices import Role
from tests.browser.test_role_journeys import log_in
from tests.citizens.factories import CitizenFactory
from tests.csrprogram.factories import ProgrammeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cpr_typed_into_the_name_search_goes_to_the_lookup_by_post(live_server, page: Page):
    consultant = UserFactory(email="mette@jobcenter.example", first_name="Mette",
                             roles=[Role.CONSULTANT])
    ProgrammeFactory(name="CSR Strategi 2017", members=[consultant])
    CitizenFactory(name="Jens Jensen", consultant=consultant, cpr="0101901235")
    requested = []
    page.on("request", lambda request: requested.append((request.method, request.url)))
    log_in(page, live_server.url, consultant.email)
    page.goto(f"{live_server.url}/borgere/")
    page.get_by_label("Søg på navn").fill("010190-1235")
    page.get_by_role("button", name="Filtrér", exact=True).click()
    expect(page.get_by_role("heading", name="Jens Jensen")).to_be_visible()
    assert ("POST", f"{live_server.url}/borgere/cpr-opslag/") in requested
    assert not [url for _method, url in requested if "1235" in url or "010190" in url]
